// NaN or Inf in a layer to compress is an error naming the layer.
// RUN: dc-opt %s -split-input-file -verify-diagnostics --dc-prune=sparsity=0.5
// RUN: dc-opt %s -split-input-file -verify-diagnostics --dc-cluster
// RUN: dc-opt %s -split-input-file -verify-diagnostics --dc-compress
// The error does not repeat the constant (no "see current operation" note,
// which would print every weight of it).
// RUN: not dc-opt %s -split-input-file --dc-compress 2>&1 | FileCheck %s --check-prefix=MSG
// MSG: error: layer 'fc_nan' has a non-finite weight (NaN) at element 1
// MSG-NOT: see current operation
// MSG: error: layer 'fc_inf' has a non-finite weight (Inf) at element 3
// MSG-NOT: see current operation

func.func @nan(%x: tensor<2xf32>) -> tensor<2xf32> {
  // expected-error@+1 {{layer 'fc_nan' has a non-finite weight (NaN) at element 1}}
  %w = arith.constant {dc.layer = "fc_nan"} dense<[[1.0, 0x7FC00000], [3.0, 4.0]]> : tensor<2x2xf32>
  %y = linalg.matvec ins(%w, %x : tensor<2x2xf32>, tensor<2xf32>) outs(%x : tensor<2xf32>) -> tensor<2xf32>
  return %y : tensor<2xf32>
}

// -----

func.func @inf(%x: tensor<2xf32>) -> tensor<2xf32> {
  // expected-error@+1 {{layer 'fc_inf' has a non-finite weight (Inf) at element 3}}
  %w = arith.constant {dc.layer = "fc_inf"} dense<[[1.0, 2.0], [3.0, 0xFF800000]]> : tensor<2x2xf32>
  %y = linalg.matvec ins(%w, %x : tensor<2x2xf32>, tensor<2xf32>) outs(%x : tensor<2xf32>) -> tensor<2xf32>
  return %y : tensor<2xf32>
}

// -----

// A NaN outside a layer (not a contraction weight) is not an error.
func.func @bias_nan(%x: tensor<2xf32>) -> tensor<2xf32> {
  %b = arith.constant dense<[0x7FC00000, 1.0]> : tensor<2xf32>
  %y = arith.addf %x, %b : tensor<2xf32>
  return %y : tensor<2xf32>
}
