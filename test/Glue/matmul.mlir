// A dense matmul (19x70 by 70x45: partial tiles in M and N) to register
// tiles: 8x32 accumulators carried through the K loop (hoisted out of
// memory), one broadcast-FMA row per K step; the fill fused into the
// tile; against the plain loop lowering.
// RUN: dc-opt %s --dc-to-llvm | %run_main > %t.vec
// RUN: dc-opt %s %loops_lower | %run_main > %t.ref
// RUN: %python %S/Inputs/compare.py %t.vec %t.ref | FileCheck %s
// RUN: dc-opt %s --dc-vectorize-linalg=target-cpu=skylake-avx512 | FileCheck %s --check-prefix=IR
// CHECK: ok 855
// IR-LABEL: func.func @f
// IR-NOT: linalg.
// IR: scf.for {{.*}} iter_args({{.*}}) -> ({{.*}}vector<8x32xf32>)
// IR: vector.fma {{.*}} : vector<32xf32>

func.func @f(%x: tensor<19x70xf32>, %w: tensor<70x45xf32>) -> tensor<19x45xf32> {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<19x45xf32>
  %i = linalg.fill ins(%zero : f32) outs(%e : tensor<19x45xf32>) -> tensor<19x45xf32>
  %y = linalg.matmul ins(%x, %w : tensor<19x70xf32>, tensor<70x45xf32>) outs(%i : tensor<19x45xf32>) -> tensor<19x45xf32>
  return %y : tensor<19x45xf32>
}

func.func private @printMemrefF32(tensor<*xf32>)
func.func @main() {
  %x0_e = tensor.empty() : tensor<19x70xf32>
  %x0 = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} outs(%x0_e : tensor<19x70xf32>) {
  ^bb0(%o: f32):
    %lin0 = arith.constant 0 : index
    %i0 = linalg.index 1 : index
    %s0 = arith.constant 1 : index
    %m0 = arith.muli %i0, %s0 : index
    %lin1 = arith.addi %lin0, %m0 : index
    %i1 = linalg.index 0 : index
    %s1 = arith.constant 70 : index
    %m1 = arith.muli %i1, %s1 : index
    %lin2 = arith.addi %lin1, %m1 : index
    %ii = arith.index_cast %lin2 : index to i32
    %fi = arith.sitofp %ii : i32 to f32
    %ca = arith.constant 0.37 : f32
    %cb = arith.constant 0.1 : f32
    %t = arith.mulf %fi, %ca : f32
    %u = arith.addf %t, %cb : f32
    %v = math.sin %u : f32
    linalg.yield %v : f32
  } -> tensor<19x70xf32>
  %x1_e = tensor.empty() : tensor<70x45xf32>
  %x1 = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} outs(%x1_e : tensor<70x45xf32>) {
  ^bb0(%o: f32):
    %lin0 = arith.constant 0 : index
    %i0 = linalg.index 1 : index
    %s0 = arith.constant 1 : index
    %m0 = arith.muli %i0, %s0 : index
    %lin1 = arith.addi %lin0, %m0 : index
    %i1 = linalg.index 0 : index
    %s1 = arith.constant 45 : index
    %m1 = arith.muli %i1, %s1 : index
    %lin2 = arith.addi %lin1, %m1 : index
    %ii = arith.index_cast %lin2 : index to i32
    %fi = arith.sitofp %ii : i32 to f32
    %ca = arith.constant 0.53 : f32
    %cb = arith.constant 0.7 : f32
    %t = arith.mulf %fi, %ca : f32
    %u = arith.addf %t, %cb : f32
    %v = math.sin %u : f32
    linalg.yield %v : f32
  } -> tensor<70x45xf32>
  %y = call @f(%x0, %x1) : (tensor<19x70xf32>, tensor<70x45xf32>) -> tensor<19x45xf32>
  %c = tensor.cast %y : tensor<19x45xf32> to tensor<*xf32>
  call @printMemrefF32(%c) : (tensor<*xf32>) -> ()
  return
}
