// RUN: dc-opt %s -split-input-file --dc-lower-decompress -verify-diagnostics

func.func @not_a_constant(%c: !dc.compressed<tensor<2x2xf32>, #dc.encoding<format = dense, bits = 2>>) -> tensor<2x2xf32> {
  // expected-error@+1 {{'dc.decompress' op can only be lowered when its input is a dc.constant}}
  %d = dc.decompress %c : !dc.compressed<tensor<2x2xf32>, #dc.encoding<format = dense, bits = 2>> -> tensor<2x2xf32>
  return %d : tensor<2x2xf32>
}

// -----

// The dense fallback of a grouped dc.matmul builds static per-group shapes.
!W = !dc.compressed<tensor<2x3xf32>, #dc.encoding<format = csc, bits = 2, index_bits = 2>>
func.func @grouped_dynamic(%x: tensor<6x?xf32>, %o: tensor<2x?xf32>) -> tensor<2x?xf32> {
  %c = dc.constant {codebook = dense<[0.0, -1.0, 1.0, 2.0]> : tensor<4xf32>, pointers = dense<[0, 1, 1, 2]> : tensor<4xi32>, values = dense<[9]> : tensor<1xi8>, gaps = dense<[1]> : tensor<1xi8>, num_entries = 2 : i64} : !W
  // expected-error@+1 {{'dc.matmul' op with groups > 1 needs static shapes to be lowered densely}}
  %y = dc.matmul %c, %x outs(%o) {groups = 2} : !W, tensor<6x?xf32>, tensor<2x?xf32> -> tensor<2x?xf32>
  return %y : tensor<2x?xf32>
}
