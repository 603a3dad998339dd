#!/usr/bin/env bash
# fuzz-seeds.sh BUILD_FUZZ: regenerates fuzz/corpus/<target> (called by
# `scripts/fuzz.sh seeds`). MLIR targets: every `// -----` piece of the lit
# tests up to 8 KiB as text; as bytecode (written without verifying, so the
# invalid pieces are seeds too); with a pipeline-choice byte for
# fuzz_pipeline. Core targets: dc-fuzz-seeds. Each set is minimized with
# libFuzzer's -merge=1 (only inputs that add coverage are kept).
set -euo pipefail
cd "$(dirname "$0")/.."
B=$1
ninja -C "$B" dc-fuzz-seeds >/dev/null
DCOPT=${BUILD_ASAN:-build-asan}/bin/dc-opt
raw=$(mktemp -d)
mkdir -p "$raw/fuzz_ir_text" "$raw/fuzz_ir_bytecode" "$raw/fuzz_pipeline"
/usr/bin/python3 - "$raw" <<'PY'
import os, pathlib, sys
raw = sys.argv[1]
n = 0
for path in sorted(pathlib.Path("test").rglob("*.mlir")):
    for piece in path.read_text().split("// -----"):
        body = "\n".join(l for l in piece.splitlines()
                         if not l.lstrip().startswith("//"))
        if not body.strip() or len(body) > 8192:
            continue
        n += 1
        pathlib.Path(raw, "fuzz_ir_text", f"lit-{n}.mlir").write_text(body)
        pathlib.Path(raw, "fuzz_pipeline", f"lit-{n}").write_bytes(
            bytes([n % 6]) + body.encode())
PY
for f in "$raw"/fuzz_ir_text/*.mlir; do
  "$DCOPT" --mlir-very-unsafe-disable-verifier-on-parsing \
    --emit-bytecode "$f" -o "$raw/fuzz_ir_bytecode/$(basename "$f" .mlir).mlirbc" \
    2>/dev/null || true
done
"$B/bin/dc-fuzz-seeds" "$raw"
export ASAN_OPTIONS="allow_user_poisoning=0:detect_leaks=0"
for dir in "$raw"/*/; do
  t=$(basename "$dir")
  rm -rf "fuzz/corpus/$t"
  mkdir -p "fuzz/corpus/$t"
  "$B/bin/$t" -merge=1 -rss_limit_mb=3072 -timeout=60 "fuzz/corpus/$t" "$dir" \
    >/dev/null 2>&1
  echo "fuzz-seeds: $t: $(ls "$dir" | wc -l) seeds -> $(ls "fuzz/corpus/$t" | wc -l) kept"
done
rm -rf "$raw"
