// Invalid per-layer dc.config dictionaries name the layer.
// RUN: dc-opt %s -split-input-file -verify-diagnostics --dc-compress

func.func @unknown_key(%x: tensor<2xf32>) -> tensor<2xf32> {
  // expected-error@+1 {{layer 'fc1': dc.config: unknown key 'sparse'}}
  %w = arith.constant {dc.layer = "fc1", dc.config = {sparse = 0.5}} dense<[[1.0, 2.0], [3.0, 4.0]]> : tensor<2x2xf32>
  %y = linalg.matvec ins(%w, %x : tensor<2x2xf32>, tensor<2xf32>) outs(%x : tensor<2xf32>) -> tensor<2xf32>
  return %y : tensor<2xf32>
}

// -----

func.func @bad_sparsity(%x: tensor<2xf32>) -> tensor<2xf32> {
  // expected-error@+1 {{layer 'fc1': dc.config: 'sparsity' must be in [0, 1), got 1.5}}
  %w = arith.constant {dc.layer = "fc1", dc.config = {sparsity = 1.5}} dense<[[1.0, 2.0], [3.0, 4.0]]> : tensor<2x2xf32>
  %y = linalg.matvec ins(%w, %x : tensor<2x2xf32>, tensor<2xf32>) outs(%x : tensor<2xf32>) -> tensor<2xf32>
  return %y : tensor<2xf32>
}

// -----

func.func @sparsity_type(%x: tensor<2xf32>) -> tensor<2xf32> {
  // expected-error@+1 {{layer 'fc1': dc.config: 'sparsity' must be a number, got "half"}}
  %w = arith.constant {dc.layer = "fc1", dc.config = {sparsity = "half"}} dense<[[1.0, 2.0], [3.0, 4.0]]> : tensor<2x2xf32>
  %y = linalg.matvec ins(%w, %x : tensor<2x2xf32>, tensor<2xf32>) outs(%x : tensor<2xf32>) -> tensor<2xf32>
  return %y : tensor<2xf32>
}

// -----

func.func @bad_bits(%x: tensor<2xf32>) -> tensor<2xf32> {
  // expected-error@+1 {{layer 'fc1': dc.config: 'bits' must be in 1..16, got 17}}
  %w = arith.constant {dc.layer = "fc1", dc.config = {bits = 17}} dense<[[1.0, 2.0], [3.0, 4.0]]> : tensor<2x2xf32>
  %y = linalg.matvec ins(%w, %x : tensor<2x2xf32>, tensor<2xf32>) outs(%x : tensor<2xf32>) -> tensor<2xf32>
  return %y : tensor<2xf32>
}

// -----

func.func @index_bits_type(%x: tensor<2xf32>) -> tensor<2xf32> {
  // expected-error@+1 {{layer 'fc1': dc.config: 'index_bits' must be an integer, got 4.500000e+00 : f64}}
  %w = arith.constant {dc.layer = "fc1", dc.config = {index_bits = 4.5}} dense<[[1.0, 2.0], [3.0, 4.0]]> : tensor<2x2xf32>
  %y = linalg.matvec ins(%w, %x : tensor<2x2xf32>, tensor<2xf32>) outs(%x : tensor<2xf32>) -> tensor<2xf32>
  return %y : tensor<2xf32>
}

// -----

func.func @bad_init(%x: tensor<2xf32>) -> tensor<2xf32> {
  // expected-error@+1 {{layer 'fc1': dc.config: invalid 'init' value 'forgy'}}
  %w = arith.constant {dc.layer = "fc1", dc.config = {init = "forgy"}} dense<[[1.0, 2.0], [3.0, 4.0]]> : tensor<2x2xf32>
  %y = linalg.matvec ins(%w, %x : tensor<2x2xf32>, tensor<2xf32>) outs(%x : tensor<2xf32>) -> tensor<2xf32>
  return %y : tensor<2xf32>
}

// -----

func.func @bad_format(%x: tensor<2xf32>) -> tensor<2xf32> {
  // expected-error@+1 {{layer 'fc1': dc.config: invalid 'format' value 'dense'}}
  %w = arith.constant {dc.layer = "fc1", dc.config = {format = "dense"}} dense<[[1.0, 2.0], [3.0, 4.0]]> : tensor<2x2xf32>
  %y = linalg.matvec ins(%w, %x : tensor<2x2xf32>, tensor<2xf32>) outs(%x : tensor<2xf32>) -> tensor<2xf32>
  return %y : tensor<2xf32>
}

// -----

func.func @bad_entropy(%x: tensor<2xf32>) -> tensor<2xf32> {
  // expected-error@+1 {{layer 'fc1': dc.config: 'entropy' must be a string, got 1 : i64}}
  %w = arith.constant {dc.layer = "fc1", dc.config = {entropy = 1}} dense<[[1.0, 2.0], [3.0, 4.0]]> : tensor<2x2xf32>
  %y = linalg.matvec ins(%w, %x : tensor<2x2xf32>, tensor<2xf32>) outs(%x : tensor<2xf32>) -> tensor<2xf32>
  return %y : tensor<2xf32>
}

// -----

func.func @bad_skip(%x: tensor<2xf32>) -> tensor<2xf32> {
  // expected-error@+1 {{layer 'fc1': dc.config: 'skip' must be a bool, got "yes"}}
  %w = arith.constant {dc.layer = "fc1", dc.config = {skip = "yes"}} dense<[[1.0, 2.0], [3.0, 4.0]]> : tensor<2x2xf32>
  %y = linalg.matvec ins(%w, %x : tensor<2x2xf32>, tensor<2xf32>) outs(%x : tensor<2xf32>) -> tensor<2xf32>
  return %y : tensor<2xf32>
}

// -----

func.func @two_prune_keys(%x: tensor<2xf32>) -> tensor<2xf32> {
  // expected-error@+1 {{layer 'fc1': dc.config: at most one of 'sparsity', 'threshold' and 'std_scale' may be given}}
  %w = arith.constant {dc.layer = "fc1", dc.config = {sparsity = 0.5, threshold = 0.1}} dense<[[1.0, 2.0], [3.0, 4.0]]> : tensor<2x2xf32>
  %y = linalg.matvec ins(%w, %x : tensor<2x2xf32>, tensor<2xf32>) outs(%x : tensor<2xf32>) -> tensor<2xf32>
  return %y : tensor<2xf32>
}

// -----

func.func @not_a_dict(%x: tensor<2xf32>) -> tensor<2xf32> {
  // expected-error@+1 {{layer 'fc1': dc.config: must be a dictionary, got 5 : i64}}
  %w = arith.constant {dc.layer = "fc1", dc.config = 5} dense<[[1.0, 2.0], [3.0, 4.0]]> : tensor<2x2xf32>
  %y = linalg.matvec ins(%w, %x : tensor<2x2xf32>, tensor<2xf32>) outs(%x : tensor<2xf32>) -> tensor<2xf32>
  return %y : tensor<2xf32>
}
