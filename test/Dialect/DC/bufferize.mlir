// One-shot bufferization of dc.matvec / dc.matmul (their
// BufferizableOpInterface, registered with the dialect): the ops come out on
// memrefs writing their `outs` buffer in place; the compressed weight is not
// a tensor and is never copied or decompressed; `outs` is only written, so
// an out-of-place destination is a fresh allocation without a copy.
// RUN: dc-opt %s -split-input-file --one-shot-bufferize="bufferize-function-boundaries function-boundary-type-conversion=identity-layout-map" | FileCheck %s
// Stock mlir-opt with the plugin bufferizes them the same way.
// RUN: mlir-opt %s --load-dialect-plugin=%dc_plugin -split-input-file --one-shot-bufferize="bufferize-function-boundaries function-boundary-type-conversion=identity-layout-map" | FileCheck %s

!W = !dc.compressed<tensor<2x3xf32>, #dc.encoding<format = csc, bits = 2, index_bits = 2>>

// A tensor.empty destination becomes one allocation, written by the op.
// CHECK-LABEL: func.func @empty_outs
// CHECK-SAME: (%[[X:.+]]: memref<3xf32>) -> memref<2xf32>
// CHECK: %[[W:.+]] = dc.constant {{.+}} : !dc.compressed<tensor<2x3xf32>
// CHECK-NEXT: %[[Y:.+]] = memref.alloc() {{.*}}: memref<2xf32>
// CHECK-NEXT: dc.matvec %[[W]], %[[X]] outs(%[[Y]]) {dc.note = "kept"} : !dc.compressed<tensor<2x3xf32>, {{.+}}>, memref<3xf32>, memref<2xf32>
// CHECK-NEXT: return %[[Y]]
// CHECK-NOT: memref.copy
// CHECK-NOT: to_buffer
func.func @empty_outs(%x: tensor<3xf32>) -> tensor<2xf32> {
  %c = dc.constant {codebook = dense<[0.0, -1.0, 1.0, 2.0]> : tensor<4xf32>, pointers = dense<[0, 1, 1, 2]> : tensor<4xi32>, values = dense<[9]> : tensor<1xi8>, gaps = dense<[1]> : tensor<1xi8>, num_entries = 2 : i64} : !W
  %e = tensor.empty() : tensor<2xf32>
  %y = dc.matvec %c, %x outs(%e) {dc.note = "kept"} : !W, tensor<3xf32>, tensor<2xf32> -> tensor<2xf32>
  return %y : tensor<2xf32>
}

// -----

!W = !dc.compressed<tensor<2x3xf32>, #dc.encoding<format = csc, bits = 2, index_bits = 2>>

// A writable destination (a function argument) is reused in place: no
// allocation, no copy; the bias added after the op is in place too.
// CHECK-LABEL: func.func @outs_in_place
// CHECK-SAME: (%[[X:.+]]: memref<3x4xf32>, %[[O:.+]]: memref<2x4xf32>, %[[B:.+]]: memref<2x4xf32>)
// CHECK-NOT: memref.alloc
// CHECK-NOT: memref.copy
// CHECK: dc.matmul %{{.+}}, %[[X]] outs(%[[O]]) {transpose_w} : !dc.compressed<tensor<3x2xf32>, {{.+}}>, memref<3x4xf32>, memref<2x4xf32>
// CHECK-NEXT: linalg.add ins(%[[O]], %[[B]] : memref<2x4xf32>, memref<2x4xf32>) outs(%[[B]] : memref<2x4xf32>)
// CHECK-NOT: memref.alloc
// CHECK-NOT: memref.copy
func.func @outs_in_place(%x: tensor<3x4xf32>, %o: tensor<2x4xf32>, %bias: tensor<2x4xf32>) -> tensor<2x4xf32> {
  %c = dc.constant {codebook = dense<[0.0, -1.0, 1.0, 2.0]> : tensor<4xf32>, pointers = dense<[0, 1, 2]> : tensor<3xi32>, values = dense<[9]> : tensor<1xi8>, gaps = dense<[1]> : tensor<1xi8>, num_entries = 2 : i64} : !dc.compressed<tensor<3x2xf32>, #dc.encoding<format = csc, bits = 2, index_bits = 2>>
  %y = dc.matmul %c, %x outs(%o) {transpose_w} : !dc.compressed<tensor<3x2xf32>, #dc.encoding<format = csc, bits = 2, index_bits = 2>>, tensor<3x4xf32>, tensor<2x4xf32> -> tensor<2x4xf32>
  %s = linalg.add ins(%y, %bias : tensor<2x4xf32>, tensor<2x4xf32>) outs(%bias : tensor<2x4xf32>) -> tensor<2x4xf32>
  return %s : tensor<2x4xf32>
}

// -----

!W = !dc.compressed<tensor<2x3xf32>, #dc.encoding<format = csc, bits = 2, index_bits = 2>>

// The destination is still read after the op (a read-after-write
// conflict): the op gets a new buffer, but without a copy of the old
// contents, which it would only overwrite.
// CHECK-LABEL: func.func @outs_out_of_place
// CHECK-SAME: (%[[X:.+]]: memref<3xf32>, %[[O:.+]]: memref<2xf32>)
// CHECK: %[[Y:.+]] = memref.alloc() {{.*}}: memref<2xf32>
// CHECK-NOT: memref.copy
// CHECK: dc.matvec %{{.+}}, %[[X]] outs(%[[Y]])
// CHECK-NOT: memref.copy
// CHECK: return %[[Y]], %[[O]]
func.func @outs_out_of_place(%x: tensor<3xf32>, %o: tensor<2xf32>) -> (tensor<2xf32>, tensor<2xf32>) {
  %c = dc.constant {codebook = dense<[0.0, -1.0, 1.0, 2.0]> : tensor<4xf32>, pointers = dense<[0, 1, 1, 2]> : tensor<4xi32>, values = dense<[9]> : tensor<1xi8>, gaps = dense<[1]> : tensor<1xi8>, num_entries = 2 : i64} : !W
  %y = dc.matvec %c, %x outs(%o) : !W, tensor<3xf32>, tensor<2xf32> -> tensor<2xf32>
  return %y, %o : tensor<2xf32>, tensor<2xf32>
}

// -----

!W = !dc.compressed<tensor<2x3xf32>, #dc.encoding<format = csc, bits = 2, index_bits = 2>>

// One weight, two ops: the compressed value is shared as it is; the input
// is read in place (a reshape of the argument, no copy).
// CHECK-LABEL: func.func @shared_weight
// CHECK: %[[W:.+]] = dc.constant
// CHECK-NOT: dc.constant
// CHECK-NOT: memref.copy
// CHECK: %[[V:.+]] = memref.collapse_shape %{{.+}} {{\[\[}}0, 1]] : memref<3x1xf32> into memref<3xf32>
// CHECK: dc.matvec %[[W]], %[[V]] outs(%{{.+}})
// CHECK: dc.matmul %[[W]], %{{.+}} outs(%{{.+}})
// CHECK-NOT: memref.copy
func.func @shared_weight(%x: tensor<3x1xf32>, %xs: tensor<3x5xf32>) -> (tensor<2xf32>, tensor<2x5xf32>) {
  %c = dc.constant {codebook = dense<[0.0, -1.0, 1.0, 2.0]> : tensor<4xf32>, pointers = dense<[0, 1, 1, 2]> : tensor<4xi32>, values = dense<[9]> : tensor<1xi8>, gaps = dense<[1]> : tensor<1xi8>, num_entries = 2 : i64} : !W
  %v = tensor.collapse_shape %x [[0, 1]] : tensor<3x1xf32> into tensor<3xf32>
  %e = tensor.empty() : tensor<2xf32>
  %y = dc.matvec %c, %v outs(%e) : !W, tensor<3xf32>, tensor<2xf32> -> tensor<2xf32>
  %es = tensor.empty() : tensor<2x5xf32>
  %ys = dc.matmul %c, %xs outs(%es) : !W, tensor<3x5xf32>, tensor<2x5xf32> -> tensor<2x5xf32>
  return %y, %ys : tensor<2xf32>, tensor<2x5xf32>
}
