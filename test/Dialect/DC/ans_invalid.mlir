// dc.constant with entropy = ans: the verifier checks the rANS tables and
// stream sizes without decoding, and decodes small payloads fully (the
// final state, trailing bytes).
// RUN: dc-opt %s -split-input-file -verify-diagnostics

func.func @trailing_state() -> tensor<3x4xf32> {
  // expected-error@+1 {{cannot decode the value stream: rANS stream does not end in the initial state}}
  %c = dc.constant {codebook = dense<[0.000000e+00, 1.000000e+00, 2.000000e+00]> : tensor<3xf32>, gap_ans_table = dense<[33, 4, 0, -124, 2]> : tensor<5xi8>, gaps = dense<[0, 0, 0, 1, 73]> : tensor<5xi8>, num_entries = 7 : i64, pointers = dense<[0, 2, 4, 5, 7]> : tensor<5xi32>, value_ans_table = dense<[32, 4, 0, -96]> : tensor<4xi8>, values = dense<[6, 0, 0, 65]> : tensor<4xi8>} : !dc.compressed<tensor<3x4xf32>, #dc.encoding<format = csc, bits = 2, index_bits = 2, entropy = ans>>
  %d = dc.decompress %c : !dc.compressed<tensor<3x4xf32>, #dc.encoding<format = csc, bits = 2, index_bits = 2, entropy = ans>> -> tensor<3x4xf32>
  return %d : tensor<3x4xf32>
}

// -----

func.func @trailing_bytes() -> tensor<3x4xf32> {
  // expected-error@+1 {{cannot decode the value stream: rANS stream has 1 trailing bytes}}
  %c = dc.constant {codebook = dense<[0.000000e+00, 1.000000e+00, 2.000000e+00]> : tensor<3xf32>, gap_ans_table = dense<[33, 4, 0, -124, 2]> : tensor<5xi8>, gaps = dense<[0, 0, 0, 1, 73]> : tensor<5xi8>, num_entries = 7 : i64, pointers = dense<[0, 2, 4, 5, 7]> : tensor<5xi32>, value_ans_table = dense<[32, 4, 0, -96]> : tensor<4xi8>, values = dense<[6, 0, 0, 64, 0]> : tensor<5xi8>} : !dc.compressed<tensor<3x4xf32>, #dc.encoding<format = csc, bits = 2, index_bits = 2, entropy = ans>>
  %d = dc.decompress %c : !dc.compressed<tensor<3x4xf32>, #dc.encoding<format = csc, bits = 2, index_bits = 2, entropy = ans>> -> tensor<3x4xf32>
  return %d : tensor<3x4xf32>
}

// -----

func.func @short_stream() -> tensor<3x4xf32> {
  // expected-error@+1 {{value stream has 3 bytes, but 7 rANS-coded entries need between 4 and 11}}
  %c = dc.constant {codebook = dense<[0.000000e+00, 1.000000e+00, 2.000000e+00]> : tensor<3xf32>, gap_ans_table = dense<[33, 4, 0, -124, 2]> : tensor<5xi8>, gaps = dense<[0, 0, 0, 1, 73]> : tensor<5xi8>, num_entries = 7 : i64, pointers = dense<[0, 2, 4, 5, 7]> : tensor<5xi32>, value_ans_table = dense<[32, 4, 0, -96]> : tensor<4xi8>, values = dense<[6, 0, 0]> : tensor<3xi8>} : !dc.compressed<tensor<3x4xf32>, #dc.encoding<format = csc, bits = 2, index_bits = 2, entropy = ans>>
  %d = dc.decompress %c : !dc.compressed<tensor<3x4xf32>, #dc.encoding<format = csc, bits = 2, index_bits = 2, entropy = ans>> -> tensor<3x4xf32>
  return %d : tensor<3x4xf32>
}

// -----

func.func @table_too_long() -> tensor<3x4xf32> {
  // expected-error@+1 {{invalid value rANS table: rANS table has 32771 entries, more than the alphabet size 4}}
  %c = dc.constant {codebook = dense<[0.000000e+00, 1.000000e+00, 2.000000e+00]> : tensor<3xf32>, gap_ans_table = dense<[33, 4, 0, -124, 2]> : tensor<5xi8>, gaps = dense<[0, 0, 0, 1, 73]> : tensor<5xi8>, num_entries = 7 : i64, pointers = dense<[0, 2, 4, 5, 7]> : tensor<5xi32>, value_ans_table = dense<[32, 4, 0, -95]> : tensor<4xi8>, values = dense<[6, 0, 0, 64]> : tensor<4xi8>} : !dc.compressed<tensor<3x4xf32>, #dc.encoding<format = csc, bits = 2, index_bits = 2, entropy = ans>>
  %d = dc.decompress %c : !dc.compressed<tensor<3x4xf32>, #dc.encoding<format = csc, bits = 2, index_bits = 2, entropy = ans>> -> tensor<3x4xf32>
  return %d : tensor<3x4xf32>
}

// -----

func.func @missing_table() -> tensor<3x4xf32> {
  // expected-error@+1 {{invalid value rANS table: rANS table is truncated}}
  %c = dc.constant {codebook = dense<[0.000000e+00, 1.000000e+00, 2.000000e+00]> : tensor<3xf32>, gap_ans_table = dense<[33, 4, 0, -124, 2]> : tensor<5xi8>, gaps = dense<[0, 0, 0, 1, 73]> : tensor<5xi8>, num_entries = 7 : i64, pointers = dense<[0, 2, 4, 5, 7]> : tensor<5xi32>, values = dense<[6, 0, 0, 64]> : tensor<4xi8>} : !dc.compressed<tensor<3x4xf32>, #dc.encoding<format = csc, bits = 2, index_bits = 2, entropy = ans>>
  %d = dc.decompress %c : !dc.compressed<tensor<3x4xf32>, #dc.encoding<format = csc, bits = 2, index_bits = 2, entropy = ans>> -> tensor<3x4xf32>
  return %d : tensor<3x4xf32>
}

// -----

func.func @huffman_lengths() -> tensor<3x4xf32> {
  // expected-error@+1 {{code tables are only allowed with Huffman coding}}
  %c = dc.constant {codebook = dense<[0.000000e+00, 1.000000e+00, 2.000000e+00]> : tensor<3xf32>, gap_code_lengths = dense<[33, 4, 0, -124, 2]> : tensor<5xi8>, gaps = dense<[0, 0, 0, 1, 73]> : tensor<5xi8>, num_entries = 7 : i64, pointers = dense<[0, 2, 4, 5, 7]> : tensor<5xi32>, value_ans_table = dense<[32, 4, 0, -96]> : tensor<4xi8>, values = dense<[6, 0, 0, 64]> : tensor<4xi8>} : !dc.compressed<tensor<3x4xf32>, #dc.encoding<format = csc, bits = 2, index_bits = 2, entropy = ans>>
  %d = dc.decompress %c : !dc.compressed<tensor<3x4xf32>, #dc.encoding<format = csc, bits = 2, index_bits = 2, entropy = ans>> -> tensor<3x4xf32>
  return %d : tensor<3x4xf32>
}

// -----

func.func @table_trailing() -> tensor<3x4xf32> {
  // expected-error@+1 {{invalid value rANS table: rANS table has trailing bytes}}
  %c = dc.constant {codebook = dense<[0.000000e+00, 1.000000e+00, 2.000000e+00]> : tensor<3xf32>, gap_ans_table = dense<[33, 4, 0, -124, 2]> : tensor<5xi8>, gaps = dense<[0, 0, 0, 1, 73]> : tensor<5xi8>, num_entries = 7 : i64, pointers = dense<[0, 2, 4, 5, 7]> : tensor<5xi32>, value_ans_table = dense<[32, 4, 0, -96, 0]> : tensor<5xi8>, values = dense<[6, 0, 0, 64]> : tensor<4xi8>} : !dc.compressed<tensor<3x4xf32>, #dc.encoding<format = csc, bits = 2, index_bits = 2, entropy = ans>>
  %d = dc.decompress %c : !dc.compressed<tensor<3x4xf32>, #dc.encoding<format = csc, bits = 2, index_bits = 2, entropy = ans>> -> tensor<3x4xf32>
  return %d : tensor<3x4xf32>
}

// -----

func.func @gap_table_sum() -> tensor<3x4xf32> {
  // expected-error@+1 {{invalid gap rANS table: rANS frequency exceeds the table total}}
  %c = dc.constant {codebook = dense<[0.000000e+00, 1.000000e+00, 2.000000e+00]> : tensor<3xf32>, gap_ans_table = dense<[33, 4, 0, -124, 3]> : tensor<5xi8>, gaps = dense<[0, 0, 0, 1, 73]> : tensor<5xi8>, num_entries = 7 : i64, pointers = dense<[0, 2, 4, 5, 7]> : tensor<5xi32>, value_ans_table = dense<[32, 4, 0, -96]> : tensor<4xi8>, values = dense<[6, 0, 0, 64]> : tensor<4xi8>} : !dc.compressed<tensor<3x4xf32>, #dc.encoding<format = csc, bits = 2, index_bits = 2, entropy = ans>>
  %d = dc.decompress %c : !dc.compressed<tensor<3x4xf32>, #dc.encoding<format = csc, bits = 2, index_bits = 2, entropy = ans>> -> tensor<3x4xf32>
  return %d : tensor<3x4xf32>
}

// -----

func.func @ans_tables_with_huffman() -> tensor<3x4xf32> {
  // expected-error@+1 {{rANS tables are only allowed with rANS coding}}
  %c = dc.constant {codebook = dense<[0.000000e+00, 1.000000e+00, 2.000000e+00]> : tensor<3xf32>, gap_ans_table = dense<[33, 4, 0, -124, 2]> : tensor<5xi8>, gaps = dense<[0, 0, 0, 1, 73]> : tensor<5xi8>, num_entries = 7 : i64, pointers = dense<[0, 2, 4, 5, 7]> : tensor<5xi32>, value_ans_table = dense<[32, 4, 0, -96]> : tensor<4xi8>, values = dense<[6, 0, 0, 64]> : tensor<4xi8>} : !dc.compressed<tensor<3x4xf32>, #dc.encoding<format = csc, bits = 2, index_bits = 2, entropy = huffman>>
  %d = dc.decompress %c : !dc.compressed<tensor<3x4xf32>, #dc.encoding<format = csc, bits = 2, index_bits = 2, entropy = huffman>> -> tensor<3x4xf32>
  return %d : tensor<3x4xf32>
}
