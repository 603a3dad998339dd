"""Export of PyTorch models to MLIR text.

:func:`export` takes any ``nn.Module`` with an example input. An ``nn.Sequential``
of the modules the built-in exporter knows (Linear, Conv2d without padding or
groups, ReLU, MaxPool2d without padding, Flatten, Softmax, Identity, Dropout)
goes through :func:`export_mlir`; anything else goes through ``torch.onnx.export``
and dc's ONNX importer (:mod:`deep_compression.onnx_import`).

Names: one scheme for quantize, compress and export: a layer is named by its
module path in ``model.named_modules()`` (``ip1``; ``0`` for the first layer of an
unnamed ``nn.Sequential``; ``features.3`` when nested), which is what
:func:`deep_compression.models.layers` returns. The built-in exporter writes that
name as the weight's ``dc.layer``; through ONNX the weight constant is named after
its parameter, ``<layer>.weight`` (the ONNX initializer name), and quantized
layers are looked up by that name.

The built-in exporter's result is one function

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
from typing import Optional

import numpy as np
import torch
from torch import nn

ALIGNMENT_HEX = "04000000"  # blob alignment (uint32 LE) before the data


class ExportError(ValueError):
    """A model, an input shape or a quantized layer the exporter cannot handle."""


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


def config_attr(config: dict) -> str:
    """A ``dc.config`` dictionary attribute: {"index_bits": 6, "entropy": "ans"} ->
    ``{entropy = "ans", index_bits = 6 : i64}`` (keys sorted; ints, floats, strings, bools)."""
    items = []
    for key in sorted(config):
        v = config[key]
        if isinstance(v, bool):
            text = "true" if v else "false"
        elif isinstance(v, (int, np.integer)):
            text = "%d : i64" % v
        elif isinstance(v, (float, np.floating)):
            text = "%.17e : f64" % v
        elif isinstance(v, str):
            text = '"%s"' % v
        else:
            raise ExportError("dc.config %s: unsupported value %r" % (key, v))
        items.append("%s = %s" % (key, text))
    return "{%s}" % ", ".join(items)


def dc_weight_ir(ssa, name, shape, codebook, values_resource, num_values_bytes,
                 num_entries, bits, config=None):
    """The dc IR of one compressed layer weight (dense format, entropy none).

    Keep every detail of the dc syntax in this one function so it is easy to adapt.
    ``config``: an optional ``dc.config`` for dc-compress (e.g. the layer's
    ``format``, ``index_bits``, ``entropy``). Returns the lines defining ``%<ssa>``
    (the decompressed dense tensor).
    """
    ttype = tensor_type(shape)
    ctype = "!dc.compressed<%s, #dc.encoding<format = dense, bits = %d>>" % (ttype, bits)
    cb = ", ".join(f32_literal(c) for c in codebook)
    extra = ", dc.config = %s" % config_attr(config) if config else ""
    return [
        "%%%s_c = dc.constant {codebook = dense<[%s]> : tensor<%dxf32>, "
        "values = dense_resource<%s> : tensor<%dxi8>, num_entries = %d : i64, "
        "dc.layer = \"%s\"%s} : %s" % (ssa, cb, len(codebook), values_resource,
                                        num_values_bytes, num_entries, name, extra, ctype),
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
        self.used = set()  # quantized layers emitted as dc IR
        self.configs = {}  # layer -> dc.config of its dc.constant

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


def ssa_base(path):
    """An SSA/resource name for the layer at module path ``path`` ("0" -> "layer0")."""
    name = re.sub(r"\W", "_", path)
    return name if name[:1].isalpha() else "layer" + name


def _weight(em, path, weight, quantized):
    """The weight of the layer at module path ``path``: ``dc.layer = path`` (and its
    ``dc.config`` from ``em.configs`` for a quantized layer)."""
    shape = tuple(weight.shape)
    base = ssa_base(path)
    ssa = em.fresh(base + "_weight")
    if quantized is not None and path in quantized:
        q = quantized[path]
        em.used.add(path)
        if tuple(q.indices.shape) != shape:
            raise ExportError("layer %s: quantized shape %s != weight shape %s" % (
                path, q.indices.shape, shape))
        enc = encode_dense(q)
        values = np.asarray(enc["values"], dtype=np.uint8)
        res = em.resource(em.fresh(base + "_values"), values)
        for line in dc_weight_ir(ssa, path, shape, q.codebook, res, values.size,
                                 int(enc["num_entries"]), q.bits, em.configs.get(path)):
            em.emit(line)
    else:
        res = em.resource(ssa, weight.detach().cpu().numpy().astype(np.float32))
        em.emit("%%%s = arith.constant {dc.layer = \"%s\"} dense_resource<%s> : %s" % (
            ssa, path, res, tensor_type(shape)))
    return ssa


def _bias(em, name, bias):
    ssa = em.fresh(ssa_base(name) + "_bias")
    res = em.resource(ssa, bias.detach().cpu().numpy().astype(np.float32))
    em.emit("%%%s = arith.constant dense_resource<%s> : %s" % (ssa, res,
                                                              tensor_type(bias.shape)))
    return ssa


def _add_bias(em, name, x, shape, b, channel_dim):
    rank = len(shape)
    dims = ", ".join("d%d" % i for i in range(rank))
    bmap = "affine_map<(%s) -> (d%d)>" % (dims, channel_dim)
    return _elementwise(em, x, shape, ssa_base(name) + "_biased",
                        lambda a: ["%%s = arith.addf %s, %s : f32" % (a[0], a[1]),
                                   "linalg.yield %s : f32"],
                        operands=[b], operand_maps=[(bmap, tensor_type((shape[channel_dim],)))])


def _linear(em, name, mod, x, shape, quantized):
    if len(shape) != 2:
        raise ExportError("Linear %s expects a 2-D input [N, %d], got %s" % (
            name, mod.in_features, list(shape)))
    n, k = shape
    if k != mod.in_features:
        raise ExportError("Linear %s expects %d input features, got input %s" % (
            name, mod.in_features, list(shape)))
    m = mod.out_features
    w = _weight(em, name, mod.weight, quantized)
    out_shape = (n, m)
    fill = em.filled(out_shape, 0.0, ssa_base(name))
    mm = em.fresh(ssa_base(name) + "_mm")
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
        raise ExportError("Conv2d %s expects NCHW input, got %s" % (name, list(shape)))
    reason = _unsupported(mod)
    if reason:
        raise ExportError("%s: %s" % (name, reason))
    n, c, h, wd = shape
    if c != mod.in_channels:
        raise ExportError("Conv2d %s expects %d input channels, got input %s" % (
            name, mod.in_channels, list(shape)))
    kh, kw = _pair(mod.kernel_size)
    sh, sw = _pair(mod.stride)
    dh, dw = _pair(mod.dilation)
    oh = (h - dh * (kh - 1) - 1) // sh + 1
    ow = (wd - dw * (kw - 1) - 1) // sw + 1
    if oh < 1 or ow < 1:
        raise ExportError("Conv2d %s: input %s is smaller than its %dx%d kernel" % (
            name, list(shape), kh, kw))
    out_shape = (n, mod.out_channels, oh, ow)
    w = _weight(em, name, mod.weight, quantized)
    fill = em.filled(out_shape, 0.0, ssa_base(name))
    out = em.fresh(ssa_base(name) + "_conv")
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
        raise ExportError("MaxPool2d %s expects NCHW input, got %s" % (name, list(shape)))
    reason = _unsupported(mod)
    if reason:
        raise ExportError("%s: %s" % (name, reason))
    kh, kw = _pair(mod.kernel_size)
    sh, sw = _pair(mod.stride if mod.stride is not None else mod.kernel_size)
    dh, dw = _pair(mod.dilation)
    n, c, h, wd = shape
    out_shape = (n, c, (h - dh * (kh - 1) - 1) // sh + 1, (wd - dw * (kw - 1) - 1) // sw + 1)
    if out_shape[2] < 1 or out_shape[3] < 1:
        raise ExportError("MaxPool2d %s: input %s is smaller than its %dx%d window" % (
            name, list(shape), kh, kw))
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
        raise ExportError("%s: softmax only over dim 1 of 2-D tensors (input %s, dim %s)" % (
            name, list(shape), dim))
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


_BUILTIN = (nn.Linear, nn.Conv2d, nn.ReLU, nn.MaxPool2d, nn.Flatten, nn.Softmax, nn.Identity,
            nn.Dropout)


def _unsupported(mod):
    """Why the built-in exporter cannot take ``mod`` (None if it can)."""
    if not isinstance(mod, _BUILTIN):
        return "%s is not one of the built-in exporter's modules" % type(mod).__name__
    if isinstance(mod, nn.Conv2d):
        if any(_pair(mod.padding)) if not isinstance(mod.padding, str) else \
                mod.padding != "valid":
            return "Conv2d with padding"
        if mod.groups != 1:
            return "Conv2d with groups=%d" % mod.groups
    if isinstance(mod, nn.MaxPool2d):
        if any(_pair(mod.padding)) or mod.ceil_mode or mod.return_indices:
            return "MaxPool2d with padding, ceil_mode or return_indices"
    return None


def builtin_unsupported(model: nn.Module) -> Optional[str]:
    """None if :func:`export_mlir` handles ``model``, else the reason it does not."""
    if not isinstance(model, nn.Sequential):
        return "%s is not an nn.Sequential" % type(model).__name__
    for name, mod in model.named_children():
        reason = _unsupported(mod)
        if reason:
            return "layer %s: %s" % (name, reason)
    return None


def export_mlir(model: nn.Module, input_shape, batch: int = 1, softmax: bool = False,
                quantized: Optional[dict] = None, func_name: str = "forward",
                configs: Optional[dict] = None) -> str:
    """MLIR text of ``model`` (an nn.Sequential) for inputs [batch, *input_shape].

    ``quantized``: optional layer name (module path) -> compress.Quantized; those layers
    become dc IR. A name that is not a layer of ``model`` is an error.
    ``configs``: optional layer name -> ``dc.config`` dict written on that quantized
    layer's ``dc.constant`` (what dc-compress then does with it, e.g. ``{"format": "csr",
    "index_bits": 7, "entropy": "ans"}``); every name must be a quantized layer.
    """
    reason = builtin_unsupported(model)
    if reason:
        raise ExportError("the built-in exporter cannot export this model: %s (export() "
                          "takes it through ONNX)" % reason)
    em = _Emitter(batch)
    unknown = sorted(set(configs or {}) - set(quantized or {}))
    if unknown:
        raise ExportError("dc.config for layers that are not quantized: %s" % ", ".join(unknown))
    em.configs = dict(configs or {})
    shape = (batch,) + tuple(int(d) for d in input_shape)
    if any(d < 1 for d in shape):
        raise ExportError("input shape %s has a dimension < 1" % list(shape))
    x = "arg0"
    em.names.add(x)
    mods = list(model.named_children())
    if softmax:
        mods.append(("softmax", nn.Softmax(dim=1)))
    _check_quantized_names(model, quantized)
    in_type = tensor_type(shape)
    for name, mod in mods:
        if isinstance(mod, nn.Linear):
            x, shape = _linear(em, name, mod, x, shape, quantized)
        elif isinstance(mod, nn.Conv2d):
            x, shape = _conv(em, name, mod, x, shape, quantized)
        elif isinstance(mod, nn.ReLU):
            x, shape = _relu(em, ssa_base(name), x, shape)
        elif isinstance(mod, nn.MaxPool2d):
            x, shape = _maxpool(em, ssa_base(name), mod, x, shape)
        elif isinstance(mod, nn.Flatten):
            x, shape = _flatten(em, ssa_base(name), mod, x, shape)
        elif isinstance(mod, nn.Softmax):
            x, shape = _softmax(em, ssa_base(name), x, shape,
                                mod.dim if mod.dim is not None else 1)
        elif isinstance(mod, (nn.Identity, nn.Dropout)):
            continue
    missing = set(quantized or {}) - em.used
    if missing:  # a quantized layer must never be exported as plain f32 silently
        raise ExportError("quantized layers not exported: %s" % ", ".join(sorted(missing)))
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


def _check_quantized_names(model, quantized):
    from . import models
    if not quantized:
        return
    layers = models.layers(model)
    unknown = [n for n in quantized if n not in layers]
    if unknown:
        raise ExportError("quantized layer%s %s not in the model (its layers: %s)" % (
            "s" if len(unknown) > 1 else "", ", ".join(unknown), ", ".join(layers) or "none"))


def _check_input(model, example_input):
    """Runs ``model`` on ``example_input``: a wrong shape is one clear error here."""
    if not isinstance(example_input, torch.Tensor):
        raise ExportError("example input must be a torch.Tensor, got %s" %
                          type(example_input).__name__)
    if example_input.dim() == 0 or example_input.numel() == 0:
        raise ExportError("example input of shape %s is empty" % list(example_input.shape))
    was_training = model.training
    model.eval()
    try:
        with torch.no_grad():
            out = model(example_input.float())
    except Exception as e:  # noqa: BLE001 - torch raises RuntimeError, ValueError, ...
        msg = str(e).strip().splitlines()[0] if str(e).strip() else type(e).__name__
        raise ExportError("input shape %s does not fit the model: %s" % (
            list(example_input.shape), msg)) from None
    finally:
        model.train(was_training)
    if not isinstance(out, torch.Tensor):
        raise ExportError("the model returns %s; export needs a model returning one tensor"
                          % type(out).__name__)
    return out


def export(model: nn.Module, example_input: torch.Tensor, quantized: Optional[dict] = None,
           softmax: bool = False, input_names=None) -> str:
    """MLIR text of any ``model`` for inputs shaped like ``example_input`` (batch included).

    An nn.Sequential the built-in exporter handles goes through :func:`export_mlir`
    (quantized layers as dc IR with their codebooks); any other module through
    ``torch.onnx.export`` and dc's ONNX importer (``onnx_import.export_module``), and
    quantized layers then replace the weight constants named ``<layer>.weight``.
    ``quantized``: layer name (module path, see :func:`deep_compression.models.layers`) ->
    compress.Quantized. Raises :class:`ExportError` on a wrong input shape or a
    quantized layer the model does not have.
    """
    if not isinstance(model, nn.Module):
        raise ExportError("export needs a torch.nn.Module, got %s" % type(model).__name__)
    _check_quantized_names(model, quantized)
    _check_input(model, example_input)
    shape = tuple(example_input.shape)
    if builtin_unsupported(model) is None:
        return export_mlir(model, shape[1:], batch=shape[0], softmax=softmax,
                           quantized=quantized)
    if softmax:
        model = nn.Sequential(model, nn.Softmax(dim=-1))
        quantized = {"0." + n: q for n, q in (quantized or {}).items()}
    try:
        from . import onnx_import
    except ImportError as e:
        raise ExportError("this model needs the ONNX path (%s), but "
                          "deep_compression.onnx_import is not available: %s" % (
                              builtin_unsupported(model), e)) from None
    text = onnx_import.export_module(model, example_input, input_names=input_names)
    if quantized:
        text = replace_weights(text, {n + ".weight": q for n, q in quantized.items()})
    return text


_CONST = re.compile(r'^(?P<indent>\s*)%(?P<ssa>[\w.$-]+) = arith\.constant\s*'
                    r'(?P<attrs>\{[^}]*\})?\s*dense_resource<(?P<res>[\w.$-]+)>\s*:\s*'
                    r'(?P<type>tensor<[^>]*>)\s*(?P<attrs2>\{[^}]*\})?\s*$')
_LAYER_ATTR = re.compile(r'dc\.layer\s*=\s*"(?P<name>[^"]*)"')


def replace_weights(text: str, quantized: dict) -> str:
    """Replaces the weight constants ``dc.layer = "<name>"`` of ``text`` by dc IR for the
    layers in ``quantized`` (name -> compress.Quantized); each name must be found once."""
    lines = text.split("\n")
    found = {}
    for i, line in enumerate(lines):
        m = _CONST.match(line)
        if not m:
            continue
        la = _LAYER_ATTR.search((m.group("attrs") or "") + (m.group("attrs2") or ""))
        if la and la.group("name") in quantized:
            if la.group("name") in found:
                raise ExportError("two weight constants named %s" % la.group("name"))
            found[la.group("name")] = (i, m)
    missing = [n for n in quantized if n not in found]
    if missing:
        raise ExportError("quantized layers without a weight constant in the exported module "
                          "(dc.layer = \"NAME\"): %s" % ", ".join(missing))
    dropped, blobs = set(), []
    for name, (i, m) in found.items():
        q = quantized[name]
        shape = tuple(int(d) for d in m.group("type")[7:-1].split("x")[:-1])
        indices = q.indices
        if tuple(indices.shape) != shape:
            if indices.ndim == 2 and tuple(indices.shape[::-1]) == shape:
                indices = np.ascontiguousarray(indices.T)  # a transposed MatMul weight
            else:
                raise ExportError("layer %s: quantized shape %s != weight constant %s" % (
                    name, list(q.indices.shape), list(shape)))
        from .compress import Quantized
        enc = encode_dense(Quantized(q.codebook, indices, q.bits))
        values = np.asarray(enc["values"], dtype=np.uint8)
        res = "dc_values_%d" % len(blobs)
        blobs.append((res, blob_hex(values)))
        ir = dc_weight_ir(m.group("ssa"), name, shape, q.codebook, res, values.size,
                          int(enc["num_entries"]), q.bits)
        lines[i] = "\n".join(m.group("indent") + l for l in ir)
        dropped.add(m.group("res"))
    out = []
    for line in lines:  # drop the replaced f32 blobs, add the index blobs
        stripped = line.strip()
        key = stripped.split(":", 1)[0].strip().strip('"')
        if stripped.endswith(('",', '"')) and ":" in stripped and key in dropped:
            continue
        out.append(line)
        if stripped == "builtin: {" and blobs:
            out.append(",\n".join('      %s: "%s"' % b for b in blobs) + ",")
    text = "\n".join(out)
    if not any(l.strip() == "builtin: {" for l in out):
        raise ExportError("exported module has no builtin dialect_resources section")
    head, sep, trailer = text.partition("{-#")
    return head + sep + re.sub(r',(\s*\n\s*\})', r'\1', trailer)


def write(path, text):
    with open(path, "w") as f:
        f.write(text)
    return path


def _first_line(e: BaseException) -> str:
    text = str(e).strip()
    return text.splitlines()[0] if text else type(e).__name__


def load_model_file(path: str, model_name: Optional[str] = None):
    """Loads a ``.pt``: a full pickled nn.Module, a checkpoint of this package
    (``{"model", "state_dict"[, "quantized"]}``) or a plain state_dict of the built-in
    model ``model_name``. Returns (module, quantized dict, built-in name or None).
    Every failure is an :class:`ExportError` with one line naming the file and the cause."""
    from . import compress, models
    import os
    import pickle
    if not os.path.exists(path):
        raise ExportError("%s: no such file" % path)
    if os.path.isdir(path):
        raise ExportError("%s: is a directory, not a model file" % path)
    try:
        obj = torch.load(path, map_location="cpu")
    except (pickle.UnpicklingError, EOFError, UnicodeDecodeError) as e:
        raise ExportError("%s: not a PyTorch file (%s)" % (path, _first_line(e))) from None
    except (AttributeError, ModuleNotFoundError, ImportError) as e:
        raise ExportError("%s: its model class cannot be imported here (%s); save the "
                          "state_dict and pass --model, or export to ONNX" % (
                              path, _first_line(e))) from None
    except RuntimeError as e:
        raise ExportError("%s: not a PyTorch file (%s)" % (path, _first_line(e))) from None
    if isinstance(obj, nn.Module):
        if model_name is not None:
            raise ExportError("%s holds a whole model (%s); --model is only for state_dicts"
                              % (path, type(obj).__name__))
        return obj.eval(), {}, None
    if not isinstance(obj, dict):
        raise ExportError("%s holds a %s, not a model, a checkpoint or a state_dict" % (
            path, type(obj).__name__))
    quantized = {}
    if "state_dict" in obj:  # this package's checkpoint
        name = obj.get("model")
        if model_name is not None and name is not None and name != model_name:
            raise ExportError("%s is a %s checkpoint, not %s" % (path, name, model_name))
        name = name or model_name
        state = obj["state_dict"]
        try:
            quantized = {n: compress.Quantized.from_state(s)
                         for n, s in (obj.get("quantized") or {}).items()}
        except (KeyError, TypeError, AttributeError) as e:
            raise ExportError("%s: bad quantized entry (%s)" % (path, _first_line(e))) from None
    else:
        name, state = model_name, obj
        if not all(isinstance(v, torch.Tensor) for v in state.values()):
            raise ExportError("%s holds a dict that is not a state_dict (values that are not "
                              "tensors)" % path)
    if name is None:
        raise ExportError("%s is a state_dict: name its architecture with --model (one of %s)"
                          % (path, ", ".join(models.MODELS)))
    if name not in models.MODELS:
        raise ExportError("%s: unknown model %r (expected one of %s)" % (
            path, name, ", ".join(models.MODELS)))
    module = models.build(name)
    try:
        module.load_state_dict(state)
    except (RuntimeError, KeyError, TypeError) as e:
        raise ExportError("%s does not fit %s: %s" % (path, name, _first_line(e))) from None
    return module.eval(), quantized, name


def parse_shape(text: str):
    """"1,784" -> (None, (1, 784)); "x=1,784" -> ("x", (1, 784))."""
    name, _, dims = text.rpartition("=")
    try:
        shape = tuple(int(d) for d in dims.split(","))
    except ValueError:
        shape = ()
    if not shape or any(d < 1 for d in shape):
        raise ExportError("bad --input-shape %r: expected [NAME=]D0,D1,... with positive "
                          "integers" % text)
    return (name or None), shape
