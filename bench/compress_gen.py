#!/usr/bin/env python3
"""Writes a module with VGG-16's weight shapes (138M f32 weights, random
normal, seed 0) as textual MLIR with resource blobs; bench/compress.sh turns
it into bytecode. Each layer is a weight constant feeding a convolution or a
matmul, with the paper's VGG-16 pruning rate in `dc.config` (Han et al.,
Table 5). --scale S multiplies every layer's leading dimension by S.

usage: compress_gen.py OUT.mlir [--scale S]"""
import sys

import numpy as np

# name, weight shape (conv: FCHW; fc: [in, out]), fraction of weights kept.
VGG16 = [
    ("conv1_1", (64, 3, 3, 3), 0.58), ("conv1_2", (64, 64, 3, 3), 0.22),
    ("conv2_1", (128, 64, 3, 3), 0.34), ("conv2_2", (128, 128, 3, 3), 0.36),
    ("conv3_1", (256, 128, 3, 3), 0.53), ("conv3_2", (256, 256, 3, 3), 0.24),
    ("conv3_3", (256, 256, 3, 3), 0.42), ("conv4_1", (512, 256, 3, 3), 0.32),
    ("conv4_2", (512, 512, 3, 3), 0.27), ("conv4_3", (512, 512, 3, 3), 0.34),
    ("conv5_1", (512, 512, 3, 3), 0.35), ("conv5_2", (512, 512, 3, 3), 0.29),
    ("conv5_3", (512, 512, 3, 3), 0.36), ("fc6", (25088, 4096), 0.04),
    ("fc7", (4096, 4096), 0.04), ("fc8", (4096, 1000), 0.23),
]


def tensor(shape):
    return "tensor<" + "x".join(map(str, shape)) + "xf32>"


def main():
    out_path = sys.argv[1]
    scale = float(sys.argv[3]) if len(sys.argv) > 3 else 1.0
    layers = [(n, (max(1, round(s[0] * scale)),) + s[1:], k)
              for n, s, k in VGG16]
    rng = np.random.default_rng(0)
    with open(out_path, "w") as f:
        f.write("func.func @vgg16(%img: tensor<1x512x3x3xf32>, "
                "%x: tensor<1x25088xf32>) {\n")
        for name, shape, kept in layers:
            cfg = '{dc.layer = "%s", dc.config = {sparsity = %.2f : f64}}' % (
                name, 1 - kept)
            f.write("  %%%s = arith.constant %s dense_resource<%s> : %s\n" %
                    (name, cfg, name, tensor(shape)))
            if name.startswith("conv"):
                o, c = shape[0], shape[1]
                f.write("  %%%s_in = tensor.extract_slice %%img[0, 0, 0, 0] "
                        "[1, %d, 3, 3] [1, 1, 1, 1] : tensor<1x512x3x3xf32> "
                        "to tensor<1x%dx3x3xf32>\n" % (name, c, c)
                        if c <= 512 else "")
                f.write("  %%%s_out = tensor.empty() : tensor<1x%dx1x1xf32>\n"
                        % (name, o))
                f.write("  %%%s_y = linalg.conv_2d_nchw_fchw ins(%%%s_in, %%%s "
                        ": tensor<1x%dx3x3xf32>, %s) outs(%%%s_out : "
                        "tensor<1x%dx1x1xf32>) -> tensor<1x%dx1x1xf32>\n" %
                        (name, name, name, c, tensor(shape), name, o, o))
            else:
                i, o = shape
                f.write("  %%%s_in = tensor.extract_slice %%x[0, 0] [1, %d] "
                        "[1, 1] : tensor<1x25088xf32> to tensor<1x%dxf32>\n" %
                        (name, i, i))
                f.write("  %%%s_out = tensor.empty() : tensor<1x%dxf32>\n" %
                        (name, o))
                f.write("  %%%s_y = linalg.matmul ins(%%%s_in, %%%s : "
                        "tensor<1x%dxf32>, %s) outs(%%%s_out : tensor<1x%dxf32>)"
                        " -> tensor<1x%dxf32>\n" %
                        (name, name, name, i, tensor(shape), name, o, o))
        f.write("  return\n}\n{-#\n  dialect_resources: {\n    builtin: {\n")
        for index, (name, shape, _) in enumerate(layers):
            f.write('      %s: "0x04000000' % name)
            n = int(np.prod(shape))
            for start in range(0, n, 1 << 22):
                chunk = rng.normal(0, 0.02, min(1 << 22, n - start))
                f.write(chunk.astype(np.float32).tobytes().hex().upper())
            f.write('"%s\n' % ("," if index + 1 < len(layers) else ""))
        f.write("    }\n  }\n#-}\n")


if __name__ == "__main__":
    main()
