// The storage table (report=-): a legend of its columns (pq/pqh are percent
// of bytes_dense), columns aligned however long the layer names are, and a
// total row that agrees with its layer rows.
// RUN: dc-opt %s --dc-compress="sparsity=0.5 bits=3 report=-" -o /dev/null 2>&1 | FileCheck %s --strict-whitespace
// RUN: dc-opt %s --dc-compress="threshold=100 report=-" -o /dev/null 2>&1 | FileCheck %s --strict-whitespace --check-prefix=ALL

// CHECK: pq, pqh = bytes_pq, bytes_pqh as percent of bytes_dense
// The header, both layers and the total start their second column at the
// same place: after the longest name.
// CHECK:      {{^}}layer                                             kind      weights    kept  wbits wbitsH  ibits ibitsH    bytes_pqh      pq     pqh{{$}}
// CHECK-NEXT: {{^}}a_rather_long_layer_name_from_an_onnx_initializer fc             32  50.00%   3.00
// CHECK-NEXT: {{^}}b                                                 fc             16  50.00%   3.00
// CHECK-NEXT: {{^}}total                                             total          48  50.00%   3.00
// CHECK-NEXT: {{^}}compression:

// Everything pruned: every layer stores no entry; the total still shows the
// layers' 5-bit width (weighted by weights), not 0.
// ALL:      {{^}}b                                                 fc             16   0.00%   5.00
// ALL-NEXT: {{^}}total                                             total          48   0.00%   5.00

func.func @mlp(%x: tensor<1x4xf32>) -> tensor<1x2xf32> {
  %w1 = arith.constant {dc.layer = "a_rather_long_layer_name_from_an_onnx_initializer"} dense<[
    [0.9, -0.1, 0.3, 0.05, -0.7, 0.2, 0.15, -0.4],
    [0.1, 0.8, -0.2, 0.6, 0.02, -0.3, 0.7, 0.01],
    [-0.5, 0.2, 0.9, -0.1, 0.3, 0.04, -0.6, 0.4],
    [0.03, -0.9, 0.1, 0.5, -0.2, 0.8, 0.06, -0.3]]> : tensor<4x8xf32>
  %w2 = arith.constant {dc.layer = "b"} dense<[[0.5, -0.2], [0.1, 0.7], [-0.3, 0.4], [0.6, -0.8], [0.2, 0.3], [-0.1, 0.9], [0.4, -0.6], [0.8, 0.05]]> : tensor<8x2xf32>
  %z1 = arith.constant dense<0.0> : tensor<1x8xf32>
  %h = linalg.matmul ins(%x, %w1 : tensor<1x4xf32>, tensor<4x8xf32>) outs(%z1 : tensor<1x8xf32>) -> tensor<1x8xf32>
  %z2 = arith.constant dense<0.0> : tensor<1x2xf32>
  %y = linalg.matmul ins(%h, %w2 : tensor<1x8xf32>, tensor<8x2xf32>) outs(%z2 : tensor<1x2xf32>) -> tensor<1x2xf32>
  return %y : tensor<1x2xf32>
}
