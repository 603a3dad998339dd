// RUN: dc-opt %s -split-input-file --dc-lower-decompress | FileCheck %s
// RUN: dc-opt %s -split-input-file --dc-lower-decompress=decode-once=false | FileCheck %s --check-prefix=ALLOC

// Fixed-width codebook indices, decoded once into a global buffer.
// CHECK-DAG: memref.global "private" constant @[[VALUES:__dc_w0_values]] : memref<9xi8> = dense<[-40, 0, 0, 0, 0, 0, 0, 0, 0]>
// CHECK-DAG: memref.global "private" constant @[[CB:__dc_w0_codebook]] : memref<4xf32> = dense<[0.000000e+00, -1.000000e+00, 1.000000e+00, 2.000000e+00]>
// CHECK-DAG: memref.global "private" @[[DENSE:__dc_w0_dense]] : memref<2x2xf32> = uninitialized
// CHECK-DAG: memref.global "private" @[[READY:__dc_w0_ready]] : memref<i32> = dense<0>
// CHECK-LABEL: func @codebook_dense
// CHECK-NOT: dc.
// CHECK: call @[[INIT:__dc_w0_init]]()
// CHECK: %[[RES:.+]] = memref.get_global @[[DENSE]] : memref<2x2xf32>
// CHECK: %[[T:.+]] = bufferization.to_tensor %[[RES]] restrict : memref<2x2xf32> to tensor<2x2xf32>
// CHECK: return %[[T]]
// CHECK: func.func private @__dc_w0_init()
// The decode-once initializer (dc_init() calls it too). Decode once, safe
// for concurrent first calls: an atomic 0 -> 1 elects
// the decoding thread, which sets 2 when done; others wait for 2.
// CHECK: %[[FLAG:.+]] = memref.get_global @[[READY]] : memref<i32>
// CHECK: %[[OLD:.+]] = memref.atomic_rmw maxs %{{.+}}, %[[FLAG]][] : (i32, memref<i32>) -> i32
// CHECK: %[[FIRST:.+]] = arith.cmpi eq, %[[OLD]]
// CHECK: scf.if %[[FIRST]] {
// CHECK:   %[[BUF:.+]] = memref.get_global @[[DENSE]] : memref<2x2xf32>
// CHECK:   %[[FLAT:.+]] = memref.collapse_shape %[[BUF]] {{\[}}[0, 1]] : memref<2x2xf32> into memref<4xf32>
// CHECK:   memref.get_global @[[VALUES]] : memref<9xi8>
// CHECK:   memref.get_global @[[CB]] : memref<4xf32>
// CHECK:   scf.for %[[I:.+]] = %{{.+}} to %{{.+}} step %{{.+}} iter_args
// CHECK:     arith.muli
// CHECK:     arith.shrui
// CHECK:     arith.minui
// CHECK:     memref.load %{{.+}} : memref<9xi8>
// CHECK:     %[[W:.+]] = memref.load %{{.+}} : memref<4xf32>
// CHECK:     memref.store %[[W]], %[[FLAT]][%[[I]]] : memref<4xf32>
// CHECK:   memref.atomic_rmw assign %{{.+}}, %{{.+}}[] : (i32, memref<i32>) -> i32
// CHECK: } else {
// CHECK:   scf.while
// CHECK:     memref.atomic_rmw maxs

// ALLOC-LABEL: func @codebook_dense
// ALLOC: %[[BUF:.+]] = memref.alloc() : memref<2x2xf32>
// ALLOC: scf.for
// ALLOC: bufferization.to_tensor %[[BUF]] restrict writable : memref<2x2xf32> to tensor<2x2xf32>
func.func @codebook_dense() -> tensor<2x2xf32> {
  %c = dc.constant {codebook = dense<[0.0, -1.0, 1.0, 2.0]> : tensor<4xf32>, values = dense<[-40]> : tensor<1xi8>, num_entries = 4 : i64} : !dc.compressed<tensor<2x2xf32>, #dc.encoding<format = dense, bits = 2>>
  %d = dc.decompress %c : !dc.compressed<tensor<2x2xf32>, #dc.encoding<format = dense, bits = 2>> -> tensor<2x2xf32>
  return %d : tensor<2x2xf32>
}

// -----

// Huffman: canonical tables computed at compile time, one bit at a time in
// an scf.while with the bit cursor carried by the loop.
// CHECK-DAG: memref.global "private" constant @__dc_w0_value_code_first_code : memref<3xi32> = dense<0>
// CHECK-DAG: memref.global "private" constant @__dc_w0_value_code_count : memref<3xi32> = dense<[0, 0, 4]>
// CHECK-DAG: memref.global "private" constant @__dc_w0_value_code_symbols : memref<4xi32> = dense<[0, 1, 2, 3]>
// CHECK-LABEL: func @codebook_dense_huffman
// CHECK: scf.for %{{.+}} = %{{.+}} to %{{.+}} step %{{.+}} iter_args(%[[CUR:.+]] = %{{.+}}) -> (i64)
// CHECK:   %[[SYM:.+]]:4 = scf.while
// CHECK:     scf.condition
// CHECK:   } do {
// CHECK:     arith.shli
// CHECK:     arith.ori
// CHECK:     arith.subi
// CHECK:     arith.cmpi ult
// CHECK:     arith.select
// CHECK:     scf.yield
// CHECK:   %[[LEN:.+]] = arith.extui %[[SYM]]#0 : i32 to i64
// CHECK:   %[[NEXT:.+]] = arith.addi %[[CUR]], %[[LEN]] : i64
// CHECK:   scf.yield %[[NEXT]] : i64
func.func @codebook_dense_huffman() -> tensor<2x2xf32> {
  %c = dc.constant {codebook = dense<[0.0, -1.0, 1.0, 2.0]> : tensor<4xf32>, values = dense<[-28]> : tensor<1xi8>, value_code_lengths = dense<[2, 2, 2, 2]> : tensor<4xi8>, num_entries = 4 : i64} : !dc.compressed<tensor<2x2xf32>, #dc.encoding<format = dense, bits = 2, entropy = huffman>>
  %d = dc.decompress %c : !dc.compressed<tensor<2x2xf32>, #dc.encoding<format = dense, bits = 2, entropy = huffman>> -> tensor<2x2xf32>
  return %d : tensor<2x2xf32>
}

// -----

// CSC: zero fill, then slices (columns) and their entries; each entry lands
// at row = previous + 1 + gap, guarded against the column length.
// CHECK-DAG: memref.global "private" constant @__dc_w0_pointers : memref<3xi32> = dense<[0, 1, 2]>
// CHECK-DAG: memref.global "private" constant @__dc_w0_gaps : memref<9xi8>
// CHECK-LABEL: func @csc
// CHECK: scf.for
// CHECK:   memref.store %cst
// CHECK: scf.for %[[S:.+]] = %{{.+}} to %{{.+}} step %{{.+}} iter_args
// CHECK:   memref.load %{{.+}} : memref<3xi32>
// CHECK:   scf.for %{{.+}} = %{{.+}} to %{{.+}} step %{{.+}} iter_args(%[[POS:.+]] = %{{.+}}, %{{.+}} = %{{.+}}, %{{.+}} = %{{.+}}) -> (i64, i64, i64)
// CHECK:     %[[ROW:.+]] = arith.addi %[[POS]], %{{.+}} : i64
// CHECK:     %[[IN:.+]] = arith.cmpi ult, %[[ROW]], %c2_i64
// CHECK:     scf.if %[[IN]] {
// CHECK:       arith.muli %[[ROW]], %c2_i64
// CHECK:       memref.store
func.func @csc() -> tensor<2x2xf32> {
  %c = dc.constant {codebook = dense<[0.0, -1.0, 1.0, 2.0]> : tensor<4xf32>, pointers = dense<[0, 1, 2]> : tensor<3xi32>, values = dense<[9]> : tensor<1xi8>, gaps = dense<[1]> : tensor<1xi8>, num_entries = 2 : i64} : !dc.compressed<tensor<2x2xf32>, #dc.encoding<format = csc, bits = 2, index_bits = 2>>
  %d = dc.decompress %c : !dc.compressed<tensor<2x2xf32>, #dc.encoding<format = csc, bits = 2, index_bits = 2>> -> tensor<2x2xf32>
  return %d : tensor<2x2xf32>
}

// -----

// Raw f32 values: no codebook, 32-bit reads bitcast to f32.
// CHECK-LABEL: func @raw_csc
// CHECK-NOT: codebook
// CHECK: arith.bitcast %{{.+}} : i32 to f32
func.func @raw_csc() -> tensor<2x1xf32> {
  %c = dc.constant {pointers = dense<[0, 1]> : tensor<2xi32>, values = dense<[0, 0, -64, 63]> : tensor<4xi8>, gaps = dense<[1]> : tensor<1xi8>, num_entries = 1 : i64} : !dc.compressed<tensor<2x1xf32>, #dc.encoding<format = csc, bits = 32, index_bits = 2>>
  %d = dc.decompress %c : !dc.compressed<tensor<2x1xf32>, #dc.encoding<format = csc, bits = 32, index_bits = 2>> -> tensor<2x1xf32>
  return %d : tensor<2x1xf32>
}

// -----

// One constant decompressed twice shares its globals; compute ops left by
// the kernel passes become a decompression and a linalg contraction.
// CHECK-COUNT-1: memref.global "private" constant @__dc_w0_values
// CHECK-NOT: memref.global "private" constant @__dc_w1_values
// CHECK-LABEL: func @compute
// CHECK: %[[W:.+]] = bufferization.to_tensor
// CHECK: linalg.matvec ins(%[[W]], %{{.+}} : tensor<2x2xf32>, tensor<2xf32>)
// CHECK: %[[W2:.+]] = bufferization.to_tensor
// CHECK: %[[WT:.+]] = linalg.transpose ins(%[[W2]] : tensor<2x2xf32>)
// CHECK: linalg.matmul ins(%[[WT]], %{{.+}} : tensor<2x2xf32>, tensor<2x3xf32>)
// CHECK-NOT: dc.
func.func @compute(%x: tensor<2xf32>, %xs: tensor<2x3xf32>) -> (tensor<2xf32>, tensor<2x3xf32>) {
  %c = dc.constant {codebook = dense<[0.0, -1.0, 1.0, 2.0]> : tensor<4xf32>, pointers = dense<[0, 1, 2]> : tensor<3xi32>, values = dense<[9]> : tensor<1xi8>, gaps = dense<[1]> : tensor<1xi8>, num_entries = 2 : i64} : !dc.compressed<tensor<2x2xf32>, #dc.encoding<format = csc, bits = 2, index_bits = 2>>
  %y_init = tensor.empty() : tensor<2xf32>
  %y = dc.matvec %c, %x outs(%y_init) : !dc.compressed<tensor<2x2xf32>, #dc.encoding<format = csc, bits = 2, index_bits = 2>>, tensor<2xf32>, tensor<2xf32> -> tensor<2xf32>
  %ys_init = tensor.empty() : tensor<2x3xf32>
  %ys = dc.matmul %c, %xs outs(%ys_init) {transpose_w} : !dc.compressed<tensor<2x2xf32>, #dc.encoding<format = csc, bits = 2, index_bits = 2>>, tensor<2x3xf32>, tensor<2x3xf32> -> tensor<2x3xf32>
  return %y, %ys : tensor<2xf32>, tensor<2x3xf32>
}
