#!/usr/bin/env python3
"""Checks a dc storage report against the IR it describes.

usage: check_report.py REPORT.json OUTPUT.mlir [--field bytes_pqh]
                       [--pq-range LO HI]

For every dc.constant of OUTPUT.mlir, the byte sizes of its payload
attributes (values, codebook, pointers, gaps, value/gap code lengths) must
add up to the layer's `field` in the report (bytes_pqh by default; with
entropy=none bytes_pq too), and the total must be the sum of the layers.
With --pq-range, the total bytes_pq / bytes_dense must lie in [LO, HI].
Prints OK on success, else the mismatches, and exits 1.
"""
import json
import re
import sys

SIZES = {"i8": 1, "i32": 4, "f32": 4}
PAYLOAD = re.compile(
    r"\b(values|codebook|pointers|gaps|value_code_lengths|gap_code_lengths)"
    r" = dense(?:_resource)?<[^>]*> : tensor<(\d+)x(i8|i32|f32)>")


def main(argv):
    report = json.load(open(argv[1]))
    field = "bytes_pqh"
    pq_range = None
    args = argv[3:]
    while args:
        if args[0] == "--field":
            field, args = args[1], args[2:]
        elif args[0] == "--pq-range":
            pq_range, args = (float(args[1]), float(args[2])), args[3:]
        else:
            raise SystemExit("unknown argument " + args[0])
    ir_sizes = {}
    for line in open(argv[2]):
        if "dc.constant" not in line:
            continue
        name = re.search(r'dc\.layer = "([^"]*)"', line).group(1)
        ir_sizes[name] = sum(
            int(n) * SIZES[t] for _, n, t in PAYLOAD.findall(line))
    errors = []
    layers = {layer["name"]: layer for layer in report["layers"]}
    if set(layers) != set(ir_sizes):
        errors.append("layers differ: %s vs %s" %
                      (sorted(layers), sorted(ir_sizes)))
    for name, size in ir_sizes.items():
        if name in layers and layers[name][field] != size:
            errors.append("%s: %s = %d, IR payloads = %d bytes" %
                          (name, field, layers[name][field], size))
    total = report["total"]
    for key in ("weights", "nonzeros", "fillers", "bytes_dense", "bytes_pq",
                "bytes_pqh"):
        if total[key] != sum(layer[key] for layer in report["layers"]):
            errors.append("total %s is not the sum of the layers" % key)
    if pq_range:
        fraction = total["bytes_pq"] / total["bytes_dense"]
        print("bytes_pq / bytes_dense = %.4f" % fraction)
        if not pq_range[0] <= fraction <= pq_range[1]:
            errors.append("bytes_pq / bytes_dense = %.4f not in [%g, %g]" %
                          (fraction, pq_range[0], pq_range[1]))
    for error in errors:
        print("error:", error)
    if errors:
        return 1
    print("OK %d layers" % len(ir_sizes))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
