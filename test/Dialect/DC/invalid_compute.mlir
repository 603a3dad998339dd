// Every diagnostic of dc.matvec, dc.matmul and dc.decompress.
// RUN: dc-opt %s -split-input-file -verify-diagnostics

func.func @matvec_rank(%x: tensor<3xf32>) {
  %c = dc.constant {codebook = dense<[0.0, -1.0, 1.0, 2.0]> : tensor<4xf32>, pointers = dense<[0, 1, 1, 2]> : tensor<4xi32>, values = dense<[9]> : tensor<1xi8>, gaps = dense<[1]> : tensor<1xi8>, num_entries = 2 : i64} : !dc.compressed<tensor<2x3x1xf32>, #dc.encoding<format = csc, bits = 2, index_bits = 2>>
  %y_init = tensor.empty() : tensor<2xf32>
  // expected-error@+1 {{'dc.matvec' op weight must be a compressed matrix, got rank 3}}
  %y = dc.matvec %c, %x outs(%y_init) : !dc.compressed<tensor<2x3x1xf32>, #dc.encoding<format = csc, bits = 2, index_bits = 2>>, tensor<3xf32>, tensor<2xf32> -> tensor<2xf32>
  return
}

// -----

func.func @matvec_f64(%x: tensor<3xf64>) {
  %c = dc.constant {codebook = dense<[0.0, -1.0, 1.0, 2.0]> : tensor<4xf32>, pointers = dense<[0, 1, 1, 2]> : tensor<4xi32>, values = dense<[9]> : tensor<1xi8>, gaps = dense<[1]> : tensor<1xi8>, num_entries = 2 : i64} : !dc.compressed<tensor<2x3xf32>, #dc.encoding<format = csc, bits = 2, index_bits = 2>>
  %y_init = tensor.empty() : tensor<2xf32>
  // expected-error@+1 {{'dc.matvec' op input and outs must have f32 elements}}
  %y = dc.matvec %c, %x outs(%y_init) : !dc.compressed<tensor<2x3xf32>, #dc.encoding<format = csc, bits = 2, index_bits = 2>>, tensor<3xf64>, tensor<2xf32> -> tensor<2xf32>
  return
}

// -----

func.func @matvec_input_rank(%x: tensor<3x1xf32>) {
  %c = dc.constant {codebook = dense<[0.0, -1.0, 1.0, 2.0]> : tensor<4xf32>, pointers = dense<[0, 1, 1, 2]> : tensor<4xi32>, values = dense<[9]> : tensor<1xi8>, gaps = dense<[1]> : tensor<1xi8>, num_entries = 2 : i64} : !dc.compressed<tensor<2x3xf32>, #dc.encoding<format = csc, bits = 2, index_bits = 2>>
  %y_init = tensor.empty() : tensor<2xf32>
  // expected-error@+1 {{'dc.matvec' op input and outs must have rank 1}}
  %y = dc.matvec %c, %x outs(%y_init) : !dc.compressed<tensor<2x3xf32>, #dc.encoding<format = csc, bits = 2, index_bits = 2>>, tensor<3x1xf32>, tensor<2xf32> -> tensor<2xf32>
  return
}

// -----

func.func @matvec_k(%x: tensor<2xf32>) {
  %c = dc.constant {codebook = dense<[0.0, -1.0, 1.0, 2.0]> : tensor<4xf32>, pointers = dense<[0, 1, 1, 2]> : tensor<4xi32>, values = dense<[9]> : tensor<1xi8>, gaps = dense<[1]> : tensor<1xi8>, num_entries = 2 : i64} : !dc.compressed<tensor<2x3xf32>, #dc.encoding<format = csc, bits = 2, index_bits = 2>>
  %y_init = tensor.empty() : tensor<2xf32>
  // expected-error@+1 {{'dc.matvec' op input has 2 rows but the weight has 3 columns}}
  %y = dc.matvec %c, %x outs(%y_init) : !dc.compressed<tensor<2x3xf32>, #dc.encoding<format = csc, bits = 2, index_bits = 2>>, tensor<2xf32>, tensor<2xf32> -> tensor<2xf32>
  return
}

// -----

func.func @matvec_m(%x: tensor<3xf32>) {
  %c = dc.constant {codebook = dense<[0.0, -1.0, 1.0, 2.0]> : tensor<4xf32>, pointers = dense<[0, 1, 1, 2]> : tensor<4xi32>, values = dense<[9]> : tensor<1xi8>, gaps = dense<[1]> : tensor<1xi8>, num_entries = 2 : i64} : !dc.compressed<tensor<2x3xf32>, #dc.encoding<format = csc, bits = 2, index_bits = 2>>
  %y_init = tensor.empty() : tensor<3xf32>
  // expected-error@+1 {{'dc.matvec' op outs has 3 rows but the weight has 2 rows}}
  %y = dc.matvec %c, %x outs(%y_init) : !dc.compressed<tensor<2x3xf32>, #dc.encoding<format = csc, bits = 2, index_bits = 2>>, tensor<3xf32>, tensor<3xf32> -> tensor<3xf32>
  return
}

// -----

func.func @matvec_transposed(%x: tensor<3xf32>) {
  %c = dc.constant {codebook = dense<[0.0, -1.0, 1.0, 2.0]> : tensor<4xf32>, pointers = dense<[0, 1, 1, 2]> : tensor<4xi32>, values = dense<[9]> : tensor<1xi8>, gaps = dense<[1]> : tensor<1xi8>, num_entries = 2 : i64} : !dc.compressed<tensor<2x3xf32>, #dc.encoding<format = csc, bits = 2, index_bits = 2>>
  %y_init = tensor.empty() : tensor<2xf32>
  // expected-error@+1 {{'dc.matvec' op input has 3 rows but the weight has 2 columns}}
  %y = dc.matvec %c, %x outs(%y_init) {transpose_w} : !dc.compressed<tensor<2x3xf32>, #dc.encoding<format = csc, bits = 2, index_bits = 2>>, tensor<3xf32>, tensor<2xf32> -> tensor<2xf32>
  return
}

// -----

func.func @matmul_rank(%x: tensor<3xf32>) {
  %c = dc.constant {codebook = dense<[0.0, -1.0, 1.0, 2.0]> : tensor<4xf32>, pointers = dense<[0, 1, 1, 2]> : tensor<4xi32>, values = dense<[9]> : tensor<1xi8>, gaps = dense<[1]> : tensor<1xi8>, num_entries = 2 : i64} : !dc.compressed<tensor<2x3xf32>, #dc.encoding<format = csc, bits = 2, index_bits = 2>>
  %y_init = tensor.empty() : tensor<2x4xf32>
  // expected-error@+1 {{'dc.matmul' op input and outs must have rank 2}}
  %y = dc.matmul %c, %x outs(%y_init) : !dc.compressed<tensor<2x3xf32>, #dc.encoding<format = csc, bits = 2, index_bits = 2>>, tensor<3xf32>, tensor<2x4xf32> -> tensor<2x4xf32>
  return
}

// -----

func.func @matmul_k(%x: tensor<4x4xf32>) {
  %c = dc.constant {codebook = dense<[0.0, -1.0, 1.0, 2.0]> : tensor<4xf32>, pointers = dense<[0, 1, 1, 2]> : tensor<4xi32>, values = dense<[9]> : tensor<1xi8>, gaps = dense<[1]> : tensor<1xi8>, num_entries = 2 : i64} : !dc.compressed<tensor<2x3xf32>, #dc.encoding<format = csc, bits = 2, index_bits = 2>>
  %y_init = tensor.empty() : tensor<2x4xf32>
  // expected-error@+1 {{'dc.matmul' op input has 4 rows but the weight has 3 columns}}
  %y = dc.matmul %c, %x outs(%y_init) : !dc.compressed<tensor<2x3xf32>, #dc.encoding<format = csc, bits = 2, index_bits = 2>>, tensor<4x4xf32>, tensor<2x4xf32> -> tensor<2x4xf32>
  return
}

// -----

func.func @matmul_m(%x: tensor<3x4xf32>) {
  %c = dc.constant {codebook = dense<[0.0, -1.0, 1.0, 2.0]> : tensor<4xf32>, pointers = dense<[0, 1, 1, 2]> : tensor<4xi32>, values = dense<[9]> : tensor<1xi8>, gaps = dense<[1]> : tensor<1xi8>, num_entries = 2 : i64} : !dc.compressed<tensor<2x3xf32>, #dc.encoding<format = csc, bits = 2, index_bits = 2>>
  %y_init = tensor.empty() : tensor<5x4xf32>
  // expected-error@+1 {{'dc.matmul' op outs has 5 rows but the weight has 2 rows}}
  %y = dc.matmul %c, %x outs(%y_init) : !dc.compressed<tensor<2x3xf32>, #dc.encoding<format = csc, bits = 2, index_bits = 2>>, tensor<3x4xf32>, tensor<5x4xf32> -> tensor<5x4xf32>
  return
}

// -----

func.func @matmul_n(%x: tensor<3x4xf32>) {
  %c = dc.constant {codebook = dense<[0.0, -1.0, 1.0, 2.0]> : tensor<4xf32>, pointers = dense<[0, 1, 1, 2]> : tensor<4xi32>, values = dense<[9]> : tensor<1xi8>, gaps = dense<[1]> : tensor<1xi8>, num_entries = 2 : i64} : !dc.compressed<tensor<2x3xf32>, #dc.encoding<format = csc, bits = 2, index_bits = 2>>
  %y_init = tensor.empty() : tensor<2x5xf32>
  // expected-error@+1 {{'dc.matmul' op input and outs must have the same number of columns}}
  %y = dc.matmul %c, %x outs(%y_init) : !dc.compressed<tensor<2x3xf32>, #dc.encoding<format = csc, bits = 2, index_bits = 2>>, tensor<3x4xf32>, tensor<2x5xf32> -> tensor<2x5xf32>
  return
}

// -----

func.func @decompress_type() {
  %c = dc.constant {codebook = dense<[0.0, -1.0, 1.0, 2.0]> : tensor<4xf32>, pointers = dense<[0, 1, 1, 2]> : tensor<4xi32>, values = dense<[9]> : tensor<1xi8>, gaps = dense<[1]> : tensor<1xi8>, num_entries = 2 : i64} : !dc.compressed<tensor<2x3xf32>, #dc.encoding<format = csc, bits = 2, index_bits = 2>>
  // expected-error@+1 {{'dc.decompress' op failed to verify that result is the tensor type of the compressed input}}
  %y = dc.decompress %c : !dc.compressed<tensor<2x3xf32>, #dc.encoding<format = csc, bits = 2, index_bits = 2>> -> tensor<3x2xf32>
  return
}

// -----
// `outs` (destination-passing): its shape, element type and kind must fit,
// and on tensors the result is `outs`' type.

!W = !dc.compressed<tensor<2x3xf32>, #dc.encoding<format = csc, bits = 2, index_bits = 2>>
func.func @outs_rows(%x: tensor<3xf32>, %o: tensor<4xf32>) {
  %c = dc.constant {codebook = dense<[0.0, -1.0, 1.0, 2.0]> : tensor<4xf32>, pointers = dense<[0, 1, 1, 2]> : tensor<4xi32>, values = dense<[9]> : tensor<1xi8>, gaps = dense<[1]> : tensor<1xi8>, num_entries = 2 : i64} : !W
  // expected-error@+1 {{'dc.matvec' op outs has 4 rows but the weight has 2 rows}}
  %y = dc.matvec %c, %x outs(%o) : !W, tensor<3xf32>, tensor<4xf32> -> tensor<4xf32>
  return
}

// -----

!W = !dc.compressed<tensor<2x3xf32>, #dc.encoding<format = csc, bits = 2, index_bits = 2>>
func.func @outs_f16(%x: tensor<3xf32>, %o: tensor<2xf16>) {
  %c = dc.constant {codebook = dense<[0.0, -1.0, 1.0, 2.0]> : tensor<4xf32>, pointers = dense<[0, 1, 1, 2]> : tensor<4xi32>, values = dense<[9]> : tensor<1xi8>, gaps = dense<[1]> : tensor<1xi8>, num_entries = 2 : i64} : !W
  // expected-error@+1 {{'dc.matvec' op input and outs must have f32 elements}}
  %y = dc.matvec %c, %x outs(%o) : !W, tensor<3xf32>, tensor<2xf16> -> tensor<2xf16>
  return
}

// -----

!W = !dc.compressed<tensor<2x3xf32>, #dc.encoding<format = csc, bits = 2, index_bits = 2>>
func.func @outs_rank(%x: tensor<3x4xf32>, %o: tensor<8xf32>) {
  %c = dc.constant {codebook = dense<[0.0, -1.0, 1.0, 2.0]> : tensor<4xf32>, pointers = dense<[0, 1, 1, 2]> : tensor<4xi32>, values = dense<[9]> : tensor<1xi8>, gaps = dense<[1]> : tensor<1xi8>, num_entries = 2 : i64} : !W
  // expected-error@+1 {{'dc.matmul' op input and outs must have rank 2}}
  %y = dc.matmul %c, %x outs(%o) : !W, tensor<3x4xf32>, tensor<8xf32> -> tensor<8xf32>
  return
}

// -----

!W = !dc.compressed<tensor<2x3xf32>, #dc.encoding<format = csc, bits = 2, index_bits = 2>>
func.func @outs_columns_memref(%x: memref<3x4xf32>, %o: memref<2x3xf32>) {
  %c = dc.constant {codebook = dense<[0.0, -1.0, 1.0, 2.0]> : tensor<4xf32>, pointers = dense<[0, 1, 1, 2]> : tensor<4xi32>, values = dense<[9]> : tensor<1xi8>, gaps = dense<[1]> : tensor<1xi8>, num_entries = 2 : i64} : !W
  // expected-error@+1 {{'dc.matmul' op input and outs must have the same number of columns, got 4 and 3}}
  dc.matmul %c, %x outs(%o) : !W, memref<3x4xf32>, memref<2x3xf32>
  return
}

// -----

!W = !dc.compressed<tensor<2x3xf32>, #dc.encoding<format = csc, bits = 2, index_bits = 2>>
func.func @outs_result_type(%x: tensor<3xf32>, %o: tensor<2xf32>) {
  %c = dc.constant {codebook = dense<[0.0, -1.0, 1.0, 2.0]> : tensor<4xf32>, pointers = dense<[0, 1, 1, 2]> : tensor<4xi32>, values = dense<[9]> : tensor<1xi8>, gaps = dense<[1]> : tensor<1xi8>, num_entries = 2 : i64} : !W
  // expected-error@+1 {{'dc.matvec' op expected type of operand #2 ('tensor<2xf32>') to match type of corresponding result ('tensor<?xf32>')}}
  %y = dc.matvec %c, %x outs(%o) : !W, tensor<3xf32>, tensor<2xf32> -> tensor<?xf32>
  return
}

// -----

!W = !dc.compressed<tensor<2x3xf32>, #dc.encoding<format = csc, bits = 2, index_bits = 2>>
func.func @outs_memref_result(%x: memref<3xf32>, %o: memref<2xf32>) {
  %c = dc.constant {codebook = dense<[0.0, -1.0, 1.0, 2.0]> : tensor<4xf32>, pointers = dense<[0, 1, 1, 2]> : tensor<4xi32>, values = dense<[9]> : tensor<1xi8>, gaps = dense<[1]> : tensor<1xi8>, num_entries = 2 : i64} : !W
  // expected-error@+1 {{'dc.matvec' op expected the number of tensor results (1) to be equal to the number of output tensors (0)}}
  %y = dc.matvec %c, %x outs(%o) : !W, memref<3xf32>, memref<2xf32> -> tensor<2xf32>
  return
}

// -----

!W = !dc.compressed<tensor<2x3xf32>, #dc.encoding<format = csc, bits = 2, index_bits = 2>>
func.func @outs_tensor_no_result(%x: tensor<3xf32>, %o: tensor<2xf32>) {
  %c = dc.constant {codebook = dense<[0.0, -1.0, 1.0, 2.0]> : tensor<4xf32>, pointers = dense<[0, 1, 1, 2]> : tensor<4xi32>, values = dense<[9]> : tensor<1xi8>, gaps = dense<[1]> : tensor<1xi8>, num_entries = 2 : i64} : !W
  // expected-error@+1 {{'dc.matvec' op expected the number of tensor results (0) to be equal to the number of output tensors (1)}}
  dc.matvec %c, %x outs(%o) : !W, tensor<3xf32>, tensor<2xf32>
  return
}

// -----

!W = !dc.compressed<tensor<2x3xf32>, #dc.encoding<format = csc, bits = 2, index_bits = 2>>
func.func @outs_mixed(%x: tensor<3xf32>, %o: memref<2xf32>) {
  %c = dc.constant {codebook = dense<[0.0, -1.0, 1.0, 2.0]> : tensor<4xf32>, pointers = dense<[0, 1, 1, 2]> : tensor<4xi32>, values = dense<[9]> : tensor<1xi8>, gaps = dense<[1]> : tensor<1xi8>, num_entries = 2 : i64} : !W
  // expected-error@+1 {{'dc.matvec' op input and outs must both be tensors or both be memrefs, got 'tensor<3xf32>' and 'memref<2xf32>'}}
  dc.matvec %c, %x outs(%o) : !W, tensor<3xf32>, memref<2xf32>
  return
}

// -----

!W = !dc.compressed<tensor<2x3xf32>, #dc.encoding<format = csc, bits = 2, index_bits = 2>>
func.func @outs_not_shaped(%x: tensor<3xf32>, %o: f32) {
  %c = dc.constant {codebook = dense<[0.0, -1.0, 1.0, 2.0]> : tensor<4xf32>, pointers = dense<[0, 1, 1, 2]> : tensor<4xi32>, values = dense<[9]> : tensor<1xi8>, gaps = dense<[1]> : tensor<1xi8>, num_entries = 2 : i64} : !W
  // expected-error@+1 {{'dc.matvec' op operand #2 must be ranked tensor or memref, but got 'f32'}}
  %y = dc.matvec %c, %x outs(%o) : !W, tensor<3xf32>, f32 -> f32
  return
}
