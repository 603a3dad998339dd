// Per-channel and per-group codebooks (codebook=channel / group:G) executed
// by the kernels: dc-rewrite-contractions turns the per-group codebooks into
// one codebook of global indices (group * E + index), so every layout runs
// them as a layer codebook in wider index fields. Each run compares with the
// dense reference on the decoded weight (Inputs/gen_forms.py,
// Inputs/gen_conv.py: rel_err below the kernel tolerance prints ok 1).
// torch nn.Linear ([out, in] weight: rows are output channels), batch 1 and 6:
// RUN: %python %S/Inputs/gen_forms.py linear --rows 1 --k 48 --n 20 > %t.r1.mlir
// RUN: %python %S/Inputs/gen_forms.py linear --rows 6 --k 48 --n 20 > %t.r6.mlir
// RUN: dc-opt %t.r1.mlir --dc-compress="sparsity=0.5 bits=3 codebook=channel" --dc-to-llvm | %dc_run | FileCheck %s
// RUN: dc-opt %t.r6.mlir --dc-compress="sparsity=0.5 bits=3 codebook=channel" --dc-to-llvm | %dc_run | FileCheck %s
// RUN: dc-opt %t.r1.mlir --dc-compress="sparsity=0.5 bits=4 codebook=group:4 format=csr entropy=none" --dc-to-llvm | %dc_run | FileCheck %s
// RUN: dc-opt %t.r6.mlir --dc-compress="sparsity=0.5 bits=4 codebook=group:4 format=csr entropy=none" --dc-to-llvm | %dc_run | FileCheck %s
// Two threads, and the dense-code layout (its vector lookups on the global
// table):
// RUN: dc-opt %t.r6.mlir --dc-compress="sparsity=0.5 bits=3 codebook=channel" --dc-to-llvm="threads=2" | %dc_omp_run | FileCheck %s
// RUN: dc-opt %t.r6.mlir --dc-compress="sparsity=0.5 bits=3 codebook=channel" --dc-rewrite-contractions --dc-lower-compute="threads=2 parallel-min-words=0" --dc-to-llvm=threads=2 | %dc_omp_run | FileCheck %s
// RUN: dc-opt %t.r1.mlir --dc-compress="bits=2 codebook=group:2" --dc-to-llvm=layout=dense-code | %dc_run | FileCheck %s
// RUN: dc-opt %t.r6.mlir --dc-compress="bits=2 codebook=channel" --dc-to-llvm=layout=dense-code | %dc_run | FileCheck %s
// The kernels run on the compressed weight (@ref gets it decoded):
// RUN: dc-opt %t.r6.mlir --dc-compress="sparsity=0.5 bits=3 codebook=channel" --dc-rewrite-contractions --dc-lower-compute | FileCheck %s --check-prefix=IR
// Convolutions: FCHW (the payload's rows are the output channels, batch 1
// and 2) and HWCF (transpose_w; its first dimension KH carries the
// codebooks, docs/Autotune.md "Finer codebooks").
// RUN: %python %S/Inputs/gen_conv.py --op conv_2d_nchw_fchw --n 1 --c 3 --h 9 --w 8 --f 6 --seed 3 > %t.c1.mlir
// RUN: %python %S/Inputs/gen_conv.py --op conv_2d_nchw_fchw --n 2 --c 4 --h 8 --w 8 --f 8 --pad 1,1,1,1 --seed 5 > %t.c2.mlir
// RUN: %python %S/Inputs/gen_conv.py --op conv_2d_nhwc_hwcf --n 2 --c 3 --h 7 --w 7 --f 5 --seed 9 > %t.c3.mlir
// RUN: dc-opt %t.c1.mlir --dc-compress="sparsity=0.5 bits=4 codebook=channel" --dc-to-llvm | %dc_run | FileCheck %s --check-prefixes=CHECK,CONV
// RUN: dc-opt %t.c2.mlir --dc-compress="sparsity=0.5 bits=4 codebook=group:2" --dc-to-llvm | %dc_run | FileCheck %s --check-prefixes=CHECK,CONV
// RUN: dc-opt %t.c2.mlir --dc-compress="sparsity=0.5 bits=4 codebook=channel" --dc-to-llvm=threads=2 | %dc_omp_run | FileCheck %s --check-prefixes=CHECK,CONV
// RUN: dc-opt %t.c3.mlir --dc-compress="sparsity=0.5 bits=4 codebook=channel" --dc-to-llvm | %dc_run | FileCheck %s --check-prefixes=CHECK,CONV
// RUN: dc-opt %t.c2.mlir --dc-compress="sparsity=0.5 bits=4 codebook=channel" --dc-rewrite-contractions | FileCheck %s --check-prefix=CONVIR
// CHECK: ok 1
// CONV: nonzero 1
// IR-LABEL: func.func @form
// IR: call @__dc_{{.*}}_{{matvec|matmul[0-9]+}}(
// CONVIR-LABEL: func.func @main
// CONVIR-NOT: linalg.conv_2d
// CONVIR: dc.matmul
