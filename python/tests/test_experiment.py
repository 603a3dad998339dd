import json
import os

import numpy as np

from deep_compression import data, experiment


def test_experiment_smoke(tmp_path, dc_core):
    """The whole pipeline with a tiny schedule on 4,000 training digits (fallback compiler
    path, no Fig. 6), evaluated on the 10,000 test digits."""
    (xtr, ytr), test = data.load_split("mnist")
    sub = np.random.RandomState(0).permutation(len(xtr))[:4000]
    out = str(tmp_path / "demo")
    res = experiment.run("lenet300", out_dir=out, use_dc_opt="no", batch=500, plots=True,
                         fig6=False, log=lambda *a: None, baseline_epochs=2,
                         split=((xtr[sub], ytr[sub]), test),
                         schedule=dict(stages=1, epochs=1, final_epochs=1, ft_epochs=1))
    with open(os.path.join(out, "report.json")) as f:
        rep = json.load(f)
    for key in ("baseline_error", "compressed_error", "test_images", "dataset", "ratio",
                "layers"):
        assert key in rep
    assert rep["test_images"] == 10000 and rep["dataset"] == "mnist"
    assert rep["train_images"] == 4000
    assert 0 <= rep["compressed_error"] < 0.5 and 0 <= rep["baseline_error"] < 0.5
    assert [l["name"] for l in rep["layers"]] == ["ip1", "ip2", "ip3"]
    assert rep["ratio"] > 15
    assert abs(rep["compressed_error"] - rep["compressed_error_pytorch"]) < 0.002
    assert os.path.exists(os.path.join(out, "lenet300.dc.mlir"))
    for p in res["plots"]:
        assert os.path.getsize(os.path.join(out, p)) > 1000
