"""Export of PyTorch ``nn.Sequential`` models to MLIR text.

Supported modules: Linear, Conv2d (no padding/groups), ReLU, MaxPool2d,
Flatten, Softmax (or ``softmax=True``). The result is one function

    func.func @forward(%arg0: tensor<Nx784xf32>) -> tensor<Nx10xf32>
        attributes {llvm.emit_c_interface}

in linalg on tensors + arith + tensor. Weights and biases are builtin
``dense_resource`` blobs in the file's ``dialect_resources`` trailer; layer
weights carry ``dc.layer = "<name>"`` so dc's passes recognize and name them.

With ``quantized`` (name -> compress.Quantized), those layers' weights become
``dc.constant`` (dense format, fixed-width codebook indices encoded by the C++
core) + ``dc.decompress`` instead: see :func:`dc_weight_ir`.
"""

import math
import re

import numpy as np
import torch
from torch import nn

ALIGNMENT_HEX = "04000000"  # blob alignment (uint32 LE) before the data


def tensor_type(shape, elem="f32"):
    return "tensor<%s%s>" % ("".join("%dx" % d for d in shape), elem)


def blob_hex(data):
    """A builtin resource blob: alignment then little-endian bytes, as hex."""
    arr = np.ascontiguousarray(data)
    if arr.dtype.byteorder == ">":
        arr = arr.byteswap().newbyteorder()
    return "0x" + ALIGNMENT_HEX + arr.tobytes().hex().upper()


def f32_literal(x):
    """Exact f32 literal MLIR parses (always has a '.')."""
    x = float(np.float32(x))
    if math.isinf(x) or math.isnan(x):
        return "0x%08X" % np.array(x, dtype=np.float32).view(np.uint32)
    return "%.9e" % x


def dc_weight_ir(ssa, name, shape, codebook, values_resource, num_values_bytes,
                 num_entries, bits):
    """The dc IR of one compressed layer weight (dense format, entropy none).

    Keep every detail of the dc syntax in this one function so it is easy to adapt.
    Returns the lines defining ``%<ssa>`` (the decompressed dense tensor).
    """
    ttype = tensor_type(shape)
    ctype = "!dc.compressed<%s, #dc.encoding<format = dense, bits = %d>>" % (ttype, bits)
    cb = ", ".join(f32_literal(c) for c in codebook)
    return [
        "%%%s_c = dc.constant {codebook = dense<[%s]> : tensor<%dxf32>, "
        "values = dense_resource<%s> : tensor<%dxi8>, num_entries = %d : i64, "
        "dc.layer = \"%s\"} : %s" % (ssa, cb, len(codebook), values_resource,
                                      num_values_bytes, num_entries, name, ctype),
        "%%%s = dc.decompress %%%s_c : %s -> %s" % (ssa, ssa, ctype, ttype),
    ]


def encode_dense(q):
    """Encodes a compress.Quantized with the C++ core (format dense, entropy none)."""
    from . import core
    codebook = np.asarray(q.codebook, dtype=np.float32)
    if codebook[0] != 0.0:
        raise ValueError("codebook[0] must be 0.0")
    if len(codebook) > (1 << q.bits):
        raise ValueError("codebook has more than 2^bits entries")
    shape = list(q.indices.shape)
    return core.encode_indices(shape, q.indices.reshape(-1).astype(np.uint32), codebook,
                               "dense", q.bits, q.bits, "none")


class _Emitter:
    def __init__(self, batch):
        self.batch = batch
        self.lines = []
        self.resources = []  # (name, hex)
        self.names = set()
        self.consts = {}

    def fresh(self, base):
        name, i = base, 1
        while name in self.names:
            i += 1
            name = "%s_%d" % (base, i)
        self.names.add(name)
        return name

    def emit(self, line):
        self.lines.append("    " + line)

    def const_scalar(self, value):
        key = f32_literal(value)
        if key not in self.consts:
            ssa = self.fresh("cst_" + ("neginf" if value == -math.inf else "zero"
                                       if value == 0 else "c"))
            self.emit("%%%s = arith.constant %s : f32" % (ssa, key))
            self.consts[key] = ssa
        return self.consts[key]

    def resource(self, name, data):
        self.resources.append((name, blob_hex(data)))
        return name

    def filled(self, shape, value, base):
        e = self.fresh(base + "_init")
        f = self.fresh(base + "_fill")
        t = tensor_type(shape)
        c = self.const_scalar(value)
        self.emit("%%%s = tensor.empty() : %s" % (e, t))
        self.emit("%%%s = linalg.fill ins(%%%s : f32) outs(%%%s : %s) -> %s" % (f, c, e, t, t))
        return f


def _elementwise(em, x, shape, base, body, operands=(), operand_maps=()):
    """A parallel linalg.generic over ``shape`` computing body(args) -> ssa."""
    rank = len(shape)
    dims = ", ".join("d%d" % i for i in range(rank))
    ident = "affine_map<(%s) -> (%s)>" % (dims, dims)
    t = tensor_type(shape)
    out = em.fresh(base)
    init = em.fresh(base + "_init")
    em.emit("%%%s = tensor.empty() : %s" % (init, t))
    ins = [(x, t, ident)] + list(zip(operands, [o[1] for o in operand_maps],
                                     [o[0] for o in operand_maps]))
    maps = ", ".join(m for _, _, m in ins) + ", " + ident
    iters = ", ".join(['"parallel"'] * rank)
    em.emit("%%%s = linalg.generic {indexing_maps = [%s], iterator_types = [%s]} "
            "ins(%s : %s) outs(%%%s : %s) {" % (
                out, maps, iters, ", ".join("%" + v for v, _, _ in ins),
                ", ".join(ty for _, ty, _ in ins), init, t))
    args = ["%%in%d" % i for i in range(len(ins))]
    em.emit("^bb0(%s, %%out: f32):" % ", ".join(a + ": f32" for a in args))
    for line in body(args):
        em.emit("  " + line)
    em.emit("} -> %s" % t)
    return out


def _weight(em, name, weight, quantized):
    shape = tuple(weight.shape)
    ssa = em.fresh(name + "_weight")
    if quantized is not None and name in quantized:
        q = quantized[name]
        if tuple(q.indices.shape) != shape:
            raise ValueError("layer %s: quantized shape %s != weight shape %s" % (
                name, q.indices.shape, shape))
        enc = encode_dense(q)
        values = np.asarray(enc["values"], dtype=np.uint8)
        res = em.resource(name + "_values", values)
        for line in dc_weight_ir(ssa, name, shape, q.codebook, res, values.size,
                                 int(enc["num_entries"]), q.bits):
            em.emit(line)
    else:
        res = em.resource(name + "_weight", weight.detach().cpu().numpy().astype(np.float32))
        em.emit("%%%s = arith.constant {dc.layer = \"%s\"} dense_resource<%s> : %s" % (
            ssa, name, res, tensor_type(shape)))
    return ssa


def _bias(em, name, bias):
    ssa = em.fresh(name + "_bias")
    res = em.resource(name + "_bias", bias.detach().cpu().numpy().astype(np.float32))
    em.emit("%%%s = arith.constant dense_resource<%s> : %s" % (ssa, res,
                                                              tensor_type(bias.shape)))
    return ssa


def _add_bias(em, name, x, shape, b, channel_dim):
    rank = len(shape)
    dims = ", ".join("d%d" % i for i in range(rank))
    bmap = "affine_map<(%s) -> (d%d)>" % (dims, channel_dim)
    return _elementwise(em, x, shape, name + "_biased",
                        lambda a: ["%%s = arith.addf %s, %s : f32" % (a[0], a[1]),
                                   "linalg.yield %s : f32"],
                        operands=[b], operand_maps=[(bmap, tensor_type((shape[channel_dim],)))])


def _linear(em, name, mod, x, shape, quantized):
    if len(shape) != 2:
        raise ValueError("Linear %s expects a 2-D input, got %s" % (name, shape))
    n, k = shape
    m = mod.out_features
    w = _weight(em, name, mod.weight, quantized)
    out_shape = (n, m)
    fill = em.filled(out_shape, 0.0, name)
    mm = em.fresh(name + "_mm")
    em.emit("%%%s = linalg.matmul indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d2)>, "
            "affine_map<(d0, d1, d2) -> (d1, d2)>, affine_map<(d0, d1, d2) -> (d0, d1)>] "
            "ins(%%%s, %%%s : %s, %s) outs(%%%s : %s) -> %s" % (
                mm, x, w, tensor_type(shape), tensor_type((m, k)), fill,
                tensor_type(out_shape), tensor_type(out_shape)))
    if mod.bias is not None:
        mm = _add_bias(em, name, mm, out_shape, _bias(em, name, mod.bias), 1)
    return mm, out_shape


def _pair(v):
    return tuple(v) if isinstance(v, (tuple, list)) else (v, v)


def _conv(em, name, mod, x, shape, quantized):
    if len(shape) != 4:
        raise ValueError("Conv2d %s expects NCHW input, got %s" % (name, shape))
    if any(_pair(mod.padding)) or mod.groups != 1 or mod.padding_mode != "zeros":
        raise NotImplementedError("Conv2d %s: padding/groups not supported" % name)
    n, c, h, wd = shape
    kh, kw = _pair(mod.kernel_size)
    sh, sw = _pair(mod.stride)
    dh, dw = _pair(mod.dilation)
    oh = (h - dh * (kh - 1) - 1) // sh + 1
    ow = (wd - dw * (kw - 1) - 1) // sw + 1
    out_shape = (n, mod.out_channels, oh, ow)
    w = _weight(em, name, mod.weight, quantized)
    fill = em.filled(out_shape, 0.0, name)
    out = em.fresh(name + "_conv")
    em.emit("%%%s = linalg.conv_2d_nchw_fchw {dilations = dense<[%d, %d]> : tensor<2xi64>, "
            "strides = dense<[%d, %d]> : tensor<2xi64>} ins(%%%s, %%%s : %s, %s) "
            "outs(%%%s : %s) -> %s" % (
                out, dh, dw, sh, sw, x, w, tensor_type(shape),
                tensor_type(tuple(mod.weight.shape)), fill, tensor_type(out_shape),
                tensor_type(out_shape)))
    if mod.bias is not None:
        out = _add_bias(em, name, out, out_shape, _bias(em, name, mod.bias), 1)
    return out, out_shape


def _maxpool(em, name, mod, x, shape):
    if len(shape) != 4:
        raise ValueError("MaxPool2d %s expects NCHW input" % name)
    if any(_pair(mod.padding)) or mod.ceil_mode:
        raise NotImplementedError("MaxPool2d %s: padding/ceil_mode not supported" % name)
    kh, kw = _pair(mod.kernel_size)
    sh, sw = _pair(mod.stride if mod.stride is not None else mod.kernel_size)
    dh, dw = _pair(mod.dilation)
    n, c, h, wd = shape
    out_shape = (n, c, (h - dh * (kh - 1) - 1) // sh + 1, (wd - dw * (kw - 1) - 1) // sw + 1)
    fill = em.filled(out_shape, -math.inf, name)
    win = em.fresh(name + "_window")
    em.emit("%%%s = tensor.empty() : %s" % (win, tensor_type((kh, kw))))
    out = em.fresh(name)
    em.emit("%%%s = linalg.pooling_nchw_max {dilations = dense<[%d, %d]> : tensor<2xi64>, "
            "strides = dense<[%d, %d]> : tensor<2xi64>} ins(%%%s, %%%s : %s, %s) "
            "outs(%%%s : %s) -> %s" % (out, dh, dw, sh, sw, x, win, tensor_type(shape),
                                       tensor_type((kh, kw)), fill, tensor_type(out_shape),
                                       tensor_type(out_shape)))
    return out, out_shape


def _relu(em, name, x, shape):
    zero = em.const_scalar(0.0)
    return _elementwise(em, x, shape, name,
                        lambda a: ["%%r = arith.maximumf %s, %%%s : f32" % (a[0], zero),
                                   "linalg.yield %r : f32"]), shape


def _flatten(em, name, mod, x, shape):
    start = mod.start_dim % len(shape)
    end = mod.end_dim % len(shape)
    groups = [[i] for i in range(start)] + [list(range(start, end + 1))] + \
        [[i] for i in range(end + 1, len(shape))]
    out_shape = tuple(int(np.prod([shape[i] for i in g])) for g in groups)
    if out_shape == tuple(shape):
        return x, shape
    out = em.fresh(name)
    em.emit("%%%s = tensor.collapse_shape %%%s %s : %s into %s" % (
        out, x, str(groups), tensor_type(shape), tensor_type(out_shape)))
    return out, out_shape


def _softmax(em, name, x, shape, dim=-1):
    """Softmax over the last dimension of a 2-D tensor with generic ops."""
    if len(shape) != 2 or dim % 2 != 1:
        raise NotImplementedError("softmax only over dim 1 of 2-D tensors")
    n, k = shape
    red = "affine_map<(d0, d1) -> (d0)>"
    ident = "affine_map<(d0, d1) -> (d0, d1)>"
    iters = '["parallel", "reduction"]'
    mx_init = em.filled((n,), -math.inf, name + "_max")
    mx = em.fresh(name + "_max")
    em.emit("%%%s = linalg.generic {indexing_maps = [%s, %s], iterator_types = %s} "
            "ins(%%%s : %s) outs(%%%s : %s) {" % (mx, ident, red, iters, x, tensor_type(shape),
                                                 mx_init, tensor_type((n,))))
    em.emit("^bb0(%in: f32, %acc: f32):")
    em.emit("  %m = arith.maximumf %in, %acc : f32")
    em.emit("  linalg.yield %m : f32")
    em.emit("} -> %s" % tensor_type((n,)))
    ex = _elementwise(em, x, shape, name + "_exp",
                      lambda a: ["%%d = arith.subf %s, %s : f32" % (a[0], a[1]),
                                 "%e = math.exp %d : f32", "linalg.yield %e : f32"],
                      operands=[mx], operand_maps=[(red, tensor_type((n,)))])
    sm_init = em.filled((n,), 0.0, name + "_sum")
    sm = em.fresh(name + "_sum")
    em.emit("%%%s = linalg.generic {indexing_maps = [%s, %s], iterator_types = %s} "
            "ins(%%%s : %s) outs(%%%s : %s) {" % (sm, ident, red, iters, ex, tensor_type(shape),
                                                 sm_init, tensor_type((n,))))
    em.emit("^bb0(%in: f32, %acc: f32):")
    em.emit("  %s = arith.addf %in, %acc : f32")
    em.emit("  linalg.yield %s : f32")
    em.emit("} -> %s" % tensor_type((n,)))
    out = _elementwise(em, ex, shape, name,
                       lambda a: ["%%q = arith.divf %s, %s : f32" % (a[0], a[1]),
                                  "linalg.yield %q : f32"],
                       operands=[sm], operand_maps=[(red, tensor_type((n,)))])
    return out, shape


def export_mlir(model, input_shape, batch=1, softmax=False, quantized=None,
                func_name="forward"):
    """MLIR text of ``model`` (an nn.Sequential) for inputs [batch, *input_shape].

    ``quantized``: optional name -> compress.Quantized; those layers become dc IR.
    """
    em = _Emitter(batch)
    shape = (batch,) + tuple(input_shape)
    x = "arg0"
    em.names.add(x)
    mods = list(model.named_children()) if isinstance(model, nn.Sequential) else None
    if mods is None:
        raise TypeError("export_mlir expects an nn.Sequential")
    if softmax:
        mods.append(("softmax", nn.Softmax(dim=1)))
    in_type = tensor_type(shape)
    for name, mod in mods:
        name = re.sub(r"\W", "_", name)
        if not name[:1].isalpha():
            name = "layer" + name
        if isinstance(mod, nn.Linear):
            x, shape = _linear(em, name, mod, x, shape, quantized)
        elif isinstance(mod, nn.Conv2d):
            x, shape = _conv(em, name, mod, x, shape, quantized)
        elif isinstance(mod, nn.ReLU):
            x, shape = _relu(em, name, x, shape)
        elif isinstance(mod, nn.MaxPool2d):
            x, shape = _maxpool(em, name, mod, x, shape)
        elif isinstance(mod, nn.Flatten):
            x, shape = _flatten(em, name, mod, x, shape)
        elif isinstance(mod, nn.Softmax):
            x, shape = _softmax(em, name, x, shape, mod.dim if mod.dim is not None else 1)
        elif isinstance(mod, (nn.Identity, nn.Dropout)):
            continue
        else:
            raise NotImplementedError("cannot export %s (%s)" % (name, type(mod).__name__))
    out_type = tensor_type(shape)
    text = ["module {",
            "  func.func @%s(%%arg0: %s) -> %s attributes {llvm.emit_c_interface} {" % (
                func_name, in_type, out_type)]
    text += em.lines
    text.append("    return %%%s : %s" % (x, out_type))
    text.append("  }")
    text.append("}")
    if em.resources:
        text.append("")
        text.append("{-#")
        text.append("  dialect_resources: {")
        text.append("    builtin: {")
        text.append(",\n".join('      %s: "%s"' % (n, h) for n, h in em.resources))
        text.append("    }")
        text.append("  }")
        text.append("#-}")
    return "\n".join(text) + "\n"


def write(path, text):
    with open(path, "w") as f:
        f.write(text)
    return path
