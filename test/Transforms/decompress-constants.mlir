// dc-decompress-constants puts back a dense arith.constant of the original
// type, in the original place, with the decoded values.
// RUN: dc-opt %s -split-input-file --dc-decompress-constants | FileCheck %s

// Codebook [0, -1, 1, 2], indices [1, 2, 3, 0] (2 bits: 0b00111001 = 57).
// CHECK-LABEL: func @dense
// CHECK-NEXT: %[[W:.+]] = arith.constant {dc.layer = "w"} dense<{{\[\[}}-1.000000e+00, 1.000000e+00], [2.000000e+00, 0.000000e+00]]> : tensor<2x2xf32>
// CHECK-NEXT: return %[[W]]
func.func @dense() -> tensor<2x2xf32> {
  %c = dc.constant {dc.layer = "w", codebook = dense<[0.0, -1.0, 1.0, 2.0]> : tensor<4xf32>, values = dense<[57]> : tensor<1xi8>, num_entries = 4 : i64} : !dc.compressed<tensor<2x2xf32>, #dc.encoding<format = dense, bits = 2>>
  %d = dc.decompress %c : !dc.compressed<tensor<2x2xf32>, #dc.encoding<format = dense, bits = 2>> -> tensor<2x2xf32>
  return %d : tensor<2x2xf32>
}

// -----

// CSC with one entry per column: (1, 0) = codebook[1], (0, 1) = codebook[2].
// Two decompressions of one constant share the decoded value.
// CHECK-LABEL: func @csc
// CHECK-DAG: arith.constant dense<{{\[\[}}0.000000e+00, 1.000000e+00], [-1.000000e+00, 0.000000e+00]]> : tensor<2x2xf32>
// CHECK-NOT: dc.constant
func.func @csc() -> (tensor<2x2xf32>, tensor<2x2xf32>) {
  %c = dc.constant {codebook = dense<[0.0, -1.0, 1.0, 2.0]> : tensor<4xf32>, pointers = dense<[0, 1, 2]> : tensor<3xi32>, values = dense<[9]> : tensor<1xi8>, gaps = dense<[1]> : tensor<1xi8>, num_entries = 2 : i64} : !dc.compressed<tensor<2x2xf32>, #dc.encoding<format = csc, bits = 2, index_bits = 2>>
  %d = dc.decompress %c : !dc.compressed<tensor<2x2xf32>, #dc.encoding<format = csc, bits = 2, index_bits = 2>> -> tensor<2x2xf32>
  %e = dc.decompress %c : !dc.compressed<tensor<2x2xf32>, #dc.encoding<format = csc, bits = 2, index_bits = 2>> -> tensor<2x2xf32>
  return %d, %e : tensor<2x2xf32>, tensor<2x2xf32>
}
