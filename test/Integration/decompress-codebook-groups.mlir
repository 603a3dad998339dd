// Per-group codebooks decoded at load by dc-lower-decompress (through one
// codebook of global indices, expandToLayerCodebook): each row reads its own
// group's codebook. Run by dc-lower-decompress itself (first two RUN lines:
// decode once and at every call) and inside dc-to-llvm (after
// dc-rewrite-contractions expanded the constant).
// DEFINE: %{run} = mlir-runner -e main -entry-point-result=void -shared-libs=%mlir_runner_libs
// RUN: dc-opt %s --dc-lower-decompress --dc-to-llvm | %{run} | FileCheck %s
// RUN: dc-opt %s --dc-lower-decompress=decode-once=false --dc-to-llvm | %{run} | FileCheck %s
// RUN: dc-opt %s --dc-to-llvm | %{run} | FileCheck %s

func.func @print(%m: memref<?xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %n = memref.dim %m, %c0 : memref<?xf32>
  scf.for %i = %c0 to %n step %c1 {
    %a = memref.load %m[%i] : memref<?xf32>
    vector.print %a : f32
  }
  return
}

// Rows 0 and 1 of a 2x2 dense tensor, one 4-entry codebook each: indices
// 1 2 / 3 1.
// CHECK-LABEL: case per_row:
// CHECK-NEXT: 1
// CHECK-NEXT: 2
// CHECK-NEXT: -3
// CHECK-NEXT: -1
func.func @per_row() {
  %c = dc.constant {codebook = dense<[[0.0, 1.0, 2.0, 3.0], [0.0, -1.0, -2.0, -3.0]]> : tensor<2x4xf32>, values = dense<[121]> : tensor<1xi8>, num_entries = 4 : i64} : !dc.compressed<tensor<2x2xf32>, #dc.encoding<format = dense, bits = 2, codebook_rows = 1>>
  %d = dc.decompress %c : !dc.compressed<tensor<2x2xf32>, #dc.encoding<format = dense, bits = 2, codebook_rows = 1>> -> tensor<2x2xf32>
  %m = bufferization.to_buffer %d : tensor<2x2xf32> to memref<2x2xf32>
  %f = memref.collapse_shape %m [[0, 1]] : memref<2x2xf32> into memref<4xf32>
  %g = memref.cast %f : memref<4xf32> to memref<?xf32>
  call @print(%g) : (memref<?xf32>) -> ()
  return
}

// CSR, two rows per codebook: (0,1) (1,0) from codebook 0, (2,1) (3,0) from
// codebook 1, all with index 1 then 2.
// CHECK-LABEL: case group_csr:
// CHECK-NEXT: 0
// CHECK-NEXT: 0.5
// CHECK-NEXT: 0.75
// CHECK-NEXT: 0
// CHECK-NEXT: 0
// CHECK-NEXT: 10
// CHECK-NEXT: 20
// CHECK-NEXT: 0
func.func @group_csr() {
  %c = dc.constant {codebook = dense<[[0.0, 0.5, 0.75], [0.0, 10.0, 20.0]]> : tensor<2x3xf32>, pointers = dense<[0, 1, 2, 3, 4]> : tensor<5xi32>, values = dense<[-103]> : tensor<1xi8>, gaps = dense<[17]> : tensor<1xi8>, num_entries = 4 : i64} : !dc.compressed<tensor<4x2xf32>, #dc.encoding<format = csr, bits = 2, index_bits = 2, codebook_rows = 2>>
  %d = dc.decompress %c : !dc.compressed<tensor<4x2xf32>, #dc.encoding<format = csr, bits = 2, index_bits = 2, codebook_rows = 2>> -> tensor<4x2xf32>
  %m = bufferization.to_buffer %d : tensor<4x2xf32> to memref<4x2xf32>
  %f = memref.collapse_shape %m [[0, 1]] : memref<4x2xf32> into memref<8xf32>
  %g = memref.cast %f : memref<8xf32> to memref<?xf32>
  call @print(%g) : (memref<?xf32>) -> ()
  return
}

func.func @main() {
  vector.print str "case per_row:\n"
  call @per_row() : () -> ()
  vector.print str "case group_csr:\n"
  call @group_csr() : () -> ()
  return
}
