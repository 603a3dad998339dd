#!/usr/bin/env bash
# A dense matmul that stays dense (64x784 by 784x300, f32, one thread):
# dc-to-llvm (dc-vectorize-linalg's register tiles) against OpenBLAS
# cblas_sgemm, warm medians of 200 calls from one run, and the max abs
# difference of the results. Usage: bench/glue_matmul.sh [BUILD_DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=${1:-build}
T=$(mktemp -d)
L=/usr/lib/llvm-22/bin
"$BUILD/bin/dc-opt" bench/glue_matmul.mlir --dc-to-llvm | "$L/mlir-translate" --mlir-to-llvmir -o "$T/mm.ll"
"$L/clang-22" -O3 -march=native -Wno-override-module -c "$T/mm.ll" -o "$T/mm.o"
gcc -O2 bench/glue_matmul_driver.c "$T/mm.o" -lopenblas -o "$T/mm"
OPENBLAS_NUM_THREADS=1 "$T/mm"
rm -rf "$T"
