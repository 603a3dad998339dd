#!/usr/bin/env bash
# One-op ONNX models (the glue ops of mobilenet_v2 and resnet18 at their
# shapes) through dc (dense, and compressed for ops with a weight) and
# onnxruntime-node in the same run; prints a table with dc/ort per op
# (bench/ops.py says how each is measured; onnxruntime by its profiler, bench/ops_ort.js).
# Usage: bench/ops.sh [BUILD_DIR] [ops.py options], e.g.
#   bench/ops.sh build --ops dwconv3x3_c32_48_s1,relu_144x24x24 --variants dc-dense,ort
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
BUILD="${1:-build}"
shift || true
NAME=bench/ops.sh
. "$ROOT/bench/ort-env.sh"
exec /usr/bin/python3 "$ROOT/bench/ops.py" "$BUILD" "$@"
