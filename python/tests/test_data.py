import gzip
import os

import numpy as np
import pytest

from deep_compression import data


@pytest.mark.parametrize("dataset", data.DATASETS)
def test_split_is_the_official_60k_10k(dataset):
    (xtr, ytr), (xte, yte) = data.load_split(dataset)
    assert xtr.shape == (60000, 28, 28) and ytr.shape == (60000,)
    assert xte.shape == (10000, 28, 28) and yte.shape == (10000,)
    assert xtr.dtype == np.float32 and ytr.dtype == np.int64
    assert 0.0 == xtr.min() and xtr.max() == 1.0
    assert set(np.unique(yte).tolist()) == set(range(10))
    assert set(np.unique(ytr).tolist()) == set(range(10))


def test_mnist_known_labels():
    # LeCun's files: the first training labels are 5 0 4 1 9, the first test ones 7 2 1 0 4;
    # the test set's digit counts are the published ones.
    (_, ytr), (_, yte) = data.load_split("mnist")
    assert ytr[:5].tolist() == [5, 0, 4, 1, 9]
    assert yte[:5].tolist() == [7, 2, 1, 0, 4]
    assert np.bincount(yte).tolist() == [980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009]


def test_fashion_is_balanced():
    (_, ytr), (_, yte) = data.load_split("fashion-mnist")
    assert np.bincount(ytr).tolist() == [6000] * 10
    assert np.bincount(yte).tolist() == [1000] * 10


def test_parse_idx_rejects_bad_files():
    good = bytes([0, 0, 8, 1]) + (3).to_bytes(4, "big") + bytes([1, 2, 3])
    assert data.parse_idx(good, "x").tolist() == [1, 2, 3]
    with pytest.raises(data.DataError, match="not an IDX file"):
        data.parse_idx(b"PK\x03\x04garbage", "x")
    with pytest.raises(data.DataError, match="header says"):
        data.parse_idx(good[:-1], "x")


def test_unknown_dataset_and_missing_fashion_dir(tmp_path, monkeypatch):
    with pytest.raises(data.DataError, match="unknown dataset"):
        data.load_split("cifar")
    monkeypatch.setenv("DC_FASHION_MNIST_DIR", str(tmp_path))
    with pytest.raises(data.DataError, match="dataset-fashion-mnist"):
        data.load_split("fashion-mnist")
    # A truncated file is named in the error.
    for fname in sum(data.FILES.values(), ()):
        with gzip.open(os.path.join(tmp_path, fname + ".gz"), "wb") as f:
            f.write(bytes([0, 0, 8, 1]) + (5).to_bytes(4, "big"))
    with pytest.raises(data.DataError, match="header says"):
        data.load_split("fashion-mnist")
