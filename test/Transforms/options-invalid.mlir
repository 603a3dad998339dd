// Every invalid option value is an error diagnostic and a non-zero exit,
// prefixed with the pass or pipeline the user typed. -1 is not "not given".
// RUN: not dc-opt %s --dc-prune=sparsity=1.0 2>&1 | FileCheck %s --check-prefix=SP
// RUN: not dc-opt %s --dc-compress=fc-sparsity=-0.5 2>&1 | FileCheck %s --check-prefix=FCSP
// RUN: not dc-opt %s --dc-compress=conv-sparsity=2 2>&1 | FileCheck %s --check-prefix=CVSP
// RUN: not dc-opt %s --dc-compress=threshold=-1.5 2>&1 | FileCheck %s --check-prefix=THR
// RUN: not dc-opt %s --dc-compress=std-scale=-2 2>&1 | FileCheck %s --check-prefix=STD
// RUN: not dc-opt %s --dc-compress="sparsity=0.5 threshold=0.1" 2>&1 | FileCheck %s --check-prefix=EXCL
// RUN: not dc-opt %s --dc-compress="threshold=0.1 std-scale=1" 2>&1 | FileCheck %s --check-prefix=EXCL
// RUN: not dc-opt %s --dc-cluster=bits=0 2>&1 | FileCheck %s --check-prefix=BITS
// RUN: not dc-opt %s --dc-compress=fc-bits=17 2>&1 | FileCheck %s --check-prefix=FCBITS
// RUN: not dc-opt %s --dc-compress=conv-bits=99 2>&1 | FileCheck %s --check-prefix=CVBITS
// RUN: not dc-opt %s --dc-sparse-encode=index-bits=0 2>&1 | FileCheck %s --check-prefix=IDX
// RUN: not dc-opt %s --dc-compress=fc-index-bits=17 2>&1 | FileCheck %s --check-prefix=FCIDX
// RUN: not dc-opt %s --dc-compress=conv-index-bits=0 2>&1 | FileCheck %s --check-prefix=CVIDX
// RUN: not dc-opt %s --dc-compress=init=best 2>&1 | FileCheck %s --check-prefix=INIT
// RUN: not dc-opt %s --dc-compress=format=coo 2>&1 | FileCheck %s --check-prefix=FMT
// RUN: not dc-opt %s --dc-compress=entropy=tans 2>&1 | FileCheck %s --check-prefix=ENT
// RUN: not dc-opt %s --dc-compress=min-elements=-1 2>&1 | FileCheck %s --check-prefix=MIN
// RUN: not dc-opt %s --dc-compress=seed=abc 2>&1 | FileCheck %s --check-prefix=SEED
// RUN: not dc-opt %s --dc-compress=bogus=1 2>&1 | FileCheck %s --check-prefix=UNKNOWN
// RUN: not dc-opt %s --dc-huffman=report=/nonexistent/dir/r.json 2>&1 | FileCheck %s --check-prefix=REPORT
// RUN: not dc-opt %s --dc-compress=report=/nonexistent/dir/r.json 2>&1 | FileCheck %s --check-prefix=REPORT2
// RUN: not dc-opt %s --dc-compress=sparsity=-1 2>&1 | FileCheck %s --check-prefix=M1SP
// RUN: not dc-opt %s --dc-prune=threshold=-1 2>&1 | FileCheck %s --check-prefix=M1THR
// RUN: not dc-opt %s --dc-compress=std-scale=-1 2>&1 | FileCheck %s --check-prefix=M1STD
// RUN: not dc-opt %s --dc-compress=bits=-1 2>&1 | FileCheck %s --check-prefix=M1BITS
// RUN: not dc-opt %s --dc-sparse-encode=index-bits=-1 2>&1 | FileCheck %s --check-prefix=M1IDX
// RUN: not dc-opt %s --dc-cluster=fc-bits=-1 2>&1 | FileCheck %s --check-prefix=M1FC
// RUN: not dc-opt %s --dc-compress=conv-sparsity=-1 2>&1 | FileCheck %s --check-prefix=M1CV
// RUN: not dc-opt %s --dc-compress=sparsty=0.5 2>&1 | FileCheck %s --check-prefix=TYPO
// RUN: not dc-opt %s --dc-cluster=bitz=3 2>&1 | FileCheck %s --check-prefix=TYPO2
// RUN: not dc-opt %s --dc-prune=bits=3 2>&1 | FileCheck %s --check-prefix=OTHER
// RUN: not dc-opt %s -p 'builtin.module(dc-to-llvm{treads=2})' 2>&1 | FileCheck %s --check-prefix=TYPO3
// RUN: not dc-opt %s -p 'builtin.module(dc-to-llvm{stats=maybe})' 2>&1 | FileCheck %s --check-prefix=STATS
// RUN: not dc-opt %s -p 'builtin.module(dc-to-llvm{thread-runtime=tbb})' 2>&1 | FileCheck %s --check-prefix=RUNTIME
// RUN: not dc-opt %s -p 'builtin.module(dc-compress{bits=x})' 2>&1 | FileCheck %s --check-prefix=NOTINT

// SP: error: dc-prune: option 'sparsity' must be in [0, 1), got 1
// FCSP: error: dc-compress: option 'fc-sparsity' must be in [0, 1), got -0.5
// CVSP: error: dc-compress: option 'conv-sparsity' must be in [0, 1), got 2
// THR: error: dc-compress: option 'threshold' must be >= 0, got -1.5
// STD: error: dc-compress: option 'std-scale' must be >= 0, got -2
// EXCL: error: dc-compress: at most one of 'sparsity' (or fc-/conv-sparsity), 'threshold' and 'std-scale' may be given
// BITS: error: dc-cluster: option 'bits' must be in 1..16, got 0
// FCBITS: error: dc-compress: option 'fc-bits' must be in 1..16, got 17
// CVBITS: error: dc-compress: option 'conv-bits' must be in 1..16, got 99
// IDX: error: dc-sparse-encode: option 'index-bits' must be in 1..16, got 0
// FCIDX: option 'fc-index-bits' must be in 1..16, got 17
// CVIDX: option 'conv-index-bits' must be in 1..16, got 0
// INIT: option 'init' must be linear, density, random, kmeans++ or optimal, got 'best'
// FMT: option 'format' must be csc or csr, got 'coo'
// ENT: option 'entropy' must be huffman, ans or none, got 'tans'
// MIN: option 'min-elements' must be >= 0, got -1
// SEED: error: dc-compress: option 'seed' must be an unsigned integer, got 'abc'
// UNKNOWN: error: dc-compress: no option 'bogus'; options: bits, codebook, conv-bits,
// The report path is checked before any work, and no module is printed.
// REPORT: error: dc-huffman: option 'report': cannot write the storage report '/nonexistent/dir/r.json': directory '/nonexistent/dir' does not exist
// REPORT-NOT: func.func
// REPORT2: error: dc-compress: option 'report': cannot write the storage report
// REPORT2-NOT: func.func
// M1SP: error: dc-compress: option 'sparsity' must be in [0, 1), got -1
// M1THR: error: dc-prune: option 'threshold' must be >= 0, got -1
// M1STD: error: dc-compress: option 'std-scale' must be >= 0, got -1
// M1BITS: error: dc-compress: option 'bits' must be in 1..16, got -1
// M1IDX: error: dc-sparse-encode: option 'index-bits' must be in 1..16, got -1
// M1FC: error: dc-cluster: option 'fc-bits' must be in 1..16, got -1
// M1CV: error: dc-compress: option 'conv-sparsity' must be in [0, 1), got -1
// TYPO: error: dc-compress: no option 'sparsty' (did you mean 'sparsity'?); options: bits,
// TYPO2: error: dc-cluster: no option 'bitz' (did you mean 'bits'?); options: bits, codebook, conv-bits, fc-bits, init, min-elements, report, seed
// Each pass takes only the options it uses.
// OTHER: error: dc-prune: no option 'bits'; options: conv-sparsity, fc-sparsity, min-elements, report, sparsity, std-scale, threshold
// TYPO3: error: dc-to-llvm: no option 'treads' (did you mean 'threads'?)
// STATS: error: dc-to-llvm: option 'stats' must be true, false, 1 or 0, got 'maybe'
// RUNTIME: error: dc-to-llvm: option 'thread-runtime' must be omp or async, got 'tbb'
// NOTINT: error: dc-compress: option 'bits' must be an integer, got 'x'

func.func @f(%x: tensor<2xf32>) -> tensor<2xf32> {
  %w = arith.constant dense<[[1.0, 2.0], [3.0, 4.0]]> : tensor<2x2xf32>
  %y = linalg.matvec ins(%w, %x : tensor<2x2xf32>, tensor<2xf32>) outs(%x : tensor<2xf32>) -> tensor<2xf32>
  return %y : tensor<2xf32>
}
