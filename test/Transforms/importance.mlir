// dc.importance weights the layer's k-means objective; invalid ones are
// errors naming the layer.
// RUN: dc-opt %s -split-input-file -verify-diagnostics --dc-cluster="bits=1" | FileCheck %s
// RUN: dc-opt %s -split-input-file -verify-diagnostics --dc-cluster="bits=1 init=optimal" | FileCheck %s
// RUN: dc-opt %s -split-input-file -verify-diagnostics --dc-compress="bits=1" | FileCheck %s --check-prefix=PIPE

// Nonzeros {1, 2, 3, 10, 20, 30}, one centroid: the mean 11 without
// importance; with importance 7 on the 10 (1 elsewhere) the weighted mean
// (1 + 2 + 3 + 70 + 20 + 30) / 12 = 10.5. The importance of a zero weight
// does not matter.
// CHECK-LABEL: func @weighted
// CHECK: dc.constant {codebook = dense<[0.000000e+00, 1.050000e+01]> : tensor<2xf32>
// CHECK-NOT: dc.importance
// CHECK-LABEL: func @unweighted
// CHECK: dc.constant {codebook = dense<[0.000000e+00, 1.100000e+01]> : tensor<2xf32>
// PIPE-LABEL: func @weighted
// PIPE: codebook = dense<[0.000000e+00, 1.050000e+01]>
func.func @weighted(%x: tensor<4x1xf32>) -> tensor<2x1xf32> {
  %w = arith.constant {dc.layer = "w", dc.importance = dense<[[1.0, 1.0, 5.0, 1.0], [7.0, 1.0, 1.0, 1.0]]> : tensor<2x4xf32>} dense<[[1.0, 2.0, 0.0, 3.0], [10.0, 0.0, 20.0, 30.0]]> : tensor<2x4xf32>
  %o = arith.constant dense<0.0> : tensor<2x1xf32>
  %y = linalg.matmul ins(%w, %x : tensor<2x4xf32>, tensor<4x1xf32>) outs(%o : tensor<2x1xf32>) -> tensor<2x1xf32>
  return %y : tensor<2x1xf32>
}
func.func @unweighted(%x: tensor<4x1xf32>) -> tensor<2x1xf32> {
  %w = arith.constant {dc.layer = "u"} dense<[[1.0, 2.0, 0.0, 3.0], [10.0, 0.0, 20.0, 30.0]]> : tensor<2x4xf32>
  %o = arith.constant dense<0.0> : tensor<2x1xf32>
  %y = linalg.matmul ins(%w, %x : tensor<2x4xf32>, tensor<4x1xf32>) outs(%o : tensor<2x1xf32>) -> tensor<2x1xf32>
  return %y : tensor<2x1xf32>
}

// -----

// Zero importance is allowed (raised to 1e-6 of the mean), here on the 30:
// the mean of the others, (1 + 2 + 3 + 10 + 20) / 5 = 7.2 (up to 1e-6).
// CHECK-LABEL: func @zero_importance
// CHECK: codebook = dense<[0.000000e+00, 7.20000{{[0-9]+}}]>
func.func @zero_importance(%x: tensor<4x1xf32>) -> tensor<2x1xf32> {
  %w = arith.constant {dc.layer = "z", dc.importance = dense<[[1.0, 1.0, 1.0, 1.0], [1.0, 1.0, 1.0, 0.0]]> : tensor<2x4xf32>} dense<[[1.0, 2.0, 0.0, 3.0], [10.0, 0.0, 20.0, 30.0]]> : tensor<2x4xf32>
  %o = arith.constant dense<0.0> : tensor<2x1xf32>
  %y = linalg.matmul ins(%w, %x : tensor<2x4xf32>, tensor<4x1xf32>) outs(%o : tensor<2x1xf32>) -> tensor<2x1xf32>
  return %y : tensor<2x1xf32>
}

// -----

func.func @shape(%x: tensor<4x1xf32>) -> tensor<2x1xf32> {
  // expected-error @below {{layer 'w': dc.importance must have the weight's shape (tensor<2x4xf32>), got tensor<4x2xf32>}}
  %w = arith.constant {dc.layer = "w", dc.importance = dense<1.0> : tensor<4x2xf32>} dense<1.0> : tensor<2x4xf32>
  %o = arith.constant dense<0.0> : tensor<2x1xf32>
  %y = linalg.matmul ins(%w, %x : tensor<2x4xf32>, tensor<4x1xf32>) outs(%o : tensor<2x1xf32>) -> tensor<2x1xf32>
  return %y : tensor<2x1xf32>
}

// -----

func.func @type(%x: tensor<4x1xf32>) -> tensor<2x1xf32> {
  // expected-error @below {{layer 'w': dc.importance must have element type f32}}
  %w = arith.constant {dc.layer = "w", dc.importance = dense<1.0> : tensor<2x4xf64>} dense<1.0> : tensor<2x4xf32>
  %o = arith.constant dense<0.0> : tensor<2x1xf32>
  %y = linalg.matmul ins(%w, %x : tensor<2x4xf32>, tensor<4x1xf32>) outs(%o : tensor<2x1xf32>) -> tensor<2x1xf32>
  return %y : tensor<2x1xf32>
}

// -----

func.func @not_tensor(%x: tensor<4x1xf32>) -> tensor<2x1xf32> {
  // expected-error @below {{layer 'w': dc.importance must be an f32 dense or dense_resource tensor}}
  %w = arith.constant {dc.layer = "w", dc.importance = "high"} dense<1.0> : tensor<2x4xf32>
  %o = arith.constant dense<0.0> : tensor<2x1xf32>
  %y = linalg.matmul ins(%w, %x : tensor<2x4xf32>, tensor<4x1xf32>) outs(%o : tensor<2x1xf32>) -> tensor<2x1xf32>
  return %y : tensor<2x1xf32>
}

// -----

func.func @nan(%x: tensor<4x1xf32>) -> tensor<2x1xf32> {
  // expected-error @below {{layer 'w': dc.importance must be finite and >= 0, got NaN at element 5}}
  %w = arith.constant {dc.layer = "w", dc.importance = dense<[[1.0, 1.0, 1.0, 1.0], [1.0, 0x7FC00000, 1.0, 1.0]]> : tensor<2x4xf32>} dense<1.0> : tensor<2x4xf32>
  %o = arith.constant dense<0.0> : tensor<2x1xf32>
  %y = linalg.matmul ins(%w, %x : tensor<2x4xf32>, tensor<4x1xf32>) outs(%o : tensor<2x1xf32>) -> tensor<2x1xf32>
  return %y : tensor<2x1xf32>
}

// -----

func.func @negative(%x: tensor<4x1xf32>) -> tensor<2x1xf32> {
  // expected-error @below {{layer 'w': dc.importance must be finite and >= 0, got -2.000000 at element 0}}
  %w = arith.constant {dc.layer = "w", dc.importance = dense<[[-2.0, 1.0, 1.0, 1.0], [1.0, 1.0, 1.0, 1.0]]> : tensor<2x4xf32>} dense<1.0> : tensor<2x4xf32>
  %o = arith.constant dense<0.0> : tensor<2x1xf32>
  %y = linalg.matmul ins(%w, %x : tensor<2x4xf32>, tensor<4x1xf32>) outs(%o : tensor<2x1xf32>) -> tensor<2x1xf32>
  return %y : tensor<2x1xf32>
}

// -----

func.func @all_zero(%x: tensor<4x1xf32>) -> tensor<2x1xf32> {
  // expected-error @below {{layer 'w': dc.importance is zero everywhere}}
  %w = arith.constant {dc.layer = "w", dc.importance = dense<0.0> : tensor<2x4xf32>} dense<1.0> : tensor<2x4xf32>
  %o = arith.constant dense<0.0> : tensor<2x1xf32>
  %y = linalg.matmul ins(%w, %x : tensor<2x4xf32>, tensor<4x1xf32>) outs(%o : tensor<2x1xf32>) -> tensor<2x1xf32>
  return %y : tensor<2x1xf32>
}
