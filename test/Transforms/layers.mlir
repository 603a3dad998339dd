// Which constants are layers: weights of every supported contraction form,
// named by dc.layer, by their location, or by their position.
// RUN: dc-opt %s --dc-cluster="bits=1 report=-" -o /dev/null 2>&1 | FileCheck %s
// RUN: dc-opt %s --dc-cluster=bits=1 | FileCheck %s --check-prefix=IR

// CHECK: layer
// CHECK-NEXT: matmul fc 4
// CHECK-NEXT: named_loc fc 4
// CHECK-NEXT: batch fc 8
// CHECK-NEXT: linear fc 6
// CHECK-NEXT: transposed_b fc 6
// CHECK-NEXT: generic fc 4
// CHECK-NEXT: nchw conv 4
// CHECK-NEXT: nhwc conv 4
// CHECK-NEXT: {{.*}}layers.mlir:{{[0-9]+}}:{{[0-9]+}} fc 4
// CHECK-NEXT: total total 44

// IR-LABEL: func @not_layers
// IR-NOT: dc.constant
// IR: return
// IR-LABEL: func @layers
// IR-COUNT-9: dc.decompress

#mk = affine_map<(m, n, k) -> (m, k)>
#nk = affine_map<(m, n, k) -> (n, k)>
#mn = affine_map<(m, n, k) -> (m, n)>
#kn = affine_map<(m, n, k) -> (k, n)>

func.func @not_layers(%x: tensor<2xf32>, %m: tensor<2x2xf32>) -> tensor<2x2xf32> {
  // Elementwise with a constant, a matmul's init: not weights.
  %c = arith.constant dense<[[1.0, 2.0], [3.0, 4.0]]> : tensor<2x2xf32>
  %e = tensor.empty() : tensor<2x2xf32>
  %s = linalg.add ins(%m, %c : tensor<2x2xf32>, tensor<2x2xf32>) outs(%e : tensor<2x2xf32>) -> tensor<2x2xf32>
  %init = arith.constant dense<[[1.0, 2.0], [3.0, 4.0]]> : tensor<2x2xf32>
  %y = linalg.matmul ins(%s, %m : tensor<2x2xf32>, tensor<2x2xf32>) outs(%init : tensor<2x2xf32>) -> tensor<2x2xf32>
  // A constant vector of a matrix-vector product is an activation.
  %cv = arith.constant dense<[1.0, 2.0]> : tensor<2xf32>
  %e2 = tensor.empty() : tensor<2xf32>
  %mv = linalg.matvec ins(%m, %cv : tensor<2x2xf32>, tensor<2xf32>) outs(%e2 : tensor<2xf32>) -> tensor<2xf32>
  %vm = linalg.vecmat ins(%cv, %m : tensor<2xf32>, tensor<2x2xf32>) outs(%e2 : tensor<2xf32>) -> tensor<2xf32>
  return %y : tensor<2x2xf32>
}

func.func @layers(%a: tensor<2x2xf32>, %v: tensor<2xf32>, %b: tensor<2x2x2xf32>, %x3: tensor<2x3xf32>,
                  %img: tensor<1x1x3x3xf32>, %imgh: tensor<1x3x3x1xf32>) {
  %z = arith.constant 0.0 : f32
  %e22 = tensor.empty() : tensor<2x2xf32>
  %o22 = linalg.fill ins(%z : f32) outs(%e22 : tensor<2x2xf32>) -> tensor<2x2xf32>
  %w1 = arith.constant {dc.layer = "matmul"} dense<[[1.0, 2.0], [3.0, 4.0]]> : tensor<2x2xf32>
  %r1 = linalg.matmul ins(%a, %w1 : tensor<2x2xf32>, tensor<2x2xf32>) outs(%o22 : tensor<2x2xf32>) -> tensor<2x2xf32>
  %w2 = arith.constant dense<[[1.0, 2.0], [3.0, 4.0]]> : tensor<2x2xf32> loc("named_loc")
  %e2 = tensor.empty() : tensor<2xf32>
  %r2 = linalg.matvec ins(%w2, %v : tensor<2x2xf32>, tensor<2xf32>) outs(%e2 : tensor<2xf32>) -> tensor<2xf32>
  %w3 = arith.constant {dc.layer = "batch"} dense<1.5> : tensor<2x2x2xf32>
  %e3 = tensor.empty() : tensor<2x2x2xf32>
  %r3 = linalg.batch_matmul ins(%b, %w3 : tensor<2x2x2xf32>, tensor<2x2x2xf32>) outs(%e3 : tensor<2x2x2xf32>) -> tensor<2x2x2xf32>
  // torch-mlir's nn.Linear.
  %w4 = arith.constant {dc.layer = "linear"} dense<[[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]> : tensor<2x3xf32>
  %e4 = tensor.empty() : tensor<3x2xf32>
  %t4 = linalg.transpose ins(%w4 : tensor<2x3xf32>) outs(%e4 : tensor<3x2xf32>) permutation = [1, 0]
  %r4 = linalg.matmul ins(%x3, %t4 : tensor<2x3xf32>, tensor<3x2xf32>) outs(%o22 : tensor<2x2xf32>) -> tensor<2x2xf32>
  %w5 = arith.constant {dc.layer = "transposed_b"} dense<[[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]> : tensor<2x3xf32>
  %r5 = linalg.matmul indexing_maps = [#mk, #nk, #mn] ins(%x3, %w5 : tensor<2x3xf32>, tensor<2x3xf32>) outs(%o22 : tensor<2x2xf32>) -> tensor<2x2xf32>
  %w6 = arith.constant {dc.layer = "generic"} dense<[[1.0, 2.0], [3.0, 4.0]]> : tensor<2x2xf32>
  %r6 = linalg.generic {indexing_maps = [#mk, #kn, #mn], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%a, %w6 : tensor<2x2xf32>, tensor<2x2xf32>) outs(%o22 : tensor<2x2xf32>) {
  ^bb0(%p: f32, %q: f32, %acc: f32):
    %m = arith.mulf %p, %q : f32
    %s = arith.addf %acc, %m : f32
    linalg.yield %s : f32
  } -> tensor<2x2xf32>
  %w7 = arith.constant {dc.layer = "nchw"} dense<[[[[1.0]]], [[[-2.0]]], [[[3.0]]], [[[4.0]]]]> : tensor<4x1x1x1xf32>
  %e7 = tensor.empty() : tensor<1x4x3x3xf32>
  %r7 = linalg.conv_2d_nchw_fchw ins(%img, %w7 : tensor<1x1x3x3xf32>, tensor<4x1x1x1xf32>) outs(%e7 : tensor<1x4x3x3xf32>) -> tensor<1x4x3x3xf32>
  %w8 = arith.constant {dc.layer = "nhwc"} dense<[[[[1.0, -2.0, 3.0, 4.0]]]]> : tensor<1x1x1x4xf32>
  %e8 = tensor.empty() : tensor<1x3x3x4xf32>
  %r8 = linalg.conv_2d_nhwc_hwcf ins(%imgh, %w8 : tensor<1x3x3x1xf32>, tensor<1x1x1x4xf32>) outs(%e8 : tensor<1x3x3x4xf32>) -> tensor<1x3x3x4xf32>
  %w9 = arith.constant dense<[[1.0, 2.0], [3.0, 4.0]]> : tensor<2x2xf32>
  %r9 = linalg.matmul ins(%a, %w9 : tensor<2x2xf32>, tensor<2x2xf32>) outs(%o22 : tensor<2x2xf32>) -> tensor<2x2xf32>
  return
}
