// RUN: dc-opt %s --split-input-file --dc-rewrite-contractions | FileCheck %s
// conv_2d_nchw_fchw / conv_2d_nhwc_hwcf on dc.decompress(dc.constant) become
// im2col (a copying linalg.generic reading the input through the window) +
// dc.matmul on the filter as a matrix + the reshapes/transposes back to the
// convolution's layout. Filters from bench/gemv_gen (retyped to 4-D).

!F = !dc.compressed<tensor<2x1x2x2xf32>, #dc.encoding<format = csr, bits = 2, index_bits = 2>>

// FCHW: the CSR matrix view of the 4-D filter is [F, C*KH*KW] already, so
// the 2-D constant is the same payload under a 2-D type.
// CHECK-DAG: #[[IN:.*]] = affine_map<(d0, d1, d2, d3, d4, d5) -> (d3, d0, d1 + d4, d2 + d5)>
// CHECK-DAG: #[[ID:.*]] = affine_map<(d0, d1, d2, d3, d4, d5) -> (d0, d1, d2, d3, d4, d5)>
// CHECK-LABEL: func @nchw
// CHECK-SAME: (%[[X:.*]]: tensor<1x1x3x3xf32>)
// CHECK: %[[W:.*]] = dc.constant {codebook = {{.*}} : tensor<4xf32>, gaps = dense<1> : tensor<2xi8>, num_entries = 5 : i64, pointers = dense<[0, 2, 5]> : tensor<3xi32>, values = dense<[-103, 2]> : tensor<2xi8>} : !dc.compressed<tensor<2x4xf32>, #dc.encoding<format = csr, bits = 2, index_bits = 2>>
// CHECK-NOT: dc.constant
// CHECK-NOT: dc.decompress
// CHECK: %[[E:.*]] = tensor.empty() : tensor<1x2x2x1x2x2xf32>
// CHECK: %[[COL:.*]] = linalg.generic {indexing_maps = [#[[IN]], #[[ID]]], iterator_types = ["parallel", "parallel", "parallel", "parallel", "parallel", "parallel"]} ins(%[[X]] : tensor<1x1x3x3xf32>) outs(%[[E]] : tensor<1x2x2x1x2x2xf32>)
// CHECK: ^bb0(%[[A:.*]]: f32, %{{.*}}: f32):
// CHECK-NEXT: linalg.yield %[[A]] : f32
// CHECK: %[[XM:.*]] = tensor.collapse_shape %[[COL]] {{\[\[}}0, 1, 2], [3, 4, 5]] : tensor<1x2x2x1x2x2xf32> into tensor<4x4xf32>
// CHECK: %[[Y:.*]] = dc.matmul %[[W]], %[[XM]] outs(%{{.+}}) : !dc.compressed<tensor<2x4xf32>, {{.*}}>, tensor<4x4xf32>, tensor<2x4xf32> -> tensor<2x4xf32>
// CHECK: %[[O:.*]] = tensor.expand_shape %[[Y]] {{\[\[}}0, 1], [2, 3]] output_shape [1, 2, 2, 2] : tensor<2x4xf32> into tensor<1x2x2x2xf32>
// CHECK-NOT: linalg.add
// CHECK-NOT: linalg.conv
// CHECK: return %[[O]]
func.func @nchw(%x: tensor<1x1x3x3xf32>) -> tensor<1x2x2x2xf32> {
  %c = dc.constant {codebook = dense<[0.00000000e+00, 3.46129775e-01, -9.23010767e-01, -5.49422860e-01]> : tensor<4xf32>, values = dense<"0x9902"> : tensor<2xi8>, pointers = dense<[0, 2, 5]> : tensor<3xi32>, gaps = dense<"0x0101"> : tensor<2xi8>, num_entries = 5 : i64} : !F
  %w = dc.decompress %c : !F -> tensor<2x1x2x2xf32>
  %z = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<1x2x2x2xf32>
  %i = linalg.fill ins(%z : f32) outs(%e : tensor<1x2x2x2xf32>) -> tensor<1x2x2x2xf32>
  %y = linalg.conv_2d_nchw_fchw ins(%x, %w : tensor<1x1x3x3xf32>, tensor<2x1x2x2xf32>) outs(%i : tensor<1x2x2x2xf32>) -> tensor<1x2x2x2xf32>
  return %y : tensor<1x2x2x2xf32>
}

// -----

!F = !dc.compressed<tensor<2x1x2x2xf32>, #dc.encoding<format = csr, bits = 2, index_bits = 2>>

// Strides [2, 1], dilations [1, 2], batch 2: the window arithmetic is in the
// input map; the [F, N*OH*OW] product is expanded and transposed to NFHW.
// CHECK-DAG: #[[IN:.*]] = affine_map<(d0, d1, d2, d3, d4, d5) -> (d3, d0, d4 * 2 + d1, d5 + d2 * 2)>
// CHECK-LABEL: func @nchw_strided_b2
// CHECK: linalg.generic {indexing_maps = [#[[IN]], {{.*}}]{{.*}} outs(%{{.*}} : tensor<1x2x2x2x3x4xf32>)
// CHECK: tensor.collapse_shape {{.*}} into tensor<4x24xf32>
// CHECK: %[[Y:.*]] = dc.matmul %{{.*}}, %{{.*}} outs(%{{.+}}) : {{.*}}, tensor<4x24xf32>, tensor<2x24xf32> -> tensor<2x24xf32>
// CHECK: %[[Y4:.*]] = tensor.expand_shape %[[Y]] {{\[\[}}0], [1, 2, 3]] output_shape [2, 2, 3, 4] : tensor<2x24xf32> into tensor<2x2x3x4xf32>
// CHECK: %[[T:.*]] = linalg.transpose ins(%[[Y4]] : tensor<2x2x3x4xf32>) outs(%{{.*}} : tensor<2x2x3x4xf32>) permutation = [1, 0, 2, 3]
// CHECK: return %[[T]]
func.func @nchw_strided_b2(%x: tensor<2x1x7x6xf32>) -> tensor<2x2x3x4xf32> {
  %c = dc.constant {codebook = dense<[0.00000000e+00, 3.46129775e-01, -9.23010767e-01, -5.49422860e-01]> : tensor<4xf32>, values = dense<"0x9902"> : tensor<2xi8>, pointers = dense<[0, 2, 5]> : tensor<3xi32>, gaps = dense<"0x0101"> : tensor<2xi8>, num_entries = 5 : i64} : !F
  %w = dc.decompress %c : !F -> tensor<2x1x2x2xf32>
  %z = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<2x2x3x4xf32>
  %i = linalg.fill ins(%z : f32) outs(%e : tensor<2x2x3x4xf32>) -> tensor<2x2x3x4xf32>
  %y = linalg.conv_2d_nchw_fchw {strides = dense<[2, 1]> : tensor<2xi64>, dilations = dense<[1, 2]> : tensor<2xi64>} ins(%x, %w : tensor<2x1x7x6xf32>, tensor<2x1x2x2xf32>) outs(%i : tensor<2x2x3x4xf32>) -> tensor<2x2x3x4xf32>
  return %y : tensor<2x2x3x4xf32>
}

// -----

!F = !dc.compressed<tensor<2x2x1x3xf32>, #dc.encoding<format = csc, bits = 2, index_bits = 2>>

// HWCF in CSC: the matrix view of the 4-D filter is [KH, KW*C*F] = 2 x 6,
// not [KH*KW*C, F] = 4 x 3, so the filter is re-encoded as the 4 x 3 matrix
// (same encoding and codebook; F + 1 column pointers; decoded by hand:
// W[kh][kw][0][:] = [0,2,3], [1,2,1], [0,0,3], [0,1,1] as codebook indices,
// so columns {1}, {0,1,3}, {0,1,2,3}). A non-zero outs is added back.
// CHECK-DAG: #[[IN:.*]] = affine_map<(d0, d1, d2, d3, d4, d5) -> (d3, d0 + d4, d1 + d5, d2)>
// CHECK-LABEL: func @nhwc_reencoded
// CHECK-SAME: (%[[X:.*]]: tensor<1x3x4x1xf32>, %[[B:.*]]: tensor<1x2x3x3xf32>)
// CHECK: %[[W:.*]] = dc.constant {codebook = {{.*}} : tensor<4xf32>, dc.layer = "conv", gaps = dense<[65, 0]> : tensor<2xi8>, num_entries = 8 : i64, pointers = dense<[0, 1, 4, 8]> : tensor<4xi32>, values = dense<[105, 119]> : tensor<2xi8>} : !dc.compressed<tensor<4x3xf32>, #dc.encoding<format = csc, bits = 2, index_bits = 2>>
// CHECK-NOT: dc.constant
// CHECK-NOT: dc.decompress
// CHECK: linalg.generic {indexing_maps = [#[[IN]], {{.*}}]{{.*}} ins(%[[X]] : tensor<1x3x4x1xf32>) outs(%{{.*}} : tensor<2x2x1x1x2x3xf32>)
// CHECK: %[[XM:.*]] = tensor.collapse_shape {{.*}} into tensor<4x6xf32>
// CHECK: %[[Y:.*]] = dc.matmul %[[W]], %[[XM]] outs(%{{.+}}) {transpose_w} : !dc.compressed<tensor<4x3xf32>, {{.*}}>, tensor<4x6xf32>, tensor<3x6xf32> -> tensor<3x6xf32>
// CHECK: %[[YT:.*]] = linalg.transpose ins(%[[Y]] : tensor<3x6xf32>) outs(%{{.*}} : tensor<6x3xf32>) permutation = [1, 0]
// CHECK: %[[O:.*]] = tensor.expand_shape %[[YT]] {{\[\[}}0, 1, 2], [3]] output_shape [1, 2, 3, 3] : tensor<6x3xf32> into tensor<1x2x3x3xf32>
// CHECK: %[[S:.*]] = linalg.add ins(%[[O]], %[[B]] : tensor<1x2x3x3xf32>, tensor<1x2x3x3xf32>) outs(%[[B]] : tensor<1x2x3x3xf32>)
// CHECK: return %[[S]]
func.func @nhwc_reencoded(%x: tensor<1x3x4x1xf32>, %bias: tensor<1x2x3x3xf32>) -> tensor<1x2x3x3xf32> {
  %c = dc.constant {dc.layer = "conv", codebook = dense<[0.00000000e+00, 5.52131057e-01, 1.20195627e-01, 6.05652690e-01]> : tensor<4xf32>, values = dense<"0x7E56"> : tensor<2xi8>, pointers = dense<[0, 0, 1, 3, 4, 6, 8]> : tensor<7xi32>, gaps = dense<"0x0000"> : tensor<2xi8>, num_entries = 8 : i64} : !F
  %w = dc.decompress %c : !F -> tensor<2x2x1x3xf32>
  %y = linalg.conv_2d_nhwc_hwcf ins(%x, %w : tensor<1x3x4x1xf32>, tensor<2x2x1x3xf32>) outs(%bias : tensor<1x2x3x3xf32>) -> tensor<1x2x3x3xf32>
  return %y : tensor<1x2x3x3xf32>
}

// -----

!F = !dc.compressed<tensor<2x2x1x3xf32>, #dc.encoding<format = csr, bits = 2, index_bits = 2, entropy = huffman>>

// HWCF in Huffman-coded CSR: re-encoded as [KH*KW*C, F] and Huffman-coded
// again (new code tables).
// CHECK-LABEL: func @nhwc_huffman
// CHECK: %[[W:.*]] = dc.constant {codebook = {{.*}} : tensor<4xf32>, gap_code_lengths = {{.*}}, pointers = dense<[0, {{[0-9]+}}, {{[0-9]+}}, {{[0-9]+}}, 7]> : tensor<5xi32>, value_code_lengths = {{.*}}} : !dc.compressed<tensor<4x3xf32>, #dc.encoding<format = csr, bits = 2, index_bits = 2, entropy = huffman>>
// CHECK: dc.matmul %[[W]], %{{.*}} {transpose_w}
func.func @nhwc_huffman(%x: tensor<1x3x4x1xf32>) -> tensor<1x2x3x3xf32> {
  %c = dc.constant {codebook = dense<[0.00000000e+00, -3.17175984e-02, 8.35212708e-01, 7.24638343e-01]> : tensor<4xf32>, values = dense<"0xF106"> : tensor<2xi8>, pointers = dense<[0, 3, 7]> : tensor<3xi32>, gaps = dense<77> : tensor<1xi8>, value_code_lengths = dense<"0x00020201"> : tensor<4xi8>, gap_code_lengths = dense<"0x0101"> : tensor<2xi8>, num_entries = 7 : i64} : !F
  %w = dc.decompress %c : !F -> tensor<2x2x1x3xf32>
  %z = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<1x2x3x3xf32>
  %i = linalg.fill ins(%z : f32) outs(%e : tensor<1x2x3x3xf32>) -> tensor<1x2x3x3xf32>
  %y = linalg.conv_2d_nhwc_hwcf ins(%x, %w : tensor<1x3x4x1xf32>, tensor<2x2x1x3xf32>) outs(%i : tensor<1x2x3x3xf32>) -> tensor<1x2x3x3xf32>
  return %y : tensor<1x2x3x3xf32>
}

// -----

!F = !dc.compressed<tensor<2x2x1x3xf32>, #dc.encoding<format = csr, bits = 32, index_bits = 3>>

// Raw f32 entries (no codebook) in CSR: re-encoded as raw f32 too. The 4-D
// filter holds 1.5 at [0][0][0][1] and -2.0 at [1][1][0][1], i.e. rows 0 and
// 3 of the 4 x 3 matrix, both in column 1 (gaps 1, 1 -> 0b001001 = 9).
// CHECK-LABEL: func @nhwc_raw
// CHECK: %[[W:.*]] = dc.constant {gaps = dense<9> : tensor<1xi8>, num_entries = 2 : i64, pointers = dense<[0, 1, 1, 1, 2]> : tensor<5xi32>, values = dense<[0, 0, -64, 63, 0, 0, 0, -64]> : tensor<8xi8>} : !dc.compressed<tensor<4x3xf32>, #dc.encoding<format = csr, bits = 32, index_bits = 3>>
// CHECK: dc.matmul %[[W]], %{{.*}} {transpose_w}
func.func @nhwc_raw(%x: tensor<1x3x4x1xf32>) -> tensor<1x2x3x3xf32> {
  %c = dc.constant {values = dense<"0x0000C03F000000C0"> : tensor<8xi8>, pointers = dense<[0, 1, 2]> : tensor<3xi32>, gaps = dense<33> : tensor<1xi8>, num_entries = 2 : i64} : !F
  %w = dc.decompress %c : !F -> tensor<2x2x1x3xf32>
  %z = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<1x2x3x3xf32>
  %i = linalg.fill ins(%z : f32) outs(%e : tensor<1x2x3x3xf32>) -> tensor<1x2x3x3xf32>
  %y = linalg.conv_2d_nhwc_hwcf ins(%x, %w : tensor<1x3x4x1xf32>, tensor<2x2x1x3xf32>) outs(%i : tensor<1x2x3x3xf32>) -> tensor<1x2x3x3xf32>
  return %y : tensor<1x2x3x3xf32>
}

// -----

!F = !dc.compressed<tensor<2x2x1x3xf32>, #dc.encoding<format = dense, bits = 2, index_bits = 2>>

// HWCF in the dense format (row-major elements): the same payload under the
// [KH*KW*C, F] type, no re-encoding.
// CHECK-LABEL: func @nhwc_dense_format
// CHECK: %[[W:.*]] = dc.constant {codebook = {{.*}} : tensor<4xf32>, num_entries = 12 : i64, values = dense<[4, 98, 65]> : tensor<3xi8>} : !dc.compressed<tensor<4x3xf32>, #dc.encoding<format = dense, bits = 2, index_bits = 2>>
// CHECK: dc.matmul %[[W]], %{{.*}} outs(%{{.+}}) {transpose_w} : {{.*}}, tensor<4x6xf32>, tensor<3x6xf32> -> tensor<3x6xf32>
func.func @nhwc_dense_format(%x: tensor<1x3x4x1xf32>) -> tensor<1x2x3x3xf32> {
  %c = dc.constant {codebook = dense<[0.00000000e+00, 5.08770585e-01, 8.98602366e-01, -7.65171409e-01]> : tensor<4xf32>, values = dense<"0x046241"> : tensor<3xi8>, num_entries = 12 : i64} : !F
  %w = dc.decompress %c : !F -> tensor<2x2x1x3xf32>
  %z = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<1x2x3x3xf32>
  %i = linalg.fill ins(%z : f32) outs(%e : tensor<1x2x3x3xf32>) -> tensor<1x2x3x3xf32>
  %y = linalg.conv_2d_nhwc_hwcf ins(%x, %w : tensor<1x3x4x1xf32>, tensor<2x2x1x3xf32>) outs(%i : tensor<1x2x3x3xf32>) -> tensor<1x2x3x3xf32>
  return %y : tensor<1x2x3x3xf32>
}

// -----

!F = !dc.compressed<tensor<2x1x2x2xf32>, #dc.encoding<format = csr, bits = 2, index_bits = 2>>

// One output pixel, batch 1: the im2col matrix has one column -> dc.matvec.
// CHECK-LABEL: func @matvec
// CHECK: %[[XM:.*]] = tensor.collapse_shape %{{.*}} {{\[\[}}0, 1, 2], [3, 4, 5]] : tensor<1x2x2x1x1x1xf32> into tensor<4x1xf32>
// CHECK: %[[XV:.*]] = tensor.collapse_shape %[[XM]] {{\[\[}}0, 1]] : tensor<4x1xf32> into tensor<4xf32>
// CHECK: %[[Y:.*]] = dc.matvec %{{.*}}, %[[XV]] outs(%{{.+}}) : !dc.compressed<tensor<2x4xf32>, {{.*}}>, tensor<4xf32>, tensor<2xf32> -> tensor<2xf32>
// CHECK: %[[Y2:.*]] = tensor.expand_shape %[[Y]] {{\[\[}}0, 1]] output_shape [2, 1] : tensor<2xf32> into tensor<2x1xf32>
// CHECK: %[[O:.*]] = tensor.expand_shape %[[Y2]] {{\[\[}}0, 1], [2, 3]] output_shape [1, 2, 1, 1] : tensor<2x1xf32> into tensor<1x2x1x1xf32>
// CHECK: return %[[O]]
func.func @matvec(%x: tensor<1x1x2x2xf32>) -> tensor<1x2x1x1xf32> {
  %c = dc.constant {codebook = dense<[0.00000000e+00, 3.46129775e-01, -9.23010767e-01, -5.49422860e-01]> : tensor<4xf32>, values = dense<"0x9902"> : tensor<2xi8>, pointers = dense<[0, 2, 5]> : tensor<3xi32>, gaps = dense<"0x0101"> : tensor<2xi8>, num_entries = 5 : i64} : !F
  %w = dc.decompress %c : !F -> tensor<2x1x2x2xf32>
  %z = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<1x2x1x1xf32>
  %i = linalg.fill ins(%z : f32) outs(%e : tensor<1x2x1x1xf32>) -> tensor<1x2x1x1xf32>
  %y = linalg.conv_2d_nchw_fchw ins(%x, %w : tensor<1x1x2x2xf32>, tensor<2x1x2x2xf32>) outs(%i : tensor<1x2x1x1xf32>) -> tensor<1x2x1x1xf32>
  return %y : tensor<1x2x1x1xf32>
}

// -----

!F = !dc.compressed<tensor<2x2x1x3xf32>, #dc.encoding<format = csc, bits = 2, index_bits = 2>>

// Two convolutions on one filter share one re-encoded matrix; the 4-D
// constant and its decompression are gone.
// CHECK-LABEL: func @shared
// CHECK: %[[W:.*]] = dc.constant {{.*}} : !dc.compressed<tensor<4x3xf32>
// CHECK-NOT: dc.constant
// CHECK-NOT: dc.decompress
// CHECK: dc.matmul %[[W]]
// CHECK: dc.matmul %[[W]]
func.func @shared(%x: tensor<1x3x4x1xf32>, %x2: tensor<2x4x4x1xf32>) -> (tensor<1x2x3x3xf32>, tensor<2x3x3x3xf32>) {
  %c = dc.constant {codebook = dense<[0.00000000e+00, 5.52131057e-01, 1.20195627e-01, 6.05652690e-01]> : tensor<4xf32>, values = dense<"0x7E56"> : tensor<2xi8>, pointers = dense<[0, 0, 1, 3, 4, 6, 8]> : tensor<7xi32>, gaps = dense<"0x0000"> : tensor<2xi8>, num_entries = 8 : i64} : !F
  %w = dc.decompress %c : !F -> tensor<2x2x1x3xf32>
  %z = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<1x2x3x3xf32>
  %i = linalg.fill ins(%z : f32) outs(%e : tensor<1x2x3x3xf32>) -> tensor<1x2x3x3xf32>
  %y = linalg.conv_2d_nhwc_hwcf ins(%x, %w : tensor<1x3x4x1xf32>, tensor<2x2x1x3xf32>) outs(%i : tensor<1x2x3x3xf32>) -> tensor<1x2x3x3xf32>
  %e2 = tensor.empty() : tensor<2x3x3x3xf32>
  %i2 = linalg.fill ins(%z : f32) outs(%e2 : tensor<2x3x3x3xf32>) -> tensor<2x3x3x3xf32>
  %y2 = linalg.conv_2d_nhwc_hwcf ins(%x2, %w : tensor<2x4x4x1xf32>, tensor<2x2x1x3xf32>) outs(%i2 : tensor<2x3x3x3xf32>) -> tensor<2x3x3x3xf32>
  return %y, %y2 : tensor<1x2x3x3xf32>, tensor<2x3x3x3xf32>
}

// -----

!F = !dc.compressed<tensor<2x1x2x2xf32>, #dc.encoding<format = csr, bits = 2, index_bits = 2>>

// Left alone: dynamic shapes, filters that are not dc.decompress(dc.constant).
// (Other layouts: conv-nhwc-fhwc.mlir, conv-grouped.mlir, conv-depthwise.mlir.)
// CHECK-LABEL: func @untouched
// CHECK-NOT: dc.matmul
// CHECK-NOT: dc.matvec
// CHECK: dc.decompress
// CHECK: linalg.conv_2d_nchw_fchw
// CHECK: linalg.conv_2d_nchw_fchw
// CHECK-NOT: dc.matmul
// CHECK-NOT: dc.matvec
func.func @untouched(%xd: tensor<?x1x3x3xf32>, %id: tensor<?x2x2x2xf32>, %x3: tensor<1x1x3x3xf32>, %w3: tensor<2x1x2x2xf32>) -> (tensor<?x2x2x2xf32>, tensor<1x2x2x2xf32>) {
  %z = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<1x2x2x2xf32>
  %i = linalg.fill ins(%z : f32) outs(%e : tensor<1x2x2x2xf32>) -> tensor<1x2x2x2xf32>
  %c = dc.constant {codebook = dense<[0.00000000e+00, 3.46129775e-01, -9.23010767e-01, -5.49422860e-01]> : tensor<4xf32>, values = dense<"0x9902"> : tensor<2xi8>, pointers = dense<[0, 2, 5]> : tensor<3xi32>, gaps = dense<"0x0101"> : tensor<2xi8>, num_entries = 5 : i64} : !F
  %w = dc.decompress %c : !F -> tensor<2x1x2x2xf32>
  %yd = linalg.conv_2d_nchw_fchw ins(%xd, %w : tensor<?x1x3x3xf32>, tensor<2x1x2x2xf32>) outs(%id : tensor<?x2x2x2xf32>) -> tensor<?x2x2x2xf32>
  %y3 = linalg.conv_2d_nchw_fchw ins(%x3, %w3 : tensor<1x1x3x3xf32>, tensor<2x1x2x2xf32>) outs(%i : tensor<1x2x2x2xf32>) -> tensor<1x2x2x2xf32>
  return %yd, %y3 : tensor<?x2x2x2xf32>, tensor<1x2x2x2xf32>
}
