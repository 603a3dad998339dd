// CSC/CSR with relative indices and fillers.
// RUN: dc-opt %s -split-input-file --dc-cluster=bits=2 --dc-sparse-encode=index-bits=4 | FileCheck %s
// RUN: dc-opt %s -split-input-file --dc-cluster=bits=2 --dc-sparse-encode="index-bits=4 format=csr" | FileCheck %s --check-prefix=CSR
// RUN: dc-opt %s -split-input-file --dc-cluster=bits=2 --dc-sparse-encode=index-bits=4 --dc-decompress-constants | FileCheck %s --check-prefix=DEC
// RUN: dc-opt %s -split-input-file --dc-prune=sparsity=0.5 --dc-sparse-encode=index-bits=4 | FileCheck %s --check-prefix=RAW

// EIE's example as one column, index bits 4: [0,0,1,2,0 x18,3] gives
// values [1,2,0,3] (2 bits: 0b11000110 = -55) and gaps [2,0,15,2] (4 bits:
// 0x02, 0x2F = 47), one filler.
// CHECK-LABEL: func @eie
// CHECK: dc.constant {codebook = dense<[0.000000e+00, 1.000000e+00, 2.000000e+00, 3.000000e+00]> : tensor<4xf32>, dc.layer = "eie", gaps = dense<[2, 47]> : tensor<2xi8>, num_entries = 4 : i64, pointers = dense<[0, 4]> : tensor<2xi32>, values = dense<-55> : tensor<1xi8>} : !dc.compressed<tensor<23x1xf32>, #dc.encoding<format = csc, bits = 2, index_bits = 4>>
// The same column as csr (23 rows of one element), 3 stored entries.
// CSR-LABEL: func @eie
// CSR: dc.layer = "eie", gaps = dense<0> : tensor<2xi8>, num_entries = 3 : i64, pointers = dense_resource<eie_pointers> : tensor<24xi32>, values = dense<57> : tensor<1xi8>
// CSR-SAME: #dc.encoding<format = csr, bits = 2, index_bits = 4>
// DEC-LABEL: func @eie
// DEC: arith.constant {dc.layer = "eie"} dense<{{\[\[}}0.000000e+00], [0.000000e+00], [1.000000e+00], [2.000000e+00], [0.000000e+00], [0.000000e+00], [0.000000e+00], [0.000000e+00], [0.000000e+00], [0.000000e+00], [0.000000e+00], [0.000000e+00], [0.000000e+00], [0.000000e+00], [0.000000e+00], [0.000000e+00], [0.000000e+00], [0.000000e+00], [0.000000e+00], [0.000000e+00], [0.000000e+00], [0.000000e+00], [3.000000e+00]]> : tensor<23x1xf32>
func.func @eie(%x: tensor<1xf32>) -> tensor<23xf32> {
  %w = arith.constant {dc.layer = "eie"} dense<[[0.0], [0.0], [1.0], [2.0], [0.0], [0.0], [0.0], [0.0], [0.0], [0.0], [0.0], [0.0], [0.0], [0.0], [0.0], [0.0], [0.0], [0.0], [0.0], [0.0], [0.0], [0.0], [3.0]]> : tensor<23x1xf32>
  %o = arith.constant dense<0.0> : tensor<23xf32>
  %y = linalg.matvec ins(%w, %x : tensor<23x1xf32>, tensor<1xf32>) outs(%o : tensor<23xf32>) -> tensor<23xf32>
  return %y : tensor<23xf32>
}

// -----

// A 2x3 matrix [[0, 1, 0], [2, 0, 3]]: CSC column pointers [0,1,2,3] with
// gaps [1,0,1] (4 bits: bytes 1, 1) and values [2,1,3] (2 bits: 54);
// CSR row pointers [0,1,3], gaps [1,0,1], values [1,2,3] (57).
// CHECK-LABEL: func @small
// CHECK: gaps = dense<1> : tensor<2xi8>, num_entries = 3 : i64, pointers = dense<[0, 1, 2, 3]> : tensor<4xi32>, values = dense<54> : tensor<1xi8>
// CSR-LABEL: func @small
// CSR: gaps = dense<1> : tensor<2xi8>, num_entries = 3 : i64, pointers = dense<[0, 1, 3]> : tensor<3xi32>, values = dense<57> : tensor<1xi8>
// A pruned layer that was never clustered keeps raw f32 values (bits 32).
// RAW-LABEL: func @small
// RAW: dc.constant {dc.layer = "small", dc.pruned, gaps = dense<1> : tensor<2xi8>, num_entries = 3 : i64, pointers = dense<[0, 1, 2, 3]> : tensor<4xi32>, values = dense<[0, 0, 0, 64, 0, 0, -128, 63, 0, 0, 64, 64]> : tensor<12xi8>} : !dc.compressed<tensor<2x3xf32>, #dc.encoding<format = csc, bits = 32, index_bits = 4>>
func.func @small(%x: tensor<3xf32>) -> tensor<2xf32> {
  %w = arith.constant {dc.layer = "small"} dense<[[0.0, 1.0, 0.0], [2.0, 0.0, 3.0]]> : tensor<2x3xf32>
  %o = arith.constant dense<0.0> : tensor<2xf32>
  %y = linalg.matvec ins(%w, %x : tensor<2x3xf32>, tensor<3xf32>) outs(%o : tensor<2xf32>) -> tensor<2xf32>
  return %y : tensor<2xf32>
}
