"""Contractions, convolutions, pooling, normalizations, softmax, reductions."""

import math

import numpy as np

from . import tensor_ops as T
from .emitter import Const, Tensor, broadcast_shape, ttype
from .registry import op


def _ints(v):
    return ", ".join(str(int(x)) for x in v)


# --- Gemm / MatMul -------------------------------------------------------

@op("Gemm")
def gemm(cx):
    em = cx.em
    a, b, c = cx.tensor(0), cx.tensor(1), cx.input(2)
    alpha, beta = float(cx.attr("alpha", 1.0)), float(cx.attr("beta", 1.0))
    if len(a.shape) != 2 or len(b.shape) != 2:
        cx.fail("A and B must be 2-D, got %s and %s" % (list(a.shape), list(b.shape)))
    if cx.attr("transA", 0):
        a = T.transpose(em, a, [1, 0])
    trans_b = bool(cx.attr("transB", 0))
    k = b.shape[1] if trans_b else b.shape[0]
    if a.shape[1] != k:
        cx.fail("inner dimensions differ: A %s, B %s (transB=%d)" % (
            list(a.shape), list(b.shape), trans_b))
    if trans_b and not isinstance(b, Const):
        b, trans_b = T.transpose(em, b, [1, 0]), False
    y = T.matmul(em, a, b, transpose_b=trans_b)
    if alpha != 1.0:
        s = em.scalar(alpha)
        y = em.elementwise([y], lambda e, x: e("arith.mulf %%%s, %%%s : f32" % (x[0], s)))
    if c is not None and beta != 0.0:
        if isinstance(c, Const):
            c = Const(c.array.astype(np.float32) * np.float32(beta), c.name)
        elif beta != 1.0:
            s = em.scalar(beta)
            c = em.elementwise([c], lambda e, x: e("arith.mulf %%%s, %%%s : f32" % (x[0], s)))
        try:
            broadcast_shape(y.shape, c.shape)
        except ValueError:
            cx.fail("C of shape %s does not broadcast to %s" % (list(c.shape), list(y.shape)))
        y = em.elementwise([y, c], lambda e, x: e("arith.addf %%%s, %%%s : f32" % (x[0], x[1])),
                           out_shape=y.shape)
    return y


@op("MatMul")
def matmul(cx):
    em = cx.em
    a, b = cx.tensor(0), cx.tensor(1)
    if not a.shape or not b.shape:
        cx.fail("scalar operands not allowed")
    a_vec, b_vec = len(a.shape) == 1, len(b.shape) == 1
    if a_vec:
        a = T.reshape(em, a, (1,) + a.shape)
    if b_vec:
        b = T.reshape(em, b, b.shape + (1,))
    if a.shape[-1] != b.shape[-2]:
        cx.fail("inner dimensions differ: %s x %s" % (list(a.shape), list(b.shape)))
    m, k, n = a.shape[-2], a.shape[-1], b.shape[-1]
    if len(b.shape) == 2:
        lead = a.shape[:-1]
        a2 = T.reshape(em, a, (int(np.prod(lead)), k))
        y = T.matmul(em, a2, b)
        y = T.reshape(em, y, lead + (n,))
        out_shape = lead + (n,)
    else:
        try:
            batch = broadcast_shape(a.shape[:-2], b.shape[:-2])
        except ValueError as err:
            cx.fail(str(err))
        nb = int(np.prod(batch))
        a3 = T.reshape(em, T.broadcast_to(em, a, batch + (m, k)), (nb, m, k))
        b3 = T.reshape(em, T.broadcast_to(em, b, batch + (k, n)), (nb, k, n))
        y = T.batch_matmul(em, a3, b3)
        out_shape = batch + (m, n)
        y = T.reshape(em, y, out_shape)
    if a_vec:
        out_shape = out_shape[:-2] + out_shape[-1:]
    if b_vec:
        out_shape = out_shape[:-1]
    return T.reshape(em, y, out_shape)


# --- Convolution ---------------------------------------------------------

def _positive(cx, **lists):
    for name, vals in lists.items():
        if any(int(v) < 1 for v in vals):
            cx.fail("%s=%s must be positive" % (name, list(vals)))


def _spatial_pads(cx, in_sp, kernel, strides, dilations, allow_ceil=False):
    nsp = len(in_sp)
    _positive(cx, kernel_shape=kernel, strides=strides, dilations=dilations)
    if not len(kernel) == len(strides) == len(dilations) == nsp:
        cx.fail("kernel_shape=%s, strides=%s, dilations=%s for %d spatial dimensions" % (
            list(kernel), list(strides), list(dilations), nsp))
    auto = cx.attr("auto_pad", "NOTSET")
    if auto in ("NOTSET", ""):
        pads = list(cx.attr("pads", [0] * (2 * nsp)))
        if len(pads) != 2 * nsp:
            cx.fail("pads=%s needs %d values" % (pads, 2 * nsp))
        if any(p < 0 for p in pads):
            cx.fail("negative pads=%s not supported" % pads)
        return pads[:nsp], pads[nsp:]
    if auto == "VALID":
        return [0] * nsp, [0] * nsp
    if auto in ("SAME_UPPER", "SAME_LOWER"):
        lo, hi = [], []
        for i, s, k, d in zip(in_sp, strides, kernel, dilations):
            out = -(-i // s)
            total = max(0, (out - 1) * s + (k - 1) * d + 1 - i)
            small, big = total // 2, total - total // 2
            lo.append(small if auto == "SAME_UPPER" else big)
            hi.append(big if auto == "SAME_UPPER" else small)
        return lo, hi
    cx.fail("auto_pad='%s' not supported" % auto)


def _as_2d(cx, x, what):
    """1-D spatial ops run as 2-D with H = 1."""
    if len(x.shape) == 3:
        return T.reshape(cx.em, x, x.shape[:2] + (1,) + x.shape[2:]), True
    if len(x.shape) != 4:
        cx.fail("%s with %d spatial dimensions not supported (1-D and 2-D are)"
                % (what, len(x.shape) - 2))
    return x, False


def _conv_core(cx, x, w, strides, dilations, group):
    """x (N,C,H,W) already padded, w (F,C/G,KH,KW): the named linalg conv."""
    em = cx.em
    n, c, h, wd = x.shape
    f, cg, kh, kw = w.shape
    if c != cg * group or f % group:
        cx.fail("group=%d does not divide input channels %d / filters %d (weight %s)"
                % (group, c, f, list(w.shape)))
    oh = (h - dilations[0] * (kh - 1) - 1) // strides[0] + 1
    ow = (wd - dilations[1] * (kw - 1) - 1) // strides[1] + 1
    if oh <= 0 or ow <= 0:
        cx.fail("kernel %s larger than the padded input %s" % ([kh, kw], [h, wd]))
    attrs = "{dilations = dense<[%s]> : tensor<2xi64>, strides = dense<[%s]> : tensor<2xi64>}" \
        % (_ints(dilations), _ints(strides))
    out = em.fresh("conv")
    if group == 1:
        shape = (n, f, oh, ow)
        fill = em.filled(shape, 0.0)
        wt = em.as_tensor(w)
        em.emit("%%%s = linalg.conv_2d_nchw_fchw %s ins(%%%s, %%%s : %s, %s) outs(%%%s : %s) -> %s"
                % (out, attrs, x.ssa, wt.ssa, ttype(x.shape), ttype(w.shape), fill,
                   ttype(shape), ttype(shape)))
        return Tensor(out, shape)
    if group == c and f == c:
        shape = (n, c, oh, ow)
        fill = em.filled(shape, 0.0)
        wt = em.as_tensor(T.reshape(em, w, (c, kh, kw)))
        em.emit("%%%s = linalg.depthwise_conv_2d_nchw_chw %s ins(%%%s, %%%s : %s, %s) outs(%%%s : "
                "%s) -> %s" % (out, attrs, x.ssa, wt.ssa, ttype(x.shape), ttype(wt.shape), fill,
                               ttype(shape), ttype(shape)))
        return Tensor(out, shape)
    g = group
    xg = T.reshape(em, x, (n, g, c // g, h, wd))
    wg = em.as_tensor(T.reshape(em, w, (g, f // g, cg, kh, kw)))
    shape = (n, g, f // g, oh, ow)
    fill = em.filled(shape, 0.0)
    em.emit("%%%s = linalg.conv_2d_ngchw_gfchw %s ins(%%%s, %%%s : %s, %s) outs(%%%s : %s) -> %s"
            % (out, attrs, xg.ssa, wg.ssa, ttype(xg.shape), ttype(wg.shape), fill,
               ttype(shape), ttype(shape)))
    return T.reshape(em, Tensor(out, shape), (n, f, oh, ow))


def _add_channel_bias(cx, y, b):
    if b is None:
        return y
    if len(b.shape) != 1 or b.shape[0] != y.shape[1]:
        cx.fail("bias of shape %s for %d channels" % (list(b.shape), y.shape[1]))
    b = T.reshape(cx.em, b, (y.shape[1],) + (1,) * (len(y.shape) - 2))
    return cx.em.elementwise([y, b], lambda e, a: e("arith.addf %%%s, %%%s : f32" % (a[0], a[1])))


@op("Conv")
def conv(cx):
    em = cx.em
    x, w, b = cx.tensor(0), cx.tensor(1), cx.input(2)
    if len(w.shape) != len(x.shape):
        cx.fail("weight rank %d != input rank %d" % (len(w.shape), len(x.shape)))
    x, one_d = _as_2d(cx, x, "Conv")
    if one_d:
        w = T.reshape(em, w, w.shape[:2] + (1,) + w.shape[2:])
    nsp = 1 if one_d else 2
    ks = cx.attr("kernel_shape")
    if ks is not None and list(ks) != list(w.shape[4 - nsp:]):
        cx.fail("kernel_shape=%s differs from the weight %s" % (list(ks), list(w.shape)))
    strides = list(cx.attr("strides", [1] * nsp))
    dil = list(cx.attr("dilations", [1] * nsp))
    group = int(cx.attr("group", 1))
    _positive(cx, group=[group])
    sp = list(x.shape[4 - nsp:])
    lo, hi = _spatial_pads(cx, sp, list(w.shape[4 - nsp:]), strides, dil)
    if one_d:
        strides, dil, lo, hi = [1] + strides, [1] + dil, [0] + lo, [0] + hi
    x = T.pad(em, x, [0, 0] + lo, [0, 0] + hi, 0.0)
    y = _conv_core(cx, x, w, strides, dil, group)
    y = _add_channel_bias(cx, y, b)
    if one_d:
        y = T.reshape(em, y, (y.shape[0], y.shape[1], y.shape[3]))
    return y


@op("ConvTranspose")
def conv_transpose(cx):
    """As a convolution: zeros inserted between input pixels (stride), padded
    by d*(k-1) - pad, with the filter flipped and its channel axes swapped."""
    em = cx.em
    x, w, b = cx.tensor(0), cx.tensor(1), cx.input(2)
    x, one_d = _as_2d(cx, x, "ConvTranspose")
    if one_d:
        w = T.reshape(em, w, w.shape[:2] + (1,) + w.shape[2:])
    nsp = 1 if one_d else 2
    pre = [1] if one_d else []
    prez = [0] if one_d else []
    strides = pre + list(cx.attr("strides", [1] * nsp))
    dil = pre + list(cx.attr("dilations", [1] * nsp))
    outpad = prez + list(cx.attr("output_padding", [0] * nsp))
    group = int(cx.attr("group", 1))
    _positive(cx, strides=strides, dilations=dil, group=[group])
    if len(strides) != 2 or len(dil) != 2 or len(outpad) != 2:
        cx.fail("strides/dilations/output_padding need %d values" % nsp)
    if any(p < 0 for p in outpad):
        cx.fail("output_padding=%s must not be negative" % outpad[len(prez):])
    n, c, h, wd = x.shape
    cw, fg, kh, kw = w.shape
    if cw != c or c % group:
        cx.fail("weight %s does not match %d input channels, group=%d" % (list(w.shape), c, group))
    k = [kh, kw]
    sp = [h, wd]
    auto = cx.attr("auto_pad", "NOTSET")
    out_shape = cx.attr("output_shape")
    natural = [strides[i] * (sp[i] - 1) + outpad[i] + (k[i] - 1) * dil[i] + 1 for i in range(2)]
    extra = [0, 0]
    if out_shape is not None:
        # onnxruntime's rule: padding max(0, natural - target), more at the end
        # (head with SAME_UPPER); a larger target extends the end with zeros.
        target = prez + list(out_shape)
        if len(target) != 2:
            cx.fail("output_shape=%s needs %d values" % (list(out_shape), nsp))
        lo, hi = [], []
        for i in range(2):
            total = max(0, natural[i] - target[i])
            head = total - total // 2 if auto == "SAME_UPPER" else total // 2
            lo.append(head)
            hi.append(total - head)
            extra[i] = target[i] - (natural[i] - total)
    elif auto in ("SAME_UPPER", "SAME_LOWER"):
        lo, hi = [], []
        for i in range(2):
            total = max(0, natural[i] - strides[i] * sp[i])
            small, big = total // 2, total - total // 2
            lo.append(small if auto == "SAME_UPPER" else big)
            hi.append(big if auto == "SAME_UPPER" else small)
    elif auto in ("NOTSET", "", "VALID"):
        pads = list(cx.attr("pads", [0] * (2 * nsp))) if auto != "VALID" else [0] * (2 * nsp)
        lo, hi = prez + pads[:nsp], prez + pads[nsp:]
    else:
        cx.fail("auto_pad='%s' not supported" % auto)
    # Zero insertion: x into a (H-1)*s+1 grid.
    zh, zw = (h - 1) * strides[0] + 1, (wd - 1) * strides[1] + 1
    xt = em.as_tensor(x)
    if strides != [1, 1]:
        base = em.filled((n, c, zh, zw), 0.0)
        ins = em.fresh("dilated")
        em.emit("%%%s = tensor.insert_slice %%%s into %%%s[0, 0, 0, 0] [%d, %d, %d, %d] [1, 1, %d, %d]"
                " : %s into %s" % (ins, xt.ssa, base, n, c, h, wd, strides[0], strides[1],
                                   ttype(xt.shape), ttype((n, c, zh, zw))))
        xt = Tensor(ins, (n, c, zh, zw))
    plo = [dil[i] * (k[i] - 1) - lo[i] for i in range(2)]
    phi = [dil[i] * (k[i] - 1) - hi[i] + outpad[i] + extra[i] for i in range(2)]
    if any(p < 0 for p in plo + phi):
        # Padding larger than the kernel reach: crop after a full convolution.
        crop_lo = [max(0, -p) for p in plo]
        crop_hi = [max(0, -p) for p in phi]
        plo = [max(0, p) for p in plo]
        phi = [max(0, p) for p in phi]
    else:
        crop_lo = crop_hi = [0, 0]
    xt = T.pad(em, xt, [0, 0] + plo, [0, 0] + phi, 0.0)
    # Filter (C, F/G, KH, KW) -> (F, C/G, KH, KW), flipped spatially, per group.
    g = group
    if isinstance(w, Const):
        wa = w.array.reshape(g, c // g, fg, kh, kw).transpose(0, 2, 1, 3, 4)[..., ::-1, ::-1]
        wf = Const(np.ascontiguousarray(wa.reshape(g * fg, c // g, kh, kw)), w.name)
    else:
        wt = em.as_tensor(w)
        w5 = T.reshape(em, wt, (g, c // g, fg, kh, kw))
        from .emitter import amap
        shape = (g, fg, c // g, kh, kw)
        res = em.generic(shape, [(w5.ssa, ttype(w5.shape), amap(5, [
            "d0", "d2", "d1", "%d - d3" % (kh - 1), "%d - d4" % (kw - 1)]))],
            lambda args, acc: ([], args[0]))
        wf = T.reshape(em, Tensor(res, shape), (g * fg, c // g, kh, kw))
    y = _conv_core(cx, xt, wf, [1, 1], dil, g)
    if any(crop_lo + crop_hi):
        sizes = [y.shape[0], y.shape[1], y.shape[2] - crop_lo[0] - crop_hi[0],
                 y.shape[3] - crop_lo[1] - crop_hi[1]]
        y = T.extract_slice(em, y, [0, 0] + crop_lo, sizes)
    y = _add_channel_bias(cx, y, b)
    if one_d:
        y = T.reshape(em, y, (y.shape[0], y.shape[1], y.shape[3]))
    return y


# --- Pooling -------------------------------------------------------------

def _pool_geometry(cx, x):
    nsp = len(x.shape) - 2
    kernel = list(cx.attr("kernel_shape", []))
    if len(kernel) != nsp:
        cx.fail("kernel_shape=%s for %d spatial dimensions" % (kernel, nsp))
    strides = list(cx.attr("strides", [1] * nsp))
    dil = list(cx.attr("dilations", [1] * nsp))
    sp = list(x.shape[2:])
    lo, hi = _spatial_pads(cx, sp, kernel, strides, dil)
    ceil = int(cx.attr("ceil_mode", 0))
    out, extra = [], []
    for i in range(nsp):
        span = sp[i] + lo[i] + hi[i] - ((kernel[i] - 1) * dil[i] + 1)
        if span < 0:
            cx.fail("kernel %s larger than the padded input" % kernel)
        o = (-(-span // strides[i]) if ceil else span // strides[i]) + 1
        if ceil and (o - 1) * strides[i] >= sp[i] + lo[i]:
            o -= 1  # the last window would start in the end padding
        out.append(o)
        extra.append(max(0, (o - 1) * strides[i] + (kernel[i] - 1) * dil[i] + 1
                         - (sp[i] + lo[i] + hi[i])))
    return kernel, strides, dil, lo, [h + e for h, e in zip(hi, extra)], hi, out


def _pool(cx, kind):
    em = cx.em
    x = cx.tensor(0)
    if len(x.shape) not in (3, 4):
        cx.fail("%d spatial dimensions not supported (1-D and 2-D are)" % (len(x.shape) - 2))
    if cx.attr("storage_order", 0):
        cx.fail("storage_order=1 not supported")
    kernel, strides, dil, lo, hi_total, hi, out = _pool_geometry(cx, x)
    one_d = len(x.shape) == 3
    if one_d:
        x = T.reshape(em, x, x.shape[:2] + (1,) + x.shape[2:])
        kernel, strides, dil = [1] + kernel, [1] + strides, [1] + dil
        lo, hi_total, hi, out = [0] + lo, [0] + hi_total, [0] + hi, [1] + out
    init = -math.inf if kind == "max" else 0.0
    xp = T.pad(em, x, [0, 0] + lo, [0, 0] + hi_total, init)
    shape = (x.shape[0], x.shape[1]) + tuple(out)
    fill = em.filled(shape, init)
    win = em.empty(kernel)
    res = em.fresh("pool")
    em.emit("%%%s = linalg.pooling_nchw_%s {dilations = dense<[%s]> : tensor<2xi64>, strides = "
            "dense<[%s]> : tensor<2xi64>} ins(%%%s, %%%s : %s, %s) outs(%%%s : %s) -> %s"
            % (res, kind, _ints(dil), _ints(strides), xp.ssa, win, ttype(xp.shape),
               ttype(kernel), fill, ttype(shape), ttype(shape)))
    y = Tensor(res, shape)
    if kind == "sum":
        # Divisor per output position, from the geometry (static).
        inc = int(cx.attr("count_include_pad", 0))
        ones = np.pad(np.ones(x.shape[2:], np.float64), [(l, h) for l, h in zip(lo, hi)],
                      constant_values=float(inc))
        ones = np.pad(ones, [(0, t - h) for t, h in zip(hi_total, hi)])
        cnt = np.zeros(out)
        for i in range(out[0]):
            for j in range(out[1]):
                r = ones[i * strides[0]:i * strides[0] + (kernel[0] - 1) * dil[0] + 1:dil[0],
                         j * strides[1]:j * strides[1] + (kernel[1] - 1) * dil[1] + 1:dil[1]]
                cnt[i, j] = r.sum()
        div = Const((1.0 / np.maximum(cnt, 1)).astype(np.float32), cx.node.output[0] + ".divisor")
        y = em.elementwise([y, div], lambda e, a: e("arith.mulf %%%s, %%%s : f32" % (a[0], a[1])))
    if one_d:
        y = T.reshape(em, y, (shape[0], shape[1], shape[3]))
    return y


@op("MaxPool")
def maxpool(cx):
    if len([o for o in cx.node.output if o]) > 1:
        cx.fail("the Indices output is not supported")
    return _pool(cx, "max")


@op("AveragePool")
def avgpool(cx):
    return _pool(cx, "sum")


@op("GlobalAveragePool", "GlobalMaxPool")
def global_pool(cx):
    x = cx.tensor(0)
    if len(x.shape) < 3:
        cx.fail("input of rank %d (needs N, C and spatial dims)" % len(x.shape))
    axes = list(range(2, len(x.shape)))
    if cx.op == "GlobalMaxPool":
        return T.reduce(cx.em, x, axes, lambda e, acc, v: e(
            "arith.maximumf %%%s, %%%s : f32" % (acc, v)), -math.inf)
    y = T.reduce(cx.em, x, axes, lambda e, acc, v: e("arith.addf %%%s, %%%s : f32" % (acc, v)),
                 0.0)
    s = cx.em.scalar(1.0 / int(np.prod(x.shape[2:])))
    return cx.em.elementwise([y], lambda e, a: e("arith.mulf %%%s, %%%s : f32" % (a[0], s)))


# --- Normalization -------------------------------------------------------

@op("BatchNormalization")
def batchnorm(cx):
    em = cx.em
    if cx.attr("training_mode", 0):
        cx.fail("training_mode=1 not supported")
    if cx.opset < 9 and not cx.attr("spatial", 1):
        cx.fail("spatial=0 not supported")
    x = cx.tensor(0)
    params = [cx.tensor(i) for i in range(1, 5)]
    eps = float(cx.attr("epsilon", 1e-5))
    c = x.shape[1] if len(x.shape) > 1 else None
    for p in params:
        if p.shape != (c,):
            cx.fail("parameter of shape %s for %s channels" % (list(p.shape), c))
    bshape = (c,) + (1,) * (len(x.shape) - 2)
    if all(isinstance(p, Const) for p in params):
        scale, b, mean, var = (p.array.astype(np.float64) for p in params)
        a = scale / np.sqrt(var + eps)
        mul = Const(a.astype(np.float32).reshape(bshape), params[0].name)
        add = Const((b - mean * a).astype(np.float32).reshape(bshape), params[1].name)
        return em.elementwise([x, mul, add], lambda e, v: e("arith.addf %%%s, %%%s : f32" % (
            e("arith.mulf %%%s, %%%s : f32" % (v[0], v[1])), v[2])))
    scale, b, mean, var = (T.reshape(em, p, bshape) for p in params)
    epsc = em.scalar(eps)

    def body(e, v):
        d = e("arith.subf %%%s, %%%s : f32" % (v[0], v[3]))
        ve = e("arith.addf %%%s, %%%s : f32" % (v[4], epsc))
        r = e("math.rsqrt %%%s : f32" % ve)
        m = e("arith.mulf %%%s, %%%s : f32" % (d, r))
        m2 = e("arith.mulf %%%s, %%%s : f32" % (m, v[1]))
        return e("arith.addf %%%s, %%%s : f32" % (m2, v[2]))
    return em.elementwise([x, scale, b, mean, var], body)


def _add(e, a, b):
    return e("arith.addf %%%s, %%%s : f32" % (a, b))


def _mean_var(em, x, axes):
    n = int(np.prod([x.shape[a] for a in axes]))
    inv = em.scalar(1.0 / n)
    s = T.reduce(em, x, axes, lambda e, acc, v: _add(e, acc, v), 0.0)
    mean = em.elementwise([s], lambda e, a: e("arith.mulf %%%s, %%%s : f32" % (a[0], inv)))
    d = em.elementwise([x, mean], lambda e, a: e("arith.subf %%%s, %%%s : f32" % (a[0], a[1])))
    sq = T.reduce(em, d, axes, lambda e, acc, v: _add(e, acc, e("arith.mulf %%%s, %%%s : f32" % (
        v, v))), 0.0)
    return mean, d, sq, inv


@op("LayerNormalization")
def layernorm(cx):
    em = cx.em
    x = cx.tensor(0)
    r = len(x.shape)
    axis = cx.axis(cx.attr("axis", -1), r)
    axes = list(range(axis, r))
    eps = em.scalar(float(cx.attr("epsilon", 1e-5)))
    mean, d, sq, inv = _mean_var(em, x, axes)

    def rstd(e, a):
        var = e("arith.mulf %%%s, %%%s : f32" % (a[0], inv))
        ve = e("arith.addf %%%s, %%%s : f32" % (var, eps))
        return e("math.rsqrt %%%s : f32" % ve)
    inv_std = em.elementwise([sq], rstd)
    y = em.elementwise([d, inv_std], lambda e, a: e("arith.mulf %%%s, %%%s : f32" % (a[0], a[1])))
    for i, fn in ((1, "arith.mulf"), (2, "arith.addf")):
        p = cx.input(i)
        if p is None:
            continue
        try:
            y = em.elementwise([y, p], lambda e, a, fn=fn: e("%s %%%s, %%%s : f32" % (
                fn, a[0], a[1])), out_shape=broadcast_shape(y.shape, p.shape))
        except ValueError as err:
            cx.fail(str(err))
        if y.shape != x.shape:
            cx.fail("scale/bias of shape %s do not broadcast to %s" % (list(p.shape), x.shape))
    return [y, mean, inv_std]


# --- Softmax and reductions ----------------------------------------------

def _softmax(cx, log):
    em = cx.em
    x = cx.tensor(0)
    r = len(x.shape)
    default = -1 if cx.opset >= 13 else 1
    axis = cx.axis(cx.attr("axis", default), r)
    axes = [axis] if cx.opset >= 13 else list(range(axis, r))
    m = T.reduce(em, x, axes, lambda e, acc, v: e("arith.maximumf %%%s, %%%s : f32" % (acc, v)),
                 -math.inf)
    d = em.elementwise([x, m], lambda e, a: e("arith.subf %%%s, %%%s : f32" % (a[0], a[1])))
    ex = em.elementwise([d], lambda e, a: e("math.exp %%%s : f32" % a[0]))
    s = T.reduce(em, ex, axes, lambda e, acc, v: _add(e, acc, v), 0.0)
    if log:
        return em.elementwise([d, s], lambda e, a: e("arith.subf %%%s, %%%s : f32" % (
            a[0], e("math.log %%%s : f32" % a[1]))))
    return em.elementwise([ex, s], lambda e, a: e("arith.divf %%%s, %%%s : f32" % (a[0], a[1])))


@op("Softmax")
def softmax(cx):
    return _softmax(cx, False)


@op("LogSoftmax")
def log_softmax(cx):
    return _softmax(cx, True)


_REDUCE = {"ReduceSum": ("arith.addf", 0.0), "ReduceMean": ("arith.addf", 0.0),
           "ReduceMax": ("arith.maximumf", -math.inf), "ReduceMin": ("arith.minimumf", math.inf),
           "ReduceProd": ("arith.mulf", 1.0), "ReduceSumSquare": ("arith.addf", 0.0),
           "ReduceL1": ("arith.addf", 0.0), "ReduceL2": ("arith.addf", 0.0)}


def reduce_axes(cx, rank):
    axes_in = cx.opset >= 18 or (cx.op == "ReduceSum" and cx.opset >= 13)
    axes = cx.const(1, "axes") if axes_in else cx.attr("axes")
    axes = [] if axes is None else [int(a) for a in np.asarray(axes).reshape(-1)]
    if not axes:
        if axes_in and cx.attr("noop_with_empty_axes", 0):
            return None
        return list(range(rank))
    return sorted({cx.axis(a, rank) for a in axes})


@op(*_REDUCE)
def reduce(cx):
    em = cx.em
    x = cx.tensor(0)
    axes = reduce_axes(cx, len(x.shape))
    if axes is None:
        return x
    keep = bool(cx.attr("keepdims", 1))
    fn, init = _REDUCE[cx.op]

    def combine(e, acc, v):
        if cx.op in ("ReduceSumSquare", "ReduceL2"):
            v = e("arith.mulf %%%s, %%%s : f32" % (v, v))
        elif cx.op == "ReduceL1":
            v = e("math.absf %%%s : f32" % v)
        return e("%s %%%s, %%%s : f32" % (fn, acc, v))
    y = T.reduce(em, x, axes, combine, init, keepdims=keep)
    if cx.op == "ReduceMean":
        inv = em.scalar(1.0 / max(1, int(np.prod([x.shape[a] for a in axes]))))
        y = em.elementwise([y], lambda e, a: e("arith.mulf %%%s, %%%s : f32" % (a[0], inv)))
    elif cx.op == "ReduceL2":
        y = em.elementwise([y], lambda e, a: e("math.sqrt %%%s : f32" % a[0]))
    return y
