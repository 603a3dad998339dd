// linalg.batch_matmul with B transposed by indexing_maps, on a linalg.broadcast of the N x K weight over the batch: one dc.matmul on the stored payload, the batch folded into its columns.
// Run against the dense reference on the decoded weight (Inputs/gen_forms.py)
// with one activation column and several.
// RUN: %python %S/Inputs/gen_forms.py bmm-tb --batch 1 --rows 1 --k 36 --n 16 > %t.a.mlir
// RUN: %python %S/Inputs/gen_forms.py bmm-tb --batch 3 --rows 2 --k 36 --n 16 > %t.b.mlir
// RUN: dc-opt %t.a.mlir --dc-compress="sparsity=0.6 bits=4 index-bits=3" --dc-to-llvm | %dc_run | FileCheck %s
// RUN: dc-opt %t.b.mlir --dc-compress="sparsity=0.6 bits=4 index-bits=3" --dc-to-llvm | %dc_run | FileCheck %s
// RUN: dc-opt %t.b.mlir --dc-compress="sparsity=0.6 bits=4 index-bits=3" --dc-rewrite-contractions | FileCheck %s --check-prefix=IR
// CHECK: ok 1

// IR-LABEL: func.func @form
// IR-NOT: linalg.{{matmul|batch_matmul|vecmat|generic}}
// IR: dc.matmul %{{.+}}, %{{.+}} outs(%{{.+}}) : !dc.compressed<tensor<16x36xf32>, {{.+}}>, tensor<36x6xf32>, tensor<16x6xf32> -> tensor<16x6xf32>
// IR: call @ref
