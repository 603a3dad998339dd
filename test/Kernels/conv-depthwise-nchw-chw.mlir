// depthwise_conv_2d_nchw_chw: the CHW filter is the [C, KH*KW] matrix of
// dc.matmul {groups = C} (same payload: its storage rows are the channels).
// Each run compares the convolution on the compressed filter (@main, rewritten
// by dc-rewrite-contractions into im2col + dc.matmul) with the same
// convolution on the decoded filter (@conv, dense), see Inputs/gen_conv.py:
// batch 1, then batch 2 with strides, dilations, padding and a bias.
// RUN: %python %S/Inputs/gen_conv.py --op depthwise_conv_2d_nchw_chw --n 1 --c 5 --h 8 --w 7 > %t.b1.mlir
// RUN: %python %S/Inputs/gen_conv.py --op depthwise_conv_2d_nchw_chw --n 2 --c 6 --h 11 --w 10 --strides 2,1 --dilations 2,1 --pad 1,0,1,2 --bias --seed 7 > %t.b2.mlir
// RUN: dc-opt %t.b1.mlir --dc-compress="sparsity=0.6 bits=5" --dc-to-llvm | %dc_run | FileCheck %s
// RUN: dc-opt %t.b2.mlir --dc-compress="sparsity=0.5 bits=4 index-bits=3 format=csr entropy=none" --dc-to-llvm=vector-width=8 | %dc_run | FileCheck %s
// RUN: dc-opt %t.b2.mlir --dc-compress="sparsity=0.5 bits=4 index-bits=3 format=csr entropy=none" --dc-rewrite-contractions --dc-lower-compute="vector-width=4 rows-per-group=3" %dc_lower_rest | %dc_run | FileCheck %s
// RUN: dc-opt %t.b1.mlir --dc-compress="sparsity=0.6 bits=5" --dc-rewrite-contractions | FileCheck %s --check-prefix=B1
// RUN: dc-opt %t.b2.mlir --dc-compress="sparsity=0.5 bits=4 index-bits=3 format=csr entropy=none" --dc-rewrite-contractions | FileCheck %s --check-prefix=B2
// CHECK: ok 1
// CHECK: nonzero 1
// B1-LABEL: func.func @main
// B1: dc.matmul %{{.*}}, %{{.*}} outs(%{{.+}}) {groups = 5 : i64} : !dc.compressed<tensor<5x9xf32>, {{.*}}>, tensor<45x30xf32>, tensor<5x30xf32> -> tensor<5x30xf32>
// B1-NOT: linalg.conv
// B1-NOT: linalg.depthwise
// B1: call @conv
// B2-LABEL: func.func @main
// B2: tensor.pad %{{.*}} low[0, 0, 1, 1] high[0, 0, 0, 2]
// B2: dc.matmul %{{.*}}, %{{.*}} outs(%{{.+}}) {groups = 6 : i64} : !dc.compressed<tensor<6x9xf32>, {{.*}}>, tensor<54x88xf32>, tensor<6x88xf32> -> tensor<6x88xf32>
// B2-NOT: linalg.conv
// B2-NOT: linalg.depthwise
// B2: call @conv
