// dc's ops inside a user's own pipeline (docs/Integration.md, "The
// composable pipeline"): dc's tensor-level passes, then upstream passes only
// (the user's tensor passes, one-shot-bufferize), then dc-lower-compute on
// the bufferized dc.matmul / dc.matvec (kernels reading the compressed
// weights), then upstream buffer deallocation, dc-expand-intrinsic-calls and
// upstream passes to LLVM: all in stock mlir-opt with the plugin. The
// numbers are checked against the values computed by hand (numpy), and
// dc-to-llvm (the same steps in one command) gives the same.
// RUN: mlir-opt %s --load-dialect-plugin=%dc_plugin --load-pass-plugin=%dc_plugin -p 'builtin.module(dc-compress{bits=4},dc-rewrite-contractions,dc-lower-decompress{keep-compute=1},canonicalize,cse,func.func(linalg-fuse-elementwise-ops),one-shot-bufferize{bufferize-function-boundaries function-boundary-type-conversion=identity-layout-map},dc-lower-compute,buffer-deallocation-pipeline,convert-bufferization-to-memref,dc-expand-intrinsic-calls,convert-linalg-to-loops,convert-vector-to-scf,lower-affine,convert-scf-to-cf,expand-strided-metadata,lower-affine,finalize-memref-to-llvm,convert-vector-to-llvm,convert-to-llvm,reconcile-unrealized-casts)' | mlir-runner -e main -entry-point-result=void -shared-libs=%mlir_runner_libs | FileCheck %s
// The same steps as separate tools: dc's passes through the plugin, the
// user's through plain mlir-opt invocations (the plugin loaded only so that
// they parse the dc ops and know how to bufferize them).
// RUN: mlir-opt %s --load-dialect-plugin=%dc_plugin --load-pass-plugin=%dc_plugin -p 'builtin.module(dc-compress{bits=4},dc-rewrite-contractions,dc-lower-decompress{keep-compute=1})' -o %t.tensors.mlir
// RUN: mlir-opt %t.tensors.mlir --load-dialect-plugin=%dc_plugin --canonicalize --cse --one-shot-bufferize="bufferize-function-boundaries function-boundary-type-conversion=identity-layout-map" -o %t.buffers.mlir
// RUN: FileCheck %s --check-prefix=BUF < %t.buffers.mlir
// RUN: mlir-opt %t.buffers.mlir --load-dialect-plugin=%dc_plugin --load-pass-plugin=%dc_plugin -p 'builtin.module(dc-lower-compute)' -o %t.kernels.mlir
// RUN: FileCheck %s --check-prefix=KERNELS < %t.kernels.mlir
// RUN: mlir-opt %t.kernels.mlir --load-dialect-plugin=%dc_plugin --load-pass-plugin=%dc_plugin -p 'builtin.module(buffer-deallocation-pipeline,convert-bufferization-to-memref,dc-expand-intrinsic-calls)' | mlir-opt --convert-linalg-to-loops --convert-vector-to-scf --lower-affine --convert-scf-to-cf --expand-strided-metadata --lower-affine --finalize-memref-to-llvm --convert-vector-to-llvm --convert-to-llvm --reconcile-unrealized-casts | mlir-runner -e main -entry-point-result=void -shared-libs=%mlir_runner_libs | FileCheck %s
// RUN: dc-opt %s --dc-compress=bits=4 --dc-to-llvm | mlir-runner -e main -entry-point-result=void -shared-libs=%mlir_runner_libs | FileCheck %s

// After one-shot-bufferize the dc ops are on memrefs; the weights are still
// compressed dc.constants.
// BUF-LABEL: func.func @model
// BUF: dc.constant
// BUF-NOT: dc.decompress
// BUF: dc.matmul %{{.+}}, %{{.+}} outs(%{{.+}}) : !dc.compressed<tensor<4x6xf32>, {{.+}}>, memref<6x3xf32>, memref<4x3xf32>
// BUF: dc.matmul %{{.+}}, %{{.+}} outs(%{{.+}}) : !dc.compressed<tensor<2x4xf32>, {{.+}}>, memref<4x3xf32>, memref<2x3xf32>
// BUF: dc.matvec %{{.+}}, %{{.+}} outs(%{{.+}}) : !dc.compressed<tensor<4x6xf32>, {{.+}}>, memref<6xf32>, memref<4xf32>
// After dc-lower-compute: calls of the generated kernels, no dc op left.
// KERNELS-NOT: dc.{{matvec|matmul|constant|decompress}}
// KERNELS-LABEL: func.func @model
// KERNELS: call @__dc_fc1_{{[0-9]+}}_{{(tiles_)?}}matmul3(
// KERNELS: call @__dc_fc2_{{[0-9]+}}_{{(tiles_)?}}matmul3(
// KERNELS: call @__dc_fc1_{{[0-9]+}}_{{(tiles_)?}}matvec(
// KERNELS-NOT: dc.{{matvec|matmul|constant|decompress}}

// h = relu(W1 X + b1), y = W2 h, z = W1 v (weights with at most 15
// distinct non-zero values: the 4-bit codebooks hold them exactly).
// CHECK: data =
// CHECK-NEXT: {{\[}}[3,   -0.75,   5.75],
// CHECK-NEXT:  [4.75,   2.25,   -1.75]]
// CHECK: data =
// CHECK-NEXT: [1.5,  3.5,  0,  -1.75]

func.func private @printMemrefF32(tensor<*xf32>)

func.func @model(%x: tensor<6x3xf32>, %v: tensor<6xf32>) -> (tensor<2x3xf32>, tensor<4xf32>) {
  %w1 = arith.constant {dc.layer = "fc1"} dense<[
    [1.0, 0.0, -1.0, 0.5, 0.0, 2.0],
    [0.0, 1.0, 0.0, -0.5, 1.0, 0.0],
    [2.0, -1.0, 0.0, 0.0, 0.5, -1.0],
    [0.0, 0.0, 1.0, 1.0, -1.0, 0.5]]> : tensor<4x6xf32>
  %w2 = arith.constant {dc.layer = "fc2"} dense<[
    [1.0, -1.0, 0.5, 0.0],
    [0.0, 2.0, -0.5, 1.0]]> : tensor<2x4xf32>
  %b1 = arith.constant dense<[0.5, -1.0, 0.0, 1.0]> : tensor<4xf32>
  %zero = arith.constant 0.0 : f32
  // fc1 with its bias as the matmul's init, then relu.
  %be = tensor.empty() : tensor<4x3xf32>
  %bias = linalg.broadcast ins(%b1 : tensor<4xf32>) outs(%be : tensor<4x3xf32>) dimensions = [1]
  %h0 = linalg.matmul ins(%w1, %x : tensor<4x6xf32>, tensor<6x3xf32>) outs(%bias : tensor<4x3xf32>) -> tensor<4x3xf32>
  %re = tensor.empty() : tensor<4x3xf32>
  %h = linalg.generic {indexing_maps = [affine_map<(i, j) -> (i, j)>, affine_map<(i, j) -> (i, j)>], iterator_types = ["parallel", "parallel"]} ins(%h0 : tensor<4x3xf32>) outs(%re : tensor<4x3xf32>) {
  ^bb0(%a: f32, %o: f32):
    %r = arith.maximumf %a, %zero : f32
    linalg.yield %r : f32
  } -> tensor<4x3xf32>
  // fc2 on a zero-filled init.
  %ye = tensor.empty() : tensor<2x3xf32>
  %yi = linalg.fill ins(%zero : f32) outs(%ye : tensor<2x3xf32>) -> tensor<2x3xf32>
  %y = linalg.matmul ins(%w2, %h : tensor<2x4xf32>, tensor<4x3xf32>) outs(%yi : tensor<2x3xf32>) -> tensor<2x3xf32>
  // fc1 again, on one vector.
  %ze = tensor.empty() : tensor<4xf32>
  %zi = linalg.fill ins(%zero : f32) outs(%ze : tensor<4xf32>) -> tensor<4xf32>
  %z = linalg.matvec ins(%w1, %v : tensor<4x6xf32>, tensor<6xf32>) outs(%zi : tensor<4xf32>) -> tensor<4xf32>
  return %y, %z : tensor<2x3xf32>, tensor<4xf32>
}

func.func @main() {
  %x = arith.constant dense<[[1.0, 0.0, 2.0], [0.0, 1.0, -1.0], [1.0, 1.0, 0.0], [2.0, 0.0, 1.0], [-1.0, 1.0, 1.0], [0.5, -1.0, 0.0]]> : tensor<6x3xf32>
  %v = arith.constant dense<[1.0, 2.0, 0.0, -1.0, 1.0, 0.5]> : tensor<6xf32>
  %y, %z = call @model(%x, %v) : (tensor<6x3xf32>, tensor<6xf32>) -> (tensor<2x3xf32>, tensor<4xf32>)
  %uy = tensor.cast %y : tensor<2x3xf32> to tensor<*xf32>
  call @printMemrefF32(%uy) : (tensor<*xf32>) -> ()
  %uz = tensor.cast %z : tensor<4xf32> to tensor<*xf32>
  call @printMemrefF32(%uz) : (tensor<*xf32>) -> ()
  return
}
