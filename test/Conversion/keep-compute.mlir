// dc-lower-decompress{keep-compute=1} (dc-to-llvm's first step): dc.matvec /
// dc.matmul that dc-lower-compute runs as kernels stay for bufferization;
// those without a kernel (raw f32 weight, dynamic shapes) become
// dc.decompress + linalg, decoded here like any other decompression.
// Without the option every one is lowered densely (lower_decompress.mlir).
// RUN: dc-opt %s --dc-lower-decompress=keep-compute=1 | FileCheck %s
// RUN: dc-opt %s --dc-lower-decompress | FileCheck %s --check-prefix=ALL

!W = !dc.compressed<tensor<2x3xf32>, #dc.encoding<format = csc, bits = 2, index_bits = 2>>
!R = !dc.compressed<tensor<2x2xf32>, #dc.encoding<format = dense, bits = 32>>

// CHECK-LABEL: func.func @f
// CHECK: %[[W:.+]] = dc.constant
// CHECK: dc.matvec %[[W]], %{{.+}} outs(%{{.+}}) : !dc.compressed<tensor<2x3xf32>
// CHECK: linalg.matvec ins(%{{.+}}, %{{.+}} : tensor<2x2xf32>, tensor<2xf32>)
// CHECK: linalg.matmul ins(%{{.+}}, %{{.+}} : tensor<2x3xf32>, tensor<3x?xf32>)
// CHECK-NOT: dc.decompress
// ALL-LABEL: func.func @f
// ALL-NOT: dc.matvec
// ALL-NOT: dc.matmul
// ALL-NOT: dc.constant
func.func @f(%x: tensor<3xf32>, %x2: tensor<2xf32>, %xd: tensor<3x?xf32>, %yd: tensor<2x?xf32>) -> (tensor<2xf32>, tensor<2xf32>, tensor<2x?xf32>) {
  %c = dc.constant {codebook = dense<[0.0, -1.0, 1.0, 2.0]> : tensor<4xf32>, pointers = dense<[0, 1, 1, 2]> : tensor<4xi32>, values = dense<[9]> : tensor<1xi8>, gaps = dense<[1]> : tensor<1xi8>, num_entries = 2 : i64} : !W
  %r = dc.constant {values = dense<[0, 0, 128, 63, 0, 0, 128, 63, 0, 0, 128, 63, 0, 0, 128, 63]> : tensor<16xi8>, num_entries = 4 : i64} : !R
  %e = tensor.empty() : tensor<2xf32>
  %y = dc.matvec %c, %x outs(%e) : !W, tensor<3xf32>, tensor<2xf32> -> tensor<2xf32>
  %e2 = tensor.empty() : tensor<2xf32>
  %y2 = dc.matvec %r, %x2 outs(%e2) : !R, tensor<2xf32>, tensor<2xf32> -> tensor<2xf32>
  %y3 = dc.matmul %c, %xd outs(%yd) : !W, tensor<3x?xf32>, tensor<2x?xf32> -> tensor<2x?xf32>
  return %y, %y2, %y3 : tensor<2xf32>, tensor<2xf32>, tensor<2x?xf32>
}
