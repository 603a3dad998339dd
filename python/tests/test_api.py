"""The documented five-line path: dc.compile(module, example_input, ...) -> CompiledModel."""
import copy

import numpy as np
import pytest
import torch
from torch import nn

import deep_compression as dc
from deep_compression import compress, export, models


def test_compile_module_sparsity_bits(tmp_path, dc_core):
    torch.manual_seed(0)
    model = nn.Sequential(nn.Linear(64, 48), nn.ReLU(), nn.Linear(48, 10)).eval()
    cm = dc.compile(model, torch.zeros(4, 64), sparsity=0.8, bits=4, workdir=str(tmp_path))
    assert isinstance(cm, dc.CompiledModel)
    assert [l["name"] for l in cm.report["layers"]] == ["0", "2"]
    for l in cm.report["layers"]:
        assert l["weight_bits"] == 4
        assert abs(l["nonzeros"] / l["weights"] - 0.2) < 0.02
    assert cm.ratio == cm.report["total"]["bytes_dense"] / cm.report["total"]["bytes_pqh"]
    assert cm.ratio > 5
    # Any batch size; numpy or torch input; close to the uncompressed model's output.
    x = torch.rand(7, 64)
    y = cm(x)
    assert y.shape == (7, 10) and np.allclose(y[:4], cm(x[:4].numpy()))
    # Against the same magnitude pruning in torch: only the 4-bit codebooks differ.
    pruned = copy.deepcopy(model)
    compress.Pruner(pruned).prune({"0": 0.2, "2": 0.2})
    ref = pruned(x).detach().numpy()
    assert np.linalg.norm(y - ref) / np.linalg.norm(ref) < 0.1
    with pytest.raises(ValueError, match="compiled for"):
        cm(torch.rand(2, 63))


def test_compile_keeps_trained_codebooks(tmp_path, dc_core):
    """quantized= layers keep their codebooks: the compiled model equals the torch one."""
    torch.manual_seed(0)
    model = models.lenet300().eval()
    pr = compress.Pruner(model)
    pr.prune(models.KEEP_RATIOS["lenet300"])
    q = compress.quantize(model, models.BITS["lenet300"], pr.masks)
    cm = dc.compile(model, torch.zeros(5, 784), quantized=q, index_bits=6,
                    workdir=str(tmp_path))
    x = torch.rand(5, 784)
    assert np.allclose(cm(x), model(x).detach().numpy(), atol=1e-4)
    assert cm.ratio > 30
    for l in cm.report["layers"]:
        assert l["nonzeros"] == int(np.count_nonzero(q[l["name"]].indices))


def test_compile_errors(tmp_path):
    with pytest.raises(export.ExportError, match="needs an example input"):
        dc.compile(nn.Linear(3, 2))
    with pytest.raises(export.ExportError, match="no such file"):
        dc.compile(str(tmp_path / "missing.onnx"))
    with pytest.raises(export.ExportError, match="does not fit the model"):
        dc.compile(nn.Linear(3, 2), torch.zeros(1, 4))
    with pytest.raises(ValueError, match="sparsity"):
        dc.compile(nn.Sequential(nn.Linear(3, 2)), torch.zeros(1, 3), sparsity=1.5)


def test_compile_entropy_ans(tmp_path, dc_core):
    """entropy="ans" through the API: rANS-coded layers (trained codebooks kept), the same
    outputs as Huffman, and the report's entropy fields."""
    torch.manual_seed(0)
    model = models.lenet300().eval()
    pr = compress.Pruner(model)
    pr.prune(models.KEEP_RATIOS["lenet300"])
    q = compress.quantize(model, models.BITS["lenet300"], pr.masks)
    x = torch.rand(5, 784)
    cms = {e: dc.compile(model, torch.zeros(5, 784), quantized=q, index_bits=6, entropy=e,
                         workdir=str(tmp_path / e)) for e in ("ans", "huffman")}
    assert np.allclose(cms["ans"](x), model(x).detach().numpy(), atol=1e-4)
    assert np.allclose(cms["ans"](x), cms["huffman"](x), atol=1e-5)
    for la, lh in zip(cms["ans"].report["layers"], cms["huffman"].report["layers"]):
        assert la["bytes_pq"] == lh["bytes_pq"]
        assert la["entropy_bits_weights"] > 0 and "entropy_bits_weights" not in lh
        assert la["bytes_pqh"] < la["bytes_pq"]  # coded below fixed width
    with pytest.raises(ValueError, match="entropy"):
        dc.compile(model, torch.zeros(5, 784), entropy="arithmetic", workdir=str(tmp_path))
