// linalg.vecmat on a weight stored as K x 1 x N and collapsed to K x N
// first: dc.matvec {transpose_w} on the payload read as the K x N matrix
// (re-encoded for CSC/CSR, whose matrix view of K x 1 x N is K x N too, so
// the same payload), run against the dense reference on the decoded weight
// (Inputs/gen_forms.py).
// RUN: %python %S/Inputs/gen_forms.py vecmat --k 36 --n 16 > %t.mlir
// RUN: dc-opt %t.mlir --dc-compress="sparsity=0.6 bits=4 index-bits=3" --dc-to-llvm | %dc_run | FileCheck %s
// RUN: dc-opt %t.mlir --dc-compress="sparsity=0.6 bits=4 index-bits=3 format=csr" --dc-to-llvm | %dc_run | FileCheck %s
// RUN: dc-opt %t.mlir --dc-compress="sparsity=0.6 bits=4 index-bits=3" --dc-rewrite-contractions | FileCheck %s --check-prefix=IR
// CHECK: ok 1

// IR-LABEL: func.func @form
// IR-NOT: linalg.vecmat
// IR: dc.matvec %{{.+}}, %{{.+}} outs(%{{.+}}) {transpose_w} : !dc.compressed<tensor<36x16xf32>, {{.+}}>, tensor<36xf32>, tensor<16xf32> -> tensor<16xf32>
// IR: call @ref
