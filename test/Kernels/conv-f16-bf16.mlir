// f16 and bf16 convolution filters are compressed and run on the compact
// form like f32 ones: im2col extends the activations to f32, dc.matmul reads
// the f32 codebook, the bias is added in f32 and the sum truncated once to
// the output's type. The dense reference (@conv on the decoded filter)
// accumulates in f16 / bf16, hence the tolerances of Inputs/gen_conv.py
// (2e-2 for f16, 6e-2 for bf16, relative to max conv(|X|, |W|)).
// RUN: %python %S/Inputs/gen_conv.py --op conv_2d_nhwc_fhwc --n 2 --c 3 --f 5 --h 11 --w 10 --strides 2,3 --pad 1,2,0,1 --bias --dtype f16 > %t.fhwc16.mlir
// RUN: %python %S/Inputs/gen_conv.py --op conv_2d_nchw_fchw --n 1 --c 4 --f 3 --h 9 --w 8 --dtype bf16 > %t.fchw-bf16.mlir
// RUN: %python %S/Inputs/gen_conv.py --op depthwise_conv_2d_nhwc_hwc --n 2 --c 6 --h 9 --w 8 --bias --dtype f16 > %t.dw16.mlir
// RUN: %python %S/Inputs/gen_conv.py --op conv_2d_ngchw_fgchw --n 1 --g 2 --c 3 --f 2 --h 7 --w 7 --dilations 2,1 --dtype bf16 > %t.grouped-bf16.mlir
// RUN: dc-opt %t.fhwc16.mlir --dc-compress="sparsity=0.5 bits=4" --dc-to-llvm | %dc_run | FileCheck %s
// RUN: dc-opt %t.fchw-bf16.mlir --dc-compress="sparsity=0.6 bits=5" --dc-to-llvm | %dc_run | FileCheck %s
// RUN: dc-opt %t.dw16.mlir --dc-compress="sparsity=0.5 bits=4 format=csr" --dc-to-llvm | %dc_run | FileCheck %s
// RUN: dc-opt %t.grouped-bf16.mlir --dc-compress="sparsity=0.5 bits=4" --dc-to-llvm | %dc_run | FileCheck %s
// RUN: dc-opt %t.fhwc16.mlir --dc-compress="sparsity=0.5 bits=4" --dc-rewrite-contractions | FileCheck %s --check-prefix=F16
// RUN: dc-opt %t.fchw-bf16.mlir --dc-compress="sparsity=0.6 bits=5" --dc-rewrite-contractions | FileCheck %s --check-prefix=BF16
// CHECK: ok 1
// CHECK: nonzero 1

// F16-LABEL: func.func @main
// F16: arith.extf %{{.+}} : f16 to f32
// F16: dc.matmul %{{.*}}, %{{.*}} outs(%{{.*}}) : !dc.compressed<tensor<5x27xf32>, {{.*}}>, tensor<27x36xf32>, tensor<5x36xf32> -> tensor<5x36xf32>
// F16: arith.extf %{{.+}} : f16 to f32
// F16: arith.truncf %{{.+}} : f32 to f16
// F16-NOT: linalg.conv_2d_nhwc_fhwc
// F16: call @conv

// BF16-LABEL: func.func @main
// BF16: arith.extf %{{.+}} : bf16 to f32
// BF16: dc.matmul %{{.*}}, %{{.*}} outs(%{{.*}}) : !dc.compressed<tensor<3x36xf32>, {{.*}}>, tensor<36x42xf32>, tensor<3x42xf32> -> tensor<3x42xf32>
// BF16: arith.truncf %{{.+}} : f32 to bf16
// BF16-NOT: linalg.conv_2d_nchw_fchw
// BF16: call @conv
