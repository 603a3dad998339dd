// Two dc.constants of one type with different payloads (and no dc.layer)
// must get two execution layouts: the layout cache is keyed by all of the
// constant's attributes, payload properties included (a cache keyed by the
// discardable attributes alone computed y2 with c1's weights: 10 2 10 2).
// W1 = [[0,1,0],[2,0,0]] (codes 1, 2 of codebook 0,1,2,3), x = [1,10,100]:
// y1 = [10, 2]; W2 has the same codes in codebook 0,5,6,7: y2 = [50, 6].
// RUN: dc-opt %s --dc-to-llvm | %dc_run | FileCheck %s
// RUN: dc-opt %s --dc-rewrite-contractions --dc-lower-compute="dense-density=0" --dc-to-llvm | %dc_run | FileCheck %s
// CHECK: 10
// CHECK-NEXT: 2
// CHECK-NEXT: 50
// CHECK-NEXT: 6
!C = !dc.compressed<tensor<2x3xf32>, #dc.encoding<format = csr, bits = 2, index_bits = 2>>
module {
  func.func @main() {
    %i0 = arith.constant 0 : index
    %i1 = arith.constant 1 : index
    %x = arith.constant dense<[1.0, 10.0, 100.0]> : tensor<3xf32>
    %c1 = dc.constant {codebook = dense<[0.0, 1.0, 2.0, 3.0]> : tensor<4xf32>, pointers = dense<[0, 1, 2]> : tensor<3xi32>, values = dense<[9]> : tensor<1xi8>, gaps = dense<[1]> : tensor<1xi8>, num_entries = 2 : i64} : !C
    %c2 = dc.constant {codebook = dense<[0.0, 5.0, 6.0, 7.0]> : tensor<4xf32>, pointers = dense<[0, 1, 2]> : tensor<3xi32>, values = dense<[9]> : tensor<1xi8>, gaps = dense<[1]> : tensor<1xi8>, num_entries = 2 : i64} : !C
    %y1_init = tensor.empty() : tensor<2xf32>
    %y1 = dc.matvec %c1, %x outs(%y1_init) : !C, tensor<3xf32>, tensor<2xf32> -> tensor<2xf32>
    %y2_init = tensor.empty() : tensor<2xf32>
    %y2 = dc.matvec %c2, %x outs(%y2_init) : !C, tensor<3xf32>, tensor<2xf32> -> tensor<2xf32>
    %a = tensor.extract %y1[%i0] : tensor<2xf32>
    %b = tensor.extract %y1[%i1] : tensor<2xf32>
    %c = tensor.extract %y2[%i0] : tensor<2xf32>
    %d = tensor.extract %y2[%i1] : tensor<2xf32>
    vector.print %a : f32
    vector.print %b : f32
    vector.print %c : f32
    vector.print %d : f32
    return
  }
}
