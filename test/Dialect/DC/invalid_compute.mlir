// Every diagnostic of dc.matvec, dc.matmul and dc.decompress.
// RUN: dc-opt %s -split-input-file -verify-diagnostics

func.func @matvec_rank(%x: tensor<3xf32>) {
  %c = dc.constant {codebook = dense<[0.0, -1.0, 1.0, 2.0]> : tensor<4xf32>, pointers = dense<[0, 1, 1, 2]> : tensor<4xi32>, values = dense<[9]> : tensor<1xi8>, gaps = dense<[1]> : tensor<1xi8>, num_entries = 2 : i64} : !dc.compressed<tensor<2x3x1xf32>, #dc.encoding<format = csc, bits = 2, index_bits = 2>>
  // expected-error@+1 {{'dc.matvec' op weight must be a compressed matrix, got rank 3}}
  %y = dc.matvec %c, %x : !dc.compressed<tensor<2x3x1xf32>, #dc.encoding<format = csc, bits = 2, index_bits = 2>>, tensor<3xf32> -> tensor<2xf32>
  return
}

// -----

func.func @matvec_f64(%x: tensor<3xf64>) {
  %c = dc.constant {codebook = dense<[0.0, -1.0, 1.0, 2.0]> : tensor<4xf32>, pointers = dense<[0, 1, 1, 2]> : tensor<4xi32>, values = dense<[9]> : tensor<1xi8>, gaps = dense<[1]> : tensor<1xi8>, num_entries = 2 : i64} : !dc.compressed<tensor<2x3xf32>, #dc.encoding<format = csc, bits = 2, index_bits = 2>>
  // expected-error@+1 {{'dc.matvec' op input and result must have f32 elements}}
  %y = dc.matvec %c, %x : !dc.compressed<tensor<2x3xf32>, #dc.encoding<format = csc, bits = 2, index_bits = 2>>, tensor<3xf64> -> tensor<2xf32>
  return
}

// -----

func.func @matvec_input_rank(%x: tensor<3x1xf32>) {
  %c = dc.constant {codebook = dense<[0.0, -1.0, 1.0, 2.0]> : tensor<4xf32>, pointers = dense<[0, 1, 1, 2]> : tensor<4xi32>, values = dense<[9]> : tensor<1xi8>, gaps = dense<[1]> : tensor<1xi8>, num_entries = 2 : i64} : !dc.compressed<tensor<2x3xf32>, #dc.encoding<format = csc, bits = 2, index_bits = 2>>
  // expected-error@+1 {{'dc.matvec' op input and result must have rank 1}}
  %y = dc.matvec %c, %x : !dc.compressed<tensor<2x3xf32>, #dc.encoding<format = csc, bits = 2, index_bits = 2>>, tensor<3x1xf32> -> tensor<2xf32>
  return
}

// -----

func.func @matvec_k(%x: tensor<2xf32>) {
  %c = dc.constant {codebook = dense<[0.0, -1.0, 1.0, 2.0]> : tensor<4xf32>, pointers = dense<[0, 1, 1, 2]> : tensor<4xi32>, values = dense<[9]> : tensor<1xi8>, gaps = dense<[1]> : tensor<1xi8>, num_entries = 2 : i64} : !dc.compressed<tensor<2x3xf32>, #dc.encoding<format = csc, bits = 2, index_bits = 2>>
  // expected-error@+1 {{'dc.matvec' op input has 2 rows but the weight has 3 columns}}
  %y = dc.matvec %c, %x : !dc.compressed<tensor<2x3xf32>, #dc.encoding<format = csc, bits = 2, index_bits = 2>>, tensor<2xf32> -> tensor<2xf32>
  return
}

// -----

func.func @matvec_m(%x: tensor<3xf32>) {
  %c = dc.constant {codebook = dense<[0.0, -1.0, 1.0, 2.0]> : tensor<4xf32>, pointers = dense<[0, 1, 1, 2]> : tensor<4xi32>, values = dense<[9]> : tensor<1xi8>, gaps = dense<[1]> : tensor<1xi8>, num_entries = 2 : i64} : !dc.compressed<tensor<2x3xf32>, #dc.encoding<format = csc, bits = 2, index_bits = 2>>
  // expected-error@+1 {{'dc.matvec' op result has 3 rows but the weight has 2 rows}}
  %y = dc.matvec %c, %x : !dc.compressed<tensor<2x3xf32>, #dc.encoding<format = csc, bits = 2, index_bits = 2>>, tensor<3xf32> -> tensor<3xf32>
  return
}

// -----

func.func @matvec_transposed(%x: tensor<3xf32>) {
  %c = dc.constant {codebook = dense<[0.0, -1.0, 1.0, 2.0]> : tensor<4xf32>, pointers = dense<[0, 1, 1, 2]> : tensor<4xi32>, values = dense<[9]> : tensor<1xi8>, gaps = dense<[1]> : tensor<1xi8>, num_entries = 2 : i64} : !dc.compressed<tensor<2x3xf32>, #dc.encoding<format = csc, bits = 2, index_bits = 2>>
  // expected-error@+1 {{'dc.matvec' op input has 3 rows but the weight has 2 columns}}
  %y = dc.matvec %c, %x {transpose_w} : !dc.compressed<tensor<2x3xf32>, #dc.encoding<format = csc, bits = 2, index_bits = 2>>, tensor<3xf32> -> tensor<2xf32>
  return
}

// -----

func.func @matmul_rank(%x: tensor<3xf32>) {
  %c = dc.constant {codebook = dense<[0.0, -1.0, 1.0, 2.0]> : tensor<4xf32>, pointers = dense<[0, 1, 1, 2]> : tensor<4xi32>, values = dense<[9]> : tensor<1xi8>, gaps = dense<[1]> : tensor<1xi8>, num_entries = 2 : i64} : !dc.compressed<tensor<2x3xf32>, #dc.encoding<format = csc, bits = 2, index_bits = 2>>
  // expected-error@+1 {{'dc.matmul' op input and result must have rank 2}}
  %y = dc.matmul %c, %x : !dc.compressed<tensor<2x3xf32>, #dc.encoding<format = csc, bits = 2, index_bits = 2>>, tensor<3xf32> -> tensor<2x4xf32>
  return
}

// -----

func.func @matmul_k(%x: tensor<4x4xf32>) {
  %c = dc.constant {codebook = dense<[0.0, -1.0, 1.0, 2.0]> : tensor<4xf32>, pointers = dense<[0, 1, 1, 2]> : tensor<4xi32>, values = dense<[9]> : tensor<1xi8>, gaps = dense<[1]> : tensor<1xi8>, num_entries = 2 : i64} : !dc.compressed<tensor<2x3xf32>, #dc.encoding<format = csc, bits = 2, index_bits = 2>>
  // expected-error@+1 {{'dc.matmul' op input has 4 rows but the weight has 3 columns}}
  %y = dc.matmul %c, %x : !dc.compressed<tensor<2x3xf32>, #dc.encoding<format = csc, bits = 2, index_bits = 2>>, tensor<4x4xf32> -> tensor<2x4xf32>
  return
}

// -----

func.func @matmul_m(%x: tensor<3x4xf32>) {
  %c = dc.constant {codebook = dense<[0.0, -1.0, 1.0, 2.0]> : tensor<4xf32>, pointers = dense<[0, 1, 1, 2]> : tensor<4xi32>, values = dense<[9]> : tensor<1xi8>, gaps = dense<[1]> : tensor<1xi8>, num_entries = 2 : i64} : !dc.compressed<tensor<2x3xf32>, #dc.encoding<format = csc, bits = 2, index_bits = 2>>
  // expected-error@+1 {{'dc.matmul' op result has 5 rows but the weight has 2 rows}}
  %y = dc.matmul %c, %x : !dc.compressed<tensor<2x3xf32>, #dc.encoding<format = csc, bits = 2, index_bits = 2>>, tensor<3x4xf32> -> tensor<5x4xf32>
  return
}

// -----

func.func @matmul_n(%x: tensor<3x4xf32>) {
  %c = dc.constant {codebook = dense<[0.0, -1.0, 1.0, 2.0]> : tensor<4xf32>, pointers = dense<[0, 1, 1, 2]> : tensor<4xi32>, values = dense<[9]> : tensor<1xi8>, gaps = dense<[1]> : tensor<1xi8>, num_entries = 2 : i64} : !dc.compressed<tensor<2x3xf32>, #dc.encoding<format = csc, bits = 2, index_bits = 2>>
  // expected-error@+1 {{'dc.matmul' op input and result must have the same number of columns}}
  %y = dc.matmul %c, %x : !dc.compressed<tensor<2x3xf32>, #dc.encoding<format = csc, bits = 2, index_bits = 2>>, tensor<3x4xf32> -> tensor<2x5xf32>
  return
}

// -----

func.func @decompress_type() {
  %c = dc.constant {codebook = dense<[0.0, -1.0, 1.0, 2.0]> : tensor<4xf32>, pointers = dense<[0, 1, 1, 2]> : tensor<4xi32>, values = dense<[9]> : tensor<1xi8>, gaps = dense<[1]> : tensor<1xi8>, num_entries = 2 : i64} : !dc.compressed<tensor<2x3xf32>, #dc.encoding<format = csc, bits = 2, index_bits = 2>>
  // expected-error@+1 {{'dc.decompress' op failed to verify that result is the tensor type of the compressed input}}
  %y = dc.decompress %c : !dc.compressed<tensor<2x3xf32>, #dc.encoding<format = csc, bits = 2, index_bits = 2>> -> tensor<3x2xf32>
  return
}
