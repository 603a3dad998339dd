// torch-mlir's nn.Linear: the weight transposed by a copying linalg.generic,
// linalg.matmul, the bias added by a broadcasting linalg.generic. The
// transpose cancels against the kernel's: one dc.matmul on the N x K weight
// as stored (dc.matvec for one row), run against the dense reference on the
// decoded weight (Inputs/gen_forms.py), one row and six.
// RUN: %python %S/Inputs/gen_forms.py linear --rows 1 --k 48 --n 20 > %t.r1.mlir
// RUN: %python %S/Inputs/gen_forms.py linear --rows 6 --k 48 --n 20 > %t.r6.mlir
// RUN: dc-opt %t.r1.mlir --dc-compress="sparsity=0.7 bits=4 index-bits=3" --dc-to-llvm | %dc_run | FileCheck %s
// RUN: dc-opt %t.r6.mlir --dc-compress="sparsity=0.7 bits=4 index-bits=3" --dc-to-llvm | %dc_run | FileCheck %s
// RUN: dc-opt %t.r6.mlir --dc-compress="bits=5 format=csr" --dc-to-llvm | %dc_run | FileCheck %s
// RUN: dc-opt %t.r6.mlir --dc-compress="sparsity=0.7 bits=4 index-bits=3" --dc-rewrite-contractions | FileCheck %s --check-prefix=IR
// RUN: dc-opt %t.r1.mlir --dc-compress="sparsity=0.7 bits=4 index-bits=3" --dc-rewrite-contractions | FileCheck %s --check-prefix=IR1
// CHECK: ok 1

// IR-LABEL: func.func @form
// IR-NOT: linalg.matmul
// IR: dc.matmul %{{.+}}, %{{.+}} outs(%{{.+}}) : !dc.compressed<tensor<20x48xf32>, {{.+}}>, tensor<48x6xf32>, tensor<20x6xf32> -> tensor<20x6xf32>
// IR-NOT: linalg.matmul
// IR: call @ref
// IR1-LABEL: func.func @form
// IR1-NOT: linalg.matmul
// IR1: dc.matvec %{{.+}}, %{{.+}} outs(%{{.+}}) : !dc.compressed<tensor<20x48xf32>, {{.+}}>, tensor<48xf32>, tensor<20xf32> -> tensor<20xf32>
