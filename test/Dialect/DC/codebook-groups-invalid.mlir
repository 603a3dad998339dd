// Invalid per-group codebooks.
// RUN: dc-opt %s -split-input-file -verify-diagnostics

// expected-error @+1 {{codebook_rows = 3 does not divide the 4 rows of the matrix view}}
func.func @rows_not_divided(%c: !dc.compressed<tensor<4x2xf32>, #dc.encoding<format = dense, bits = 2, codebook_rows = 3>>)

// -----

// expected-error @+1 {{codebook_rows = 8 does not divide the 4 rows}}
func.func @group_larger(%c: !dc.compressed<tensor<4x2xf32>, #dc.encoding<format = dense, bits = 2, codebook_rows = 8>>)

// -----

// expected-error @+2 {{codebook_rows needs a codebook (bits <= 16), got bits = 32}}
// expected-error @+1 {{failed to parse DC_CompressedType parameter 'encoding'}}
func.func @raw(%c: !dc.compressed<tensor<4x2xf32>, #dc.encoding<format = csr, bits = 32, codebook_rows = 1>>)

// -----

func.func @one_d_codebook() {
  // expected-error @+1 {{'codebook' must be a 2-D tensor of 'f32', got 'tensor<8xf32>'}}
  %c = dc.constant {codebook = dense<[0.0, 1.0, 2.0, 3.0, 0.0, 1.0, 2.0, 3.0]> : tensor<8xf32>, values = dense<[121]> : tensor<1xi8>, num_entries = 4 : i64} : !dc.compressed<tensor<2x2xf32>, #dc.encoding<format = dense, bits = 2, codebook_rows = 1>>
  return
}

// -----

func.func @wrong_groups() {
  // expected-error @+1 {{'codebook' has 1 groups, but codebook_rows = 1 gives 2 codebooks for the 2 rows}}
  %c = dc.constant {codebook = dense<[[0.0, 1.0, 2.0, 3.0]]> : tensor<1x4xf32>, values = dense<[121]> : tensor<1xi8>, num_entries = 4 : i64} : !dc.compressed<tensor<2x2xf32>, #dc.encoding<format = dense, bits = 2, codebook_rows = 1>>
  return
}

// -----

func.func @entry0_not_zero() {
  // expected-error @+1 {{entry 0 of codebook group 1 must be exactly 0.0}}
  %c = dc.constant {codebook = dense<[[0.0, 1.0, 2.0, 3.0], [0.5, 1.0, 2.0, 3.0]]> : tensor<2x4xf32>, values = dense<[121]> : tensor<1xi8>, num_entries = 4 : i64} : !dc.compressed<tensor<2x2xf32>, #dc.encoding<format = dense, bits = 2, codebook_rows = 1>>
  return
}

// -----

func.func @not_finite() {
  // expected-error @+1 {{codebook entry 6 is not finite}}
  %c = dc.constant {codebook = dense<[[0.0, 1.0, 2.0, 3.0], [0.0, 1.0, 0x7F800000, 3.0]]> : tensor<2x4xf32>, values = dense<[121]> : tensor<1xi8>, num_entries = 4 : i64} : !dc.compressed<tensor<2x2xf32>, #dc.encoding<format = dense, bits = 2, codebook_rows = 1>>
  return
}

// -----

func.func @too_many_entries() {
  // expected-error @+1 {{each per-group codebook has 5 entries, more than 2^2 = 4}}
  %c = dc.constant {codebook = dense<[[0.0, 1.0, 2.0, 3.0, 4.0], [0.0, 1.0, 2.0, 3.0, 4.0]]> : tensor<2x5xf32>, values = dense<[121]> : tensor<1xi8>, num_entries = 4 : i64} : !dc.compressed<tensor<2x2xf32>, #dc.encoding<format = dense, bits = 2, codebook_rows = 1>>
  return
}

// -----

func.func @index_past_group() {
  // 2 entries per group: index 3 of element 2 is out of range.
  // expected-error @+1 {{value index 2 at entry 1 is out of range of the 2-entry codebook}}
  %c = dc.constant {codebook = dense<[[0.0, 1.0], [0.0, -1.0]]> : tensor<2x2xf32>, values = dense<[121]> : tensor<1xi8>, num_entries = 4 : i64} : !dc.compressed<tensor<2x2xf32>, #dc.encoding<format = dense, bits = 2, codebook_rows = 1>>
  return
}
