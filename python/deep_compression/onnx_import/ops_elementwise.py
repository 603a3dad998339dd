"""Elementwise ops (ONNX multidirectional broadcasting) and pass-throughs."""

import numpy as np

from .emitter import Const, Tensor
from .registry import op

_BINARY = {"Add": "arith.addf", "Sub": "arith.subf", "Mul": "arith.mulf",
           "Div": "arith.divf"}


def binary(cx, name):
    a, b = cx.tensor(0), cx.tensor(1)
    try:
        return cx.em.elementwise([a, b], lambda e, x: e("%s %%%s, %%%s : f32" % (
            name, x[0], x[1])))
    except ValueError as err:
        cx.fail(str(err))


@op("Add", "Sub", "Mul", "Div")
def _arith(cx):
    if cx.op in ("Add", "Sub", "Mul") and cx.opset < 7 and cx.attr("broadcast"):
        cx.fail("legacy broadcast attribute (opset %d) not supported" % cx.opset)
    return binary(cx, _BINARY[cx.op])


@op("Pow")
def _pow(cx):
    base, ex = cx.tensor(0), cx.tensor(1)
    if isinstance(ex, Const) and ex.array.size >= 1 and np.all(ex.array == ex.array.flat[0]) \
            and len(ex.shape) <= len(base.shape):
        p = float(ex.array.flat[0])
        if p == 2.0:
            return unary(cx, lambda e, x: e("arith.mulf %%%s, %%%s : f32" % (x, x)), base)
        if p == 1.0:
            return unary(cx, lambda e, x: x, base)
        if p == 0.5:
            return unary(cx, lambda e, x: e("math.sqrt %%%s : f32" % x), base)
    try:
        return cx.em.elementwise([base, ex], lambda e, x: e("math.powf %%%s, %%%s : f32" % (
            x[0], x[1])))
    except ValueError as err:
        cx.fail(str(err))


def unary(cx, fn, x=None):
    x = cx.tensor(0) if x is None else x
    return cx.em.elementwise([x], lambda e, a: fn(e, a[0]))


def _const(cx, v):
    return cx.em.scalar(v)


_UNARY_MATH = {"Sqrt": "math.sqrt", "Exp": "math.exp", "Log": "math.log", "Erf": "math.erf",
               "Tanh": "math.tanh", "Abs": "math.absf", "Neg": "arith.negf",
               "Floor": "math.floor", "Ceil": "math.ceil", "Sin": "math.sin",
               "Cos": "math.cos"}


@op(*_UNARY_MATH)
def _math(cx):
    name = _UNARY_MATH[cx.op]
    return unary(cx, lambda e, x: e("%s %%%s : f32" % (name, x)))


@op("Reciprocal")
def _reciprocal(cx):
    one = _const(cx, 1.0)
    return unary(cx, lambda e, x: e("arith.divf %%%s, %%%s : f32" % (one, x)))


@op("Sign")
def _sign(cx):
    z, one, m1 = _const(cx, 0.0), _const(cx, 1.0), _const(cx, -1.0)

    def body(e, x):
        gt = e("arith.cmpf ogt, %%%s, %%%s : f32" % (x, z))
        lt = e("arith.cmpf olt, %%%s, %%%s : f32" % (x, z))
        a = e("arith.select %%%s, %%%s, %%%s : f32" % (lt, m1, x))
        return e("arith.select %%%s, %%%s, %%%s : f32" % (gt, one, a))
    return unary(cx, body)


@op("Mod")
def _mod(cx):
    if not cx.attr("fmod", 0):
        cx.fail("fmod=0 on f32 not supported (the spec requires fmod=1 for floats)")
    return binary(cx, "arith.remf")


@op("Relu")
def _relu(cx):
    z = _const(cx, 0.0)
    return unary(cx, lambda e, x: e("arith.maximumf %%%s, %%%s : f32" % (x, z)))


@op("LeakyRelu")
def _leaky(cx):
    alpha = _const(cx, cx.attr("alpha", 0.01))
    z = _const(cx, 0.0)

    def body(e, x):
        m = e("arith.mulf %%%s, %%%s : f32" % (x, alpha))
        c = e("arith.cmpf ogt, %%%s, %%%s : f32" % (x, z))
        return e("arith.select %%%s, %%%s, %%%s : f32" % (c, x, m))
    return unary(cx, body)


@op("Sigmoid")
def _sigmoid(cx):
    one = _const(cx, 1.0)

    def body(e, x):
        n = e("arith.negf %%%s : f32" % x)
        ex = e("math.exp %%%s : f32" % n)
        d = e("arith.addf %%%s, %%%s : f32" % (ex, one))
        return e("arith.divf %%%s, %%%s : f32" % (one, d))
    return unary(cx, body)


def _hard_sigmoid(cx, e, x, alpha, beta):
    a, b = _const(cx, alpha), _const(cx, beta)
    z, one = _const(cx, 0.0), _const(cx, 1.0)
    m = e("arith.mulf %%%s, %%%s : f32" % (x, a))
    s = e("arith.addf %%%s, %%%s : f32" % (m, b))
    lo = e("arith.maximumf %%%s, %%%s : f32" % (s, z))
    return e("arith.minimumf %%%s, %%%s : f32" % (lo, one))


@op("HardSigmoid")
def _hsig(cx):
    alpha, beta = cx.attr("alpha", 0.2), cx.attr("beta", 0.5)
    return unary(cx, lambda e, x: _hard_sigmoid(cx, e, x, alpha, beta))


@op("HardSwish")
def _hswish(cx):
    def body(e, x):
        h = _hard_sigmoid(cx, e, x, 1.0 / 6.0, 0.5)
        return e("arith.mulf %%%s, %%%s : f32" % (x, h))
    return unary(cx, body)


@op("Clip")
def _clip(cx):
    if cx.opset < 11:
        lo, hi = cx.attr("min", -np.inf), cx.attr("max", np.inf)
    else:
        lo_a, hi_a = cx.const(1, "min"), cx.const(2, "max")
        for v, n in ((lo_a, "min"), (hi_a, "max")):
            if v is not None and v.size != 1:
                cx.fail("%s must be a scalar, got shape %s" % (n, list(v.shape)))
        lo = -np.inf if lo_a is None else float(lo_a.reshape(-1)[0])
        hi = np.inf if hi_a is None else float(hi_a.reshape(-1)[0])
    lo_s, hi_s = _const(cx, lo), _const(cx, hi)

    def body(e, x):
        # ONNX Clip: min(max(x, lo), hi); NaN stays NaN.
        c = e("arith.cmpf olt, %%%s, %%%s : f32" % (x, lo_s))
        y = e("arith.select %%%s, %%%s, %%%s : f32" % (c, lo_s, x))
        c2 = e("arith.cmpf ogt, %%%s, %%%s : f32" % (y, hi_s))
        return e("arith.select %%%s, %%%s, %%%s : f32" % (c2, hi_s, y))
    return unary(cx, body)


@op("Where")
def _where(cx):
    cond = cx.input(0)
    if not isinstance(cond, Const):
        cx.fail("a run-time condition is not supported (run-time tensors are f32)")
    c = Const(cond.array.astype(bool).astype(np.float32), cond.name)
    z = _const(cx, 0.0)
    try:
        def body(e, x):
            b = e("arith.cmpf one, %%%s, %%%s : f32" % (x[0], z))
            return e("arith.select %%%s, %%%s, %%%s : f32" % (b, x[1], x[2]))
        return cx.em.elementwise([c, cx.tensor(1), cx.tensor(2)], body)
    except ValueError as err:
        cx.fail(str(err))


@op("Identity")
def _identity(cx):
    return cx.tensor(0)


@op("Dropout")
def _dropout(cx):
    if cx.opset < 7 and cx.attr("is_test", 0) == 0:
        cx.fail("training-mode Dropout (is_test=0) not supported")
    if cx.opset >= 12 and len(cx.inputs) > 2 and cx.inputs[2] is not None:
        t = cx.const(2, "training_mode")
        if bool(np.asarray(t).reshape(-1)[0]):
            cx.fail("training_mode=True not supported")
    if len([o for o in cx.node.output if o]) > 1:
        cx.fail("the mask output is not supported")
    return cx.tensor(0)


@op("Cast")
def _cast(cx):
    to = cx.attr("to")
    if to != 1:  # FLOAT
        import onnx
        cx.fail("cast of a run-time tensor to %s not supported (run-time tensors are f32)"
                % onnx.TensorProto.DataType.Name(to))
    return cx.tensor(0)


@op("Expand")
def _expand(cx):
    shape = [int(d) for d in cx.const(1, "shape")]
    x = cx.tensor(0)
    try:
        from .emitter import broadcast_shape
        out = broadcast_shape(x.shape, tuple(shape))
    except ValueError as err:
        cx.fail(str(err))
    return cx.em.elementwise([x], lambda e, a: a[0], out_shape=out)


@op("Max", "Min", "Sum", "Mean")
def _variadic(cx):
    vals = [v for v in cx.inputs if v is not None]
    name = {"Max": "arith.maximumf", "Min": "arith.minimumf", "Sum": "arith.addf",
            "Mean": "arith.addf"}[cx.op]
    n = cx.em.scalar(float(len(vals)))

    def body(e, x):
        acc = x[0]
        for y in x[1:]:
            acc = e("%s %%%s, %%%s : f32" % (name, acc, y))
        if cx.op == "Mean":
            acc = e("arith.divf %%%s, %%%s : f32" % (acc, n))
        return acc
    try:
        return cx.em.elementwise(vals, body)
    except ValueError as err:
        cx.fail(str(err))
