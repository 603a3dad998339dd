// A grouped filter stored as ONNX does, [G*F, C, KH, KW], reaching
// conv_2d_ngchw_gfchw through a tensor.expand_shape to [G, F, C, KH, KW]:
// the rewrite follows the chain (dc::traceWeightChain), replays it on the
// decoded codebook indices and re-encodes; the convolution runs on the
// compact form. Compared with the same convolution on the decoded filter
// (Inputs/gen_conv.py), batch 1 and batch 2 with strides, padding, bias.
// RUN: %python %S/Inputs/gen_conv.py --op conv_2d_ngchw_gfchw --expand-filter --n 1 --g 2 --c 3 --f 4 --h 8 --w 7 > %t.b1.mlir
// RUN: %python %S/Inputs/gen_conv.py --op conv_2d_ngchw_gfchw --expand-filter --n 2 --g 3 --c 2 --f 3 --h 10 --w 9 --strides 2,1 --pad 1,0,0,1 --bias --seed 12 > %t.b2.mlir
// RUN: dc-opt %t.b1.mlir --dc-compress="sparsity=0.6 bits=5" --dc-to-llvm | %dc_run | FileCheck %s
// RUN: dc-opt %t.b2.mlir --dc-compress="sparsity=0.5 bits=4 index-bits=3 format=csr entropy=none" --dc-to-llvm | %dc_run | FileCheck %s
// RUN: dc-opt %t.b1.mlir --dc-compress="sparsity=0.6 bits=5" --dc-rewrite-contractions | FileCheck %s --check-prefix=IR
// CHECK: ok 1
// CHECK: nonzero 1
// IR-LABEL: func.func @main
// IR: %[[C:.*]] = dc.constant {{.*}} : !dc.compressed<tensor<8x3x3x3xf32>
// IR: %[[M:.*]] = dc.constant {{.*}} : !dc.compressed<tensor<8x27xf32>
// IR: %[[D:.*]] = dc.decompress %[[C]]
// IR: %[[W:.*]] = tensor.expand_shape %[[D]] {{\[\[}}0, 1], [2], [3], [4]] output_shape [2, 4, 3, 3, 3]
// IR-NOT: linalg.conv
// IR: dc.matmul %[[M]], %{{.*}} outs(%{{.+}}) {groups = 2 : i64} : !dc.compressed<tensor<8x27xf32>, {{.*}}>, tensor<54x30xf32>, tensor<8x30xf32> -> tensor<8x30xf32>
// IR-NOT: linalg.conv
// IR: call @conv(%{{.*}}, %[[W]], %{{.*}})
