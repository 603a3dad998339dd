// k-means weight sharing, worked out by hand.
// RUN: dc-opt %s -split-input-file --dc-cluster=bits=2 | FileCheck %s
// RUN: dc-opt %s -split-input-file --dc-cluster=bits=2 --dc-decompress-constants | FileCheck %s --check-prefix=DEC
// RUN: dc-opt %s -split-input-file --dc-cluster=bits=2 | dc-opt -split-input-file --dc-cluster=bits=1 | FileCheck %s

// Nonzeros {-1, -1, 1, 1, 2, 2}, 3 centroids, linear init at -1, 0.5, 2:
// 1 joins 0.5, which moves to 1. Codebook [0, -1, 1, 2]; indices
// [1,1,0,2, 2,3,3,0] packed 2 bits LSB-first: 0x85 (-123), 0x3E (62).
// CHECK-LABEL: func @linear
// CHECK: %[[C:.+]] = dc.constant {codebook = dense<[0.000000e+00, -1.000000e+00, 1.000000e+00, 2.000000e+00]> : tensor<4xf32>, dc.layer = "w", num_entries = 8 : i64, values = dense<[-123, 62]> : tensor<2xi8>} : !dc.compressed<tensor<2x4xf32>, #dc.encoding<format = dense, bits = 2>>
// CHECK: %[[W:.+]] = dc.decompress %[[C]]
// CHECK: linalg.matmul ins(%[[W]], %{{.+}} :
// DEC-LABEL: func @linear
// DEC: arith.constant {dc.layer = "w"} dense<{{\[\[}}-1.000000e+00, -1.000000e+00, 0.000000e+00, 1.000000e+00], [1.000000e+00, 2.000000e+00, 2.000000e+00, 0.000000e+00]]>
func.func @linear(%x: tensor<4x1xf32>) -> tensor<2x1xf32> {
  %w = arith.constant {dc.layer = "w"} dense<[[-1.0, -1.0, 0.0, 1.0], [1.0, 2.0, 2.0, 0.0]]> : tensor<2x4xf32>
  %o = arith.constant dense<0.0> : tensor<2x1xf32>
  %y = linalg.matmul ins(%w, %x : tensor<2x4xf32>, tensor<4x1xf32>) outs(%o : tensor<2x1xf32>) -> tensor<2x1xf32>
  return %y : tensor<2x1xf32>
}

// -----

// dc.config overrides the bit width: 1 bit gives one centroid, the mean 0.5.
// CHECK-LABEL: func @config_bits
// CHECK: dc.constant {codebook = dense<[0.000000e+00, 5.000000e-01]> : tensor<2xf32>, dc.config = {bits = 1 : i64}
// CHECK-SAME: #dc.encoding<format = dense, bits = 1>
// DEC-LABEL: func @config_bits
// DEC: arith.constant {dc.layer = "{{.*}}cluster.mlir:{{[0-9]+}}:{{[0-9]+}}"} dense<5.000000e-01> : tensor<2x2xf32>
func.func @config_bits(%x: tensor<2xf32>) -> tensor<2xf32> {
  %w = arith.constant {dc.config = {bits = 1}} dense<[[0.25, 0.75], [0.25, 0.75]]> : tensor<2x2xf32>
  %o = arith.constant dense<0.0> : tensor<2xf32>
  %y = linalg.matvec ins(%w, %x : tensor<2x2xf32>, tensor<2xf32>) outs(%o : tensor<2xf32>) -> tensor<2xf32>
  return %y : tensor<2xf32>
}

// -----

// skip in dc.config, and constants that are not weights, stay dense.
// CHECK-LABEL: func @skipped
// CHECK-NOT: dc.constant
// CHECK: return
func.func @skipped(%x: tensor<2xf32>) -> tensor<2xf32> {
  %w = arith.constant {dc.config = {skip = true}} dense<[[0.25, 0.75], [0.25, 0.75]]> : tensor<2x2xf32>
  %o = arith.constant dense<[1.0, 2.0]> : tensor<2xf32>
  %y = linalg.matvec ins(%w, %x : tensor<2x2xf32>, tensor<2xf32>) outs(%o : tensor<2xf32>) -> tensor<2xf32>
  %z = arith.addf %y, %o : tensor<2xf32>
  return %z : tensor<2xf32>
}
