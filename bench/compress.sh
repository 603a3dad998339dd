#!/bin/sh
# Benchmark of dc-compress on VGG-16's weight shapes (not a timed test).
# usage: bench/compress.sh [BUILD_DIR] [SCALE] [REPEAT]
#   (SCALE 1 = 138M weights; each command runs REPEAT times, default 3, and
#   the fastest run is reported, with the RSS of that run)
# Prints wall time, peak RSS and weights/s of `dc-opt --dc-compress` with the
# paper's VGG-16 settings next to the time dc-opt takes to read and re-emit
# the same bytecode module. Goals: <= 5x the read-write time, peak RSS <= 3x
# the raw weight bytes. The load average is printed before each run: on a
# shared machine, compare runs at similar load. Set KEEP=1 to reuse the
# generated module of a previous run at the same scale.
set -e
BUILD=${1:-build}
SCALE=${2:-1}
REPEAT=${3:-3}
DCOPT=$BUILD/bin/dc-opt
DIR=${TMPDIR:-/tmp}/dc-bench-compress
mkdir -p "$DIR"
HERE=$(dirname "$0")
if [ "${KEEP:-0}" != 1 ] || [ ! -f "$DIR/vgg16-$SCALE.mlirbc" ]; then
  /usr/bin/python3 "$HERE/compress_gen.py" "$DIR/vgg16.mlir" --scale "$SCALE"
  "$DCOPT" "$DIR/vgg16.mlir" -emit-bytecode -o "$DIR/vgg16-$SCALE.mlirbc"
  rm -f "$DIR/vgg16.mlir"
fi
INPUT="$DIR/vgg16-$SCALE.mlirbc"

measure() { # label, command...
  label=$1; shift
  best_secs=""; best_rss=""
  i=0
  while [ "$i" -lt "$REPEAT" ]; do
    i=$((i + 1))
    load=$(cut -d' ' -f1 /proc/loadavg)
    /usr/bin/time -v "$@" 2> "$DIR/time.txt" > /dev/null
    wall=$(sed -n 's/.*Elapsed (wall clock) time (h:mm:ss or m:ss): //p' "$DIR/time.txt")
    rss=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$DIR/time.txt")
    secs=$(echo "$wall" | awk -F: '{ s = 0; for (i = 1; i <= NF; i++) s = s * 60 + $i; print s }')
    echo "  $label run $i: wall ${secs}s, peak RSS $((rss / 1024)) MiB (load $load)"
    if [ -z "$best_secs" ] || awk "BEGIN { exit !($secs < $best_secs) }"; then
      best_secs=$secs; best_rss=$rss
    fi
  done
  echo "$label: wall ${best_secs}s, peak RSS $((best_rss / 1024)) MiB (best of $REPEAT)"
  eval "${label}_secs=$best_secs"
  eval "${label}_rss=$best_rss"
}

OPTS="conv-bits=8 fc-bits=5 index-bits=5 report=$DIR/report.json"
echo "nproc $(nproc), load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
measure readwrite "$DCOPT" "$INPUT" -emit-bytecode -o "$DIR/rw.mlirbc"
measure compress "$DCOPT" "$INPUT" "--dc-compress=$OPTS" -emit-bytecode -o "$DIR/out.mlirbc"
WEIGHTS=$(/usr/bin/python3 -c "import json; print(json.load(open('$DIR/report.json'))['total']['weights'])")
/usr/bin/python3 - "$DIR/report.json" <<PY
import json, sys
t = json.load(open(sys.argv[1]))["total"]
w = $WEIGHTS
print("weights: %d (%.1f MB f32), kept %.2f%%" % (w, w * 4 / 1e6, 100.0 * t["nonzeros"] / w))
print("compressed: bytes_pq %.2f%% (%.1fx), bytes_pqh %.2f%% (%.1fx)" % (
    100.0 * t["bytes_pq"] / t["bytes_dense"], t["ratio_pq"],
    100.0 * t["bytes_pqh"] / t["bytes_dense"], t["ratio_pqh"]))
print("weights/s: %.3g" % (w / max($compress_secs, 1e-9)))
print("time vs read-write: %.2fx (goal <= 5x)" % ($compress_secs / max($readwrite_secs, 1e-9)))
print("peak RSS vs weight bytes: %.2fx (goal <= 3x)" % ($compress_rss * 1024.0 / (w * 4)))
PY
