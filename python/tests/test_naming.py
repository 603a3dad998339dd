"""One naming scheme for quantize, compress and export: the module path."""
import re

import numpy as np
import pytest
import torch
from torch import nn

from deep_compression import compress, export, models, runtime


def _mlp():
    torch.manual_seed(0)
    return nn.Sequential(nn.Linear(8, 6), nn.ReLU(), nn.Linear(6, 3)).eval()


def test_layer_names_are_module_paths():
    assert list(models.layers(_mlp())) == ["0", "2"]
    nested = nn.Sequential(nn.Sequential(nn.Conv2d(1, 2, 3), nn.ReLU()), nn.Flatten(),
                           nn.Linear(2 * 4 * 4, 3))
    assert list(models.layers(nested)) == ["0.0", "2"]
    assert list(models.layers(models.lenet5())) == ["conv1", "conv2", "ip1", "ip2"]


def test_unnamed_sequential_keeps_its_quantized_layer(tmp_path, dc_core):
    """Regression: quantize(m, {"0": 4}) used to export layer 0 as plain f32 (the exporter
    renamed it layer0 and missed it in `quantized`)."""
    m = _mlp()
    q = compress.quantize(m, {"0": 4})
    x = torch.rand(2, 8)
    text = export.export(m, x, quantized=q)
    assert text.count("dc.constant") == 1
    assert re.search(r'dc\.constant \{[^\n]*dc\.layer = "0"\}', text)
    assert "#dc.encoding<format = dense, bits = 4>" in text
    assert 'arith.constant {dc.layer = "2"} dense_resource' in text
    # The compiled dc IR computes the quantized network.
    path = export.write(str(tmp_path / "m.mlir"), text)
    from deep_compression import experiment
    cm = runtime.compile_and_load(path, str(tmp_path), tool=experiment.dc_opt_path(),
                                  flags=["--dc-decompress-constants"] + runtime.STOCK_PIPELINE)
    assert np.allclose(cm(x.numpy()), m(x).detach().numpy(), atol=1e-5)


def test_unknown_layer_names_are_errors(dc_core):
    m = _mlp()
    with pytest.raises(ValueError, match=r"no layer named 'layer0' \(the model's layers: 0, 2\)"):
        compress.quantize(m, {"layer0": 4})
    with pytest.raises(ValueError, match="no layer named 'ip9'"):
        compress.Pruner(m).prune({"ip9": 0.5})
    q = compress.quantize(m, {"0": 4})
    q["layer0"] = q.pop("0")
    with pytest.raises(export.ExportError, match="quantized layer layer0 not in the model"):
        export.export(m, torch.rand(2, 8), quantized=q)
    with pytest.raises(export.ExportError, match="not in the model"):
        export.export_mlir(m, (8,), batch=2, quantized=q)


def test_quantized_names_match_state_dict(dc_core):
    """The layer name + ".weight" is the state_dict key (and the ONNX initializer name)."""
    m = _mlp()
    q = compress.quantize(m, {"0": 3, "2": 3})
    sd = m.state_dict()
    for name in q:
        assert np.array_equal(sd[name + ".weight"].numpy(), q[name].dense())
