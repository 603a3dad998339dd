// A dense conv_2d_nchw_fchw of one image (the ONNX importer's Conv at batch
// 1) as linalg.matmul W[F, C*KH*KW] X: for a 1x1 convolution X is the input
// collapsed (no copy), else an im2col over separate (c, kh, kw, oh, ow) loops
// whose rows are window copies (vector rows, WindowCopy.cpp), not upstream's
// floordiv/mod im2col (scalar). Against the plain loop lowering: 3x3 with a
// 1-pixel pad, stride 2 (mobilenet_v2's first layer, smaller); 1x1 pointwise
// with W = 37; 1x1 with stride 2 (resnet's downsample) and a fused epilogue.
// RUN: %python %S/Inputs/gen_depthwise.py --n 1 --c 3 --f 8 --h 15 --w 21 --strides 2,2 --pad 1,1,1,1 > %t.a.mlir
// RUN: %python %S/Inputs/gen_depthwise.py --n 1 --c 12 --f 20 --h 5 --w 37 --k 1,1 --seed 1 > %t.b.mlir
// RUN: %python %S/Inputs/gen_depthwise.py --n 1 --c 6 --f 4 --h 9 --w 11 --k 1,1 --strides 2,2 --epilogue --seed 2 > %t.c.mlir
// RUN: dc-opt %t.a.mlir %loops_lower | %run_main > %t.a.ref
// RUN: dc-opt %t.a.mlir --dc-to-llvm | %run_main > %t.a.vec
// RUN: dc-opt %t.a.mlir --dc-to-llvm=vector-width=4 | %run_main > %t.a.v4
// RUN: %python %S/Inputs/compare.py %t.a.vec %t.a.ref | FileCheck %s --check-prefix=A
// RUN: %python %S/Inputs/compare.py %t.a.v4 %t.a.ref | FileCheck %s --check-prefix=A
// A: ok 704
// RUN: dc-opt %t.b.mlir %loops_lower | %run_main > %t.b.ref
// RUN: dc-opt %t.b.mlir --dc-to-llvm | %run_main > %t.b.vec
// RUN: %python %S/Inputs/compare.py %t.b.vec %t.b.ref | FileCheck %s --check-prefix=B
// B: ok 3700
// RUN: dc-opt %t.c.mlir %loops_lower | %run_main > %t.c.ref
// RUN: dc-opt %t.c.mlir --dc-to-llvm | %run_main > %t.c.vec
// RUN: %python %S/Inputs/compare.py %t.c.vec %t.c.ref | FileCheck %s --check-prefix=C
// C: ok 120
//
// RUN: dc-opt %t.a.mlir --dc-vectorize-linalg | FileCheck %s --check-prefix=IRA --implicit-check-not=linalg.conv --implicit-check-not=floordiv
// IRA-LABEL: func.func @f
// IRA: vector.shuffle
// IRA: vector.fma
// IRA-LABEL: func.func @main
// RUN: dc-opt %t.b.mlir --dc-vectorize-linalg | FileCheck %s --check-prefix=IRB --implicit-check-not=linalg.conv --implicit-check-not=linalg.generic
// IRB-LABEL: func.func @f
// IRB: tensor.collapse_shape {{.*}} into tensor<12x185xf32>
// IRB: vector.fma
// IRB-LABEL: func.func @main
