#!/usr/bin/env python3
"""Writes a runnable batch-1 module for the kernel layouts (tile tests).

@main computes y = W x with linalg.matvec on a weight constant (a layer,
which dc-compress compresses and dc-to-llvm runs on its compact form) and
through @ref (called with the same constant: after dc-compress it receives
the decoded weights and runs dense), then prints the relative error
max|y - y_ref| / max|y_ref|, `ok 1` when it is below 1e-4, and max|y_ref|
(`scale`, so a kernel writing zeros cannot pass).

  gen_tiles.py --rows M --k K --density D [--seed S] [--empty-rows R,R,..]
               [--empty-strip G] [--dense-row R] [--batch N]

--batch N: y = W X with linalg.matmul on an X of N columns (the products
are compared flattened).

The weights are zero outside a random pattern of density D (uniform
positions), uniform in [-1, 1] inside; --empty-rows zeroes rows,
--empty-strip zeroes rows 16 G .. 16 G + 15 (one strip of the tile layout),
--dense-row makes a row fully dense (more than three entries in every
32-column window).
"""
import argparse
import random

from compare_tail import compare_tail

p = argparse.ArgumentParser()
p.add_argument("--rows", type=int, required=True)
p.add_argument("--k", type=int, required=True)
p.add_argument("--density", type=float, required=True)
p.add_argument("--seed", type=int, default=1)
p.add_argument("--empty-rows", default="")
p.add_argument("--empty-strip", type=int, default=-1)
p.add_argument("--dense-row", type=int, default=-1)
p.add_argument("--batch", type=int, default=0)
a = p.parse_args()
rng = random.Random(a.seed)
M, K = a.rows, a.k
empty = {int(r) for r in a.empty_rows.split(",") if r}
if a.empty_strip >= 0:
    empty |= set(range(16 * a.empty_strip, 16 * a.empty_strip + 16))


def weight(i, j):
    if i in empty:
        return 0.0
    if i == a.dense_row or rng.random() < a.density:
        v = rng.uniform(-1, 1)
        return v if abs(v) > 1e-3 else 0.5
    return 0.0


rows = []
for i in range(M):
    rows.append("[" + ", ".join("%.4e" % weight(i, j) for j in range(K)) + "]")
W = "dense<[" + ", ".join(rows) + "]>"
N = a.batch
tw = f"tensor<{M}x{K}xf32>"
if N:
    X = "dense<[" + ", ".join(
        "[" + ", ".join("%.4e" % rng.uniform(-1, 1) for _ in range(N)) + "]"
        for _ in range(K)) + "]>"
    tx, tp, ty = f"tensor<{K}x{N}xf32>", f"tensor<{M}x{N}xf32>", f"tensor<{M * N}xf32>"
else:
    X = "dense<[" + ", ".join("%.4e" % rng.uniform(-1, 1) for _ in range(K)) + "]>"
    tx, tp, ty = f"tensor<{K}xf32>", f"tensor<{M}xf32>", f"tensor<{M}xf32>"


if N:
    # Computed, not a constant: dc-compress would take a constant X for a
    # layer. x[k][n] = ((7 k + 13 n) mod 17) / 8 - 1.
    xdef = f"""    %xe = tensor.empty() : {tx}
    %x = linalg.generic {{indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]}} outs(%xe : {tx}) {{
    ^bb0(%o: f32):
      %k = linalg.index 0 : index
      %n = linalg.index 1 : index
      %c7 = arith.constant 7 : index
      %c13 = arith.constant 13 : index
      %c17 = arith.constant 17 : index
      %a = arith.muli %k, %c7 : index
      %bb = arith.muli %n, %c13 : index
      %s = arith.addi %a, %bb : index
      %r = arith.remui %s, %c17 : index
      %ri = arith.index_cast %r : index to i32
      %rf = arith.sitofp %ri : i32 to f32
      %c8 = arith.constant 0.125 : f32
      %one = arith.constant 1.0 : f32
      %v0 = arith.mulf %rf, %c8 : f32
      %v = arith.subf %v0, %one : f32
      linalg.yield %v : f32
    }} -> {tx}"""
else:
    xdef = f"    %x = arith.constant {X} : {tx}"


def matvec(w, x, y):
    op = "matmul" if N else "matvec"
    flat = (f"""
    %{y} = tensor.collapse_shape %{y}p [[0, 1]] : {tp} into {ty}""" if N else "")
    out = f"%{y}p" if N else f"%{y}"
    return f"""    %zero{y} = arith.constant 0.0 : f32
    %e{y} = tensor.empty() : {tp}
    %i{y} = linalg.fill ins(%zero{y} : f32) outs(%e{y} : {tp}) -> {tp}
    {out} = linalg.{op} ins({w}, {x} : {tw}, {tx}) outs(%i{y} : {tp}) -> {tp}{flat}"""


def reduce_max(src, dst):
    return f"""    %{dst} = linalg.generic {{indexing_maps = [affine_map<(d0) -> (d0)>, affine_map<(d0) -> ()>], iterator_types = ["reduction"]}} ins({src} : {ty}) outs(%s0 : tensor<f32>) {{
    ^bb0(%p: f32, %acc: f32):
      %v = arith.maximumf %p, %acc : f32
      linalg.yield %v : f32
    }} -> tensor<f32>"""


print(f"""module {{
  func.func private @ref(%w: {tw}, %x: {tx}) -> {ty} {{
{matvec('%w', '%x', 'y')}
    return %y : {ty}
  }}
  func.func @main() {{
    %w = arith.constant {{dc.layer = "tw"}} {W} : {tw}
{xdef}
{matvec('%w', '%x', 'y')}
    %yr = call @ref(%w, %x) : ({tw}, {tx}) -> {ty}
    %e1 = tensor.empty() : {ty}
    %d = linalg.generic {{indexing_maps = [affine_map<(d0) -> (d0)>, affine_map<(d0) -> (d0)>, affine_map<(d0) -> (d0)>], iterator_types = ["parallel"]}} ins(%y, %yr : {ty}, {ty}) outs(%e1 : {ty}) {{
    ^bb0(%p: f32, %q: f32, %o: f32):
      %t = arith.subf %p, %q : f32
      %u = math.absf %t : f32
      linalg.yield %u : f32
    }} -> {ty}
    %e2 = tensor.empty() : {ty}
    %r = linalg.generic {{indexing_maps = [affine_map<(d0) -> (d0)>, affine_map<(d0) -> (d0)>], iterator_types = ["parallel"]}} ins(%yr : {ty}) outs(%e2 : {ty}) {{
    ^bb0(%q: f32, %o: f32):
      %u = math.absf %q : f32
      linalg.yield %u : f32
    }} -> {ty}
    %z = arith.constant 0.0 : f32
    %se = tensor.empty() : tensor<f32>
    %s0 = linalg.fill ins(%z : f32) outs(%se : tensor<f32>) -> tensor<f32>
{reduce_max('%d', 'dm')}
{reduce_max('%r', 'rm')}
{compare_tail()}
    return
  }}
}}""")
