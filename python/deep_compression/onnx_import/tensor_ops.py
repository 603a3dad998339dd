"""Shape-level helpers on importer values: a Const is transformed with
numpy (keeping its name), a Tensor gets tensor/linalg ops."""

import numpy as np

from .emitter import Const, Tensor, amap, ttype


def _dense_i64(vals):
    return "dense<[%s]> : tensor<%dxi64>" % (", ".join(str(int(v)) for v in vals), len(vals))


def reshape(em, v, shape):
    shape = tuple(int(d) for d in shape)
    if isinstance(v, Const):
        return Const(v.array.reshape(shape), v.name)
    if v.shape == shape:
        return v
    if int(np.prod(v.shape)) != int(np.prod(shape)):
        raise ValueError("cannot reshape %s to %s" % (v.shape, shape))
    src = v.ssa
    n = int(np.prod(shape))
    # Through the 1-D form: collapse then expand (static shapes).
    if len(v.shape) != 1:
        flat = em.fresh("flat")
        if len(v.shape) == 0:
            em.emit("%%%s = tensor.expand_shape %%%s [] output_shape [1] : %s into %s"
                    % (flat, src, ttype(()), ttype((1,))))
        else:
            em.emit("%%%s = tensor.collapse_shape %%%s [[%s]] : %s into %s"
                    % (flat, src, ", ".join(str(i) for i in range(len(v.shape))),
                       ttype(v.shape), ttype((n,))))
        src = flat
    if len(shape) == 1:
        return Tensor(src, shape)
    out = em.fresh("reshape")
    if len(shape) == 0:
        em.emit("%%%s = tensor.collapse_shape %%%s [] : %s into %s"
                % (out, src, ttype((1,)), ttype(())))
    else:
        em.emit("%%%s = tensor.expand_shape %%%s [[%s]] output_shape [%s] : %s into %s"
                % (out, src, ", ".join(str(i) for i in range(len(shape))),
                   ", ".join(str(d) for d in shape), ttype((n,)), ttype(shape)))
    return Tensor(out, shape)


def transpose(em, v, perm):
    perm = [int(p) for p in perm]
    if isinstance(v, Const):
        return Const(np.transpose(v.array, perm), v.name)
    if perm == list(range(len(perm))):
        return v
    shape = tuple(v.shape[p] for p in perm)
    init = em.empty(shape)
    out = em.fresh("transpose")
    em.emit("%%%s = linalg.transpose ins(%%%s : %s) outs(%%%s : %s) permutation = [%s]"
            % (out, v.ssa, ttype(v.shape), init, ttype(shape), ", ".join(map(str, perm))))
    return Tensor(out, shape)


def pad(em, v, low, high, value=0.0):
    """Constant padding (non-negative amounts) of a run-time tensor."""
    t = em.as_tensor(v)
    if not any(low) and not any(high):
        return t
    shape = tuple(d + l + h for d, l, h in zip(t.shape, low, high))
    c = em.scalar(value)
    out = em.fresh("pad")
    idx = ", ".join("%%%s: index" % em.fresh("i") for _ in shape)
    em.emit("%%%s = tensor.pad %%%s low[%s] high[%s] {" % (
        out, t.ssa, ", ".join(map(str, low)), ", ".join(map(str, high))))
    em.emit("^bb0(%s):" % idx)
    em.emit("  tensor.yield %%%s : f32" % c)
    em.emit("} : %s to %s" % (ttype(t.shape), ttype(shape)))
    return Tensor(out, shape)


def extract_slice(em, t, offsets, sizes, strides=None):
    strides = strides or [1] * len(sizes)
    if list(offsets) == [0] * len(sizes) and tuple(sizes) == t.shape and \
            list(strides) == [1] * len(sizes):
        return t
    out = em.fresh("slice")
    em.emit("%%%s = tensor.extract_slice %%%s[%s] [%s] [%s] : %s to %s" % (
        out, t.ssa, ", ".join(map(str, offsets)), ", ".join(map(str, sizes)),
        ", ".join(map(str, strides)), ttype(t.shape), ttype(sizes)))
    return Tensor(out, sizes)


def concat(em, values, axis):
    ts = [em.as_tensor(v) for v in values]
    shape = list(ts[0].shape)
    shape[axis] = sum(t.shape[axis] for t in ts)
    acc = em.empty(shape)
    off = 0
    for t in ts:
        if t.shape[axis] == 0:
            continue
        nxt = em.fresh("concat")
        offs = [0] * len(shape)
        offs[axis] = off
        em.emit("%%%s = tensor.insert_slice %%%s into %%%s[%s] [%s] [%s] : %s into %s" % (
            nxt, t.ssa, acc, ", ".join(map(str, offs)), ", ".join(map(str, t.shape)),
            ", ".join("1" for _ in shape), ttype(t.shape), ttype(shape)))
        acc = nxt
        off += t.shape[axis]
    return Tensor(acc, shape)


def matmul(em, a, b, transpose_b=False):
    """(M,K) x (K,N) -> (M,N); with ``transpose_b`` b is (N,K) (nn.Linear's
    layout, read through linalg.matmul's indexing maps)."""
    a, b = em.as_tensor(a), em.as_tensor(b)
    n = b.shape[0] if transpose_b else b.shape[1]
    shape = (a.shape[0], n)
    fill = em.filled(shape, 0.0)
    out = em.fresh("matmul")
    maps = ""
    if transpose_b:
        maps = ("indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d2)>, "
                "affine_map<(d0, d1, d2) -> (d1, d2)>, affine_map<(d0, d1, d2) -> (d0, d1)>] ")
    em.emit("%%%s = linalg.matmul %sins(%%%s, %%%s : %s, %s) outs(%%%s : %s) -> %s" % (
        out, maps, a.ssa, b.ssa, ttype(a.shape), ttype(b.shape), fill, ttype(shape),
        ttype(shape)))
    return Tensor(out, shape)


def batch_matmul(em, a, b):
    a, b = em.as_tensor(a), em.as_tensor(b)
    shape = (a.shape[0], a.shape[1], b.shape[2])
    fill = em.filled(shape, 0.0)
    out = em.fresh("bmm")
    em.emit("%%%s = linalg.batch_matmul ins(%%%s, %%%s : %s, %s) outs(%%%s : %s) -> %s" % (
        out, a.ssa, b.ssa, ttype(a.shape), ttype(b.shape), fill, ttype(shape), ttype(shape)))
    return Tensor(out, shape)


def reduce(em, x, axes, combine, init, keepdims=True):
    """Reduction over ``axes`` with ``combine(emit, acc, x) -> ssa``."""
    x = em.as_tensor(x)
    axes = sorted(set(axes))
    r = len(x.shape)
    kept = [i for i in range(r) if i not in axes]
    shape = tuple(x.shape[i] for i in kept)
    fill = em.filled(shape, init)
    its = ["reduction" if i in axes else "parallel" for i in range(r)]
    in_map = amap(r, ["d%d" % i for i in range(r)])
    out_map = amap(r, ["d%d" % i for i in kept])

    def body(args, acc):
        lines = []

        def emit(rhs):
            s = em.fresh("s")
            lines.append("%%%s = %s" % (s, rhs))
            return s
        return lines, combine(emit, acc, args[0])
    res = em.generic_maps(shape, [(x.ssa, ttype(x.shape), in_map)], body, its, fill, out_map)
    out = Tensor(res, shape)
    if keepdims:
        out = reshape(em, out, tuple(1 if i in axes else d for i, d in enumerate(x.shape)))
    return out


def broadcast_to(em, v, shape):
    shape = tuple(shape)
    if isinstance(v, Const):
        return Const(np.broadcast_to(v.array, shape).copy(), v.name)
    if v.shape == shape:
        return v
    return em.elementwise([v], lambda e, a: a[0], out_shape=shape)
