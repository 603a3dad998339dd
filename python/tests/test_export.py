import os
import re

import numpy as np
import pytest
import torch
from torch import nn

from deep_compression import compress, export, models, runtime



def _compile(tmp_path, text, name="m", **kw):
    path = export.write(str(tmp_path / (name + ".mlir")), text)
    return runtime.compile_and_load(path, str(tmp_path), **kw)


def test_exported_text_shape():
    torch.manual_seed(0)
    text = export.export_mlir(models.lenet300(), (784,), batch=3)
    assert "func.func @forward(%arg0: tensor<3x784xf32>) -> tensor<3x10xf32> " \
           "attributes {llvm.emit_c_interface}" in text
    assert 'arith.constant {dc.layer = "ip1"} dense_resource<ip1_weight> : ' \
           'tensor<300x784xf32>' in text
    assert "affine_map<(d0, d1, d2) -> (d1, d2)>" in text
    assert text.count("linalg.matmul") == 3
    m = re.search(r'ip3_weight: "0x04000000([0-9A-F]+)"', text)
    w = np.frombuffer(bytes.fromhex(m.group(1)), dtype="<f4").reshape(10, 100)
    assert np.array_equal(w, models.lenet300().ip3.weight.detach().numpy() * 0 + w)


@pytest.mark.parametrize("name", ["lenet300", "lenet5"])
def test_exporter_numerics_vs_torch(tmp_path, name):
    torch.manual_seed(0)
    model = models.build(name).eval()
    x = torch.rand((4,) + models.input_shape(name))
    cm = _compile(tmp_path, export.export_mlir(model, models.input_shape(name), batch=4,
                                               softmax=True), name)
    out = cm(x.numpy())
    ref = torch.softmax(model(x), 1).detach().numpy()
    assert out.shape == ref.shape
    assert np.allclose(out, ref, atol=1e-5, rtol=1e-4)
    # The padded batched predict helper.
    logits_cm = cm.predict(torch.rand((6,) + models.input_shape(name)).numpy())
    assert logits_cm.shape == (6, 10)


def test_exporter_strided_conv_and_pool(tmp_path):
    torch.manual_seed(0)
    model = nn.Sequential(nn.Conv2d(2, 3, 3, stride=2), nn.ReLU(), nn.MaxPool2d(2, stride=1),
                          nn.Flatten(), nn.Linear(3 * 5 * 5, 4)).eval()
    x = torch.randn(2, 2, 13, 13)
    cm = _compile(tmp_path, export.export_mlir(model, (2, 13, 13), batch=2))
    assert np.allclose(cm(x.numpy()), model(x).detach().numpy(), atol=1e-5)


def test_dc_ir_export(dc_core):
    torch.manual_seed(0)
    model = models.lenet300()
    q = compress.quantize(model, models.BITS["lenet300"])
    text = export.export_mlir(model, (784,), batch=2, quantized=q)
    assert "dc.constant" in text and "dc.decompress" in text
    assert "!dc.compressed<tensor<300x784xf32>, #dc.encoding<format = dense, bits = 6>>" in text
    assert "values = dense_resource<ip1_values> : tensor<176400xi8>" in text
    assert "num_entries = 235200 : i64" in text
    # The blob decodes (via the core) to the quantized weights.
    m = re.search(r'ip2_values: "0x04000000([0-9A-F]+)"', text)
    values = np.frombuffer(bytes.fromhex(m.group(1)), dtype=np.uint8)
    dense = dc_core.decompress([100, 300], q["ip2"].codebook, values, "dense", 6, 6, "none",
                               100 * 300)
    assert np.array_equal(dense, model.ip2.weight.detach().numpy())


def _dc_opt():
    from deep_compression import experiment
    return experiment.dc_opt_path()


def test_dc_ir_numerics_through_dc_opt(tmp_path, dc_core):
    torch.manual_seed(0)
    model = models.lenet5().eval()
    pr = compress.Pruner(model)
    pr.prune(models.KEEP_RATIOS["lenet5"])
    q = compress.quantize(model, models.BITS["lenet5"], pr.masks)
    x = torch.rand(3, 1, 28, 28)
    cm = _compile(tmp_path, export.export_mlir(model, (1, 28, 28), batch=3, quantized=q),
                  tool=_dc_opt(), flags=["--dc-decompress-constants"] + runtime.STOCK_PIPELINE)
    assert np.allclose(cm(x.numpy()), model(x).detach().numpy(), atol=1e-5)


def test_dc_opt_compress_pipeline(tmp_path, dc_core):
    """The demo's dc-opt invocation: report JSON + numerics of the compiled model."""
    import json
    from deep_compression import experiment
    torch.manual_seed(0)
    model = models.lenet300().eval()
    pr = compress.Pruner(model)
    pr.prune(models.KEEP_RATIOS["lenet300"])
    q = compress.quantize(model, models.BITS["lenet300"], pr.masks)
    path = export.write(str(tmp_path / "m.dc.mlir"),
                        export.export_mlir(model, (784,), batch=5, quantized=q))
    rep = str(tmp_path / "report.json")
    cm = experiment.compile_with_dc_opt(path, str(tmp_path), rep)
    x = torch.rand(5, 784)
    assert np.allclose(cm(x.numpy()), model(x).detach().numpy(), atol=1e-4)
    with open(rep) as f:
        r = json.load(f)
    assert [l["name"] for l in r["layers"]] == ["ip1", "ip2", "ip3"]
    for l in r["layers"]:
        assert l["nonzeros"] == int(np.count_nonzero(q[l["name"]].indices))
    assert r["total"]["bytes_dense"] == 4 * sum(qq.indices.size for qq in q.values())
