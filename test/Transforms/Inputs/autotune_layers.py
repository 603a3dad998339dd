#!/usr/bin/env python3
"""Helper of the dc-autotune tests.

  autotune_layers.py gen OUT.mlir
      Three layers with seeded random weights (an fc with heavy tails, a
      conv, a small fc) as dense_resource blobs, each named by dc.layer.
  autotune_layers.py check ORIGINAL.mlir DECOMPRESSED.mlir E
      Relative L2 error of every layer's reconstructed weights (the output of
      --dc-decompress-constants) against the original; prints one line per
      layer and exits 1 if one exceeds E.
  autotune_layers.py monotone REPORT.json...
      Total bytes_pqh of reports produced at increasing E: exits 1 if one
      grows."""
import json
import re
import sys

import numpy as np

LAYERS = [("fc1", (64, 300)), ("conv1", (16, 8, 3, 3)), ("fc2", (10, 64))]


def tensor(shape):
    return "tensor<" + "x".join(map(str, shape)) + "xf32>"


def gen(path):
    rng = np.random.default_rng(0)
    blobs = {}
    with open(path, "w") as f:
        f.write("func.func @net(%x: tensor<300x1xf32>, %img: tensor<1x8x3x3xf32>,"
                " %h: tensor<64x1xf32>) -> (tensor<64x1xf32>, tensor<1x16x1x1xf32>,"
                " tensor<10x1xf32>) {\n")
        for name, shape in LAYERS:
            w = rng.normal(0, 0.05, shape).astype(np.float32)
            if name == "fc1":
                outliers = rng.random(shape) < 0.01
                w[outliers] *= 30
            blobs[name] = w
            f.write('  %%%s = arith.constant {dc.layer = "%s"} '
                    'dense_resource<%s> : %s\n' % (name, name, name,
                                                    tensor(shape)))
        f.write("  %o1 = tensor.empty() : tensor<64x1xf32>\n"
                "  %y1 = linalg.matmul ins(%fc1, %x : tensor<64x300xf32>, "
                "tensor<300x1xf32>) outs(%o1 : tensor<64x1xf32>) -> "
                "tensor<64x1xf32>\n"
                "  %o2 = tensor.empty() : tensor<1x16x1x1xf32>\n"
                "  %y2 = linalg.conv_2d_nchw_fchw ins(%img, %conv1 : "
                "tensor<1x8x3x3xf32>, tensor<16x8x3x3xf32>) outs(%o2 : "
                "tensor<1x16x1x1xf32>) -> tensor<1x16x1x1xf32>\n"
                "  %o3 = tensor.empty() : tensor<10x1xf32>\n"
                "  %y3 = linalg.matmul ins(%fc2, %h : tensor<10x64xf32>, "
                "tensor<64x1xf32>) outs(%o3 : tensor<10x1xf32>) -> "
                "tensor<10x1xf32>\n"
                "  return %y1, %y2, %y3 : tensor<64x1xf32>, "
                "tensor<1x16x1x1xf32>, tensor<10x1xf32>\n}\n")
        f.write("{-#\n  dialect_resources: {\n    builtin: {\n")
        items = ['      %s: "0x04000000%s"' % (n, blobs[n].tobytes().hex())
                 for n, _ in LAYERS]
        f.write(",\n".join(items) + "\n    }\n  }\n#-}\n")


def read_weights(path):
    """dc.layer name -> f32 array, from dense_resource blobs or the inline
    hex `dense<"0x...">` that dc-decompress-constants prints for small ones."""
    text = open(path).read()
    blobs = {m.group(1): bytes.fromhex(m.group(2))[4:]
             for m in re.finditer(r'(\w+): "0x([0-9A-Fa-f]+)"', text)}
    out = {}
    for m in re.finditer(r'arith\.constant \{[^}]*dc\.layer = "(\w+)"[^}]*\} '
                         r'dense_resource<(\w+)>', text):
        out[m.group(1)] = np.frombuffer(blobs[m.group(2)], dtype=np.float32)
    for m in re.finditer(r'arith\.constant \{[^}]*dc\.layer = "(\w+)"[^}]*\} '
                         r'dense<"0x([0-9A-Fa-f]+)">', text):
        out[m.group(1)] = np.frombuffer(bytes.fromhex(m.group(2)), dtype=np.float32)
    return out


def check(original, decompressed, bound):
    a, b = read_weights(original), read_weights(decompressed)
    status = 0
    for name, _ in LAYERS:
        if name not in b:
            print("%s: missing in the output" % name)
            status = 1
            continue
        w, r = a[name].astype(np.float64), b[name].astype(np.float64)
        err = np.linalg.norm(w - r) / np.linalg.norm(w)
        ok = err <= bound
        print("%s: rel_error %s %g" % (name, "ok" if ok else "EXCEEDS", err))
        status |= not ok
    return status


def monotone(paths):
    sizes = [json.load(open(p))["total"]["bytes_pqh"] for p in paths]
    print("bytes_pqh: " + " ".join(map(str, sizes)))
    return int(any(b > a for a, b in zip(sizes, sizes[1:])))


if __name__ == "__main__":
    if sys.argv[1] == "gen":
        gen(sys.argv[2])
    elif sys.argv[1] == "check":
        sys.exit(check(sys.argv[2], sys.argv[3], float(sys.argv[4])))
    else:
        sys.exit(monotone(sys.argv[2:]))
