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
            for inp in self.model.graph.input:
                if inp.type.tensor_type.elem_type == onnx.TensorProto.BFLOAT16:
                    raise OnnxImportError("input '%s' is bfloat16 (numpy has no such type; "
                                          "onnxruntime-node cannot feed it)" % inp.name)
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
    ok = ~nan & (got != want)  # equal infinities are fine
    err = np.abs(got[ok] - want[ok])
    if err.size == 0:
        return None
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
        results[c.name] = _verdict(c, outputs[c.name], ort_out.get(c.name), with_ort)
    return results


# Checked against one reference only (the reasons are in docs/ONNX.md too).
# onnxruntime-node cannot run these (an input type its binding cannot feed,
# or no kernel in onnxruntime 1.22): dc vs the expected output only.
ORT_CANNOT_RUN = {
    "test_cast_STRING_to_FLOAT": "string input",
    "test_castlike_STRING_to_FLOAT_expanded": "string input",
    "test_pow_types_float32_uint32": "no Pow(float, uint32) kernel",
    "test_pow_types_float32_uint64": "no Pow(float, uint64) kernel",
}
# The test data's expected output and onnxruntime disagree: dc vs onnxruntime.
REFERENCE_DIFFERS = {
    "test_resize_downsample_scales_linear_align_corners":
        "onnxruntime samples align_corners downscaling differently from the ONNX 1.12 reference",
}
# Expected outputs computed in float64 (window functions folded at import in
# f32 by onnxruntime and dc alike): vs expected with atol 1e-4.
LOOSE_EXPECTED = {n: 1e-4 for n in (
    "test_blackmanwindow_expanded", "test_blackmanwindow_symmetric_expanded",
    "test_hammingwindow_expanded", "test_hammingwindow_symmetric_expanded",
    "test_hannwindow_expanded", "test_hannwindow_symmetric_expanded")}


def _verdict(c, got, ort_result, with_ort):
    problems = []
    if c.name not in REFERENCE_DIFFERS:
        atol = LOOSE_EXPECTED.get(c.name, ATOL)
        for i, (g, e) in enumerate(zip(got, c.expected)):
            p = compare(g, e, atol=atol)
            if p:
                problems.append("output %d vs expected: %s" % (i, p))
    if with_ort:
        if isinstance(ort_result, str):
            if c.name not in ORT_CANNOT_RUN:
                problems.append("onnxruntime: %s" % ort_result)
        elif c.name in ORT_CANNOT_RUN:
            problems.append("onnxruntime runs it now: drop it from ORT_CANNOT_RUN")
        else:
            for i, (g, e) in enumerate(zip(got, ort_result)):
                p = compare(g, e)
                if p:
                    problems.append("output %d vs onnxruntime: %s" % (i, p))
            if c.name in REFERENCE_DIFFERS and all(
                    compare(e, o) is None for e, o in zip(c.expected, ort_result)):
                problems.append("onnxruntime agrees with the expected output now: drop it "
                                "from REFERENCE_DIFFERS")
    return ("fail", "; ".join(problems)) if problems else ("pass", None)


def docs_table(results):
    """Markdown rows of the left-out cases (docs/ONNX.md)."""
    rows = ["| case | reason |", "|---|---|"]
    for name in sorted(results):
        status, detail = results[name]
        if status == "left out":
            rows.append("| %s | %s |" % (name, detail.replace("|", "\\|")))
    return "\n".join(rows)


if __name__ == "__main__":
    import argparse
    import tempfile
    ap = argparse.ArgumentParser(description="ONNX node tests through dc (docs/ONNX.md)")
    ap.add_argument("--workdir", default=None)
    ap.add_argument("--docs", action="store_true", help="print the left-out table")
    a = ap.parse_args()
    res = run(a.workdir or tempfile.mkdtemp(prefix="dc-nodes-"))
    counts = {}
    for status, _ in res.values():
        counts[status] = counts.get(status, 0) + 1
    print("considered %d: %s" % (len(res), ", ".join("%s %d" % kv for kv in sorted(counts.items()))))
    for name, (status, detail) in sorted(res.items()):
        if status == "fail":
            print("FAIL %s: %s" % (name, detail))
    if a.docs:
        print(docs_table(res))
