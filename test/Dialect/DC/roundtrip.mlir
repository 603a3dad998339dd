// Every encoding round-trips through custom text, generic form and bytecode.
// RUN: dc-opt %s | dc-opt | FileCheck %s
// RUN: dc-opt %s -mlir-print-op-generic | dc-opt | FileCheck %s
// RUN: dc-opt %s -emit-bytecode | dc-opt | FileCheck %s

// CHECK-LABEL: func @codebook_dense
// CHECK: %[[C:.+]] = dc.constant {codebook = dense<[0.000000e+00, -1.000000e+00, 1.000000e+00, 2.000000e+00]> : tensor<4xf32>, num_entries = 4 : i64, values = dense<-40> : tensor<1xi8>} : !dc.compressed<tensor<2x2xf32>, #dc.encoding<format = dense, bits = 2>>
// CHECK: dc.decompress %[[C]] : !dc.compressed<tensor<2x2xf32>, #dc.encoding<format = dense, bits = 2>> -> tensor<2x2xf32>
func.func @codebook_dense() -> tensor<2x2xf32> {
  %c = dc.constant {codebook = dense<[0.0, -1.0, 1.0, 2.0]> : tensor<4xf32>, values = dense<[-40]> : tensor<1xi8>, num_entries = 4 : i64} : !dc.compressed<tensor<2x2xf32>, #dc.encoding<format = dense, bits = 2>>
  %d = dc.decompress %c : !dc.compressed<tensor<2x2xf32>, #dc.encoding<format = dense, bits = 2>> -> tensor<2x2xf32>
  return %d : tensor<2x2xf32>
}

// CHECK-LABEL: func @codebook_dense_huffman
// CHECK: value_code_lengths = dense<2> : tensor<4xi8>
// CHECK-SAME: #dc.encoding<format = dense, bits = 2, entropy = huffman>
func.func @codebook_dense_huffman() -> tensor<2x2xf32> {
  %c = dc.constant {codebook = dense<[0.0, -1.0, 1.0, 2.0]> : tensor<4xf32>, values = dense<[-28]> : tensor<1xi8>, value_code_lengths = dense<[2, 2, 2, 2]> : tensor<4xi8>, num_entries = 4 : i64} : !dc.compressed<tensor<2x2xf32>, #dc.encoding<format = dense, bits = 2, entropy = huffman>>
  %d = dc.decompress %c : !dc.compressed<tensor<2x2xf32>, #dc.encoding<format = dense, bits = 2, entropy = huffman>> -> tensor<2x2xf32>
  return %d : tensor<2x2xf32>
}

// CHECK-LABEL: func @csc
// CHECK: gaps = dense<1> : tensor<1xi8>
// CHECK-SAME: pointers = dense<[0, 1, 2]> : tensor<3xi32>
// CHECK-SAME: #dc.encoding<format = csc, bits = 2, index_bits = 2>
func.func @csc() -> tensor<2x2xf32> {
  %c = dc.constant {codebook = dense<[0.0, -1.0, 1.0, 2.0]> : tensor<4xf32>, pointers = dense<[0, 1, 2]> : tensor<3xi32>, values = dense<[9]> : tensor<1xi8>, gaps = dense<[1]> : tensor<1xi8>, num_entries = 2 : i64} : !dc.compressed<tensor<2x2xf32>, #dc.encoding<format = csc, bits = 2, index_bits = 2>>
  %d = dc.decompress %c : !dc.compressed<tensor<2x2xf32>, #dc.encoding<format = csc, bits = 2, index_bits = 2>> -> tensor<2x2xf32>
  return %d : tensor<2x2xf32>
}

// CHECK-LABEL: func @csr_filler
// CHECK: dc.constant {{.*}} #dc.encoding<format = csr, bits = 2, index_bits = 2>
func.func @csr_filler() -> tensor<1x6xf32> {
  %c = dc.constant {codebook = dense<[0.0, -1.0, 1.0, 2.0]> : tensor<4xf32>, pointers = dense<[0, 2]> : tensor<2xi32>, values = dense<[12]> : tensor<1xi8>, gaps = dense<[7]> : tensor<1xi8>, num_entries = 2 : i64} : !dc.compressed<tensor<1x6xf32>, #dc.encoding<format = csr, bits = 2, index_bits = 2>>
  %d = dc.decompress %c : !dc.compressed<tensor<1x6xf32>, #dc.encoding<format = csr, bits = 2, index_bits = 2>> -> tensor<1x6xf32>
  return %d : tensor<1x6xf32>
}

// CHECK-LABEL: func @raw_csc
// CHECK: dc.constant {{.*}} #dc.encoding<format = csc, bits = 32, index_bits = 2>
func.func @raw_csc() -> tensor<2x1xf32> {
  %c = dc.constant {pointers = dense<[0, 1]> : tensor<2xi32>, values = dense<[0, 0, -64, 63]> : tensor<4xi8>, gaps = dense<[1]> : tensor<1xi8>, num_entries = 1 : i64} : !dc.compressed<tensor<2x1xf32>, #dc.encoding<format = csc, bits = 32, index_bits = 2>>
  %d = dc.decompress %c : !dc.compressed<tensor<2x1xf32>, #dc.encoding<format = csc, bits = 32, index_bits = 2>> -> tensor<2x1xf32>
  return %d : tensor<2x1xf32>
}

// CHECK-LABEL: func @csc_huffman_resource
// CHECK: values = dense_resource<[[BLOB:.+]]> : tensor<1xi8>
// CHECK-SAME: #dc.encoding<format = csc, bits = 2, index_bits = 2, entropy = huffman>
// CHECK: dc.matvec
// CHECK: dc.matmul {{.*}} {transpose_w}
func.func @csc_huffman_resource(%x: tensor<2xf32>, %xs: tensor<2x3xf32>) -> (tensor<2xf32>, tensor<2x3xf32>) {
  %c = dc.constant {codebook = dense<[0.0, -1.0, 1.0, 2.0]> : tensor<4xf32>, pointers = dense<[0, 1, 2]> : tensor<3xi32>, values = dense_resource<csc_values> : tensor<1xi8>, gaps = dense<[1]> : tensor<1xi8>, value_code_lengths = dense<[0, 1, 1]> : tensor<3xi8>, gap_code_lengths = dense<[1, 1]> : tensor<2xi8>, num_entries = 2 : i64} : !dc.compressed<tensor<2x2xf32>, #dc.encoding<format = csc, bits = 2, index_bits = 2, entropy = huffman>>
  %y_init = tensor.empty() : tensor<2xf32>
  %y = dc.matvec %c, %x outs(%y_init) : !dc.compressed<tensor<2x2xf32>, #dc.encoding<format = csc, bits = 2, index_bits = 2, entropy = huffman>>, tensor<2xf32>, tensor<2xf32> -> tensor<2xf32>
  %ys_init = tensor.empty() : tensor<2x3xf32>
  %ys = dc.matmul %c, %xs outs(%ys_init) {transpose_w} : !dc.compressed<tensor<2x2xf32>, #dc.encoding<format = csc, bits = 2, index_bits = 2, entropy = huffman>>, tensor<2x3xf32>, tensor<2x3xf32> -> tensor<2x3xf32>
  return %y, %ys : tensor<2xf32>, tensor<2x3xf32>
}

// After bufferization: the memref form writes `outs` and has no result.
// CHECK-LABEL: func @on_buffers
// CHECK: dc.matvec %{{.+}}, %arg0 outs(%arg1) : !dc.compressed<tensor<2x2xf32>, {{.+}}>, memref<2xf32, strided<[1], offset: ?>>, memref<2xf32>
// CHECK: dc.matmul %{{.+}}, %arg2 outs(%arg3) {groups = 2 : i64} : !dc.compressed<tensor<2x2xf32>, {{.+}}>, memref<4x3xf32>, memref<2x3xf32>
func.func @on_buffers(%x: memref<2xf32, strided<[1], offset: ?>>, %y: memref<2xf32>, %xs: memref<4x3xf32>, %ys: memref<2x3xf32>) {
  %c = dc.constant {codebook = dense<[0.0, -1.0, 1.0, 2.0]> : tensor<4xf32>, pointers = dense<[0, 1, 2]> : tensor<3xi32>, values = dense_resource<csc_values> : tensor<1xi8>, gaps = dense<[1]> : tensor<1xi8>, value_code_lengths = dense<[0, 1, 1]> : tensor<3xi8>, gap_code_lengths = dense<[1, 1]> : tensor<2xi8>, num_entries = 2 : i64} : !dc.compressed<tensor<2x2xf32>, #dc.encoding<format = csc, bits = 2, index_bits = 2, entropy = huffman>>
  dc.matvec %c, %x outs(%y) : !dc.compressed<tensor<2x2xf32>, #dc.encoding<format = csc, bits = 2, index_bits = 2, entropy = huffman>>, memref<2xf32, strided<[1], offset: ?>>, memref<2xf32>
  dc.matmul %c, %xs outs(%ys) {groups = 2} : !dc.compressed<tensor<2x2xf32>, #dc.encoding<format = csc, bits = 2, index_bits = 2, entropy = huffman>>, memref<4x3xf32>, memref<2x3xf32>
  return
}

// CHECK: dialect_resources
// CHECK: [[BLOB]]: "0x0100000002"
{-#
  dialect_resources: {
    builtin: {
      csc_values: "0x0100000002"
    }
  }
#-}
