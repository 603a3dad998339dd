#!/bin/bash
# bench/density.sh : where the cost model of dc-lower-compute switches from
# the sparse execution layout to the dense-code layout, and whether dc stays
# at least as fast as dense OpenBLAS at every density. For one layer shape
# (AlexNet fc7, 4096 x 4096, 5-bit weights, 5-bit stored indices) at several
# densities, batch 1 and 64, one thread, caches flushed before every call:
#   dc auto    the default (cost model picks per call site)
#   dc sparse  dense-density=2 (always the sparse layout)
#   dc dense   dense-density=0 (always the dense-code layout)
#   OpenBLAS   cblas_sgemv / cblas_sgemm on the decoded f32 weights
# Prints one table (median us) and, per density, which layout "auto" took.
#   BUILD=dir  dc build dir (default: build/ of this checkout)
#   OUT=dir    scratch directory (default /tmp/dc-density-bench)
#   SHAPE="M K" (default "4096 4096"), DENSITIES="1.0 0.75 ...", REPS=15
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
BUILD=${BUILD:-$HERE/../build}
OUT=${OUT:-/tmp/dc-density-bench}
LLVM=/usr/lib/llvm-22/bin
DCOPT=$BUILD/bin/dc-opt
read -r M K <<<"${SHAPE:-4096 4096}"
DENSITIES=${DENSITIES:-"1.0 0.75 0.5 0.35 0.25 0.15"}
REPS=${REPS:-15}
BATCH=64
export OPENBLAS_NUM_THREADS=1
mkdir -p "$OUT"
c++ -O2 -std=c++17 -I"$HERE/../include" "$HERE/gemv_gen.cpp" \
  "$BUILD/lib/libDCCore.a" -o "$OUT/gemv_gen"
# The driver also links the sparsifier peer of bench/gemv.sh; not timed here.
cat >"$OUT/nosp.c" <<'C'
#include <stdlib.h>
void _mlir_ciface_spmv(void) { abort(); }
void _mlir_ciface_spmm(void) { abort(); }
C
$LLVM/clang-22 -O2 -c "$OUT/nosp.c" -o "$OUT/nosp.o"

ROWS=()
for DENS in $DENSITIES; do
  D=$OUT/d$DENS
  mkdir -p "$D"
  "$OUT/gemv_gen" "$M" "$K" "$BATCH" "$DENS" 5 5 csc none matvec 1 \
    --mode=bench --dense-out="$D/W.f32" >"$D/dc.mlir" 2>"$D/gen.log"
  BYTES_PQ=$(sed -n 's/.*bytes_pq=\([0-9]*\).*/\1/p' "$D/gen.log")
  declare -A T=()
  for V in auto sparse dense; do
    case $V in
      auto) OPTS="" ;;
      sparse) OPTS="dense-density=2" ;;
      dense) OPTS="dense-density=0" ;;
    esac
    "$DCOPT" "$D/dc.mlir" --dc-rewrite-contractions \
      --dc-lower-compute="$OPTS stats=1" -o /dev/null 2>"$D/stats_$V.log"
    "$DCOPT" "$D/dc.mlir" --dc-rewrite-contractions \
      --dc-lower-compute="$OPTS" --dc-to-llvm --emit-bytecode \
      -o "$D/dc_$V.mlirbc"
    $LLVM/mlir-translate --mlir-to-llvmir "$D/dc_$V.mlirbc" -o "$D/dc_$V.ll"
    $LLVM/clang-22 -O3 -march=native -Wno-override-module -c "$D/dc_$V.ll" \
      -o "$D/dc_$V.o"
    $LLVM/clang-22 -O3 -march=native "$HERE/gemv_driver.c" "$D/dc_$V.o" \
      "$OUT/nosp.o" -lopenblas -lm -o "$D/drv_$V"
    for N in 1 $BATCH; do
      "$D/drv_$V" "$M" "$K" "$N" "$D/W.f32" "$REPS" 01 >"$D/run_${V}_$N.log"
      read -r _ _ T[$V,$N] _ _ T[$V,err$N] _ < <(grep '^dc' "$D/run_${V}_$N.log")
      read -r _ _ T[blas$V,$N] _ < <(grep '^openblas' "$D/run_${V}_$N.log")
    done
    rm -f "$D/dc_$V.ll" "$D/dc_$V.mlirbc"
  done
  # Which layout auto used (stats of its kernels: one line per layout).
  AUTO=$(grep -o 'layout=[a-z-]*' "$D/stats_auto.log" | sed 's/layout=//' | sort -u | tr '\n' '+' | sed 's/+$//')
  OBJ_DENSE=$(sed -n 's/.*layout=dense-code.*object_bytes=\([0-9]*\).*/\1/p' "$D/stats_dense.log" | head -1)
  for N in 1 $BATCH; do
    # OpenBLAS: the median of its three measurements in this run.
    OB=$(printf '%s\n' "${T[blasauto,$N]}" "${T[blassparse,$N]}" "${T[blasdense,$N]}" | sort -g | sed -n 2p)
    ROWS+=("$(printf '| %s%% | %d | %s | %s | %s | %s | %.2fx | %.2fx | %.2fx | %.2f | %s |' \
      "$(printf '%g' "$(echo "$DENS*100" | bc -l)")" "$N" \
      "${T[auto,$N]}" "${T[sparse,$N]}" "${T[dense,$N]}" "$OB" \
      "$(echo "$OB/${T[auto,$N]}" | bc -l)" "$(echo "$OB/${T[sparse,$N]}" | bc -l)" \
      "$(echo "$OB/${T[dense,$N]}" | bc -l)" "$(echo "$OBJ_DENSE/$BYTES_PQ" | bc -l)" "$AUTO")")
  done
  rm -f "$D/W.f32"
  unset T
done
echo
echo "${M}x${K}, 5-bit weights, 5-bit stored indices, one thread, reps=$REPS, caches flushed; median us"
echo "| kept | N | dc auto | dc sparse | dc dense-code | OpenBLAS | BLAS/auto | BLAS/sparse | BLAS/dense-code | dense-code bytes / bytes_pq | auto took |"
echo "|---|---|---|---|---|---|---|---|---|---|---|"
printf '%s\n' "${ROWS[@]}"
