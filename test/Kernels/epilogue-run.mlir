// Fused epilogues run: a compressed layer followed by bias + ReLU, a clip,
// a residual add (with bias and ReLU) or an unfolded BatchNorm scale and
// shift + hard-swish, as separate linalg.generics (gen_epilogue.py). In
// @main dc-fuse-epilogues folds them into the kernel's stores (FUSED
// checks: the product carries the epilogue, no elementwise generic is
// left); @ref computes the same densely and unfused; the run checks
// rel_err < 1e-4 (and a non-zero result). Layouts sparse and dense-code
// (tiles: epilogue-run-tiles.mlir), batch 1 (matvec) and 3/5/19 (both
// matmul forms: W X with the bias per row, and nn.Linear's X W^T whose
// product is transposed after the epilogue), one and two threads (through
// dc-to-llvm on OpenMP, and the kernel passes with forced chunks on
// tensors, then the serial lowering). Empty rows (0, 5) still get the
// epilogue applied to their zero sums.
//
// RUN: %python %S/Inputs/gen_epilogue.py --m 37 --k 45 --density 0.2 --empty-rows 0,5 --epilogue bias-relu > %t.br.mlir
// RUN: dc-opt %t.br.mlir --dc-compress=bits=5 --dc-rewrite-contractions --dc-fuse-epilogues | FileCheck %s --check-prefix=FUSED
// RUN: dc-opt %t.br.mlir --dc-compress=bits=5 --dc-to-llvm=layout=sparse | %dc_run | FileCheck %s
// RUN: dc-opt %t.br.mlir --dc-compress=bits=5 --dc-to-llvm=layout=dense-code | %dc_run | FileCheck %s
// RUN: dc-opt %t.br.mlir --dc-compress=bits=5 --dc-to-llvm="layout=sparse threads=2" | %dc_omp_run | FileCheck %s
// RUN: dc-opt %t.br.mlir --dc-compress=bits=5 --dc-rewrite-contractions --dc-fuse-epilogues --dc-lower-compute="layout=dense-code threads=2 parallel-min-words=0" %dc_lower_rest | %dc_run | FileCheck %s
//
// RUN: %python %S/Inputs/gen_epilogue.py --m 37 --k 45 --density 0.2 --empty-rows 0,5 --epilogue clip --seed 2 > %t.clip.mlir
// RUN: dc-opt %t.clip.mlir --dc-compress=bits=5 --dc-rewrite-contractions --dc-fuse-epilogues | FileCheck %s --check-prefix=FUSED
// RUN: dc-opt %t.clip.mlir --dc-compress=bits=5 --dc-to-llvm=layout=sparse | %dc_run | FileCheck %s
// RUN: dc-opt %t.clip.mlir --dc-compress=bits=5 --dc-to-llvm=layout=dense-code | %dc_run | FileCheck %s
//
// RUN: %python %S/Inputs/gen_epilogue.py --m 37 --k 45 --density 0.2 --empty-rows 0,5 --epilogue residual --seed 3 > %t.res.mlir
// RUN: dc-opt %t.res.mlir --dc-compress=bits=5 --dc-rewrite-contractions --dc-fuse-epilogues | FileCheck %s --check-prefix=FUSED
// RUN: dc-opt %t.res.mlir --dc-compress=bits=5 --dc-to-llvm=layout=sparse | %dc_run | FileCheck %s
// RUN: dc-opt %t.res.mlir --dc-compress=bits=5 --dc-to-llvm="layout=dense-code threads=2" | %dc_omp_run | FileCheck %s
// RUN: dc-opt %t.res.mlir --dc-compress=bits=5 --dc-rewrite-contractions --dc-fuse-epilogues --dc-lower-compute="layout=sparse threads=2 parallel-min-words=0" %dc_lower_rest | %dc_run | FileCheck %s
//
// RUN: %python %S/Inputs/gen_epilogue.py --m 37 --k 45 --density 0.2 --empty-rows 0,5 --epilogue bn-hardswish --seed 4 > %t.bn.mlir
// RUN: dc-opt %t.bn.mlir --dc-compress=bits=5 --dc-rewrite-contractions --dc-fuse-epilogues | FileCheck %s --check-prefix=FUSED
// RUN: dc-opt %t.bn.mlir --dc-compress=bits=5 --dc-to-llvm=layout=sparse | %dc_run | FileCheck %s
// RUN: dc-opt %t.bn.mlir --dc-compress=bits=5 --dc-to-llvm=layout=dense-code | %dc_run | FileCheck %s
//
// Batch 5, W X: a residual of the product's layout (per element) and a
// per-row bias.
// RUN: %python %S/Inputs/gen_epilogue.py --m 37 --k 45 --batch 5 --form wx --density 0.2 --empty-rows 0,5 --epilogue residual --seed 5 > %t.bres.mlir
// RUN: dc-opt %t.bres.mlir --dc-compress=bits=5 --dc-rewrite-contractions --dc-fuse-epilogues | FileCheck %s --check-prefix=FUSED
// RUN: dc-opt %t.bres.mlir --dc-compress=bits=5 --dc-to-llvm=layout=sparse | %dc_run | FileCheck %s
// RUN: dc-opt %t.bres.mlir --dc-compress=bits=5 --dc-to-llvm=layout=dense-code | %dc_run | FileCheck %s
// RUN: dc-opt %t.bres.mlir --dc-compress=bits=5 --dc-to-llvm="layout=sparse threads=2" | %dc_omp_run | FileCheck %s
// RUN: dc-opt %t.bres.mlir --dc-compress=bits=5 --dc-rewrite-contractions --dc-fuse-epilogues --dc-lower-compute="layout=dense-code threads=2 parallel-min-words=0" %dc_lower_rest | %dc_run | FileCheck %s
//
// Batch 5, nn.Linear (X W^T): bias + ReLU, then the transpose.
// RUN: %python %S/Inputs/gen_epilogue.py --m 37 --k 45 --batch 5 --form xwt --density 0.2 --empty-rows 0,5 --epilogue bias-relu --seed 6 > %t.bbr.mlir
// RUN: dc-opt %t.bbr.mlir --dc-compress=bits=5 --dc-rewrite-contractions --dc-fuse-epilogues | FileCheck %s --check-prefix=FUSED
// RUN: dc-opt %t.bbr.mlir --dc-compress=bits=5 --dc-to-llvm=layout=sparse | %dc_run | FileCheck %s
// RUN: dc-opt %t.bbr.mlir --dc-compress=bits=5 --dc-to-llvm="layout=dense-code threads=2" | %dc_omp_run | FileCheck %s
//
// Batch 19 (a masked column tail), scale/shift + hard-swish; batch 3 clip.
// RUN: %python %S/Inputs/gen_epilogue.py --m 37 --k 45 --batch 19 --form wx --density 0.2 --empty-rows 0,5 --epilogue bn-hardswish --seed 7 > %t.bbn.mlir
// RUN: dc-opt %t.bbn.mlir --dc-compress=bits=5 --dc-rewrite-contractions --dc-fuse-epilogues | FileCheck %s --check-prefix=FUSED
// RUN: dc-opt %t.bbn.mlir --dc-compress=bits=5 --dc-to-llvm=layout=sparse | %dc_run | FileCheck %s
// RUN: dc-opt %t.bbn.mlir --dc-compress=bits=5 --dc-to-llvm=layout=dense-code | %dc_run | FileCheck %s
// RUN: %python %S/Inputs/gen_epilogue.py --m 37 --k 45 --batch 3 --form xwt --density 0.2 --epilogue clip --seed 8 > %t.bclip.mlir
// RUN: dc-opt %t.bclip.mlir --dc-compress=bits=5 --dc-rewrite-contractions --dc-fuse-epilogues | FileCheck %s --check-prefix=FUSED
// RUN: dc-opt %t.bclip.mlir --dc-compress=bits=5 --dc-to-llvm="layout=sparse threads=2" | %dc_omp_run | FileCheck %s
// RUN: dc-opt %t.bclip.mlir --dc-compress=bits=5 --dc-to-llvm=layout=dense-code | %dc_run | FileCheck %s
//
// FUSED-LABEL: func.func @main
// FUSED-NOT: "parallel"
// FUSED: dc.{{matvec|matmul}} {{.*}} outs({{.*}}) epilogue{{.*}} {
// FUSED: dc.yield
// FUSED-NOT: "parallel"
// FUSED: call @ref
//
// CHECK: rel_err
// CHECK: ok 1
// CHECK: scale {{(0\.0*[1-9]|[1-9])}}
