// TOSA conv2d (bias, zero points, pad, stride, dilation) lowered by stock mlir-
// opt (tosa-to-linalg-named, tosa-to-linalg, tosa-to-arith): tensor.pad +
// linalg.conv_2d_nhwc_fhwc on the filter constant; the pad must reach the
// compiled code.
// Each run compares the convolution on the compressed filter (@main, rewritten
// by dc-rewrite-contractions into im2col + dc.matmul) with the same
// convolution on the decoded filter (@conv, dense), see Inputs/gen_conv.py:
// batch 1, then batch 2 with strides, dilations, padding and a bias.
// RUN: %python %S/Inputs/gen_conv.py --op tosa_conv2d --n 1 --c 3 --f 5 --h 8 --w 7 | mlir-opt --pass-pipeline='builtin.module(func.func(tosa-to-linalg-named,tosa-to-linalg),tosa-to-arith)' > %t.b1.mlir
// RUN: %python %S/Inputs/gen_conv.py --op tosa_conv2d --n 2 --c 3 --f 5 --h 9 --w 11 --strides 2,3 --dilations 1,2 --pad 1,1,2,1 --bias --seed 9 | mlir-opt --pass-pipeline='builtin.module(func.func(tosa-to-linalg-named,tosa-to-linalg),tosa-to-arith)' > %t.b2.mlir
// RUN: dc-opt %t.b1.mlir --dc-compress="sparsity=0.6 bits=5" --dc-to-llvm | %dc_run | FileCheck %s
// RUN: dc-opt %t.b2.mlir --dc-compress="sparsity=0.5 bits=4 index-bits=3 format=csr entropy=none" --dc-to-llvm=vector-width=8 | %dc_run | FileCheck %s
// RUN: dc-opt %t.b2.mlir --dc-compress="sparsity=0.5 bits=4 index-bits=3 format=csr entropy=none" --dc-rewrite-contractions --dc-lower-compute="vector-width=4 rows-per-group=3" %dc_lower_rest | %dc_run | FileCheck %s
// RUN: dc-opt %t.b1.mlir --dc-compress="sparsity=0.6 bits=5" --dc-rewrite-contractions | FileCheck %s --check-prefix=B1
// RUN: dc-opt %t.b2.mlir --dc-compress="sparsity=0.5 bits=4 index-bits=3 format=csr entropy=none" --dc-rewrite-contractions | FileCheck %s --check-prefix=B2
// CHECK: ok 1
// CHECK: nonzero 1
// B1-LABEL: func.func @main
// B1: dc.matmul %{{.*}}, %{{.*}} outs(%{{.+}}) : !dc.compressed<tensor<5x27xf32>, {{.*}}>, tensor<27x30xf32>, tensor<5x30xf32> -> tensor<5x30xf32>
// B1-NOT: linalg.conv
// B1-NOT: linalg.depthwise
// B1: call @conv
// B2-LABEL: func.func @main
// B2: tensor.pad %{{.*}} low[0, 1, 2, 0] high[0, 1, 1, 0]
// B2: dc.matmul %{{.*}}, %{{.*}} outs(%{{.+}}) : !dc.compressed<tensor<5x27xf32>, {{.*}}>, tensor<27x40xf32>, tensor<5x40xf32> -> tensor<5x40xf32>
// B2-NOT: linalg.conv
// B2-NOT: linalg.depthwise
// B2: call @conv
