"""experiment --preset beyond: its settings are the ones applied, its encodings are chosen
and its sizes measured by dc-opt's storage report (tiny subset, seconds)."""

import json
import os
import subprocess
import sys

import numpy as np
import pytest

from deep_compression import compress, data, experiment, export, models

HERE = os.path.dirname(os.path.abspath(__file__))


def _tiny_split():
    (xtr, ytr), (xte, yte) = data.load_split("mnist")
    sub = np.random.RandomState(0).permutation(len(xtr))[:2000]
    return (xtr[sub], ytr[sub]), (xte[:1000], yte[:1000])


def test_preset_paper_is_the_paper():
    for name in models.MODELS:
        p = compress.preset("paper", name)
        assert p["keep"] == models.KEEP_RATIOS[name] and p["bits"] == models.BITS[name]
        assert p["schedule"] == compress.SCHEDULE[name] and not p["search_encoding"]
        b = compress.preset("beyond", name)
        assert b["search_encoding"] and set(b["keep"]) == set(models.KEEP_RATIOS[name])
        # beyond keeps fewer weights of the largest layer, in fewer bits
        assert b["keep"]["ip1"] < models.KEEP_RATIOS[name]["ip1"]
        assert sum(b["bits"].values()) < sum(models.BITS[name].values())
    with pytest.raises(ValueError, match="unknown preset"):
        compress.preset("best", "lenet300")
    # make demo's invocation: one encoding for every layer, as before
    assert experiment.dc_opt_flags("R") == ["--dc-compress=report=R format=csr index-bits=6",
                                            "--dc-to-llvm"]
    assert experiment.dc_opt_flags("R", configured=True) == ["--dc-compress=report=R",
                                                             "--dc-to-llvm"]


def test_export_layer_config():
    assert export.config_attr({"index_bits": 7, "entropy": "ans", "format": "csc"}) == \
        '{entropy = "ans", format = "csc", index_bits = 7 : i64}'
    model = models.build("lenet300")
    with pytest.raises(export.ExportError, match="not quantized: ip2"):
        export.export_mlir(model, (784,), configs={"ip2": {"index_bits": 5}})


@pytest.mark.parametrize("name", models.MODELS)
def test_preset_beyond(tmp_path, dc_core, name):
    out = str(tmp_path / "beyond")
    grid = dict(index_bits=(4, 7))
    last = list(models.layers(models.build(name)))[-1]
    res = experiment.run(name, out_dir=out, use_dc_opt="yes", batch=100, plots=False,
                         log=lambda *a: None, baseline_epochs=1, split=_tiny_split(),
                         preset="beyond", keep={last: 0.3}, encoding_grid=grid,
                         schedule=dict(stages=2, epochs=1, final_epochs=1, ft_epochs=1))
    beyond = compress.BEYOND[name]
    # The preset's settings, with the overrides on top, are the ones applied.
    assert res["preset"] == "beyond" and res["compiler"] == "dc-opt"
    assert res["keep_ratios"] == dict(beyond["keep"], **{last: 0.3})
    assert res["bits"] == beyond["bits"]
    assert res["schedule"] == dict(beyond["schedule"], stages=2, epochs=1, final_epochs=1,
                                   ft_epochs=1)
    # Sizes come from dc-opt's report of the compiled module.
    with open(os.path.join(out, "%s_beyond_compiler_report.json" % name)) as f:
        rep = json.load(f)
    assert res["layers"] == rep["layers"]
    total = rep["total"]
    assert res["ratio"] == pytest.approx(total["bytes_dense"] / total["bytes_pqh"])
    assert res["ratio"] > 30
    # Every combination of the grid was measured, and each layer got its smallest.
    assert len(res["encoding_search"]) == 2 * 2 * 2
    assert {(t["format"], t["index_bits"], t["entropy"]) for t in res["encoding_search"]} == {
        (f, i, e) for f in ("csr", "csc") for i in (4, 7) for e in ("huffman", "ans")}
    for layer in rep["layers"]:
        lname = layer["name"]
        kept = res["keep_ratios"][lname] * layer["weights"]
        assert 0.98 * kept <= layer["nonzeros"] <= kept + 1
        assert layer["weight_bits"] == res["bits"][lname]
        enc = res["encoding"][lname]
        assert layer["index_bits"] == enc["index_bits"]
        assert ("coded_bits_weights" in layer) == (enc["entropy"] == "ans")
        searched = {(t["format"], t["index_bits"], t["entropy"]): t["bytes_pqh"][lname]
                    for t in res["encoding_search"]}
        assert layer["bytes_pqh"] == min(searched.values())
        assert layer["bytes_pqh"] == searched[(enc["format"], enc["index_bits"],
                                               enc["entropy"])]
    # The compiled module carries each layer's choice, and the compiled model is the
    # trained one.
    with open(os.path.join(out, "%s_beyond.dc.mlir" % name)) as f:
        text = f.read()
    assert text.count("dc.config = {") == len(res["layers"]) == len(beyond["keep"])
    assert abs(res["compressed_error"] - res["compressed_error_pytorch"]) < 0.003


def test_preset_beyond_needs_dc_opt(tmp_path):
    with pytest.raises(FileNotFoundError, match="needs dc-opt"):
        experiment.run("lenet5", out_dir=str(tmp_path), use_dc_opt="no", preset="beyond")


@pytest.mark.parametrize("argv, message", [
    (["--keep", "ip9=0.1"], "--keep: 'ip9=0.1' is not LAYER=VALUE with LAYER one of ip1"),
    (["--keep", "ip1=1.5"], "--keep: ip1=1.5 must be a kept fraction in (0, 1]"),
    (["--bits", "ip1=x"], "--bits: ip1='x' is not an int"),
    (["--bits", "ip2=0"], "--bits: ip2=0 must be a codebook width in 1..16"),
    (["--preset", "beyond", "--no-dc-opt"], "needs dc-opt (--no-dc-opt given)"),
])
def test_experiment_bad_overrides(argv, message):
    p = subprocess.run([sys.executable, "-m", "deep_compression", "experiment", "--model",
                        "lenet300"] + argv, cwd=os.path.dirname(HERE),
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert p.returncode == 1
    assert message in p.stderr and len(p.stderr.strip().splitlines()) == 1
