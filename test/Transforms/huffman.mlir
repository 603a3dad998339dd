// Huffman coding of the value and gap streams.
// RUN: dc-opt %s --dc-cluster=bits=2 --dc-sparse-encode=index-bits=4 --dc-huffman | FileCheck %s
// RUN: dc-opt %s --dc-cluster=bits=2 --dc-sparse-encode=index-bits=4 --dc-huffman=entropy=none | FileCheck %s --check-prefix=NONE
// RUN: dc-opt %s --dc-cluster=bits=2 --dc-sparse-encode=index-bits=4 --dc-huffman --dc-decompress-constants | FileCheck %s --check-prefix=DEC

// Values [1,2,0,3] (one each: 2-bit codes), gaps [2,0,15,2] (2 twice: a
// 1-bit code).
// CHECK-LABEL: func @eie
// CHECK: %[[C:.+]] = dc.constant {{{.*}}gap_code_lengths = dense<[2, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2]> : tensor<16xi8>{{.*}}value_code_lengths = dense<2> : tensor<4xi8>
// CHECK-SAME: #dc.encoding<format = csc, bits = 2, index_bits = 4, entropy = huffman>
// CHECK: dc.decompress %[[C]]
// NONE-NOT: entropy = huffman
// DEC: arith.constant {dc.layer = "eie"} dense<{{\[\[}}0.000000e+00], [0.000000e+00], [1.000000e+00], [2.000000e+00], [0.000000e+00], [0.000000e+00], [0.000000e+00], [0.000000e+00], [0.000000e+00], [0.000000e+00], [0.000000e+00], [0.000000e+00], [0.000000e+00], [0.000000e+00], [0.000000e+00], [0.000000e+00], [0.000000e+00], [0.000000e+00], [0.000000e+00], [0.000000e+00], [0.000000e+00], [0.000000e+00], [3.000000e+00]]> : tensor<23x1xf32>
func.func @eie(%x: tensor<1xf32>) -> tensor<23xf32> {
  %w = arith.constant {dc.layer = "eie"} dense<[[0.0], [0.0], [1.0], [2.0], [0.0], [0.0], [0.0], [0.0], [0.0], [0.0], [0.0], [0.0], [0.0], [0.0], [0.0], [0.0], [0.0], [0.0], [0.0], [0.0], [0.0], [0.0], [3.0]]> : tensor<23x1xf32>
  %o = arith.constant dense<0.0> : tensor<23xf32>
  %y = linalg.matvec ins(%w, %x : tensor<23x1xf32>, tensor<1xf32>) outs(%o : tensor<23xf32>) -> tensor<23xf32>
  return %y : tensor<23xf32>
}
