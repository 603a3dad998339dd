"""onnxruntime (npm ``onnxruntime-node``) as the reference: one node process
runs a whole batch of models (see ort_run.js)."""

import json
import os
import shutil
import subprocess
import tempfile

import numpy as np

from .. import REPO_ROOT

SCRIPT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "ort_run.js")


def ort_dir():
    """Where scripts/install-deps.sh installs onnxruntime-node."""
    return os.environ.get("DC_ORT_DIR", os.path.join(REPO_ROOT, "build", "deps", "ort"))


def available():
    return shutil.which("node") is not None and os.path.isdir(
        os.path.join(ort_dir(), "node_modules", "onnxruntime-node"))


def run_batch(jobs, workdir=None):
    """``jobs``: list of (model path, {input name: array}). Returns, per job,
    the list of outputs (graph order) or an error string."""
    tmp = workdir or tempfile.mkdtemp(prefix="dc-ort-")
    spec = []
    for i, (model, inputs) in enumerate(jobs):
        d = os.path.join(tmp, "job%d" % i)
        shutil.rmtree(d, ignore_errors=True)
        os.makedirs(d)
        files = {}
        for j, (name, arr) in enumerate(inputs.items()):
            f = os.path.join(d, "in%d.npy" % j)
            np.save(f, np.ascontiguousarray(arr))
            files[name] = f
        spec.append({"model": os.path.abspath(model), "inputs": files,
                     "out_dir": os.path.join(d, "out")})
    jf = os.path.join(tmp, "jobs.json")
    with open(jf, "w") as f:
        json.dump(spec, f)
    env = dict(os.environ, DC_ORT_DIR=ort_dir())
    p = subprocess.run(["node", SCRIPT, jf], env=env, stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE, text=True)
    if p.returncode != 0:
        raise RuntimeError("onnxruntime-node failed: %s" % p.stderr.strip()[-2000:])
    results = []
    for s in spec:
        err = os.path.join(s["out_dir"], "error.txt")
        if os.path.exists(err):
            with open(err) as f:
                results.append(f.read().strip() or "error")
            continue
        with open(os.path.join(s["out_dir"], "outputs.json")) as f:
            names = json.load(f)
        results.append([np.load(os.path.join(s["out_dir"], "%d.npy" % i))
                        for i in range(len(names))])
    return results
