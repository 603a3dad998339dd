// Fused epilogues in the tile layout (batch 1, AVX-512; see
// epilogue-run.mlir for the checks): 16 rows per vector store, a partial
// last strip (37 rows) with masked operand loads, one and two threads.
// REQUIRES: avx512
//
// RUN: %python %S/Inputs/gen_epilogue.py --m 37 --k 45 --density 0.1 --empty-rows 0,5 --epilogue bias-relu > %t.br.mlir
// RUN: dc-opt %t.br.mlir --dc-compress=bits=5 --dc-to-llvm="layout=tiles stats=1" -o %t.br.ll 2> %t.br.log
// RUN: FileCheck %s --check-prefix=STATS < %t.br.log
// RUN: %dc_run < %t.br.ll | FileCheck %s
// RUN: dc-opt %t.br.mlir --dc-compress=bits=5 --dc-rewrite-contractions --dc-fuse-epilogues --dc-lower-compute="layout=tiles threads=2 parallel-min-words=0" %dc_lower_rest | %dc_run | FileCheck %s
// RUN: %python %S/Inputs/gen_epilogue.py --m 37 --k 45 --density 0.1 --epilogue residual --seed 3 > %t.res.mlir
// RUN: dc-opt %t.res.mlir --dc-compress=bits=5 --dc-to-llvm="layout=tiles threads=2" | %dc_omp_run | FileCheck %s
// RUN: %python %S/Inputs/gen_epilogue.py --m 40 --k 70 --density 0.1 --epilogue bn-hardswish --seed 4 > %t.bn.mlir
// RUN: dc-opt %t.bn.mlir --dc-compress=bits=5 --dc-to-llvm="layout=tiles stats=1" -o %t.bn.ll 2> %t.bn.log
// RUN: FileCheck %s --check-prefix=STATS < %t.bn.log
// RUN: %dc_run < %t.bn.ll | FileCheck %s
// RUN: %python %S/Inputs/gen_epilogue.py --m 32 --k 45 --density 0.1 --epilogue clip --seed 5 > %t.clip.mlir
// RUN: dc-opt %t.clip.mlir --dc-compress=bits=5 --dc-to-llvm="layout=tiles" | %dc_run | FileCheck %s
//
// Batch 3 and 8 (the tile kernels of dc.matmul: scattered stores, then the
// epilogue over each strip's rows), one and two threads.
// RUN: %python %S/Inputs/gen_epilogue.py --m 37 --k 45 --batch 3 --density 0.1 --epilogue bias-relu --seed 5 > %t.b3.mlir
// RUN: dc-opt %t.b3.mlir --dc-compress=bits=5 --dc-to-llvm="layout=tiles stats=1" -o %t.b3.ll 2> %t.b3.log
// RUN: FileCheck %s --check-prefix=STATS < %t.b3.log
// RUN: %dc_run < %t.b3.ll | FileCheck %s
// RUN: %python %S/Inputs/gen_epilogue.py --m 40 --k 70 --batch 8 --density 0.1 --epilogue residual --seed 6 > %t.b8.mlir
// RUN: dc-opt %t.b8.mlir --dc-compress=bits=5 --dc-rewrite-contractions --dc-fuse-epilogues --dc-lower-compute="layout=tiles threads=2 parallel-min-words=0 stats=1" -o %t.b8.mlir.out 2> %t.b8.log
// RUN: FileCheck %s --check-prefix=STATS < %t.b8.log
// RUN: dc-opt %t.b8.mlir.out %dc_lower_rest | %dc_run | FileCheck %s
// RUN: %python %S/Inputs/gen_epilogue.py --m 40 --k 70 --batch 5 --density 0.1 --epilogue bn-hardswish --seed 7 > %t.b5.mlir
// RUN: dc-opt %t.b5.mlir --dc-compress=bits=5 --dc-to-llvm="layout=tiles threads=2" | %dc_omp_run | FileCheck %s
//
// STATS: __dc_fc_{{[0-9]+}} layout=tiles
// CHECK: rel_err
// CHECK: ok 1
// CHECK: scale {{(0\.0*[1-9]|[1-9])}}
