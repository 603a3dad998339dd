// The demo's example: the compressed and the dense layer print the same y.
// RUN: dc-opt %S/../../examples/compressed_layer.mlir --dc-to-llvm | mlir-runner -e main -entry-point-result=void -shared-libs=%mlir_runner_libs | FileCheck %s

// CHECK: compressed W x:
// CHECK: data =
// CHECK-NEXT: [1.5,  1.34375,  0.9375,  2.125,  5.5625,  1.40625,  3.5,  3.375]
// CHECK: dense W x:
// CHECK: data =
// CHECK-NEXT: [1.5,  1.34375,  0.9375,  2.125,  5.5625,  1.40625,  3.5,  3.375]
