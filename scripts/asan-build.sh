#!/usr/bin/env bash
# asan-build.sh TARGET...: configures build-asan/ (clang-22, ASan + UBSan +
# libFuzzer's coverage instrumentation, -O1, no Python module) if needed and
# builds TARGETs. One instrumented build serves both `make check-sanitize`
# (lit and gtest under ASan+UBSan) and `make fuzz` (build-fuzz/ links its
# fuzz targets against these libraries), so the tree is compiled once.
set -euo pipefail
cd "$(dirname "$0")/.."
B=${BUILD_ASAN:-build-asan}
JOBS=${JOBS:-$(nproc)}
SAN="-fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer"
if [ ! -f "$B/build.ninja" ]; then
  cmake -G Ninja -S . -B "$B" \
    -DCMAKE_C_COMPILER=clang-22 -DCMAKE_CXX_COMPILER=clang++-22 \
    -DCMAKE_BUILD_TYPE=Release \
    -DCMAKE_C_FLAGS_RELEASE="-O1 -DNDEBUG" \
    -DCMAKE_CXX_FLAGS_RELEASE="-O1 -DNDEBUG" \
    -DCMAKE_C_FLAGS="$SAN" -DCMAKE_CXX_FLAGS="$SAN" \
    -DCMAKE_EXE_LINKER_FLAGS="$SAN" -DCMAKE_SHARED_LINKER_FLAGS="$SAN" \
    -DCMAKE_MODULE_LINKER_FLAGS="$SAN" \
    -DDC_ENABLE_PYTHON=OFF >/dev/null
fi
ninja -C "$B" -j "$JOBS" "$@"
