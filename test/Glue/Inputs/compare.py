"""Compares the numbers printed by two mlir-runner runs (printMemrefF32).

usage: compare.py VECTORIZED REFERENCE [REL_TOL]
Prints `ok N` (N numbers compared) when every number matches within
REL_TOL x max|reference| (default 1e-5), else `mismatch` with the worst one.
"""
import re
import sys

NUM = re.compile(r"-?(?:\d+\.?\d*(?:e[-+]?\d+)?|inf|nan)", re.I)


def numbers(path):
    out = []
    for line in open(path):
        if "data =" in line:
            line = line.split("data =", 1)[1]
        elif line.startswith("Unranked Memref") or line.startswith("Memref"):
            continue
        out += [float(x) for x in NUM.findall(line)]
    return out


a, b = numbers(sys.argv[1]), numbers(sys.argv[2])
tol = float(sys.argv[3]) if len(sys.argv) > 3 else 1e-5
if len(a) != len(b) or not a:
    print("mismatch: %d vs %d numbers" % (len(a), len(b)))
    sys.exit(1)
scale = max(abs(x) for x in b) or 1.0
worst = max(range(len(a)), key=lambda i: abs(a[i] - b[i]))
if abs(a[worst] - b[worst]) > tol * scale:
    print("mismatch at %d: %r vs %r" % (worst, a[worst], b[worst]))
    sys.exit(1)
print("ok %d" % len(a))
