// A copy that reads its input backwards (`2 - d3`, `4 - d4`: the flipped
// filter of an ONNX ConvTranspose) is not tiled: the tiler's operand slice
// for a reversed dimension came out one element wide and the tile did not
// verify (test_convtranspose of the ONNX node tests). Against the plain
// loop lowering.
// RUN: dc-opt %s --dc-to-llvm | %run_main > %t.vec
// RUN: dc-opt %s %loops_lower | %run_main > %t.ref
// RUN: %python %S/Inputs/compare.py %t.vec %t.ref | FileCheck %s
// RUN: dc-opt %s --dc-vectorize-linalg | FileCheck %s --check-prefix=IR
// CHECK: ok 60
// IR: #[[FLIP:.*]] = affine_map<(d0, d1, d2, d3, d4) -> (d0, d2, d1, -d3 + 2, -d4 + 4)>
// IR-LABEL: func.func @f
// IR-NOT: scf.for
// IR: linalg.generic {indexing_maps = [#[[FLIP]],
// IR-LABEL: func.func @main

func.func @f(%x: tensor<1x2x2x3x5xf32>) -> tensor<1x2x2x3x5xf32> {
  %e = tensor.empty() : tensor<1x2x2x3x5xf32>
  %y = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2, d3, d4) -> (d0, d2, d1, 2 - d3, 4 - d4)>, affine_map<(d0, d1, d2, d3, d4) -> (d0, d1, d2, d3, d4)>], iterator_types = ["parallel", "parallel", "parallel", "parallel", "parallel"]} ins(%x : tensor<1x2x2x3x5xf32>) outs(%e : tensor<1x2x2x3x5xf32>) {
  ^bb0(%in: f32, %out: f32):
    linalg.yield %in : f32
  } -> tensor<1x2x2x3x5xf32>
  return %y : tensor<1x2x2x3x5xf32>
}

func.func private @printMemrefF32(tensor<*xf32>)
func.func @main() {
  %xe = tensor.empty() : tensor<1x2x2x3x5xf32>
  %x = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2, d3, d4) -> (d0, d1, d2, d3, d4)>], iterator_types = ["parallel", "parallel", "parallel", "parallel", "parallel"]} outs(%xe : tensor<1x2x2x3x5xf32>) {
  ^bb0(%o: f32):
    %i1 = linalg.index 1 : index
    %i2 = linalg.index 2 : index
    %i3 = linalg.index 3 : index
    %i4 = linalg.index 4 : index
    %c2 = arith.constant 2 : index
    %c3 = arith.constant 3 : index
    %c5 = arith.constant 5 : index
    %a = arith.muli %i1, %c2 : index
    %b = arith.addi %a, %i2 : index
    %c = arith.muli %b, %c3 : index
    %d = arith.addi %c, %i3 : index
    %e = arith.muli %d, %c5 : index
    %lin = arith.addi %e, %i4 : index
    %ii = arith.index_cast %lin : index to i32
    %fi = arith.sitofp %ii : i32 to f32
    linalg.yield %fi : f32
  } -> tensor<1x2x2x3x5xf32>
  %y = call @f(%x) : (tensor<1x2x2x3x5xf32>) -> tensor<1x2x2x3x5xf32>
  %yc = tensor.cast %y : tensor<1x2x2x3x5xf32> to tensor<*xf32>
  call @printMemrefF32(%yc) : (tensor<*xf32>) -> ()
  return
}
