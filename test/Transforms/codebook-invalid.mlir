// Invalid codebook granularities: the option's value, and per layer a group
// that does not tile the output channels.
// RUN: not dc-opt %s --dc-compress=codebook=group:0 2>&1 | FileCheck %s --check-prefix=ZERO
// RUN: not dc-opt %s --dc-compress=codebook=group:-1 2>&1 | FileCheck %s --check-prefix=NEG
// RUN: not dc-opt %s --dc-cluster=codebook=group:x 2>&1 | FileCheck %s --check-prefix=NAN
// RUN: not dc-opt %s --dc-compress=codebook=row 2>&1 | FileCheck %s --check-prefix=WORD
// RUN: not dc-opt %s --dc-compress=codebook=group: 2>&1 | FileCheck %s --check-prefix=EMPTY
// RUN: dc-opt %s -split-input-file -verify-diagnostics --dc-compress=codebook=group:4
// ZERO: dc-compress: option 'codebook' group:G needs G a positive number of output channels, got 'group:0'
// NEG: option 'codebook' group:G needs G a positive number of output channels, got 'group:-1'
// NAN: dc-cluster: option 'codebook' group:G needs G a positive number of output channels, got 'group:x'
// WORD: option 'codebook' must be layer, channel or group:G, got 'row'
// EMPTY: got 'group:'

func.func @not_dividing(%x: tensor<2xf32>) -> tensor<6xf32> {
  // expected-error@+1 {{layer 'fc1': codebook=group:4: 4 does not divide the layer's 6 output channels}}
  %w = arith.constant {dc.layer = "fc1"} dense<1.0> : tensor<6x2xf32>
  %i = tensor.empty() : tensor<6xf32>
  %y = linalg.matvec ins(%w, %x : tensor<6x2xf32>, tensor<2xf32>) outs(%i : tensor<6xf32>) -> tensor<6xf32>
  return %y : tensor<6xf32>
}

// -----

func.func @larger(%x: tensor<2xf32>) -> tensor<2xf32> {
  // expected-error@+1 {{layer 'fc1': codebook=group:4: the group is larger than the layer's 2 output channels}}
  %w = arith.constant {dc.layer = "fc1"} dense<1.0> : tensor<2x2xf32>
  %i = tensor.empty() : tensor<2xf32>
  %y = linalg.matvec ins(%w, %x : tensor<2x2xf32>, tensor<2xf32>) outs(%i : tensor<2xf32>) -> tensor<2xf32>
  return %y : tensor<2xf32>
}

// -----

func.func @config_value(%x: tensor<2xf32>) -> tensor<2xf32> {
  // expected-error@+1 {{layer 'fc1': dc.config: 'codebook' group:G needs G a positive number of output channels, got 'group:0'}}
  %w = arith.constant {dc.layer = "fc1", dc.config = {codebook = "group:0"}} dense<1.0> : tensor<2x2xf32>
  %i = tensor.empty() : tensor<2xf32>
  %y = linalg.matvec ins(%w, %x : tensor<2x2xf32>, tensor<2xf32>) outs(%i : tensor<2xf32>) -> tensor<2xf32>
  return %y : tensor<2xf32>
}

// -----

func.func @config_type(%x: tensor<2xf32>) -> tensor<2xf32> {
  // expected-error@+1 {{layer 'fc1': dc.config: 'codebook' must be a string, got 1 : i64}}
  %w = arith.constant {dc.layer = "fc1", dc.config = {codebook = 1}} dense<1.0> : tensor<2x2xf32>
  %i = tensor.empty() : tensor<2xf32>
  %y = linalg.matvec ins(%w, %x : tensor<2x2xf32>, tensor<2xf32>) outs(%i : tensor<2xf32>) -> tensor<2xf32>
  return %y : tensor<2xf32>
}

// -----

func.func @config_group(%x: tensor<2xf32>) -> tensor<2xf32> {
  // expected-error@+1 {{layer 'fc1': dc.config: 'codebook' group:3: the group is larger than the layer's 2 output channels}}
  %w = arith.constant {dc.layer = "fc1", dc.config = {codebook = "group:3"}} dense<1.0> : tensor<2x2xf32>
  %i = tensor.empty() : tensor<2xf32>
  %y = linalg.matvec ins(%w, %x : tensor<2x2xf32>, tensor<2xf32>) outs(%i : tensor<2xf32>) -> tensor<2xf32>
  return %y : tensor<2xf32>
}

// -----

// An X W weight [in, out]: its first dimension is reduced, so per-row
// codebooks are per input feature (a warning; the encoding is still exact).
func.func @reduced_first_dim(%x: tensor<3x4xf32>) -> tensor<3x2xf32> {
  // expected-warning@+1 {{layer 'fc1': codebook=channel groups the weight's first dimension, which 'linalg.matmul' reduces over: the codebooks are not per output channel}}
  %w = arith.constant {dc.layer = "fc1", dc.config = {codebook = "channel"}} dense<1.0> : tensor<4x2xf32>
  %i = tensor.empty() : tensor<3x2xf32>
  %y = linalg.matmul ins(%x, %w : tensor<3x4xf32>, tensor<4x2xf32>) outs(%i : tensor<3x2xf32>) -> tensor<3x2xf32>
  return %y : tensor<3x2xf32>
}
