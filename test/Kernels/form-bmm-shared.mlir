// linalg.batch_matmul whose indexing_maps read one 2-D K x N weight for every batch entry: the batch folds into the columns of one dc.matmul (the weight used transposed).
// Run against the dense reference on the decoded weight (Inputs/gen_forms.py)
// with one activation column and several.
// RUN: %python %S/Inputs/gen_forms.py bmm-shared --batch 1 --rows 1 --k 36 --n 16 > %t.a.mlir
// RUN: %python %S/Inputs/gen_forms.py bmm-shared --batch 4 --rows 3 --k 36 --n 16 > %t.b.mlir
// RUN: dc-opt %t.a.mlir --dc-compress="sparsity=0.6 bits=4 index-bits=3" --dc-to-llvm | %dc_run | FileCheck %s
// RUN: dc-opt %t.b.mlir --dc-compress="sparsity=0.6 bits=4 index-bits=3" --dc-to-llvm | %dc_run | FileCheck %s
// RUN: dc-opt %t.b.mlir --dc-compress="sparsity=0.6 bits=4 index-bits=3" --dc-rewrite-contractions | FileCheck %s --check-prefix=IR
// CHECK: ok 1

// IR-LABEL: func.func @form
// IR-NOT: linalg.{{matmul|batch_matmul|vecmat|generic}}
// IR: dc.matmul %{{.+}}, %{{.+}} outs(%{{.+}}) {transpose_w} : !dc.compressed<tensor<36x16xf32>, {{.+}}>, tensor<36x12xf32>, tensor<16x12xf32> -> tensor<16x12xf32>
// IR: call @ref
