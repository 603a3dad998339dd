#!/bin/bash
# bench/gemv.sh [--quick] : dc's compressed GEMV/GEMM kernels vs OpenBLAS
# (dense, decoded weights) vs the MLIR sparsifier's CSR kernels, one thread,
# caches flushed before every call; plus dc with threads=2 (OpenMP: libomp)
# vs OpenBLAS with OPENBLAS_NUM_THREADS=2. Prints one table (times in us).
# "dc" is dc-to-llvm's default (layout=auto: the cost model's choice, named
# in the "layout" column); "dc tiles" and "dc sparse" force layout=tiles
# (batch 1 only) and layout=sparse (the kernel before the tile layout);
# "warm" columns time back-to-back calls (no flush), batch 1.
#   BUILD=dir   dc build dir (default: build/ of this checkout): bin/dc-opt,
#               lib/libDCCore.a
#   OUT=dir     scratch directory (default /tmp/dc-gemv-bench)
#   LAYERS_ONLY="name M K density index_bits;..."  layers to run instead
#   BATCH=N     the batch of the second row per layer (default 64)
#   ASYNC2=1    also time dc threads=2 on MLIR's async runtime
#               (thread-runtime=async), in a last column
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
BUILD=${BUILD:-$HERE/../build}
OUT=${OUT:-/tmp/dc-gemv-bench}
LLVM=/usr/lib/llvm-22/bin
DCOPT=$BUILD/bin/dc-opt
QUICK=0
[[ "${1:-}" == "--quick" ]] && QUICK=1
mkdir -p "$OUT"
export OPENBLAS_NUM_THREADS=1
BATCH=${BATCH:-64}
if [[ $QUICK == 1 ]]; then
  REPS=5
  LAYERS=("lenet_ip1 300 784 0.08 5" "alexnet_fc8 1000 4096 0.25 5")
else
  REPS=21
  LAYERS=("lenet_ip1 300 784 0.08 5" "lenet_ip1 300 784 0.08 4"
          "alexnet_fc6 4096 9216 0.09 5" "alexnet_fc7 4096 4096 0.09 5"
          "alexnet_fc7 4096 4096 0.09 4" "alexnet_fc7 4096 4096 0.04 5"
          "alexnet_fc8 1000 4096 0.25 5"
          "vgg16_fc6 4096 25088 0.04 5" "vgg16_fc6 4096 25088 0.09 5")
fi
c++ -O2 -std=c++17 -I"$HERE/../include" "$HERE/gemv_gen.cpp" \
  "$BUILD/lib/libDCCore.a" -o "$OUT/gemv_gen"
# (grep -q on a pipe would end dc-opt early: SIGPIPE under pipefail.)
DCHELP=$("$DCOPT" --help)
if grep -q -- '--dc-to-llvm' <<<"$DCHELP"; then
  LOWER=(--dc-to-llvm)
else
  LOWER=(--dc-rewrite-contractions --dc-lower-compute --dc-decompress-constants
    --one-shot-bufferize=bufferize-function-boundaries --convert-linalg-to-loops
    --convert-vector-to-scf --convert-scf-to-cf --expand-strided-metadata
    --lower-affine --finalize-memref-to-llvm --convert-vector-to-llvm
    --convert-to-llvm --reconcile-unrealized-casts)
fi
# Two threads: dc-to-llvm threads=2 on OpenMP (libomp) where dc-opt has
# thread-runtime, else on MLIR's async runtime (older builds).
OMPLIB=(-L/usr/lib/llvm-22/lib -lomp -Wl,-rpath,/usr/lib/llvm-22/lib)
ASYNCLIB=(-L/usr/lib/llvm-22/lib -lmlir_async_runtime
  -Wl,-rpath,/usr/lib/llvm-22/lib)
if grep -q -- 'thread-runtime' <<<"$DCHELP"; then
  LOWER2=(--dc-to-llvm="threads=2 thread-runtime=omp")
  LIB2=("${OMPLIB[@]}")
  LOWER2A=(--dc-to-llvm="threads=2 thread-runtime=async")
else
  LOWER2=(--dc-to-llvm=threads=2)
  LIB2=("${ASYNCLIB[@]}")
  LOWER2A=(--dc-to-llvm=threads=2)
fi
ASYNC2=${ASYNC2:-0}

sparsifier_module() { # M K N
  local M=$1 K=$2 N=$3
  cat <<MLIR
#CSR = #sparse_tensor.encoding<{ map = (i, j) -> (i : dense, j : compressed), crdWidth = 16 }>
module {
  func.func @spmv(%pos: tensor<?xindex>, %crd: tensor<?xi16>, %val: tensor<?xf32>, %x: tensor<${K}xf32>) -> tensor<${M}xf32> attributes {llvm.emit_c_interface} {
    %A = sparse_tensor.assemble (%pos, %crd), %val : (tensor<?xindex>, tensor<?xi16>), tensor<?xf32> to tensor<${M}x${K}xf32, #CSR>
    %z = arith.constant 0.0 : f32
    %e = tensor.empty() : tensor<${M}xf32>
    %i = linalg.fill ins(%z : f32) outs(%e : tensor<${M}xf32>) -> tensor<${M}xf32>
    %y = linalg.matvec ins(%A, %x : tensor<${M}x${K}xf32, #CSR>, tensor<${K}xf32>) outs(%i : tensor<${M}xf32>) -> tensor<${M}xf32>
    return %y : tensor<${M}xf32>
  }
  func.func @spmm(%pos: tensor<?xindex>, %crd: tensor<?xi16>, %val: tensor<?xf32>, %x: tensor<${K}x${N}xf32>) -> tensor<${M}x${N}xf32> attributes {llvm.emit_c_interface} {
    %A = sparse_tensor.assemble (%pos, %crd), %val : (tensor<?xindex>, tensor<?xi16>), tensor<?xf32> to tensor<${M}x${K}xf32, #CSR>
    %z = arith.constant 0.0 : f32
    %e = tensor.empty() : tensor<${M}x${N}xf32>
    %i = linalg.fill ins(%z : f32) outs(%e : tensor<${M}x${N}xf32>) -> tensor<${M}x${N}xf32>
    %y = linalg.matmul ins(%A, %x : tensor<${M}x${K}xf32, #CSR>, tensor<${K}x${N}xf32>) outs(%i : tensor<${M}x${N}xf32>) -> tensor<${M}x${N}xf32>
    return %y : tensor<${M}x${N}xf32>
  }
}
MLIR
}

if [[ -n "${LAYERS_ONLY:-}" ]]; then
  IFS=';' read -r -a LAYERS <<<"$LAYERS_ONLY"
fi
ROWS=()
for L in "${LAYERS[@]}"; do
  read -r NAME M K DENS IDX <<<"$L"
  TAG=${NAME}_d${DENS}_i${IDX}
  D=$OUT/$TAG
  mkdir -p "$D"
  # Decompress-then-dense only up to 20M weights: dc-lower-decompress's
  # decode-once buffer is an initialized global (VGG fc6: a 2 GB .ll file).
  DDFLAG=()
  (( M * K <= 20000000 )) && DDFLAG=(--dd)
  "$OUT/gemv_gen" "$M" "$K" "$BATCH" "$DENS" 5 "$IDX" csc none matvec 1 \
    --mode=bench --dense-out="$D/W.f32" "${DDFLAG[@]}" >"$D/dc.mlir" 2>"$D/gen.log"
  BYTES_PQ=$(sed -n 's/.*bytes_pq=\([0-9]*\).*/\1/p' "$D/gen.log")
  "$DCOPT" "$D/dc.mlir" --dc-rewrite-contractions --dc-lower-compute=stats=1 \
    -o /dev/null 2>"$D/stats.log"
  OBJ_BYTES=$(sed -n 's/.*object_bytes=\([0-9]*\).*/\1/p' "$D/stats.log" | head -1)
  # The batch-1 layout dc-to-llvm picks, and the bytes its kernel streams.
  LAYOUT=$(sed -n 's/.* layout=\([a-z-]*\) .*/\1/p' "$D/stats.log" | head -1)
  RT_BYTES=$(sed -n 's/.*runtime_bytes=\([0-9]*\).*/\1/p' "$D/stats.log" | head -1)
  "$DCOPT" "$D/dc.mlir" --dc-rewrite-contractions --dc-lower-compute="stats=1 layout=tiles" \
    -o /dev/null 2>"$D/stats_tiles.log" || true
  RT_TILES=$(sed -n 's/.*layout=tiles .*runtime_bytes=\([0-9]*\).*/\1/p' "$D/stats_tiles.log" | head -1)
  RT_TILES=${RT_TILES:--}
  "$DCOPT" "$D/dc.mlir" "${LOWER[@]}" --emit-bytecode -o "$D/dc.mlirbc"
  $LLVM/mlir-translate --mlir-to-llvmir "$D/dc.mlirbc" -o "$D/dc.ll"
  $LLVM/clang-22 -O3 -march=native -Wno-override-module -c "$D/dc.ll" -o "$D/dc.o"
  # The same module with layout=tiles / layout=sparse, its entry points
  # renamed dt_* / ds_* and every other symbol made local, so that one
  # driver links all three.
  for V in dt:tiles ds:sparse; do
    P=${V%%:*}
    "$DCOPT" "$D/dc.mlir" --dc-to-llvm="layout=${V#*:}" --emit-bytecode -o "$D/$P.mlirbc" 2>/dev/null
    $LLVM/mlir-translate --mlir-to-llvmir "$D/$P.mlirbc" -o "$D/$P.ll"
    $LLVM/clang-22 -O3 -march=native -Wno-override-module -c "$D/$P.ll" -o "$D/$P.0.o"
    objcopy --redefine-sym _mlir_ciface_dc_gemv=_mlir_ciface_${P}_gemv \
      --redefine-sym _mlir_ciface_dc_gemm=_mlir_ciface_${P}_gemm "$D/$P.0.o" "$D/$P.1.o"
    objcopy --keep-global-symbol=_mlir_ciface_${P}_gemv \
      --keep-global-symbol=_mlir_ciface_${P}_gemm "$D/$P.1.o" "$D/$P.o"
  done
  # Two threads: the same module through dc-to-llvm threads=2 (OpenMP),
  # linked into a second driver; with ASYNC2=1 also on the async runtime.
  "$DCOPT" "$D/dc.mlir" "${LOWER2[@]}" --emit-bytecode -o "$D/dc2.mlirbc"
  $LLVM/mlir-translate --mlir-to-llvmir "$D/dc2.mlirbc" -o "$D/dc2.ll"
  $LLVM/clang-22 -O3 -march=native -Wno-override-module -c "$D/dc2.ll" -o "$D/dc2.o"
  if [[ $ASYNC2 == 1 ]]; then
    "$DCOPT" "$D/dc.mlir" "${LOWER2A[@]}" --emit-bytecode -o "$D/dc2a.mlirbc"
    $LLVM/mlir-translate --mlir-to-llvmir "$D/dc2a.mlirbc" -o "$D/dc2a.ll"
    $LLVM/clang-22 -O3 -march=native -Wno-override-module -c "$D/dc2a.ll" -o "$D/dc2a.o"
  fi
  sparsifier_module "$M" "$K" "$BATCH" >"$D/sp.mlir"
  $LLVM/mlir-opt "$D/sp.mlir" --sparsifier="enable-runtime-library=false vl=16 reassociate-fp-reductions=true enable-index-optimizations=true" \
    | $LLVM/mlir-translate --mlir-to-llvmir -o "$D/sp.ll"
  $LLVM/clang-22 -O3 -march=native -Wno-override-module -c "$D/sp.ll" -o "$D/sp.o"
  $LLVM/clang-22 -O3 -march=native "$HERE/gemv_driver.c" "$D/dc.o" "$D/dt.o" \
    "$D/ds.o" "$D/sp.o" -lopenblas -lm -o "$D/drv"
  $LLVM/clang-22 -O3 -march=native "$HERE/gemv_driver.c" "$D/dc2.o" "$D/sp.o" \
    -lopenblas -lm "${LIB2[@]}" -o "$D/drv2"
  if [[ $ASYNC2 == 1 ]]; then
    $LLVM/clang-22 -O3 -march=native "$HERE/gemv_driver.c" "$D/dc2a.o" \
      "$D/sp.o" -lopenblas -lm "${ASYNCLIB[@]}" -o "$D/drv2a"
  fi
  for N in 1 $BATCH; do
    "$D/drv" "$M" "$K" "$N" "$D/W.f32" "$REPS" >"$D/run$N.log"
    OPENBLAS_NUM_THREADS=2 "$D/drv2" "$M" "$K" "$N" "$D/W.f32" "$REPS" 01 >"$D/run${N}_t2.log"
    read -r _ _ OB2 _ _ _ _ < <(grep '^openblas' "$D/run${N}_t2.log")
    read -r _ _ DC2 DC2MIN DC2MAX DC2ERR _ < <(grep '^dc ' "$D/run${N}_t2.log")
    CSR=$(sed -n 's/.*csr_i16_bytes \([0-9]*\).*/\1/p' "$D/run$N.log")
    DENSE=$(sed -n 's/.*dense_bytes \([0-9]*\).*/\1/p' "$D/run$N.log")
    read -r _ _ OB OBMIN OBMAX OBERR _ < <(grep '^openblas' "$D/run$N.log")
    read -r _ _ DC DCMIN DCMAX DCERR _ < <(grep '^dc ' "$D/run$N.log")
    ASYNCCOL=""
    if [[ $ASYNC2 == 1 ]]; then
      "$D/drv2a" "$M" "$K" "$N" "$D/W.f32" "$REPS" 1 >"$D/run${N}_t2a.log"
      read -r _ _ DCA DCAMIN DCAMAX DCAERR _ < <(grep '^dc ' "$D/run${N}_t2a.log")
      ASYNCCOL=$(printf ' %s (%s-%s) | %.2fx | %s |' "$DCA" "$DCAMIN" \
        "$DCAMAX" "$(echo "$DC/$DCA" | bc -l)" "$DCAERR")
    fi
    read -r _ _ SP SPMIN SPMAX SPERR _ < <(grep '^sparsifier' "$D/run$N.log")
    read -r _ _ DS DSMIN DSMAX DSERR _ < <(grep '^dc_sparse ' "$D/run$N.log")
    DT="-" DTW="-" DCW="-" DSW="-" WARMR="-" TILESR="-"
    if [[ $N == 1 ]]; then
      read -r _ _ DTMED DTMIN DTMAX DTERR _ < <(grep '^dc_tiles ' "$D/run$N.log")
      DT="$DTMED ($DTMIN-$DTMAX)"
      TILESR=$(printf '%.2fx' "$(echo "$DS/$DTMED" | bc -l)")
      read -r _ _ DCW _ < <(grep '^dc_warm' "$D/run$N.log")
      read -r _ _ DSW _ < <(grep '^dc_sparse_warm' "$D/run$N.log")
      WARMR=$(printf '%.2fx' "$(echo "$DSW/$DCW" | bc -l)")
    fi
    DD="-"
    if [[ $N == 1 ]] && grep -q '^decomp_dense' "$D/run$N.log"; then
      read -r _ _ DDMED DDMIN DDMAX DDERR DDFIRST < <(grep '^decomp_dense' "$D/run$N.log")
      DD="$DDMED ($DDMIN-$DDMAX; 1st call $DDFIRST)"
    fi
    ROWS+=("$(printf '| %s %dx%d %s%% i%s | %d | %s | %s (%s-%s) | %s | %s (%s-%s) | %.2fx | %s | %s | %s | %s | %s (%s-%s) | %.2fx | %s | %.2fx | %s (%s-%s) | %s (%s-%s) | %s | %.2fx | %.2fx | %d | %d | %.2f | %s | %s | %d | %d | %s |' \
      "$NAME" "$M" "$K" "$(echo "$DENS*100" | bc -l | sed 's/\.0*$//;s/0*$//')" "$IDX" "$N" \
      "$([[ $N == 1 ]] && echo "$LAYOUT" || echo "-")" "$DC" "$DCMIN" "$DCMAX" "$DT" "$DS" "$DSMIN" "$DSMAX" \
      "$(echo "$DS/$DC" | bc -l)" "$TILESR" "$DCW" "$DSW" "$WARMR" \
      "$DC2" "$DC2MIN" "$DC2MAX" "$(echo "$DC/$DC2" | bc -l)" \
      "$OB2" "$(echo "$OB2/$DC2" | bc -l)" "$OB" "$OBMIN" "$OBMAX" "$SP" "$SPMIN" "$SPMAX" "$DD" \
      "$(echo "$OB/$DC" | bc -l)" "$(echo "$SP/$DC" | bc -l)" \
      "$OBJ_BYTES" "$BYTES_PQ" "$(echo "$OBJ_BYTES/$BYTES_PQ" | bc -l)" \
      "$([[ $N == 1 ]] && echo "$RT_BYTES" || echo "-")" "$([[ $N == 1 ]] && echo "$RT_TILES" || echo "-")" \
      "$CSR" "$DENSE" "$DCERR/$DC2ERR")$ASYNCCOL")
  done
  rm -f "$D/W.f32" "$D/dc.ll" "$D/dc.mlirbc" "$D/dc2.ll" "$D/dc2.mlirbc" \
    "$D/dt.ll" "$D/dt.mlirbc" "$D/ds.ll" "$D/ds.mlirbc" \
    "$D/dc2a.ll" "$D/dc2a.mlirbc" "$D/sp.ll"
done
echo
echo "reps=$REPS per kernel, caches flushed (96 MiB) before each call, one thread unless marked 2T (dc threads=2 on OpenMP / OPENBLAS_NUM_THREADS=2); times: median (min-max) us"
HEAD="| layer | N | layout | dc | dc tiles | dc sparse | sparse/dc | sparse/tiles | dc warm | sparse warm | warm sparse/dc | dc 2T | dc 1T/2T | OpenBLAS 2T | BLAS 2T/dc 2T | OpenBLAS dense | sparsifier CSR i16 | decompress-then-dense (MLIR loops) | BLAS/dc | sparsifier/dc | dc object weight bytes | bytes_pq | obj/pq | dc run-time bytes | tiles run-time bytes | CSR bytes | dense bytes | dc rel err (1T/2T) |"
SEP="|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|"
if [[ $ASYNC2 == 1 ]]; then
  HEAD="$HEAD dc 2T async | dc 1T/2T async | async rel err |"
  SEP="$SEP---|---|---|"
fi
echo "$HEAD"
echo "$SEP"
printf '%s\n' "${ROWS[@]}"
