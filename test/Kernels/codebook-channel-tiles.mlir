// Per-group codebooks on the tile layout (batch 1, AVX-512): 2 codebooks of
// 4 entries are 3-bit global indices, within its 32-entry in-register table,
// so every 16-row strip reads the one table; checked against the dense
// reference on the decoded weight (Inputs/gen_forms.py). Wider global
// indices (more than 5 bits) are not a tile layout (the planner falls back).
// REQUIRES: avx512
// RUN: %python %S/Inputs/gen_forms.py linear --rows 1 --k 48 --n 20 > %t.r1.mlir
// RUN: dc-opt %t.r1.mlir --dc-compress="sparsity=0.7 bits=2 codebook=group:10" --dc-to-llvm="layout=tiles stats" 2>&1 >/dev/null | FileCheck %s --check-prefix=TILES
// RUN: dc-opt %t.r1.mlir --dc-compress="sparsity=0.7 bits=2 codebook=group:10" --dc-to-llvm=layout=tiles | %dc_run | FileCheck %s
// RUN: dc-opt %t.r1.mlir --dc-compress="sparsity=0.7 bits=4 codebook=channel" --dc-to-llvm="layout=tiles stats" 2>&1 >/dev/null | FileCheck %s --check-prefix=WIDE
// RUN: dc-opt %t.r1.mlir --dc-compress="sparsity=0.7 bits=4 codebook=channel" --dc-to-llvm=layout=tiles 2>/dev/null | %dc_run | FileCheck %s
// TILES: layout=tiles
// WIDE: layout 'tiles' does not apply here (codebooks of at most 5 bits only)
// CHECK: ok 1
