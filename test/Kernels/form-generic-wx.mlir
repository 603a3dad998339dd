// A contraction linalg.generic with the weight as its first operand and read transposed (y[m, n] = sum_k W[n, k] X[m, k]): one dc.matmul on the stored payload.
// Run against the dense reference on the decoded weight (Inputs/gen_forms.py)
// with one activation column and several.
// RUN: %python %S/Inputs/gen_forms.py generic-wx --rows 1 --k 36 --n 16 > %t.a.mlir
// RUN: %python %S/Inputs/gen_forms.py generic-wx --rows 4 --k 36 --n 16 > %t.b.mlir
// RUN: dc-opt %t.a.mlir --dc-compress="sparsity=0.6 bits=4 index-bits=3" --dc-to-llvm | %dc_run | FileCheck %s
// RUN: dc-opt %t.b.mlir --dc-compress="sparsity=0.6 bits=4 index-bits=3" --dc-to-llvm | %dc_run | FileCheck %s
// RUN: dc-opt %t.b.mlir --dc-compress="sparsity=0.6 bits=4 index-bits=3" --dc-rewrite-contractions | FileCheck %s --check-prefix=IR
// CHECK: ok 1

// IR-LABEL: func.func @form
// IR-NOT: linalg.{{matmul|batch_matmul|vecmat|generic}}
// IR: dc.matmul %{{.+}}, %{{.+}} outs(%{{.+}}) : !dc.compressed<tensor<16x36xf32>, {{.+}}>, tensor<36x4xf32>, tensor<16x4xf32> -> tensor<16x4xf32>
// IR: call @ref
