#!/bin/bash
# bench/tile_batch.sh : the tile layout at batch 1, 2, 4, 8 against the row
# kernel of layout=sparse (issue 13's small-batch experiment; bench/tile_batch.cpp
# says what each column is). One thread; times in us, medians, cold = caches
# flushed before every call. BUILD=dir picks the dc build (lib/libDCCore.a).
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
BUILD=${BUILD:-$HERE/../build}
OUT=${OUT:-/tmp/dc-tile-batch}
mkdir -p "$OUT"
clang++-22 -O3 -march=native -std=c++17 -I"$HERE/../include" \
  "$HERE/tile_batch.cpp" "$BUILD/lib/libDCCore.a" -o "$OUT/tile_batch"
echo "| layer | N | tiles-N cold | tiles-1xN cold | rows-N cold | rows/tiles cold | tiles-N warm | tiles-1xN warm | rows-N warm | rows/tiles warm | max rel error |"
echo "|---|---|---|---|---|---|---|---|---|---|---|"
for L in "alexnet_fc6 4096 9216 0.09" "alexnet_fc7 4096 4096 0.09" \
         "alexnet_fc7 4096 4096 0.04" "lenet_ip1 300 784 0.08"; do
  read -r NAME M K DENS <<<"$L"
  "$OUT/tile_batch" "${NAME}_d$DENS" "$M" "$K" "$DENS" "${REPS:-11}"
done
