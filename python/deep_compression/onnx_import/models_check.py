"""Whole architectures through the importer, compiled by dc dense and
compressed, against onnxruntime on the same inputs (``make check-models``).

Random weights (seed 0), exported with ``torch.onnx.export`` (opset 13, eval
mode: torch folds BatchNorm into the convolutions). The compressed model is
compared with onnxruntime running the same ONNX file with each compressed
layer's weights replaced by the ones dc reconstructs from its encoding
(``dc-opt --dc-compress=... --dc-decompress-constants``), so the comparison
checks dc's compressed kernels, not the compression error (reported apart).

    python3 -m deep_compression.onnx_import.models_check [NAME ...]
"""

import json
import os
import re
import subprocess
import tempfile
import time

import numpy as np
import onnx
from onnx import numpy_helper

from . import import_onnx, native, ort

COMPRESS = "sparsity=0.5"
# Max |y - y_ref| / max |y_ref| allowed (float32 accumulation order differs).
TOLERANCE = 1e-4


def _tv(name, **kw):
    import torchvision
    return lambda: getattr(torchvision.models, name)(**kw)


def _googlenet():
    import torch
    import torchvision
    model = torchvision.models.googlenet(aux_logits=False, init_weights=False)
    # With PyTorch's default init the 22 layers shrink the features until the
    # classifier's bias is nearly the whole output; without it the logits
    # depend on every layer (and a check of them means something).
    with torch.no_grad():
        model.fc.bias.zero_()
    return model


def _transformer():
    import torch
    layer = torch.nn.TransformerEncoderLayer(d_model=64, nhead=4, dim_feedforward=256,
                                             dropout=0.0, batch_first=True)
    return torch.nn.TransformerEncoder(layer, num_layers=2)


# name -> (builder, input shape)
MODELS = {
    "squeezenet1_1": (_tv("squeezenet1_1"), (1, 3, 64, 64)),
    "resnet18": (_tv("resnet18"), (1, 3, 64, 64)),
    "mobilenet_v2": (_tv("mobilenet_v2"), (1, 3, 64, 64)),
    "googlenet": (_googlenet, (1, 3, 96, 96)),
    "transformer_encoder": (_transformer, (1, 16, 64)),
}


def export(name, path):
    import torch
    build, shape = MODELS[name]
    torch.manual_seed(0)
    model = build().eval()
    x = torch.randn(shape, generator=torch.Generator().manual_seed(1))
    torch.onnx.export(model, x, path, opset_version=13, input_names=["input"],
                      output_names=["output"])
    return x.numpy()


_CONST = re.compile(r'arith\.constant \{[^}]*dc\.layer = "([^"]+)"[^}]*\} '
                    r'dense_resource<("[^"]+"|[^>]+)> : tensor<([0-9x]+)xf32>')
_INLINE = re.compile(r'arith\.constant \{[^}]*dc\.layer = "([^"]+)"[^}]*\} '
                     r'dense<("0x[0-9A-Fa-f]*"|[-+0-9.eE]+)> : tensor<([0-9x]+)xf32>')
_BLOB = re.compile(r'^\s*("[^"]+"|[\w.$-]+): "0x([0-9A-Fa-f]*)"', re.M)


def decoded_weights(mlir_text):
    """{dc.layer: array} of a module's dense_resource f32 constants."""
    blobs = {m.group(1).strip('"'): m.group(2) for m in _BLOB.finditer(mlir_text)}
    out = {}
    for m in _CONST.finditer(mlir_text):
        shape = tuple(int(d) for d in m.group(3).split("x"))
        data = bytes.fromhex(blobs[m.group(2).strip('"')][8:])  # skip the alignment word
        out[m.group(1)] = np.frombuffer(data, dtype="<f4").reshape(shape)
    # Small constants come back as inline `dense<...>` attributes (printed in
    # hex by the caller's --mlir-print-elementsattrs-with-hex-if-larger=1).
    for m in _INLINE.finditer(mlir_text):
        shape = tuple(int(d) for d in m.group(3).split("x"))
        value = m.group(2)
        if value.startswith('"0x'):
            arr = np.frombuffer(bytes.fromhex(value[3:-1]), dtype="<f4")
        else:
            arr = np.full(int(np.prod(shape)), float(value), dtype=np.float32)
        out[m.group(1)] = arr.reshape(shape)
    return out


def with_weights(model_path, weights, out_path):
    m = onnx.load(model_path)
    inits = {i.name: i for i in m.graph.initializer}
    for name, arr in weights.items():
        if name in inits:
            old = numpy_helper.to_array(inits[name])
            inits[name].CopyFrom(numpy_helper.from_array(
                arr.reshape(old.shape).astype(old.dtype), name))
            continue
        for n in m.graph.node:
            if n.op_type == "Constant" and n.output[0] == name:
                old = numpy_helper.to_array(n.attribute[0].t)
                n.attribute[0].t.CopyFrom(numpy_helper.from_array(
                    arr.reshape(old.shape).astype(old.dtype), name))
                break
        else:
            raise KeyError("layer %s is neither an initializer nor a Constant" % name)
    onnx.save(m, out_path)


def _rel(y, ref):
    return float(np.abs(y - ref).max() / max(np.abs(ref).max(), 1e-30))


def check(name, workdir, compress=COMPRESS, log=None):
    """Returns a dict of measured errors (relative max errors vs onnxruntime)."""
    log = log or (lambda s: None)
    os.makedirs(workdir, exist_ok=True)
    onnx_path = os.path.join(workdir, name + ".onnx")
    t0 = time.time()
    x = export(name, onnx_path)
    text = import_onnx(onnx_path)
    mlir = os.path.join(workdir, name + ".mlir")
    with open(mlir, "w") as f:
        f.write(text)
    log("%s: exported and imported (%.1fs)" % (name, time.time() - t0))
    report = os.path.join(workdir, name + ".report.json")
    t0 = time.time()
    import concurrent.futures
    with concurrent.futures.ThreadPoolExecutor(2) as ex:  # the two builds side by side
        d = ex.submit(native.compile_module, mlir, workdir, name=name + "_dense")
        c = ex.submit(native.compile_module, mlir, workdir,
                      compress="%s report=%s" % (compress, report), name=name + "_dc")
        dense, comp = native.load(d.result(), text), native.load(c.result(), text)
    log("%s: compiled dense and compressed (%.1fs)" % (name, time.time() - t0))
    with open(report) as f:
        rep = json.load(f)
    decoded_mlir = os.path.join(workdir, name + ".decoded.mlir")
    subprocess.run([native.dc_opt_path(), mlir, "--dc-compress=" + compress,
                    "--dc-decompress-constants", "--mlir-print-elementsattrs-with-hex-if-larger=1",
                    "-o", decoded_mlir], check=True)
    with open(decoded_mlir) as f:
        decoded = decoded_weights(f.read())
    layers = [l["name"] for l in rep["layers"]]
    missing = [l for l in layers if l not in decoded]
    if missing:
        raise RuntimeError("no decoded constant for layers %s" % missing)
    recon_path = os.path.join(workdir, name + ".reconstructed.onnx")
    with_weights(onnx_path, {l: decoded[l] for l in layers}, recon_path)
    refs = ort.run_batch([(onnx_path, {"input": x}), (recon_path, {"input": x})],
                         os.path.join(workdir, "ort"))
    for r in refs:
        if isinstance(r, str):
            raise RuntimeError("onnxruntime: " + r)
    y_dense, y_comp = dense(x)[0], comp(x)[0]
    res = {"model": name, "input": list(x.shape), "layers": len(layers),
           "ratio": rep["total"]["bytes_dense"] / rep["total"]["bytes_pqh"],
           "dense_rel_error": _rel(y_dense, refs[0][0]),
           "compressed_rel_error": _rel(y_comp, refs[1][0]),
           "compression_effect": _rel(refs[1][0], refs[0][0])}
    log("%s: %s" % (name, json.dumps(res)))
    return res


def main(argv=None):
    import argparse
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("models", nargs="*", default=list(MODELS))
    ap.add_argument("--workdir", default=None)
    ap.add_argument("--compress", default=COMPRESS)
    a = ap.parse_args(argv)
    wd = a.workdir or tempfile.mkdtemp(prefix="dc-models-")
    print("| model | input | layers | ratio | dense vs ORT | compressed vs ORT | compression effect |")
    print("|---|---|---|---|---|---|---|")
    for n in a.models:
        r = check(n, os.path.join(wd, n), a.compress)
        print("| %s | %s | %d | %.1fx | %.1e | %.1e | %.1e |" % (
            n, "x".join(map(str, r["input"])), r["layers"], r["ratio"], r["dense_rel_error"],
            r["compressed_rel_error"], r["compression_effect"]), flush=True)


if __name__ == "__main__":
    main()
