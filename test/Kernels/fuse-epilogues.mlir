// dc-fuse-epilogues: elementwise consumers of dc.matvec / dc.matmul become
// the op's epilogue, through the reshapes and transposes that arrange the
// product; what does not fit is left alone.
// RUN: dc-opt %s -split-input-file --dc-fuse-epilogues | FileCheck %s

!W = !dc.compressed<tensor<2x3xf32>, #dc.encoding<format = csc, bits = 2, index_bits = 2>>
#id2 = affine_map<(d0, d1) -> (d0, d1)>
#row = affine_map<(d0, d1) -> (d1)>

// nn.Linear at batch 1: expand_shape to [1, 2], bias along d1, then ReLU:
// both generics fold, the expand_shape follows the fused op.
// CHECK-LABEL: func.func @linear_relu
// CHECK-NOT: linalg.generic
// CHECK: %[[Y:.*]] = dc.matvec %{{.*}}, %{{.*}} outs(%{{.*}}) epilogue(%{{.*}} : tensor<2xf32>) {
// CHECK-NEXT: ^bb0(%[[S:.*]]: f32, %[[B:.*]]: f32):
// CHECK-NEXT: %[[Z:.*]] = arith.constant 0.000000e+00 : f32
// CHECK-NEXT: %[[A:.*]] = arith.addf %[[S]], %[[B]] : f32
// CHECK-NEXT: %[[R:.*]] = arith.maximumf %[[A]], %[[Z]] : f32
// CHECK-NEXT: dc.yield %[[R]] : f32
// CHECK: tensor.expand_shape %[[Y]] {{\[\[}}0, 1]] output_shape [1, 2]
// CHECK-NOT: linalg.generic
func.func @linear_relu(%x: tensor<3xf32>, %b: tensor<2xf32>) -> tensor<1x2xf32> {
  %c = dc.constant {codebook = dense<[0.0, -1.0, 1.0, 2.0]> : tensor<4xf32>, pointers = dense<[0, 1, 1, 2]> : tensor<4xi32>, values = dense<[9]> : tensor<1xi8>, gaps = dense<[1]> : tensor<1xi8>, num_entries = 2 : i64} : !W
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<2xf32>
  %y = dc.matvec %c, %x outs(%e) : !W, tensor<3xf32>, tensor<2xf32> -> tensor<2xf32>
  %ye = tensor.expand_shape %y [[0, 1]] output_shape [1, 2] : tensor<2xf32> into tensor<1x2xf32>
  %e1 = tensor.empty() : tensor<1x2xf32>
  %a = linalg.generic {indexing_maps = [#id2, #row, #id2], iterator_types = ["parallel", "parallel"]} ins(%ye, %b : tensor<1x2xf32>, tensor<2xf32>) outs(%e1 : tensor<1x2xf32>) {
  ^bb0(%in: f32, %bi: f32, %out: f32):
    %0 = arith.addf %in, %bi : f32
    linalg.yield %0 : f32
  } -> tensor<1x2xf32>
  %e2 = tensor.empty() : tensor<1x2xf32>
  %r = linalg.generic {indexing_maps = [#id2, #id2], iterator_types = ["parallel", "parallel"]} ins(%a : tensor<1x2xf32>) outs(%e2 : tensor<1x2xf32>) {
  ^bb0(%in: f32, %out: f32):
    %0 = arith.maximumf %in, %zero : f32
    linalg.yield %0 : f32
  } -> tensor<1x2xf32>
  return %r : tensor<1x2xf32>
}

// -----

!W = !dc.compressed<tensor<2x3xf32>, #dc.encoding<format = csc, bits = 2, index_bits = 2>>
#id2 = affine_map<(d0, d1) -> (d0, d1)>
#col = affine_map<(d0, d1) -> (d1)>

// nn.Linear at batch 4: the [2, 4] product transposed to [4, 2], the bias
// along d1 (a row of the product) and a residual laid out like the
// transposed result (not like the product: it stays a separate generic).
// The bias folds; the transpose follows the fused op.
// CHECK-LABEL: func.func @linear_batch
// CHECK: %[[Y:.*]] = dc.matmul %{{.*}}, %{{.*}} outs(%{{.*}}) epilogue(%{{.*}} : tensor<2xf32>) {
// CHECK: arith.addf
// CHECK: dc.yield
// CHECK: %[[T:.*]] = linalg.transpose ins(%[[Y]] : tensor<2x4xf32>) outs(%{{.*}} : tensor<4x2xf32>) permutation = [1, 0]
// CHECK: linalg.generic {{.*}} ins(%[[T]], %{{.*}} : tensor<4x2xf32>, tensor<4x2xf32>)
func.func @linear_batch(%x: tensor<3x4xf32>, %b: tensor<2xf32>, %res: tensor<4x2xf32>) -> tensor<4x2xf32> {
  %c = dc.constant {codebook = dense<[0.0, -1.0, 1.0, 2.0]> : tensor<4xf32>, pointers = dense<[0, 1, 1, 2]> : tensor<4xi32>, values = dense<[9]> : tensor<1xi8>, gaps = dense<[1]> : tensor<1xi8>, num_entries = 2 : i64} : !W
  %e = tensor.empty() : tensor<2x4xf32>
  %y = dc.matmul %c, %x outs(%e) : !W, tensor<3x4xf32>, tensor<2x4xf32> -> tensor<2x4xf32>
  %et = tensor.empty() : tensor<4x2xf32>
  %t = linalg.transpose ins(%y : tensor<2x4xf32>) outs(%et : tensor<4x2xf32>) permutation = [1, 0]
  %e1 = tensor.empty() : tensor<4x2xf32>
  %a = linalg.generic {indexing_maps = [#id2, #col, #id2], iterator_types = ["parallel", "parallel"]} ins(%t, %b : tensor<4x2xf32>, tensor<2xf32>) outs(%e1 : tensor<4x2xf32>) {
  ^bb0(%in: f32, %bi: f32, %out: f32):
    %0 = arith.addf %in, %bi : f32
    linalg.yield %0 : f32
  } -> tensor<4x2xf32>
  %e2 = tensor.empty() : tensor<4x2xf32>
  %r = linalg.generic {indexing_maps = [#id2, #id2, #id2], iterator_types = ["parallel", "parallel"]} ins(%a, %res : tensor<4x2xf32>, tensor<4x2xf32>) outs(%e2 : tensor<4x2xf32>) {
  ^bb0(%in: f32, %ri: f32, %out: f32):
    %0 = arith.addf %in, %ri : f32
    linalg.yield %0 : f32
  } -> tensor<4x2xf32>
  return %r : tensor<4x2xf32>
}

// -----

!W = !dc.compressed<tensor<2x3xf32>, #dc.encoding<format = csc, bits = 2, index_bits = 2>>
#id4 = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
#ch = affine_map<(d0, d1, d2, d3) -> (d1)>

// A 1x1 NCHW convolution: the [2, 4] product split into [1, 2, 2, 2]; an
// unfolded BatchNorm (scale and shift per channel, d1), a residual of the
// output's layout (the same element order as the product) and a clip to
// [0, 6] with a splat-constant bound all fold.
// CHECK-LABEL: func.func @conv_bn_residual
// CHECK-NOT: linalg.generic
// CHECK: %[[Y:.*]] = dc.matmul %{{.*}}, %{{.*}} outs(%{{.*}}) epilogue(%{{.*}}, %{{.*}}, %{{.*}} : tensor<2xf32>, tensor<2xf32>, tensor<2x4xf32>) {
// CHECK-NEXT: ^bb0(%[[S:.*]]: f32, %[[SC:.*]]: f32, %[[SH:.*]]: f32, %[[R:.*]]: f32):
// CHECK-DAG: %[[SIX:.*]] = arith.constant 6.000000e+00 : f32
// CHECK-DAG: %[[ZERO:.*]] = arith.constant 0.000000e+00 : f32
// CHECK: %[[M:.*]] = arith.mulf %[[S]], %[[SC]]
// CHECK-NEXT: %[[A:.*]] = arith.addf %[[M]], %[[SH]]
// CHECK-NEXT: %[[A2:.*]] = arith.addf %[[A]], %[[R]]
// CHECK-NEXT: %[[L:.*]] = arith.maximumf %[[A2]], %[[ZERO]]
// CHECK-NEXT: %[[H:.*]] = arith.minimumf %[[L]], %[[SIX]]
// CHECK-NEXT: dc.yield %[[H]]
// CHECK: tensor.expand_shape %[[Y]]
// CHECK-NOT: linalg.generic
func.func @conv_bn_residual(%x: tensor<3x4xf32>, %scale: tensor<2xf32>, %shift: tensor<2xf32>, %res: tensor<1x2x2x2xf32>) -> tensor<1x2x2x2xf32> {
  %c = dc.constant {codebook = dense<[0.0, -1.0, 1.0, 2.0]> : tensor<4xf32>, pointers = dense<[0, 1, 1, 2]> : tensor<4xi32>, values = dense<[9]> : tensor<1xi8>, gaps = dense<[1]> : tensor<1xi8>, num_entries = 2 : i64} : !W
  %six = arith.constant dense<6.0> : tensor<1x2x2x2xf32>
  %e = tensor.empty() : tensor<2x4xf32>
  %y = dc.matmul %c, %x outs(%e) : !W, tensor<3x4xf32>, tensor<2x4xf32> -> tensor<2x4xf32>
  %ye = tensor.expand_shape %y [[0, 1], [2, 3]] output_shape [1, 2, 2, 2] : tensor<2x4xf32> into tensor<1x2x2x2xf32>
  %e1 = tensor.empty() : tensor<1x2x2x2xf32>
  %bn = linalg.generic {indexing_maps = [#id4, #ch, #ch, #id4], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%ye, %scale, %shift : tensor<1x2x2x2xf32>, tensor<2xf32>, tensor<2xf32>) outs(%e1 : tensor<1x2x2x2xf32>) {
  ^bb0(%in: f32, %s: f32, %t: f32, %out: f32):
    %0 = arith.mulf %in, %s : f32
    %1 = arith.addf %0, %t : f32
    linalg.yield %1 : f32
  } -> tensor<1x2x2x2xf32>
  %e2 = tensor.empty() : tensor<1x2x2x2xf32>
  %r = linalg.generic {indexing_maps = [#id4, #id4, #id4, #id4], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%bn, %res, %six : tensor<1x2x2x2xf32>, tensor<1x2x2x2xf32>, tensor<1x2x2x2xf32>) outs(%e2 : tensor<1x2x2x2xf32>) {
  ^bb0(%in: f32, %ri: f32, %hi: f32, %out: f32):
    %0 = arith.addf %in, %ri : f32
    %lo = arith.constant 0.0 : f32
    %1 = arith.maximumf %0, %lo : f32
    %2 = arith.minimumf %1, %hi : f32
    linalg.yield %2 : f32
  } -> tensor<1x2x2x2xf32>
  return %r : tensor<1x2x2x2xf32>
}

// -----

!W = !dc.compressed<tensor<2x3xf32>, #dc.encoding<format = csc, bits = 2, index_bits = 2>>
#id = affine_map<(d0) -> (d0)>

// Not folded: the product has a second user; a generic that reads its outs.
// CHECK-LABEL: func.func @left_alone
// CHECK: dc.matvec %{{.*}}, %{{.*}} outs(%{{.*}}) : !dc.compressed
// CHECK: linalg.generic
// CHECK: dc.matvec %{{.*}}, %{{.*}} outs(%{{.*}}) : !dc.compressed
// CHECK: linalg.generic
func.func @left_alone(%x: tensor<3xf32>, %acc: tensor<2xf32>) -> (tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) {
  %c = dc.constant {codebook = dense<[0.0, -1.0, 1.0, 2.0]> : tensor<4xf32>, pointers = dense<[0, 1, 1, 2]> : tensor<4xi32>, values = dense<[9]> : tensor<1xi8>, gaps = dense<[1]> : tensor<1xi8>, num_entries = 2 : i64} : !W
  %e = tensor.empty() : tensor<2xf32>
  %y = dc.matvec %c, %x outs(%e) : !W, tensor<3xf32>, tensor<2xf32> -> tensor<2xf32>
  %e1 = tensor.empty() : tensor<2xf32>
  %a = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel"]} ins(%y : tensor<2xf32>) outs(%e1 : tensor<2xf32>) {
  ^bb0(%in: f32, %out: f32):
    %0 = math.tanh %in : f32
    linalg.yield %0 : f32
  } -> tensor<2xf32>
  %y2 = dc.matvec %c, %x outs(%e) : !W, tensor<3xf32>, tensor<2xf32> -> tensor<2xf32>
  %b = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel"]} ins(%y2 : tensor<2xf32>) outs(%acc : tensor<2xf32>) {
  ^bb0(%in: f32, %out: f32):
    %0 = arith.addf %in, %out : f32
    linalg.yield %0 : f32
  } -> tensor<2xf32>
  return %a, %y, %b : tensor<2xf32>, tensor<2xf32>, tensor<2xf32>
}
