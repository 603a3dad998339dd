#!/usr/bin/env bash
# make check-sanitize: the C++ tree built with ASan+UBSan (clang-22, -O1)
# into build-asan/ (scripts/asan-build.sh), then the lit and gtest suites
# run under it. Only the targets the suites need are built (no Python
# module). Stock mlir-opt is not
# instrumented: the lit suite preloads the ASan runtime into it for the
# plugin tests (DC_PLUGIN_PRELOAD, see test/lit.cfg.py). allow_user_poisoning=0
# because dc's instrumented code inlines LLVM's BumpPtrAllocator, whose
# poisoning the uninstrumented libMLIR.so does not know about.
set -euo pipefail
cd "$(dirname "$0")/.."
B=${BUILD_ASAN:-build-asan}
JOBS=${JOBS:-$(nproc)}
./scripts/asan-build.sh dc-opt dc-lsp-server DCPlugin DCCoreTests

export ASAN_OPTIONS="allow_user_poisoning=0:detect_leaks=1:abort_on_error=0:${ASAN_OPTIONS:-}"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1:${UBSAN_OPTIONS:-}"
export DC_PLUGIN_PRELOAD="$(clang-22 -print-file-name=libclang_rt.asan-x86_64.so)"
"$B/bin/DCCoreTests" --gtest_brief=1
/usr/lib/llvm-22/bin/lit -sv -j "$JOBS" "$B/test"
