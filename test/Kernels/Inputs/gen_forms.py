#!/usr/bin/env python3
"""Writes a runnable module for one contraction form front ends emit.

The form's IR is emitted twice: in @main on a weight constant (a layer, which
dc-compress compresses and dc-to-llvm runs on the compact form) and in @ref,
called with the same constant as an argument (after dc-compress it receives
the decoded weights and runs dense). @main prints the relative error
max|y - y_ref| / max|y_ref| and `ok 1` when it is below the tolerance.

  gen_forms.py FORM [--batch B] [--rows M] [--k K] [--n N] [--dtype T]

Forms: tosa (tosa.matmul, run it through mlir-opt's TOSA passes first),
linear (torch-mlir nn.Linear: transposing generic, matmul, bias generic),
linear3d (torch-mlir on 3-D activations: transposing and broadcasting
generics, batch_matmul, bias), matmul-tb (linalg.matmul with B transposed by
indexing_maps), bmm-shared (batch_matmul whose indexing_maps read a 2-D
weight for every batch entry), bmm-tb (batch_matmul on a linalg.broadcast of
the weight, transposed by indexing_maps), generic-wx (a contraction generic with the
weight first and transposed), vecmat (linalg.vecmat after a reshape of the
weight).
"""
import argparse
import random

from compare_tail import compare_tail

p = argparse.ArgumentParser()
p.add_argument("form")
p.add_argument("--batch", type=int, default=1)
p.add_argument("--rows", type=int, default=3)
p.add_argument("--k", type=int, default=24)
p.add_argument("--n", type=int, default=10)
p.add_argument("--dtype", default="f32")
p.add_argument("--seed", type=int, default=1)
a = p.parse_args()
rng = random.Random(a.seed)
B, M, K, N, T = a.batch, a.rows, a.k, a.n, a.dtype


def par(rank):
    return ", ".join(['"parallel"'] * rank)


def tt(shape, t=T):
    return "tensor<" + "x".join(str(d) for d in shape) + "x" + t + ">"


def dense(shape):
    def rec(dims):
        if not dims:
            return "%.4e" % rng.uniform(-1, 1)
        return "[" + ", ".join(rec(dims[1:]) for _ in range(dims[0])) + "]"
    return "dense<" + rec(list(shape)) + ">"


# Each form: weight shape, activation shape, result shape, body(w, x) lines
# ending in %y, and whether a bias is added (torch-mlir forms).
def body_tosa(w, x):
    return [
        f'%az = "tosa.const"() {{values = dense<0.0> : {tt([1])}}} : () -> {tt([1])}',
        f'%bz = "tosa.const"() {{values = dense<0.0> : {tt([1])}}} : () -> {tt([1])}',
        f"%y = tosa.matmul {x}, {w}, %az, %bz : ({tt([B, M, K])}, {tt([1, K, N])}, {tt([1])}, {tt([1])}) -> {tt([B, M, N])}",
    ]


def zero_init(shape):
    return [
        f"%zero = arith.constant 0.0 : {T}",
        f"%e0 = tensor.empty() : {tt(shape)}",
        f"%init = linalg.fill ins(%zero : {T}) outs(%e0 : {tt(shape)}) -> {tt(shape)}",
    ]


def bias(y, shape, lines):
    # torch-mlir: the bias (a constant that is not a layer) broadcast-added.
    rank = len(shape)
    dims = ", ".join(f"d{i}" for i in range(rank))
    lines += [
        f"%bias = arith.constant {BIAS} : {tt([N])}",
        f"%eb = tensor.empty() : {tt(shape)}",
        f"%y = linalg.generic {{indexing_maps = [affine_map<({dims}) -> ({dims})>, affine_map<({dims}) -> (d{rank - 1})>, affine_map<({dims}) -> ({dims})>], iterator_types = [{par(rank)}]}} ins({y}, %bias : {tt(shape)}, {tt([N])}) outs(%eb : {tt(shape)}) {{",
        f"  ^bb0(%p: {T}, %q: {T}, %o: {T}):",
        f"    %s = arith.addf %p, %q : {T}",
        f"    linalg.yield %s : {T}",
        f"  }} -> {tt(shape)}",
    ]
    return lines


def transpose_generic(w, lines):
    lines += [
        f"%et = tensor.empty() : {tt([K, N])}",
        f"%wt = linalg.generic {{indexing_maps = [affine_map<(d0, d1) -> (d1, d0)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = [\"parallel\", \"parallel\"]}} ins({w} : {tt([N, K])}) outs(%et : {tt([K, N])}) {{",
        f"  ^bb0(%p: {T}, %o: {T}):",
        f"    linalg.yield %p : {T}",
        f"  }} -> {tt([K, N])}",
    ]


def body_linear(w, x):
    lines = []
    transpose_generic(w, lines)
    lines += zero_init([M, N])
    lines.append(f"%mm = linalg.matmul ins({x}, %wt : {tt([M, K])}, {tt([K, N])}) outs(%init : {tt([M, N])}) -> {tt([M, N])}")
    return bias("%mm", [M, N], lines)


def body_linear3d(w, x):
    lines = []
    transpose_generic(w, lines)
    lines += [
        f"%eB = tensor.empty() : {tt([B, K, N])}",
        f"%wb = linalg.generic {{indexing_maps = [affine_map<(d0, d1, d2) -> (d1, d2)>, affine_map<(d0, d1, d2) -> (d0, d1, d2)>], iterator_types = [\"parallel\", \"parallel\", \"parallel\"]}} ins(%wt : {tt([K, N])}) outs(%eB : {tt([B, K, N])}) {{",
        f"  ^bb0(%p: {T}, %o: {T}):",
        f"    linalg.yield %p : {T}",
        f"  }} -> {tt([B, K, N])}",
    ]
    lines += zero_init([B, M, N])
    lines.append(f"%mm = linalg.batch_matmul ins({x}, %wb : {tt([B, M, K])}, {tt([B, K, N])}) outs(%init : {tt([B, M, N])}) -> {tt([B, M, N])}")
    return bias("%mm", [B, M, N], lines)


def body_matmul_tb(w, x):
    lines = zero_init([M, N])
    lines.append(f"%y = linalg.matmul indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d2)>, affine_map<(d0, d1, d2) -> (d1, d2)>, affine_map<(d0, d1, d2) -> (d0, d1)>] ins({x}, {w} : {tt([M, K])}, {tt([N, K])}) outs(%init : {tt([M, N])}) -> {tt([M, N])}")
    return lines


def body_bmm_shared(w, x):
    # The 2-D weight read for every batch entry by the indexing map.
    lines = zero_init([B, M, N])
    lines.append(f"%y = linalg.batch_matmul indexing_maps = [affine_map<(b, m, n, k) -> (b, m, k)>, affine_map<(b, m, n, k) -> (k, n)>, affine_map<(b, m, n, k) -> (b, m, n)>] ins({x}, {w} : {tt([B, M, K])}, {tt([K, N])}) outs(%init : {tt([B, M, N])}) -> {tt([B, M, N])}")
    return lines


def body_bmm_tb(w, x):
    # The weight broadcast over the batch (linalg.broadcast), B transposed by
    # the indexing maps.
    lines = [
        f"%eB = tensor.empty() : {tt([B, N, K])}",
        f"%wb = linalg.broadcast ins({w} : {tt([N, K])}) outs(%eB : {tt([B, N, K])}) dimensions = [0]",
    ]
    lines += zero_init([B, M, N])
    lines.append(f"%y = linalg.batch_matmul indexing_maps = [affine_map<(b, m, n, k) -> (b, m, k)>, affine_map<(b, m, n, k) -> (b, n, k)>, affine_map<(b, m, n, k) -> (b, m, n)>] ins({x}, %wb : {tt([B, M, K])}, {tt([B, N, K])}) outs(%init : {tt([B, M, N])}) -> {tt([B, M, N])}")
    return lines


def body_generic_wx(w, x):
    # y[m, n] = sum_k W[n, k] X[m, k], the weight as the first operand.
    lines = zero_init([M, N])
    lines += [
        f"%y = linalg.generic {{indexing_maps = [affine_map<(m, n, k) -> (n, k)>, affine_map<(m, n, k) -> (m, k)>, affine_map<(m, n, k) -> (m, n)>], iterator_types = [\"parallel\", \"parallel\", \"reduction\"]}} ins({w}, {x} : {tt([N, K])}, {tt([M, K])}) outs(%init : {tt([M, N])}) {{",
        f"  ^bb0(%p: {T}, %q: {T}, %acc: {T}):",
        f"    %t = arith.mulf %p, %q : {T}",
        f"    %s = arith.addf %acc, %t : {T}",
        f"    linalg.yield %s : {T}",
        f"  }} -> {tt([M, N])}",
    ]
    return lines


def body_vecmat(w, x):
    # The weight stored as [K, 1, N], collapsed to [K, N] before the vecmat.
    lines = [
        f"%wc = tensor.collapse_shape {w} [[0, 1], [2]] : {tt([K, 1, N])} into {tt([K, N])}",
    ]
    lines += zero_init([N])
    lines.append(f"%y = linalg.vecmat ins({x}, %wc : {tt([K])}, {tt([K, N])}) outs(%init : {tt([N])}) -> {tt([N])}")
    return lines


BIAS = dense([N])  # One bias for @ref and @form.

forms = {
    "tosa": ([1, K, N], [B, M, K], [B, M, N], body_tosa),
    "linear": ([N, K], [M, K], [M, N], body_linear),
    "linear3d": ([N, K], [B, M, K], [B, M, N], body_linear3d),
    "matmul-tb": ([N, K], [M, K], [M, N], body_matmul_tb),
    "bmm-shared": ([K, N], [B, M, K], [B, M, N], body_bmm_shared),
    "bmm-tb": ([N, K], [B, M, K], [B, M, N], body_bmm_tb),
    "generic-wx": ([N, K], [M, K], [M, N], body_generic_wx),
    "vecmat": ([K, 1, N], [K], [N], body_vecmat),
}
if a.form == "tosa" and B != 1:
    p.error("tosa.matmul needs the weight's batch to be the activation's: "
            "use --rows for more activation rows")
wshape, xshape, yshape, body = forms[a.form]
tol = {"f32": "1.0e-4", "f16": "2.0e-2", "bf16": "6.0e-2"}[T]
rank = len(yshape)
dims = ", ".join(f"d{i}" for i in range(rank))
red = ", ".join(['"reduction"'] * rank)


def ext(v, name):
    if T == "f32":
        return f"{name} = arith.maximumf {v}, {v} : f32"
    return f"{name} = arith.extf {v} : {T} to f32"


def emit_body(w, x, indent):
    return "\n".join(indent + line for line in body(w, x))


print(f"""module {{
  func.func private @ref(%w: {tt(wshape)}, %x: {tt(xshape)}) -> {tt(yshape)} {{
{emit_body('%w', '%x', '    ')}
    return %y : {tt(yshape)}
  }}
  func.func @form(%x: {tt(xshape)}) -> {tt(yshape)} {{
    %w = arith.constant {{dc.layer = "w"}} {dense(wshape)} : {tt(wshape)}
{emit_body('%w', '%x', '    ')}
    %yr = call @ref(%w, %x) : ({tt(wshape)}, {tt(xshape)}) -> {tt(yshape)}
    %e1 = tensor.empty() : {tt(yshape, 'f32')}
    %d = linalg.generic {{indexing_maps = [affine_map<({dims}) -> ({dims})>, affine_map<({dims}) -> ({dims})>, affine_map<({dims}) -> ({dims})>], iterator_types = [{par(rank)}]}} ins(%y, %yr : {tt(yshape)}, {tt(yshape)}) outs(%e1 : {tt(yshape, 'f32')}) {{
    ^bb0(%p: {T}, %q: {T}, %o: f32):
      {ext('%p', '%pe')}
      {ext('%q', '%qe')}
      %t = arith.subf %pe, %qe : f32
      %u = math.absf %t : f32
      linalg.yield %u : f32
    }} -> {tt(yshape, 'f32')}
    %e2 = tensor.empty() : {tt(yshape, 'f32')}
    %r = linalg.generic {{indexing_maps = [affine_map<({dims}) -> ({dims})>, affine_map<({dims}) -> ({dims})>], iterator_types = [{par(rank)}]}} ins(%yr : {tt(yshape)}) outs(%e2 : {tt(yshape, 'f32')}) {{
    ^bb0(%q: {T}, %o: f32):
      {ext('%q', '%qe')}
      %u = math.absf %qe : f32
      linalg.yield %u : f32
    }} -> {tt(yshape, 'f32')}
    %z = arith.constant 0.0 : f32
    %se = tensor.empty() : tensor<f32>
    %s0 = linalg.fill ins(%z : f32) outs(%se : tensor<f32>) -> tensor<f32>
    %dm = linalg.generic {{indexing_maps = [affine_map<({dims}) -> ({dims})>, affine_map<({dims}) -> ()>], iterator_types = [{red}]}} ins(%d : {tt(yshape, 'f32')}) outs(%s0 : tensor<f32>) {{
    ^bb0(%p: f32, %acc: f32):
      %v = arith.maximumf %p, %acc : f32
      linalg.yield %v : f32
    }} -> tensor<f32>
    %rm = linalg.generic {{indexing_maps = [affine_map<({dims}) -> ({dims})>, affine_map<({dims}) -> ()>], iterator_types = [{red}]}} ins(%r : {tt(yshape, 'f32')}) outs(%s0 : tensor<f32>) {{
    ^bb0(%p: f32, %acc: f32):
      %v = arith.maximumf %p, %acc : f32
      linalg.yield %v : f32
    }} -> tensor<f32>
{compare_tail(tol)}
    return %y : {tt(yshape)}
  }}
  func.func @main() {{
    %x = arith.constant {dense(xshape)} : {tt(xshape)}
    %y = call @form(%x) : ({tt(xshape)}) -> {tt(yshape)}
    return
  }}
}}""")
