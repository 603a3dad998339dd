"""Hostile arguments to the core binding are Python exceptions: never a
hang, a crash of the interpreter or a huge allocation (issue 12)."""
import numpy as np
import pytest


def test_kmeans_nan_tolerance(dc_core):
    with pytest.raises(ValueError, match="tol"):
        dc_core.kmeans1d(np.ones(8, np.float32), 4, tol=float("nan"))
    with pytest.raises(ValueError, match="tol"):
        dc_core.kmeans1d(np.ones(8, np.float32), 4, tol=float("inf"))
    with pytest.raises(ValueError, match="tol"):
        dc_core.kmeans1d(np.ones(8, np.float32), 4, tol=-1.0)


def test_kmeans_non_finite_values(dc_core):
    for bad in (np.nan, np.inf, -np.inf):
        v = np.ones(8, np.float32)
        v[3] = bad
        with pytest.raises(ValueError, match="non-finite element 3"):
            dc_core.kmeans1d(v, 4)


def test_kmeans_absurd_sizes(dc_core):
    with pytest.raises(ValueError, match="k must be at most"):
        dc_core.kmeans1d(np.ones(8, np.float32), 2**32 - 1)
    with pytest.raises(ValueError, match="max_iter"):
        dc_core.kmeans1d(np.ones(8, np.float32), 4, max_iter=2**32 - 1)
    with pytest.raises((TypeError, OverflowError)):
        dc_core.kmeans1d(np.ones(8, np.float32), -1)


def test_assign_nearest_non_finite(dc_core):
    with pytest.raises(ValueError, match="non-finite"):
        dc_core.assign_nearest(np.array([np.nan], np.float32),
                               np.array([0.0, 1.0], np.float32))
    with pytest.raises(ValueError, match="non-finite"):
        dc_core.assign_nearest(np.array([1.0], np.float32),
                               np.array([0.0, np.nan], np.float32))


def test_huge_declared_shape_with_empty_payload(dc_core):
    # 2^40 x 1 CSC, no entries: valid, but decompressing would need 4 TiB.
    with pytest.raises(ValueError, match="too large to decompress"):
        dc_core.decompress([2**40, 1], np.array([0.0, 1.0], np.float32),
                           np.zeros(0, np.uint8), "csc", 1, 2, "none", 0,
                           np.zeros(0, np.uint8), np.zeros(2, np.uint32))


def test_overflowing_shape(dc_core):
    with pytest.raises(ValueError):
        dc_core.encode_indices([5, 2**62], np.zeros(0, np.uint32),
                               np.array([0.0, 1.0], np.float32), "dense", 1,
                               1, "none")
    err = dc_core.verify([5, 2**62], np.array([0.0, 1.0], np.float32),
                         np.zeros(0, np.uint8), "dense", 1, 1, "none", 0)
    assert "too many elements" in err


def test_corrupt_streams(dc_core):
    rng = np.random.RandomState(0)
    cb = np.array([0.0, 1.0, 2.0, 3.0], np.float32)
    idx = rng.randint(0, 4, size=64).astype(np.uint32)
    enc = dc_core.encode_indices([8, 8], idx, cb, "csr", 2, 2, "huffman")
    for key in ("values", "gaps", "value_code_lengths", "gap_code_lengths",
                "pointers"):
        for trial in range(20):
            bad = dict(enc)
            arr = np.array(enc[key]).copy()
            if arr.size == 0:
                continue
            arr.flat[rng.randint(arr.size)] ^= np.array(
                1 << rng.randint(8), arr.dtype)
            bad[key] = arr
            try:
                out = dc_core.decompress(**bad)
            except ValueError:
                continue
            assert out.shape == (8, 8)


def test_wrong_types(dc_core):
    with pytest.raises(TypeError):
        dc_core.decompress("not a shape", None, None)
    with pytest.raises((TypeError, OverflowError)):
        dc_core.encode_indices([2], np.array([1, 1], np.uint32),
                               np.array([0.0, 1.0], np.float32), "dense",
                               -1, 2, "none")
