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


@pytest.mark.parametrize("fmt", ["dense", "csc", "csr"])
def test_encode_ans_streams_and_tables(dc_core, fmt):
    """entropy="ans": the rANS tables travel with the streams like Huffman's code lengths;
    decoding is bit exact and the size is what the coder produced."""
    rng = np.random.RandomState(2)
    bits = 4
    codebook = np.concatenate([[0.0], np.sort(rng.randn(15))]).astype(np.float32)
    idx = np.minimum(rng.geometric(0.3, size=(40, 24)), 15).astype(np.uint32)
    idx[rng.rand(*idx.shape) < 0.7] = 0
    enc = dc_core.encode_indices(list(idx.shape), idx.ravel(), codebook, fmt, bits, 3, "ans")
    assert enc["entropy"] == "ans"
    assert len(enc["value_ans_table"]) > 0 and len(enc["value_code_lengths"]) == 0
    assert (len(enc["gap_ans_table"]) > 0) == (fmt != "dense")
    assert dc_core.verify(**enc) is None
    dense = dc_core.decompress(**enc)
    assert np.array_equal(dense.view(np.uint32), codebook[idx].view(np.uint32))
    assert np.array_equal(dc_core.decompress_to_indices(**enc), idx)
    st = dc_core.measure_storage(**enc)
    fixed = dc_core.measure_storage(**dc_core.encode_indices(
        list(idx.shape), idx.ravel(), codebook, fmt, bits, 3, "none"))
    assert st["value_bytes_coded"] == len(enc["values"])
    assert st["code_table_bytes"] == len(enc["value_ans_table"]) + len(enc["gap_ans_table"])
    assert st["bytes_pq"] == fixed["bytes_pq"]
    # Skewed indices: rANS is within a few bytes of the order-0 entropy, below fixed width.
    assert st["value_bytes_coded"] < fixed["value_bytes_fixed"]
    assert st["value_bytes_coded"] * 8 < st["value_entropy_bits"] + 64
    # Without its table, or with a damaged one, the tensor is rejected, not misread.
    no_table = dict(enc, value_ans_table=np.zeros(0, np.uint8))
    assert dc_core.verify(**no_table) is not None
    with pytest.raises(ValueError):
        dc_core.decompress(**no_table)
    bad = dict(enc, value_ans_table=enc["value_ans_table"].copy())
    bad["value_ans_table"][-1] ^= 0x5A
    with pytest.raises(ValueError):
        if dc_core.verify(**bad) is not None:
            raise ValueError(dc_core.verify(**bad))
        dc_core.decompress(**bad)
    # A Huffman tensor given rANS tables is inconsistent.
    huff = dc_core.encode_indices(list(idx.shape), idx.ravel(), codebook, fmt, bits, 3,
                                  "huffman")
    assert dc_core.verify(**dict(huff, value_ans_table=enc["value_ans_table"])) is not None


def test_encode_per_row_codebooks(dc_core):
    """codebook_rows: one codebook per R rows of the matrix view, group-local indices."""
    rng = np.random.RandomState(3)
    rows, cols, bits, R = 8, 10, 3, 2
    groups = rows // R
    cb = np.zeros((groups, 8), np.float32)
    cb[:, 1:] = np.sort(rng.randn(groups, 7), axis=1) * (1 + np.arange(groups))[:, None]
    idx = rng.randint(0, 8, size=(rows, cols)).astype(np.uint32)
    for entropy in ("none", "huffman", "ans"):
        enc = dc_core.encode_indices([rows, cols], idx.ravel(), cb.ravel(), "csr", bits, 3,
                                     entropy, codebook_rows=R)
        assert enc["codebook_rows"] == R
        assert dc_core.verify(**enc) is None
        want = cb[np.arange(rows)[:, None] // R, idx]
        assert np.array_equal(dc_core.decompress(**enc), want)
        assert dc_core.measure_storage(**enc)["codebook_bytes"] == 4 * cb.size
    with pytest.raises(ValueError, match="codebook_rows"):
        dc_core.encode_indices([rows, cols], idx.ravel(), cb.ravel(), "csr", bits, 3, "none",
                               codebook_rows=3)
