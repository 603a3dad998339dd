"""numpy evaluation of ops whose inputs are all known at import (shape
arithmetic, masks, constant weights). Ops whose handler already accepts
Const inputs (Reshape, Slice, Gather, Concat, ...) fold there instead."""

import math

import numpy as np
import onnx

from .registry import folder

try:
    _NP_TYPE = onnx.mapping.TENSOR_TYPE_TO_NP_TYPE
except AttributeError:  # newer onnx
    _NP_TYPE = {t: onnx.helper.tensor_dtype_to_np_dtype(t)
                for t in onnx.TensorProto.DataType.values() if t not in (0, 8, 16)}


def _binary(fn):
    def fold(cx, a):
        return [fn(a[0], a[1])]
    return fold


def _div(x, y):
    if np.asarray(x).dtype.kind in "iu":
        return (np.trunc(x / y)).astype(np.asarray(x).dtype)
    return np.asarray(x / y, dtype=np.asarray(x).dtype)


for _name, _fn in {"Add": np.add, "Sub": np.subtract, "Mul": np.multiply, "Div": _div,
                   "Pow": lambda x, y: np.power(x, y).astype(np.asarray(x).dtype),
                   "Equal": np.equal, "Less": np.less, "Greater": np.greater,
                   "LessOrEqual": np.less_equal, "GreaterOrEqual": np.greater_equal,
                   "And": np.logical_and, "Or": np.logical_or, "Xor": np.logical_xor,
                   "Mod": np.fmod}.items():
    folder(_name)(_binary(_fn))


def _unary(fn):
    def fold(cx, a):
        x = np.asarray(a[0])
        y = np.asarray(fn(x))
        return [y.astype(x.dtype) if y.dtype != bool and x.dtype != bool else y]
    return fold


for _name, _fn in {"Neg": np.negative, "Abs": np.abs, "Sqrt": np.sqrt, "Exp": np.exp,
                   "Log": np.log, "Floor": np.floor, "Ceil": np.ceil, "Not": np.logical_not,
                   "Relu": lambda x: np.maximum(x, 0), "Reciprocal": lambda x: 1 / x,
                   "Tanh": np.tanh, "Sigmoid": lambda x: 1 / (1 + np.exp(-x)),
                   "Erf": np.vectorize(math.erf), "Identity": lambda x: x,
                   "Sign": np.sign}.items():
    folder(_name)(_unary(_fn))


@folder("Cast")
def _cast(cx, a):
    to = cx.attr("to")
    if to not in _NP_TYPE:
        cx.fail("cast to type %s not supported" % to)
    return [np.asarray(a[0]).astype(_NP_TYPE[to])]


@folder("Where")
def _where(cx, a):
    return [np.where(a[0], a[1], a[2])]


@folder("Max", "Min", "Sum", "Mean")
def _variadic(cx, a):
    vals = [v for v in a if v is not None]
    fn = {"Max": np.maximum, "Min": np.minimum, "Sum": np.add, "Mean": np.add}[cx.op]
    acc = vals[0]
    for v in vals[1:]:
        acc = fn(acc, v)
    return [acc / len(vals) if cx.op == "Mean" else acc]


@folder("ConstantOfShape")
def _constant_of_shape(cx, a):
    v = cx.attr("value")
    val = onnx.numpy_helper.to_array(v) if v is not None else np.zeros(1, np.float32)
    return [np.full([int(d) for d in np.asarray(a[0]).reshape(-1)], val.reshape(-1)[0],
                    dtype=val.dtype)]


@folder("Range")
def _range(cx, a):
    start, limit, delta = (np.asarray(v).reshape(-1)[0] for v in a)
    return [np.arange(start, limit, delta, dtype=np.asarray(a[0]).dtype)]


@folder("Expand")
def _expand(cx, a):
    shape = [int(d) for d in np.asarray(a[1]).reshape(-1)]
    try:
        out = np.broadcast_shapes(np.shape(a[0]), tuple(shape))
    except ValueError as err:
        cx.fail(str(err))
    return [np.broadcast_to(a[0], out).copy()]


@folder("ReduceProd")
def _reduce_prod(cx, a):
    axes = cx.attr("axes")
    keep = bool(cx.attr("keepdims", 1))
    return [np.prod(a[0], axis=None if axes is None else tuple(axes), keepdims=keep)]
