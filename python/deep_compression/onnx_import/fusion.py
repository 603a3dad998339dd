"""Graph rewrites before the walk: BatchNormalization folded into the
Conv/Gemm that feeds it, so dc compresses the folded weight."""

import numpy as np
from onnx import helper

from .emitter import Const


def _attr(node, name, default):
    for a in node.attribute:
        if a.name == name:
            return helper.get_attribute_value(a)
    return default


def fold_batchnorm(graph, values):
    """Returns the node list with each foldable BatchNormalization removed
    and its producer's weight/bias replaced (in ``values``) by folded ones.

    Foldable: inference-mode BN (one output) whose scale, B, mean and var are
    constants, whose input is the only use of a Conv or Gemm output with a
    constant weight (and bias, if any)."""
    nodes = list(graph.node)
    uses = {}
    for n in nodes:
        for i in n.input:
            uses[i] = uses.get(i, 0) + 1
    for o in graph.output:
        uses[o.name] = uses.get(o.name, 0) + 1
    producer = {o: n for n in nodes for o in n.output}
    removed = set()
    renamed = {}
    for bn in nodes:
        if bn.op_type != "BatchNormalization" or len([o for o in bn.output if o]) != 1:
            continue
        if _attr(bn, "training_mode", 0):
            continue
        params = bn.input[1:5]
        if len(params) != 4 or not all(isinstance(values.get(p), Const) for p in params):
            continue
        x = bn.input[0]
        prod = producer.get(x)
        if prod is None or prod.op_type not in ("Conv", "Gemm") or uses.get(x, 0) != 1:
            continue
        if len(prod.input) < 2 or not isinstance(values.get(prod.input[1]), Const):
            continue
        has_bias = len(prod.input) > 2 and prod.input[2] != ""
        if has_bias and not isinstance(values.get(prod.input[2]), Const):
            continue
        scale, b, mean, var = (values[p].array.astype(np.float64) for p in params)
        eps = _attr(bn, "epsilon", 1e-5)
        a = scale / np.sqrt(var + eps)
        w = values[prod.input[1]]
        warr = w.array.astype(np.float64)
        if prod.op_type == "Conv":
            if warr.shape[0] != a.shape[0]:
                continue
            wf = warr * a.reshape((-1,) + (1,) * (warr.ndim - 1))
        else:
            if _attr(prod, "transA", 0) or warr.ndim != 2:
                continue
            alpha, beta = _attr(prod, "alpha", 1.0), _attr(prod, "beta", 1.0)
            if alpha != 1.0 or (has_bias and beta != 1.0):
                continue
            if _attr(prod, "transB", 0):
                if warr.shape[0] != a.shape[0]:
                    continue
                wf = warr * a[:, None]
            else:
                if warr.shape[1] != a.shape[0]:
                    continue
                wf = warr * a[None, :]
        bias = values[prod.input[2]].array.astype(np.float64) if has_bias else 0.0
        if has_bias and np.broadcast(bias, a).shape != a.shape:
            continue
        bf = (bias - mean) * a + b
        wname = prod.input[1] + "#bn"
        bname = (prod.input[2] if has_bias else prod.output[0] + ".bias") + "#bn"
        # The folded weight keeps the layer's name: it is what dc compresses.
        values[wname] = Const(wf.astype(np.float32), w.name)
        values[bname] = Const(bf.astype(np.float32),
                              values[prod.input[2]].name if has_bias else bname)
        new = helper.make_node(prod.op_type, [prod.input[0], wname, bname],
                               [bn.output[0]], name=prod.name)
        new.attribute.extend(prod.attribute)
        renamed[id(prod)] = new
        removed.add(id(bn))
    return [renamed.get(id(n), n) for n in nodes if id(n) not in removed]
