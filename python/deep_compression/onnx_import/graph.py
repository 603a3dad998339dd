"""The ONNX graph walk: inputs, initializers, folding, one handler per node."""

import numpy as np
import onnx
from onnx import helper, numpy_helper

from .emitter import Const, Emitter, NeedsConstant, OnnxImportError, Tensor, ttype
from .registry import FOLDERS, REGISTRY

_ELEM_NAMES = {v: k for k, v in onnx.TensorProto.DataType.items()}


class NodeContext:
    """What a handler sees: the node, its inputs (Const, Tensor or None for
    an omitted optional input), attributes, the emitter and the opset."""

    def __init__(self, importer, node, index, inputs):
        self.importer = importer
        self.node = node
        self.op = node.op_type
        self.label = node.name or "#%d" % index
        self.inputs = inputs
        self.attrs = {a.name: helper.get_attribute_value(a) for a in node.attribute}
        for k, v in list(self.attrs.items()):
            if isinstance(v, bytes):
                self.attrs[k] = v.decode()
            elif isinstance(v, list) and v and isinstance(v[0], bytes):
                self.attrs[k] = [x.decode() for x in v]
        self.em = importer.em
        self.opset = importer.opset

    def fail(self, what):
        raise OnnxImportError("%s node '%s': %s" % (self.op, self.label, what))

    def attr(self, name, default=None):
        return self.attrs.get(name, default)

    def input(self, i):
        return self.inputs[i] if i < len(self.inputs) else None

    def const(self, i, what=None, default=None):
        """Input i as a numpy array; it must be known at import time."""
        v = self.input(i)
        if v is None:
            return default
        if not isinstance(v, Const):
            raise NeedsConstant("%s node '%s': input %d (%s) must be a constant (an "
                                "initializer, a Constant or foldable at import)" % (
                                    self.op, self.label, i, what or self.node.input[i]),
                                self.node.input[i])
        return v.array

    def tensor(self, i):
        v = self.input(i)
        if v is None:
            self.fail("input %d is required" % i)
        return v

    def axis(self, a, rank):
        a = int(a)
        if not -rank <= a < max(rank, 1):
            self.fail("axis %d out of range for rank %d" % (a, rank))
        return a + rank if a < 0 else a


class Importer:
    def __init__(self, model, input_shapes=None, func_name="forward", resource_prefix=""):
        if isinstance(model, (str, bytes)) or hasattr(model, "__fspath__"):
            try:
                model = onnx.load(model)
            except Exception as e:  # protobuf raises several kinds
                raise OnnxImportError("cannot read ONNX model %s: %s" % (model, e))
        if not isinstance(model, onnx.ModelProto):
            raise OnnxImportError("expected an onnx.ModelProto or a path, got %s"
                                  % type(model).__name__)
        self.model = model
        self.graph = model.graph
        self.opset = 1
        for o in model.opset_import:
            if o.domain in ("", "ai.onnx"):
                self.opset = o.version
        self.input_shapes = dict(input_shapes or {})
        self.em = Emitter(resource_prefix)
        self.func_name = func_name
        self.values = {}
        self.signature = None  # (input shapes, result shapes) after run()

    # --- graph boundary ------------------------------------------------------
    def _initializers(self):
        for init in self.graph.initializer:
            try:
                arr = numpy_helper.to_array(init)
            except Exception as e:
                raise OnnxImportError("initializer '%s': %s" % (init.name, e))
            self.values[init.name] = Const(arr, init.name)

    def _inputs(self):
        args = []
        known = {i.name for i in self.graph.input}
        for name in self.input_shapes:
            if name not in known:
                raise OnnxImportError("--input-shape names '%s', which is not a graph input "
                                      "(inputs: %s)" % (name, ", ".join(sorted(known))))
        for inp in self.graph.input:
            if inp.name in self.values:  # an initializer listed as input
                if inp.name in self.input_shapes:
                    raise OnnxImportError("input '%s' is an initializer; --input-shape does "
                                          "not apply" % inp.name)
                continue
            tt = inp.type.tensor_type
            if not inp.type.HasField("tensor_type"):
                raise OnnxImportError("input '%s' is not a tensor" % inp.name)
            if tt.elem_type != onnx.TensorProto.FLOAT:
                raise OnnxImportError("input '%s' has element type %s; run-time inputs must "
                                      "be float32" % (inp.name, _ELEM_NAMES.get(
                                          tt.elem_type, tt.elem_type)))
            dims = [d.dim_value if d.HasField("dim_value") else None for d in tt.shape.dim]
            if inp.name in self.input_shapes:
                given = [int(d) for d in self.input_shapes[inp.name]]
                if tt.HasField("shape") and len(given) != len(dims):
                    raise OnnxImportError("--input-shape %s=%s has rank %d; the model's input "
                                          "has rank %d" % (inp.name, ",".join(map(str, given)),
                                                           len(given), len(dims)))
                for g, d in zip(given, dims):
                    if d is not None and d != g:
                        raise OnnxImportError("--input-shape %s=%s contradicts the model's "
                                              "static shape %s" % (inp.name, ",".join(
                                                  map(str, given)), dims))
                if any(g <= 0 for g in given):
                    raise OnnxImportError("--input-shape %s: dimensions must be positive"
                                          % inp.name)
                dims = given
            elif not tt.HasField("shape") or any(d is None or d <= 0 for d in dims):
                shown = [d.dim_param or "?" if not d.HasField("dim_value") else str(d.dim_value)
                         for d in tt.shape.dim] if tt.HasField("shape") else ["unknown rank"]
                raise OnnxImportError("input '%s' has dynamic shape [%s]; fix it with "
                                      "--input-shape %s=D0,D1,..." % (
                                          inp.name, ", ".join(shown), inp.name))
            ssa = "arg%d" % len(args)
            t = Tensor(ssa, dims)
            self.values[inp.name] = t
            args.append(t)
        return args

    # --- nodes ------------------------------------------------------------
    def _node(self, index, node):
        if node.domain not in ("", "ai.onnx"):
            raise OnnxImportError("unsupported op '%s' of domain '%s' (node '%s')" % (
                node.op_type, node.domain, node.name or "#%d" % index))
        inputs = []
        for name in node.input:
            if name == "":
                inputs.append(None)
            elif name not in self.values:
                raise OnnxImportError("%s node '%s': input '%s' is not defined before it" % (
                    node.op_type, node.name or "#%d" % index, name))
            else:
                inputs.append(self.values[name])
        cx = NodeContext(self, node, index, inputs)
        if node.op_type not in REGISTRY and node.op_type not in FOLDERS:
            raise OnnxImportError("unsupported op '%s' (node '%s')" % (node.op_type, cx.label))
        try:
            self._dispatch(node, cx, inputs)
        except OnnxImportError:
            raise
        except Exception as e:  # a malformed node: still one line naming it
            raise OnnxImportError("%s node '%s': cannot import it (%s: %s)" % (
                node.op_type, cx.label, type(e).__name__, e))

    def _dispatch(self, node, cx, inputs):
        present = [v for v in inputs if v is not None]
        if node.op_type in FOLDERS and all(isinstance(v, Const) for v in present):
            outs = FOLDERS[node.op_type](cx, [None if v is None else v.array for v in inputs])
            named = max(present, key=lambda c: c.array.size, default=None)
            outs = [o if isinstance(o, (Const, Tensor)) or o is None else
                    Const(np.asarray(o), named.name if named is not None and
                          np.asarray(o).dtype.kind == "f" else node.output[i])
                    for i, o in enumerate(outs)]
        elif node.op_type in REGISTRY:
            outs = REGISTRY[node.op_type](cx)
        else:
            name = next(n for n, v in zip(node.input, inputs) if isinstance(v, Tensor))
            raise NeedsConstant("%s node '%s': input '%s' must be a constant (%s is only "
                                "folded at import)" % (node.op_type, cx.label, name,
                                                       node.op_type), name)
        if not isinstance(outs, (list, tuple)):
            outs = [outs]
        for i, name in enumerate(node.output):
            if name == "":
                continue
            if i >= len(outs) or outs[i] is None:
                cx.fail("output %d ('%s') is not supported" % (i, name))
            v = outs[i]
            if isinstance(v, Tensor) and any(d < 0 for d in v.shape):
                cx.fail("negative output dimension %s" % (v.shape,))
            self.values[name] = v

    def run(self):
        from . import fusion
        self._initializers()
        args = self._inputs()
        nodes = fusion.fold_batchnorm(self.graph, self.values)
        for i, node in enumerate(nodes):
            self._node(i, node)
        results = []
        seen = set()
        arg_ssas = {a.ssa for a in args}
        for out in self.graph.output:
            if out.name not in self.values:
                raise OnnxImportError("graph output '%s' is never produced" % out.name)
            v = self.em.as_tensor(self.values[out.name])
            if v.ssa in arg_ssas or v.ssa in seen:
                # A fresh buffer per result: the caller owns (and frees) each one.
                v = self.em.elementwise([v], lambda e, a: a[0])
            seen.add(v.ssa)
            results.append(v)
        if not results:
            raise OnnxImportError("the graph has no outputs")
        self.signature = ([a.shape for a in args], [r.shape for r in results])
        func = self._func(args, results)
        return "module {\n" + func + "}\n" + resources_text(self.em.resources)

    def run_parts(self):
        """(function text, resources) for merging several imports into one module."""
        self.run()
        return self._func_text, self.em.resources

    def _func(self, args, results):
        sig = ", ".join("%%%s: %s" % (a.ssa, ttype(a.shape)) for a in args)
        rtypes = [ttype(r.shape) for r in results]
        rsig = rtypes[0] if len(rtypes) == 1 else "(%s)" % ", ".join(rtypes)
        out = ["  func.func @%s(%s) -> %s attributes {llvm.emit_c_interface} {"
               % (self.func_name, sig, rsig)]
        out += self.em.lines
        out.append("    return %s : %s" % (", ".join("%" + r.ssa for r in results),
                                          ", ".join(rtypes)))
        out += ["  }"]
        self._func_text = "\n".join(out) + "\n"
        return self._func_text


def resources_text(resources):
    """The file trailer holding the builtin dense_resource blobs."""
    if not resources:
        return ""
    out = ["", "{-#", "  dialect_resources: {", "    builtin: {"]
    out += ['      %s: "%s",' % kv for kv in resources]
    out[-1] = out[-1].rstrip(",")
    out += ["    }", "  }", "#-}"]
    return "\n".join(out) + "\n"
