#!/usr/bin/env bash
# Runs every benchmark against one build: bench/run-all.sh [BUILD_DIR]
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
BUILD="${1:-build}"
case "$BUILD" in /*) ;; *) BUILD="$ROOT/$BUILD" ;; esac
echo "== bench/gemv.sh: kernels vs OpenBLAS, MLIR sparsifier, decompress-then-dense"
BUILD="$BUILD" "$ROOT/bench/gemv.sh"
echo
echo "== bench/membw.sh: what two threads can gain on this machine (read bandwidth, FMA)"
"$ROOT/bench/membw.sh"
echo
echo "== bench/density.sh: every density, cost model vs forced layouts vs OpenBLAS"
BUILD="$BUILD" "$ROOT/bench/density.sh"
echo
echo "== bench/compress.sh: dc-compress on VGG-16's weight shapes"
"$ROOT/bench/compress.sh" "$BUILD"
echo
echo "== bench/models.sh: whole models, dc vs PyTorch eager vs onnxruntime"
"$ROOT/bench/models.sh" "$BUILD"
echo
echo "== bench/ops.sh: one-op ONNX models (the convnets' glue), dc vs onnxruntime"
"$ROOT/bench/ops.sh" "$BUILD"
