// Layers found through the data movement front ends put between a weight
// constant and its contraction (transposes, copying and broadcasting
// generics, reshapes, whole slices), through a generic convolution, and
// compressed once however many contractions use them.
// RUN: dc-opt %s --dc-cluster="bits=2 report=-" -o /dev/null 2>&1 | FileCheck %s
// RUN: dc-opt %s --dc-cluster=bits=2 | FileCheck %s --check-prefix=IR

// CHECK: layer
// CHECK-NEXT: torch_linear fc 6
// CHECK-NEXT: torch_linear3d fc 6
// CHECK-NEXT: tosa fc 6
// CHECK-NEXT: reshaped fc 6
// CHECK-NEXT: sliced fc 4
// CHECK-NEXT: shared conv 4
// CHECK-NEXT: conv_generic conv 4
// CHECK-NEXT: total total 36

// IR-LABEL: func @chains
// The shared weight is one dc.constant for its two uses.
// IR-COUNT-7: dc.constant
// IR-NOT: dc.constant
// IR: return
// IR-LABEL: func @not_chains
// IR-NOT: dc.constant
// IR: return

#id2 = affine_map<(d0, d1) -> (d0, d1)>
#tr2 = affine_map<(d0, d1) -> (d1, d0)>
func.func @chains(%x: tensor<2x3xf32>, %x3: tensor<4x2x3xf32>, %tx: tensor<1x2x3xf32>,
                  %v: tensor<2xf32>, %img: tensor<1x3x3x1xf32>) {
  %z = arith.constant 0.0 : f32
  // torch-mlir nn.Linear: copying generic transposes the 2x3 weight.
  %w1 = arith.constant {dc.layer = "torch_linear"} dense<[[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]> : tensor<2x3xf32>
  %e1 = tensor.empty() : tensor<3x2xf32>
  %t1 = linalg.generic {indexing_maps = [#tr2, #id2], iterator_types = ["parallel", "parallel"]}
      ins(%w1 : tensor<2x3xf32>) outs(%e1 : tensor<3x2xf32>) {
  ^bb0(%a: f32, %b: f32):
    linalg.yield %a : f32
  } -> tensor<3x2xf32>
  %o1e = tensor.empty() : tensor<2x2xf32>
  %o1 = linalg.fill ins(%z : f32) outs(%o1e : tensor<2x2xf32>) -> tensor<2x2xf32>
  %r1 = linalg.matmul ins(%x, %t1 : tensor<2x3xf32>, tensor<3x2xf32>) outs(%o1 : tensor<2x2xf32>) -> tensor<2x2xf32>
  // torch-mlir on 3-D activations: transpose, broadcast over the batch,
  // batch_matmul.
  %w2 = arith.constant {dc.layer = "torch_linear3d"} dense<[[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]> : tensor<2x3xf32>
  %t2 = linalg.transpose ins(%w2 : tensor<2x3xf32>) outs(%e1 : tensor<3x2xf32>) permutation = [1, 0]
  %e2 = tensor.empty() : tensor<4x3x2xf32>
  %b2 = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d1, d2)>, affine_map<(d0, d1, d2) -> (d0, d1, d2)>], iterator_types = ["parallel", "parallel", "parallel"]}
      ins(%t2 : tensor<3x2xf32>) outs(%e2 : tensor<4x3x2xf32>) {
  ^bb0(%a: f32, %b: f32):
    linalg.yield %a : f32
  } -> tensor<4x3x2xf32>
  %o2e = tensor.empty() : tensor<4x2x2xf32>
  %r2 = linalg.batch_matmul ins(%x3, %b2 : tensor<4x2x3xf32>, tensor<4x3x2xf32>) outs(%o2e : tensor<4x2x2xf32>) -> tensor<4x2x2xf32>
  // TOSA's tosa.matmul: a 1xKxN constant into batch_matmul.
  %w3 = arith.constant {dc.layer = "tosa"} dense<[[[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]]]> : tensor<1x3x2xf32>
  %o3e = tensor.empty() : tensor<1x2x2xf32>
  %r3 = linalg.batch_matmul ins(%tx, %w3 : tensor<1x2x3xf32>, tensor<1x3x2xf32>) outs(%o3e : tensor<1x2x2xf32>) -> tensor<1x2x2xf32>
  // Reshapes: expand_shape then collapse_shape then tensor.reshape.
  %w4 = arith.constant {dc.layer = "reshaped"} dense<[1.0, 2.0, 3.0, 4.0, 5.0, 6.0]> : tensor<6xf32>
  %x4 = tensor.expand_shape %w4 [[0, 1]] output_shape [3, 2] : tensor<6xf32> into tensor<3x2xf32>
  %y4 = tensor.collapse_shape %x4 [[0, 1]] : tensor<3x2xf32> into tensor<6xf32>
  %s4 = arith.constant dense<[3, 2]> : tensor<2xi64>
  %z4 = tensor.reshape %y4(%s4) : (tensor<6xf32>, tensor<2xi64>) -> tensor<3x2xf32>
  %r4 = linalg.matmul ins(%x, %z4 : tensor<2x3xf32>, tensor<3x2xf32>) outs(%o1 : tensor<2x2xf32>) -> tensor<2x2xf32>
  // A whole-tensor extract_slice, into a vecmat.
  %w5 = arith.constant {dc.layer = "sliced"} dense<[[1.0, 2.0], [3.0, 4.0]]> : tensor<2x2xf32>
  %s5 = tensor.extract_slice %w5[0, 0] [2, 2] [1, 1] : tensor<2x2xf32> to tensor<2x2xf32>
  %o5e = tensor.empty() : tensor<2xf32>
  %r5 = linalg.vecmat ins(%v, %s5 : tensor<2xf32>, tensor<2x2xf32>) outs(%o5e : tensor<2xf32>) -> tensor<2xf32>
  // One constant, two uses: a matmul and (through a reshape) a convolution.
  %w6 = arith.constant {dc.layer = "shared"} dense<[[1.0, 2.0], [3.0, 4.0]]> : tensor<2x2xf32>
  %r6 = linalg.matmul ins(%o1, %w6 : tensor<2x2xf32>, tensor<2x2xf32>) outs(%o1 : tensor<2x2xf32>) -> tensor<2x2xf32>
  %f6 = tensor.expand_shape %w6 [[0, 1, 2], [3]] output_shape [1, 1, 2, 2] : tensor<2x2xf32> into tensor<1x1x2x2xf32>
  %img2 = tensor.empty() : tensor<1x3x3x2xf32>
  %o6e = tensor.empty() : tensor<1x3x3x2xf32>
  %r6c = linalg.conv_2d_nhwc_hwcf ins(%img2, %f6 : tensor<1x3x3x2xf32>, tensor<1x1x2x2xf32>) outs(%o6e : tensor<1x3x3x2xf32>) -> tensor<1x3x3x2xf32>
  // A convolution written as a linalg.generic (NHWC x HWCF, 2x2 window).
  %w7 = arith.constant {dc.layer = "conv_generic"} dense<[[[[1.0]], [[2.0]]], [[[3.0]], [[4.0]]]]> : tensor<2x2x1x1xf32>
  %o7e = tensor.empty() : tensor<1x2x2x1xf32>
  %r7 = linalg.generic {indexing_maps = [
      affine_map<(n, oh, ow, f, kh, kw, c) -> (n, oh + kh, ow + kw, c)>,
      affine_map<(n, oh, ow, f, kh, kw, c) -> (kh, kw, c, f)>,
      affine_map<(n, oh, ow, f, kh, kw, c) -> (n, oh, ow, f)>],
      iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction", "reduction", "reduction"]}
      ins(%img, %w7 : tensor<1x3x3x1xf32>, tensor<2x2x1x1xf32>) outs(%o7e : tensor<1x2x2x1xf32>) {
  ^bb0(%a: f32, %b: f32, %acc: f32):
    %m = arith.mulf %a, %b : f32
    %s = arith.addf %acc, %m : f32
    linalg.yield %s : f32
  } -> tensor<1x2x2x1xf32>
  return
}

func.func @not_chains(%x: tensor<2x3xf32>) -> (tensor<2x2xf32>, tensor<2x2xf32>) {
  %z = arith.constant 0.0 : f32
  %o1e = tensor.empty() : tensor<2x2xf32>
  %o1 = linalg.fill ins(%z : f32) outs(%o1e : tensor<2x2xf32>) -> tensor<2x2xf32>
  // A generic that computes (not a copy) between the constant and the matmul.
  %w1 = arith.constant dense<[[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]]> : tensor<3x2xf32>
  %e1 = tensor.empty() : tensor<3x2xf32>
  %n1 = linalg.generic {indexing_maps = [#id2, #id2], iterator_types = ["parallel", "parallel"]}
      ins(%w1 : tensor<3x2xf32>) outs(%e1 : tensor<3x2xf32>) {
  ^bb0(%a: f32, %b: f32):
    %n = arith.negf %a : f32
    linalg.yield %n : f32
  } -> tensor<3x2xf32>
  %r1 = linalg.matmul ins(%x, %n1 : tensor<2x3xf32>, tensor<3x2xf32>) outs(%o1 : tensor<2x2xf32>) -> tensor<2x2xf32>
  // A partial slice.
  %w2 = arith.constant dense<[[1.0, 2.0], [3.0, 4.0], [5.0, 6.0], [7.0, 8.0]]> : tensor<4x2xf32>
  %s2 = tensor.extract_slice %w2[1, 0] [3, 2] [1, 1] : tensor<4x2xf32> to tensor<3x2xf32>
  %r2 = linalg.matmul ins(%x, %s2 : tensor<2x3xf32>, tensor<3x2xf32>) outs(%o1 : tensor<2x2xf32>) -> tensor<2x2xf32>
  return %r1, %r2 : tensor<2x2xf32>, tensor<2x2xf32>
}
