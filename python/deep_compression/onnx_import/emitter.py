"""MLIR text building blocks for the ONNX importer.

Values flowing through the importer are either :class:`Const` (known at import
time: a numpy array and the ONNX name it came from) or :class:`Tensor` (an f32
SSA value of static shape in the function being built). :class:`Emitter`
writes the function body: tensors, constants (``dense_resource`` blobs with
``dc.layer``), and ``linalg.generic`` ops with ONNX broadcasting.
"""

import math
import re

import numpy as np

ALIGNMENT_HEX = "04000000"  # builtin blob prefix: alignment 4 (uint32 LE)


class OnnxImportError(Exception):
    """An ONNX model the importer cannot translate faithfully (one line)."""


class NeedsConstant(OnnxImportError):
    """An input that must be known at import is a run-time tensor."""

    def __init__(self, message, input_name):
        super().__init__(message)
        self.input_name = input_name


class Const:
    """A value known at import time. ``name``: the initializer, Constant
    output or node output it comes from (becomes ``dc.layer``)."""

    def __init__(self, array, name):
        self.array = np.asarray(array)
        self.name = name

    @property
    def shape(self):
        return tuple(self.array.shape)


class Tensor:
    """A run-time f32 tensor: an SSA name (without %) and a static shape."""

    def __init__(self, ssa, shape):
        self.ssa = ssa
        self.shape = tuple(int(d) for d in shape)


def ttype(shape, elem="f32"):
    return "tensor<%s%s>" % ("".join("%dx" % d for d in shape), elem)


def f32_lit(x):
    x = float(np.float32(x))
    if math.isinf(x) or math.isnan(x):
        return "0x%08X" % np.array(x, dtype=np.float32).view(np.uint32)
    return "%.9e" % x


def amap(ndims, results):
    """affine_map<(d0, ...) -> (results)> with results as strings."""
    dims = ", ".join("d%d" % i for i in range(ndims))
    return "affine_map<(%s) -> (%s)>" % (dims, ", ".join(results))


def broadcast_shape(*shapes):
    rank = max((len(s) for s in shapes), default=0)
    out = []
    for i in range(rank):
        dims = {s[len(s) - rank + i] for s in shapes if len(s) - rank + i >= 0}
        dims.discard(1)
        if len(dims) > 1:
            raise ValueError("shapes %s do not broadcast" % (list(shapes),))
        out.append(dims.pop() if dims else 1)
    return tuple(out)


def broadcast_map(in_shape, out_shape):
    """Indexing map reading an ``in_shape`` operand in an ``out_shape`` loop
    (ONNX/numpy broadcasting: aligned right, size-1 dims read index 0)."""
    r = len(out_shape)
    off = r - len(in_shape)
    res = []
    for i, d in enumerate(in_shape):
        res.append("0" if d == 1 and out_shape[off + i] != 1 else "d%d" % (off + i))
    return amap(r, res)


_RESOURCE_CHARS = re.compile(r"[^A-Za-z0-9_]")


class Emitter:
    def __init__(self, resource_prefix=""):
        self.prefix = resource_prefix
        self.lines = []
        self.resources = []  # (key, hex)
        self._names = set()
        self._resource_keys = set()
        self._const_cache = {}  # id(Const) -> (Const, Tensor)
        self._content_cache = {}  # (name, shape, digest) -> Tensor
        self._scalar_cache = {}
        self.layer_names = {}  # dc.layer name -> count of constants so named
        self.counter = 0

    # --- names -------------------------------------------------------------
    def fresh(self, base="v"):
        base = _RESOURCE_CHARS.sub("_", base)[:40] or "v"
        if not base[0].isalpha() and base[0] != "_":
            base = "v" + base
        self.counter += 1
        name = "%s_%d" % (base, self.counter)
        return name

    def emit(self, line):
        self.lines.append("    " + line)

    # --- constants ---------------------------------------------------------
    def resource(self, name, array):
        key = _RESOURCE_CHARS.sub("_", name) or "w"
        if not key[0].isalpha():
            key = "w_" + key
        key = self.prefix + key
        base, i = key, 1
        while key in self._resource_keys:
            i += 1
            key = "%s_%d" % (base, i)
        self._resource_keys.add(key)
        arr = np.ascontiguousarray(array)
        if arr.dtype.byteorder == ">":
            arr = arr.astype(arr.dtype.newbyteorder("<"))
        self.resources.append((key, "0x" + ALIGNMENT_HEX + arr.tobytes().hex().upper()))
        return key

    def scalar(self, value, elem="f32"):
        """An arith.constant scalar (hoisted; reusable inside regions)."""
        key = (elem, f32_lit(value) if elem == "f32" else int(value))
        if key not in self._scalar_cache:
            ssa = self.fresh("c")
            if elem == "f32":
                self.emit("%%%s = arith.constant %s : f32" % (ssa, key[1]))
            else:
                self.emit("%%%s = arith.constant %d : %s" % (ssa, key[1], elem))
            self._scalar_cache[key] = ssa
        return self._scalar_cache[key]

    def const_tensor(self, c):
        """Materializes a Const as an f32 tensor constant (once per Const)."""
        if id(c) in self._const_cache:
            return self._const_cache[id(c)][1]
        arr = np.asarray(c.array)
        if arr.dtype.kind not in "fiub":
            raise OnnxImportError("constant '%s' of type %s cannot be a run-time tensor"
                                  % (c.name, arr.dtype))
        arr = np.ascontiguousarray(arr, dtype=np.float32)
        # The same values under the same name (a weight used twice through
        # folded transposes, or deduplicated by torch.onnx) are one constant.
        import hashlib
        key = (c.name, arr.shape, hashlib.sha1(arr.tobytes()).hexdigest())
        if key in self._content_cache:
            self._const_cache[id(c)] = (c, self._content_cache[key])
            return self._content_cache[key]
        ssa = self.fresh(c.name)
        t = ttype(arr.shape)
        if arr.size == 0:
            self.emit("%%%s = tensor.empty() : %s" % (ssa, t))
        else:
            blob = self.resource(c.name, arr)
            self.layer_names[c.name] = self.layer_names.get(c.name, 0) + 1
            self.emit('%%%s = arith.constant {dc.layer = "%s"} dense_resource<%s> : %s'
                      % (ssa, c.name.replace("\\", "\\\\").replace('"', '\\"'), blob, t))
        out = Tensor(ssa, arr.shape)
        self._const_cache[id(c)] = (c, out)  # keep c alive: ids stay unique
        self._content_cache[key] = out
        return out

    def index_tensor(self, array, base="idx"):
        """A small i64 constant tensor (indices computed at import)."""
        arr = np.ascontiguousarray(array, dtype=np.int64)
        ssa = self.fresh(base)
        key = self.resource(base, arr)
        self.emit("%%%s = arith.constant dense_resource<%s> : %s"
                  % (ssa, key, ttype(arr.shape, "i64")))
        return ssa

    def as_tensor(self, v):
        if isinstance(v, Tensor):
            return v
        return self.const_tensor(v)

    # --- generic building blocks -------------------------------------------
    def empty(self, shape):
        ssa = self.fresh("empty")
        self.emit("%%%s = tensor.empty() : %s" % (ssa, ttype(shape)))
        return ssa

    def filled(self, shape, value):
        e = self.empty(shape)
        f = self.fresh("fill")
        t = ttype(shape)
        self.emit("%%%s = linalg.fill ins(%%%s : f32) outs(%%%s : %s) -> %s"
                  % (f, self.scalar(value), e, t, t))
        return f

    def generic(self, out_shape, inputs, body, iterators=None, init=None, elems=None):
        """linalg.generic over ``len(iterators)`` loops writing ``out_shape``.

        ``inputs``: list of (ssa, type string, indexing map). ``body(args, out)``
        gets the block argument names (inputs then the output accumulator) and
        returns (lines, result ssa). ``init``: output ssa (default tensor.empty).
        """
        iterators = iterators or ["parallel"] * len(out_shape)
        out_map = amap(len(iterators), ["d%d" % i for i in range(len(out_shape))])
        return self.generic_maps(out_shape, inputs, body, iterators, init, out_map)

    def generic_maps(self, out_shape, inputs, body, iterators, init, out_map):
        init = init or self.empty(out_shape)
        ot = ttype(out_shape)
        res = self.fresh("g")
        args = [self.fresh("a") for _ in inputs]
        acc = self.fresh("o")
        # The body first: scalar constants it asks for land before the op.
        lines, result = body(args, acc)
        maps = ", ".join([m for _, _, m in inputs] + [out_map])
        its = ", ".join('"%s"' % i for i in iterators)
        head = "%%%s = linalg.generic {indexing_maps = [%s], iterator_types = [%s]}" % (
            res, maps, its)
        if inputs:
            head += " ins(%s : %s)" % (", ".join("%" + s for s, _, _ in inputs),
                                       ", ".join(t for _, t, _ in inputs))
        head += " outs(%%%s : %s) {" % (init, ot)
        self.emit(head)
        elem_of = lambda t: t[len("tensor<"):-1].split("x")[-1]
        sig = ", ".join(["%%%s: %s" % (a, elem_of(t)) for a, (_, t, _) in zip(args, inputs)]
                        + ["%%%s: f32" % acc])
        self.emit("^bb0(%s):" % sig)
        for line in lines:
            self.emit("  " + line)
        self.emit("  linalg.yield %%%s : f32" % result)
        self.emit("} -> %s" % ot)
        return res

    def elementwise(self, values, fn, out_shape=None, base="ew"):
        """Elementwise op with ONNX broadcasting. ``fn(emit, args)`` gets a
        function emitting one body line (``emit(rhs) -> ssa``) and the scalar
        operand names; returns the result ssa. Splat constants are inlined
        as scalars."""
        shapes = [v.shape for v in values]
        shape = broadcast_shape(*shapes) if out_shape is None else tuple(out_shape)
        inputs, scalars = [], []
        for v in values:
            if isinstance(v, Const) and v.array.size >= 1 and \
                    np.all(v.array.astype(np.float32) == v.array.astype(np.float32).flat[0]) and \
                    len(v.shape) <= len(shape):
                scalars.append(self.scalar(np.float32(v.array.flat[0])))
            else:
                t = self.as_tensor(v)
                scalars.append(None)
                inputs.append((t.ssa, ttype(t.shape), broadcast_map(t.shape, shape)))

        def body(args, acc):
            lines = []
            it = iter(args)
            operands = [s if s is not None else next(it) for s in scalars]

            def emit(rhs):
                r = self.fresh("s")
                lines.append("%%%s = %s" % (r, rhs))
                return r
            result = fn(emit, operands)
            return lines, result
        return Tensor(self.generic(shape, inputs, body), shape)
