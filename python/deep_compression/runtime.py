"""Compile MLIR to a shared library and run it through ctypes.

``compile_mlir`` runs an optimizer tool (stock ``mlir-opt`` or dc's ``dc-opt``)
with a list of pipeline flags, then ``mlir-translate --mlir-to-llvmir`` and
``clang -O2 -shared``. ``CompiledModel`` loads the library and calls
``_mlir_ciface_<func>(result*, input*)`` with MLIR memref descriptors
({allocated, aligned, offset, sizes[rank], strides[rank]}).
"""

import ctypes
import os
import re
import shutil
import subprocess
import time

import numpy as np

LLVM_BIN = "/usr/lib/llvm-22/bin"
MLIR_OPT = os.path.join(LLVM_BIN, "mlir-opt")
MLIR_TRANSLATE = os.path.join(LLVM_BIN, "mlir-translate")
CLANG = shutil.which("clang-22") or os.path.join(LLVM_BIN, "clang")

# Lowering of linalg-on-tensors to LLVM with stock mlir-opt 22.
STOCK_PIPELINE = [
    "--linalg-generalize-named-ops",
    "--one-shot-bufferize=bufferize-function-boundaries",
    "--convert-linalg-to-loops",
    "--convert-scf-to-cf",
    "--expand-strided-metadata",
    "--lower-affine",
    "--finalize-memref-to-llvm",
    "--convert-math-to-llvm",
    "--convert-math-to-libm",  # erf and others without an LLVM intrinsic
    "--convert-to-llvm",
    "--reconcile-unrealized-casts",
]


class CompileError(RuntimeError):
    pass


def _run(cmd, log=None):
    t0 = time.time()
    p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    if log:
        log("  $ %s  (%.1fs)" % (" ".join(cmd), time.time() - t0))
    if p.returncode != 0:
        raise CompileError("command failed (%d): %s\n%s" % (p.returncode, " ".join(cmd),
                                                           p.stderr[-4000:]))
    return p


def run_opt(input_path, output_path, tool=MLIR_OPT, flags=None, log=None):
    """``tool input flags... -o output``; returns the completed process."""
    flags = list(STOCK_PIPELINE if flags is None else flags)
    return _run([tool, input_path] + flags + ["-o", output_path], log)


def compile_mlir(input_path, workdir=None, tool=MLIR_OPT, flags=None, opt_level="-O2",
                 cflags=(), name=None, log=None):
    """Lowers ``input_path`` (MLIR) to a shared library; returns its path."""
    workdir = workdir or os.path.dirname(os.path.abspath(input_path))
    os.makedirs(workdir, exist_ok=True)
    base = name or os.path.splitext(os.path.basename(input_path))[0]
    lowered = os.path.join(workdir, base + ".llvm.mlir")
    ll = os.path.join(workdir, base + ".ll")
    so = os.path.join(workdir, base + ".so")
    run_opt(input_path, lowered, tool, flags, log)
    _run([MLIR_TRANSLATE, "--mlir-to-llvmir", lowered, "-o", ll], log)
    # memrefCopy (copies between strided buffers) lives in the C runner utils.
    libdir = os.path.dirname(MLIR_OPT).replace("/bin", "/lib")
    runner = [os.path.join(libdir, "libmlir_c_runner_utils.so"), "-Wl,-rpath," + libdir]
    _run([CLANG, opt_level, "-shared", "-fPIC", "-Wno-override-module"] + list(cflags) +
         [ll, "-o", so] + runner, log)
    return so


_MEMREF_TYPES = {}


def memref_type(rank):
    if rank in _MEMREF_TYPES:
        return _MEMREF_TYPES[rank]
    fields = [("allocated", ctypes.POINTER(ctypes.c_float)),
              ("aligned", ctypes.POINTER(ctypes.c_float)),
              ("offset", ctypes.c_int64)]
    if rank:
        fields += [("sizes", ctypes.c_int64 * rank), ("strides", ctypes.c_int64 * rank)]
    t = type("MemRef%dDF32" % rank, (ctypes.Structure,), {"_fields_": fields})
    _MEMREF_TYPES[rank] = t
    return t


def to_memref(arr):
    arr = np.ascontiguousarray(arr, dtype=np.float32)
    desc = memref_type(arr.ndim)()
    ptr = arr.ctypes.data_as(ctypes.POINTER(ctypes.c_float))
    desc.allocated = ptr
    desc.aligned = ptr
    desc.offset = 0
    for i, (s, st) in enumerate(zip(arr.shape, arr.strides)):
        desc.sizes[i] = s
        desc.strides[i] = st // arr.itemsize
    return desc, arr


def from_memref(desc, rank):
    sizes = [desc.sizes[i] for i in range(rank)]
    strides = [desc.strides[i] for i in range(rank)]
    n = 1 + sum((s - 1) * st for s, st in zip(sizes, strides)) if all(sizes) else 0
    base = ctypes.cast(desc.aligned, ctypes.c_void_p).value + desc.offset * 4
    buf = (ctypes.c_float * max(n, 1)).from_address(base)
    flat = np.frombuffer(buf, dtype=np.float32, count=n)
    out = np.lib.stride_tricks.as_strided(flat, shape=sizes,
                                          strides=[st * 4 for st in strides])
    return np.array(out, copy=True)


_SIG = re.compile(r"func\.func\s+@(\w+)\(%arg0:\s*tensor<([0-9x]+)xf32>\)\s*->\s*"
                  r"tensor<([0-9x]+)xf32>")


def signature(mlir_text, func="forward"):
    """(input shape, output shape) of ``func`` from the exported MLIR text."""
    for m in _SIG.finditer(mlir_text):
        if m.group(1) == func:
            return (tuple(int(d) for d in m.group(2).split("x")),
                    tuple(int(d) for d in m.group(3).split("x")))
    raise ValueError("no func.func @%s(tensor) -> tensor found" % func)


class CompiledModel:
    """A compiled ``forward`` in a shared library, callable on numpy arrays."""

    def __init__(self, so_path, input_shape, output_shape, func="forward", free_result=True):
        self.lib = ctypes.CDLL(os.path.abspath(so_path))
        self.fn = getattr(self.lib, "_mlir_ciface_" + func)
        self.input_shape = tuple(input_shape)
        self.output_shape = tuple(output_shape)
        self.in_type = memref_type(len(input_shape))
        self.out_type = memref_type(len(output_shape))
        self.fn.argtypes = [ctypes.POINTER(self.out_type), ctypes.POINTER(self.in_type)]
        self.fn.restype = None
        self.free_result = free_result
        self._libc = ctypes.CDLL(None)
        self._libc.free.argtypes = [ctypes.c_void_p]

    def __call__(self, x):
        x = np.ascontiguousarray(x, dtype=np.float32)
        if tuple(x.shape) != self.input_shape:
            raise ValueError("input shape %s != compiled %s" % (x.shape, self.input_shape))
        inp, keep = to_memref(x)
        out = self.out_type()
        self.fn(ctypes.byref(out), ctypes.byref(inp))
        result = from_memref(out, len(self.output_shape))
        if self.free_result and out.allocated and \
                ctypes.cast(out.allocated, ctypes.c_void_p).value != x.ctypes.data:
            self._libc.free(ctypes.cast(out.allocated, ctypes.c_void_p))
        del keep
        return result

    def predict(self, images):
        """Runs batches of the compiled size over ``images`` (padding the last one)."""
        return run_batches(self, images, self.input_shape)


def run_batches(fn, images, input_shape):
    """``fn`` (one batch of ``input_shape`` in, its output out) over all of ``images`` in
    batches of the compiled size, the last one padded with zeros; the outputs of the
    images, concatenated."""
    b = input_shape[0]
    images = np.asarray(images, dtype=np.float32).reshape((-1,) + tuple(input_shape[1:]))
    outs = []
    for i in range(0, len(images), b):
        chunk = images[i:i + b]
        n = len(chunk)
        if n < b:
            chunk = np.concatenate([chunk, np.zeros((b - n,) + chunk.shape[1:], np.float32)])
        outs.append(fn(chunk)[:n])
    return np.concatenate(outs)


def load_compiled(so_path, mlir_text, func="forward"):
    ins, outs = signature(mlir_text, func)
    return CompiledModel(so_path, ins, outs, func)


def compile_and_load(mlir_path, workdir=None, tool=MLIR_OPT, flags=None, func="forward",
                     log=None, **kw):
    so = compile_mlir(mlir_path, workdir, tool, flags, log=log, **kw)
    with open(mlir_path) as f:
        head = f.read(1 << 16)
    return load_compiled(so, head, func)
