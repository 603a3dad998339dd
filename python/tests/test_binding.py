import numpy as np
import pytest


def test_kmeans_deterministic_and_sorted(dc_core):
    v = np.random.RandomState(0).randn(5000).astype(np.float32)
    for init in ("linear", "density", "random", "kmeans++"):
        a = dc_core.kmeans1d(v, 15, init=init, seed=3)
        b = dc_core.kmeans1d(v, 15, init=init, seed=3)
        assert a.dtype == np.float32 and len(a) <= 15
        assert np.array_equal(a, b)
        assert np.all(np.diff(a) > 0)
        assert v.min() <= a[0] and a[-1] <= v.max()


def test_kmeans_linear_init(dc_core):
    # Evenly spaced values: linear init is already a fixed point.
    v = np.repeat(np.array([-1.0, -0.5, 0.0, 0.5, 1.0], np.float32), 10)
    assert np.allclose(dc_core.kmeans1d(v, 5, init="linear", max_iter=0), [-1, -.5, 0, .5, 1])
    c = dc_core.kmeans1d(v, 5, init="linear")
    assert np.allclose(c, [-1, -0.5, 0, 0.5, 1])
    # Fewer distinct values than clusters: at most that many centroids.
    assert len(dc_core.kmeans1d(np.array([1, 1, 2], np.float32), 7)) <= 2


def test_kmeans_bad_init(dc_core):
    with pytest.raises(ValueError):
        dc_core.kmeans1d(np.ones(3, np.float32), 2, init="nope")


def test_assign_nearest(dc_core):
    c = np.array([-1.0, 0.0, 2.0], np.float32)
    v = np.array([-3, -0.6, -0.4, 0.9, 1.1, 5], np.float32)
    assert dc_core.assign_nearest(v, c).tolist() == [0, 0, 1, 1, 2, 2]
    # Ties go to the lower index.
    assert dc_core.assign_nearest(np.array([-0.5], np.float32), c).tolist() == [0]


@pytest.mark.parametrize("fmt,entropy", [("dense", "none"), ("csc", "none"),
                                         ("csr", "none"), ("csc", "huffman"),
                                         ("csr", "huffman"), ("dense", "huffman")])
def test_encode_decompress_bit_exact(dc_core, fmt, entropy):
    rng = np.random.RandomState(1)
    bits = 5
    codebook = np.concatenate([[0.0], np.sort(rng.randn(31))]).astype(np.float32)
    idx = rng.randint(1, 32, size=(37, 3, 3)).astype(np.uint32)
    idx[rng.rand(*idx.shape) < 0.85] = 0  # pruned
    enc = dc_core.encode_indices(list(idx.shape), idx.ravel(), codebook, fmt, bits, 3, entropy)
    assert enc["num_entries"] >= np.count_nonzero(idx) if fmt != "dense" else True
    assert dc_core.verify(**enc) is None
    dense = dc_core.decompress(**enc)
    assert dense.shape == idx.shape and dense.dtype == np.float32
    assert np.array_equal(dense.view(np.uint32), codebook[idx].view(np.uint32))
    assert np.array_equal(dc_core.decompress_to_indices(**enc), idx)
    st = dc_core.measure_storage(**enc)
    assert st["weights"] == idx.size and st["nonzeros"] == np.count_nonzero(idx)
    assert st["bytes_dense"] == 4 * idx.size
    if entropy == "none":
        assert st["bytes_pq"] == st["bytes_pqh"]


def test_dense_format_packing(dc_core):
    # Dense format: row-major `bits`-wide indices, LSB-first.
    idx = np.array([1, 2, 3, 0, 1], np.uint32)
    cb = np.array([0.0, 1.0, 2.0, 3.0], np.float32)
    enc = dc_core.encode_indices([5], idx, cb, "dense", 2, 2, "none")
    assert enc["num_entries"] == 5
    assert enc["values"].tolist() == [1 | 2 << 2 | 3 << 4 | 0 << 6, 1]


def test_encode_rejects_bad_codebook(dc_core):
    with pytest.raises(ValueError):
        dc_core.encode_indices([2], np.array([1, 1], np.uint32),
                               np.array([0.5, 1.0], np.float32), "dense", 2, 2, "none")
