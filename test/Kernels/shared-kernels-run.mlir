// Layers of one shape share their kernel body and decoder (shared-kernels.mlir
// checks the IR); each still computes with its own weights. Three 4x4
// matvec layers in a chain (y3 = C B A x), a 2x4 one (z = D x) and two 4x4
// layers at batch 2 (Q = F E X), compressed to 2 bits with Huffman coding.
// The weights take three distinct values (-1, 1, 2), which k-means keeps
// exactly, so the results are exact integers: y3 = [152, 47, 82, 133],
// z = [13, 5], Q = [[16, 2], [3, 17], [7, -1], [24, 10]].
// RUN: dc-opt %s --dc-compress=bits=2 --dc-to-llvm | %dc_run | FileCheck %s
// RUN: dc-opt %s --dc-compress=bits=2 --dc-to-llvm=layout=sparse | %dc_run | FileCheck %s
// RUN: dc-opt %s --dc-compress="bits=2 entropy=none" --dc-to-llvm=layout=sparse | %dc_run | FileCheck %s
// RUN: dc-opt %s --dc-compress="bits=2 entropy=ans" --dc-to-llvm=layout=sparse | %dc_run | FileCheck %s
// RUN: dc-opt %s --dc-compress=bits=2 --dc-rewrite-contractions --dc-lower-compute="layout=sparse vector-width=4 rows-per-group=3" %dc_lower_rest | %dc_run | FileCheck %s
// Two threads, every kernel split into chunks (the shared part functions).
// RUN: dc-opt %s --dc-compress=bits=2 --dc-rewrite-contractions --dc-lower-compute="layout=sparse threads=2 parallel-min-words=0" --dc-to-llvm=threads=2 | %dc_omp_run | FileCheck %s
// CHECK: 152
// CHECK-NEXT: 47
// CHECK-NEXT: 82
// CHECK-NEXT: 133
// CHECK-NEXT: 13
// CHECK-NEXT: 5
// CHECK-NEXT: 16
// CHECK-NEXT: 2
// CHECK-NEXT: 3
// CHECK-NEXT: 17
// CHECK-NEXT: 7
// CHECK-NEXT: -1
// CHECK-NEXT: 24
// CHECK-NEXT: 10

module {
  func.func @main() {
    %z = arith.constant 0.0 : f32
    %x = arith.constant dense<[1.0, 2.0, 3.0, 4.0]> : tensor<4xf32>
    %X = arith.constant dense<[[1.0, 0.0], [0.0, 1.0], [1.0, 1.0], [2.0, -1.0]]> : tensor<4x2xf32>
    %a = arith.constant {dc.layer = "a"} dense<[[1.0, 2.0, -1.0, 2.0], [2.0, 1.0, 2.0, -1.0], [-1.0, -1.0, 1.0, 2.0], [2.0, -1.0, 1.0, 1.0]]> : tensor<4x4xf32>
    %b = arith.constant {dc.layer = "b"} dense<[[2.0, 2.0, 1.0, -1.0], [1.0, -1.0, -1.0, 2.0], [2.0, 1.0, 2.0, 2.0], [-1.0, 2.0, 1.0, 1.0]]> : tensor<4x4xf32>
    %c = arith.constant {dc.layer = "c"} dense<[[1.0, -1.0, 2.0, 1.0], [2.0, 2.0, -1.0, 1.0], [1.0, 1.0, 1.0, -1.0], [-1.0, 2.0, 2.0, 2.0]]> : tensor<4x4xf32>
    %d = arith.constant {dc.layer = "d"} dense<[[1.0, -1.0, 2.0, 2.0], [2.0, 1.0, -1.0, 1.0]]> : tensor<2x4xf32>
    %e = arith.constant {dc.layer = "e"} dense<[[-1.0, 1.0, 2.0, 2.0], [2.0, 2.0, 1.0, -1.0], [1.0, 1.0, 2.0, -1.0], [2.0, -1.0, 2.0, 1.0]]> : tensor<4x4xf32>
    %f = arith.constant {dc.layer = "f"} dense<[[2.0, 1.0, -1.0, 1.0], [1.0, 2.0, 2.0, -1.0], [-1.0, -1.0, 1.0, 2.0], [2.0, 1.0, 1.0, 2.0]]> : tensor<4x4xf32>
    %e4 = tensor.empty() : tensor<4xf32>
    %i4 = linalg.fill ins(%z : f32) outs(%e4 : tensor<4xf32>) -> tensor<4xf32>
    %y1 = linalg.matvec ins(%a, %x : tensor<4x4xf32>, tensor<4xf32>) outs(%i4 : tensor<4xf32>) -> tensor<4xf32>
    %y2 = linalg.matvec ins(%b, %y1 : tensor<4x4xf32>, tensor<4xf32>) outs(%i4 : tensor<4xf32>) -> tensor<4xf32>
    %y3 = linalg.matvec ins(%c, %y2 : tensor<4x4xf32>, tensor<4xf32>) outs(%i4 : tensor<4xf32>) -> tensor<4xf32>
    %e2 = tensor.empty() : tensor<2xf32>
    %i2 = linalg.fill ins(%z : f32) outs(%e2 : tensor<2xf32>) -> tensor<2xf32>
    %zv = linalg.matvec ins(%d, %x : tensor<2x4xf32>, tensor<4xf32>) outs(%i2 : tensor<2xf32>) -> tensor<2xf32>
    %e42 = tensor.empty() : tensor<4x2xf32>
    %i42 = linalg.fill ins(%z : f32) outs(%e42 : tensor<4x2xf32>) -> tensor<4x2xf32>
    %p = linalg.matmul ins(%e, %X : tensor<4x4xf32>, tensor<4x2xf32>) outs(%i42 : tensor<4x2xf32>) -> tensor<4x2xf32>
    %q = linalg.matmul ins(%f, %p : tensor<4x4xf32>, tensor<4x2xf32>) outs(%i42 : tensor<4x2xf32>) -> tensor<4x2xf32>
    %c0 = arith.constant 0 : index
    %c1 = arith.constant 1 : index
    %c2 = arith.constant 2 : index
    %c3 = arith.constant 3 : index
    %y30 = tensor.extract %y3[%c0] : tensor<4xf32>
    %y31 = tensor.extract %y3[%c1] : tensor<4xf32>
    %y32 = tensor.extract %y3[%c2] : tensor<4xf32>
    %y33 = tensor.extract %y3[%c3] : tensor<4xf32>
    vector.print %y30 : f32
    vector.print %y31 : f32
    vector.print %y32 : f32
    vector.print %y33 : f32
    %z0 = tensor.extract %zv[%c0] : tensor<2xf32>
    %z1 = tensor.extract %zv[%c1] : tensor<2xf32>
    vector.print %z0 : f32
    vector.print %z1 : f32
    %q00 = tensor.extract %q[%c0, %c0] : tensor<4x2xf32>
    %q01 = tensor.extract %q[%c0, %c1] : tensor<4x2xf32>
    %q10 = tensor.extract %q[%c1, %c0] : tensor<4x2xf32>
    %q11 = tensor.extract %q[%c1, %c1] : tensor<4x2xf32>
    %q20 = tensor.extract %q[%c2, %c0] : tensor<4x2xf32>
    %q21 = tensor.extract %q[%c2, %c1] : tensor<4x2xf32>
    %q30 = tensor.extract %q[%c3, %c0] : tensor<4x2xf32>
    %q31 = tensor.extract %q[%c3, %c1] : tensor<4x2xf32>
    vector.print %q00 : f32
    vector.print %q01 : f32
    vector.print %q10 : f32
    vector.print %q11 : f32
    vector.print %q20 : f32
    vector.print %q21 : f32
    vector.print %q30 : f32
    vector.print %q31 : f32
    return
  }
}
