// RUN: dc-opt %s --split-input-file --dc-rewrite-contractions | FileCheck %s
// Each contraction form on dc.decompress(dc.constant) becomes dc.matvec /
// dc.matmul on the compressed value; others are left alone.

!C = !dc.compressed<tensor<2x3xf32>, #dc.encoding<format = csr, bits = 2, index_bits = 2>>
!Ct = !dc.compressed<tensor<3x2xf32>, #dc.encoding<format = csr, bits = 2, index_bits = 2>>

// CHECK-LABEL: func @matvec
// CHECK: %[[C:.*]] = dc.constant
// CHECK-NOT: dc.decompress
// CHECK: %[[Y:.*]] = dc.matvec %[[C]], %arg0 outs(%{{.+}}) : {{.*}}, tensor<3xf32>, tensor<2xf32> -> tensor<2xf32>
// CHECK: return %[[Y]]
func.func @matvec(%x: tensor<3xf32>) -> tensor<2xf32> {
  %c = dc.constant {codebook = dense<[0.0, 1.0, 2.0, 3.0]> : tensor<4xf32>, pointers = dense<[0, 1, 2]> : tensor<3xi32>, values = dense<[9]> : tensor<1xi8>, gaps = dense<[1]> : tensor<1xi8>, num_entries = 2 : i64} : !C
  %w = dc.decompress %c : !C -> tensor<2x3xf32>
  %z = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<2xf32>
  %i = linalg.fill ins(%z : f32) outs(%e : tensor<2xf32>) -> tensor<2xf32>
  %y = linalg.matvec ins(%w, %x : tensor<2x3xf32>, tensor<3xf32>) outs(%i : tensor<2xf32>) -> tensor<2xf32>
  return %y : tensor<2xf32>
}

// -----
!Ct = !dc.compressed<tensor<3x2xf32>, #dc.encoding<format = csr, bits = 2, index_bits = 2>>
// CHECK-LABEL: func @vecmat_with_init
// CHECK: %[[Y:.*]] = dc.matvec %{{.*}}, %arg0 outs(%{{.+}}) {transpose_w} : {{.*}}, tensor<3xf32>, tensor<2xf32> -> tensor<2xf32>
// CHECK: %[[S:.*]] = linalg.add ins(%[[Y]], %arg1 : tensor<2xf32>, tensor<2xf32>) outs(%arg1 : tensor<2xf32>)
// CHECK: return %[[S]]
func.func @vecmat_with_init(%x: tensor<3xf32>, %init: tensor<2xf32>) -> tensor<2xf32> {
  %c = dc.constant {codebook = dense<[0.0, 1.0, 2.0, 3.0]> : tensor<4xf32>, pointers = dense<[0, 1, 2, 3]> : tensor<4xi32>, values = dense<[57]> : tensor<1xi8>, gaps = dense<[4]> : tensor<1xi8>, num_entries = 3 : i64} : !Ct
  %w = dc.decompress %c : !Ct -> tensor<3x2xf32>
  %y = linalg.vecmat ins(%x, %w : tensor<3xf32>, tensor<3x2xf32>) outs(%init : tensor<2xf32>) -> tensor<2xf32>
  return %y : tensor<2xf32>
}

// -----
!C = !dc.compressed<tensor<2x3xf32>, #dc.encoding<format = csr, bits = 2, index_bits = 2>>
// nn.Linear: Y[N, M] = X[N, K] W[M, K]^T -> (W X^T)^T.
// CHECK-LABEL: func @linear
// CHECK: %[[XT:.*]] = linalg.transpose ins(%arg0 : tensor<5x3xf32>) outs(%{{.*}} : tensor<3x5xf32>) permutation = [1, 0]
// CHECK: %[[Y:.*]] = dc.matmul %{{.*}}, %[[XT]] outs(%{{.+}}) : {{.*}}, tensor<3x5xf32>, tensor<2x5xf32> -> tensor<2x5xf32>
// CHECK: %[[YT:.*]] = linalg.transpose ins(%[[Y]] : tensor<2x5xf32>) outs(%{{.*}} : tensor<5x2xf32>) permutation = [1, 0]
// CHECK: return %[[YT]]
func.func @linear(%x: tensor<5x3xf32>) -> tensor<5x2xf32> {
  %c = dc.constant {codebook = dense<[0.0, 1.0, 2.0, 3.0]> : tensor<4xf32>, pointers = dense<[0, 1, 2]> : tensor<3xi32>, values = dense<[9]> : tensor<1xi8>, gaps = dense<[1]> : tensor<1xi8>, num_entries = 2 : i64} : !C
  %w = dc.decompress %c : !C -> tensor<2x3xf32>
  %z = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<5x2xf32>
  %i = linalg.fill ins(%z : f32) outs(%e : tensor<5x2xf32>) -> tensor<5x2xf32>
  %y = linalg.matmul indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d2)>, affine_map<(d0, d1, d2) -> (d1, d2)>, affine_map<(d0, d1, d2) -> (d0, d1)>] ins(%x, %w : tensor<5x3xf32>, tensor<2x3xf32>) outs(%i : tensor<5x2xf32>) -> tensor<5x2xf32>
  return %y : tensor<5x2xf32>
}

// -----
!C = !dc.compressed<tensor<2x3xf32>, #dc.encoding<format = csr, bits = 2, index_bits = 2>>
// torch-mlir's nn.Linear with one row: transpose then matmul -> matvec on reshapes.
// CHECK-LABEL: func @torch_linear_n1
// CHECK-NOT: linalg.transpose
// CHECK: %[[X:.*]] = tensor.collapse_shape %arg0 {{\[\[}}0, 1]] : tensor<1x3xf32> into tensor<3xf32>
// CHECK: %[[Y:.*]] = dc.matvec %{{.*}}, %[[X]] outs(%{{.+}}) : {{.*}}, tensor<2xf32> -> tensor<2xf32>
// CHECK: tensor.expand_shape %[[Y]] {{\[\[}}0, 1]] output_shape [1, 2] : tensor<2xf32> into tensor<1x2xf32>
func.func @torch_linear_n1(%x: tensor<1x3xf32>) -> tensor<1x2xf32> {
  %c = dc.constant {codebook = dense<[0.0, 1.0, 2.0, 3.0]> : tensor<4xf32>, pointers = dense<[0, 1, 2]> : tensor<3xi32>, values = dense<[9]> : tensor<1xi8>, gaps = dense<[1]> : tensor<1xi8>, num_entries = 2 : i64} : !C
  %w = dc.decompress %c : !C -> tensor<2x3xf32>
  %te = tensor.empty() : tensor<3x2xf32>
  %t = linalg.transpose ins(%w : tensor<2x3xf32>) outs(%te : tensor<3x2xf32>) permutation = [1, 0]
  %z = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<1x2xf32>
  %i = linalg.fill ins(%z : f32) outs(%e : tensor<1x2xf32>) -> tensor<1x2xf32>
  %y = linalg.matmul ins(%x, %t : tensor<1x3xf32>, tensor<3x2xf32>) outs(%i : tensor<1x2xf32>) -> tensor<1x2xf32>
  return %y : tensor<1x2xf32>
}

// -----
!Ct = !dc.compressed<tensor<3x2xf32>, #dc.encoding<format = csr, bits = 2, index_bits = 2>>
// X W with W: K x M -> (W^T X^T)^T.
// CHECK-LABEL: func @xw
// CHECK: dc.matmul %{{.*}}, %{{.*}} outs(%{{.+}}) {transpose_w} : {{.*}}, tensor<3x4xf32>, tensor<2x4xf32> -> tensor<2x4xf32>
func.func @xw(%x: tensor<4x3xf32>) -> tensor<4x2xf32> {
  %c = dc.constant {codebook = dense<[0.0, 1.0, 2.0, 3.0]> : tensor<4xf32>, pointers = dense<[0, 1, 2, 3]> : tensor<4xi32>, values = dense<[57]> : tensor<1xi8>, gaps = dense<[4]> : tensor<1xi8>, num_entries = 3 : i64} : !Ct
  %w = dc.decompress %c : !Ct -> tensor<3x2xf32>
  %z = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<4x2xf32>
  %i = linalg.fill ins(%z : f32) outs(%e : tensor<4x2xf32>) -> tensor<4x2xf32>
  %y = linalg.matmul ins(%x, %w : tensor<4x3xf32>, tensor<3x2xf32>) outs(%i : tensor<4x2xf32>) -> tensor<4x2xf32>
  return %y : tensor<4x2xf32>
}

// -----
!C = !dc.compressed<tensor<2x3xf32>, #dc.encoding<format = csr, bits = 2, index_bits = 2>>
// W X.
// CHECK-LABEL: func @wx
// CHECK: dc.matmul %{{.*}}, %arg0 outs(%{{.+}}) : {{.*}}, tensor<3x4xf32>, tensor<2x4xf32> -> tensor<2x4xf32>
func.func @wx(%x: tensor<3x4xf32>) -> tensor<2x4xf32> {
  %c = dc.constant {codebook = dense<[0.0, 1.0, 2.0, 3.0]> : tensor<4xf32>, pointers = dense<[0, 1, 2]> : tensor<3xi32>, values = dense<[9]> : tensor<1xi8>, gaps = dense<[1]> : tensor<1xi8>, num_entries = 2 : i64} : !C
  %w = dc.decompress %c : !C -> tensor<2x3xf32>
  %z = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<2x4xf32>
  %i = linalg.fill ins(%z : f32) outs(%e : tensor<2x4xf32>) -> tensor<2x4xf32>
  %y = linalg.matmul ins(%w, %x : tensor<2x3xf32>, tensor<3x4xf32>) outs(%i : tensor<2x4xf32>) -> tensor<2x4xf32>
  return %y : tensor<2x4xf32>
}

// -----
// A dense weight (no dc.decompress) is left alone.
// CHECK-LABEL: func @dense_left_alone
// CHECK: linalg.matvec
// CHECK-NOT: dc.matvec
func.func @dense_left_alone(%w: tensor<2x3xf32>, %x: tensor<3xf32>, %i: tensor<2xf32>) -> tensor<2xf32> {
  %y = linalg.matvec ins(%w, %x : tensor<2x3xf32>, tensor<3xf32>) outs(%i : tensor<2xf32>) -> tensor<2xf32>
  return %y : tensor<2xf32>
}
