// Never silently dense: a compressed weight whose consumer has no kernel on
// the compressed form (here a batch_matmul whose weight differs per batch
// entry) still runs, decoded at load, and dc-to-llvm warns naming the layer
// and the consumer; dc-lower-compute's stats list it as layout=dense.
// RUN: dc-opt %s --dc-compress="bits=4" --dc-to-llvm -verify-diagnostics -o /dev/null
// RUN: dc-opt %s --dc-compress="bits=4" --dc-rewrite-contractions --dc-lower-compute=stats=1 -o /dev/null 2>&1 | FileCheck %s --check-prefix=STATS
// dc-to-llvm decodes dense layers before bufferization and runs the kernels
// after it: its stats come from both passes.
// RUN: dc-opt %s --dc-compress="bits=4" --dc-to-llvm=stats=1 -o /dev/null 2>&1 | FileCheck %s --check-prefix=LLVM-STATS
// LLVM-STATS-DAG: dc-lower-decompress: per_batch layout=dense consumers=linalg.batch_matmul bytes_dense=64
// LLVM-STATS-DAG: dc-lower-compute: __dc_shared_{{[0-9]+}}_t layout={{sparse|dense-code}}

// STATS-DAG: dc-lower-compute: __dc_shared_{{[0-9]+}}_t layout={{sparse|dense-code}}
// STATS-DAG: dc-lower-compute: per_batch layout=dense consumers=linalg.batch_matmul bytes_dense=64

func.func @f(%x: tensor<2x3x4xf32>) -> (tensor<2x3x2xf32>, tensor<2x3x2xf32>) {
  %z = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<2x3x2xf32>
  %i = linalg.fill ins(%z : f32) outs(%e : tensor<2x3x2xf32>) -> tensor<2x3x2xf32>
  // expected-warning@+1 {{layer 'per_batch' is decoded to a dense buffer: no kernel reads it compressed in its consumer 'linalg.batch_matmul'}}
  %w = arith.constant {dc.layer = "per_batch"} dense<[[[1.0, 2.0], [3.0, 4.0], [5.0, 6.0], [7.0, 8.0]], [[-1.0, -2.0], [-3.0, -4.0], [-5.0, -6.0], [-7.0, -8.0]]]> : tensor<2x4x2xf32>
  %y = linalg.batch_matmul ins(%x, %w : tensor<2x3x4xf32>, tensor<2x4x2xf32>) outs(%i : tensor<2x3x2xf32>) -> tensor<2x3x2xf32>
  // The same form on a shared weight runs compressed: no warning.
  %s = arith.constant {dc.layer = "shared"} dense<[[1.0, 2.0], [3.0, 4.0], [5.0, 6.0], [7.0, 8.0]]> : tensor<4x2xf32>
  %eb = tensor.empty() : tensor<2x4x2xf32>
  %sb = linalg.broadcast ins(%s : tensor<4x2xf32>) outs(%eb : tensor<2x4x2xf32>) dimensions = [0]
  %y2 = linalg.batch_matmul ins(%x, %sb : tensor<2x3x4xf32>, tensor<2x4x2xf32>) outs(%i : tensor<2x3x2xf32>) -> tensor<2x3x2xf32>
  return %y, %y2 : tensor<2x3x2xf32>, tensor<2x3x2xf32>
}
