// Dense depthwise_conv_2d_nhwc_hwc (a MobileNet-style layer that stays
// uncompressed) to im2col + a vectorized batched matvec, batch 3 and stride
// (2, 1); against the plain loop lowering. Upstream's depthwise im2col
// collapses batch and channels into one matvec batch dim but keeps the
// filter at C rows, so for every image after the first it read filter rows
// past the end (garbage, test/Kernels/conv-dynamic.mlir); dc splits the
// batch into a loop over single images first.
// RUN: dc-opt %s --dc-to-llvm | %run_main > %t.vec
// RUN: dc-opt %s %loops_lower | %run_main > %t.ref
// RUN: %python %S/Inputs/compare.py %t.vec %t.ref | FileCheck %s
// RUN: dc-opt %s --dc-vectorize-linalg | FileCheck %s --check-prefix=IR
// CHECK: ok 288
// IR-LABEL: func.func @f
// IR-NOT: linalg.depthwise_conv
// IR-NOT: tensor<12x24x9xf32>
// IR: tensor.collapse_shape {{.*}} into tensor<4x9xf32>
// IR: tensor.collapse_shape {{.*}} into tensor<4x24x9xf32>
// IR: vector.fma
// IR: tensor.insert_slice {{.*}} into tensor<3x4x6x4xf32>
// IR-NOT: linalg.depthwise_conv

func.func @f(%x: tensor<3x9x8x4xf32>, %w: tensor<3x3x4xf32>) -> tensor<3x4x6x4xf32> {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<3x4x6x4xf32>
  %i = linalg.fill ins(%zero : f32) outs(%e : tensor<3x4x6x4xf32>) -> tensor<3x4x6x4xf32>
  %y = linalg.depthwise_conv_2d_nhwc_hwc {dilations = dense<1> : tensor<2xi64>, strides = dense<[2, 1]> : tensor<2xi64>} ins(%x, %w : tensor<3x9x8x4xf32>, tensor<3x3x4xf32>) outs(%i : tensor<3x4x6x4xf32>) -> tensor<3x4x6x4xf32>
  return %y : tensor<3x4x6x4xf32>
}

func.func private @printMemrefF32(tensor<*xf32>)
func.func @main() {
  %xe = tensor.empty() : tensor<3x9x8x4xf32>
  %x = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} outs(%xe : tensor<3x9x8x4xf32>) {
  ^bb0(%o: f32):
    %i0 = linalg.index 0 : index
    %i1 = linalg.index 1 : index
    %i2 = linalg.index 2 : index
    %i3 = linalg.index 3 : index
    %c9 = arith.constant 9 : index
    %c8 = arith.constant 8 : index
    %c4 = arith.constant 4 : index
    %a = arith.muli %i0, %c9 : index
    %b = arith.addi %a, %i1 : index
    %c = arith.muli %b, %c8 : index
    %d = arith.addi %c, %i2 : index
    %e = arith.muli %d, %c4 : index
    %lin = arith.addi %e, %i3 : index
    %ii = arith.index_cast %lin : index to i32
    %fi = arith.sitofp %ii : i32 to f32
    %ca = arith.constant 0.37 : f32
    %cb = arith.constant 0.1 : f32
    %t = arith.mulf %fi, %ca : f32
    %u = arith.addf %t, %cb : f32
    %v = math.sin %u : f32
    linalg.yield %v : f32
  } -> tensor<3x9x8x4xf32>
  %we = tensor.empty() : tensor<3x3x4xf32>
  %w = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d1, d2)>], iterator_types = ["parallel", "parallel", "parallel"]} outs(%we : tensor<3x3x4xf32>) {
  ^bb0(%o: f32):
    %i0 = linalg.index 0 : index
    %i1 = linalg.index 1 : index
    %i2 = linalg.index 2 : index
    %c3 = arith.constant 3 : index
    %c4 = arith.constant 4 : index
    %a = arith.muli %i0, %c3 : index
    %b = arith.addi %a, %i1 : index
    %c = arith.muli %b, %c4 : index
    %lin = arith.addi %c, %i2 : index
    %ii = arith.index_cast %lin : index to i32
    %fi = arith.sitofp %ii : i32 to f32
    %ca = arith.constant 0.53 : f32
    %cb = arith.constant 0.7 : f32
    %t = arith.mulf %fi, %ca : f32
    %u = arith.addf %t, %cb : f32
    %v = math.sin %u : f32
    linalg.yield %v : f32
  } -> tensor<3x3x4xf32>
  %y = call @f(%x, %w) : (tensor<3x9x8x4xf32>, tensor<3x3x4xf32>) -> tensor<3x4x6x4xf32>
  %yc = tensor.cast %y : tensor<3x4x6x4xf32> to tensor<*xf32>
  call @printMemrefF32(%yc) : (tensor<*xf32>) -> ()
  return
}
