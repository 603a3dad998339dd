"""ONNX's own node test cases (Debian libonnx-testdata) through the importer,
dc-opt --dc-to-llvm and clang, compared with the expected outputs and with
onnxruntime.

Each case's non-f32 inputs (shapes, indices, conditions) become initializers
with the test's values, since run-time tensors are f32. Cases whose ops are
all supported are *considered*; a considered case is *left out* when its data
is not f32 or the importer refuses an attribute value (the reason is kept).
Many cases compile as one module (one function each) per worker.
"""

import concurrent.futures
import glob
import os

import numpy as np
import onnx
from onnx import numpy_helper

from . import native
from .emitter import NeedsConstant, OnnxImportError
from .graph import Importer, resources_text
from .registry import FOLDERS, REGISTRY

NODE_DIR = "/usr/share/libonnx-testdata/data/node"
RTOL, ATOL = 1e-4, 1e-5


def case_dirs():
    return sorted(d for d in glob.glob(os.path.join(NODE_DIR, "test_*"))
                  if os.path.exists(os.path.join(d, "model.onnx")))


def _read_pb(path):
    t = onnx.TensorProto()
    with open(path, "rb") as f:
        t.ParseFromString(f.read())
    return numpy_helper.to_array(t)


class Case:
    def __init__(self, path):
        self.path = path
        self.name = os.path.basename(path)
        self.model = onnx.load(os.path.join(path, "model.onnx"))
        self.ops = sorted({n.op_type for n in self.model.graph.node})
        self.reason = None  # why left out
        self.text = None

    @property
    def supported_ops(self):
        return all(op in REGISTRY or op in FOLDERS for op in self.ops) and all(
            n.domain in ("", "ai.onnx") for n in self.model.graph.node)

    def load_data(self):
        d = os.path.join(self.path, "test_data_set_0")
        g = self.model.graph
        inits = {i.name for i in g.initializer}
        graph_inputs = [i for i in g.input if i.name not in inits]
        self.inputs = {}
        for i, inp in enumerate(graph_inputs):
            f = os.path.join(d, "input_%d.pb" % i)
            try:
                self.inputs[inp.name] = _read_pb(f)
            except Exception:
                raise OnnxImportError("input '%s' is not a tensor (sequence/optional)" % inp.name)
        self.expected = []
        for i, out in enumerate(g.output):
            try:
                self.expected.append(_read_pb(os.path.join(d, "output_%d.pb" % i)))
            except Exception:
                raise OnnxImportError("output '%s' is not a tensor" % out.name)

    def prepare(self, index):
        """Import (non-f32 inputs folded in); sets ``reason`` if left out.
        An f32 input the importer needs as a constant (Clip's min, Resize's
        scales, ...) is folded in too: they are attributes in all but name."""
        try:
            self.load_data()
            for out, e in zip(self.model.graph.output, self.expected):
                if e.dtype != np.float32:
                    raise OnnxImportError("output '%s' is %s" % (out.name, e.dtype))
            fold = {n for n, a in self.inputs.items() if a.dtype != np.float32}
            for n, a in self.inputs.items():
                if 0 in a.shape and a.dtype == np.float32:
                    raise OnnxImportError("input '%s' has a zero-size dimension" % n)
            while True:
                try:
                    self._import(index, fold)
                    break
                except NeedsConstant as e:
                    if e.input_name not in self.inputs or e.input_name in fold:
                        raise
                    fold.add(e.input_name)
        except OnnxImportError as e:
            self.reason = str(e)
        return self

    def _import(self, index, fold):
        m = onnx.ModelProto()
        m.CopyFrom(self.model)
        keep = []
        self.runtime_inputs = []
        for inp in m.graph.input:
            if inp.name in fold:
                m.graph.initializer.append(numpy_helper.from_array(self.inputs[inp.name],
                                                                   inp.name))
            else:
                keep.append(inp)
                if inp.name in self.inputs:
                    self.runtime_inputs.append(inp.name)
        del m.graph.input[:]
        m.graph.input.extend(keep)
        shapes = {n: list(self.inputs[n].shape) for n in self.runtime_inputs}
        imp = Importer(m, shapes, func_name="c%d" % index, resource_prefix="c%d_" % index)
        self.func, self.resources = imp.run_parts()
        self.func_name = "c%d" % index
        self.signature = imp.signature


def _module(cases):
    text = "module {\n" + "".join(c.func for c in cases) + "}\n"
    return text + resources_text([r for c in cases for r in c.resources])


def _compile(cases, workdir, tag):
    path = os.path.join(workdir, "nodes_%s.mlir" % tag)
    with open(path, "w") as f:
        f.write(_module(cases))
    return native.compile_module(path, workdir, opt_level="-O1")


def _compile_bisect(cases, workdir, tag, failures):
    """Compiles ``cases``; on failure, splits to find the cases that fail."""
    try:
        return [(cases, _compile(cases, workdir, tag))]
    except Exception as e:
        if len(cases) == 1:
            failures[cases[0].name] = "compile: " + str(e).strip().splitlines()[-1][-300:]
            return []
        h = len(cases) // 2
        return (_compile_bisect(cases[:h], workdir, tag + "a", failures) +
                _compile_bisect(cases[h:], workdir, tag + "b", failures))


def compare(got, want, rtol=RTOL, atol=ATOL):
    """None if close (NaNs where expected), else a description."""
    got, want = np.asarray(got, np.float64), np.asarray(want, np.float64)
    if got.shape != want.shape:
        return "shape %s != %s" % (got.shape, want.shape)
    nan = np.isnan(want)
    if np.any(np.isnan(got) != nan):
        return "NaN positions differ"
    ok = ~nan
    err = np.abs(got[ok] - want[ok])
    bad = err > atol + rtol * np.abs(want[ok])
    if np.any(bad):
        return "max abs error %.3g (at tolerance %g + %g*|ref|)" % (err.max(), atol, rtol)
    return None


def run(workdir, with_ort=True, workers=2, names=None):
    """Runs every considered case. Returns {case name: ("pass"|"left out"|
    "fail", detail)}."""
    os.makedirs(workdir, exist_ok=True)
    cases = [Case(d) for d in case_dirs()]
    cases = [c for c in cases if c.supported_ops and (names is None or c.name in names)]
    for i, c in enumerate(cases):
        c.prepare(i)
    results = {c.name: ("left out", c.reason) for c in cases if c.reason}
    todo = [c for c in cases if not c.reason]
    failures = {}
    chunks = [todo[i::workers] for i in range(workers)]
    with concurrent.futures.ThreadPoolExecutor(workers) as ex:
        built = list(ex.map(lambda a: _compile_bisect(a[1], workdir, "w%d" % a[0], failures),
                            enumerate(chunks)))
    outputs = {}
    for group in built:
        for cs, so in group:
            import ctypes
            lib = ctypes.CDLL(os.path.abspath(so))
            for c in cs:
                ins, outs = c.signature
                fn = native.NativeFunction(lib, c.func_name, ins, outs)
                try:
                    outputs[c.name] = fn(*[c.inputs[n] for n in c.runtime_inputs])
                except Exception as e:
                    failures[c.name] = "run: %s" % e
    ort_out = {}
    if with_ort:
        from . import ort
        jobs = [c for c in todo if c.name in outputs]
        res = ort.run_batch([(os.path.join(c.path, "model.onnx"), c.inputs) for c in jobs],
                            os.path.join(workdir, "ort"))
        ort_out = {c.name: r for c, r in zip(jobs, res)}
    for c in todo:
        if c.name in failures:
            results[c.name] = ("fail", failures[c.name])
            continue
        got = outputs[c.name]
        problems = []
        for i, (g, e) in enumerate(zip(got, c.expected)):
            p = compare(g, e)
            if p:
                problems.append("output %d vs expected: %s" % (i, p))
        if with_ort:
            r = ort_out[c.name]
            if isinstance(r, str):
                problems.append("onnxruntime: %s" % r)
            else:
                for i, (g, e) in enumerate(zip(got, r)):
                    p = compare(g, e)
                    if p:
                        problems.append("output %d vs onnxruntime: %s" % (i, p))
        results[c.name] = ("fail", "; ".join(problems)) if problems else ("pass", None)
    return results
