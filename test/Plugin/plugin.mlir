// dc as a plugin of stock mlir-opt. A plugin that fails to load only prints
// "Request ignored" and mlir-opt exits 0, so every RUN line uses a dc op or
// pass and checks the output.
// RUN: mlir-opt %s --load-dialect-plugin=%dc_plugin --load-pass-plugin=%dc_plugin -p 'builtin.module(dc-to-llvm)' | mlir-runner -e main -entry-point-result=void -shared-libs=%mlir_runner_libs | FileCheck %s
// RUN: mlir-opt %s --load-dialect-plugin=%dc_plugin --load-pass-plugin=%dc_plugin -p 'builtin.module(dc-lower-decompress)' | FileCheck %s --check-prefix=LOWER
// RUN: mlir-opt %s --load-dialect-plugin=%dc_plugin | FileCheck %s --check-prefix=PARSE

// PARSE: dc.constant
// PARSE-SAME: #dc.encoding<format = csc, bits = 2, index_bits = 2, entropy = huffman>
// LOWER-NOT: dc.
// LOWER: memref.global "private" constant @__dc_w0_values
// LOWER: scf.while

!W = !dc.compressed<tensor<2x2xf32>, #dc.encoding<format = csc, bits = 2, index_bits = 2, entropy = huffman>>

func.func private @printMemrefF32(tensor<*xf32>)

// W = [[0, 1], [-1, 0]]
// CHECK: data =
// CHECK-NEXT: {{\[}}[0,   1],
// CHECK-NEXT:  [-1,   0]]
// CHECK: data =
// CHECK-NEXT: [2,  -1]
func.func @main() {
  %c = dc.constant {codebook = dense<[0.0, -1.0, 1.0, 2.0]> : tensor<4xf32>, pointers = dense<[0, 1, 2]> : tensor<3xi32>, values = dense<[2]> : tensor<1xi8>, gaps = dense<[1]> : tensor<1xi8>, value_code_lengths = dense<[0, 1, 1]> : tensor<3xi8>, gap_code_lengths = dense<[1, 1]> : tensor<2xi8>, num_entries = 2 : i64} : !W
  %d = dc.decompress %c : !W -> tensor<2x2xf32>
  %u = tensor.cast %d : tensor<2x2xf32> to tensor<*xf32>
  call @printMemrefF32(%u) : (tensor<*xf32>) -> ()
  %x = arith.constant dense<[1.0, 2.0]> : tensor<2xf32>
  %y_init = tensor.empty() : tensor<2xf32>
  %y = dc.matvec %c, %x outs(%y_init) : !W, tensor<2xf32>, tensor<2xf32> -> tensor<2xf32>
  %v = tensor.cast %y : tensor<2xf32> to tensor<*xf32>
  call @printMemrefF32(%v) : (tensor<*xf32>) -> ()
  return
}
