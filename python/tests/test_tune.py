"""`tune`: the data-driven search (deep_compression/tune.py), on a small two-layer model.

Each search is checked from outside: the written module is compiled again through dc-opt
and its output error (or accuracy drop) measured; its size is compared with every uniform
setting of the same grid, compiled and measured independently."""

import json
import os
import re
import subprocess
import sys

import numpy as np
import pytest
import torch

from deep_compression import export, runtime, tune

HERE = os.path.dirname(os.path.abspath(__file__))
PYDIR = os.path.dirname(HERE)
GRID = ["--sparsities", "0,0.5,0.8", "--bits", "4,8", "--index-bits", "3,5"]


def dc_opt():
    path = tune.dc_opt_path()
    assert os.path.exists(path), "dc-opt not built at %s" % path
    return path


def compiled_outputs(path, flags, workdir):
    so = runtime.compile_mlir(str(path), str(workdir), tool=dc_opt(), flags=flags)
    with open(path) as f:
        head = f.read(1 << 16)
    m = runtime.load_compiled(so, head)
    return m.predict(np.load(workdir / ".." / "x.npy"))


def reference(small):
    w = small / "ref"
    w.mkdir(exist_ok=True)
    return compiled_outputs(small / "small.mlir", ["--dc-to-llvm"], w)


def measure(small, mlir, options, tag):
    """(output error, accuracy, bytes_pqh) of ``mlir`` compiled with --dc-compress=options."""
    w = small / tag
    w.mkdir(exist_ok=True)
    rep = w / "report.json"
    y = compiled_outputs(mlir, ["--dc-compress=report=%s %s" % (rep, options), "--dc-to-llvm"], w)
    ref = reference(small)
    total = json.loads(rep.read_text())["total"]
    acc = float(np.mean(y.argmax(1) == np.load(small / "y.npy")))
    return tune.output_error(y, ref), acc, total["bytes_pqh"]


def test_tune_on_dask_local_cluster_meets_budget_and_beats_uniform(small):
    distributed = pytest.importorskip("distributed")  # the deps script installs it
    from deep_compression import cli
    budget = 0.02
    out = small / "dask.tuned.mlir"
    with distributed.LocalCluster(n_workers=1, threads_per_worker=2, processes=False,
                                  dashboard_address=None) as cluster:
        cli.main(["tune", str(small / "small.mlir"), "--calibration", str(small / "x.npy"),
                  "--max-output-error", str(budget), "-o", str(out), "-q",
                  "--scheduler", cluster.scheduler_address] + GRID)
    summary = json.loads((small / "dask.tuned.tune.json").read_text())
    assert summary["executor"].startswith("dask.distributed")
    assert os.path.exists(summary["plot"])
    text = out.read_text()
    assert len(re.findall(r"dc\.config = \{", text)) == 2
    assert "__DC_TUNE_SLOT" not in text and "dc.autotune" not in text
    # Recompiled from the written module: within the budget, the size it claims.
    err, _, size = measure(small, out, "", "check_dask")
    assert err <= budget
    assert size == summary["bytes_pqh"]
    assert summary["output_error"] == pytest.approx(err, rel=1e-4, abs=1e-7)
    # Every uniform setting of the grid that meets the budget is at least as large.
    best_uniform = None
    for s in (0, 0.5, 0.8):
        for b in (4, 8):
            for i in (3, 5):
                e, _, n = measure(small, small / "small.mlir",
                                  "sparsity=%g bits=%d index-bits=%d init=optimal" % (s, b, i),
                                  "u_%g_%d_%d" % (s, b, i))
                if e <= budget and (best_uniform is None or n < best_uniform):
                    best_uniform = n
    assert best_uniform is not None
    assert size <= best_uniform
    # tune's own uniform candidates (one index width per sparsity) are a subset.
    assert summary["uniform"]["bytes_pqh"] >= best_uniform


def test_tune_accuracy_drop_with_local_processes(small):
    out = small / "proc.tuned.mlir"
    summary = tune.tune(str(small / "small.mlir"), str(small / "x.npy"),
                        max_accuracy_drop=2.0, labels=str(small / "y.npy"), out=str(out),
                        workers=2, sparsities=(0, 0.5, 0.8), bits=(4, 8), index_bits=(3, 5),
                        log=lambda *a: None)
    assert summary["executor"] == "local processes (2)"
    # Every curve point compiled once ((0, 8 bits) is on both curves of a layer).
    assert summary["trials"]["sensitivity"] == 2 * (3 + 2 - 1)
    ref_acc = float(np.mean(reference(small).argmax(1) == np.load(small / "y.npy")))
    _, acc, size = measure(small, out, "", "check_proc")
    assert 100 * (ref_acc - acc) <= 2.0 + 1e-9
    assert summary["accuracy_drop"] == pytest.approx(100 * (ref_acc - acc))
    assert size == summary["bytes_pqh"] < summary["bytes_dense"]
    if summary["uniform"]:
        assert size <= summary["uniform"]["bytes_pqh"]
    for name, c in summary["curves"].items():
        assert [p["value"] for p in c["sparsity"]] == [0, 0.5, 0.8]
        assert [p["value"] for p in c["bits"]] == [4, 8]
        assert all("accuracy_drop" in p for p in c["sparsity"] + c["bits"])


def run_cli(*args):
    env = dict(os.environ, PYTHONPATH=PYDIR)
    env.pop("DC_DEBUG", None)
    return subprocess.run([sys.executable, "-m", "deep_compression", "tune"] + list(args),
                          capture_output=True, text=True, env=env, timeout=120)


def bad(p, needle):
    assert p.returncode == 1, p.stderr
    assert "Traceback" not in p.stderr
    lines = p.stderr.strip().splitlines()
    assert len(lines) == 1 and "tune: error:" in lines[0], p.stderr
    assert needle in lines[0], lines[0]


def test_tune_bad_arguments(small, tmp_path):
    m, x, y = str(small / "small.mlir"), str(small / "x.npy"), str(small / "y.npy")
    o = ["-o", str(tmp_path / "o.mlir")]
    bad(run_cli(str(tmp_path / "missing.mlir"), "--calibration", x, "--max-output-error",
                "0.1", *o), "no such file")
    bad(run_cli(m, "--calibration", str(tmp_path / "missing.npy"), "--max-output-error",
                "0.1", *o), "no such file")
    bad(run_cli(m, "--calibration", x, "--max-output-error", "nan", *o), "finite")
    bad(run_cli(m, "--calibration", x, "--max-output-error", "-0.5", *o), "finite")
    bad(run_cli(m, "--calibration", x, "--max-accuracy-drop", "-1", "--labels", y, *o),
        "finite")
    bad(run_cli(m, "--calibration", x, "--max-accuracy-drop", "1", *o), "--labels")
    bad(run_cli(m, "--calibration", x, "--max-accuracy-drop", "1", "--labels", x, *o),
        "integer class labels")
    nofwd = tmp_path / "nofwd.mlir"
    nofwd.write_text(re.sub(r"@forward\b", "@main", (small / "small.mlir").read_text()))
    bad(run_cli(str(nofwd), "--calibration", x, "--max-output-error", "0.1", *o),
        "no func.func @forward")
    wrong = tmp_path / "wrong.npy"
    np.save(wrong, np.zeros((4, 7), np.float32))
    bad(run_cli(m, "--calibration", str(wrong), "--max-output-error", "0.1", *o),
        "do not fit")
    bad(run_cli(m, "--calibration", x, "--max-output-error", "0.1", "--bits", "4,x", *o),
        "--bits")
    bad(run_cli(m, "--calibration", x, "--max-output-error", "0.1", "--sparsities", "1.5", *o),
        "--sparsities")
    bad(run_cli(m, "--calibration", x, "--max-output-error", "0.1",
                "--scheduler", "tcp://127.0.0.1:9", *o), "cannot reach the dask scheduler")
    assert not (tmp_path / "o.mlir").exists()
