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
    """The real command, in a separate process."""
    return subprocess.run([sys.executable, "-m", "deep_compression", "import-onnx"] + list(args),
                          cwd=PY_DIR, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


class _Result:
    def __init__(self, returncode, stderr):
        self.returncode, self.stderr = returncode, stderr


def _cli_here(capsys, *args):
    """The same command's main() in this process (no interpreter start-up)."""
    from deep_compression import cli
    capsys.readouterr()
    try:
        cli.main(["import-onnx"] + list(args))
        code = 0
    except SystemExit as e:
        code = e.code
    return _Result(code, capsys.readouterr().err)


def test_cli_dynamic_dim_is_one_error_line(tmp_path, capsys):
    p = str(tmp_path / "m.onnx")
    onnx.save(_mlp(), p)
    r = _cli(p, "-o", str(tmp_path / "o.mlir"))
    assert r.returncode == 1
    assert r.stderr.strip().splitlines() == [
        "error: input 'x' has dynamic shape [N, 16]; fix it with --input-shape x=D0,D1,..."]
    r = _cli_here(capsys, p, "-o", str(tmp_path / "o.mlir"), "--input-shape", "x=2,16")
    assert r.returncode == 0, r.stderr
    assert "func.func @forward(%arg0: tensor<2x16xf32>) -> tensor<2x10xf32>" in \
        (tmp_path / "o.mlir").read_text()


@pytest.mark.parametrize("args,msg", [
    (["--input-shape", "y=2,16"], "--input-shape names 'y', which is not a graph input"),
    (["--input-shape", "x=2"], "--input-shape x=2 has rank 1; the model's input has rank 2"),
    (["--input-shape", "x=2,15"], "contradicts the model's static shape"),
    (["--input-shape", "x2,16"], "expected NAME=D0,D1,..."),
])
def test_cli_bad_input_shape(tmp_path, capsys, args, msg):
    p = str(tmp_path / "m.onnx")
    onnx.save(_mlp(), p)
    r = _cli_here(capsys, p, "-o", str(tmp_path / "o.mlir"), *args)
    assert r.returncode == 1 and len(r.stderr.strip().splitlines()) == 1
    assert msg in r.stderr


def test_cli_unsupported_op_and_bad_file(tmp_path, capsys):
    m = _model([helper.make_node("Det", ["x"], ["y"], name="det0")], [_f32("x", [3, 3])],
               [_f32("y", [])])
    p = str(tmp_path / "m.onnx")
    onnx.save(m, p)
    r = _cli_here(capsys, p, "-o", str(tmp_path / "o.mlir"))
    assert r.returncode == 1
    assert r.stderr.strip() == "error: unsupported op 'Det' (node 'det0')"
    bad = tmp_path / "bad.onnx"
    bad.write_bytes(b"not a model")
    r = _cli_here(capsys, str(bad), "-o", str(tmp_path / "o.mlir"))
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


# --- small graphs of the forms real models use, one module, vs onnxruntime ---

def _rand(*shape, seed=0):
    return np.random.default_rng(seed).standard_normal(shape).astype(np.float32)


def _conv_bn(group, cin, cout, pads=(1, 1, 1, 1), strides=(1, 1), auto_pad=None):
    attrs = {"group": group, "strides": list(strides)}
    if auto_pad:
        attrs["auto_pad"] = auto_pad
    else:
        attrs["pads"] = list(pads)
    bn = [("bn.scale", _rand(cout, seed=3) + 2), ("bn.bias", _rand(cout, seed=4)),
          ("bn.mean", _rand(cout, seed=5)), ("bn.var", np.abs(_rand(cout, seed=6)) + 0.5)]
    return _model([helper.make_node("Conv", ["x", "conv.weight", "conv.bias"], ["c"], name="conv",
                                    kernel_shape=[3, 3], **attrs),
                   helper.make_node("BatchNormalization", ["c", "bn.scale", "bn.bias", "bn.mean",
                                                           "bn.var"], ["y"], epsilon=1e-3)],
                  [_f32("x", [2, cin, 9, 9])], [_f32("y", None)],
                  [("conv.weight", _rand(cout, cin // group, 3, 3, seed=1)),
                   ("conv.bias", _rand(cout, seed=2))] + bn)


def _graphs():
    g = {}
    g["conv_bn"] = (_conv_bn(1, 3, 4), {"x": _rand(2, 3, 9, 9)})
    g["conv_grouped"] = (_conv_bn(2, 4, 6, strides=(2, 2)), {"x": _rand(2, 4, 9, 9)})
    g["conv_depthwise"] = (_conv_bn(4, 4, 4, auto_pad="SAME_UPPER", strides=(2, 2)),
                           {"x": _rand(2, 4, 9, 9)})
    g["gemm_bn"] = (_model([
        helper.make_node("Gemm", ["x", "fc.weight", "fc.bias"], ["h"], transB=1),
        helper.make_node("BatchNormalization", ["h", "s", "b", "m", "v"], ["y"])],
        [_f32("x", [3, 5])], [_f32("y", None)],
        [("fc.weight", _rand(4, 5)), ("fc.bias", _rand(4, seed=1)), ("s", _rand(4, seed=2)),
         ("b", _rand(4, seed=3)), ("m", _rand(4, seed=4)), ("v", np.abs(_rand(4, seed=5)) + 1)]),
        {"x": _rand(3, 5)})
    g["matmul_batched_broadcast"] = (_model(
        [helper.make_node("MatMul", ["a", "b"], ["y"])],
        [_f32("a", [2, 1, 3, 4]), _f32("b", [3, 4, 5])], [_f32("y", None)]),
        {"a": _rand(2, 1, 3, 4), "b": _rand(3, 4, 5, seed=1)})
    g["matmul_weight_3d_input"] = (_model(
        [helper.make_node("MatMul", ["a", "w"], ["y"])], [_f32("a", [2, 3, 4])],
        [_f32("y", None)], [("w", _rand(4, 6))]), {"a": _rand(2, 3, 4, seed=1)})
    g["pad_reflect_edge"] = (_model(
        [helper.make_node("Pad", ["x", "p"], ["r"], mode="reflect"),
         helper.make_node("Pad", ["r", "p"], ["y"], mode="edge")],
        [_f32("x", [1, 2, 4, 5])], [_f32("y", None)],
        [("p", np.array([0, 0, 1, 2, 0, 0, 2, 1], np.int64))]), {"x": _rand(1, 2, 4, 5)})
    g["gather_split_concat"] = (_model(
        [helper.make_node("Gather", ["x", "i"], ["g"], axis=1),
         helper.make_node("Split", ["g", "s"], ["p", "q"], axis=3),
         helper.make_node("Concat", ["q", "p", "c"], ["y"], axis=3)],
        [_f32("x", [2, 5, 6])], [_f32("y", None)],
        [("i", np.array([[4, 0], [1, -1]], np.int64)), ("s", np.array([2, 4], np.int64)),
         ("c", _rand(2, 2, 2, 1, seed=3))]), {"x": _rand(2, 5, 6)})
    g["resize_linear_nearest"] = (_model(
        [helper.make_node("Resize", ["x", "", "s"], ["r"], mode="linear"),
         helper.make_node("Resize", ["r", "", "", "z"], ["y"], mode="nearest",
                          coordinate_transformation_mode="asymmetric", nearest_mode="floor")],
        [_f32("x", [1, 2, 3, 4])], [_f32("y", None)],
        [("s", np.array([1, 1, 2, 1.5], np.float32)), ("z", np.array([1, 2, 5, 7], np.int64))]),
        {"x": _rand(1, 2, 3, 4)})
    g["pool_ceil_pads"] = (_model(
        [helper.make_node("MaxPool", ["x"], ["m"], kernel_shape=[3, 3], strides=[2, 2],
                          pads=[1, 1, 1, 1], ceil_mode=1),
         helper.make_node("AveragePool", ["m"], ["y"], kernel_shape=[2, 2], strides=[2, 2],
                          pads=[0, 0, 1, 1], ceil_mode=1)],
        [_f32("x", [1, 2, 10, 11])], [_f32("y", None)]), {"x": _rand(1, 2, 10, 11)})
    g["two_outputs_identity"] = (_model(
        [helper.make_node("Identity", ["x"], ["y"]),
         helper.make_node("Softmax", ["x"], ["z"], axis=1)],
        [_f32("x", [2, 3])], [_f32("y", None), _f32("z", None)]), {"x": _rand(2, 3)})
    return g


def test_small_graphs_match_onnxruntime(tmp_path):
    from deep_compression.onnx_import.graph import Importer, resources_text
    graphs = _graphs()
    funcs, res, sigs, jobs = [], [], {}, []
    for i, (name, (m, inputs)) in enumerate(graphs.items()):
        p = str(tmp_path / ("%s.onnx" % name))
        onnx.save(m, p)
        imp = Importer(p, {k: list(v.shape) for k, v in inputs.items()}, func_name="f%d" % i,
                       resource_prefix="f%d_" % i)
        f, r = imp.run_parts()
        funcs.append(f)
        res += r
        sigs[name] = ("f%d" % i, imp.signature)
        jobs.append((p, inputs))
    mlir = tmp_path / "all.mlir"
    mlir.write_text("module {\n" + "".join(funcs) + "}\n" + resources_text(res))
    so = native.compile_module(str(mlir), str(tmp_path))
    refs = ort.run_batch(jobs, str(tmp_path / "ort"))
    import ctypes
    lib = ctypes.CDLL(so)
    for (name, (m, inputs)), ref in zip(graphs.items(), refs):
        assert not isinstance(ref, str), (name, ref)
        fname, (ins, outs) = sigs[name]
        got = native.NativeFunction(lib, fname, ins, outs)(*inputs.values())
        assert len(got) == len(ref), name
        for g, r in zip(got, ref):
            np.testing.assert_allclose(g, r, rtol=1e-4, atol=1e-5, err_msg=name)


def test_batchnorm_folded_into_conv_and_gemm():
    text = import_onnx(_conv_bn(1, 3, 4))
    assert "BatchNormalization" not in text
    # One weight constant for the layer, named after the conv's initializer,
    # holding the folded weight; no separate scale/shift of the output.
    assert text.count('dc.layer = "conv.weight"') == 1
    assert "bn.scale" not in text and "bn.mean" not in text
    assert text.count("linalg.generic") == 1  # the bias add
    text = import_onnx(_graphs()["gemm_bn"][0])
    assert text.count('dc.layer = "fc.weight"') == 1 and "linalg.generic" in text


def test_conv_forms_are_named_linalg_ops():
    assert "linalg.conv_2d_nchw_fchw" in import_onnx(_conv_bn(1, 3, 4))
    t = import_onnx(_conv_bn(2, 4, 6))
    assert "linalg.conv_2d_ngchw_gfchw" in t and "tensor<2x3x2x3x3xf32>" in t
    t = import_onnx(_conv_bn(4, 4, 4))
    assert "linalg.depthwise_conv_2d_nchw_chw" in t and "tensor<4x3x3xf32>" in t


def test_shape_computations_fold_at_import():
    # Reshape to (N, -1) computed from Shape/Gather/Unsqueeze/Concat/Cast.
    m = _model([helper.make_node("Shape", ["x"], ["s"]),
                helper.make_node("Gather", ["s", "zero"], ["n"], axis=0),
                helper.make_node("Unsqueeze", ["n", "ax"], ["n1"]),
                helper.make_node("Cast", ["n1"], ["n2"], to=TensorProto.INT64),
                helper.make_node("Concat", ["n2", "minus1"], ["shape"], axis=0),
                helper.make_node("Reshape", ["x", "shape"], ["y"])],
               [_f32("x", [2, 3, 4])], [_f32("y", None)],
               [("zero", np.array(0, np.int64)), ("ax", np.array([0], np.int64)),
                ("minus1", np.array([-1], np.int64))])
    t = import_onnx(m)
    assert "-> tensor<2x12xf32>" in t and "i64" not in t
    # Weights from Constant nodes are weights too, named by the Constant's output.
    m = _model([helper.make_node("Constant", [], ["w"], value=numpy_helper.from_array(
                    _rand(3, 4))),
                helper.make_node("MatMul", ["x", "w"], ["y"])],
               [_f32("x", [2, 3])], [_f32("y", None)])
    t = import_onnx(m)
    assert 'dc.layer = "w"' in t and "linalg.matmul" in t


# --- export_module: any nn.Module, named by its state_dict ---

def test_export_module_names_and_numbers(tmp_path):
    import json
    import re

    import torch
    from torch import nn

    from deep_compression.onnx_import import export_module
    torch.manual_seed(0)
    m = nn.Sequential(nn.Conv2d(3, 8, 3, padding=1), nn.BatchNorm2d(8), nn.ReLU(),
                      nn.Conv2d(8, 8, 3, groups=8), nn.AvgPool2d(2), nn.Flatten(), nn.Dropout(),
                      nn.Linear(8 * 3 * 3, 10), nn.GELU())
    with torch.no_grad():  # non-trivial BatchNorm statistics
        m[1].running_mean.uniform_(-1, 1)
        m[1].running_var.uniform_(0.5, 2)
        m[1].weight.uniform_(0.5, 2)
    m.train()
    x = torch.randn(2, 3, 8, 8)
    text = export_module(m, x)
    assert m.training  # the caller's mode is restored
    names = re.findall(r'dc.layer = "([^"]+)"', text)
    assert [n for n in names if n.endswith("weight")] == ["0.weight", "3.weight", "7.weight"]
    assert "BatchNorm" not in text and "1.running_mean" not in names
    mlir = tmp_path / "m.mlir"
    mlir.write_text(text)
    rep = tmp_path / "r.json"
    so = native.compile_module(str(mlir), str(tmp_path), name="exported")
    so_c = native.compile_module(str(mlir), str(tmp_path), name="exported_c",
                                 compress="bits=8 report=%s" % rep)
    m.eval()
    with torch.no_grad():
        want = m(x).numpy()
    np.testing.assert_allclose(native.load(so, text)(x.numpy())[0], want, rtol=1e-4, atol=1e-5)
    got_c = native.load(so_c, text)(x.numpy())[0]
    assert np.abs(got_c - want).max() < 0.1 * np.abs(want).max()
    layers = [l["name"] for l in json.loads(rep.read_text())["layers"]]
    assert "0.weight" in layers and "7.weight" in layers
