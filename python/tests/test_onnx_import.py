"""The ONNX importer end to end: import, dc-opt (dense and --dc-compress),
clang, run, compared with onnxruntime; and its error lines."""

import os
import subprocess
import sys

import numpy as np
import onnx
import pytest
from onnx import TensorProto, helper, numpy_helper

from deep_compression.onnx_import import OnnxImportError, import_onnx, native, ort

PY_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def _model(nodes, inputs, outputs, inits=(), opset=13):
    g = helper.make_graph(nodes, "g", inputs, outputs,
                          [numpy_helper.from_array(a, n) for n, a in inits])
    return helper.make_model(g, opset_imports=[helper.make_opsetid("", opset)])


def _f32(name, shape):
    return helper.make_tensor_value_info(name, TensorProto.FLOAT, shape)


def _mlp():
    rng = np.random.default_rng(0)
    w1 = rng.standard_normal((32, 16)).astype(np.float32)
    b1 = rng.standard_normal(32).astype(np.float32)
    w2 = rng.standard_normal((32, 10)).astype(np.float32)
    return _model([helper.make_node("Gemm", ["x", "fc1.weight", "fc1.bias"], ["h"], transB=1,
                                    name="fc1"),
                   helper.make_node("Relu", ["h"], ["r"], name="relu"),
                   helper.make_node("Gemm", ["r", "fc2.weight"], ["y"], alpha=0.5, name="fc2")],
                  [_f32("x", ["N", 16])], [_f32("y", None)],
                  [("fc1.weight", w1), ("fc1.bias", b1), ("fc2.weight", w2)])


def _run_both(model, tmp_path, inputs, compress=None, shapes=None):
    path = str(tmp_path / "m.onnx")
    onnx.save(model, path)
    text = import_onnx(path, shapes)
    mlir = tmp_path / "m.mlir"
    mlir.write_text(text)
    so = native.compile_module(str(mlir), str(tmp_path), compress=compress,
                               name="m_dense" if compress is None else "m_comp")
    got = native.load(so, text)(*inputs.values())
    ref = ort.run_batch([(path, inputs)], str(tmp_path / "ort"))[0]
    assert not isinstance(ref, str), ref
    return text, got, ref


def test_gemm_relu_dense_matches_onnxruntime(tmp_path):
    x = np.random.default_rng(1).standard_normal((4, 16)).astype(np.float32)
    text, got, ref = _run_both(_mlp(), tmp_path, {"x": x}, shapes={"x": [4, 16]})
    assert 'dc.layer = "fc1.weight"' in text and 'dc.layer = "fc2.weight"' in text
    assert "llvm.emit_c_interface" in text and "dense_resource<" in text
    np.testing.assert_allclose(got[0], ref[0], rtol=1e-5, atol=1e-5)


def test_gemm_relu_compressed_differs_but_runs(tmp_path):
    x = np.random.default_rng(1).standard_normal((4, 16)).astype(np.float32)
    rep = tmp_path / "report.json"
    _, got, ref = _run_both(_mlp(), tmp_path, {"x": x}, shapes={"x": [4, 16]},
                            compress="sparsity=0.5 report=%s" % rep)
    import json
    names = [l["name"] for l in json.loads(rep.read_text())["layers"]]
    assert names == ["fc1.weight", "fc2.weight"]
    err = np.abs(got[0] - ref[0]).max()
    assert 0 < err < np.abs(ref[0]).max()  # pruned: close to, not equal to, the dense model


def _cli(*args):
    return subprocess.run([sys.executable, "-m", "deep_compression", "import-onnx"] + list(args),
                          cwd=PY_DIR, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def test_cli_dynamic_dim_is_one_error_line(tmp_path):
    p = str(tmp_path / "m.onnx")
    onnx.save(_mlp(), p)
    r = _cli(p, "-o", str(tmp_path / "o.mlir"))
    assert r.returncode == 1
    assert r.stderr.strip().splitlines() == [
        "error: input 'x' has dynamic shape [N, 16]; fix it with --input-shape x=D0,D1,..."]
    r = _cli(p, "-o", str(tmp_path / "o.mlir"), "--input-shape", "x=2,16")
    assert r.returncode == 0, r.stderr
    assert "func.func @forward(%arg0: tensor<2x16xf32>) -> tensor<2x10xf32>" in \
        (tmp_path / "o.mlir").read_text()


@pytest.mark.parametrize("args,msg", [
    (["--input-shape", "y=2,16"], "--input-shape names 'y', which is not a graph input"),
    (["--input-shape", "x=2"], "--input-shape x=2 has rank 1; the model's input has rank 2"),
    (["--input-shape", "x=2,15"], "contradicts the model's static shape"),
    (["--input-shape", "x2,16"], "expected NAME=D0,D1,..."),
])
def test_cli_bad_input_shape(tmp_path, args, msg):
    p = str(tmp_path / "m.onnx")
    onnx.save(_mlp(), p)
    r = _cli(p, "-o", str(tmp_path / "o.mlir"), *args)
    assert r.returncode == 1 and len(r.stderr.strip().splitlines()) == 1
    assert msg in r.stderr


def test_cli_unsupported_op_and_bad_file(tmp_path):
    m = _model([helper.make_node("Det", ["x"], ["y"], name="det0")], [_f32("x", [3, 3])],
               [_f32("y", [])])
    p = str(tmp_path / "m.onnx")
    onnx.save(m, p)
    r = _cli(p, "-o", str(tmp_path / "o.mlir"))
    assert r.returncode == 1
    assert r.stderr.strip() == "error: unsupported op 'Det' (node 'det0')"
    bad = tmp_path / "bad.onnx"
    bad.write_bytes(b"not a model")
    r = _cli(str(bad), "-o", str(tmp_path / "o.mlir"))
    assert r.returncode == 1 and len(r.stderr.strip().splitlines()) == 1
    assert "Traceback" not in r.stderr
    assert not (tmp_path / "o.mlir").exists()


def test_unsupported_attribute_names_op_node_value():
    m = _model([helper.make_node("Resize", ["x", "", "s"], ["y"], mode="cubic", name="up")],
               [_f32("x", [1, 1, 2, 2])], [_f32("y", None)],
               [("s", np.array([1, 1, 2, 2], np.float32))])
    with pytest.raises(OnnxImportError, match=r"^Resize node 'up': mode='cubic' not supported$"):
        import_onnx(m)


def test_non_float_input_is_refused():
    m = _model([helper.make_node("Identity", ["x"], ["y"])],
               [helper.make_tensor_value_info("x", TensorProto.INT64, [2])],
               [helper.make_tensor_value_info("y", TensorProto.INT64, [2])])
    with pytest.raises(OnnxImportError, match="input 'x' has element type INT64"):
        import_onnx(m)
