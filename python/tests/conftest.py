import os
import sys

import pytest
import torch

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))
torch.set_num_threads(1)


def _core_or_skip():
    from deep_compression import core
    try:
        return core.load()
    except ImportError as e:
        if os.environ.get("DC_REQUIRE_CORE"):
            raise
        pytest.skip(str(e))


@pytest.fixture(scope="session")
def dc_core():
    return _core_or_skip()


@pytest.fixture(scope="session")
def mnist_split():
    from deep_compression import data
    return data.load_split()
