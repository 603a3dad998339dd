// dc-autotune: invalid options and layers are errors; a layer that no
// setting meets is left uncompressed with a warning.
// RUN: not dc-opt %s --dc-autotune 2>&1 | FileCheck %s --check-prefix=MISSING
// RUN: not dc-opt %s --dc-autotune=max-rel-error=-0.5 2>&1 | FileCheck %s --check-prefix=NEG
// RUN: not dc-opt %s --dc-autotune=max-rel-error=0 2>&1 | FileCheck %s --check-prefix=ZERO
// RUN: not dc-opt %s --dc-autotune=max-rel-error=nan 2>&1 | FileCheck %s --check-prefix=NAN
// RUN: not dc-opt %s --dc-autotune=max-rel-error=abc 2>&1 | FileCheck %s --check-prefix=JUNK
// RUN: dc-opt %s -split-input-file -verify-diagnostics --dc-autotune=max-rel-error=0.1 | FileCheck %s

// MISSING: dc-autotune: option 'max-rel-error' is required
// NEG: dc-autotune: option 'max-rel-error' must be a finite number > 0, got -0.5
// ZERO: dc-autotune: option 'max-rel-error' must be a finite number > 0, got 0
// NAN: dc-autotune: option 'max-rel-error' must be a finite number > 0, got nan
// JUNK: error

func.func @nan(%x: tensor<4x1xf32>) -> tensor<2x1xf32> {
  // expected-error @below {{layer 'w' has a non-finite weight (NaN) at element 1}}
  %w = arith.constant {dc.layer = "w"} dense<[[1.0, 0x7FC00000, 0.0, 3.0], [10.0, 0.0, 20.0, 30.0]]> : tensor<2x4xf32>
  %o = arith.constant dense<0.0> : tensor<2x1xf32>
  %y = linalg.matmul ins(%w, %x : tensor<2x4xf32>, tensor<4x1xf32>) outs(%o : tensor<2x1xf32>) -> tensor<2x1xf32>
  return %y : tensor<2x1xf32>
}

// -----

func.func @bad_importance(%x: tensor<4x1xf32>) -> tensor<2x1xf32> {
  // expected-error @below {{layer 'w': dc.importance must have the weight's shape (tensor<2x4xf32>), got tensor<2x2xf32>}}
  %w = arith.constant {dc.layer = "w", dc.importance = dense<1.0> : tensor<2x2xf32>} dense<1.0> : tensor<2x4xf32>
  %o = arith.constant dense<0.0> : tensor<2x1xf32>
  %y = linalg.matmul ins(%w, %x : tensor<2x4xf32>, tensor<4x1xf32>) outs(%o : tensor<2x1xf32>) -> tensor<2x1xf32>
  return %y : tensor<2x1xf32>
}

// -----

// 8 distinct values in 8 weights: bits <= 8 represent them exactly, but a
// 2x4 layer is smaller dense (32 bytes) than with codebook and pointers:
// skipped. A layer with skip in its dc.config is left alone.
// CHECK-LABEL: func @tiny
// CHECK: arith.constant {dc.config = {skip = true}, dc.layer = "t"}
// CHECK: arith.constant {dc.config = {skip}, dc.layer = "s"}
func.func @tiny(%x: tensor<4x1xf32>) -> (tensor<2x1xf32>, tensor<2x1xf32>) {
  %w = arith.constant {dc.layer = "t"} dense<[[1.0, 2.0, 3.0, 4.0], [5.0, 6.0, 7.0, 8.0]]> : tensor<2x4xf32>
  %s = arith.constant {dc.layer = "s", dc.config = {skip}} dense<[[1.0, 2.0, 3.0, 4.0], [5.0, 6.0, 7.0, 8.0]]> : tensor<2x4xf32>
  %o = arith.constant dense<0.0> : tensor<2x1xf32>
  %y = linalg.matmul ins(%w, %x : tensor<2x4xf32>, tensor<4x1xf32>) outs(%o : tensor<2x1xf32>) -> tensor<2x1xf32>
  %z = linalg.matmul ins(%s, %x : tensor<2x4xf32>, tensor<4x1xf32>) outs(%o : tensor<2x1xf32>) -> tensor<2x1xf32>
  return %y, %z : tensor<2x1xf32>, tensor<2x1xf32>
}
