#!/usr/bin/env python3
"""check-diagnostics.py: every diagnostic dc emits has a test.

Finds each emitError / emitOpError / emitWarning call in lib/ and tools/
with a leading string literal (`emitOpError("text...` or
`emitError() << "text...`) and looks for that text (its longest run
without format arguments, at least 12 characters) in the expected-error /
expected-warning lines and CHECK lines of test/ and in the gtests of
unittests/. Messages built only from variables cannot be matched and are
counted separately. Diagnostics without a test are listed; the check fails
when one is not in scripts/diagnostics-untested.txt (the known gaps, to
shrink over time) or when a listed one now has a test (remove it then).
Run by `make check` (`make check-diagnostics`)."""
import pathlib
import re
import sys

root = pathlib.Path(__file__).resolve().parent.parent
call = re.compile(
    r'emit(?:Op)?(?:Error|Warning)\s*\(\s*(?:\)\s*<<\s*)?"((?:[^"\\]|\\.)*)"')
sources = sorted(
    p for d in ("lib", "tools") for p in (root / d).rglob("*.cpp"))
tests = "\n".join(
    p.read_text(errors="replace")
    for d in ("test", "unittests") for p in (root / d).rglob("*")
    if p.is_file() and p.suffix in (".mlir", ".test", ".cpp", ".py"))
# What tests can match: expected-* texts, CHECK lines, gtest expectations.
expected = "\n".join(
    line for line in tests.splitlines()
    if "expected-" in line or "CHECK" in line or "containsText" in line
    or "EXPECT" in line or "error:" in line)

found, untested = 0, []
for path in sources:
    text = path.read_text(errors="replace")
    for m in call.finditer(text):
        literal = m.group(1).replace('\\"', '"').replace("\\n", "\n")
        pieces = [p for p in re.split(r"'\s*$|^\s*'|%|\n", literal)]
        key = max(pieces, key=len).strip(" '")
        if len(key) < 12:
            continue
        found += 1
        if key not in expected:
            line = text.count("\n", 0, m.start()) + 1
            untested.append("%s: %s" % (path.relative_to(root), key))

known_path = root / "scripts" / "diagnostics-untested.txt"
known = set()
if known_path.exists():
    known = {l.strip() for l in known_path.read_text().splitlines()
             if l.strip() and not l.startswith("#")}
# Compare without line numbers: messages move.
new = sorted(set(untested) - known)
fixed = sorted(known - set(untested))
print("check-diagnostics: %d diagnostics with a literal message, %d with a "
      "test, %d known untested" % (found, found - len(untested), len(known)))
for u in new:
    print("  no test:", u)
for f in fixed:
    print("  now tested (remove from %s): %s" % (known_path.name, f))
sys.exit(1 if new or fixed else 0)
