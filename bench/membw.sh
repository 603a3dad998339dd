#!/bin/bash
# bench/membw.sh: how much two threads can gain on this machine (read
# bandwidth and FMA throughput, one vs two OpenMP threads): the ceiling of
# bench/gemv.sh's "dc 1T/2T" column for kernels that stream from memory.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
OUT=${OUT:-/tmp/dc-membw}
mkdir -p "$OUT"
clang-22 -O3 -march=native -fopenmp "$HERE/membw.c" -o "$OUT/membw" \
  -L/usr/lib/llvm-22/lib -Wl,-rpath,/usr/lib/llvm-22/lib
"$OUT/membw"
