// dc-decompress-constants prints a small decoded layer (here 32 weights,
// beyond the 16 that dc keeps inline elsewhere) as a readable dense<[...]>,
// not as a dense_resource hex blob.
// RUN: dc-opt %s --dc-compress="sparsity=0.5 bits=2" --dc-decompress-constants | FileCheck %s

// CHECK-LABEL: func @forward
// CHECK: arith.constant {dc.layer = "fc"} dense<{{\[\[}}{{[-0-9.e+, ]+}}], [{{[-0-9.e+, ]+}}], [{{[-0-9.e+, ]+}}], [{{[-0-9.e+, ]+}}]]> : tensor<4x8xf32>
// CHECK-NOT: dense_resource
// CHECK-NOT: dc.
// CHECK-NOT: 0x
func.func @forward(%x: tensor<8xf32>) -> tensor<4xf32> {
  %w = arith.constant {dc.layer = "fc"} dense<[
    [0.9, -0.1, 0.3, 0.05, -0.7, 0.2, 0.15, -0.4],
    [0.1, 0.8, -0.2, 0.6, 0.02, -0.3, 0.7, 0.01],
    [-0.5, 0.2, 0.9, -0.1, 0.3, 0.04, -0.6, 0.4],
    [0.03, -0.9, 0.1, 0.5, -0.2, 0.8, 0.06, -0.3]]> : tensor<4x8xf32>
  %init = arith.constant dense<0.0> : tensor<4xf32>
  %y = linalg.matvec ins(%w, %x : tensor<4x8xf32>, tensor<8xf32>) outs(%init : tensor<4xf32>) -> tensor<4xf32>
  return %y : tensor<4xf32>
}
