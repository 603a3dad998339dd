// dc.matvec / dc.matmul epilogues: the form round-trips, bufferizes (the
// operands become buffers, the region moves along), and every malformed
// epilogue gets its diagnostic.
// RUN: dc-opt %s -split-input-file -verify-diagnostics | FileCheck %s
// RUN: dc-opt %s -split-input-file -verify-diagnostics --one-shot-bufferize=bufferize-function-boundaries | FileCheck %s --check-prefix=BUF

!W = !dc.compressed<tensor<2x3xf32>, #dc.encoding<format = csc, bits = 2, index_bits = 2>>

// CHECK-LABEL: func.func @bias_relu
// CHECK: dc.matmul %{{.*}}, %{{.*}} outs(%{{.*}}) epilogue(%{{.*}}, %{{.*}} : tensor<2xf32>, tensor<2x4xf32>) {
// CHECK: ^bb0(%[[S:.*]]: f32, %[[B:.*]]: f32, %[[R:.*]]: f32):
// CHECK: arith.addf %[[S]], %[[B]]
// CHECK: dc.yield %{{.*}} : f32
// CHECK: } : !dc.compressed
// BUF-LABEL: func.func @bias_relu
// BUF: dc.matmul %{{.*}}, %{{.*}} outs(%{{.*}}) epilogue(%{{.*}}, %{{.*}} : memref<2xf32{{.*}}>, memref<2x4xf32{{.*}}>) {
// BUF: arith.maximumf
// BUF: dc.yield
func.func @bias_relu(%x: tensor<3x4xf32>, %b: tensor<2xf32>, %r: tensor<2x4xf32>) -> tensor<2x4xf32> {
  %c = dc.constant {codebook = dense<[0.0, -1.0, 1.0, 2.0]> : tensor<4xf32>, pointers = dense<[0, 1, 1, 2]> : tensor<4xi32>, values = dense<[9]> : tensor<1xi8>, gaps = dense<[1]> : tensor<1xi8>, num_entries = 2 : i64} : !W
  %e = tensor.empty() : tensor<2x4xf32>
  %y = dc.matmul %c, %x outs(%e) epilogue(%b, %r : tensor<2xf32>, tensor<2x4xf32>) {
  ^bb0(%s: f32, %bi: f32, %ri: f32):
    %0 = arith.addf %s, %bi : f32
    %1 = arith.addf %0, %ri : f32
    %z = arith.constant 0.0 : f32
    %2 = arith.maximumf %1, %z : f32
    dc.yield %2 : f32
  } : !W, tensor<3x4xf32>, tensor<2x4xf32> -> tensor<2x4xf32>
  return %y : tensor<2x4xf32>
}

// -----

!W = !dc.compressed<tensor<2x3xf32>, #dc.encoding<format = csc, bits = 2, index_bits = 2>>

// No operands: a clip.
// CHECK-LABEL: func.func @clip
// CHECK: dc.matvec %{{.*}}, %{{.*}} outs(%{{.*}}) epilogue {
// CHECK: arith.minimumf
func.func @clip(%x: tensor<3xf32>) -> tensor<2xf32> {
  %c = dc.constant {codebook = dense<[0.0, -1.0, 1.0, 2.0]> : tensor<4xf32>, pointers = dense<[0, 1, 1, 2]> : tensor<4xi32>, values = dense<[9]> : tensor<1xi8>, gaps = dense<[1]> : tensor<1xi8>, num_entries = 2 : i64} : !W
  %e = tensor.empty() : tensor<2xf32>
  %y = dc.matvec %c, %x outs(%e) epilogue {
  ^bb0(%s: f32):
    %lo = arith.constant 0.0 : f32
    %hi = arith.constant 6.0 : f32
    %0 = arith.maximumf %s, %lo : f32
    %1 = arith.minimumf %0, %hi : f32
    dc.yield %1 : f32
  } : !W, tensor<3xf32>, tensor<2xf32> -> tensor<2xf32>
  return %y : tensor<2xf32>
}

// -----

!W = !dc.compressed<tensor<2x3xf32>, #dc.encoding<format = csc, bits = 2, index_bits = 2>>
func.func @bad_shape(%x: tensor<3x4xf32>, %b: tensor<4xf32>) {
  %c = dc.constant {codebook = dense<[0.0, -1.0, 1.0, 2.0]> : tensor<4xf32>, pointers = dense<[0, 1, 1, 2]> : tensor<4xi32>, values = dense<[9]> : tensor<1xi8>, gaps = dense<[1]> : tensor<1xi8>, num_entries = 2 : i64} : !W
  %e = tensor.empty() : tensor<2x4xf32>
  // expected-error@+1 {{'dc.matmul' op epilogue operand 0 must have shape [2] (per row) or the shape of outs, got 'tensor<4xf32>'}}
  %y = dc.matmul %c, %x outs(%e) epilogue(%b : tensor<4xf32>) {
  ^bb0(%s: f32, %bi: f32):
    %0 = arith.addf %s, %bi : f32
    dc.yield %0 : f32
  } : !W, tensor<3x4xf32>, tensor<2x4xf32> -> tensor<2x4xf32>
  return
}

// -----

!W = !dc.compressed<tensor<2x3xf32>, #dc.encoding<format = csc, bits = 2, index_bits = 2>>
func.func @bad_element(%x: tensor<3xf32>, %b: tensor<2xf16>) {
  %c = dc.constant {codebook = dense<[0.0, -1.0, 1.0, 2.0]> : tensor<4xf32>, pointers = dense<[0, 1, 1, 2]> : tensor<4xi32>, values = dense<[9]> : tensor<1xi8>, gaps = dense<[1]> : tensor<1xi8>, num_entries = 2 : i64} : !W
  %e = tensor.empty() : tensor<2xf32>
  // expected-error@+1 {{'dc.matvec' op epilogue operand 0 must have f32 elements, got 'tensor<2xf16>'}}
  %y = dc.matvec %c, %x outs(%e) epilogue(%b : tensor<2xf16>) {
  ^bb0(%s: f32, %bi: f32):
    dc.yield %s : f32
  } : !W, tensor<3xf32>, tensor<2xf32> -> tensor<2xf32>
  return
}

// -----

!W = !dc.compressed<tensor<2x3xf32>, #dc.encoding<format = csc, bits = 2, index_bits = 2>>
func.func @mixed(%x: tensor<3xf32>, %b: memref<2xf32>) {
  %c = dc.constant {codebook = dense<[0.0, -1.0, 1.0, 2.0]> : tensor<4xf32>, pointers = dense<[0, 1, 1, 2]> : tensor<4xi32>, values = dense<[9]> : tensor<1xi8>, gaps = dense<[1]> : tensor<1xi8>, num_entries = 2 : i64} : !W
  %e = tensor.empty() : tensor<2xf32>
  // expected-error@+1 {{'dc.matvec' op epilogue operand 0 must be a tensor like outs, got 'memref<2xf32>'}}
  %y = dc.matvec %c, %x outs(%e) epilogue(%b : memref<2xf32>) {
  ^bb0(%s: f32, %bi: f32):
    dc.yield %s : f32
  } : !W, tensor<3xf32>, tensor<2xf32> -> tensor<2xf32>
  return
}

// -----

!W = !dc.compressed<tensor<2x3xf32>, #dc.encoding<format = csc, bits = 2, index_bits = 2>>
func.func @arg_count(%x: tensor<3xf32>, %b: tensor<2xf32>) {
  %c = dc.constant {codebook = dense<[0.0, -1.0, 1.0, 2.0]> : tensor<4xf32>, pointers = dense<[0, 1, 1, 2]> : tensor<4xi32>, values = dense<[9]> : tensor<1xi8>, gaps = dense<[1]> : tensor<1xi8>, num_entries = 2 : i64} : !W
  %e = tensor.empty() : tensor<2xf32>
  // expected-error@+1 {{'dc.matvec' op epilogue block must take 2 f32 arguments (the sum, then one per epilogue operand)}}
  %y = dc.matvec %c, %x outs(%e) epilogue(%b : tensor<2xf32>) {
  ^bb0(%s: f32):
    dc.yield %s : f32
  } : !W, tensor<3xf32>, tensor<2xf32> -> tensor<2xf32>
  return
}

// -----

!W = !dc.compressed<tensor<2x3xf32>, #dc.encoding<format = csc, bits = 2, index_bits = 2>>
func.func @not_elementwise(%x: tensor<3xf32>, %m: memref<2xf32>) {
  %c = dc.constant {codebook = dense<[0.0, -1.0, 1.0, 2.0]> : tensor<4xf32>, pointers = dense<[0, 1, 1, 2]> : tensor<4xi32>, values = dense<[9]> : tensor<1xi8>, gaps = dense<[1]> : tensor<1xi8>, num_entries = 2 : i64} : !W
  %e = tensor.empty() : tensor<2xf32>
  %y = dc.matvec %c, %x outs(%e) epilogue {
  ^bb0(%s: f32):
    // expected-error@+1 {{'arith.fptosi' op is not allowed in a dc epilogue (only scalar elementwise arith/math ops on f32 and i1 without memory effects)}}
    %j = arith.fptosi %s : f32 to i32
    dc.yield %s : f32
  } : !W, tensor<3xf32>, tensor<2xf32> -> tensor<2xf32>
  return
}

// -----

!W = !dc.compressed<tensor<2x3xf32>, #dc.encoding<format = csc, bits = 2, index_bits = 2>>
func.func @from_above(%x: tensor<3xf32>, %v: f32) {
  %c = dc.constant {codebook = dense<[0.0, -1.0, 1.0, 2.0]> : tensor<4xf32>, pointers = dense<[0, 1, 1, 2]> : tensor<4xi32>, values = dense<[9]> : tensor<1xi8>, gaps = dense<[1]> : tensor<1xi8>, num_entries = 2 : i64} : !W
  %e = tensor.empty() : tensor<2xf32>
  // expected-note@+1 {{required by region isolation constraints}}
  %y = dc.matvec %c, %x outs(%e) epilogue {
  ^bb0(%s: f32):
    // expected-error@+1 {{'arith.addf' op using value defined outside the region}}
    %0 = arith.addf %s, %v : f32
    dc.yield %0 : f32
  } : !W, tensor<3xf32>, tensor<2xf32> -> tensor<2xf32>
  return
}

// -----

!W = !dc.compressed<tensor<2x3xf32>, #dc.encoding<format = csc, bits = 2, index_bits = 2>>
func.func @no_region(%x: tensor<3xf32>, %b: tensor<2xf32>) {
  %c = dc.constant {codebook = dense<[0.0, -1.0, 1.0, 2.0]> : tensor<4xf32>, pointers = dense<[0, 1, 1, 2]> : tensor<4xi32>, values = dense<[9]> : tensor<1xi8>, gaps = dense<[1]> : tensor<1xi8>, num_entries = 2 : i64} : !W
  %e = tensor.empty() : tensor<2xf32>
  // expected-error@+1 {{'dc.matvec' op has epilogue operands but no epilogue region}}
  %y = "dc.matvec"(%c, %x, %e, %b) ({}) : (!W, tensor<3xf32>, tensor<2xf32>, tensor<2xf32>) -> tensor<2xf32>
  return
}

// -----

func.func @yield_outside(%v: f32) {
  // expected-error@+1 {{'dc.yield' op expects parent op to be one of 'dc.matvec, dc.matmul'}}
  dc.yield %v : f32
}
