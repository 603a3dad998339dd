// f16 and bf16 weights are compressed (codebook entries rounded to the
// weight's type, stored as f32) and run on the compact form: activations
// extended to f32 before the dc op, the sum accumulated in f32 and truncated
// once to the op's result type (the dense reference accumulates in its own
// type, hence the tolerances of Inputs/gen_forms.py: 2e-2 for f16, 6e-2 for
// bf16, relative to max |y_ref|).
// RUN: %python %S/Inputs/gen_forms.py linear --rows 4 --k 32 --n 12 --dtype f16 > %t.lin16.mlir
// RUN: %python %S/Inputs/gen_forms.py linear --rows 1 --k 32 --n 12 --dtype bf16 > %t.linbf1.mlir
// RUN: %python %S/Inputs/gen_forms.py linear3d --batch 2 --rows 3 --k 32 --n 12 --dtype bf16 > %t.lin3bf.mlir
// RUN: %python %S/Inputs/gen_forms.py tosa --rows 5 --k 32 --n 12 --dtype f16 > %t.tosa16.mlir
// RUN: dc-opt %t.lin16.mlir --dc-compress="sparsity=0.5 bits=4" --dc-to-llvm | %dc_run | FileCheck %s
// RUN: dc-opt %t.linbf1.mlir --dc-compress="sparsity=0.5 bits=4" --dc-to-llvm | %dc_run | FileCheck %s
// RUN: dc-opt %t.lin3bf.mlir --dc-compress="sparsity=0.5 bits=4" --dc-to-llvm | %dc_run | FileCheck %s
// RUN: mlir-opt -p 'builtin.module(func.func(tosa-to-linalg-named,tosa-to-linalg),tosa-to-arith)' %t.tosa16.mlir | dc-opt --dc-compress="sparsity=0.5 bits=4" --dc-to-llvm | %dc_run | FileCheck %s
// RUN: dc-opt %t.lin16.mlir --dc-compress="sparsity=0.5 bits=4" --dc-rewrite-contractions | FileCheck %s --check-prefix=IR
// RUN: dc-opt %t.lin16.mlir --dc-compress="sparsity=0.5 bits=4 report=%t.json" -o /dev/null
// RUN: FileCheck %s --check-prefix=REPORT < %t.json
// CHECK: ok 1

// IR-LABEL: func.func @form
// IR: dc.constant {{.*}} : !dc.compressed<tensor<12x32xf16>
// IR: arith.extf %{{.+}} : f16 to f32
// IR: dc.matmul %{{.+}}, %{{.+}} outs(%{{.+}}) : !dc.compressed<tensor<12x32xf32>, {{.+}}>, tensor<32x4xf32>, tensor<12x4xf32> -> tensor<12x4xf32>
// IR: arith.truncf %{{.+}} : f32 to f16
// IR: call @ref

// 384 f16 weights: 768 dense bytes.
// REPORT: "name": "w"
// REPORT: "bytes_dense": 768
