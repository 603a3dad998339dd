// TOSA's fully connected layer: tosa.matmul on a 1xKxN constant, lowered by
// stock mlir-opt's TOSA passes to linalg.batch_matmul, becomes one dc.matmul
// (or dc.matvec for one activation row) on the compressed weight (the 1xKxN
// payload read as the K x N matrix, transposed) and runs against the dense
// reference on the decoded weight (Inputs/gen_forms.py).
// RUN: %python %S/Inputs/gen_forms.py tosa --rows 1 --k 40 --n 24 > %t.r1.mlir
// RUN: %python %S/Inputs/gen_forms.py tosa --rows 7 --k 40 --n 24 > %t.r7.mlir
// RUN: mlir-opt -p 'builtin.module(func.func(tosa-to-linalg-named,tosa-to-linalg),tosa-to-arith)' %t.r1.mlir | dc-opt --dc-compress="sparsity=0.6 bits=4 index-bits=3" --dc-to-llvm | %dc_run | FileCheck %s
// RUN: mlir-opt -p 'builtin.module(func.func(tosa-to-linalg-named,tosa-to-linalg),tosa-to-arith)' %t.r7.mlir | dc-opt --dc-compress="sparsity=0.6 bits=4 index-bits=3" --dc-to-llvm | %dc_run | FileCheck %s
// RUN: mlir-opt -p 'builtin.module(func.func(tosa-to-linalg-named,tosa-to-linalg),tosa-to-arith)' %t.r7.mlir | dc-opt --dc-compress="sparsity=0.6 bits=4 index-bits=3 format=csr entropy=none" --dc-to-llvm | %dc_run | FileCheck %s
// RUN: mlir-opt -p 'builtin.module(func.func(tosa-to-linalg-named,tosa-to-linalg),tosa-to-arith)' %t.r7.mlir | dc-opt --dc-compress="sparsity=0.6 bits=4 index-bits=3" --dc-rewrite-contractions | FileCheck %s --check-prefix=IR
// RUN: mlir-opt -p 'builtin.module(func.func(tosa-to-linalg-named,tosa-to-linalg),tosa-to-arith)' %t.r1.mlir | dc-opt --dc-compress="sparsity=0.6 bits=4 index-bits=3" --dc-rewrite-contractions | FileCheck %s --check-prefix=IR1
// RUN: mlir-opt -p 'builtin.module(func.func(tosa-to-linalg-named,tosa-to-linalg),tosa-to-arith)' %t.r7.mlir | dc-opt --dc-compress="sparsity=0.6 bits=4 index-bits=3" --dc-rewrite-contractions --dc-lower-compute=stats=1 -o /dev/null 2>&1 | FileCheck %s --check-prefix=STATS
// RUN: mlir-opt -p 'builtin.module(func.func(tosa-to-linalg-named,tosa-to-linalg),tosa-to-arith)' %t.r7.mlir | dc-opt --dc-compress="sparsity=0.6 bits=4 index-bits=3" --dc-rewrite-contractions | FileCheck %s --check-prefix=SHARED
// CHECK: ok 1

// The payload is stored as the 40 x 24 matrix (leading unit dimensions carry
// no rows), so the kernel's matrix shares it instead of a re-encoded copy.
// SHARED-NOT: w_matrix

// The 1x40x24 weight is one 40 x 24 compressed matrix used transposed.
// IR-LABEL: func.func @form
// IR-NOT: linalg.batch_matmul
// IR: dc.matmul %{{.+}}, %{{.+}} outs(%{{.+}}) {transpose_w} : !dc.compressed<tensor<40x24xf32>, {{.+}}>, tensor<40x7xf32>, tensor<24x7xf32> -> tensor<24x7xf32>
// IR-NOT: linalg.batch_matmul
// IR: call @ref
// IR1-LABEL: func.func @form
// IR1: dc.matvec %{{.+}}, %{{.+}} outs(%{{.+}}) {transpose_w} : !dc.compressed<tensor<40x24xf32>, {{.+}}>, tensor<40xf32>, tensor<24xf32> -> tensor<24xf32>
// The reference's copy is the only dense one.
// STATS: dc-lower-compute: __dc_w_{{[0-9]+}}_t layout={{sparse|dense-code|tiles}}
// STATS: dc-lower-compute: w layout=dense consumers=func.call
