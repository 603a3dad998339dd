"""Per-channel against per-layer codebooks on a trained, BatchNorm-folded network
(docs/Autotune.md, "Real weights"): relative weight error and accuracy of the compiled model.

usage: /usr/bin/python3 bench/tune_codebooks.py DIR [--bits 3,4,5,6,8] [--index-bits 4]
           [--sparsity S] [--init optimal]

DIR is bench/tune_resnet_fashion.py's output (resnet_fashion.onnx, test.npy,
test_labels.npy). The model is imported with a batch of 100; for each width and
``codebook`` in (layer, channel) it is compiled with
``dc-opt --dc-compress="bits=B index-bits=I init=... codebook=C report=R" --dc-to-llvm`` and
run on the 10,000 test images. Prints one markdown row per setting: bytes_pqh (ratio),
the report's relative weight error (whole model, ||w - w_hat|| / ||w|| over every layer;
and the mean of the layers' own), the test accuracy and its drop from the dense compiled
model.
"""

import argparse
import json
import os
import sys
import tempfile
import time

import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "python"))
sys.path.insert(0, os.path.join(ROOT, "bench"))


def main():
    import tune_eval
    from deep_compression import onnx_import, tune
    ap = argparse.ArgumentParser()
    ap.add_argument("dir")
    ap.add_argument("--bits", default="3,4,5,6,8")
    ap.add_argument("--index-bits", type=int, default=4)
    ap.add_argument("--sparsity", type=float, default=None)
    ap.add_argument("--init", default="optimal")
    args = ap.parse_args()
    mlir = os.path.join(args.dir, "resnet_fashion.mlir")
    if not os.path.exists(mlir):
        with open(mlir, "w") as f:
            f.write(onnx_import.import_onnx(os.path.join(args.dir, "resnet_fashion.onnx"),
                                            {"input": [100, 1, 28, 28]}))
    x = np.load(os.path.join(args.dir, "test.npy")).astype(np.float32)
    labels = np.load(os.path.join(args.dir, "test_labels.npy"))
    print("| bits | codebook | bytes_pqh (ratio) | rel. weight error (model) | mean of layers' "
          "| test accuracy | drop (points) |")
    print("|---|---|---|---|---|---|---|")
    with tempfile.TemporaryDirectory() as w:
        dense_acc = tune.accuracy(tune_eval.run(mlir, x, ["--dc-to-llvm"], w), labels)
        print("| - | (dense) | - | - | - | %.2f%% | - |" % (100 * dense_acc))
        for bits in [int(b) for b in args.bits.split(",")]:
            for cb in ("layer", "channel"):
                t = time.time()
                rep = os.path.join(w, "r%d%s.json" % (bits, cb))
                opts = "bits=%d index-bits=%d init=%s codebook=%s report=%s" % (
                    bits, args.index_bits, args.init, cb, rep)
                if args.sparsity is not None:
                    opts += " sparsity=%g" % args.sparsity
                y = tune_eval.run(mlir, x, ["--dc-compress=" + opts, "--dc-to-llvm"], w)
                with open(rep) as f:
                    r = json.load(f)
                acc = tune.accuracy(y, labels)
                tot = r["total"]
                mean = np.mean([l["rel_error"] for l in r["layers"]])
                print("| %d | %s | %d (%.1fx) | %.4f | %.4f | %.2f%% | %.2f |  (%.0fs)" % (
                    bits, cb, tot["bytes_pqh"], tot["bytes_dense"] / tot["bytes_pqh"],
                    tot["rel_error"], mean, 100 * acc, 100 * (dense_acc - acc),
                    time.time() - t), flush=True)


if __name__ == "__main__":
    main()
