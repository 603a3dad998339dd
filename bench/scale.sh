#!/usr/bin/env bash
# bench/scale.sh [BUILD]: compile time against the number of tiny layers and
# the nesting depth (issue 12: linear time, or a clear error). Prints a
# Markdown table: wall seconds and peak RSS of dc-compress alone and of
# dc-compress + dc-to-llvm. LAYERS / DEPTHS override the sizes.
set -euo pipefail
cd "$(dirname "$0")/.."
B=${1:-build}
LAYERS=${LAYERS:-"1000 10000 100000"}
DEPTHS=${DEPTHS:-"100 1000 10000"}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
measure() { # measure OUT CMD...: "seconds MB" of CMD, or "error"
  local out=$1
  shift
  if /usr/bin/time -f "%e %M" -o "$tmp/t" "$@" >"$out" 2>"$tmp/err"; then
    awk '{printf "%.2f s, %d MB", $1, $2 / 1024}' "$tmp/t"
  else
    echo "error: $(grep -m1 error "$tmp/err" | cut -c1-80)"
  fi
}
echo "| input | dc-compress | dc-compress + dc-to-llvm |"
echo "|---|---|---|"
for n in $LAYERS; do
  /usr/bin/python3 bench/scale_gen.py layers "$n" >"$tmp/in.mlir"
  a=$(measure /dev/null "$B/bin/dc-opt" "$tmp/in.mlir" --dc-compress=bits=2)
  b=$(measure /dev/null "$B/bin/dc-opt" "$tmp/in.mlir" --dc-compress=bits=2 --dc-to-llvm)
  echo "| $n layers | $a | $b |"
done
for d in $DEPTHS; do
  /usr/bin/python3 bench/scale_gen.py nesting "$d" >"$tmp/in.mlir"
  a=$(measure /dev/null "$B/bin/dc-opt" "$tmp/in.mlir" --dc-compress=bits=2)
  b=$(measure /dev/null "$B/bin/dc-opt" "$tmp/in.mlir" --dc-compress=bits=2 --dc-to-llvm)
  echo "| nesting $d | $a | $b |"
done
