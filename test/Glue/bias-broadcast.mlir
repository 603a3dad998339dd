// A per-channel bias broadcast over NCHW plus ReLU (two generics, as
// python/deep_compression/export.py emits them), fused into one
// vectorized pass; against the plain loop lowering.
// RUN: dc-opt %s --dc-to-llvm | %run_main > %t.vec
// RUN: dc-opt %s %loops_lower | %run_main > %t.ref
// RUN: %python %S/Inputs/compare.py %t.vec %t.ref | FileCheck %s
// RUN: dc-opt %s --dc-vectorize-linalg | FileCheck %s --check-prefix=IR
// CHECK: ok 1430
// IR-LABEL: func.func @f
// IR-NOT: linalg.generic
// IR: arith.addf {{.*}} : vector<11xf32>
// IR-NEXT: arith.maximumf {{.*}} : vector<11xf32>

func.func @f(%x: tensor<2x5x13x11xf32>, %b: tensor<5xf32>) -> tensor<2x5x13x11xf32> {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<2x5x13x11xf32>
  %s = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>, affine_map<(d0, d1, d2, d3) -> (d1)>, affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%x, %b : tensor<2x5x13x11xf32>, tensor<5xf32>) outs(%e : tensor<2x5x13x11xf32>) {
  ^bb0(%in: f32, %c: f32, %o: f32):
    %a = arith.addf %in, %c : f32
    linalg.yield %a : f32
  } -> tensor<2x5x13x11xf32>
  %r = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>, affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%s : tensor<2x5x13x11xf32>) outs(%e : tensor<2x5x13x11xf32>) {
  ^bb0(%in: f32, %o: f32):
    %m = arith.maximumf %in, %zero : f32
    linalg.yield %m : f32
  } -> tensor<2x5x13x11xf32>
  return %r : tensor<2x5x13x11xf32>
}

func.func private @printMemrefF32(tensor<*xf32>)
func.func @main() {
  %x0_e = tensor.empty() : tensor<2x5x13x11xf32>
  %x0 = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} outs(%x0_e : tensor<2x5x13x11xf32>) {
  ^bb0(%o: f32):
    %lin0 = arith.constant 0 : index
    %i0 = linalg.index 3 : index
    %s0 = arith.constant 1 : index
    %m0 = arith.muli %i0, %s0 : index
    %lin1 = arith.addi %lin0, %m0 : index
    %i1 = linalg.index 2 : index
    %s1 = arith.constant 11 : index
    %m1 = arith.muli %i1, %s1 : index
    %lin2 = arith.addi %lin1, %m1 : index
    %i2 = linalg.index 1 : index
    %s2 = arith.constant 143 : index
    %m2 = arith.muli %i2, %s2 : index
    %lin3 = arith.addi %lin2, %m2 : index
    %i3 = linalg.index 0 : index
    %s3 = arith.constant 715 : index
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
  } -> tensor<2x5x13x11xf32>
  %x1_e = tensor.empty() : tensor<5xf32>
  %x1 = linalg.generic {indexing_maps = [affine_map<(d0) -> (d0)>], iterator_types = ["parallel"]} outs(%x1_e : tensor<5xf32>) {
  ^bb0(%o: f32):
    %lin0 = arith.constant 0 : index
    %i0 = linalg.index 0 : index
    %s0 = arith.constant 1 : index
    %m0 = arith.muli %i0, %s0 : index
    %lin1 = arith.addi %lin0, %m0 : index
    %ii = arith.index_cast %lin1 : index to i32
    %fi = arith.sitofp %ii : i32 to f32
    %ca = arith.constant 1.3 : f32
    %cb = arith.constant 0.2 : f32
    %t = arith.mulf %fi, %ca : f32
    %u = arith.addf %t, %cb : f32
    %v = math.sin %u : f32
    linalg.yield %v : f32
  } -> tensor<5xf32>
  %y = call @f(%x0, %x1) : (tensor<2x5x13x11xf32>, tensor<5xf32>) -> tensor<2x5x13x11xf32>
  %c = tensor.cast %y : tensor<2x5x13x11xf32> to tensor<*xf32>
  call @printMemrefF32(%c) : (tensor<*xf32>) -> ()
  return
}
