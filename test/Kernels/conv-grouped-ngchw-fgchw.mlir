// conv_2d_ngchw_fgchw, groups 2 and 3: the FGCHW filter's rows are (f, g), so
// it is re-encoded in (g, f, c, kh, kw) order as the [G*F, C*KH*KW] matrix of
// dc.matmul {groups = G}.
// Each run compares the convolution on the compressed filter (@main, rewritten
// by dc-rewrite-contractions into im2col + dc.matmul) with the same
// convolution on the decoded filter (@conv, dense), see Inputs/gen_conv.py:
// batch 1, then batch 2 with strides, dilations, padding and a bias.
// RUN: %python %S/Inputs/gen_conv.py --op conv_2d_ngchw_fgchw --n 1 --g 2 --c 3 --f 4 --h 8 --w 7 > %t.b1.mlir
// RUN: %python %S/Inputs/gen_conv.py --op conv_2d_ngchw_fgchw --n 2 --g 3 --c 2 --f 3 --h 10 --w 9 --strides 2,1 --dilations 2,1 --pad 1,1,2,0 --bias --seed 2 > %t.b2.mlir
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
// B2: tensor.pad %{{.*}} low[0, 0, 0, 1, 2] high[0, 0, 0, 1, 0]
// B2: dc.matmul %{{.*}}, %{{.*}} outs(%{{.+}}) {groups = 3 : i64} : !dc.compressed<tensor<9x18xf32>, {{.*}}>, tensor<54x72xf32>, tensor<9x72xf32> -> tensor<9x72xf32>
// B2-NOT: linalg.conv
// B2-NOT: linalg.depthwise
// B2: call @conv
