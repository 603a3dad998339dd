"""Shape and data-movement ops. Each handler takes Const inputs too (then
it folds with numpy), so shape computations fold at import."""

import numpy as np
import onnx
from onnx import numpy_helper

from . import tensor_ops as T
from .emitter import Const, Tensor, amap, ttype
from .registry import op


@op("Constant")
def constant(cx):
    a = cx.attrs
    name = cx.node.output[0]
    if "value" in a:
        return Const(numpy_helper.to_array(a["value"]), name)
    for key, dt in (("value_float", np.float32), ("value_floats", np.float32),
                    ("value_int", np.int64), ("value_ints", np.int64)):
        if key in a:
            return Const(np.array(a[key], dtype=dt), name)
    cx.fail("attribute %s not supported" % (", ".join(a) or "(none)"))


@op("Shape")
def shape(cx):
    s = np.array(cx.tensor(0).shape, dtype=np.int64)
    start, end = cx.attr("start", 0), cx.attr("end", None)
    return Const(s[start:end] if end is not None else s[start:], cx.node.output[0])


@op("Size")
def size(cx):
    return Const(np.array(int(np.prod(cx.tensor(0).shape)), dtype=np.int64), cx.node.output[0])


def _reshape(cx, x, shape):
    try:
        return T.reshape(cx.em, x, shape)
    except ValueError as err:
        cx.fail(str(err))


@op("Reshape")
def reshape(cx):
    x = cx.tensor(0)
    if cx.opset < 5:
        target = list(cx.attr("shape", []))
    else:
        target = [int(d) for d in np.asarray(cx.const(1, "shape")).reshape(-1)]
    allowzero = cx.attr("allowzero", 0)
    out = []
    for i, d in enumerate(target):
        if d == 0 and not allowzero:
            if i >= len(x.shape):
                cx.fail("shape=%s copies dimension %d of a rank-%d input" % (target, i,
                                                                             len(x.shape)))
            d = x.shape[i]
        out.append(d)
    if out.count(-1) > 1:
        cx.fail("shape=%s has more than one -1" % target)
    if -1 in out:
        known = int(np.prod([d for d in out if d != -1]))
        total = int(np.prod(x.shape))
        if known == 0 or total % known:
            cx.fail("shape=%s does not fit an input of shape %s" % (target, list(x.shape)))
        out[out.index(-1)] = total // known
    if int(np.prod(out)) != int(np.prod(x.shape)) or any(d < 0 for d in out):
        cx.fail("shape=%s does not fit an input of shape %s" % (target, list(x.shape)))
    return _reshape(cx, x, out)


@op("Flatten")
def flatten(cx):
    x = cx.tensor(0)
    r = len(x.shape)
    axis = cx.attr("axis", 1)
    if not -r <= axis <= r:
        cx.fail("axis=%d out of range for rank %d" % (axis, r))
    axis = axis + r if axis < 0 else axis
    return _reshape(cx, x, (int(np.prod(x.shape[:axis])), int(np.prod(x.shape[axis:]))))


def _axes_list(cx, idx=1):
    if cx.opset >= 13:
        a = cx.const(idx, "axes")
    else:
        a = cx.attr("axes")
    return None if a is None else [int(v) for v in np.asarray(a).reshape(-1)]


@op("Squeeze")
def squeeze(cx):
    x = cx.tensor(0)
    axes = _axes_list(cx)
    r = len(x.shape)
    if axes is None:
        axes = [i for i, d in enumerate(x.shape) if d == 1]
    axes = {cx.axis(a, r) for a in axes}
    for a in axes:
        if x.shape[a] != 1:
            cx.fail("axis %d has size %d, not 1" % (a, x.shape[a]))
    return _reshape(cx, x, [d for i, d in enumerate(x.shape) if i not in axes])


@op("Unsqueeze")
def unsqueeze(cx):
    x = cx.tensor(0)
    axes = _axes_list(cx)
    if axes is None:
        cx.fail("axes are required")
    r = len(x.shape) + len(axes)
    axes = sorted({cx.axis(a, r) for a in axes})
    if len(axes) != len(_axes_list(cx)):
        cx.fail("repeated axes %s" % _axes_list(cx))
    shape, it = [], iter(x.shape)
    for i in range(r):
        shape.append(1 if i in axes else next(it))
    return _reshape(cx, x, shape)


@op("Transpose")
def transpose(cx):
    x = cx.tensor(0)
    r = len(x.shape)
    perm = list(cx.attr("perm", list(range(r))[::-1]))
    if sorted(perm) != list(range(r)):
        cx.fail("perm=%s is not a permutation of %d axes" % (perm, r))
    return T.transpose(cx.em, x, perm)


@op("Concat")
def concat(cx):
    vals = [v for v in cx.inputs if v is not None]
    r = len(vals[0].shape)
    if "axis" not in cx.attrs and cx.opset >= 4:
        cx.fail("axis is required")
    axis = cx.axis(cx.attr("axis", 1), r)
    for v in vals:
        if len(v.shape) != r or any(a != b for i, (a, b) in enumerate(zip(v.shape, vals[0].shape))
                                    if i != axis):
            cx.fail("shapes %s do not concatenate on axis %d" % ([list(x.shape) for x in vals],
                                                                 axis))
    if all(isinstance(v, Const) for v in vals):
        big = max(vals, key=lambda c: c.array.size)
        return Const(np.concatenate([v.array for v in vals], axis=axis), big.name
                     if big.array.dtype.kind == "f" else cx.node.output[0])
    return T.concat(cx.em, vals, axis)


@op("Split")
def split(cx):
    x = cx.tensor(0)
    r = len(x.shape)
    axis = cx.axis(cx.attr("axis", 0), r)
    n = len(cx.node.output)
    if cx.opset >= 13:
        parts = cx.const(1, "split")
    else:
        parts = cx.attr("split")
    if parts is None:
        if x.shape[axis] % n:
            cx.fail("axis %d of size %d does not split in %d equal parts" % (axis, x.shape[axis],
                                                                              n))
        parts = [x.shape[axis] // n] * n
    parts = [int(p) for p in np.asarray(parts).reshape(-1)]
    if sum(parts) != x.shape[axis] or len(parts) != n:
        cx.fail("split=%s does not fit axis %d of size %d into %d outputs" % (
            parts, axis, x.shape[axis], n))
    outs, off = [], 0
    for p in parts:
        if isinstance(x, Const):
            outs.append(Const(np.take(x.array, range(off, off + p), axis=axis), x.name))
        else:
            offs = [0] * r
            offs[axis] = off
            sizes = list(x.shape)
            sizes[axis] = p
            outs.append(T.extract_slice(cx.em, x, offs, sizes))
        off += p
    return outs


def _slice_params(cx, shape):
    r = len(shape)
    if cx.opset < 10:
        starts, ends = cx.attr("starts"), cx.attr("ends")
        axes, steps = cx.attr("axes"), None
    else:
        starts, ends = cx.const(1, "starts"), cx.const(2, "ends")
        axes, steps = cx.const(3, "axes"), cx.const(4, "steps")
    starts = [int(v) for v in np.asarray(starts).reshape(-1)]
    ends = [int(v) for v in np.asarray(ends).reshape(-1)]
    axes = list(range(len(starts))) if axes is None else [int(a) for a in
                                                           np.asarray(axes).reshape(-1)]
    steps = [1] * len(starts) if steps is None else [int(s) for s in
                                                      np.asarray(steps).reshape(-1)]
    if not len(starts) == len(ends) == len(axes) == len(steps):
        cx.fail("starts/ends/axes/steps of different lengths")
    sl = [slice(None)] * r
    for s, e, a, st in zip(starts, ends, axes, steps):
        a = cx.axis(a, r)
        if st == 0:
            cx.fail("step 0 on axis %d" % a)
        sl[a] = slice(*slice(s, e, st).indices(shape[a]))
    return sl


@op("Slice")
def slice_(cx):
    x = cx.tensor(0)
    sl = _slice_params(cx, x.shape)
    if isinstance(x, Const):
        return Const(x.array[tuple(sl)], x.name)
    full = [s.indices(d) for s, d in zip(sl, x.shape)]
    sizes = [len(range(*f)) for f in full]
    if any(n == 0 for n in sizes):
        cx.fail("empty result shape %s" % sizes)
    if all(f[2] > 0 for f in full):
        return T.extract_slice(cx.em, x, [f[0] for f in full], sizes, [f[2] for f in full])
    # Negative steps: a copy reading start + step * i.
    r = len(sizes)
    m = amap(r, ["d%d * %d + %d" % (i, f[2], f[0]) if f[2] != 1 or f[0] else "d%d" % i
                 for i, f in enumerate(full)])
    res = cx.em.generic(sizes, [(x.ssa, ttype(x.shape), m)], lambda a, o: ([], a[0]))
    return Tensor(res, sizes)


def gather_axes(em, t, index_arrays, extra=None):
    """Copy of ``t`` where axis k reads ``index_arrays[k][i]`` (i64, built at
    import) instead of i. ``extra``: (f32 weights per axis) unused here."""
    t = em.as_tensor(t)
    r = len(t.shape)
    shape = tuple(len(index_arrays[k]) if k in index_arrays else d for k, d in enumerate(t.shape))
    inputs = []
    for k in sorted(index_arrays):
        ssa = em.index_tensor(index_arrays[k])
        inputs.append((ssa, ttype((len(index_arrays[k]),), "i64"), amap(r, ["d%d" % k])))

    def body(args, acc):
        lines, idx = [], []
        it = iter(args)
        for k in range(r):
            s = em.fresh("i")
            if k in index_arrays:
                lines.append("%%%s = arith.index_cast %%%s : i64 to index" % (s, next(it)))
            else:
                lines.append("%%%s = linalg.index %d : index" % (s, k))
            idx.append("%" + s)
        v = em.fresh("x")
        lines.append("%%%s = tensor.extract %%%s[%s] : %s" % (v, t.ssa, ", ".join(idx),
                                                              ttype(t.shape)))
        return lines, v
    return Tensor(em.generic(shape, inputs, body), shape)


@op("Gather")
def gather(cx):
    x = cx.tensor(0)
    idx = np.asarray(cx.const(1, "indices")).astype(np.int64)
    r = len(x.shape)
    axis = cx.axis(cx.attr("axis", 0), r)
    n = x.shape[axis]
    if np.any(idx < -n) or np.any(idx >= n):
        cx.fail("indices out of range [-%d, %d)" % (n, n))
    idx = np.where(idx < 0, idx + n, idx)
    if isinstance(x, Const):
        return Const(np.take(x.array, idx, axis=axis), x.name)
    em = cx.em
    if idx.ndim == 0:
        offs = [0] * r
        offs[axis] = int(idx)
        sizes = list(x.shape)
        sizes[axis] = 1
        s = T.extract_slice(em, x, offs, sizes)
        return T.reshape(em, s, x.shape[:axis] + x.shape[axis + 1:])
    q = idx.ndim
    shape = x.shape[:axis] + idx.shape + x.shape[axis + 1:]
    rr = len(shape)
    ssa = em.index_tensor(idx)
    inputs = [(ssa, ttype(idx.shape, "i64"), amap(rr, ["d%d" % (axis + j) for j in range(q)]))]

    def body(args, acc):
        lines, ind = [], []
        for k in range(r):
            s = em.fresh("i")
            if k == axis:
                lines.append("%%%s = arith.index_cast %%%s : i64 to index" % (s, args[0]))
            else:
                lines.append("%%%s = linalg.index %d : index" % (s, k if k < axis else k + q - 1))
            ind.append("%" + s)
        v = em.fresh("x")
        lines.append("%%%s = tensor.extract %%%s[%s] : %s" % (v, x.ssa, ", ".join(ind),
                                                              ttype(x.shape)))
        return lines, v
    return Tensor(em.generic(shape, inputs, body), shape)


@op("Pad")
def pad(cx):
    x = cx.tensor(0)
    r = len(x.shape)
    mode = cx.attr("mode", "constant")
    if cx.opset < 11:
        pads = list(cx.attr("pads", cx.attr("paddings", [])))
        value = float(cx.attr("value", 0.0))
    else:
        pads = [int(p) for p in np.asarray(cx.const(1, "pads")).reshape(-1)]
        v = cx.const(2, "constant_value")
        value = 0.0 if v is None or np.asarray(v).size == 0 else float(np.asarray(v).reshape(-1)[0])
        if len(cx.inputs) > 3 and cx.inputs[3] is not None:
            cx.fail("the axes input is not supported")
    if len(pads) != 2 * r:
        cx.fail("pads=%s needs %d values" % (pads, 2 * r))
    lo, hi = pads[:r], pads[r:]
    if mode not in ("constant", "edge", "reflect"):
        cx.fail("mode='%s' not supported" % mode)
    if isinstance(x, Const):
        arr = x.array
        crop = tuple(slice(max(0, -l), d - max(0, -h)) for l, h, d in zip(lo, hi, arr.shape))
        arr = arr[crop]
        width = [(max(0, l), max(0, h)) for l, h in zip(lo, hi)]
        kw = {"constant_values": value} if mode == "constant" else {}
        return Const(np.pad(arr, width, mode=mode, **kw), x.name)
    em = cx.em
    if any(p < 0 for p in lo + hi):
        offs = [max(0, -l) for l in lo]
        sizes = [d - max(0, -l) - max(0, -h) for d, l, h in zip(x.shape, lo, hi)]
        x = T.extract_slice(em, x, offs, sizes)
        lo, hi = [max(0, l) for l in lo], [max(0, h) for h in hi]
    if mode == "constant":
        return T.pad(em, x, lo, hi, value)
    index = {}
    for k, (l, h, d) in enumerate(zip(lo, hi, x.shape)):
        if not l and not h:
            continue
        if mode == "reflect" and (l >= d or h >= d):
            cx.fail("reflect padding %s larger than the input %s" % (pads, list(x.shape)))
        src = np.arange(-l, d + h)
        if mode == "edge":
            src = np.clip(src, 0, d - 1)
        else:
            src = np.abs(src)
            src = np.where(src > d - 1, 2 * (d - 1) - src, src)
        index[k] = src
    return gather_axes(em, x, index) if index else x


def _resize_axis_coords(cx, mode, coord, nearest, in_len, out_len, scale):
    o = np.arange(out_len, dtype=np.float64)
    if coord == "half_pixel":
        x = (o + 0.5) / scale - 0.5
    elif coord == "pytorch_half_pixel":
        x = (o + 0.5) / scale - 0.5 if out_len > 1 else np.zeros_like(o)
    elif coord == "align_corners":
        x = o * (in_len - 1) / (out_len - 1) if out_len > 1 else np.zeros_like(o)
    elif coord == "asymmetric":
        x = o / scale
    elif coord == "tf_half_pixel_for_nn":
        x = (o + 0.5) / scale
    else:
        cx.fail("coordinate_transformation_mode='%s' not supported" % coord)
    if mode == "nearest":
        if nearest == "round_prefer_floor":
            i = np.where(x - np.floor(x) == 0.5, np.floor(x), np.round(x))
        elif nearest == "round_prefer_ceil":
            i = np.where(x - np.floor(x) == 0.5, np.ceil(x), np.round(x))
        elif nearest == "floor":
            i = np.floor(x)
        elif nearest == "ceil":
            i = np.ceil(x)
        else:
            cx.fail("nearest_mode='%s' not supported" % nearest)
        return np.clip(i, 0, in_len - 1).astype(np.int64)
    x = np.clip(x, 0, in_len - 1)
    i0 = np.floor(x).astype(np.int64)
    i1 = np.minimum(i0 + 1, in_len - 1)
    return i0, i1, (x - i0).astype(np.float32)


def _resize(cx, x, scales, sizes, mode, coord, nearest):
    em = cx.em
    r = len(x.shape)
    if mode not in ("nearest", "linear", "bilinear"):
        cx.fail("mode='%s' not supported" % mode)
    if sizes is not None:
        sizes = [int(s) for s in sizes]
        if len(sizes) != r:
            cx.fail("sizes=%s for rank %d" % (sizes, r))
        scales = [s / d for s, d in zip(sizes, x.shape)]
    else:
        scales = [float(s) for s in scales]
        if len(scales) != r:
            cx.fail("scales=%s for rank %d" % (scales, r))
        if any(s <= 0 for s in scales):
            cx.fail("scales=%s must be positive" % scales)
        sizes = [int(np.floor(d * s)) for d, s in zip(x.shape, scales)]
    changed = [k for k in range(r) if sizes[k] != x.shape[k] or scales[k] != 1.0]
    if mode == "nearest":
        index = {k: _resize_axis_coords(cx, mode, coord, nearest, x.shape[k], sizes[k],
                                        scales[k]) for k in changed}
        if isinstance(x, Const):
            arr = x.array
            for k, ix in index.items():
                arr = np.take(arr, ix, axis=k)
            return Const(arr, x.name)
        return gather_axes(em, x, index) if index else x
    y = em.as_tensor(x)
    for k in changed:  # separable: one linear pass per axis
        i0, i1, w = _resize_axis_coords(cx, "linear", coord, nearest, x.shape[k], sizes[k],
                                        scales[k])
        shape = tuple(len(w) if j == k else d for j, d in enumerate(y.shape))
        a0, a1 = em.index_tensor(i0), em.index_tensor(i1)
        wt = em.as_tensor(Const(w, cx.node.output[0] + ".lerp%d" % k))
        m = amap(r, ["d%d" % k])
        inputs = [(a0, ttype((len(w),), "i64"), m), (a1, ttype((len(w),), "i64"), m),
                  (wt.ssa, ttype((len(w),)), m)]
        src = y

        def body(args, acc, src=src, k=k):
            lines, base = [], []
            for j in range(r):
                s = em.fresh("i")
                lines.append("%%%s = linalg.index %d : index" % (s, j))
                base.append("%" + s)
            vals = []
            for a in args[:2]:
                s = em.fresh("i")
                lines.append("%%%s = arith.index_cast %%%s : i64 to index" % (s, a))
                ind = list(base)
                ind[k] = "%" + s
                v = em.fresh("x")
                lines.append("%%%s = tensor.extract %%%s[%s] : %s" % (
                    v, src.ssa, ", ".join(ind), ttype(src.shape)))
                vals.append(v)
            d, p, q = em.fresh("s"), em.fresh("s"), em.fresh("s")
            lines.append("%%%s = arith.subf %%%s, %%%s : f32" % (d, vals[1], vals[0]))
            lines.append("%%%s = arith.mulf %%%s, %%%s : f32" % (p, d, args[2]))
            lines.append("%%%s = arith.addf %%%s, %%%s : f32" % (q, vals[0], p))
            return lines, q
        y = Tensor(em.generic(shape, inputs, body), shape)
    return y


@op("Resize")
def resize(cx):
    x = cx.tensor(0)
    mode = cx.attr("mode", "nearest")
    if cx.opset < 11:
        scales = cx.const(1, "scales")
        return _resize(cx, x, np.asarray(scales).reshape(-1), None, mode, "asymmetric", "floor")
    coord = cx.attr("coordinate_transformation_mode", "half_pixel")
    nearest = cx.attr("nearest_mode", "round_prefer_floor")
    if mode == "cubic":
        cx.fail("mode='cubic' not supported")
    if cx.attr("exclude_outside", 0):
        cx.fail("exclude_outside=1 not supported")
    scales = cx.const(2, "scales")
    sizes = cx.const(3, "sizes")
    if scales is not None and np.asarray(scales).size == 0:
        scales = None
    if sizes is not None and np.asarray(sizes).size == 0:
        sizes = None
    if (scales is None) == (sizes is None):
        cx.fail("exactly one of scales and sizes must be given")
    return _resize(cx, x, None if scales is None else np.asarray(scales).reshape(-1),
                   None if sizes is None else np.asarray(sizes).reshape(-1), mode, coord,
                   nearest)


@op("Upsample")
def upsample(cx):
    x = cx.tensor(0)
    mode = cx.attr("mode", "nearest")
    scales = cx.attr("scales") if cx.opset < 9 else cx.const(1, "scales")
    return _resize(cx, x, np.asarray(scales).reshape(-1), None, mode, "asymmetric", "floor")
