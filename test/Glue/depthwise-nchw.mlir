// linalg.depthwise_conv_2d_nchw_chw (the ONNX importer's depthwise Conv) as a
// direct convolution along output rows (DepthwiseConv.cpp): each case against
// the plain loop lowering, at the host's vector width and at 4 lanes (more
// chunks per row and a 1- to 3-lane tail). Cases: 3x3 with a 1-pixel pad and
// W = 9 (no multiple of the vector width); batch 2, stride 2 with an
// asymmetric pad; stride (1, 2) with dilation (2, 1), no pad, W = 37 and a
// non-zero init (accumulating); a 2x2 image padded by 2 (every row a border
// row, every tap row partly in the pad); stride 2 with only a bottom/right
// pad; a 5x5 filter with a 2-pixel pad; an elementwise epilogue (per-channel
// scale, per-row shift, a residual read along W, ReLU6) fused into the rows,
// batch 2; the same with stride 2 and a non-zero init. The same rows serve
// NCHW pooling (pooling_nchw_max with its -inf pad, as the importer emits a
// MaxPool: resnet18's 3x3 stride 2; pooling_nchw_sum with a zero pad and a
// divisor epilogue, an AveragePool).
// RUN: %python %S/Inputs/gen_depthwise.py --n 1 --c 3 --h 9 --w 9 --pad 1,1,1,1 > %t.a.mlir
// RUN: %python %S/Inputs/gen_depthwise.py --n 2 --c 2 --h 11 --w 21 --strides 2,2 --pad 1,1,2,0 --seed 1 > %t.b.mlir
// RUN: %python %S/Inputs/gen_depthwise.py --n 1 --c 2 --h 7 --w 37 --strides 1,2 --dilations 2,1 --init arg --seed 2 > %t.c.mlir
// RUN: %python %S/Inputs/gen_depthwise.py --n 1 --c 2 --h 2 --w 2 --pad 2,2,2,2 --seed 3 > %t.d.mlir
// RUN: %python %S/Inputs/gen_depthwise.py --n 1 --c 4 --h 12 --w 12 --strides 2,2 --pad 0,0,1,1 --seed 4 > %t.e.mlir
// RUN: %python %S/Inputs/gen_depthwise.py --n 1 --c 2 --h 7 --w 19 --k 5,5 --pad 2,2,2,2 --seed 5 > %t.f.mlir
// RUN: %python %S/Inputs/gen_depthwise.py --n 2 --c 3 --h 10 --w 20 --pad 1,1,1,1 --epilogue --seed 6 > %t.g.mlir
// RUN: %python %S/Inputs/gen_depthwise.py --n 1 --c 2 --h 9 --w 13 --strides 2,2 --pad 1,1,1,1 --init arg --epilogue --seed 7 > %t.h.mlir
// RUN: %python %S/Inputs/gen_depthwise.py --n 2 --c 3 --h 11 --w 22 --strides 2,2 --pad 1,1,1,1 --pool max --seed 8 > %t.i.mlir
// RUN: %python %S/Inputs/gen_depthwise.py --n 1 --c 3 --h 8 --w 19 --pad 1,1,1,1 --pool sum --epilogue --seed 9 > %t.j.mlir
//
// RUN: dc-opt %t.a.mlir %loops_lower | %run_main > %t.a.ref
// RUN: dc-opt %t.a.mlir --dc-to-llvm | %run_main > %t.a.vec
// RUN: dc-opt %t.a.mlir --dc-to-llvm=vector-width=4 | %run_main > %t.a.v4
// RUN: %python %S/Inputs/compare.py %t.a.vec %t.a.ref | FileCheck %s --check-prefix=A
// RUN: %python %S/Inputs/compare.py %t.a.v4 %t.a.ref | FileCheck %s --check-prefix=A
// A: ok 243
// RUN: dc-opt %t.b.mlir %loops_lower | %run_main > %t.b.ref
// RUN: dc-opt %t.b.mlir --dc-to-llvm | %run_main > %t.b.vec
// RUN: dc-opt %t.b.mlir --dc-to-llvm=vector-width=4 | %run_main > %t.b.v4
// RUN: %python %S/Inputs/compare.py %t.b.vec %t.b.ref | FileCheck %s --check-prefix=B
// RUN: %python %S/Inputs/compare.py %t.b.v4 %t.b.ref | FileCheck %s --check-prefix=B
// B: ok 240
// RUN: dc-opt %t.c.mlir %loops_lower | %run_main > %t.c.ref
// RUN: dc-opt %t.c.mlir --dc-to-llvm | %run_main > %t.c.vec
// RUN: dc-opt %t.c.mlir --dc-to-llvm=vector-width=4 | %run_main > %t.c.v4
// RUN: %python %S/Inputs/compare.py %t.c.vec %t.c.ref | FileCheck %s --check-prefix=C
// RUN: %python %S/Inputs/compare.py %t.c.v4 %t.c.ref | FileCheck %s --check-prefix=C
// C: ok 108
// RUN: dc-opt %t.d.mlir %loops_lower | %run_main > %t.d.ref
// RUN: dc-opt %t.d.mlir --dc-to-llvm | %run_main > %t.d.vec
// RUN: dc-opt %t.d.mlir --dc-to-llvm=vector-width=4 | %run_main > %t.d.v4
// RUN: %python %S/Inputs/compare.py %t.d.vec %t.d.ref | FileCheck %s --check-prefix=D
// RUN: %python %S/Inputs/compare.py %t.d.v4 %t.d.ref | FileCheck %s --check-prefix=D
// D: ok 32
// RUN: dc-opt %t.e.mlir %loops_lower | %run_main > %t.e.ref
// RUN: dc-opt %t.e.mlir --dc-to-llvm | %run_main > %t.e.vec
// RUN: dc-opt %t.e.mlir --dc-to-llvm=vector-width=4 | %run_main > %t.e.v4
// RUN: %python %S/Inputs/compare.py %t.e.vec %t.e.ref | FileCheck %s --check-prefix=E
// RUN: %python %S/Inputs/compare.py %t.e.v4 %t.e.ref | FileCheck %s --check-prefix=E
// E: ok 144
// RUN: dc-opt %t.f.mlir %loops_lower | %run_main > %t.f.ref
// RUN: dc-opt %t.f.mlir --dc-to-llvm | %run_main > %t.f.vec
// RUN: dc-opt %t.f.mlir --dc-to-llvm=vector-width=4 | %run_main > %t.f.v4
// RUN: %python %S/Inputs/compare.py %t.f.vec %t.f.ref | FileCheck %s --check-prefix=F
// RUN: %python %S/Inputs/compare.py %t.f.v4 %t.f.ref | FileCheck %s --check-prefix=F
// F: ok 266
// RUN: dc-opt %t.g.mlir %loops_lower | %run_main > %t.g.ref
// RUN: dc-opt %t.g.mlir --dc-to-llvm | %run_main > %t.g.vec
// RUN: dc-opt %t.g.mlir --dc-to-llvm=vector-width=4 | %run_main > %t.g.v4
// RUN: %python %S/Inputs/compare.py %t.g.vec %t.g.ref | FileCheck %s --check-prefix=G
// RUN: %python %S/Inputs/compare.py %t.g.v4 %t.g.ref | FileCheck %s --check-prefix=G
// G: ok 1200
// RUN: dc-opt %t.h.mlir %loops_lower | %run_main > %t.h.ref
// RUN: dc-opt %t.h.mlir --dc-to-llvm | %run_main > %t.h.vec
// RUN: dc-opt %t.h.mlir --dc-to-llvm=vector-width=4 | %run_main > %t.h.v4
// RUN: %python %S/Inputs/compare.py %t.h.vec %t.h.ref | FileCheck %s --check-prefix=H
// RUN: %python %S/Inputs/compare.py %t.h.v4 %t.h.ref | FileCheck %s --check-prefix=H
// H: ok 70
// RUN: dc-opt %t.i.mlir %loops_lower | %run_main > %t.i.ref
// RUN: dc-opt %t.i.mlir --dc-to-llvm | %run_main > %t.i.vec
// RUN: dc-opt %t.i.mlir --dc-to-llvm=vector-width=4 | %run_main > %t.i.v4
// RUN: %python %S/Inputs/compare.py %t.i.vec %t.i.ref | FileCheck %s --check-prefix=I
// RUN: %python %S/Inputs/compare.py %t.i.v4 %t.i.ref | FileCheck %s --check-prefix=I
// I: ok 396
// RUN: dc-opt %t.j.mlir %loops_lower | %run_main > %t.j.ref
// RUN: dc-opt %t.j.mlir --dc-to-llvm | %run_main > %t.j.vec
// RUN: dc-opt %t.j.mlir --dc-to-llvm=vector-width=4 | %run_main > %t.j.v4
// RUN: %python %S/Inputs/compare.py %t.j.vec %t.j.ref | FileCheck %s --check-prefix=J
// RUN: %python %S/Inputs/compare.py %t.j.v4 %t.j.ref | FileCheck %s --check-prefix=J
// J: ok 456
//
// The vector form, not loops: no depthwise op and no materialized pad left.
// RUN: dc-opt %t.a.mlir --dc-vectorize-linalg=vector-width=4 | FileCheck %s --check-prefix=IRA --implicit-check-not=linalg.depthwise_conv --implicit-check-not=tensor.pad
// Channels, then the top row (its taps of row -1 skipped), the interior
// rows as a loop, the bottom row; chunks of 4, 4 and 1 pixels; the left
// border chunk's first tap is 4 pixels shifted right by one, a zero in front.
// IRA-LABEL: func.func @f
// IRA: scf.for
// IRA: %[[X:.+]] = vector.transfer_read %arg0[%c0, %{{.+}}, %c0, %c0], %{{.+}} {in_bounds = [true]} : tensor<1x3x9x9xf32>, vector<4xf32>
// IRA: vector.shuffle %[[X]], %{{.+}} [4, 0, 1, 2] : vector<4xf32>, vector<4xf32>
// IRA: vector.fma {{.*}} : vector<4xf32>
// IRA: vector.transfer_write {{.*}}[%c0, %{{.+}}, %c0, %c0] {in_bounds = [true]} : vector<4xf32>, tensor<1x3x9x9xf32>
// IRA: vector.transfer_write {{.*}}[%c0, %{{.+}}, %c0, %c4] {in_bounds = [true]} : vector<4xf32>, tensor<1x3x9x9xf32>
// IRA: vector.fma {{.*}} : vector<1xf32>
// IRA: vector.transfer_write {{.*}}[%c0, %{{.+}}, %c0, %c8] {in_bounds = [true]} : vector<1xf32>, tensor<1x3x9x9xf32>
// IRA: scf.for
// IRA-COUNT-3: vector.fma {{.*}} : vector<4xf32>
// IRA: scf.yield
// IRA: vector.transfer_write {{.*}}[%c0, %{{.+}}, %c8, %c8] {in_bounds = [true]} : vector<1xf32>, tensor<1x3x9x9xf32>
// IRA-LABEL: func.func @main
// Stride 2: 6 output pixels read as 12 contiguous ones, every other kept;
// the last tap's last pixel is the right pad (lane 10: the zero vector's).
// RUN: dc-opt %t.e.mlir --dc-vectorize-linalg=vector-width=8 | FileCheck %s --check-prefix=IRE --implicit-check-not=linalg.depthwise_conv --implicit-check-not=tensor.pad
// IRE-LABEL: func.func @f
// IRE: %[[X:.+]] = vector.transfer_read {{.*}}, %c0], {{.*}} : tensor<1x4x12x12xf32>, vector<12xf32>
// IRE: vector.shuffle %[[X]], %[[X]] [0, 2, 4, 6, 8, 10] : vector<12xf32>, vector<12xf32>
// IRE: vector.fma {{.*}} : vector<6xf32>
// IRE: %[[Z:.+]] = vector.transfer_read {{.*}}, %c2], {{.*}} : tensor<1x4x12x12xf32>, vector<10xf32>
// IRE: vector.shuffle %[[Z]], %{{.+}} [0, 2, 4, 6, 8, 10] : vector<10xf32>, vector<10xf32>
// The epilogue applied to the rows in registers: no generic left in @f.
// RUN: dc-opt %t.g.mlir --dc-vectorize-linalg | FileCheck %s --check-prefix=IRG --implicit-check-not=linalg.depthwise_conv --implicit-check-not=linalg.generic
// IRG-LABEL: func.func @f
// IRG: vector.fma
// IRG: arith.minimumf {{.*}} : vector<{{[0-9]+}}xf32>
// IRG: vector.transfer_write
// IRG-LABEL: func.func @main
// Max pooling: the -inf pad read in place, maximumf of the row reads.
// RUN: dc-opt %t.i.mlir --dc-vectorize-linalg | FileCheck %s --check-prefix=IRI --implicit-check-not=linalg.pooling --implicit-check-not=tensor.pad
// IRI-LABEL: func.func @f
// IRI: vector.shuffle
// IRI: arith.maximumf {{.*}} : vector<{{[0-9]+}}xf32>
// IRI: vector.transfer_write
// IRI-LABEL: func.func @main
