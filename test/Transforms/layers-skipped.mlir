// A weight dc does not compress gets a warning naming the layer and why
// (once per dc-compress run: from dc-prune when pruning is asked for, else
// from dc-cluster); so does an already compressed layer whose new options
// are ignored. The IR is left as it was.
// RUN: dc-opt %s -split-input-file -verify-diagnostics --dc-compress="bits=4" | FileCheck %s
// RUN: dc-opt %s -split-input-file -verify-diagnostics --dc-compress="sparsity=0.5 bits=4" | FileCheck %s

// CHECK-LABEL: func @f64
// CHECK: arith.constant {dc.layer = "w64"} dense<{{.*}}> : tensor<2x2xf64>
func.func @f64(%x: tensor<2x2xf64>, %o: tensor<2x2xf64>) -> tensor<2x2xf64> {
  // expected-warning@+1 {{layer 'w64' is not compressed: element type f64 is not handled (dc compresses f32, f16 and bf16 weights)}}
  %w = arith.constant {dc.layer = "w64"} dense<[[1.0, 2.0], [3.0, 4.0]]> : tensor<2x2xf64>
  %r = linalg.matmul ins(%x, %w : tensor<2x2xf64>, tensor<2x2xf64>) outs(%o : tensor<2x2xf64>) -> tensor<2x2xf64>
  return %r : tensor<2x2xf64>
}

// -----

// CHECK-LABEL: func @i8
// CHECK: arith.constant {dc.layer = "q"} dense<{{.*}}> : tensor<2x2xi8>
func.func @i8(%x: tensor<2x2xi8>, %o: tensor<2x2xi32>) -> tensor<2x2xi32> {
  // expected-warning@+1 {{layer 'q' is not compressed: element type i8 is not handled (dc compresses f32, f16 and bf16 weights)}}
  %w = arith.constant {dc.layer = "q"} dense<[[1, 2], [3, 4]]> : tensor<2x2xi8>
  %e = tensor.empty() : tensor<2x2xi8>
  %t = linalg.transpose ins(%w : tensor<2x2xi8>) outs(%e : tensor<2x2xi8>) permutation = [1, 0]
  %r = linalg.matmul ins(%x, %t : tensor<2x2xi8>, tensor<2x2xi8>) outs(%o : tensor<2x2xi32>) -> tensor<2x2xi32>
  return %r : tensor<2x2xi32>
}

// -----

// Already compressed with 2-bit indices: bits=4 (and pruning) do not apply.
// CHECK-LABEL: func @compressed
// CHECK: dc.constant {{.*}}#dc.encoding<format = csc, bits = 2, index_bits = 2{{.*}}>>
func.func @compressed(%x: tensor<2xf32>) -> tensor<2xf32> {
  // expected-warning@+1 {{layer 'old' is already compressed; ignoring}}
  %c = dc.constant {dc.layer = "old", codebook = dense<[0.0, -1.0, 1.0, 2.0]> : tensor<4xf32>, pointers = dense<[0, 1, 2]> : tensor<3xi32>, values = dense<[9]> : tensor<1xi8>, gaps = dense<[1]> : tensor<1xi8>, num_entries = 2 : i64} : !dc.compressed<tensor<2x2xf32>, #dc.encoding<format = csc, bits = 2, index_bits = 2>>
  %d = dc.decompress %c : !dc.compressed<tensor<2x2xf32>, #dc.encoding<format = csc, bits = 2, index_bits = 2>> -> tensor<2x2xf32>
  %e = tensor.empty() : tensor<2xf32>
  %r = linalg.matvec ins(%d, %x : tensor<2x2xf32>, tensor<2xf32>) outs(%e : tensor<2xf32>) -> tensor<2xf32>
  return %r : tensor<2xf32>
}
