"""scale_gen.py layers N | nesting D | constant E: writes a test module to
stdout.

layers N: one function with N tiny layers (4x4 f32 weights, a chain of
          linalg.matvec), what thousands of small Huffman-coded layers look
          like after dc-compress.
nesting D: a function whose body nests D scf.execute_region ops, the
          innermost holding one layer.
constant E: one layer whose weight has E f32 elements (E / 10000 rows of
          10000 columns, E a multiple of 10000; random normal, seed 0) as a
          dense_resource blob (2 E hex digits) feeding a linalg.matvec:
          E = 250,000,000 is a 1 GB constant."""
import random
import sys

kind, n = sys.argv[1], int(sys.argv[2])
rng = random.Random(1)


def weights():
    return "[" + ", ".join(
        "[" + ", ".join("%.4f" % rng.uniform(-1, 1) for _ in range(4)) + "]"
        for _ in range(4)) + "]"


out = []
if kind == "layers":
    out.append("func.func @f(%x: tensor<4xf32>) -> tensor<4xf32> {")
    out.append("  %z = arith.constant 0.0 : f32")
    out.append("  %e = tensor.empty() : tensor<4xf32>")
    out.append("  %i = linalg.fill ins(%z : f32) outs(%e : tensor<4xf32>)"
               " -> tensor<4xf32>")
    prev = "%x"
    for k in range(n):
        out.append("  %%w%d = arith.constant dense<%s> : tensor<4x4xf32>" %
                   (k, weights()))
        out.append("  %%y%d = linalg.matvec ins(%%w%d, %s : tensor<4x4xf32>,"
                   " tensor<4xf32>) outs(%%i : tensor<4xf32>) -> tensor<4xf32>"
                   % (k, k, prev))
        prev = "%%y%d" % k
    out.append("  return %s : tensor<4xf32>" % prev)
    out.append("}")
elif kind == "nesting":
    out.append("func.func @f(%x: tensor<4xf32>) -> tensor<4xf32> {")
    for d in range(n):
        out.append(" " * (d % 8) + "%%r%d = scf.execute_region -> tensor<4xf32> {"
                   % d)
    out.append("  %z = arith.constant 0.0 : f32")
    out.append("  %e = tensor.empty() : tensor<4xf32>")
    out.append("  %i = linalg.fill ins(%z : f32) outs(%e : tensor<4xf32>)"
               " -> tensor<4xf32>")
    out.append("  %%w = arith.constant dense<%s> : tensor<4x4xf32>" % weights())
    out.append("  %y = linalg.matvec ins(%w, %x : tensor<4x4xf32>,"
               " tensor<4xf32>) outs(%i : tensor<4xf32>) -> tensor<4xf32>")
    out.append("  scf.yield %y : tensor<4xf32>")
    for d in reversed(range(n)):
        out.append("}")
        if d > 0:
            out.append("scf.yield %%r%d : tensor<4xf32>" % d)
    out.append("  return %r0 : tensor<4xf32>")
    out.append("}")
elif kind == "constant":
    import numpy as np
    cols = 10000
    if n <= 0 or n % cols:
        sys.exit("scale_gen.py constant E: E must be a positive multiple of "
                 "10000")
    rows = n // cols
    w = "tensor<%dx%dxf32>" % (rows, cols)
    sys.stdout.write(
        "func.func @f(%%x: tensor<%dxf32>) -> tensor<%dxf32> {\n"
        "  %%z = arith.constant 0.0 : f32\n"
        "  %%e = tensor.empty() : tensor<%dxf32>\n"
        "  %%i = linalg.fill ins(%%z : f32) outs(%%e : tensor<%dxf32>)"
        " -> tensor<%dxf32>\n"
        "  %%w = arith.constant {dc.layer = \"big\"} dense_resource<big> : %s\n"
        "  %%y = linalg.matvec ins(%%w, %%x : %s, tensor<%dxf32>) outs(%%i : "
        "tensor<%dxf32>) -> tensor<%dxf32>\n"
        "  return %%y : tensor<%dxf32>\n}\n"
        % (cols, rows, rows, rows, rows, w, w, cols, rows, rows, rows))
    # The blob: a 4-byte alignment header (4, little-endian), then the data,
    # written in chunks of rows (bounded memory).
    sys.stdout.write('{-#\n  dialect_resources: {\n    builtin: {\n'
                     '      big: "0x04000000')
    rng = np.random.default_rng(0)
    step = max(1, 10_000_000 // cols)
    for r in range(0, rows, step):
        chunk = rng.standard_normal((min(step, rows - r), cols),
                                    dtype=np.float32)
        sys.stdout.write(chunk.astype("<f4").tobytes().hex())
    sys.stdout.write('"\n    }\n  }\n#-}\n')
    sys.exit(0)
else:
    sys.exit("usage: scale_gen.py layers N | nesting D | constant E")
sys.stdout.write("\n".join(out) + "\n")
