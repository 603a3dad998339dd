// dc-autotune: per-layer settings under a relative-error bound.
// RUN: %python %S/Inputs/autotune_layers.py gen %t.mlir
// RUN: dc-opt %t.mlir --dc-autotune=max-rel-error=0.1 | FileCheck %s
// The bound holds on the decompressed weights, at several bounds, and a
// bigger bound never gives a bigger model.
// RUN: dc-opt %t.mlir --dc-autotune=max-rel-error=0.05 --dc-compress=report=%t-a.json --dc-decompress-constants -o %t-a.out.mlir
// RUN: %python %S/Inputs/autotune_layers.py check %t.mlir %t-a.out.mlir 0.05 | FileCheck %s --check-prefix=BOUND
// RUN: dc-opt %t.mlir --dc-autotune=max-rel-error=0.1 --dc-compress=report=%t-b.json --dc-decompress-constants -o %t-b.out.mlir
// RUN: %python %S/Inputs/autotune_layers.py check %t.mlir %t-b.out.mlir 0.1 | FileCheck %s --check-prefix=BOUND
// RUN: dc-opt %t.mlir --dc-autotune=max-rel-error=0.3 --dc-compress=report=%t-c.json --dc-decompress-constants -o %t-c.out.mlir
// RUN: %python %S/Inputs/autotune_layers.py check %t.mlir %t-c.out.mlir 0.3 | FileCheck %s --check-prefix=BOUND
// RUN: %python %S/Inputs/autotune_layers.py monotone %t-a.json %t-b.json %t-c.json
// RUN: FileCheck %s --input-file=%t-b.json --check-prefix=REPORT

// CHECK: module attributes {dc.autotune = {max_rel_error = 1.000000e-01 : f64, search_seconds = {{.*}} : f64}}
// CHECK-LABEL: func @net
// CHECK: arith.constant {dc.config = {bits = {{[1-8]}} : i64, entropy = "huffman", format = "csc", index_bits = {{[1-8]}} : i64, init = "optimal", sparsity = {{.*}} : f64}, dc.layer = "fc1"}
// CHECK: arith.constant {dc.config = {bits = {{[1-8]}} : i64, {{.*}}init = "optimal"{{.*}}}, dc.layer = "conv1"}
// CHECK: arith.constant {dc.config = {bits = {{[1-8]}} : i64, {{.*}}init = "optimal"{{.*}}}, dc.layer = "fc2"}

// BOUND: fc1: rel_error ok
// BOUND: conv1: rel_error ok
// BOUND: fc2: rel_error ok

// REPORT: "total": {
// REPORT: "search_seconds":
