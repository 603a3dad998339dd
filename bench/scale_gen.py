"""scale_gen.py layers N | nesting D: writes a test module to stdout.

layers N: one function with N tiny layers (4x4 f32 weights, a chain of
          linalg.matvec), what thousands of small Huffman-coded layers look
          like after dc-compress.
nesting D: a function whose body nests D scf.execute_region ops, the
          innermost holding one layer."""
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
else:
    sys.exit("usage: scale_gen.py layers N | nesting D")
sys.stdout.write("\n".join(out) + "\n")
