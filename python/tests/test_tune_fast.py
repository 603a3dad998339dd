"""`tune --trials reconstructed` (deep_compression/tune_fast.py): the reconstructed weights
are the compiler's, the weights-as-arguments model is the model, and the search makes the
same choices as with compiled trials on a small model where both run."""

import json
import re

import numpy as np
import pytest
import torch

from deep_compression import export, runtime, tune, tune_fast
from deep_compression.onnx_import import models_check

GRID = dict(sparsities=(0, 0.5, 0.8), bits=(4, 8), index_bits=(3, 5))


def template_of(small, tmp):
    tagged = tmp / "tagged.mlir"
    runtime.run_opt(str(small / "small.mlir"), str(tagged), tune.dc_opt_path(),
                    ["--dc-autotune=max-rel-error=0.5"])
    return tune.make_template(tagged.read_text())


@pytest.mark.parametrize("sparsity,bits,index_bits,codebook", [
    (0.0, 4, 3, "layer"), (0.5, 3, 5, "layer"), (0.8, 8, 2, "layer"), (0.3, 2, 4, "layer"),
    (0.5, 4, 3, "channel")])
def test_prune_and_cluster_is_what_dc_compress_does(small, tmp_path, dc_core, sparsity, bits,
                                                    index_bits, codebook):
    """Bit for bit the weights dc-opt --dc-compress --dc-decompress-constants gives, and the
    bytes_pqh of its report."""
    text = (small / "small.mlir").read_text()
    weights = models_check.decoded_weights(text)
    assert len(weights) == 2
    rep = tmp_path / "r.json"
    out = runtime.run_opt(
        str(small / "small.mlir"), "-", tune.dc_opt_path(),
        ["--dc-compress=sparsity=%g bits=%d index-bits=%d init=optimal codebook=%s report=%s"
         % (sparsity, bits, index_bits, codebook, rep), "--dc-decompress-constants",
         "--mlir-print-elementsattrs-with-hex-if-larger=1"]).stdout
    decoded = models_check.decoded_weights(out)
    report = {l["name"]: l for l in json.loads(rep.read_text())["layers"]}
    for name, w in weights.items():
        rows = 1 if codebook == "channel" else 0
        q = dc_core.prune_and_cluster(w.reshape(-1), list(w.shape), sparsity, bits, "optimal",
                                      codebook_rows=rows)
        groups = w.shape[0] if rows else 1
        cb = q["codebook"].reshape(groups, q["entries"])
        group = np.arange(w.shape[0]).reshape((-1,) + (1,) * (w.ndim - 1)) if rows else 0
        mine = cb[np.broadcast_to(group, w.shape), q["indices"]]
        assert np.array_equal(mine.view(np.uint32), decoded[name].view(np.uint32)), name
        assert np.count_nonzero(q["indices"] == 0) >= round(sparsity * w.size)
        enc = dc_core.encode_indices(list(w.shape), q["indices"].reshape(-1), q["codebook"],
                                     "csc", bits, index_bits, "huffman", codebook_rows=rows)
        assert dc_core.measure_storage(**enc)["bytes_pqh"] == report[name]["bytes_pqh"], name
        if rows == 0:
            rw, size = tune_fast.reconstruct(dc_core, w, (sparsity, bits, index_bits))
            assert np.array_equal(rw, mine) and size == report[name]["bytes_pqh"]


def test_prune_and_cluster_bad_arguments(dc_core):
    w = np.ones(6, np.float32)
    with pytest.raises(ValueError, match="sparsity"):
        dc_core.prune_and_cluster(w, [2, 3], 1.0, 4)
    with pytest.raises(ValueError, match="bits"):
        dc_core.prune_and_cluster(w, [2, 3], 0.5, 0)
    with pytest.raises(ValueError, match="shape"):
        dc_core.prune_and_cluster(w, [4, 3], 0.5, 4)
    with pytest.raises(ValueError, match="codebook_rows"):
        dc_core.prune_and_cluster(w, [2, 3], 0.5, 4, codebook_rows=4)
    with pytest.raises(ValueError, match="non-finite"):
        dc_core.prune_and_cluster(np.array([1, np.nan], np.float32), [2], 0.5, 4)


def test_weights_as_arguments_is_the_model(small, tmp_path, dc_core):
    template, names = template_of(small, tmp_path)
    text, weights = tune_fast.weights_as_arguments(template)
    assert sorted(weights) == [0, 1] and "__DC_TUNE_SLOT" not in text.split("{-#")[0]
    assert "arith.constant {" not in text  # both layer constants are arguments now
    fields = tune_fast.prepare(template, str(tmp_path), tune.dc_opt_path(), log=lambda *a: None)
    x = np.load(small / "x.npy")
    ref_mlir = tmp_path / "ref.mlir"
    ref_mlir.write_text(tune.fill(template, [None, None]))
    so = runtime.compile_mlir(str(ref_mlir), str(tmp_path / "ref"), tool=tune.dc_opt_path(),
                              flags=["--dc-to-llvm"])
    y_ref = runtime.load_compiled(so, ref_mlir.read_text()).predict(x)
    np.save(tmp_path / "ref.npy", y_ref)
    job = dict(fields, names=names, bytes_dense=[4 * weights[k].size for k in (0, 1)],
               inputs=str(small / "x.npy"), reference=str(tmp_path / "ref.npy"),
               workdir=str(tmp_path),
               settings_batch=[[None, None], [(0.5, 4, 3), None], [None, (0.8, 8, 5)]])
    res = tune_fast.fast_job(job)
    assert len(res) == 3
    assert res[0]["error"] < 1e-6                       # dense weights: the model itself
    assert res[1]["error"] > 1e-4 and res[2]["error"] > 1e-4
    # The same trials compiled through dc: the same error up to the kernels' rounding, the
    # same sizes.
    tpath = tmp_path / "template.mlir"
    tpath.write_text(template)
    for settings, r in zip(job["settings_batch"], res):
        c = tune.trial_job({"template": str(tpath), "workdir": str(tmp_path),
                            "settings": settings, "dc_opt": tune.dc_opt_path(),
                            "head": template[:1 << 20], "inputs": str(small / "x.npy"),
                            "reference": str(tmp_path / "ref.npy")})
        assert r["error"] == pytest.approx(c["error"], rel=1e-3, abs=1e-6)
        assert r["bytes_pqh"] == c["bytes_pqh"] and r["layers"] == c["layers"]


def test_reconstructed_search_makes_the_compiled_search_choices(small, tmp_path):
    """Both modes on the same grid: the same curves (to the kernels' rounding), the same
    uniform setting and the same per-layer result, which recompiled meets the budget."""
    budget = 0.02
    runs = {}
    for mode in ("compiled", "reconstructed"):
        runs[mode] = tune.tune(str(small / "small.mlir"), str(small / "x.npy"),
                               max_output_error=budget, out=str(tmp_path / ("%s.mlir" % mode)),
                               workers=2, plot=False, log=lambda *a: None, trials=mode,
                               **GRID)
    c, r = runs["compiled"], runs["reconstructed"]
    assert c["trials_mode"] == "compiled" and r["trials_mode"] == "reconstructed"
    for n in c["curves"]:
        for kind in ("sparsity", "bits"):
            ce = [p["error"] for p in c["curves"][n][kind]]
            re_ = [p["error"] for p in r["curves"][n][kind]]
            assert np.allclose(ce, re_, rtol=1e-3, atol=1e-6), (n, kind, ce, re_)
            assert [p["bytes_pqh"] for p in c["curves"][n][kind]] == \
                [p["bytes_pqh"] for p in r["curves"][n][kind]]
    assert r["uniform"] == pytest.approx(c["uniform"], rel=1e-3)
    assert r["layers"] == c["layers"]
    assert r["bytes_pqh"] == c["bytes_pqh"] and r["chosen"] == c["chosen"]
    # The reconstructed search compiled only what it returns and the uniform check.
    assert "sensitivity" in r["trials"] and r["trials"]["verify"] <= tune.FAST_COMPILED_CHECKS
    assert r["trials"].get("uniform_compiled", 0) >= 1
    # Its written module, compiled again, meets the budget.
    out = tmp_path / "reconstructed.mlir"
    so = runtime.compile_mlir(str(out), str(tmp_path / "check"), tool=tune.dc_opt_path(),
                              flags=["--dc-compress", "--dc-to-llvm"])
    x = np.load(small / "x.npy")
    y = runtime.load_compiled(so, out.read_text()[:1 << 16]).predict(x)
    ref_so = runtime.compile_mlir(str(small / "small.mlir"), str(tmp_path / "ref"),
                                  tool=tune.dc_opt_path(), flags=["--dc-to-llvm"])
    y_ref = runtime.load_compiled(ref_so, (small / "small.mlir").read_text()[:1 << 16]).predict(x)
    assert tune.output_error(y, y_ref) <= budget
    assert len(re.findall(r"dc\.config = \{", out.read_text())) == 2


def test_bad_trials_mode(small):
    with pytest.raises(tune.TuneError, match="--trials"):
        tune.tune(str(small / "small.mlir"), str(small / "x.npy"), max_output_error=0.1,
                  trials="fastest", log=lambda *a: None)


def test_weights_as_arguments_needs_forward_constants():
    with pytest.raises(tune_fast.FastTrialError, match="@forward"):
        tune_fast.weights_as_arguments("func.func @main() { return }")


@pytest.fixture(scope="module")
def folded(tmp_path_factory):
    """What folding BatchNorm does: fc1's rows scaled by 10^U(-1.5, 1.5), fc2's columns by
    the inverse (the same function); fc1's layer codebook spends its centroids on the large
    rows."""
    d = tmp_path_factory.mktemp("tune_folded")
    torch.manual_seed(1)
    net = torch.nn.Sequential(torch.nn.Linear(512, 16), torch.nn.ReLU(), torch.nn.Linear(16, 6))
    with torch.no_grad():
        s = 10.0 ** (torch.rand(16) * 3 - 1.5)
        net[0].weight.mul_(s[:, None])
        net[0].bias.mul_(s)
        net[2].weight.div_(s[None, :])
    np.save(d / "x.npy", torch.randn(64, 512).numpy())
    (d / "m.mlir").write_text(export.export_mlir(net, (512,), batch=32))
    return d


def test_search_over_codebook_granularity(folded, tmp_path):
    """--codebooks layer,channel: the rescaled layer gets per-channel codebooks, and the
    result is smaller than the layer-codebook search's at the same budget (both verified
    compiled; the module written says codebook = "channel")."""
    budget = 0.01
    grid = dict(sparsities=(0, 0.5), bits=(3, 4, 8), index_bits=(3, 5))
    runs = {}
    for cbs in (("layer",), ("layer", "channel")):
        runs[cbs] = tune.tune(str(folded / "m.mlir"), str(folded / "x.npy"),
                              max_output_error=budget, out=str(tmp_path / ("%d.mlir" % len(cbs))),
                              workers=2, plot=False, log=lambda *a: None,
                              trials="reconstructed", codebooks=cbs, **grid)
    lay, ch = runs[("layer",)], runs[("layer", "channel")]
    assert "bits_channel" in ch["curves"]["0"] and "bits_channel" not in lay["curves"]["0"]
    # Per-channel codebooks remove most of fc1's quantization error at every width.
    for p, q in zip(ch["curves"]["0"]["bits"], ch["curves"]["0"]["bits_channel"]):
        assert q["error"] < 0.5 * p["error"], (p, q)
    fc1 = ch["layers"][0]
    assert fc1.get("codebook") == "channel", ch["layers"]
    assert ch["bytes_pqh"] < lay["bytes_pqh"]
    assert ch["output_error"] <= budget and ch["chosen"] == "search"
    assert 'codebook = "channel"' in (tmp_path / "2.mlir").read_text()
    with pytest.raises(tune.TuneError, match="--codebooks"):
        tune.tune(str(folded / "m.mlir"), str(folded / "x.npy"), max_output_error=0.1,
                  codebooks=("row",), log=lambda *a: None)
