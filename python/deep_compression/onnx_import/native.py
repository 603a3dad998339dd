"""Compile an imported module with dc-opt and call its functions on numpy
arrays: any number of f32 inputs and results (``_mlir_ciface_<func>``)."""

import ctypes
import os
import re

import numpy as np

from .. import build_dir
from .. import runtime

_FUNC = re.compile(r"func\.func\s+@(\w+)\(([^)]*)\)\s*->\s*(\([^)]*\)|tensor<[^>]*>)")
_TENSOR = re.compile(r"tensor<([0-9x]*?)x?f32>")


def dc_opt_path():
    return os.environ.get("DC_OPT", os.path.join(build_dir(), "bin", "dc-opt"))


def _shapes(text):
    out = []
    for m in _TENSOR.finditer(text):
        dims = m.group(1)
        out.append(tuple(int(d) for d in dims.split("x")) if dims else ())
    return out


def signatures(mlir_text):
    """{func name: (input shapes, result shapes)} of the module's functions."""
    return {m.group(1): (_shapes(m.group(2)), _shapes(m.group(3)))
            for m in _FUNC.finditer(mlir_text)}


def compile_module(mlir_path, workdir=None, compress=None, tool=None, extra_flags=(),
                   log=None, opt_level="-O2", name=None):
    """dc-opt [--dc-compress=OPTS] --dc-to-llvm, mlir-translate, clang; the .so path.
    ``name``: base name of the outputs (a loaded .so path must not be reused:
    the dynamic loader would return the old library)."""
    flags = list(extra_flags)
    if compress is not None:
        flags.append("--dc-compress" + ("=" + compress if compress else ""))
    flags.append("--dc-to-llvm")
    # memrefCopy (copies between strided buffers) lives in the C runner utils.
    libdir = os.path.dirname(runtime.MLIR_OPT).replace("/bin", "/lib")
    cflags = [os.path.join(libdir, "libmlir_c_runner_utils.so"), "-Wl,-rpath," + libdir]
    return runtime.compile_mlir(mlir_path, workdir, tool=tool or dc_opt_path(), flags=flags,
                                log=log, opt_level=opt_level, name=name, cflags=cflags)


def _to_memref(arr):
    if arr.ndim:
        return runtime.to_memref(arr)
    desc = runtime.memref_type(0)()
    ptr = arr.ctypes.data_as(ctypes.POINTER(ctypes.c_float))
    desc.allocated = desc.aligned = ptr
    desc.offset = 0
    return desc, arr


class NativeFunction:
    """``f(*arrays) -> [arrays]`` for one ``llvm.emit_c_interface`` function."""

    def __init__(self, lib, name, in_shapes, out_shapes):
        self.lib = lib if isinstance(lib, ctypes.CDLL) else ctypes.CDLL(os.path.abspath(lib))
        self.fn = getattr(self.lib, "_mlir_ciface_" + name)
        self.in_shapes = [tuple(s) for s in in_shapes]
        self.out_shapes = [tuple(s) for s in out_shapes]
        self.out_types = [runtime.memref_type(len(s)) for s in self.out_shapes]
        if len(self.out_shapes) == 1:
            self.result_type = self.out_types[0]
        else:
            self.result_type = type("Results", (ctypes.Structure,), {
                "_fields_": [("r%d" % i, t) for i, t in enumerate(self.out_types)]})
        self.fn.argtypes = [ctypes.POINTER(self.result_type)] + [
            ctypes.POINTER(runtime.memref_type(len(s))) for s in self.in_shapes]
        self.fn.restype = None
        self._libc = ctypes.CDLL(None)
        self._libc.free.argtypes = [ctypes.c_void_p]

    def __call__(self, *arrays):
        if len(arrays) != len(self.in_shapes):
            raise ValueError("%d inputs given, %d expected" % (len(arrays), len(self.in_shapes)))
        descs, keep = [], []
        for a, s in zip(arrays, self.in_shapes):
            a = np.array(a, dtype=np.float32, order="C")  # a copy; keeps rank 0
            if tuple(a.shape) != s:
                raise ValueError("input shape %s != compiled %s" % (a.shape, s))
            d, k = _to_memref(a)
            descs.append(d)
            keep.append(k)
        res = self.result_type()
        self.fn(ctypes.byref(res), *[ctypes.byref(d) for d in descs])
        parts = [res] if len(self.out_shapes) == 1 else [getattr(res, "r%d" % i)
                                                          for i in range(len(self.out_shapes))]
        outs = []
        inputs = {k.ctypes.data for k in keep}
        freed = set()
        for p, s in zip(parts, self.out_shapes):
            outs.append(runtime.from_memref(p, len(s)) if len(s) else np.array(
                ctypes.cast(p.aligned, ctypes.POINTER(ctypes.c_float))[p.offset], np.float32))
            ptr = ctypes.cast(p.allocated, ctypes.c_void_p).value
            if ptr and ptr not in inputs and ptr not in freed:
                self._libc.free(ptr)
                freed.add(ptr)
        return outs


def load(so_path, mlir_text, func="forward"):
    ins, outs = signatures(mlir_text)[func]
    return NativeFunction(so_path, func, ins, outs)
