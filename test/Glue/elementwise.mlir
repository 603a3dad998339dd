// Elementwise arith/math on tensors (odd sizes: the tile loops are peeled),
// vectorized by dc-vectorize-linalg, against the plain loop lowering.
// RUN: dc-opt %s --dc-to-llvm | %run_main > %t.vec
// RUN: dc-opt %s %loops_lower | %run_main > %t.ref
// RUN: %python %S/Inputs/compare.py %t.vec %t.ref | FileCheck %s
// RUN: dc-opt %s --convert-elementwise-to-linalg --dc-vectorize-linalg | FileCheck %s --check-prefix=IR
// CHECK: ok 3219
// IR-LABEL: func.func @f
// IR-NOT: linalg.generic
// IR: arith.maximumf {{.*}} : vector<29xf32>
// IR: math.tanh {{.*}} : vector<29xf32>

func.func @f(%x: tensor<3x37x29xf32>, %z: tensor<3x37x29xf32>) -> tensor<3x37x29xf32> {
  %c = arith.constant dense<1.5> : tensor<3x37x29xf32>
  %d = arith.constant dense<0.3> : tensor<3x37x29xf32>
  %zero = arith.constant dense<0.0> : tensor<3x37x29xf32>
  %a = arith.mulf %x, %c : tensor<3x37x29xf32>
  %b = arith.subf %a, %d : tensor<3x37x29xf32>
  %r = arith.maximumf %b, %zero : tensor<3x37x29xf32>
  %t = math.tanh %z : tensor<3x37x29xf32>
  %s = arith.addf %r, %t : tensor<3x37x29xf32>
  return %s : tensor<3x37x29xf32>
}

func.func private @printMemrefF32(tensor<*xf32>)
func.func @main() {
  %x0_e = tensor.empty() : tensor<3x37x29xf32>
  %x0 = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d1, d2)>], iterator_types = ["parallel", "parallel", "parallel"]} outs(%x0_e : tensor<3x37x29xf32>) {
  ^bb0(%o: f32):
    %lin0 = arith.constant 0 : index
    %i0 = linalg.index 2 : index
    %s0 = arith.constant 1 : index
    %m0 = arith.muli %i0, %s0 : index
    %lin1 = arith.addi %lin0, %m0 : index
    %i1 = linalg.index 1 : index
    %s1 = arith.constant 29 : index
    %m1 = arith.muli %i1, %s1 : index
    %lin2 = arith.addi %lin1, %m1 : index
    %i2 = linalg.index 0 : index
    %s2 = arith.constant 1073 : index
    %m2 = arith.muli %i2, %s2 : index
    %lin3 = arith.addi %lin2, %m2 : index
    %ii = arith.index_cast %lin3 : index to i32
    %fi = arith.sitofp %ii : i32 to f32
    %ca = arith.constant 0.37 : f32
    %cb = arith.constant 0.1 : f32
    %t = arith.mulf %fi, %ca : f32
    %u = arith.addf %t, %cb : f32
    %v = math.sin %u : f32
    linalg.yield %v : f32
  } -> tensor<3x37x29xf32>
  %x1_e = tensor.empty() : tensor<3x37x29xf32>
  %x1 = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d1, d2)>], iterator_types = ["parallel", "parallel", "parallel"]} outs(%x1_e : tensor<3x37x29xf32>) {
  ^bb0(%o: f32):
    %lin0 = arith.constant 0 : index
    %i0 = linalg.index 2 : index
    %s0 = arith.constant 1 : index
    %m0 = arith.muli %i0, %s0 : index
    %lin1 = arith.addi %lin0, %m0 : index
    %i1 = linalg.index 1 : index
    %s1 = arith.constant 29 : index
    %m1 = arith.muli %i1, %s1 : index
    %lin2 = arith.addi %lin1, %m1 : index
    %i2 = linalg.index 0 : index
    %s2 = arith.constant 1073 : index
    %m2 = arith.muli %i2, %s2 : index
    %lin3 = arith.addi %lin2, %m2 : index
    %ii = arith.index_cast %lin3 : index to i32
    %fi = arith.sitofp %ii : i32 to f32
    %ca = arith.constant 0.71 : f32
    %cb = arith.constant 0.5 : f32
    %t = arith.mulf %fi, %ca : f32
    %u = arith.addf %t, %cb : f32
    %v = math.sin %u : f32
    linalg.yield %v : f32
  } -> tensor<3x37x29xf32>
  %y = call @f(%x0, %x1) : (tensor<3x37x29xf32>, tensor<3x37x29xf32>) -> tensor<3x37x29xf32>
  %c = tensor.cast %y : tensor<3x37x29xf32> to tensor<*xf32>
  call @printMemrefF32(%c) : (tensor<*xf32>) -> ()
  return
}
