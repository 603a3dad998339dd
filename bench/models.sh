#!/usr/bin/env bash
# Whole models: dc compressed, dc uncompressed, PyTorch eager and
# onnxruntime-node on the same pruned weights, batch 1 and 64, one and two
# threads, warm and cold medians, object size and peak RSS (bench/models.py
# says how each is measured). Usage: bench/models.sh [BUILD_DIR] [models.py options]
# e.g. bench/models.sh build --models lenet300,lenet5 --threads 1
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
BUILD="${1:-build}"
shift || true
NAME=bench/models.sh
. "$ROOT/bench/ort-env.sh"
exec /usr/bin/python3 "$ROOT/bench/models.py" "$BUILD" "$@"
