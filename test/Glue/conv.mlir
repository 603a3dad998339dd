// A dense conv_2d_nchw_fchw (a layer that stays uncompressed) to im2col
// and a vectorized contraction (batch 2, stride 1, 3 input channels);
// against the plain loop lowering.
// RUN: dc-opt %s --dc-to-llvm | %run_main > %t.vec
// RUN: dc-opt %s %loops_lower | %run_main > %t.ref
// RUN: %python %S/Inputs/compare.py %t.vec %t.ref | FileCheck %s
// RUN: dc-opt %s --dc-vectorize-linalg | FileCheck %s --check-prefix=IR
// CHECK: ok 1320
// IR-LABEL: func.func @f
// IR-NOT: linalg.conv
// IR: vector.fma

func.func @f(%x: tensor<2x3x12x13xf32>, %w: tensor<6x3x3x3xf32>) -> tensor<2x6x10x11xf32> {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<2x6x10x11xf32>
  %i = linalg.fill ins(%zero : f32) outs(%e : tensor<2x6x10x11xf32>) -> tensor<2x6x10x11xf32>
  %y = linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%x, %w : tensor<2x3x12x13xf32>, tensor<6x3x3x3xf32>) outs(%i : tensor<2x6x10x11xf32>) -> tensor<2x6x10x11xf32>
  return %y : tensor<2x6x10x11xf32>
}

func.func private @printMemrefF32(tensor<*xf32>)
func.func @main() {
  %x0_e = tensor.empty() : tensor<2x3x12x13xf32>
  %x0 = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} outs(%x0_e : tensor<2x3x12x13xf32>) {
  ^bb0(%o: f32):
    %lin0 = arith.constant 0 : index
    %i0 = linalg.index 3 : index
    %s0 = arith.constant 1 : index
    %m0 = arith.muli %i0, %s0 : index
    %lin1 = arith.addi %lin0, %m0 : index
    %i1 = linalg.index 2 : index
    %s1 = arith.constant 13 : index
    %m1 = arith.muli %i1, %s1 : index
    %lin2 = arith.addi %lin1, %m1 : index
    %i2 = linalg.index 1 : index
    %s2 = arith.constant 156 : index
    %m2 = arith.muli %i2, %s2 : index
    %lin3 = arith.addi %lin2, %m2 : index
    %i3 = linalg.index 0 : index
    %s3 = arith.constant 468 : index
    %m3 = arith.muli %i3, %s3 : index
    %lin4 = arith.addi %lin3, %m3 : index
    %ii = arith.index_cast %lin4 : index to i32
    %fi = arith.sitofp %ii : i32 to f32
    %ca = arith.constant 0.37 : f32
    %cb = arith.constant 0.1 : f32
    %t = arith.mulf %fi, %ca : f32
    %u = arith.addf %t, %cb : f32
    %v = math.sin %u : f32
    linalg.yield %v : f32
  } -> tensor<2x3x12x13xf32>
  %x1_e = tensor.empty() : tensor<6x3x3x3xf32>
  %x1 = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} outs(%x1_e : tensor<6x3x3x3xf32>) {
  ^bb0(%o: f32):
    %lin0 = arith.constant 0 : index
    %i0 = linalg.index 3 : index
    %s0 = arith.constant 1 : index
    %m0 = arith.muli %i0, %s0 : index
    %lin1 = arith.addi %lin0, %m0 : index
    %i1 = linalg.index 2 : index
    %s1 = arith.constant 3 : index
    %m1 = arith.muli %i1, %s1 : index
    %lin2 = arith.addi %lin1, %m1 : index
    %i2 = linalg.index 1 : index
    %s2 = arith.constant 9 : index
    %m2 = arith.muli %i2, %s2 : index
    %lin3 = arith.addi %lin2, %m2 : index
    %i3 = linalg.index 0 : index
    %s3 = arith.constant 27 : index
    %m3 = arith.muli %i3, %s3 : index
    %lin4 = arith.addi %lin3, %m3 : index
    %ii = arith.index_cast %lin4 : index to i32
    %fi = arith.sitofp %ii : i32 to f32
    %ca = arith.constant 0.53 : f32
    %cb = arith.constant 0.7 : f32
    %t = arith.mulf %fi, %ca : f32
    %u = arith.addf %t, %cb : f32
    %v = math.sin %u : f32
    linalg.yield %v : f32
  } -> tensor<6x3x3x3xf32>
  %y = call @f(%x0, %x1) : (tensor<2x3x12x13xf32>, tensor<6x3x3x3xf32>) -> tensor<2x6x10x11xf32>
  %c = tensor.cast %y : tensor<2x6x10x11xf32> to tensor<*xf32>
  call @printMemrefF32(%c) : (tensor<*xf32>) -> ()
  return
}
