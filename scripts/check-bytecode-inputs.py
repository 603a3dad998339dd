#!/usr/bin/python3
"""check-bytecode-inputs.py [BUILD]: dc-opt's input checks accept every valid
bytecode file (docs/Robustness.md).

Every `// -----` piece of test/**/*.mlir that dc-opt parses is written as
bytecode (`dc-opt --emit-bytecode`) and read back by dc-opt, which runs
dc::checkInput first: a piece that was written must read back, unless
stock mlir-opt (with the plugin, without dc's checks) rejects it too. With
--passes, each piece is also written after `--dc-compress` (compressed
payloads, dense attributes of every element type the pipeline makes).
Prints one line per failure and a summary; exits 1 on any failure."""
import os
import pathlib
import subprocess
import sys
import tempfile

root = pathlib.Path(__file__).resolve().parent.parent
args = [a for a in sys.argv[1:] if not a.startswith("--")]
build = pathlib.Path(args[0] if args else root / "build")
dcopt = str(build / "bin" / "dc-opt")
pipelines = [[]]
if "--passes" in sys.argv:
    pipelines.append(["--dc-compress"])

mlir_opt = "/usr/lib/llvm-22/bin/mlir-opt"
plugin = str(build / "lib" / "DCPlugin.so")
written = failures = upstream = 0
with tempfile.TemporaryDirectory() as tmp:
    bc = os.path.join(tmp, "piece.mlirbc")
    for test in sorted((root / "test").rglob("*.mlir")):
        if "Inputs" in test.parts:
            continue
        pieces = test.read_text(errors="replace").split("// -----")
        for n, piece in enumerate(pieces):
            for passes in pipelines:
                emit = subprocess.run(
                    [dcopt, "--allow-unregistered-dialect", "-", *passes,
                     "--emit-bytecode", "-o", bc],
                    input=piece.encode(), capture_output=True, timeout=300)
                if emit.returncode != 0:
                    continue  # an invalid piece (a diagnostics test)
                written += 1
                back = subprocess.run(
                    [dcopt, "--allow-unregistered-dialect", bc, "-o",
                     os.devnull], capture_output=True, timeout=300)
                if back.returncode == 0:
                    continue
                rel = test.relative_to(root)
                err = back.stderr.decode(errors="replace").strip()
                err = err.splitlines()[0] if err else str(back.returncode)
                # Stock mlir-opt with the plugin reads bytecode without
                # dc's checks: if it rejects the file too, the upstream
                # writer made a file its reader rejects (not dc's doing).
                stock = subprocess.run(
                    [mlir_opt, "--load-dialect-plugin=" + plugin,
                     "--allow-unregistered-dialect", bc, "-o", os.devnull],
                    capture_output=True, timeout=300)
                if stock.returncode != 0:
                    upstream += 1
                    print(f"upstream {rel} piece {n} {' '.join(passes)}: "
                          f"{err}")
                    continue
                failures += 1
                print(f"FAIL {rel} piece {n} {' '.join(passes)}: {err}")
print(f"check-bytecode-inputs: {written} bytecode files written, "
      f"{failures} rejected by dc-opt and read by stock mlir-opt, "
      f"{upstream} rejected by both")
sys.exit(1 if failures else 0)
