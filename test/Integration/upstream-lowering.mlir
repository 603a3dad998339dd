// dc inside a user's own pipeline: dc-compress, then dc-lower-decompress
// (each compressed weight decoded once, at first use, into a buffer), then
// upstream passes only (one-shot-bufferize and the loop lowering of
// TOOLCHAIN.md), through stock mlir-opt with the plugin. The result equals
// dc-to-llvm's (which runs the weights through dc's own kernels) to the
// printed digits.
// RUN: mlir-opt %s --load-dialect-plugin=%dc_plugin --load-pass-plugin=%dc_plugin -p 'builtin.module(dc-compress{sparsity=0.5 bits=4},dc-lower-decompress)' -o %t.decoded.mlir
// RUN: FileCheck %s --check-prefix=IR < %t.decoded.mlir
// RUN: mlir-opt %t.decoded.mlir --one-shot-bufferize=bufferize-function-boundaries --convert-linalg-to-loops --convert-scf-to-cf --expand-strided-metadata --lower-affine --finalize-memref-to-llvm --convert-to-llvm --reconcile-unrealized-casts | mlir-runner -e main -entry-point-result=void -shared-libs=%mlir_runner_libs | FileCheck %s
// RUN: dc-opt %s --dc-compress="sparsity=0.5 bits=4" --dc-to-llvm | mlir-runner -e main -entry-point-result=void -shared-libs=%mlir_runner_libs | FileCheck %s

// IR-NOT: dc.decompress
// IR: memref.global "private" constant @__dc_w0_values
// IR-NOT: @__dc_w1
// IR: linalg.matvec

// y = W x with x = [1, 1, 1, 1]: the row sums of W pruned to its 8 largest
// weights (4-bit codebook: the 8 survivors are their own centroids), e.g.
// row 1: 0.8 + 0.6.
// CHECK: data =
// CHECK-NEXT: [0.9,  1.4,  1.1,  -0.4]

func.func private @printMemrefF32(tensor<*xf32>)

func.func @main() {
  %w = arith.constant {dc.layer = "fc"} dense<[
    [0.9, -0.1, 0.3, 0.05],
    [0.1, 0.8, -0.2, 0.6],
    [-0.5, 0.2, 0.9, 0.7],
    [0.03, -0.9, 0.1, 0.5]]> : tensor<4x4xf32>
  // x is computed, not a constant (a constant x would be taken for a weight).
  %one = arith.constant 1.0 : f32
  %e = tensor.empty() : tensor<4xf32>
  %x = linalg.fill ins(%one : f32) outs(%e : tensor<4xf32>) -> tensor<4xf32>
  %init = arith.constant dense<0.0> : tensor<4xf32>
  %y = linalg.matvec ins(%w, %x : tensor<4x4xf32>, tensor<4xf32>) outs(%init : tensor<4xf32>) -> tensor<4xf32>
  %u = tensor.cast %y : tensor<4xf32> to tensor<*xf32>
  call @printMemrefF32(%u) : (tensor<*xf32>) -> ()
  return
}
