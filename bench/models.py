"""Whole-model latency: dc compressed, dc uncompressed, PyTorch eager and
onnxruntime on the same pruned weights (bench/models.sh runs this).

usage: /usr/bin/python3 bench/models.py BUILD_DIR [--models a,b] [--batches 1,64]
                                        [--threads 1,2] [--workdir DIR]

Per model: random weights (torch seed 0) pruned by magnitude in PyTorch to
the model's kept fractions, exported once per batch size with
torch.onnx.export (opset 13), imported with dc's ONNX importer. All four
runtimes run that same pruned model:
  dc-comp   dc-opt --dc-compress=threshold=1e-30 (exactly the zeros are pruned;
            default bits: 8 conv, 5 fc) --dc-to-llvm=threads=T, clang -O3
            -march=native; timed in C (bench/models_driver.c) through
            _mlir_ciface_forward, result freed after each call
  dc-dense  the same without --dc-compress
  dc-comp-dw-dense  (not in the default --variants) dc-comp with the
            depthwise filters (Conv with group > 1) left uncompressed
            (dc.config = {skip = true} on their constants), so they run as the
            glue's direct row convolution instead of im2col + dc.matmul
  torch     eager, torch.inference_mode, torch.set_num_threads(T), timed in
            the Python loop (what a PyTorch user calls)
  ort       onnxruntime-node (build/deps/ort), intraOpNumThreads=T,
            sequential, all graph optimizations; node's per-call overhead (an
            Identity model's median) subtracted (bench/models_ort.js)
warm: median of back-to-back calls; cold: median of calls each after
writing a 64 MiB buffer. object: the .so (dc), the saved module (torch), the .onnx file (ort); RSS:
peak RSS (VmHWM) of the timing process after its warm calls, each runtime
in its own process; for dc, in parentheses, minus the baseline of the MLIR C
runner utils the .so links (they load libMLIR and libLLVM). out0: the first output element, to check the four agree.
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
from collections import OrderedDict

import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "python"))
LLVM = "/usr/lib/llvm-22"


def fc_stack():
    import torch.nn as nn
    return nn.Sequential(OrderedDict([
        ("fc6", nn.Linear(9216, 4096)), ("relu6", nn.ReLU()),
        ("fc7", nn.Linear(4096, 4096)), ("relu7", nn.ReLU()),
        ("fc8", nn.Linear(4096, 1000))]))


def build(name):
    """(module, input shape without batch, {parameter name: kept fraction})."""
    from deep_compression import models
    if name == "lenet300":
        # The paper's LeNet-300-100 (Table 2): 8% / 9% / 26% kept.
        return models.lenet300(), (784,), {"ip1.weight": 0.08, "ip2.weight": 0.09,
                                           "ip3.weight": 0.26}
    if name == "lenet5":
        # The paper's LeNet-5 (Table 3): 66% / 12% / 8% / 19% kept.
        return models.lenet5(), (1, 28, 28), {"conv1.weight": 0.66, "conv2.weight": 0.12,
                                              "ip1.weight": 0.08, "ip2.weight": 0.19}
    if name == "fc678":
        # AlexNet's fc6-fc7-fc8 (Table 4): 9% / 9% / 25% kept.
        return fc_stack(), (9216,), {"fc6.weight": 0.09, "fc7.weight": 0.09,
                                     "fc8.weight": 0.25}
    import torchvision
    m = getattr(torchvision.models, name)(num_classes=1000)
    keep = {n: 0.5 for n, p in m.named_parameters() if n.endswith("weight") and p.dim() >= 2}
    return m, (3, 96, 96), keep


def prune(module, keep):
    import torch
    with torch.no_grad():
        for n, p in module.named_parameters():
            if n in keep:
                k = max(1, int(round(keep[n] * p.numel())))
                thr = p.abs().flatten().kthvalue(p.numel() - k + 1).values
                p.mul_((p.abs() >= thr).to(p.dtype))


def run(cmd, **kw):
    p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, **kw)
    if p.returncode != 0:
        raise RuntimeError("%s failed: %s" % (cmd[0], p.stderr.strip()[-1500:]))
    return p.stdout


def skip_grouped_filters(mlir, onnx_path, out):
    """`mlir` with dc.config = {skip = true} on the filter constants of the
    grouped (depthwise) Convs of `onnx_path`; returns the new file."""
    import onnx
    model = onnx.load(onnx_path, load_external_data=False)
    names = set()
    for node in model.graph.node:
        if node.op_type == "Conv" and any(a.name == "group" and a.i > 1
                                          for a in node.attribute):
            names.add(node.input[1])
    with open(mlir) as f:
        text = f.read()
    for n in names:
        text = text.replace('{dc.layer = "%s"}' % n,
                            '{dc.config = {skip = true}, dc.layer = "%s"}' % n)
    with open(out, "w") as f:
        f.write(text)
    return out


def compile_dc(build_dir, mlir, out, compress, threads):
    flags = ["--dc-compress=threshold=1e-30"] if compress else []
    flags.append("--dc-to-llvm=threads=%d" % threads)
    run([os.path.join(build_dir, "bin", "dc-opt"), mlir] + flags + ["-o", out + ".llvm.mlir"])
    run([LLVM + "/bin/mlir-translate", "--mlir-to-llvmir", out + ".llvm.mlir", "-o", out + ".ll"])
    libs = [LLVM + "/lib/libmlir_c_runner_utils.so", "-Wl,-rpath," + LLVM + "/lib"]
    if threads > 1:
        libs.append(LLVM + "/lib/libomp.so")
    run([LLVM + "/bin/clang", "-O3", "-march=native", "-shared", "-fPIC",
         "-Wno-override-module", out + ".ll", "-o", out + ".so"] + libs)
    for ext in (".llvm.mlir", ".ll"):
        os.remove(out + ext)
    return out + ".so"


def counts(name, batch):
    if name in ("lenet300", "lenet5"):
        return (2001, 51) if batch == 1 else (201, 21)
    if batch == 1:
        return 51, 11
    return 11, 5


def peak_rss_kb():
    """VmHWM (getrusage's ru_maxrss also counts the image before exec)."""
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return float(line.split()[1])
    return float("nan")


def torch_child(args):
    """One PyTorch timing in its own process (its own peak RSS)."""
    import time
    import torch
    path, batch, threads, warm, cold, shape = args
    torch.set_num_threads(int(threads))
    module = torch.load(path)
    module.eval()
    shape = [int(batch)] + [int(d) for d in shape.split(",")]
    n = int(np.prod(shape))
    x = torch.from_numpy(((np.arange(n) * 7919) % 2001 / 1000.0 - 1.0)
                         .astype(np.float32).reshape(shape))
    with torch.inference_mode():
        for _ in range(3):
            y = module(x)
        t = []
        for _ in range(int(warm)):
            t0 = time.perf_counter_ns()
            module(x)
            t.append((time.perf_counter_ns() - t0) / 1e3)
        rss = peak_rss_kb()
        flush = np.zeros(16 << 20, np.int32)
        c = []
        for i in range(int(cold)):
            flush[::16] += 1  # one ordinary store per cache line
            t0 = time.perf_counter_ns()
            module(x)
            c.append((time.perf_counter_ns() - t0) / 1e3)
    print(json.dumps({"warm_us": float(np.median(t)), "cold_us": float(np.median(c)),
                      "maxrss_kb": rss, "out0": float(y.flatten()[0])}))


def identity_onnx(path):
    import onnx
    from onnx import TensorProto, helper
    g = helper.make_graph([helper.make_node("Identity", ["x"], ["y"])], "id",
                          [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1])],
                          [helper.make_tensor_value_info("y", TensorProto.FLOAT, [1])])
    onnx.save(helper.make_model(g, opset_imports=[helper.make_opsetid("", 13)]), path)


def main():
    if len(sys.argv) > 1 and sys.argv[1] == "--torch-child":
        return torch_child(sys.argv[2:])
    ap = argparse.ArgumentParser()
    ap.add_argument("build_dir")
    ap.add_argument("--models", default="lenet300,lenet5,fc678,mobilenet_v2,resnet18")
    ap.add_argument("--batches", default="1,64")
    ap.add_argument("--threads", default="1,2")
    ap.add_argument("--variants", default="dc-comp,dc-dense,torch,ort")
    ap.add_argument("--workdir")
    args = ap.parse_args()
    import torch
    from deep_compression.onnx_import import import_onnx, ort
    build_dir = os.path.abspath(args.build_dir)
    work = args.workdir or tempfile.mkdtemp(prefix="dc-models-")
    os.makedirs(work, exist_ok=True)
    driver = os.path.join(work, "models_driver")
    run(["gcc", "-O2", os.path.join(ROOT, "bench", "models_driver.c"), "-ldl", "-o", driver])
    ident = os.path.join(work, "identity.onnx")
    identity_onnx(ident)
    variants = args.variants.split(",")
    print("| model | batch | threads | runtime | warm us | cold us | object MB | peak RSS MB "
          "| warm vs ort | out0 |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    sys.stdout.flush()
    for name in args.models.split(","):
        torch.manual_seed(0)
        module, shape, keep = build(name)
        module.eval()
        prune(module, keep)
        tpath = os.path.join(work, name + ".pt")
        torch.save(module, tpath)
        for batch in [int(b) for b in args.batches.split(",")]:
            x = torch.zeros((batch,) + shape)
            onnx_path = os.path.join(work, "%s_b%d.onnx" % (name, batch))
            torch.onnx.export(module, (x,), onnx_path, opset_version=13, input_names=["input"],
                              do_constant_folding=False,
                              training=torch.onnx.TrainingMode.PRESERVE)
            mlir = os.path.join(work, "%s_b%d.mlir" % (name, batch))
            with open(mlir, "w") as f:
                f.write(import_onnx(onnx_path, {"input": list(x.shape)}))
            out_rank = module(x).dim()
            warm, cold = counts(name, batch)
            for threads in [int(t) for t in args.threads.split(",")]:
                rows = {}
                for v in variants:
                    try:
                        rows[v] = measure(v, name, batch, threads, warm, cold, shape, out_rank,
                                          build_dir, work, mlir, onnx_path, ident, tpath,
                                          driver, ort)
                    except Exception as e:  # a runtime failing is a row, not the end
                        rows[v] = {"error": str(e).splitlines()[0][:200]}
                ref = rows.get("ort", {}).get("warm_us")
                for v in variants:
                    r = rows[v]
                    if "error" in r:
                        print("| %s | %d | %d | %s | failed: %s | | | | | |" % (
                            name, batch, threads, v, r["error"]))
                        continue
                    ratio = ("%.2fx" % (ref / r["warm_us"])) if ref else ""
                    rss = "%.0f" % (r["maxrss_kb"] / 1024.0)
                    if "baseline_kb" in r:
                        rss += " (%.0f)" % ((r["maxrss_kb"] - r["baseline_kb"]) / 1024.0)
                    print("| %s | %d | %d | %s | %.1f | %.1f | %s | %s | %s | %.5g |" % (
                        name, batch, threads, v, r["warm_us"], r["cold_us"],
                        "%.2f" % (r["object"] / 1e6) if r.get("object") else "",
                        rss, ratio, r.get("out0", float("nan"))))
                sys.stdout.flush()


def measure(v, name, batch, threads, warm, cold, shape, out_rank, build_dir, work, mlir,
            onnx_path, ident, tpath, driver, ort):
    full = [batch] + list(shape)
    if v in ("dc-comp", "dc-dense", "dc-comp-dw-dense"):
        out = os.path.join(work, "%s_b%d_t%d_%s" % (name, batch, threads, v))
        if v == "dc-comp-dw-dense":
            mlir = skip_grouped_filters(mlir, onnx_path, out + ".in.mlir")
        so = compile_dc(build_dir, mlir, out, v != "dc-dense", threads)
        env = dict(os.environ, OMP_NUM_THREADS=str(threads),
                   LD_LIBRARY_PATH=LLVM + "/lib")
        out = run([driver, so, str(len(full))] + [str(d) for d in full] +
                  [str(out_rank), str(warm), str(cold)], env=env).split()
        return {"warm_us": float(out[0]), "cold_us": float(out[1]),
                "maxrss_kb": float(out[2]), "out0": float(out[3]),
                "baseline_kb": float(out[4]),
                "object": os.path.getsize(so)}
    if v == "torch":
        out = run(["/usr/bin/python3", os.path.abspath(__file__), "--torch-child", tpath,
                   str(batch), str(threads), str(warm), str(cold),
                   ",".join(str(d) for d in shape)])
        r = json.loads(out.strip().splitlines()[-1])
        r["object"] = os.path.getsize(tpath)
        return r
    if v == "ort":
        env = dict(os.environ, DC_ORT_DIR=ort.ort_dir())
        out = run(["node", os.path.join(ROOT, "bench", "models_ort.js"), onnx_path, ident,
                   ",".join(str(d) for d in full), str(threads), str(warm), str(cold)],
                  env=env)
        r = json.loads(out.strip().splitlines()[-1])
        r["object"] = os.path.getsize(onnx_path)
        return r
    raise ValueError("unknown runtime " + v)


if __name__ == "__main__":
    main()
