// conv_2d_nhwgc_gfhwc, groups 2 and 3: GFHWC is the [G*F, KH*KW*C] matrix; the
// output NHWGF is the transpose of the [G*F, N*OH*OW] product.
// Each run compares the convolution on the compressed filter (@main, rewritten
// by dc-rewrite-contractions into im2col + dc.matmul) with the same
// convolution on the decoded filter (@conv, dense), see Inputs/gen_conv.py:
// batch 1, then batch 2 with strides, dilations, padding and a bias.
// RUN: %python %S/Inputs/gen_conv.py --op conv_2d_nhwgc_gfhwc --n 1 --g 2 --c 3 --f 4 --h 8 --w 7 > %t.b1.mlir
// RUN: %python %S/Inputs/gen_conv.py --op conv_2d_nhwgc_gfhwc --n 2 --g 3 --c 2 --f 3 --h 10 --w 9 --strides 2,2 --dilations 1,1 --pad 1,1,1,1 --bias --seed 4 > %t.b2.mlir
// RUN: dc-opt %t.b1.mlir --dc-compress="sparsity=0.6 bits=5" --dc-to-llvm | %dc_run | FileCheck %s
// RUN: dc-opt %t.b2.mlir --dc-compress="sparsity=0.5 bits=4 index-bits=3 format=csr entropy=none" --dc-to-llvm=vector-width=8 | %dc_run | FileCheck %s
// RUN: dc-opt %t.b2.mlir --dc-compress="sparsity=0.5 bits=4 index-bits=3 format=csr entropy=none" --dc-rewrite-contractions --dc-lower-compute="vector-width=4 rows-per-group=3" %dc_lower_rest | %dc_run | FileCheck %s
// RUN: dc-opt %t.b1.mlir --dc-compress="sparsity=0.6 bits=5" --dc-rewrite-contractions | FileCheck %s --check-prefix=B1
// RUN: dc-opt %t.b2.mlir --dc-compress="sparsity=0.5 bits=4 index-bits=3 format=csr entropy=none" --dc-rewrite-contractions | FileCheck %s --check-prefix=B2
// CHECK: ok 1
// CHECK: nonzero 1
// B1-LABEL: func.func @main
// B1: dc.matmul %{{.*}}, %{{.*}} outs(%{{.+}}) {groups = 2 : i64} : !dc.compressed<tensor<8x27xf32>, {{.*}}>, tensor<54x30xf32>, tensor<8x30xf32> -> tensor<8x30xf32>
// B1-NOT: linalg.conv
// B1-NOT: linalg.depthwise
// B1: call @conv
// B2-LABEL: func.func @main
// B2: tensor.pad %{{.*}} low[0, 1, 1, 0, 0] high[0, 1, 1, 0, 0]
// B2: dc.matmul %{{.*}}, %{{.*}} outs(%{{.+}}) {groups = 3 : i64} : !dc.compressed<tensor<9x18xf32>, {{.*}}>, tensor<54x50xf32>, tensor<9x50xf32> -> tensor<9x50xf32>
// B2-NOT: linalg.conv
// B2-NOT: linalg.depthwise
// B2: call @conv
