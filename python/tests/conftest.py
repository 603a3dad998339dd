import os
import sys

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

