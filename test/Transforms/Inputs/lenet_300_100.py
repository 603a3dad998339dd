#!/usr/bin/env python3
"""Writes LeNet-300-100 (784-300-100-10) as MLIR: random normal weights
(seed 0, std 0.05), weights as dense_resource blobs stored [in, out] so that
y = x W (CSC columns are output neurons), with the paper's per-layer
dc.config (Han et al. 2016, Table 2: 8%/9%/26% kept, 6-bit weights, 5-bit
indices). Three contraction forms: plain matmul, nn.Linear's transpose then
matmul, and matmul with transposed-B indexing maps."""
import numpy as np

rng = np.random.default_rng(0)
w1 = rng.normal(0, 0.05, (784, 300)).astype(np.float32)
w2 = rng.normal(0, 0.05, (100, 300)).astype(np.float32)  # [out, in]
w3 = rng.normal(0, 0.05, (100, 10)).astype(np.float32)


def blob(a):
    return '"0x04000000' + a.tobytes().hex().upper() + '"'


def config(sparsity):
    return ('{dc.layer = "%s", dc.config = {sparsity = %s : f64, bits = 6, '
            'index_bits = 5}}' % sparsity)


print('''func.func @lenet(%x: tensor<1x784xf32>) -> tensor<1x10xf32> {
  %zero = arith.constant 0.0 : f32
  %w1 = arith.constant ''' + config(("ip1", 0.92)) + ''' dense_resource<ip1> : tensor<784x300xf32>
  %o1 = tensor.empty() : tensor<1x300xf32>
  %f1 = linalg.fill ins(%zero : f32) outs(%o1 : tensor<1x300xf32>) -> tensor<1x300xf32>
  %h1 = linalg.matmul ins(%x, %w1 : tensor<1x784xf32>, tensor<784x300xf32>) outs(%f1 : tensor<1x300xf32>) -> tensor<1x300xf32>
  %w2 = arith.constant ''' + config(("ip2", 0.91)) + ''' dense_resource<ip2> : tensor<100x300xf32>
  %t2 = tensor.empty() : tensor<300x100xf32>
  %w2t = linalg.transpose ins(%w2 : tensor<100x300xf32>) outs(%t2 : tensor<300x100xf32>) permutation = [1, 0]
  %o2 = tensor.empty() : tensor<1x100xf32>
  %f2 = linalg.fill ins(%zero : f32) outs(%o2 : tensor<1x100xf32>) -> tensor<1x100xf32>
  %h2 = linalg.matmul ins(%h1, %w2t : tensor<1x300xf32>, tensor<300x100xf32>) outs(%f2 : tensor<1x100xf32>) -> tensor<1x100xf32>
  %w3 = arith.constant ''' + config(("ip3", 0.74)) + ''' dense_resource<ip3> : tensor<100x10xf32>
  %o3 = tensor.empty() : tensor<1x10xf32>
  %f3 = linalg.fill ins(%zero : f32) outs(%o3 : tensor<1x10xf32>) -> tensor<1x10xf32>
  %y = linalg.matmul ins(%h2, %w3 : tensor<1x100xf32>, tensor<100x10xf32>) outs(%f3 : tensor<1x10xf32>) -> tensor<1x10xf32>
  return %y : tensor<1x10xf32>
}
{-#
  dialect_resources: {
    builtin: {
      ip1: ''' + blob(w1) + ''',
      ip2: ''' + blob(w2) + ''',
      ip3: ''' + blob(w3) + '''
    }
  }
#-}''')
