// Softmax over rows as python/deep_compression/export.py emits it (max
// and sum reductions, exp, divide), 7 rows of 300: reductions become
// vector.reduction; against the plain loop lowering (exp and the
// reassociated sums differ in the last bits).
// RUN: dc-opt %s --dc-to-llvm | %run_main > %t.vec
// RUN: dc-opt %s %loops_lower | %run_main > %t.ref
// RUN: %python %S/Inputs/compare.py %t.vec %t.ref | FileCheck %s
// RUN: dc-opt %s --dc-vectorize-linalg=target-cpu=skylake-avx512 | FileCheck %s --check-prefix=IR
// CHECK: ok 2100
// IR-LABEL: func.func @f
// IR-NOT: linalg.generic
// IR: vector.reduction <maximumf>
// IR: math.exp {{.*}} : vector<64xf32>
// IR: vector.reduction <add>

func.func @f(%x: tensor<7x300xf32>) -> tensor<7x300xf32> {
  %ninf = arith.constant 0xFF800000 : f32
  %zero = arith.constant 0.0 : f32
  %me = tensor.empty() : tensor<7xf32>
  %mi = linalg.fill ins(%ninf : f32) outs(%me : tensor<7xf32>) -> tensor<7xf32>
  %mx = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0)>], iterator_types = ["parallel", "reduction"]} ins(%x : tensor<7x300xf32>) outs(%mi : tensor<7xf32>) {
  ^bb0(%in: f32, %acc: f32):
    %m = arith.maximumf %in, %acc : f32
    linalg.yield %m : f32
  } -> tensor<7xf32>
  %ee = tensor.empty() : tensor<7x300xf32>
  %ex = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} ins(%x, %mx : tensor<7x300xf32>, tensor<7xf32>) outs(%ee : tensor<7x300xf32>) {
  ^bb0(%in: f32, %m: f32, %o: f32):
    %d = arith.subf %in, %m : f32
    %e = math.exp %d : f32
    linalg.yield %e : f32
  } -> tensor<7x300xf32>
  %si = linalg.fill ins(%zero : f32) outs(%me : tensor<7xf32>) -> tensor<7xf32>
  %sm = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0)>], iterator_types = ["parallel", "reduction"]} ins(%ex : tensor<7x300xf32>) outs(%si : tensor<7xf32>) {
  ^bb0(%in: f32, %acc: f32):
    %s = arith.addf %in, %acc : f32
    linalg.yield %s : f32
  } -> tensor<7xf32>
  %y = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} ins(%ex, %sm : tensor<7x300xf32>, tensor<7xf32>) outs(%ee : tensor<7x300xf32>) {
  ^bb0(%in: f32, %s: f32, %o: f32):
    %q = arith.divf %in, %s : f32
    linalg.yield %q : f32
  } -> tensor<7x300xf32>
  return %y : tensor<7x300xf32>
}

func.func private @printMemrefF32(tensor<*xf32>)
func.func @main() {
  %x0_e = tensor.empty() : tensor<7x300xf32>
  %x0 = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} outs(%x0_e : tensor<7x300xf32>) {
  ^bb0(%o: f32):
    %lin0 = arith.constant 0 : index
    %i0 = linalg.index 1 : index
    %s0 = arith.constant 1 : index
    %m0 = arith.muli %i0, %s0 : index
    %lin1 = arith.addi %lin0, %m0 : index
    %i1 = linalg.index 0 : index
    %s1 = arith.constant 300 : index
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
  } -> tensor<7x300xf32>
  %y = call @f(%x0) : (tensor<7x300xf32>) -> tensor<7x300xf32>
  %c = tensor.cast %y : tensor<7x300xf32> to tensor<*xf32>
  call @printMemrefF32(%c) : (tensor<*xf32>) -> ()
  return
}
