import os
import sys

import numpy as np
import pytest
import torch

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))
torch.set_num_threads(1)


@pytest.fixture(scope="session")
def dc_core():
    """The pybind11 module of the C++ core; `make check` builds it, so a
    missing module is a failure, not a skip."""
    from deep_compression import core
    return core.load()



@pytest.fixture(scope="module")
def small(tmp_path_factory):
    """The two-layer net of the tune tests (test_tune.py, test_tune_fast.py): weights with a
    spread of magnitudes, its module (small.mlir, batch 32), calibration inputs (x.npy) and
    labels (y.npy: the reference model's own predictions, every fourth one changed, so the
    reference is not 100% right). One directory per test module."""
    from deep_compression import export
    d = tmp_path_factory.mktemp("tune")
    torch.manual_seed(0)
    net = torch.nn.Sequential(torch.nn.Linear(48, 40), torch.nn.ReLU(), torch.nn.Linear(40, 6))
    with torch.no_grad():
        for m in net:
            if isinstance(m, torch.nn.Linear):
                m.weight.mul_(torch.exp(torch.randn_like(m.weight)))
    x = torch.randn(96, 48)
    (d / "small.mlir").write_text(export.export_mlir(net, (48,), batch=32))
    np.save(d / "x.npy", x.numpy())
    labels = net(x).argmax(1).numpy().astype(np.int64)
    labels[::4] = (labels[::4] + 1) % 6
    np.save(d / "y.npy", labels)
    return d
