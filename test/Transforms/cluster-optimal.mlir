// init=optimal: the least-squares codebook, and the report's clustering
// errors beside linear initialization's.
// RUN: dc-opt %s -split-input-file --dc-cluster="bits=2 init=optimal" | FileCheck %s
// RUN: dc-opt %s -split-input-file --dc-cluster="bits=2" | FileCheck %s --check-prefix=LIN
// RUN: dc-opt %s -split-input-file --dc-compress="bits=2 init=optimal report=%t.json" -o /dev/null
// RUN: FileCheck %s --input-file=%t.json --check-prefix=REPORT
// RUN: dc-opt %s -split-input-file --dc-compress="bits=2 report=%t-lin.json" -o /dev/null
// RUN: FileCheck %s --input-file=%t-lin.json --check-prefix=REPORT-LIN

// Nonzeros {1, 2, 3, 10, 20, 30}, 3 centroids. Linear init {1, 15.5, 30}
// converges to {2, 15, 30} (squared error 2 + 50 = 52); the optimum is
// {4, 20, 30} ({1, 2, 3, 10} together: 9 + 4 + 1 + 36 = 50). Sum of squares
// 1414: relative errors sqrt(50 / 1414) = 0.18804 and sqrt(52 / 1414) =
// 0.191768.
// CHECK-LABEL: func @six
// CHECK: dc.constant {codebook = dense<[0.000000e+00, 4.000000e+00, 2.000000e+01, 3.000000e+01]> : tensor<4xf32>
// LIN-LABEL: func @six
// LIN: dc.constant {codebook = dense<[0.000000e+00, 2.000000e+00, 1.500000e+01, 3.000000e+01]> : tensor<4xf32>
// REPORT: "name": "w"
// REPORT: "rel_error": 0.18804
// REPORT-NEXT: "rel_error_linear": 0.19176
// REPORT: "name": "total"
// REPORT: "rel_error": 0.18804
// REPORT-LIN: "rel_error": 0.19176
// REPORT-LIN-NEXT: "rel_error_linear": 0.19176
func.func @six(%x: tensor<4x1xf32>) -> tensor<2x1xf32> {
  %w = arith.constant {dc.layer = "w"} dense<[[1.0, 2.0, 0.0, 3.0], [10.0, 0.0, 20.0, 30.0]]> : tensor<2x4xf32>
  %o = arith.constant dense<0.0> : tensor<2x1xf32>
  %y = linalg.matmul ins(%w, %x : tensor<2x4xf32>, tensor<4x1xf32>) outs(%o : tensor<2x1xf32>) -> tensor<2x1xf32>
  return %y : tensor<2x1xf32>
}
