// torch-mlir's nn.Linear on 3-D activations: the weight transposed, then
// broadcast over the batch by copying linalg.generics, then
// linalg.batch_matmul. The weight is the same for every batch entry, so the
// batch folds into the columns of one dc.matmul on the N x K weight as
// stored; run against the dense reference on the decoded weight
// (Inputs/gen_forms.py) with batch 1 and 3.
// RUN: %python %S/Inputs/gen_forms.py linear3d --batch 1 --rows 1 --k 32 --n 12 > %t.b1.mlir
// RUN: %python %S/Inputs/gen_forms.py linear3d --batch 3 --rows 5 --k 32 --n 12 > %t.b3.mlir
// RUN: dc-opt %t.b1.mlir --dc-compress="sparsity=0.5 bits=4 index-bits=3" --dc-to-llvm | %dc_run | FileCheck %s
// RUN: dc-opt %t.b3.mlir --dc-compress="sparsity=0.5 bits=4 index-bits=3" --dc-to-llvm | %dc_run | FileCheck %s
// RUN: dc-opt %t.b3.mlir --dc-compress="sparsity=0.5 bits=4 index-bits=3" --dc-rewrite-contractions | FileCheck %s --check-prefix=IR
// RUN: dc-opt %t.b1.mlir --dc-compress="sparsity=0.5 bits=4 index-bits=3" --dc-rewrite-contractions | FileCheck %s --check-prefix=IR1
// CHECK: ok 1

// 3 x 5 activation rows: 15 columns of one dc.matmul.
// IR-LABEL: func.func @form
// IR-NOT: linalg.batch_matmul
// IR: dc.matmul %{{.+}}, %{{.+}} outs(%{{.+}}) : !dc.compressed<tensor<12x32xf32>, {{.+}}>, tensor<32x15xf32>, tensor<12x15xf32> -> tensor<12x15xf32>
// IR-NOT: linalg.batch_matmul
// IR: call @ref
// IR1-LABEL: func.func @form
// IR1: dc.matvec %{{.+}}, %{{.+}} outs(%{{.+}}) : !dc.compressed<tensor<12x32xf32>, {{.+}}>, tensor<32xf32>, tensor<12xf32> -> tensor<12xf32>
