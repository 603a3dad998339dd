// depthwise_conv_2d_nhwc_hwc: groups = C, one filter row per channel: the HWC
// filter is A^T ([KH*KW, C], transpose_w) of dc.matmul {groups = C}; a 3x3
// input with a 3x3 window (one output pixel) becomes dc.matvec {groups}.
// Each run compares the convolution on the compressed filter (@main, rewritten
// by dc-rewrite-contractions into im2col + dc.matmul) with the same
// convolution on the decoded filter (@conv, dense), see Inputs/gen_conv.py:
// batch 1, then batch 2 with strides, dilations, padding and a bias.
// RUN: %python %S/Inputs/gen_conv.py --op depthwise_conv_2d_nhwc_hwc --n 1 --c 5 --h 3 --w 3 > %t.b1.mlir
// RUN: %python %S/Inputs/gen_conv.py --op depthwise_conv_2d_nhwc_hwc --n 2 --c 6 --h 11 --w 10 --strides 2,3 --dilations 1,2 --pad 1,2,0,1 --bias --seed 6 > %t.b2.mlir
// RUN: dc-opt %t.b1.mlir --dc-compress="sparsity=0.6 bits=5" --dc-to-llvm | %dc_run | FileCheck %s
// RUN: dc-opt %t.b2.mlir --dc-compress="sparsity=0.5 bits=4 index-bits=3 format=csr entropy=none" --dc-to-llvm=vector-width=8 | %dc_run | FileCheck %s
// RUN: dc-opt %t.b2.mlir --dc-compress="sparsity=0.5 bits=4 index-bits=3 format=csr entropy=none" --dc-rewrite-contractions --dc-lower-compute="vector-width=4 rows-per-group=3" %dc_lower_rest | %dc_run | FileCheck %s
// RUN: dc-opt %t.b1.mlir --dc-compress="sparsity=0.6 bits=5" --dc-rewrite-contractions | FileCheck %s --check-prefix=B1
// RUN: dc-opt %t.b2.mlir --dc-compress="sparsity=0.5 bits=4 index-bits=3 format=csr entropy=none" --dc-rewrite-contractions | FileCheck %s --check-prefix=B2
// CHECK: ok 1
// CHECK: nonzero 1
// Without dc-lower-compute, dc-lower-decompress runs dc.matmul/dc.matvec
// {groups} densely (a batch_matmul / batch_matvec per group).
// RUN: dc-opt %t.b1.mlir --dc-compress="sparsity=0.6 bits=5" --dc-rewrite-contractions --dc-lower-decompress %dc_lower_rest | %dc_run | FileCheck %s
// RUN: dc-opt %t.b2.mlir --dc-compress="sparsity=0.5 bits=4 index-bits=3 format=csr entropy=none" --dc-rewrite-contractions --dc-lower-decompress %dc_lower_rest | %dc_run | FileCheck %s
// B1-LABEL: func.func @main
// B1: dc.matvec %{{.*}}, %{{.*}} outs(%{{.+}}) {groups = 5 : i64, transpose_w} : !dc.compressed<tensor<9x5xf32>, {{.*}}>, tensor<45xf32>, tensor<5xf32> -> tensor<5xf32>
// B1-NOT: linalg.conv
// B1-NOT: linalg.depthwise
// B1: call @conv
// B2-LABEL: func.func @main
// B2: tensor.pad %{{.*}} low[0, 1, 0, 0] high[0, 2, 1, 0]
// B2: dc.matmul %{{.*}}, %{{.*}} outs(%{{.+}}) {groups = 6 : i64, transpose_w} : !dc.compressed<tensor<9x6xf32>, {{.*}}>, tensor<54x36xf32>, tensor<6x36xf32> -> tensor<6x36xf32>
// B2-NOT: linalg.conv
// B2-NOT: linalg.depthwise
// B2: call @conv
