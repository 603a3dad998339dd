#!/usr/bin/env python3
"""Writes a runnable module for the epilogue tests (dc-fuse-epilogues).

@main computes a layer on a weight constant (which dc-compress compresses
and dc-to-llvm runs as a kernel, the elementwise consumers fused into its
stores) followed by an epilogue chain of separate linalg.generics; @ref
computes the same on the weight passed as an argument (after dc-compress it
receives the decoded weights and runs dense and unfused). It prints the
relative error max|y - y_ref| / max|y_ref|, `ok 1` when below 1e-4, and
max|y_ref| (`scale`: a kernel writing zeros cannot pass).

  gen_epilogue.py --m M --k K [--batch N] [--form wx|xwt] --density D
                  --epilogue bias-relu|clip|residual|bn-hardswish [--seed S]
                  [--empty-rows R,R,..]

--batch 0 (default): y = W x with linalg.matvec, [M]. --batch N: --form wx
is linalg.matmul(W [M, K], X [K, N]) -> [M, N] (a convolution's layout, the
bias per row); --form xwt is X [N, K] times W^T (nn.Linear) -> [N, M], the
bias along d1, which dc rewrites to a [M, N] product and a transpose.
"""
import argparse
import random

from compare_tail import compare_tail

p = argparse.ArgumentParser()
p.add_argument("--m", type=int, required=True)
p.add_argument("--k", type=int, required=True)
p.add_argument("--batch", type=int, default=0)
p.add_argument("--form", default="wx")
p.add_argument("--density", type=float, required=True)
p.add_argument("--epilogue", required=True)
p.add_argument("--seed", type=int, default=1)
p.add_argument("--empty-rows", default="")
a = p.parse_args()
rng = random.Random(a.seed)
M, K, N = a.m, a.k, a.batch
empty = {int(r) for r in a.empty_rows.split(",") if r}


def weight(i):
    if i in empty or rng.random() >= a.density:
        return 0.0
    v = rng.uniform(-1, 1)
    return v if abs(v) > 1e-3 else 0.5


def dense(shape):
    if len(shape) == 1:
        return "[" + ", ".join("%.4e" % rng.uniform(-1, 1) for _ in range(shape[0])) + "]"
    return "[" + ", ".join(dense(shape[1:]) for _ in range(shape[0])) + "]"


def ttype(shape):
    return "tensor<" + "x".join(str(s) for s in shape) + "xf32>"


W = "dense<[" + ", ".join("[" + ", ".join("%.4e" % weight(i) for _ in range(K)) + "]"
                          for i in range(M)) + "]>"
if N == 0:
    xs, ys = [K], [M]
elif a.form == "wx":
    xs, ys = [K, N], [M, N]
else:
    xs, ys = [N, K], [N, M]
tw, tx, ty = ttype([M, K]), ttype(xs), ttype(ys)
rank = len(ys)
dims = ", ".join("d%d" % i for i in range(rank))
ident = "affine_map<(%s) -> (%s)>" % (dims, dims)
# The per-row (per output channel) operand's map.
row_dim = "d0" if (N == 0 or a.form == "wx") else "d1"
per_row = "affine_map<(%s) -> (%s)>" % (dims, row_dim)
par = ", ".join(['"parallel"'] * rank)
X = "dense<" + dense(xs) + ">"
B = "dense<" + dense([M]) + ">"
S = "dense<" + dense([M]) + ">"
R = "dense<" + dense(ys) + ">"


def product(w, x, y):
    out = f"""    %zero{y} = arith.constant 0.0 : f32
    %e{y} = tensor.empty() : {ty}
    %i{y} = linalg.fill ins(%zero{y} : f32) outs(%e{y} : {ty}) -> {ty}
"""
    if N == 0:
        return out + f"    %{y} = linalg.matvec ins({w}, {x} : {tw}, {tx}) outs(%i{y} : {ty}) -> {ty}"
    if a.form == "wx":
        return out + f"    %{y} = linalg.matmul ins({w}, {x} : {tw}, {tx}) outs(%i{y} : {ty}) -> {ty}"
    maps = ("indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d2)>, "
            "affine_map<(d0, d1, d2) -> (d1, d2)>, affine_map<(d0, d1, d2) -> (d0, d1)>]")
    return out + f"    %{y} = linalg.matmul {maps} ins({x}, {w} : {tx}, {tw}) outs(%i{y} : {ty}) -> {ty}"


counter = [0]


def generic(src, operands, body):
    """One elementwise generic on `src` and (value, map) operands; body uses
    %in and %a0, %a1, ... and ends with a value named %res."""
    counter[0] += 1
    n = counter[0]
    ins = [src] + [v for v, _ in operands]
    maps = [ident] + [m for _, m in operands] + [ident]
    types = [ty] + [t for (_, _), t in zip(operands, [op_type(m) for _, m in operands])]
    args = ["%in: f32"] + ["%%a%d: f32" % i for i in range(len(operands))] + ["%out: f32"]
    return f"""    %ge{n} = tensor.empty() : {ty}
    %g{n} = linalg.generic {{indexing_maps = [{", ".join(maps)}], iterator_types = [{par}]}} ins({", ".join(ins)} : {", ".join(types)}) outs(%ge{n} : {ty}) {{
    ^bb0({", ".join(args)}):
{body}
      linalg.yield %res : f32
    }} -> {ty}""", "%%g%d" % n


def op_type(m):
    return ttype([M]) if m == per_row else ty


def chain(y):
    """The epilogue generics on %y; returns (text, result name)."""
    text = []
    v = "%" + y
    def add(src, ops, body):
        t, r = generic(src, ops, body)
        text.append(t)
        return r
    relu = "      %z = arith.constant 0.0 : f32\n      %res = arith.maximumf %in, %z : f32"
    if a.epilogue == "bias-relu":
        v = add(v, [("%bias", per_row)], "      %res = arith.addf %in, %a0 : f32")
        v = add(v, [], relu)
    elif a.epilogue == "clip":
        v = add(v, [], "      %lo = arith.constant 0.0 : f32\n      %hi = arith.constant 6.0 : f32\n"
                       "      %c = arith.maximumf %in, %lo : f32\n      %res = arith.minimumf %c, %hi : f32")
    elif a.epilogue == "residual":
        v = add(v, [("%bias", per_row)], "      %res = arith.addf %in, %a0 : f32")
        v = add(v, [("%resid", ident)], "      %res = arith.addf %in, %a0 : f32")
        v = add(v, [], relu)
    elif a.epilogue == "bn-hardswish":
        v = add(v, [("%scale", per_row), ("%bias", per_row)],
                "      %m = arith.mulf %in, %a0 : f32\n      %res = arith.addf %m, %a1 : f32")
        v = add(v, [], "      %three = arith.constant 3.0 : f32\n      %lo = arith.constant 0.0 : f32\n"
                       "      %hi = arith.constant 6.0 : f32\n      %p = arith.addf %in, %three : f32\n"
                       "      %c0 = arith.maximumf %p, %lo : f32\n      %c1 = arith.minimumf %c0, %hi : f32\n"
                       "      %q = arith.mulf %in, %c1 : f32\n      %sixth = arith.constant 0.16666667 : f32\n"
                       "      %res = arith.mulf %q, %sixth : f32")
    else:
        raise SystemExit("unknown --epilogue " + a.epilogue)
    return "\n".join(text), v


consts = f"""    %bias = arith.constant {B} : {ttype([M])}
    %scale = arith.constant {S} : {ttype([M])}
    %resid = arith.constant {R} : {ty}"""
main_chain, main_out = chain("y")
ref_chain, ref_out = chain("yr0")
red_dims = ", ".join(['"reduction"'] * rank)
print(f"""module {{
  func.func private @ref(%w: {tw}, %x: {tx}) -> {ty} {{
{consts}
{product('%w', '%x', 'yr0')}
{ref_chain}
    return {ref_out} : {ty}
  }}
  func.func @main() {{
    %w = arith.constant {{dc.layer = "fc"}} {W} : {tw}
    %x = arith.constant {{dc.config = {{skip = true}}}} {X} : {tx}
{consts}
{product('%w', '%x', 'y')}
{main_chain}
    %yr = call @ref(%w, %x) : ({tw}, {tx}) -> {ty}
    %z = arith.constant 0.0 : f32
    %se = tensor.empty() : tensor<f32>
    %s0 = linalg.fill ins(%z : f32) outs(%se : tensor<f32>) -> tensor<f32>
    %dm = linalg.generic {{indexing_maps = [{ident}, {ident}, affine_map<({dims}) -> ()>], iterator_types = [{red_dims}]}} ins({main_out}, %yr : {ty}, {ty}) outs(%s0 : tensor<f32>) {{
    ^bb0(%p: f32, %q: f32, %acc: f32):
      %t = arith.subf %p, %q : f32
      %u = math.absf %t : f32
      %v = arith.maximumf %u, %acc : f32
      linalg.yield %v : f32
    }} -> tensor<f32>
    %rm = linalg.generic {{indexing_maps = [{ident}, affine_map<({dims}) -> ()>], iterator_types = [{red_dims}]}} ins(%yr : {ty}) outs(%s0 : tensor<f32>) {{
    ^bb0(%q: f32, %acc: f32):
      %u = math.absf %q : f32
      %v = arith.maximumf %u, %acc : f32
      linalg.yield %v : f32
    }} -> tensor<f32>
{compare_tail()}
    return
  }}
}}""")
