// The im2col copy of a convolution on a compressed NCHW filter (built by
// dc-rewrite-contractions: X[.., kh, kw, n, oh, ow] = I[n, .., oh*s + kh,
// ow*s + kw]) as vector rows (WindowCopy.cpp): one contiguous read per
// output row chunk (stride 2: a shuffle keeps every other element) and one
// vector write, instead of scalar loops. Each program compares the
// convolution on the compressed filter with the same convolution on the
// decoded filter (test/Kernels/Inputs/gen_conv.py): depthwise with stride 2
// and padding, W = 23; dense 3x3 with batch 2 and W = 19; 1x1 stride 2.
// (The depthwise one runs as the glue's rows on its filter decoded at load
// unless depthwise-rows=0, which the IR check uses.)
// RUN: %python %S/../Kernels/Inputs/gen_conv.py --op depthwise_conv_2d_nchw_chw --c 5 --h 13 --w 23 --strides 2,2 --pad 1,1,1,1 > %t.dw.mlir
// RUN: %python %S/../Kernels/Inputs/gen_conv.py --op conv_2d_nchw_fchw --n 2 --c 3 --f 4 --h 9 --w 19 --pad 1,1,1,1 --seed 3 > %t.conv.mlir
// RUN: %python %S/../Kernels/Inputs/gen_conv.py --op conv_2d_nchw_fchw --c 6 --f 5 --h 9 --w 11 --kh 1 --kw 1 --strides 2,2 --seed 5 > %t.pw.mlir
// RUN: dc-opt %t.dw.mlir --dc-compress="sparsity=0.5 bits=6" --dc-to-llvm | %run_main | FileCheck %s
// RUN: dc-opt %t.dw.mlir --dc-compress="sparsity=0.5 bits=6" --dc-to-llvm=vector-width=4 | %run_main | FileCheck %s
// RUN: dc-opt %t.conv.mlir --dc-compress="sparsity=0.5 bits=6" --dc-to-llvm | %run_main | FileCheck %s
// RUN: dc-opt %t.conv.mlir --dc-compress="sparsity=0.5 bits=6" --dc-to-llvm=vector-width=4 | %run_main | FileCheck %s
// RUN: dc-opt %t.pw.mlir --dc-compress="sparsity=0.5 bits=6" --dc-to-llvm | %run_main | FileCheck %s
// CHECK: ok 1
// CHECK: nonzero 1
//
// RUN: dc-opt %t.dw.mlir --dc-compress="sparsity=0.5 bits=6" --dc-rewrite-contractions=depthwise-rows=0 --dc-vectorize-linalg | FileCheck %s --check-prefix=IR
// Stride 2: each im2col row of 12 pixels is 23 contiguous input pixels,
// every other kept; no copying generic left. (@conv, the reference on the
// decoded filter, is a dense depthwise convolution: vector rows too.)
// IR-LABEL: func.func private @conv
// IR: vector.fma
// IR-LABEL: func.func @main
// IR-NOT: linalg.generic
// IR: %[[X:.+]] = vector.transfer_read {{.*}} : tensor<1x5x15x25xf32>, vector<23xf32>
// IR: vector.shuffle %[[X]], %[[X]] [0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22] : vector<23xf32>, vector<23xf32>
// IR: vector.transfer_write {{.*}} : vector<12xf32>, tensor<1x1x1x1x1x12xf32>
// IR-NOT: linalg.generic
// IR: dc.matmul {{.*}} {groups = 5 : i64}
