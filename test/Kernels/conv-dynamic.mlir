// A convolution dc does not rewrite (here: a dynamic batch dimension) keeps
// its dc.decompress (decoded once at load, then dense) and still computes
// the right result; its static twin in the same function shape is rewritten
// (conv-nhwc-fhwc.mlir). See Inputs/gen_conv.py for the comparison.
// RUN: %python %S/Inputs/gen_conv.py --op conv_2d_nhwc_fhwc --n 2 --c 3 --f 4 --h 6 --w 5 --pad 1,1,1,1 --bias --dynamic-batch > %t.fhwc.mlir
// RUN: %python %S/Inputs/gen_conv.py --op depthwise_conv_2d_nhwc_hwc --n 2 --c 3 --h 6 --w 5 --strides 2,1 --dynamic-batch --seed 3 > %t.dw.mlir
// RUN: dc-opt %t.fhwc.mlir --dc-compress="sparsity=0.5 bits=5" --dc-to-llvm | %dc_run | FileCheck %s
// RUN: dc-opt %t.dw.mlir --dc-compress="sparsity=0.5 bits=5" --dc-to-llvm | %dc_run | FileCheck %s
// RUN: dc-opt %t.fhwc.mlir --dc-compress="sparsity=0.5 bits=5" --dc-rewrite-contractions | FileCheck %s --check-prefix=IR
// RUN: dc-opt %t.dw.mlir --dc-compress="sparsity=0.5 bits=5" --dc-rewrite-contractions | FileCheck %s --check-prefix=IR
// CHECK: ok 1
// CHECK: nonzero 1
// IR-LABEL: func.func @main
// IR: dc.decompress
// IR-NOT: dc.matmul
// IR-NOT: dc.matvec
// IR: linalg.{{(depthwise_)?}}conv_2d_nhwc_{{fhwc|hwc}} {{.*}} -> tensor<?x
// IR-NOT: dc.matmul
// IR-NOT: dc.matvec
// IR: call @conv
