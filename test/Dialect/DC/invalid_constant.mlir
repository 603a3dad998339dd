// Every diagnostic of dc.constant: attribute types and resource blobs
// (DCUtils) and every invariant the core library checks (sizes, widths,
// pointers, code tables, stream contents).
// RUN: dc-opt %s -split-input-file -verify-diagnostics
func.func @values_i32() {
  // expected-error@+1 {{'values' must be a 1-D tensor of 'i8', got 'tensor<1xi32>'}}
  %c = dc.constant {codebook = dense<[0.0, -1.0, 1.0, 2.0]> : tensor<4xf32>, values = dense<[-40]> : tensor<1xi32>, num_entries = 4 : i64} : !dc.compressed<tensor<2x2xf32>, #dc.encoding<format = dense, bits = 2>>
  return
}

// -----

func.func @codebook_2d() {
  // expected-error@+1 {{'codebook' must be a 1-D tensor of 'f32', got 'tensor<2x2xf32>'}}
  %c = dc.constant {codebook = dense<[[0.0, -1.0], [1.0, 2.0]]> : tensor<2x2xf32>, values = dense<[-40]> : tensor<1xi8>, num_entries = 4 : i64} : !dc.compressed<tensor<2x2xf32>, #dc.encoding<format = dense, bits = 2>>
  return
}

// -----

func.func @pointers_i64() {
  // expected-error@+1 {{'pointers' must be a 1-D tensor of 'i32', got 'tensor<3xi64>'}}
  %c = dc.constant {codebook = dense<[0.0, -1.0, 1.0, 2.0]> : tensor<4xf32>, pointers = dense<[0, 1, 2]> : tensor<3xi64>, values = dense<[9]> : tensor<1xi8>, gaps = dense<[1]> : tensor<1xi8>, num_entries = 2 : i64} : !dc.compressed<tensor<2x2xf32>, #dc.encoding<format = csc, bits = 2, index_bits = 2>>
  return
}

// -----

func.func @gaps_f32() {
  // expected-error@+1 {{'gaps' must be a 1-D tensor of 'i8', got 'tensor<1xf32>'}}
  %c = dc.constant {codebook = dense<[0.0, -1.0, 1.0, 2.0]> : tensor<4xf32>, pointers = dense<[0, 1, 2]> : tensor<3xi32>, values = dense<[9]> : tensor<1xi8>, gaps = dense<[1.0]> : tensor<1xf32>, num_entries = 2 : i64} : !dc.compressed<tensor<2x2xf32>, #dc.encoding<format = csc, bits = 2, index_bits = 2>>
  return
}

// -----

func.func @lengths_i32() {
  // expected-error@+1 {{'value_code_lengths' must be a 1-D tensor of 'i8', got 'tensor<4xi32>'}}
  %c = dc.constant {codebook = dense<[0.0, -1.0, 1.0, 2.0]> : tensor<4xf32>, values = dense<[-28]> : tensor<1xi8>, value_code_lengths = dense<2> : tensor<4xi32>, num_entries = 4 : i64} : !dc.compressed<tensor<2x2xf32>, #dc.encoding<format = dense, bits = 2, entropy = huffman>>
  return
}

// -----

func.func @gap_lengths_i32() {
  // expected-error@+1 {{'gap_code_lengths' must be a 1-D tensor of 'i8', got 'tensor<2xi32>'}}
  %c = dc.constant {codebook = dense<[0.0, -1.0, 1.0, 2.0]> : tensor<4xf32>, pointers = dense<[0, 1, 2]> : tensor<3xi32>, values = dense<[2]> : tensor<1xi8>, gaps = dense<[1]> : tensor<1xi8>, value_code_lengths = dense<[0, 1, 1]> : tensor<3xi8>, gap_code_lengths = dense<[1, 1]> : tensor<2xi32>, num_entries = 2 : i64} : !dc.compressed<tensor<2x2xf32>, #dc.encoding<format = csc, bits = 2, index_bits = 2, entropy = huffman>>
  return
}

// -----

func.func @missing_blob() {
  // expected-error@+1 {{resource blob of 'values' is missing}}
  %c = dc.constant {codebook = dense<[0.0, -1.0, 1.0, 2.0]> : tensor<4xf32>, values = dense_resource<no_such_blob> : tensor<1xi8>, num_entries = 4 : i64} : !dc.compressed<tensor<2x2xf32>, #dc.encoding<format = dense, bits = 2>>
  return
}

// -----

func.func @sparse_attr() {
  // expected-error@+1 {{'values' must be a dense or dense_resource attribute}}
  %c = dc.constant {codebook = dense<[0.0, -1.0, 1.0, 2.0]> : tensor<4xf32>, values = sparse<[[0]], [1]> : tensor<1xi8>, num_entries = 4 : i64} : !dc.compressed<tensor<2x2xf32>, #dc.encoding<format = dense, bits = 2>>
  return
}

// -----

func.func @blob_size() {
  // expected-error@+1 {{'values' holds 1 bytes, expected 2}}
  %c = dc.constant {codebook = dense<[0.0, -1.0, 1.0, 2.0]> : tensor<4xf32>, values = dense_resource<short_blob> : tensor<2xi8>, num_entries = 4 : i64} : !dc.compressed<tensor<2x2xf32>, #dc.encoding<format = dense, bits = 2>>
  return
}

{-#
  dialect_resources: {
    builtin: {
      short_blob: "0x0100000001"
    }
  }
#-}

// -----

func.func @raw_with_codebook() {
  // expected-error@+1 {{raw f32 values (bits = 32) must have no codebook, found 4 entries}}
  %c = dc.constant {codebook = dense<[0.0, -1.0, 1.0, 2.0]> : tensor<4xf32>, values = dense<0> : tensor<16xi8>, num_entries = 4 : i64} : !dc.compressed<tensor<2x2xf32>, #dc.encoding<format = dense, bits = 32>>
  return
}

// -----

func.func @no_codebook() {
  // expected-error@+1 {{codebook is empty}}
  %c = dc.constant {values = dense<[-40]> : tensor<1xi8>, num_entries = 4 : i64} : !dc.compressed<tensor<2x2xf32>, #dc.encoding<format = dense, bits = 2>>
  return
}

// -----

func.func @codebook_too_big() {
  // expected-error@+1 {{codebook has 5 entries, more than 2^2 = 4}}
  %c = dc.constant {codebook = dense<[0.0, -1.0, 1.0, 2.0, 3.0]> : tensor<5xf32>, values = dense<[-40]> : tensor<1xi8>, num_entries = 4 : i64} : !dc.compressed<tensor<2x2xf32>, #dc.encoding<format = dense, bits = 2>>
  return
}

// -----

func.func @codebook_zero() {
  // expected-error@+1 {{codebook entry 0 must be exactly 0.0 (it encodes pruned weights), found 1.0}}
  %c = dc.constant {codebook = dense<[1.0, -1.0, 1.0, 2.0]> : tensor<4xf32>, values = dense<[-40]> : tensor<1xi8>, num_entries = 4 : i64} : !dc.compressed<tensor<2x2xf32>, #dc.encoding<format = dense, bits = 2>>
  return
}

// -----

func.func @codebook_nan() {
  // expected-error@+1 {{codebook entry 1 is not finite}}
  %c = dc.constant {codebook = dense<[0.0, 0x7FC00000, 1.0, 2.0]> : tensor<4xf32>, values = dense<[-40]> : tensor<1xi8>, num_entries = 4 : i64} : !dc.compressed<tensor<2x2xf32>, #dc.encoding<format = dense, bits = 2>>
  return
}

// -----

func.func @dense_pointers() {
  // expected-error@+1 {{dense format must have no pointers}}
  %c = dc.constant {codebook = dense<[0.0, -1.0, 1.0, 2.0]> : tensor<4xf32>, pointers = dense<[0, 4]> : tensor<2xi32>, values = dense<[-40]> : tensor<1xi8>, num_entries = 4 : i64} : !dc.compressed<tensor<2x2xf32>, #dc.encoding<format = dense, bits = 2>>
  return
}

// -----

func.func @dense_gaps() {
  // expected-error@+1 {{dense format must have no gap stream}}
  %c = dc.constant {codebook = dense<[0.0, -1.0, 1.0, 2.0]> : tensor<4xf32>, gaps = dense<[0]> : tensor<1xi8>, values = dense<[-40]> : tensor<1xi8>, num_entries = 4 : i64} : !dc.compressed<tensor<2x2xf32>, #dc.encoding<format = dense, bits = 2>>
  return
}

// -----

func.func @dense_gap_table() {
  // expected-error@+1 {{dense format must have no gap code table}}
  %c = dc.constant {codebook = dense<[0.0, -1.0, 1.0, 2.0]> : tensor<4xf32>, values = dense<[-28]> : tensor<1xi8>, value_code_lengths = dense<2> : tensor<4xi8>, gap_code_lengths = dense<1> : tensor<2xi8>, num_entries = 4 : i64} : !dc.compressed<tensor<2x2xf32>, #dc.encoding<format = dense, bits = 2, entropy = huffman>>
  return
}

// -----

func.func @dense_entries() {
  // expected-error@+1 {{dense format stores every element: expected 4 entries, found 3}}
  %c = dc.constant {codebook = dense<[0.0, -1.0, 1.0, 2.0]> : tensor<4xf32>, values = dense<[-40]> : tensor<1xi8>, num_entries = 3 : i64} : !dc.compressed<tensor<2x2xf32>, #dc.encoding<format = dense, bits = 2>>
  return
}

// -----

func.func @pointer_count() {
  // expected-error@+1 {{expected 3 pointers (2 columns + 1), found 2}}
  %c = dc.constant {codebook = dense<[0.0, -1.0, 1.0, 2.0]> : tensor<4xf32>, pointers = dense<[0, 2]> : tensor<2xi32>, values = dense<[9]> : tensor<1xi8>, gaps = dense<[1]> : tensor<1xi8>, num_entries = 2 : i64} : !dc.compressed<tensor<2x2xf32>, #dc.encoding<format = csc, bits = 2, index_bits = 2>>
  return
}

// -----

func.func @pointer_zero() {
  // expected-error@+1 {{pointer 0 must be 0, found 1}}
  %c = dc.constant {codebook = dense<[0.0, -1.0, 1.0, 2.0]> : tensor<4xf32>, pointers = dense<[1, 1, 2]> : tensor<3xi32>, values = dense<[9]> : tensor<1xi8>, gaps = dense<[1]> : tensor<1xi8>, num_entries = 2 : i64} : !dc.compressed<tensor<2x2xf32>, #dc.encoding<format = csc, bits = 2, index_bits = 2>>
  return
}

// -----

func.func @pointer_monotone() {
  // expected-error@+1 {{pointers are not monotone: pointer 2 (1) is less than pointer 1 (2)}}
  %c = dc.constant {codebook = dense<[0.0, -1.0, 1.0, 2.0]> : tensor<4xf32>, pointers = dense<[0, 2, 1]> : tensor<3xi32>, values = dense<[9]> : tensor<1xi8>, gaps = dense<[1]> : tensor<1xi8>, num_entries = 2 : i64} : !dc.compressed<tensor<2x2xf32>, #dc.encoding<format = csc, bits = 2, index_bits = 2>>
  return
}

// -----

func.func @slice_overfull() {
  // expected-error@+1 {{column 0 has 3 entries, more than its length 2}}
  %c = dc.constant {codebook = dense<[0.0, -1.0, 1.0, 2.0]> : tensor<4xf32>, pointers = dense<[0, 3, 3]> : tensor<3xi32>, values = dense<[9]> : tensor<1xi8>, gaps = dense<[0]> : tensor<1xi8>, num_entries = 3 : i64} : !dc.compressed<tensor<2x2xf32>, #dc.encoding<format = csc, bits = 2, index_bits = 2>>
  return
}

// -----

func.func @pointer_last() {
  // expected-error@+1 {{last pointer (1) does not match the 2 entries}}
  %c = dc.constant {codebook = dense<[0.0, -1.0, 1.0, 2.0]> : tensor<4xf32>, pointers = dense<[0, 1, 1]> : tensor<3xi32>, values = dense<[9]> : tensor<1xi8>, gaps = dense<[1]> : tensor<1xi8>, num_entries = 2 : i64} : !dc.compressed<tensor<2x2xf32>, #dc.encoding<format = csc, bits = 2, index_bits = 2>>
  return
}

// -----

func.func @tables_without_huffman() {
  // expected-error@+1 {{code tables are only allowed with Huffman coding}}
  %c = dc.constant {codebook = dense<[0.0, -1.0, 1.0, 2.0]> : tensor<4xf32>, values = dense<[-40]> : tensor<1xi8>, value_code_lengths = dense<2> : tensor<4xi8>, num_entries = 4 : i64} : !dc.compressed<tensor<2x2xf32>, #dc.encoding<format = dense, bits = 2>>
  return
}

// -----

func.func @table_too_big() {
  // expected-error@+1 {{value code-length table has 5 entries, more than the alphabet size 4}}
  %c = dc.constant {codebook = dense<[0.0, -1.0, 1.0, 2.0]> : tensor<4xf32>, values = dense<[-28]> : tensor<1xi8>, value_code_lengths = dense<[2, 2, 2, 2, 0]> : tensor<5xi8>, num_entries = 4 : i64} : !dc.compressed<tensor<2x2xf32>, #dc.encoding<format = dense, bits = 2, entropy = huffman>>
  return
}

// -----

func.func @code_too_long() {
  // expected-error@+1 {{invalid value code table: Huffman code length 25 of symbol 0 exceeds the maximum of 24}}
  %c = dc.constant {codebook = dense<[0.0, -1.0, 1.0, 2.0]> : tensor<4xf32>, values = dense<[-28]> : tensor<1xi8>, value_code_lengths = dense<[25, 1]> : tensor<2xi8>, num_entries = 4 : i64} : !dc.compressed<tensor<2x2xf32>, #dc.encoding<format = dense, bits = 2, entropy = huffman>>
  return
}

// -----

func.func @code_unused() {
  // expected-error@+1 {{invalid value code table: Huffman code table has no used symbol}}
  %c = dc.constant {codebook = dense<[0.0, -1.0, 1.0, 2.0]> : tensor<4xf32>, values = dense<[-28]> : tensor<1xi8>, value_code_lengths = dense<0> : tensor<4xi8>, num_entries = 4 : i64} : !dc.compressed<tensor<2x2xf32>, #dc.encoding<format = dense, bits = 2, entropy = huffman>>
  return
}

// -----

func.func @code_oversubscribed() {
  // expected-error@+1 {{invalid value code table: Huffman code lengths are over-subscribed (Kraft sum > 1)}}
  %c = dc.constant {codebook = dense<[0.0, -1.0, 1.0, 2.0]> : tensor<4xf32>, values = dense<[-28]> : tensor<1xi8>, value_code_lengths = dense<[1, 1, 1]> : tensor<3xi8>, num_entries = 4 : i64} : !dc.compressed<tensor<2x2xf32>, #dc.encoding<format = dense, bits = 2, entropy = huffman>>
  return
}

// -----

func.func @gap_code_oversubscribed() {
  // expected-error@+1 {{invalid gap code table: Huffman code lengths are over-subscribed (Kraft sum > 1)}}
  %c = dc.constant {codebook = dense<[0.0, -1.0, 1.0, 2.0]> : tensor<4xf32>, pointers = dense<[0, 1, 2]> : tensor<3xi32>, values = dense<[2]> : tensor<1xi8>, gaps = dense<[1]> : tensor<1xi8>, value_code_lengths = dense<[0, 1, 1]> : tensor<3xi8>, gap_code_lengths = dense<[1, 1, 1]> : tensor<3xi8>, num_entries = 2 : i64} : !dc.compressed<tensor<2x2xf32>, #dc.encoding<format = csc, bits = 2, index_bits = 2, entropy = huffman>>
  return
}

// -----

func.func @value_stream_size() {
  // expected-error@+1 {{value stream has 2 bytes, expected 1 for 4 entries of 2 bits}}
  %c = dc.constant {codebook = dense<[0.0, -1.0, 1.0, 2.0]> : tensor<4xf32>, values = dense<[-40, 0]> : tensor<2xi8>, num_entries = 4 : i64} : !dc.compressed<tensor<2x2xf32>, #dc.encoding<format = dense, bits = 2>>
  return
}

// -----

func.func @gap_stream_size() {
  // expected-error@+1 {{gap stream has 2 bytes, expected 1 for 2 entries of 2 bits}}
  %c = dc.constant {codebook = dense<[0.0, -1.0, 1.0, 2.0]> : tensor<4xf32>, pointers = dense<[0, 1, 2]> : tensor<3xi32>, values = dense<[9]> : tensor<1xi8>, gaps = dense<[1, 0]> : tensor<2xi8>, num_entries = 2 : i64} : !dc.compressed<tensor<2x2xf32>, #dc.encoding<format = csc, bits = 2, index_bits = 2>>
  return
}

// -----

func.func @huffman_no_entries() {
  // expected-error@+1 {{value stream has 1 bytes but there are no entries}}
  %c = dc.constant {codebook = dense<[0.0, -1.0, 1.0, 2.0]> : tensor<4xf32>, pointers = dense<0> : tensor<3xi32>, values = dense<[1]> : tensor<1xi8>, gaps = dense<> : tensor<0xi8>, num_entries = 0 : i64} : !dc.compressed<tensor<2x2xf32>, #dc.encoding<format = csc, bits = 2, index_bits = 2, entropy = huffman>>
  return
}

// -----

func.func @huffman_size_bounds() {
  // expected-error@+1 {{value stream has 2 bytes, but 4 Huffman-coded entries need between 1 and 1}}
  %c = dc.constant {codebook = dense<[0.0, -1.0, 1.0, 2.0]> : tensor<4xf32>, values = dense<[-28, 0]> : tensor<2xi8>, value_code_lengths = dense<2> : tensor<4xi8>, num_entries = 4 : i64} : !dc.compressed<tensor<2x2xf32>, #dc.encoding<format = dense, bits = 2, entropy = huffman>>
  return
}

// -----

func.func @huffman_no_code() {
  // expected-error@+1 {{invalid value code table: Huffman code lengths are incomplete (Kraft sum < 1)}}
  %c = dc.constant {codebook = dense<[0.0, -1.0, 1.0, 2.0]> : tensor<4xf32>, values = dense<[-1]> : tensor<1xi8>, value_code_lengths = dense<[1, 0, 2]> : tensor<3xi8>, num_entries = 4 : i64} : !dc.compressed<tensor<2x2xf32>, #dc.encoding<format = dense, bits = 2, entropy = huffman>>
  return
}

// -----

func.func @huffman_truncated() {
  // expected-error@+1 {{cannot decode the value stream: Huffman stream is truncated: it ends after 4 of 5 symbols}}
  %c = dc.constant {codebook = dense<[0.0, -1.0, 1.0, 2.0]> : tensor<4xf32>, values = dense<[-1]> : tensor<1xi8>, value_code_lengths = dense<[1, 2, 2]> : tensor<3xi8>, num_entries = 5 : i64} : !dc.compressed<tensor<5xf32>, #dc.encoding<format = dense, bits = 2, entropy = huffman>>
  return
}

// -----

func.func @huffman_excess() {
  // expected-error@+1 {{value stream has 2 bytes, but its 5 Huffman-coded entries take 1}}
  %c = dc.constant {codebook = dense<[0.0, -1.0, 1.0, 2.0]> : tensor<4xf32>, values = dense<[0, 0]> : tensor<2xi8>, value_code_lengths = dense<[1, 2, 2]> : tensor<3xi8>, num_entries = 5 : i64} : !dc.compressed<tensor<5xf32>, #dc.encoding<format = dense, bits = 2, entropy = huffman>>
  return
}

// -----

func.func @index_range() {
  // expected-error@+1 {{value index 3 at entry 3 is out of range of the 3-entry codebook}}
  %c = dc.constant {codebook = dense<[0.0, -1.0, 1.0]> : tensor<3xf32>, values = dense<[-40]> : tensor<1xi8>, num_entries = 4 : i64} : !dc.compressed<tensor<2x2xf32>, #dc.encoding<format = dense, bits = 2>>
  return
}

// -----

func.func @past_slice() {
  // expected-error@+1 {{entry 0 of column 0 lands at row 2, past the column length 2}}
  %c = dc.constant {codebook = dense<[0.0, -1.0, 1.0, 2.0]> : tensor<4xf32>, pointers = dense<[0, 1, 2]> : tensor<3xi32>, values = dense<[9]> : tensor<1xi8>, gaps = dense<[2]> : tensor<1xi8>, num_entries = 2 : i64} : !dc.compressed<tensor<2x2xf32>, #dc.encoding<format = csc, bits = 2, index_bits = 2>>
  return
}
