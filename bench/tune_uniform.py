"""The smallest *uniform* setting (every layer the same sparsity, codebook width, index width
and codebook granularity) that meets an output-error budget, on a wider grid than `tune`'s
uniform baseline: codebook widths beyond 8 bits (the encoding takes 1..16), low sparsities,
and per-channel codebooks (docs/Benchmarks.md, "Search").

usage: /usr/bin/python3 bench/tune_uniform.py MODEL CALIBRATION.npy [--max-output-error 0.01]
           [--sparsities 0,0.1,0.2,0.3] [--bits 8,9,10] [--index-bits 3]
           [--codebooks layer,channel] [--workers 2]

Every setting is a reconstructed trial (deep_compression/tune_fast.py: the weights dc-compress
would reconstruct, run through the weights-as-arguments model); the smallest setting meeting
the budget is then compiled through dc (the compressed model, `tune.trial_job`) and its
measured error and bytes_pqh are printed. Per-channel settings are only tried at widths every
layer can execute (channels x 2^bits <= 2^16, tune.max_channel_bits). Run from the repo root
with DC_BUILD_DIR set (or build/).
"""

import argparse
import json
import os
import sys
import tempfile
import time

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "python"))

from deep_compression import tune, tune_fast  # noqa: E402


def floats(s):
    return [float(v) for v in s.split(",") if v]


def ints(s):
    return [int(v) for v in s.split(",") if v]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("model")
    ap.add_argument("calibration")
    ap.add_argument("--max-output-error", type=float, default=0.01)
    ap.add_argument("--sparsities", type=floats, default=[0, 0.1, 0.2, 0.3])
    ap.add_argument("--bits", type=ints, default=[8, 9, 10])
    ap.add_argument("--index-bits", type=ints, default=[3])
    ap.add_argument("--codebooks", default="layer,channel")
    ap.add_argument("--workers", type=int, default=2)
    args = ap.parse_args()
    t0 = time.time()
    x = np.load(args.calibration).astype(np.float32)
    tool = tune.dc_opt_path()
    text = tune.load_module(args.model, x)
    workdir = tempfile.mkdtemp(prefix="dc-uniform-")
    template, names, tpath = tune.tag_layers(text, workdir, tool)
    L = len(names)
    inputs = os.path.join(workdir, "inputs.npy")
    np.save(inputs, x)
    fields = tune_fast.prepare(template, workdir, tool)
    reference = os.path.join(workdir, "reference.npy")
    np.save(reference, tune_fast.dense_outputs(fields, x))
    executor, close, parallel = tune.make_executor(None, args.workers)
    job = dict(fields, template=tpath, workdir=workdir, dc_opt=tool, head=template[:1 << 20],
               inputs=inputs, reference=reference)
    runner = tune.Runner(executor, job, print, parallel)
    dense = runner.run(tune.size_job, [[None] * L], "size")[0]["layers"]
    job["names"] = names
    job["bytes_dense"] = [dense[n]["bytes_dense"] for n in names]
    runner.base = job
    ch_bits = min(tune.max_channel_bits(dense[n]["shape"]) for n in names)
    settings = []
    for cb in args.codebooks.split(","):
        for b in args.bits:
            if cb == "channel" and b > ch_bits:
                print("codebook=channel at %d bits: not executable on every layer (at most "
                      "%d bits)" % (b, ch_bits))
                continue
            for s in args.sparsities:
                for i in args.index_bits:
                    settings.append((s, b, i) + (("channel",) if cb == "channel" else ()))
    res = runner.run(tune_fast.fast_job, [[st] * L for st in settings], "uniform")
    rows = sorted(zip(settings, res), key=lambda sr: sr[1]["bytes_pqh"])
    total_dense = sum(job["bytes_dense"])
    print("%d layers, %d dense bytes; %d uniform settings, reconstructed (%.0f s)" % (
        L, total_dense, len(settings), time.time() - t0))
    for st, r in rows:
        print("  %-28s %10d bytes (%.2fx)  error %.5f%s" % (
            " ".join(map(str, st)), r["bytes_pqh"],
            total_dense / r["bytes_pqh"], r["error"],
            "  meets" if r["error"] <= args.max_output_error else ""))
    met = [(st, r) for st, r in rows if r["error"] <= args.max_output_error]
    out = {"layers": L, "bytes_dense": total_dense,
           "uniform": [dict(setting=list(st), bytes_pqh=r["bytes_pqh"], error=r["error"])
                       for st, r in rows]}
    if met:
        st, r = met[0]
        t = time.time()
        c = runner.run(tune.trial_job, [[st] * L], "uniform_compiled")[0]
        print("best uniform meeting %g: %s: compiled %d bytes (%.2fx), error %.5f "
              "(reconstructed %.5f; compiled in %.0f s)" % (
                  args.max_output_error, st, c["bytes_pqh"], total_dense / c["bytes_pqh"],
                  c["error"], r["error"], time.time() - t))
        out["best"] = dict(setting=list(st), bytes_pqh=c["bytes_pqh"], error=c["error"])
    else:
        print("no uniform setting of this grid meets %g" % args.max_output_error)
    print(json.dumps(out))
    print("wall %.0f s" % (time.time() - t0))
    close()


if __name__ == "__main__":
    main()
