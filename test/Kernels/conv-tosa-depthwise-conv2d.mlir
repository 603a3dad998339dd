// TOSA depthwise_conv2d (channel multiplier 2, bias, pad, stride, dilation)
// lowered by stock mlir-opt: tensor.pad + linalg.depthwise_conv_2d_nhwc_hwcm, a
// collapse and the bias add.
// Each run compares the convolution on the compressed filter (@main, rewritten
// by dc-rewrite-contractions into im2col + dc.matmul) with the same
// convolution on the decoded filter (@conv, dense), see Inputs/gen_conv.py:
// batch 1, then batch 2 with strides, dilations, padding and a bias.
// RUN: %python %S/Inputs/gen_conv.py --op tosa_depthwise_conv2d --n 1 --c 4 --f 2 --h 8 --w 7 | mlir-opt --pass-pipeline='builtin.module(func.func(tosa-to-linalg-named,tosa-to-linalg),tosa-to-arith)' > %t.b1.mlir
// RUN: %python %S/Inputs/gen_conv.py --op tosa_depthwise_conv2d --n 2 --c 3 --f 2 --h 9 --w 11 --strides 2,3 --dilations 1,2 --pad 1,1,2,1 --bias --seed 10 | mlir-opt --pass-pipeline='builtin.module(func.func(tosa-to-linalg-named,tosa-to-linalg),tosa-to-arith)' > %t.b2.mlir
// RUN: dc-opt %t.b1.mlir --dc-compress="sparsity=0.6 bits=5" --dc-to-llvm | %dc_run | FileCheck %s
// RUN: dc-opt %t.b2.mlir --dc-compress="sparsity=0.5 bits=4 index-bits=3 format=csr entropy=none" --dc-to-llvm=vector-width=8 | %dc_run | FileCheck %s
// RUN: dc-opt %t.b2.mlir --dc-compress="sparsity=0.5 bits=4 index-bits=3 format=csr entropy=none" --dc-rewrite-contractions --dc-lower-compute="vector-width=4 rows-per-group=3" %dc_lower_rest | %dc_run | FileCheck %s
// RUN: dc-opt %t.b1.mlir --dc-compress="sparsity=0.6 bits=5" --dc-rewrite-contractions | FileCheck %s --check-prefix=B1
// RUN: dc-opt %t.b2.mlir --dc-compress="sparsity=0.5 bits=4 index-bits=3 format=csr entropy=none" --dc-rewrite-contractions | FileCheck %s --check-prefix=B2
// CHECK: ok 1
// CHECK: nonzero 1
// B1-LABEL: func.func @main
// B1: dc.matmul %{{.*}}, %{{.*}} outs(%{{.+}}) {groups = 4 : i64, transpose_w} : !dc.compressed<tensor<9x8xf32>, {{.*}}>, tensor<36x30xf32>, tensor<8x30xf32> -> tensor<8x30xf32>
// B1-NOT: linalg.conv
// B1-NOT: linalg.depthwise
// B1: call @conv
// B2-LABEL: func.func @main
// B2: tensor.pad %{{.*}} low[0, 1, 2, 0] high[0, 1, 1, 0]
// B2: dc.matmul %{{.*}}, %{{.*}} outs(%{{.+}}) {groups = 3 : i64, transpose_w} : !dc.compressed<tensor<9x6xf32>, {{.*}}>, tensor<27x40xf32>, tensor<6x40xf32> -> tensor<6x40xf32>
// B2-NOT: linalg.conv
// B2-NOT: linalg.depthwise
// B2: call @conv
