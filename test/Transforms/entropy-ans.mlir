// entropy = ans: static rANS of the value and gap streams (dc/Core/Ans.h),
// as an option and as a dc.config key; the storage report counts the rANS
// tables and streams in bytes_pqh and adds per layer the order-0 entropy of
// each stream and the bits it takes (table included).
// RUN: dc-opt %s --dc-cluster=bits=2 --dc-sparse-encode=index-bits=4 --dc-huffman=entropy=ans | FileCheck %s
// RUN: dc-opt %s "--dc-compress=entropy=ans bits=2 index-bits=4 report=%t.json" -o /dev/null
// RUN: FileCheck %s --check-prefix=JSON < %t.json
// RUN: dc-opt %s "--dc-compress=entropy=ans bits=2 index-bits=4 report=-" -o /dev/null 2>&1 | FileCheck %s --check-prefix=TABLE
// RUN: dc-opt %s "--dc-compress=bits=2 index-bits=4 report=%t.h.json" -o /dev/null
// RUN: FileCheck %s --check-prefix=HUFF < %t.h.json
// RUN: dc-opt %s "--dc-compress=entropy=ans bits=2 index-bits=4" --dc-decompress-constants | FileCheck %s --check-prefix=DEC
// Generic form and bytecode round trip, then decoded:
// RUN: dc-opt %s "--dc-compress=entropy=ans bits=2 index-bits=4" -mlir-print-op-generic | dc-opt --dc-decompress-constants | FileCheck %s --check-prefix=DEC
// RUN: dc-opt %s "--dc-compress=entropy=ans bits=2 index-bits=4" -emit-bytecode | dc-opt --dc-decompress-constants | FileCheck %s --check-prefix=DEC

// Values [1, 2, 0, 3] (entropy 8 bits), gaps [2, 0, 15, 2] (6 bits): tiny
// streams, so the 4-byte state dominates.
// CHECK-LABEL: func @eie
// CHECK: %[[C:.+]] = dc.constant {{{.*}}gap_ans_table = dense<{{.*}}> : tensor<{{[0-9]+}}xi8>{{.*}}value_ans_table = dense<{{.*}}> : tensor<{{[0-9]+}}xi8>, values = dense<{{.*}}> : tensor<5xi8>}
// CHECK-SAME: #dc.encoding<format = csc, bits = 2, index_bits = 4, entropy = ans>
// CHECK-NOT: code_lengths
// The per-layer dc.config picks ans under the default huffman:
// CHECK-LABEL: func @configured
// CHECK: value_ans_table
// CHECK-SAME: entropy = ans

// JSON: "name": "eie"
// bytes_pqh: 5 + 4 stream bytes, 5 + 6 table bytes, 16 codebook, 8 pointers.
// JSON: "bytes_pqh": 44,
// JSON: "entropy_bits_weights": 8,
// JSON-NEXT: "entropy_bits_index": 6,
// JSON-NEXT: "coded_bits_weights": 80,
// JSON-NEXT: "coded_bits_index": 80
// JSON: "name": "configured"
// JSON: "entropy_bits_weights"
// JSON: "total"
// JSON: "entropy_bits_weights": 16,
// JSON-NEXT: "entropy_bits_index": 12,
// JSON-NEXT: "coded_bits_weights": 160,
// JSON-NEXT: "coded_bits_index": 160

// TABLE: rANS streams: bits spent (table included) / order-0 entropy bound
// TABLE: eie 80 8.0 900.000% 80 6.0 1233.333%

// Only the layer asking for ans gets the fields under entropy = huffman.
// HUFF: "name": "eie"
// HUFF-NOT: entropy_bits_weights
// HUFF: "name": "configured"
// HUFF: "entropy_bits_weights": 8,

// DEC: arith.constant {dc.layer = "eie"} dense<{{\[\[}}0.000000e+00], [0.000000e+00], [1.000000e+00], [2.000000e+00], [0.000000e+00], [0.000000e+00], [0.000000e+00], [0.000000e+00], [0.000000e+00], [0.000000e+00], [0.000000e+00], [0.000000e+00], [0.000000e+00], [0.000000e+00], [0.000000e+00], [0.000000e+00], [0.000000e+00], [0.000000e+00], [0.000000e+00], [0.000000e+00], [0.000000e+00], [0.000000e+00], [3.000000e+00]]> : tensor<23x1xf32>
func.func @eie(%x: tensor<1xf32>) -> tensor<23xf32> {
  %w = arith.constant {dc.layer = "eie"} dense<[[0.0], [0.0], [1.0], [2.0], [0.0], [0.0], [0.0], [0.0], [0.0], [0.0], [0.0], [0.0], [0.0], [0.0], [0.0], [0.0], [0.0], [0.0], [0.0], [0.0], [0.0], [0.0], [3.0]]> : tensor<23x1xf32>
  %o = arith.constant dense<0.0> : tensor<23xf32>
  %y = linalg.matvec ins(%w, %x : tensor<23x1xf32>, tensor<1xf32>) outs(%o : tensor<23xf32>) -> tensor<23xf32>
  return %y : tensor<23xf32>
}

func.func @configured(%x: tensor<1xf32>) -> tensor<23xf32> {
  %w = arith.constant {dc.layer = "configured", dc.config = {entropy = "ans"}} dense<[[0.0], [0.0], [1.0], [2.0], [0.0], [0.0], [0.0], [0.0], [0.0], [0.0], [0.0], [0.0], [0.0], [0.0], [0.0], [0.0], [0.0], [0.0], [0.0], [0.0], [0.0], [0.0], [3.0]]> : tensor<23x1xf32>
  %o = arith.constant dense<0.0> : tensor<23xf32>
  %y = linalg.matvec ins(%w, %x : tensor<23x1xf32>, tensor<1xf32>) outs(%o : tensor<23xf32>) -> tensor<23xf32>
  return %y : tensor<23xf32>
}
