// Every invalid option value is an error diagnostic and a non-zero exit.
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
// RUN: not dc-opt %s --dc-compress=entropy=ans 2>&1 | FileCheck %s --check-prefix=ENT
// RUN: not dc-opt %s --dc-compress=min-elements=-1 2>&1 | FileCheck %s --check-prefix=MIN
// RUN: not dc-opt %s --dc-compress=seed=abc 2>&1 | FileCheck %s --check-prefix=SEED
// RUN: not dc-opt %s --dc-compress=bogus=1 2>&1 | FileCheck %s --check-prefix=UNKNOWN
// RUN: not dc-opt %s --dc-huffman=report=/nonexistent/dir/r.json 2>&1 | FileCheck %s --check-prefix=REPORT

// SP: error: dc-prune: option 'sparsity' must be in [0, 1), got 1
// FCSP: error: dc-prune: option 'fc-sparsity' must be in [0, 1), got -0.5
// CVSP: error: dc-prune: option 'conv-sparsity' must be in [0, 1), got 2
// THR: error: dc-prune: option 'threshold' must be >= 0, got -1.5
// STD: error: dc-prune: option 'std-scale' must be >= 0, got -2
// EXCL: error: dc-prune: at most one of 'sparsity' (or fc-/conv-sparsity), 'threshold' and 'std-scale' may be given
// BITS: error: dc-cluster: option 'bits' must be in 1..16, got 0
// FCBITS: option 'fc-bits' must be in 1..16, got 17
// CVBITS: option 'conv-bits' must be in 1..16, got 99
// IDX: error: dc-sparse-encode: option 'index-bits' must be in 1..16, got 0
// FCIDX: option 'fc-index-bits' must be in 1..16, got 17
// CVIDX: option 'conv-index-bits' must be in 1..16, got 0
// INIT: option 'init' must be linear, density, random, kmeans++ or optimal, got 'best'
// FMT: option 'format' must be csc or csr, got 'coo'
// ENT: option 'entropy' must be huffman or none, got 'ans'
// MIN: option 'min-elements' must be >= 0, got -1
// SEED: error
// UNKNOWN: error
// REPORT: error: cannot write the storage report '/nonexistent/dir/r.json'

func.func @f(%x: tensor<2xf32>) -> tensor<2xf32> {
  %w = arith.constant dense<[[1.0, 2.0], [3.0, 4.0]]> : tensor<2x2xf32>
  %y = linalg.matvec ins(%w, %x : tensor<2x2xf32>, tensor<2xf32>) outs(%x : tensor<2xf32>) -> tensor<2xf32>
  return %y : tensor<2xf32>
}
