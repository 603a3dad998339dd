#!/usr/bin/env bash
# The libFuzzer targets of fuzz/ (docs/Robustness.md).
#   fuzz.sh smoke     `make fuzz`: builds build-fuzz/, runs every target a
#                     fixed number of runs with a fixed seed over the corpus
#                     in fuzz/corpus (deterministic; inside `make check`).
#   fuzz.sh long [S]  `make fuzz-long`: every target (or FUZZ_TARGETS) for
#                     S seconds (default 3600) at nice 19 on one core, in
#                     fork mode so findings do not end the run, growing the
#                     working corpus build-fuzz/corpus/; classifies the
#                     findings (fuzz-triage.py) and appends one row per
#                     target to docs/Robustness.md.
#   fuzz.sh seeds     regenerates fuzz/corpus from the lit tests and the
#                     core seed generator, minimized with -merge=1.
#   fuzz.sh minimize  merges the working corpus into fuzz/corpus (minimal).
# Crashes are written to build-fuzz/crashes/<target>/.
set -euo pipefail
cd "$(dirname "$0")/.."
B=${BUILD_FUZZ:-build-fuzz}
JOBS=${JOBS:-$(nproc)}
CORE="fuzz_huffman_decode fuzz_relative_index fuzz_compressed_tensor fuzz_encode_roundtrip fuzz_ans_decode"
MLIR="fuzz_ir_text fuzz_ir_bytecode fuzz_pipeline"
TARGETS="$CORE $MLIR"
export ASAN_OPTIONS="allow_user_poisoning=0:detect_leaks=0:${ASAN_OPTIONS:-}"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1:${UBSAN_OPTIONS:-}"

# Runs per target in the smoke. dc's own decoders and encoders: 200,000
# mutations with seed 1. The MLIR targets (text, bytecode, pipeline) replay
# their corpus (every input once, -runs=0), without mutations: mutating them
# soon reaches crashes inside the upstream MLIR readers (docs/Robustness.md,
# "What remains upstream", reproducers in fuzz/upstream/), and which one a
# seed reaches changes with every build's coverage, so mutations would make
# `make check` fail on upstream bugs at random. `make fuzz-long` mutates them.
smoke_runs() {
  case $1 in
    fuzz_pipeline|fuzz_ir_text|fuzz_ir_bytecode) echo 0 ;;
    *) echo 200000 ;;
  esac
}

# The fuzz targets link the instrumented libraries of build-asan/ (built
# with -fsanitize=fuzzer-no-link,address,undefined: scripts/asan-build.sh);
# build-fuzz/ is the small project of fuzz/ on top of them.
build() {
  ./scripts/asan-build.sh DCRegistration DCSupport DCCore dc-opt
  if [ ! -f "$B/build.ninja" ]; then
    cmake -G Ninja -S fuzz -B "$B" \
      -DCMAKE_C_COMPILER=clang-22 -DCMAKE_CXX_COMPILER=clang++-22 \
      -DDC_ASAN_BUILD="$PWD/${BUILD_ASAN:-build-asan}" >/dev/null
  fi
  ninja -C "$B" -j "$JOBS" dc-fuzzers
}

# run TARGET WORKDIR ARGS...: new inputs go to WORKDIR, never into the repo.
run() {
  local t=$1 work=$2
  shift 2
  mkdir -p "$work" "$B/crashes/$t" "fuzz/corpus/$t"
  "$B/bin/$t" -artifact_prefix="$B/crashes/$t/" -rss_limit_mb=3072 \
    -timeout=60 -print_final_stats=1 "$@" "$work" "fuzz/corpus/$t"
}

case ${1:-smoke} in
smoke)
  build
  for t in $TARGETS; do
    tmp=$(mktemp -d)
    echo "fuzz: $t ($(smoke_runs "$t") runs, seed 1)"
    if ! run "$t" "$tmp" -seed=1 -runs="$(smoke_runs "$t")" >"$tmp.log" 2>&1; then
      tail -40 "$tmp.log"
      echo "fuzz: $t FAILED (input in $B/crashes/$t/)"
      exit 1
    fi
    grep -E "^(Done|stat::number_of_executed_units)" "$tmp.log" | head -2
    rm -rf "$tmp" "$tmp.log"
  done
  ;;
long)
  build
  seconds=${2:-3600}
  commit=$(git rev-parse --short HEAD)
  # -fork=1 -ignore_crashes=1: a finding does not end the run (the MLIR
  # targets reach upstream reader crashes within minutes, which would stop
  # them long before their hour); every artifact is kept and classified by
  # scripts/fuzz-triage.py as a dc finding or an upstream one.
  for t in ${FUZZ_TARGETS:-$TARGETS}; do
    log=$B/long-$t.log
    mkdir -p "$B/corpus/$t" "$B/crashes/$t"
    before=$(ls "$B/crashes/$t" | wc -l)
    /usr/bin/time -f "%U %S" -o "$B/long-$t.time" nice -n 19 \
      "$B/bin/$t" -fork=1 -ignore_crashes=1 -artifact_prefix="$B/crashes/$t/" \
      -rss_limit_mb=3072 -timeout=60 -max_total_time="$seconds" \
      "$B/corpus/$t" "fuzz/corpus/$t" >"$log" 2>&1 || true
    execs=$(sed -n 's/^#\([0-9]*\): cov:.*/\1/p' "$log" | tail -1)
    cpu=$(awk '{printf "%.0f", $1 + $2}' "$B/long-$t.time")
    result="no finding"
    if [ "$(ls "$B/crashes/$t" | wc -l)" -gt "$before" ]; then
      tri=$B/triage-$t.txt
      if /usr/bin/python3 scripts/fuzz-triage.py "$B" "$t" >"$tri"; then
        result="no dc finding; upstream: $(awk -F'\t' '{n += $3} END {print n}' "$tri") artifacts in $(wc -l <"$tri") signatures ($tri)"
      else
        result="DC FINDING ($tri)"
      fi
    fi
    echo "| $t | ${execs:-0} | $cpu | $(date -u +%Y-%m-%d) | $commit | $result |" \
      | tee -a docs/Robustness.md
  done
  ;;
seeds)
  build
  ./scripts/fuzz-seeds.sh "$B"
  ;;
minimize)
  build
  for t in $TARGETS; do
    new=$(mktemp -d)
    "$B/bin/$t" -merge=1 -rss_limit_mb=3072 -timeout=60 "$new" \
      "fuzz/corpus/$t" "$B/corpus/$t" >/dev/null 2>&1
    rm -rf "fuzz/corpus/$t"
    mv "$new" "fuzz/corpus/$t"
    echo "fuzz: $t corpus: $(ls "fuzz/corpus/$t" | wc -l) inputs"
  done
  ;;
*)
  echo "usage: fuzz.sh smoke|long [seconds]|seeds|minimize" >&2
  exit 2
  ;;
esac
