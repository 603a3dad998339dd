// tensor.pad of an NCHW activation (1 pixel of zeros, as before a 3x3
// convolution): a vectorized fill of the padded tensor and a vectorized
// copy into its interior, no memref.copy; against the plain loop lowering.
// RUN: dc-opt %s --dc-to-llvm | %run_main > %t.vec
// RUN: dc-opt %s %loops_lower | %run_main > %t.ref
// RUN: %python %S/Inputs/compare.py %t.vec %t.ref | FileCheck %s
// RUN: dc-opt %s --dc-vectorize-linalg | FileCheck %s --check-prefix=IR
// CHECK: ok 1656
// RUN: dc-opt %s --dc-to-llvm | FileCheck %s --check-prefix=LLVM
// LLVM-NOT: memrefCopy
// LLVM: llvm.func @f(
// IR-LABEL: func.func @f
// IR-NOT: tensor.pad
// IR-NOT: linalg.
// IR: vector.transfer_write {{.*}} : vector<23xf32>
// IR: tensor.insert_slice

func.func @f(%x: tensor<2x3x10x21xf32>) -> tensor<2x3x12x23xf32> {
  %zero = arith.constant 0.0 : f32
  %p = tensor.pad %x low[0, 0, 1, 1] high[0, 0, 1, 1] {
  ^bb0(%a: index, %b: index, %c: index, %d: index):
    tensor.yield %zero : f32
  } : tensor<2x3x10x21xf32> to tensor<2x3x12x23xf32>
  return %p : tensor<2x3x12x23xf32>
}

func.func private @printMemrefF32(tensor<*xf32>)
func.func @main() {
  %x0_e = tensor.empty() : tensor<2x3x10x21xf32>
  %x0 = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} outs(%x0_e : tensor<2x3x10x21xf32>) {
  ^bb0(%o: f32):
    %lin0 = arith.constant 0 : index
    %i0 = linalg.index 3 : index
    %s0 = arith.constant 1 : index
    %m0 = arith.muli %i0, %s0 : index
    %lin1 = arith.addi %lin0, %m0 : index
    %i1 = linalg.index 2 : index
    %s1 = arith.constant 21 : index
    %m1 = arith.muli %i1, %s1 : index
    %lin2 = arith.addi %lin1, %m1 : index
    %i2 = linalg.index 1 : index
    %s2 = arith.constant 210 : index
    %m2 = arith.muli %i2, %s2 : index
    %lin3 = arith.addi %lin2, %m2 : index
    %i3 = linalg.index 0 : index
    %s3 = arith.constant 630 : index
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
  } -> tensor<2x3x10x21xf32>
  %y = call @f(%x0) : (tensor<2x3x10x21xf32>) -> tensor<2x3x12x23xf32>
  %c = tensor.cast %y : tensor<2x3x12x23xf32> to tensor<*xf32>
  call @printMemrefF32(%c) : (tensor<*xf32>) -> ()
  return
}
