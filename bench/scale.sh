#!/usr/bin/env bash
# bench/scale.sh [BUILD]: compile time against the number of tiny layers,
# the nesting depth and the size of one constant (issue 12: linear time and
# bounded memory, or a clear error). Prints Markdown tables: wall seconds,
# CPU seconds (user + system: what a loaded machine inflates least) and
# peak RSS of dc-compress alone and of dc-compress + dc-to-llvm; for the
# constants (E f32 elements, a dense_resource blob read from bytecode) also
# of reading and re-writing the bytecode. LAYERS / DEPTHS / CONSTANTS
# override the sizes ("" skips a kind; constant 250000000 is 1 GB of f32).
set -euo pipefail
cd "$(dirname "$0")/.."
B=${1:-build}
LAYERS=${LAYERS-"1000 10000 100000"}
DEPTHS=${DEPTHS-"100 1000 10000"}
CONSTANTS=${CONSTANTS-"25000000 250000000"}
CONSTANT_OPTS=${CONSTANT_OPTS:-"sparsity=0.9 bits=4"}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
measure() { # measure OUT CMD...: "wall s (CPU s), MB" of CMD, or "error"
  local out=$1
  shift
  if /usr/bin/time -f "%e %M %U %S" -o "$tmp/t" "$@" >"$out" 2>"$tmp/err"; then
    awk '{printf "%.2f s (CPU %.2f s), %d MB", $1, $3 + $4, $2 / 1024}' "$tmp/t"
    awk '{printf "%.3f %d\n", $3 + $4, $2 / 1024}' "$tmp/t" >"$tmp/last"
  else
    echo "error: $(grep -m1 error "$tmp/err" | cut -c1-80)"
  fi
}
echo "| input | dc-compress | dc-compress + dc-to-llvm |"
echo "|---|---|---|"
ratios=""
prev=""
for n in $LAYERS; do
  /usr/bin/python3 bench/scale_gen.py layers "$n" >"$tmp/in.mlir"
  a=$(measure /dev/null "$B/bin/dc-opt" "$tmp/in.mlir" --dc-compress=bits=2)
  b=$(measure /dev/null "$B/bin/dc-opt" "$tmp/in.mlir" --dc-compress=bits=2 --dc-to-llvm)
  echo "| $n layers | $a | $b |"
  # Linear time: N times the layers should cost about N times the CPU.
  read -r cpu mb <"$tmp/last" || cpu=""
  if [ -n "$prev" ] && [ -n "$cpu" ]; then
    ratios+=$(awk -v p="$prev" -v n="$n" -v c="$cpu" -v m="$mb" 'BEGIN {
      split(p, q, " "); printf "%d -> %d layers (%.1fx): dc-compress + dc-to-llvm %.1fx the CPU time, %.1fx the peak RSS\n",
        q[1], n, n / q[1], c / q[2], m / q[3] }')$'\n'
  fi
  [ -n "$cpu" ] && prev="$n $cpu $mb"
  rm -f "$tmp/last"
done
[ -n "$ratios" ] && printf '\n%s' "$ratios"
for d in $DEPTHS; do
  /usr/bin/python3 bench/scale_gen.py nesting "$d" >"$tmp/in.mlir"
  a=$(measure /dev/null "$B/bin/dc-opt" "$tmp/in.mlir" --dc-compress=bits=2)
  b=$(measure /dev/null "$B/bin/dc-opt" "$tmp/in.mlir" --dc-compress=bits=2 --dc-to-llvm)
  echo "| nesting $d | $a | $b |"
done
[ -z "$CONSTANTS" ] && exit 0
echo
echo "| constant (f32 elements) | read + write | dc-compress | dc-compress + dc-to-llvm |"
echo "|---|---|---|---|"
for e in $CONSTANTS; do
  /usr/bin/python3 bench/scale_gen.py constant "$e" >"$tmp/c.mlir"
  "$B/bin/dc-opt" "$tmp/c.mlir" -emit-bytecode -o "$tmp/c.mlirbc"
  rm -f "$tmp/c.mlir"
  a=$(measure /dev/null "$B/bin/dc-opt" "$tmp/c.mlirbc" -emit-bytecode -o /dev/null)
  b=$(measure /dev/null "$B/bin/dc-opt" "$tmp/c.mlirbc" --dc-compress="$CONSTANT_OPTS" -emit-bytecode -o /dev/null)
  c=$(measure /dev/null "$B/bin/dc-opt" "$tmp/c.mlirbc" --dc-compress="$CONSTANT_OPTS" --dc-to-llvm -emit-bytecode -o /dev/null)
  echo "| $e ($((e * 4 / 1000000)) MB) | $a | $b | $c |"
  rm -f "$tmp/c.mlirbc"
done
