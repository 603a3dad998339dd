// dc.matvec / dc.matmul (plain and transposed) on a Huffman-coded CSC weight
// held in a resource blob, run after dc-to-llvm (kernel passes, or the
// decompress + linalg fallback of dc-lower-decompress).
// W = [[0, 1], [-1, 0]].
// RUN: dc-opt %s --dc-to-llvm | mlir-runner -e main -entry-point-result=void -shared-libs=%mlir_runner_libs | FileCheck %s
// RUN: dc-opt %s --dc-lower-decompress --dc-to-llvm | mlir-runner -e main -entry-point-result=void -shared-libs=%mlir_runner_libs | FileCheck %s
// RUN: dc-opt %s -emit-bytecode | dc-opt --dc-to-llvm | mlir-runner -e main -entry-point-result=void -shared-libs=%mlir_runner_libs | FileCheck %s

!W = !dc.compressed<tensor<2x2xf32>, #dc.encoding<format = csc, bits = 2, index_bits = 2, entropy = huffman>>

func.func private @printMemrefF32(tensor<*xf32>)

func.func @compute(%x: tensor<2xf32>, %xs: tensor<2x3xf32>) -> (tensor<2xf32>, tensor<2xf32>, tensor<2x3xf32>, tensor<2x3xf32>) {
  %c = dc.constant {codebook = dense<[0.0, -1.0, 1.0, 2.0]> : tensor<4xf32>, pointers = dense<[0, 1, 2]> : tensor<3xi32>, values = dense_resource<csc_values> : tensor<1xi8>, gaps = dense<[1]> : tensor<1xi8>, value_code_lengths = dense<[0, 1, 1]> : tensor<3xi8>, gap_code_lengths = dense<[1, 1]> : tensor<2xi8>, num_entries = 2 : i64} : !W
  %y_init = tensor.empty() : tensor<2xf32>
  %y = dc.matvec %c, %x outs(%y_init) : !W, tensor<2xf32>, tensor<2xf32> -> tensor<2xf32>
  %yt_init = tensor.empty() : tensor<2xf32>
  %yt = dc.matvec %c, %x outs(%yt_init) {transpose_w} : !W, tensor<2xf32>, tensor<2xf32> -> tensor<2xf32>
  %ys_init = tensor.empty() : tensor<2x3xf32>
  %ys = dc.matmul %c, %xs outs(%ys_init) : !W, tensor<2x3xf32>, tensor<2x3xf32> -> tensor<2x3xf32>
  %yst_init = tensor.empty() : tensor<2x3xf32>
  %yst = dc.matmul %c, %xs outs(%yst_init) {transpose_w} : !W, tensor<2x3xf32>, tensor<2x3xf32> -> tensor<2x3xf32>
  return %y, %yt, %ys, %yst : tensor<2xf32>, tensor<2xf32>, tensor<2x3xf32>, tensor<2x3xf32>
}

func.func @main() {
  %x = arith.constant dense<[1.0, 2.0]> : tensor<2xf32>
  %xs = arith.constant dense<[[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]> : tensor<2x3xf32>
  %y, %yt, %ys, %yst = call @compute(%x, %xs) : (tensor<2xf32>, tensor<2x3xf32>) -> (tensor<2xf32>, tensor<2xf32>, tensor<2x3xf32>, tensor<2x3xf32>)
  // CHECK: data =
  // CHECK-NEXT: [2,  -1]
  %u0 = tensor.cast %y : tensor<2xf32> to tensor<*xf32>
  call @printMemrefF32(%u0) : (tensor<*xf32>) -> ()
  // CHECK: data =
  // CHECK-NEXT: [-2,  1]
  %u1 = tensor.cast %yt : tensor<2xf32> to tensor<*xf32>
  call @printMemrefF32(%u1) : (tensor<*xf32>) -> ()
  // CHECK: data =
  // CHECK-NEXT: {{\[}}[4,   5,   6],
  // CHECK-NEXT:  [-1,   -2,   -3]]
  %u2 = tensor.cast %ys : tensor<2x3xf32> to tensor<*xf32>
  call @printMemrefF32(%u2) : (tensor<*xf32>) -> ()
  // CHECK: data =
  // CHECK-NEXT: {{\[}}[-4,   -5,   -6],
  // CHECK-NEXT:  [1,   2,   3]]
  %u3 = tensor.cast %yst : tensor<2x3xf32> to tensor<*xf32>
  call @printMemrefF32(%u3) : (tensor<*xf32>) -> ()
  return
}

{-#
  dialect_resources: {
    builtin: {
      csc_values: "0x0100000002"
    }
  }
#-}
