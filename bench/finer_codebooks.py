#!/usr/bin/env python3
"""Relative error and bytes of codebook=layer, channel and group:G on a
heavy-tailed conv weight (what folding BatchNorm into a trained conv gives:
per-channel scales spread over two decades, a few 100-sigma outliers per
channel).

  /usr/bin/python3 bench/finer_codebooks.py [BUILD_DIR]

Weight: [F=64, C=64, 3, 3], w = s_f * N(0, 1) with s_f = 10^U(-1, 1), then 2
entries per channel set to +-100 s_f. For each bits in (4, 6, 8) and each
granularity, runs `dc-opt --dc-compress="bits=B codebook=... report=..."`
(no pruning, CSC, Huffman; init linear) and prints the report's
rel_error (||w - w_q|| / ||w||), the mean over channels of each channel's
own relative error (from the decoded weights), bytes_pqh and the codebooks'
bytes.
"""
import json
import os
import subprocess
import sys
import tempfile

import numpy as np

build = sys.argv[1] if len(sys.argv) > 1 else "build"
dc_opt = os.path.join(build, "bin", "dc-opt")
rng = np.random.default_rng(0)
F, C, KH, KW = 64, 64, 3, 3
scale = 10.0 ** rng.uniform(-1, 1, F)
w = rng.standard_normal((F, C, KH, KW)) * scale[:, None, None, None]
flat = w.reshape(F, -1)
for f in range(F):
    for j in rng.choice(flat.shape[1], 2, replace=False):
        flat[f, j] = rng.choice([-1, 1]) * 100 * scale[f]
w = flat.reshape(F, C, KH, KW).astype(np.float32)

tmp = tempfile.mkdtemp()
src = os.path.join(tmp, "conv.mlir")
hexdata = "0x04000000" + w.tobytes().hex().upper()
with open(src, "w") as f:
    f.write(f"""func.func @main(%x: tensor<1x{C}x16x16xf32>) -> tensor<1x{F}x14x14xf32> {{
  %w = arith.constant {{dc.layer = "conv"}} dense_resource<w> : tensor<{F}x{C}x{KH}x{KW}xf32>
  %i = tensor.empty() : tensor<1x{F}x14x14xf32>
  %y = linalg.conv_2d_nchw_fchw ins(%x, %w : tensor<1x{C}x16x16xf32>, tensor<{F}x{C}x{KH}x{KW}xf32>) outs(%i : tensor<1x{F}x14x14xf32>) -> tensor<1x{F}x14x14xf32>
  return %y : tensor<1x{F}x14x14xf32>
}}
{{-#
  dialect_resources: {{ builtin: {{ w: "{hexdata}" }} }}
#-}}
""")


def decoded(mlir_text):
    # The decoded weight, from the dense_resource dc-decompress-constants
    # writes (the only blob of the module).
    start = mlir_text.index('"0x', mlir_text.index("dialect_resources")) + 3
    end = mlir_text.index('"', start)
    raw = bytes.fromhex(mlir_text[start + 8:end])
    return np.frombuffer(raw, np.float32).reshape(w.shape)


print("| bits | codebook | rel_error | mean per-channel rel. error | bytes_pqh | codebook bytes |")
print("|---|---|---|---|---|---|")
for bits in (4, 6, 8):
    for cb in ("layer", "group:16", "group:4", "channel"):
        report = os.path.join(tmp, "r.json")
        out = subprocess.run(
            [dc_opt, src, f"--dc-compress=bits={bits} codebook={cb} report={report}",
             "--dc-decompress-constants"], check=True, capture_output=True, text=True).stdout
        r = json.load(open(report))["layers"][0]
        q = decoded(out)
        per = np.linalg.norm((q - w).reshape(F, -1), axis=1) / np.linalg.norm(w.reshape(F, -1), axis=1)
        print(f"| {bits} | {cb} | {r['rel_error']:.4f} | {per.mean():.4f} | {r['bytes_pqh']} | {4 * r['codebook_entries']} |")
print(f"\n(bytes_dense {w.size * 4}; {F} output channels of {C * KH * KW} weights)")
