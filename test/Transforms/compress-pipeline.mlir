// dc-compress = dc-prune, dc-cluster, dc-sparse-encode, dc-huffman: it
// decodes bit for bit to what pruning and clustering alone give.
// RUN: dc-opt %s --dc-prune=sparsity=0.5 --dc-cluster=bits=3 --dc-decompress-constants -o %t.pq.mlir
// RUN: dc-opt %s --dc-compress="sparsity=0.5 bits=3" --dc-decompress-constants -o %t.pqh.mlir
// RUN: dc-opt %s --dc-compress="sparsity=0.5 bits=3 entropy=none format=csr index-bits=2" --dc-decompress-constants -o %t.csr.mlir
// RUN: diff %t.pq.mlir %t.pqh.mlir
// RUN: diff %t.pq.mlir %t.csr.mlir
// RUN: dc-opt %s --dc-compress="sparsity=0.5 bits=3" | FileCheck %s
// RUN: dc-opt %s --dc-compress="sparsity=0.5 bits=3 entropy=none" | FileCheck %s --check-prefix=NONE
// RUN: dc-opt %s --dc-compress="sparsity=0.5 bits=3 report=-" -o /dev/null 2>&1 | FileCheck %s --check-prefix=TABLE
// Running the pipeline twice changes nothing.
// RUN: dc-opt %s --dc-compress="sparsity=0.5 bits=3" -o %t.once.mlir
// RUN: dc-opt %t.once.mlir --dc-compress="sparsity=0.5 bits=3" -o %t.twice.mlir
// RUN: diff %t.once.mlir %t.twice.mlir

// CHECK-LABEL: func @mlp
// CHECK: %[[C1:.+]] = dc.constant {{.*}}dc.layer = "fc1"{{.*}} : !dc.compressed<tensor<4x8xf32>, #dc.encoding<format = csc, bits = 3, entropy = huffman>>
// CHECK: %[[W1:.+]] = dc.decompress %[[C1]]
// CHECK: linalg.matmul ins(%{{.+}}, %[[W1]] :
// CHECK: %[[C2:.+]] = dc.constant {{.*}}dc.layer = "fc2"{{.*}} : !dc.compressed<tensor<8x2xf32>, #dc.encoding<format = csc, bits = 3, entropy = huffman>>
// CHECK: dc.decompress %[[C2]]
// The bias is untouched.
// CHECK: arith.constant dense<[1.000000e+00, 2.000000e+00]> : tensor<2xf32>
// NONE: #dc.encoding<format = csc, bits = 3>
// NONE-NOT: huffman
// TABLE: layer {{.*}} kept
// TABLE-NEXT: fc1 fc 32 50.00%
// TABLE-NEXT: fc2 fc 16 50.00%
// TABLE-NEXT: total total 48 50.00%
// TABLE-NEXT: compression:
func.func @mlp(%x: tensor<1x4xf32>) -> tensor<1x2xf32> {
  %w1 = arith.constant {dc.layer = "fc1"} dense<[[0.11, -0.52, 0.33, -0.04, 0.95, -0.66, 0.27, 0.08], [0.61, -0.12, 0.43, -0.84, 0.05, -0.36, 0.77, 0.18], [-0.21, 0.72, -0.03, 0.44, -0.55, 0.16, -0.97, 0.38], [0.31, -0.62, 0.13, -0.74, 0.25, 0.86, -0.07, 0.48]]> : tensor<4x8xf32>
  %z1 = arith.constant dense<0.0> : tensor<1x8xf32>
  %h = linalg.matmul ins(%x, %w1 : tensor<1x4xf32>, tensor<4x8xf32>) outs(%z1 : tensor<1x8xf32>) -> tensor<1x8xf32>
  %w2 = arith.constant {dc.layer = "fc2"} dense<[[0.5, -0.25], [0.125, 0.75], [-0.625, 0.375], [0.875, -0.0625], [0.3, -0.9], [0.45, 0.15], [-0.35, 0.65], [0.05, -0.55]]> : tensor<8x2xf32>
  %b = arith.constant dense<[1.0, 2.0]> : tensor<2xf32>
  %z2 = arith.constant dense<0.0> : tensor<1x2xf32>
  %y = linalg.matmul ins(%h, %w2 : tensor<1x8xf32>, tensor<8x2xf32>) outs(%z2 : tensor<1x2xf32>) -> tensor<1x2xf32>
  return %y : tensor<1x2xf32>
}
