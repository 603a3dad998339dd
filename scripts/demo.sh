#!/usr/bin/env bash
# The dc demo. Usage: scripts/demo.sh [BUILD_DIR]   (default: build)
#
# 1. A compressed layer (examples/compressed_layer.mlir): y = W x with W
#    pruned, codebook-shared and Huffman-coded, next to the same layer with
#    dense weights, compiled with dc-opt --dc-to-llvm and run in mlir-runner.
# 2. The MNIST experiment of the Python front end (LeNet-300-100 trained on
#    the paper's 60,000 digits, tested on its 10,000; goals: >= 40x, at most
#    0.1 points above the baseline, on the compiled model). The LeNet-5 one:
#    cd python && DC_BUILD_DIR=../build /usr/bin/python3 -m deep_compression
#    experiment --model lenet5 --dc-opt-required --max-loss 0.001 --min-ratio 39
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BUILD="${1:-build}"
case "$BUILD" in /*) ;; *) BUILD="$ROOT/$BUILD" ;; esac
LLVM_BIN=/usr/lib/llvm-22/bin
LLVM_LIB=/usr/lib/llvm-22/lib
DC_OPT="$BUILD/bin/dc-opt"
RUNNER_LIBS="$LLVM_LIB/libmlir_c_runner_utils.so,$LLVM_LIB/libmlir_runner_utils.so"

if [[ ! -x "$DC_OPT" ]]; then
  echo "demo: $DC_OPT not found; build first (make build)" >&2
  exit 1
fi

echo "== 1. A compressed fully connected layer (examples/compressed_layer.mlir)"
echo "   dc-opt --dc-to-llvm | mlir-runner"
OUT="$("$DC_OPT" --dc-to-llvm "$ROOT/examples/compressed_layer.mlir" |
  "$LLVM_BIN/mlir-runner" -e main -entry-point-result=void \
    -shared-libs="$RUNNER_LIBS")"
echo "$OUT" | grep -v '^Unranked Memref'
COMPRESSED="$(echo "$OUT" | sed -n '/^compressed/,/^dense/p' | grep '^\[')"
DENSE="$(echo "$OUT" | sed -n '/^dense/,$p' | grep '^\[')"
if [[ -z "$COMPRESSED" || "$COMPRESSED" != "$DENSE" ]]; then
  echo "demo: the compressed and the dense layer disagree" >&2
  exit 1
fi
echo "   compressed and dense results are identical"

echo
echo "== 2. LeNet-300-100 on MNIST (60,000 training / 10,000 test digits): train,"
echo "   prune + retrain, share weights, compile with dc-opt --dc-compress --dc-to-llvm,"
echo "   evaluate the compiled model (writes $BUILD/demo/report.json and the plots)"
cd "$ROOT/python"
DC_BUILD_DIR="$BUILD" /usr/bin/python3 -m deep_compression experiment \
  --model lenet300 --dc-opt-required --max-loss 0.001 --min-ratio 40
