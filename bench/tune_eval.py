"""Compile a module through dc and measure it on a labelled set (docs/Autotune.md).

usage: /usr/bin/python3 bench/tune_eval.py MODULE.mlir INPUTS.npy LABELS.npy
           [--compress OPTIONS] [--dense] [--reference REF.mlir]

Compiles MODULE with ``dc-opt --dc-compress=report=R OPTIONS --dc-to-llvm`` (its own
``dc.config`` per layer wins over OPTIONS), or without --dc-compress with --dense, runs it
on INPUTS and prints accuracy, bytes_dense, bytes_pqh and ratio as one JSON line; with
--reference, also the relative output error against REF compiled dense.
"""

import argparse
import json
import os
import sys
import tempfile

import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "python"))


def run(path, x, flags, workdir):
    from deep_compression import runtime, tune
    so = runtime.compile_mlir(path, workdir, tool=tune.dc_opt_path(), flags=flags,
                              name="m%d" % len(os.listdir(workdir)))
    with open(path) as f:
        head = f.read(1 << 20)
    m = runtime.load_compiled(so, head)
    return m.predict(x.reshape((-1,) + m.input_shape[1:]))


def main():
    from deep_compression import tune
    ap = argparse.ArgumentParser()
    ap.add_argument("module")
    ap.add_argument("inputs")
    ap.add_argument("labels")
    ap.add_argument("--compress", default="")
    ap.add_argument("--dense", action="store_true")
    ap.add_argument("--reference", default=None)
    args = ap.parse_args()
    x = np.load(args.inputs).astype(np.float32)
    labels = np.load(args.labels)
    with tempfile.TemporaryDirectory() as w:
        rep = os.path.join(w, "report.json")
        flags = ["--dc-to-llvm"] if args.dense else \
            ["--dc-compress=report=%s %s" % (rep, args.compress), "--dc-to-llvm"]
        y = run(args.module, x, flags, w)
        out = {"module": args.module, "options": "dense" if args.dense else args.compress,
               "accuracy": tune.accuracy(y, labels), "images": int(len(labels))}
        if not args.dense:
            with open(rep) as f:
                total = json.load(f)["total"]
            out.update(bytes_dense=total["bytes_dense"], bytes_pqh=total["bytes_pqh"],
                       ratio=total["bytes_dense"] / total["bytes_pqh"])
        if args.reference:
            out["output_error"] = tune.output_error(y, run(args.reference, x, ["--dc-to-llvm"],
                                                           w))
    print(json.dumps(out))


if __name__ == "__main__":
    main()
