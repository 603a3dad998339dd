// The storage report of EIE's example, worked out by hand: 3 nonzeros and
// one filler; values 4 x 2 bits = 1 byte, gaps 4 x 4 bits = 2 bytes,
// codebook 16 bytes, pointers 2 x 4 bytes: bytes_pq = 27. Huffman: values
// 8 bits (1 byte) + 4 code lengths, gaps 6 bits (1 byte) + 16 code lengths:
// bytes_pqh = 1 + 1 + 20 + 16 + 8 = 46.
// RUN: dc-opt %s --dc-compress="bits=2 index-bits=4 report=%t.json" -o %t.mlir
// RUN: FileCheck %s < %t.json
// RUN: %python %S/Inputs/check_report.py %t.json %t.mlir | FileCheck %s --check-prefix=SIZES

// CHECK: "layers": [
// CHECK-NEXT: {
// CHECK-NEXT: "name": "eie",
// CHECK-NEXT: "kind": "fc",
// CHECK-NEXT: "shape": [
// CHECK-NEXT: 23,
// CHECK-NEXT: 1
// CHECK-NEXT: ],
// CHECK-NEXT: "weights": 23,
// CHECK-NEXT: "nonzeros": 3,
// CHECK-NEXT: "fillers": 1,
// CHECK-NEXT: "weight_bits": 2,
// CHECK-NEXT: "index_bits": 4,
// CHECK-NEXT: "codebook_entries": 4,
// CHECK-NEXT: "codebook": "layer",
// CHECK-NEXT: "codebooks": 1,
// CHECK-NEXT: "avg_weight_bits_huffman": 2,
// CHECK-NEXT: "avg_index_bits_huffman": 1.5,
// CHECK-NEXT: "bytes_dense": 92,
// CHECK-NEXT: "bytes_pq": 27,
// CHECK-NEXT: "bytes_pqh": 46,
// CHECK-NEXT: "ratio_pq": 3.4
// CHECK-NEXT: "ratio_pqh": 2
// CHECK: "total": {
// CHECK-NEXT: "name": "total",
// CHECK-NEXT: "kind": "total",
// CHECK-NEXT: "shape": [],
// SIZES: OK 1 layers
func.func @eie(%x: tensor<1xf32>) -> tensor<23xf32> {
  %w = arith.constant {dc.layer = "eie"} dense<[[0.0], [0.0], [1.0], [2.0], [0.0], [0.0], [0.0], [0.0], [0.0], [0.0], [0.0], [0.0], [0.0], [0.0], [0.0], [0.0], [0.0], [0.0], [0.0], [0.0], [0.0], [0.0], [3.0]]> : tensor<23x1xf32>
  %o = arith.constant dense<0.0> : tensor<23xf32>
  %y = linalg.matvec ins(%w, %x : tensor<23x1xf32>, tensor<1xf32>) outs(%o : tensor<23xf32>) -> tensor<23xf32>
  return %y : tensor<23xf32>
}
