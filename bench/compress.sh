#!/bin/sh
# Benchmark of dc-compress on VGG-16's weight shapes (not a timed test).
# usage: bench/compress.sh [BUILD_DIR] [SCALE]   (SCALE 1 = 138M weights)
# Prints wall time, peak RSS and weights/s of `dc-opt --dc-compress` with the
# paper's VGG-16 settings next to the time dc-opt takes to read and re-emit
# the same bytecode module. Goals: <= 5x the read-write time, peak RSS <= 3x
# the raw weight bytes.
set -e
BUILD=${1:-build}
SCALE=${2:-1}
DCOPT=$BUILD/bin/dc-opt
DIR=${TMPDIR:-/tmp}/dc-bench-compress
mkdir -p "$DIR"
HERE=$(dirname "$0")
/usr/bin/python3 "$HERE/compress_gen.py" "$DIR/vgg16.mlir" --scale "$SCALE"
"$DCOPT" "$DIR/vgg16.mlir" -emit-bytecode -o "$DIR/vgg16.mlirbc"
rm -f "$DIR/vgg16.mlir"
WEIGHT_BYTES=$(stat -c %s "$DIR/vgg16.mlirbc")

measure() { # label, command...
  label=$1; shift
  /usr/bin/time -v "$@" 2> "$DIR/time.txt" > /dev/null
  wall=$(sed -n 's/.*Elapsed (wall clock) time (h:mm:ss or m:ss): //p' "$DIR/time.txt")
  rss=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$DIR/time.txt")
  secs=$(echo "$wall" | awk -F: '{ s = 0; for (i = 1; i <= NF; i++) s = s * 60 + $i; print s }')
  echo "$label: wall ${secs}s, peak RSS $((rss / 1024)) MiB"
  eval "${label}_secs=$secs"
  eval "${label}_rss=$rss"
}

OPTS="conv-bits=8 fc-bits=5 index-bits=5 report=$DIR/report.json"
measure readwrite "$DCOPT" "$DIR/vgg16.mlirbc" -emit-bytecode -o "$DIR/rw.mlirbc"
measure compress "$DCOPT" "$DIR/vgg16.mlirbc" "--dc-compress=$OPTS" -emit-bytecode -o "$DIR/out.mlirbc"
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
