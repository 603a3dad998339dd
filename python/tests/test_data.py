import numpy as np

from deep_compression import data


def test_split_sizes_and_determinism(mnist_split):
    (xtr, ytr), (xte, yte) = mnist_split
    assert xtr.shape == (8000, 28, 28) and ytr.shape == (8000,)
    assert xte.shape == (2000, 28, 28) and yte.shape == (2000,)
    assert xtr.dtype == np.float32 and ytr.dtype == np.int64
    assert 0.0 <= xtr.min() and xtr.max() <= 1.0
    tr, te = data.split_indices()
    assert len(set(tr.tolist()) | set(te.tolist())) == 10000
    assert not set(tr.tolist()) & set(te.tolist())
    tr2, te2 = data.split_indices()
    assert np.array_equal(tr, tr2) and np.array_equal(te, te2)
    assert set(np.unique(yte).tolist()) == set(range(10))
