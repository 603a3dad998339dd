// Magnitude pruning of layer weights, worked out by hand.
// RUN: dc-opt %s -split-input-file --dc-prune=sparsity=0.5 | FileCheck %s --check-prefix=HALF
// RUN: dc-opt %s -split-input-file --dc-prune=threshold=0.6 | FileCheck %s --check-prefix=THR
// RUN: dc-opt %s -split-input-file --dc-prune=std-scale=1.0 | FileCheck %s --check-prefix=STD
// RUN: dc-opt %s -split-input-file --dc-prune="sparsity=0.5 min-elements=9" | FileCheck %s --check-prefix=MIN
// RUN: dc-opt %s -split-input-file --dc-prune="fc-sparsity=0.25 conv-sparsity=0.75" | FileCheck %s --check-prefix=KIND
// RUN: dc-opt %s -split-input-file | FileCheck %s --check-prefix=NONE

// The 4 smallest |w| of 8 are zeroed; the bias is not a layer.
// HALF-LABEL: func @matvec
// HALF: arith.constant {dc.layer = "fc1", dc.pruned} dense<{{\[\[}}0.000000e+00, -0.899999976, 5.000000e-01, 0.000000e+00], [0.000000e+00, 0.000000e+00, -0.699999988, 8.000000e-01]]> : tensor<2x4xf32>
// HALF: arith.constant dense<[1.000000e+00, 2.000000e+00]> : tensor<2xf32>
// THR-LABEL: func @matvec
// THR: dense<{{\[\[}}0.000000e+00, -0.899999976, 0.000000e+00, 0.000000e+00], [0.000000e+00, 0.000000e+00, -0.699999988, 8.000000e-01]]>
// std of the weights is 0.5868...: keeps |w| >= 0.5868.
// STD-LABEL: func @matvec
// STD: dense<{{\[\[}}0.000000e+00, -0.899999976, 0.000000e+00, 0.000000e+00], [0.000000e+00, 0.000000e+00, -0.699999988, 8.000000e-01]]>
// 8 elements < min-elements=9: left alone.
// MIN-LABEL: func @matvec
// MIN: arith.constant {dc.layer = "fc1"} dense<{{\[\[}}1.000000e-01,
// KIND-LABEL: func @matvec
// KIND: dense<{{\[\[}}0.000000e+00, -0.899999976, 5.000000e-01, -2.000000e-01], [3.000000e-01, 0.000000e+00, -0.699999988, 8.000000e-01]]>
// NONE-LABEL: func @matvec
// NONE-NOT: dc.pruned
func.func @matvec(%x: tensor<4xf32>) -> tensor<2xf32> {
  %w = arith.constant {dc.layer = "fc1"} dense<[[0.1, -0.9, 0.5, -0.2], [0.3, 0.05, -0.7, 0.8]]> : tensor<2x4xf32>
  %b = arith.constant dense<[1.0, 2.0]> : tensor<2xf32>
  %y = linalg.matvec ins(%w, %x : tensor<2x4xf32>, tensor<4xf32>) outs(%b : tensor<2xf32>) -> tensor<2xf32>
  return %y : tensor<2xf32>
}

// -----

// Ties are broken by position: the first of equal magnitudes go first.
// HALF-LABEL: func @ties
// HALF: dense<{{\[\[}}0.000000e+00, 0.000000e+00], [-1.000000e+00, 1.000000e+00]]>
func.func @ties(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  %w = arith.constant dense<[[1.0, -1.0], [-1.0, 1.0]]> : tensor<2x2xf32>
  %o = arith.constant dense<0.0> : tensor<2x3xf32>
  %y = linalg.matmul ins(%w, %x : tensor<2x2xf32>, tensor<2x3xf32>) outs(%o : tensor<2x3xf32>) -> tensor<2x3xf32>
  return %y : tensor<2x3xf32>
}

// -----

// A conv filter: conv-sparsity applies. 3 of 4 pruned.
// KIND-LABEL: func @conv
// KIND: arith.constant {dc.pruned} dense<{{.*}}0.000000e+00{{.*}}0.000000e+00{{.*}}0.000000e+00{{.*}}4.000000e+00
func.func @conv(%x: tensor<1x1x3x3xf32>) -> tensor<1x4x3x3xf32> {
  %w = arith.constant dense<[[[[1.0]]], [[[-2.0]]], [[[3.0]]], [[[4.0]]]]> : tensor<4x1x1x1xf32>
  %o = arith.constant dense<0.0> : tensor<1x4x3x3xf32>
  %y = linalg.conv_2d_nchw_fchw ins(%x, %w : tensor<1x1x3x3xf32>, tensor<4x1x1x1xf32>) outs(%o : tensor<1x4x3x3xf32>) -> tensor<1x4x3x3xf32>
  return %y : tensor<1x4x3x3xf32>
}
