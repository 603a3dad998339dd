// A decompressed tensor returned from a function and overwritten in place by
// its caller: the buffer decoded once (a global) must not change, so later
// calls still see the weights. Also with decoding at every call.
// RUN: dc-opt %s --dc-to-llvm | mlir-runner -e main -entry-point-result=void -shared-libs=%mlir_runner_libs | FileCheck %s
// RUN: dc-opt %s --dc-lower-decompress=decode-once=false --dc-to-llvm | mlir-runner -e main -entry-point-result=void -shared-libs=%mlir_runner_libs | FileCheck %s

// CHECK: data =
// CHECK-NEXT: {{\[}}[9,   9],
// CHECK-NEXT:  [9,   9]]
// CHECK: data =
// CHECK-NEXT: {{\[}}[1,   2],
// CHECK-NEXT:  [0,   3]]
// CHECK: data =
// CHECK-NEXT: {{\[}}[0,   1],
// CHECK-NEXT:  [-1,   2]]

!E = !dc.compressed<tensor<2x2xf32>, #dc.encoding<format = dense, bits = 2>>
func.func private @printMemrefF32(tensor<*xf32>)
func.func @get() -> tensor<2x2xf32> {
  %c = dc.constant {codebook = dense<[0.0, -1.0, 1.0, 2.0]> : tensor<4xf32>, values = dense<[-40]> : tensor<1xi8>, num_entries = 4 : i64} : !E
  %d = dc.decompress %c : !E -> tensor<2x2xf32>
  return %d : tensor<2x2xf32>
}
func.func @main() {
  %a = call @get() : () -> tensor<2x2xf32>
  %nine = arith.constant 9.0 : f32
  %b = linalg.fill ins(%nine : f32) outs(%a : tensor<2x2xf32>) -> tensor<2x2xf32>
  %ub = tensor.cast %b : tensor<2x2xf32> to tensor<*xf32>
  call @printMemrefF32(%ub) : (tensor<*xf32>) -> ()
  %c = call @get() : () -> tensor<2x2xf32>
  %c2 = arith.constant dense<1.0> : tensor<2x2xf32>
  %s = arith.addf %c, %c2 : tensor<2x2xf32>
  %us = tensor.cast %s : tensor<2x2xf32> to tensor<*xf32>
  call @printMemrefF32(%us) : (tensor<*xf32>) -> ()
  %c3 = call @get() : () -> tensor<2x2xf32>
  %u3 = tensor.cast %c3 : tensor<2x2xf32> to tensor<*xf32>
  call @printMemrefF32(%u3) : (tensor<*xf32>) -> ()
  return
}
