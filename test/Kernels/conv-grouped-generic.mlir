// a grouped convolution written as a linalg.generic (input NHWGC, filter HWGCF,
// output NHWGF; strides and dilations in the input map): neither (g, f | kh,
// kw, c) nor (kh, kw, c | g, f) is the filter's order, so it is re-encoded
// permuted.
// Each run compares the convolution on the compressed filter (@main, rewritten
// by dc-rewrite-contractions into im2col + dc.matmul) with the same
// convolution on the decoded filter (@conv, dense), see Inputs/gen_conv.py:
// batch 1, then batch 2 with strides, dilations, padding and a bias.
// RUN: %python %S/Inputs/gen_conv.py --op generic_grouped --n 1 --g 2 --c 3 --f 4 --h 8 --w 7 > %t.b1.mlir
// RUN: %python %S/Inputs/gen_conv.py --op generic_grouped --n 2 --g 3 --c 2 --f 3 --h 10 --w 9 --strides 2,1 --dilations 1,2 --pad 2,0,1,1 --bias --seed 5 > %t.b2.mlir
// RUN: dc-opt %t.b1.mlir --dc-compress="sparsity=0.6 bits=5" --dc-to-llvm | %dc_run | FileCheck %s
// RUN: dc-opt %t.b2.mlir --dc-compress="sparsity=0.5 bits=4 index-bits=3 format=csr entropy=none" --dc-to-llvm=vector-width=8 | %dc_run | FileCheck %s
// RUN: dc-opt %t.b2.mlir --dc-compress="sparsity=0.5 bits=4 index-bits=3 format=csr entropy=none" --dc-rewrite-contractions --dc-lower-compute="vector-width=4 rows-per-group=3" %dc_lower_rest | %dc_run | FileCheck %s
// RUN: dc-opt %t.b1.mlir --dc-compress="sparsity=0.6 bits=5" --dc-rewrite-contractions | FileCheck %s --check-prefix=B1
// RUN: dc-opt %t.b2.mlir --dc-compress="sparsity=0.5 bits=4 index-bits=3 format=csr entropy=none" --dc-rewrite-contractions | FileCheck %s --check-prefix=B2
// CHECK: ok 1
// CHECK: nonzero 1
// Threads: the grouped kernel split into chunks of row groups (two threads).
// RUN: dc-opt %t.b2.mlir --dc-compress="sparsity=0.5 bits=4 index-bits=3 format=csr entropy=none" --dc-rewrite-contractions --dc-lower-compute="threads=2 parallel-min-words=1" %dc_lower_rest | %dc_run | FileCheck %s
// B1-LABEL: func.func @main
// B1: dc.matmul %{{.*}}, %{{.*}} outs(%{{.+}}) {groups = 2 : i64} : !dc.compressed<tensor<8x27xf32>, {{.*}}>, tensor<54x30xf32>, tensor<8x30xf32> -> tensor<8x30xf32>
// B1-NOT: linalg.conv
// B1-NOT: linalg.depthwise
// B1: call @conv
// B2-LABEL: func.func @main
// B2: tensor.pad %{{.*}} low[0, 2, 1, 0, 0] high[0, 0, 1, 0, 0]
// B2: dc.matmul %{{.*}}, %{{.*}} outs(%{{.+}}) {groups = 3 : i64} : !dc.compressed<tensor<9x18xf32>, {{.*}}>, tensor<54x70xf32>, tensor<9x70xf32> -> tensor<9x70xf32>
// B2-NOT: linalg.conv
// B2-NOT: linalg.depthwise
// B2: call @conv
