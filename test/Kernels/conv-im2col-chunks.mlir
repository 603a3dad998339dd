// A convolution whose im2col buffer would exceed 2 MiB (kMaxIm2ColBytes in
// RewriteConvolutions.cpp) builds it a chunk of output pixels at a time: a
// loop over the leading output loops, each iteration an im2col of its
// pixels (a slice of the input window), a dc.matmul on it and an insert
// into Y, so the buffer stays bounded (a VGG layer would need 115 MB).
// Forms: NCHW with stride 2 (chunks of 16 output rows: the input slice
// starts at row 32 * chunk), NHWC/HWCF with batch 2 (one image per chunk,
// transpose_w), depthwise NHWC/HWC (groups, chunks of 8 rows). Each against
// the same convolution computed densely from the decoded filter
// (Inputs/gen_conv.py).
// RUN: %python %S/Inputs/gen_conv.py --op conv_2d_nchw_fchw --n 1 --c 32 --f 8 --h 129 --w 129 --strides 2,2 --seed 5 > %t.nchw.mlir
// RUN: %python %S/Inputs/gen_conv.py --op conv_2d_nhwc_hwcf --n 2 --c 32 --f 8 --h 65 --w 65 --strides 2,2 --bias --seed 6 > %t.nhwc.mlir
// RUN: %python %S/Inputs/gen_conv.py --op depthwise_conv_2d_nhwc_hwc --n 1 --c 64 --h 66 --w 66 --seed 7 > %t.dw.mlir
// RUN: dc-opt %t.nchw.mlir --dc-compress="sparsity=0.5 bits=5" --dc-to-llvm | %dc_run | FileCheck %s
// RUN: dc-opt %t.nhwc.mlir --dc-compress="sparsity=0.5 bits=5" --dc-to-llvm | %dc_run | FileCheck %s
// RUN: dc-opt %t.dw.mlir --dc-compress="sparsity=0.5 bits=5" --dc-to-llvm | %dc_run | FileCheck %s
// RUN: dc-opt %t.nchw.mlir --dc-compress="sparsity=0.5 bits=5" --dc-rewrite-contractions | FileCheck %s --check-prefix=NCHW
// RUN: dc-opt %t.nhwc.mlir --dc-compress="sparsity=0.5 bits=5" --dc-rewrite-contractions | FileCheck %s --check-prefix=NHWC
// RUN: dc-opt %t.dw.mlir --dc-compress="sparsity=0.5 bits=5" --dc-rewrite-contractions | FileCheck %s --check-prefix=DW
// CHECK: ok 1
// CHECK: nonzero 1

// NCHW-LABEL: func.func @main
// NCHW-NOT: tensor<288x4096xf32>
// NCHW: scf.for %{{.*}} = %c0{{.*}} to %c1 step %c1{{.*}} -> (tensor<8x4096xf32>)
// NCHW: scf.for %{{.*}} = %c0{{.*}} to %c64 step %c16 {{.*}} -> (tensor<8x4096xf32>)
// NCHW: tensor.extract_slice {{.*}} [1, 32, 33, 129] [1, 1, 1, 1] : tensor<1x32x129x129xf32> to tensor<1x32x33x129xf32>
// NCHW: linalg.generic {{.*}} outs(%{{.*}} : tensor<32x3x3x1x16x64xf32>)
// NCHW: dc.matmul {{.*}}, tensor<288x1024xf32>, tensor<8x1024xf32> -> tensor<8x1024xf32>
// NCHW: tensor.insert_slice {{.*}} [8, 1024] [1, 1] : tensor<8x1024xf32> into tensor<8x4096xf32>
// NCHW-NOT: tensor<288x4096xf32>

// NHWC-LABEL: func.func @main
// NHWC: scf.for %{{.*}} = %c0{{.*}} to %c2 step %c1{{.*}} -> (tensor<8x2048xf32>)
// NHWC: tensor.extract_slice {{.*}} [1, 65, 65, 32] [1, 1, 1, 1] : tensor<2x65x65x32xf32> to tensor<1x65x65x32xf32>
// NHWC: dc.matmul {{.*}} {transpose_w} {{.*}}, tensor<288x1024xf32>, tensor<8x1024xf32> -> tensor<8x1024xf32>
// NHWC: tensor.insert_slice {{.*}} [8, 1024] [1, 1] : tensor<8x1024xf32> into tensor<8x2048xf32>

// DW-LABEL: func.func @main
// DW: scf.for %{{.*}} = %c0{{.*}} to %c64 step %c8 {{.*}} -> (tensor<64x4096xf32>)
// DW: tensor.extract_slice {{.*}} [1, 10, 66, 64] [1, 1, 1, 1] : tensor<1x66x66x64xf32> to tensor<1x10x66x64xf32>
// DW: dc.matmul {{.*}} {groups = 64 : i64, transpose_w} {{.*}}, tensor<576x512xf32>, tensor<64x512xf32> -> tensor<64x512xf32>
// DW: tensor.insert_slice {{.*}} [64, 512] [1, 1] : tensor<64x512xf32> into tensor<64x4096xf32>
