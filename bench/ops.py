"""One-op ONNX models through dc and onnxruntime in the same run (bench/ops.sh
runs this): the glue ops of mobilenet_v2 and resnet18 at their shapes for a
3x96x96 input (bench/models.py), batch 1, one thread, warm.

usage: /usr/bin/python3 bench/ops.py BUILD_DIR [--ops a,b] [--variants dc-dense,dc-comp,ort]
                                     [--warm N] [--workdir DIR]

Each op is a one-node ONNX model (opset 13) with one f32 graph input; weights,
a second Add operand, the Clip bounds and the BatchNormalization parameters
are initializers (numpy seed 0). Runtimes, measured as in bench/models.py
(same driver, same onnxruntime script):
  dc-dense  python -m deep_compression import-onnx, dc-opt --dc-to-llvm,
            clang -O3 -march=native; timed through _mlir_ciface_forward
            (bench/models_driver.c)
  dc-comp   the same with --dc-compress=sparsity=0.5 first (ops with a
            weight only; onnxruntime still runs the dense weights)
  ort       onnxruntime-node (build/deps/ort), one intra-op thread, all graph
            optimizations; the time of its kernels from its profiler: per
            run the sum of every node's kernel time (the op and the layout
            nodes onnxruntime adds around it, e.g. NCHWc reorders), median
            over the runs (bench/ops_ort.js). Not session.run's wall time:
            for a one-op model that is mostly the node binding copying the
            input and output (about 0.2 ms for 330 KB), which a whole model
            pays once, not per op.
warm: median of back-to-back calls (after 3 untimed ones); dc's includes the
call itself and the result's allocation. dc/ort: dc's warm median over
onnxruntime's kernel time (below 1: dc faster). out0: the first output
element of dc-dense and of onnxruntime (they must agree).
"""

import argparse
import json
import os
import sys
import tempfile

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import models  # noqa: E402  (bench/models.py: compile_dc, run)


def _dw(c, hw, stride):
    return ("Conv", (1, c, hw, hw), {"group": c, "kernel_shape": [3, 3],
                                    "pads": [1, 1, 1, 1], "strides": [stride, stride]},
            [("w", (c, 1, 3, 3))])


def _conv(c, f, hw, k, stride):
    p = k // 2
    return ("Conv", (1, c, hw, hw), {"kernel_shape": [k, k], "pads": [p] * 4,
                                    "strides": [stride, stride]},
            [("w", (f, c, k, k)), ("b", (f,))])


# name: (op type, input shape, attributes, [(initializer, shape)])
OPS = {
    "dwconv3x3_c32_48_s1": _dw(32, 48, 1),
    "dwconv3x3_c96_48_s2": _dw(96, 48, 2),
    "dwconv3x3_c144_24_s1": _dw(144, 24, 1),
    "dwconv3x3_c192_12_s1": _dw(192, 12, 1),
    "dwconv3x3_c384_6_s1": _dw(384, 6, 1),
    "dwconv3x3_c960_3_s1": _dw(960, 3, 1),
    "conv1x1_c32_f16_48": _conv(32, 16, 48, 1, 1),
    "conv1x1_c144_f24_24": _conv(144, 24, 24, 1, 1),
    "conv1x1_c320_f1280_3": _conv(320, 1280, 3, 1, 1),
    "conv3x3_c3_f32_96_s2": _conv(3, 32, 96, 3, 2),
    "conv3x3_c64_f64_24": _conv(64, 64, 24, 3, 1),
    "gemm_1280_1000": ("Gemm", (1, 1280), {"transB": 1}, [("w", (1000, 1280)), ("b", (1000,))]),
    "add_24x24x24": ("Add", (1, 24, 24, 24), {}, [("y", (1, 24, 24, 24))]),
    "relu_144x24x24": ("Relu", (1, 144, 24, 24), {}, []),
    "clip6_144x24x24": ("Clip", (1, 144, 24, 24), {}, [("min", ()), ("max", ())]),
    "batchnorm_144x24x24": ("BatchNormalization", (1, 144, 24, 24), {"epsilon": 1e-5},
                            [("scale", (144,)), ("bias", (144,)), ("mean", (144,)),
                             ("var", (144,))]),
    "maxpool3x3_s2_64x48": ("MaxPool", (1, 64, 48, 48), {"kernel_shape": [3, 3],
                                                         "pads": [1, 1, 1, 1],
                                                         "strides": [2, 2]}, []),
    "globalavgpool_1280x3": ("GlobalAveragePool", (1, 1280, 3, 3), {}, []),
}

WEIGHTED = ("Conv", "Gemm")


def make_model(name, path):
    """The one-node model of OPS[name] at `path`; returns (input shape, out rank)."""
    import onnx
    from onnx import TensorProto, helper, numpy_helper
    op, shape, attrs, inits = OPS[name]
    rng = np.random.default_rng(0)
    tensors = []
    for n, s in inits:
        if n == "min":
            v = np.array(0.0, np.float32)
        elif n == "max":
            v = np.array(6.0, np.float32)
        elif n == "var":
            v = rng.uniform(0.5, 1.5, s).astype(np.float32)
        else:
            fan_in = int(np.prod(s[1:])) if len(s) > 1 else 1
            v = (rng.standard_normal(s) / np.sqrt(fan_in)).astype(np.float32)
        tensors.append(numpy_helper.from_array(v, n))
    node = helper.make_node(op, ["x"] + [n for n, _ in inits], ["out"], **attrs)
    graph = helper.make_graph([node], name, [helper.make_tensor_value_info(
        "x", TensorProto.FLOAT, list(shape))],
        [helper.make_tensor_value_info("out", TensorProto.FLOAT, None)], tensors)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)])
    onnx.save(model, path)
    return list(shape), 2 if op == "Gemm" else 4


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("build_dir")
    ap.add_argument("--ops", default=",".join(OPS))
    ap.add_argument("--variants", default="dc-dense,dc-comp,ort")
    ap.add_argument("--warm", type=int, default=201)
    ap.add_argument("--workdir")
    args = ap.parse_args()
    sys.path.insert(0, os.path.join(models.ROOT, "python"))
    from deep_compression.onnx_import import import_onnx, ort
    build_dir = os.path.abspath(args.build_dir)
    work = args.workdir or tempfile.mkdtemp(prefix="dc-ops-")
    os.makedirs(work, exist_ok=True)
    driver = os.path.join(work, "models_driver")
    models.run(["gcc", "-O2", os.path.join(HERE, "models_driver.c"), "-ldl", "-o", driver])
    variants = args.variants.split(",")
    print("| op | input | dc-dense us | dc-comp us | ort us | dc-dense/ort | dc-comp/ort "
          "| ort nodes (us each) | out0 dc-dense / ort |")
    print("|---|---|---|---|---|---|---|---|---|")
    sys.stdout.flush()
    for name in args.ops.split(","):
        if name not in OPS:
            raise SystemExit("bench/ops.py: unknown op %s (known: %s)" % (name, ", ".join(OPS)))
        path = os.path.join(work, name + ".onnx")
        shape, out_rank = make_model(name, path)
        mlir = os.path.join(work, name + ".mlir")
        with open(mlir, "w") as f:
            f.write(import_onnx(path, {"x": shape}))
        r = {}
        for v in variants:
            try:
                if v in ("dc-dense", "dc-comp"):
                    if v == "dc-comp" and OPS[name][0] not in WEIGHTED:
                        continue
                    so = models.compile_dc(build_dir, mlir, os.path.join(work, name + "_" + v),
                                           v == "dc-comp", 1)
                    env = dict(os.environ, OMP_NUM_THREADS="1",
                               LD_LIBRARY_PATH=models.LLVM + "/lib")
                    out = models.run([driver, so, str(len(shape))] + [str(d) for d in shape] +
                                     [str(out_rank), str(args.warm), "1"], env=env).split()
                    r[v] = {"warm_us": float(out[0]), "out0": float(out[3])}
                elif v == "ort":
                    env = dict(os.environ, DC_ORT_DIR=ort.ort_dir())
                    prof = os.path.join(work, "profile", name)
                    os.makedirs(os.path.dirname(prof), exist_ok=True)
                    out = models.run(["node", os.path.join(HERE, "ops_ort.js"), path,
                                      ",".join(str(d) for d in shape), str(args.warm), prof],
                                     env=env)
                    r[v] = json.loads(out.strip().splitlines()[-1])
                    r[v]["warm_us"] = r[v]["kernel_us"]
                else:
                    raise ValueError("unknown runtime " + v)
            except Exception as e:  # a failing runtime is a cell, not the end
                r[v] = {"error": str(e).splitlines()[0][:120]}

        def cell(v):
            if v not in r:
                return ""
            if "error" in r[v]:
                return "failed: " + r[v]["error"]
            return "%.1f" % r[v]["warm_us"]

        def ratio(v):
            if "warm_us" not in r.get(v, {}) or "warm_us" not in r.get("ort", {}):
                return ""
            return "%.2f" % (r[v]["warm_us"] / r["ort"]["warm_us"])

        out0 = " / ".join("%.5g" % r[v]["out0"] for v in ("dc-dense", "ort")
                          if "out0" in r.get(v, {}))
        o = r.get("ort", {})
        nodes = " + ".join("%s %g" % nu for nu in zip(o.get("nodes", []), o.get("node_us", [])))
        print("| %s | %s | %s | %s | %s | %s | %s | %s | %s |" % (
            name, "x".join(str(d) for d in shape), cell("dc-dense"), cell("dc-comp"),
            cell("ort"), ratio("dc-dense"), ratio("dc-comp"), nodes, out0))
        sys.stdout.flush()


if __name__ == "__main__":
    main()
