// Every dc pass and both pipelines, with options, in stock mlir-opt's -p
// through DCPlugin.so. A plugin that fails to load only prints "Request
// ignored" (exit 0), so every RUN line checks dc output.
// RUN: mlir-opt %s --load-dialect-plugin=%dc_plugin --load-pass-plugin=%dc_plugin -p 'builtin.module(dc-prune{sparsity=0.5 min-elements=4})' | FileCheck %s --check-prefix=PRUNE
// RUN: mlir-opt %s --load-dialect-plugin=%dc_plugin --load-pass-plugin=%dc_plugin -p 'builtin.module(dc-prune{threshold=0.25},dc-cluster{bits=2 init=density seed=3})' | FileCheck %s --check-prefix=CLUSTER
// RUN: mlir-opt %s --load-dialect-plugin=%dc_plugin --load-pass-plugin=%dc_plugin -p 'builtin.module(dc-prune{std-scale=0.5},dc-cluster{fc-bits=2},dc-sparse-encode{index-bits=3 format=csr})' | FileCheck %s --check-prefix=SPARSE
// RUN: mlir-opt %s --load-dialect-plugin=%dc_plugin --load-pass-plugin=%dc_plugin -p 'builtin.module(dc-prune{sparsity=0.5},dc-cluster{bits=2},dc-sparse-encode{fc-index-bits=4},dc-huffman{entropy=huffman})' | FileCheck %s --check-prefix=HUFF
// RUN: mlir-opt %s --load-dialect-plugin=%dc_plugin --load-pass-plugin=%dc_plugin -p 'builtin.module(dc-compress{sparsity=0.5 bits=3 report=-})' 2>%t.table | FileCheck %s --check-prefix=COMPRESS
// RUN: FileCheck %s --check-prefix=TABLE < %t.table
// The plugin's dc-compress gives what dc-opt's gives.
// RUN: mlir-opt %s --load-dialect-plugin=%dc_plugin --load-pass-plugin=%dc_plugin -p 'builtin.module(dc-compress{sparsity=0.5 bits=3})' -o %t.plugin.mlir
// RUN: dc-opt %s -p 'builtin.module(dc-compress{sparsity=0.5 bits=3})' -o %t.dcopt.mlir
// RUN: diff %t.plugin.mlir %t.dcopt.mlir
// RUN: mlir-opt %t.plugin.mlir --load-dialect-plugin=%dc_plugin --load-pass-plugin=%dc_plugin -p 'builtin.module(dc-decompress-constants)' | FileCheck %s --check-prefix=DECOMP
// RUN: mlir-opt %t.plugin.mlir --load-dialect-plugin=%dc_plugin --load-pass-plugin=%dc_plugin -p 'builtin.module(dc-rewrite-contractions)' | FileCheck %s --check-prefix=REWRITE
// RUN: mlir-opt %t.plugin.mlir --load-dialect-plugin=%dc_plugin --load-pass-plugin=%dc_plugin -p 'builtin.module(dc-rewrite-contractions,dc-choose-layout{target-cpu=x86-64})' | FileCheck %s --check-prefix=CHOOSE
// RUN: mlir-opt %t.plugin.mlir --load-dialect-plugin=%dc_plugin --load-pass-plugin=%dc_plugin -p 'builtin.module(dc-rewrite-contractions,dc-lower-compute{rows-per-group=2 vector-width=8})' | FileCheck %s --check-prefix=LOWER
// RUN: mlir-opt %t.plugin.mlir --load-dialect-plugin=%dc_plugin --load-pass-plugin=%dc_plugin -p 'builtin.module(dc-lower-decompress{decode-once=false})' | FileCheck %s --check-prefix=DECODE
// The composable order: dc ops kept for upstream bufferization, then
// lowered on memrefs.
// RUN: mlir-opt %t.plugin.mlir --load-dialect-plugin=%dc_plugin --load-pass-plugin=%dc_plugin -p 'builtin.module(dc-rewrite-contractions,dc-lower-decompress{keep-compute=true stats=true},one-shot-bufferize{bufferize-function-boundaries function-boundary-type-conversion=identity-layout-map},dc-lower-compute{rows-per-group=2 vector-width=8})' | FileCheck %s --check-prefix=LOWER-BUF
// RUN: mlir-opt %t.plugin.mlir --load-dialect-plugin=%dc_plugin --load-pass-plugin=%dc_plugin -p 'builtin.module(dc-to-llvm{target-cpu=x86-64},dc-set-target{target-cpu=znver4})' | FileCheck %s --check-prefix=TARGET
// RUN: mlir-opt %t.plugin.mlir --load-dialect-plugin=%dc_plugin --load-pass-plugin=%dc_plugin -p 'builtin.module(dc-to-llvm{target-cpu=x86-64 vector-width=8 threads=1 stats=true})' 2>%t.stats | FileCheck %s --check-prefix=LLVM
// RUN: FileCheck %s --check-prefix=STATS < %t.stats
// RUN: mlir-opt %S/Inputs/intrinsic.mlir --load-dialect-plugin=%dc_plugin --load-pass-plugin=%dc_plugin -p 'builtin.module(dc-expand-intrinsic-calls)' | FileCheck %s --check-prefix=EXPAND
// Option errors name the pass and suggest through the plugin too.
// RUN: not mlir-opt %s --load-dialect-plugin=%dc_plugin --load-pass-plugin=%dc_plugin -p 'builtin.module(dc-compress{sparsty=0.5})' 2>&1 | FileCheck %s --check-prefix=TYPO

// PRUNE: arith.constant {dc.layer = "fc", dc.pruned}
// CLUSTER: dc.constant {{.*}}!dc.compressed<tensor<4x8xf32>, #dc.encoding<format = dense, bits = 2>>
// SPARSE: !dc.compressed<tensor<4x8xf32>, #dc.encoding<format = csr, bits = 2, index_bits = 3>>
// HUFF: #dc.encoding<format = csc, bits = 2, index_bits = 4, entropy = huffman>
// COMPRESS: dc.constant {{.*}}#dc.encoding<format = csc, bits = 3, entropy = huffman>
// COMPRESS: dc.decompress
// TABLE: fc fc 32 50.00%
// TABLE: compression:
// DECOMP-NOT: dc.
// DECOMP: arith.constant {dc.layer = "fc"} dense<{{\[\[}}
// REWRITE: dc.matvec
// CHOOSE: dc.matvec {{.*}} {dc.layout = "{{sparse|dense-code}}"}
// LOWER-NOT: dc.matvec
// LOWER: memref.global "private" constant
// LOWER-BUF-LABEL: func.func @forward
// LOWER-BUF-NOT: dc.matvec
// LOWER-BUF: %[[Y:.+]] = memref.alloc
// LOWER-BUF: call @__dc_fc_{{[0-9]+}}_matvec(%{{.+}}, %[[Y]])
// LOWER-BUF: return %[[Y]]
// DECODE-NOT: dc.decompress
// DECODE: memref.global
// TARGET: target_cpu = "znver4"
// LLVM: llvm.func @forward
// LLVM-NOT: dc.
// STATS: layout={{[a-z-]+}} m=4 k=8
// EXPAND: llvm.call_intrinsic "llvm.x86.avx512.permvar.sf.512"
// TYPO: dc-compress: no option 'sparsty' (did you mean 'sparsity'?)

func.func @forward(%x: tensor<8xf32>) -> tensor<4xf32> {
  %w = arith.constant {dc.layer = "fc"} dense<[
    [0.9, -0.1, 0.3, 0.05, -0.7, 0.2, 0.15, -0.4],
    [0.1, 0.8, -0.2, 0.6, 0.02, -0.3, 0.7, 0.01],
    [-0.5, 0.2, 0.9, -0.1, 0.3, 0.04, -0.6, 0.4],
    [0.03, -0.9, 0.1, 0.5, -0.2, 0.8, 0.06, -0.3]]> : tensor<4x8xf32>
  %init = arith.constant dense<0.0> : tensor<4xf32>
  %y = linalg.matvec ins(%w, %x : tensor<4x8xf32>, tensor<8xf32>) outs(%init : tensor<4xf32>) -> tensor<4xf32>
  return %y : tensor<4xf32>
}
