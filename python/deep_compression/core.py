"""Loads ``_dc_core``, the pybind11 binding of dc's C++ core library (lib/Core).

The module is built by CMake into ``$DC_BUILD_DIR/python/deep_compression/``
(``DC_BUILD_DIR`` defaults to ``<repo>/build``). Everything k-means and
encoding related in this package goes through it, so Python clusters and
encodes exactly like the compiler.
"""

import glob
import importlib.util
import os
import sys

from . import build_dir

_module = None


def module_dir():
    return os.path.join(build_dir(), "python", "deep_compression")


def load():
    global _module
    if _module is not None:
        return _module
    if "_dc_core" in sys.modules:
        _module = sys.modules["_dc_core"]
        return _module
    candidates = sorted(glob.glob(os.path.join(module_dir(), "_dc_core*.so")))
    if not candidates:
        raise ImportError(
            "_dc_core not found in %s: build it first (cmake -G Ninja -S . -B build && "
            "ninja -C build _dc_core), or set DC_BUILD_DIR" % module_dir())
    spec = importlib.util.spec_from_file_location("_dc_core", candidates[0])
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    sys.modules["_dc_core"] = mod
    _module = mod
    return mod


def available():
    try:
        load()
        return True
    except ImportError:
        return False


def __getattr__(name):  # core.kmeans1d(...) etc. forward to the binding
    if name.startswith("__"):
        raise AttributeError(name)
    return getattr(load(), name)
