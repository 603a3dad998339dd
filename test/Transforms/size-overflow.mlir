// Sizes computed from IR use checked arithmetic: a declared shape whose
// element count or byte size wraps around is a diagnostic, never a short
// payload read out of bounds. (A 4-byte blob is its alignment only: no data.)
// RUN: dc-opt %s -split-input-file -verify-diagnostics --dc-compress
// RUN: dc-opt %s -split-input-file -verify-diagnostics --dc-prune=sparsity=0.5

// 5 x 2^62 f32 elements: the count wraps to 2^62, times 4 to 0 bytes.
func.func @weights_wrap(%x: tensor<4611686018427387904xf32>) -> tensor<5xf32> {
  // expected-error@+1 {{layer 'wrap': cannot read the weights: the size in bytes of the weight type overflows}}
  %w = arith.constant {dc.layer = "wrap"} dense_resource<empty> : tensor<5x4611686018427387904xf32>
  %z = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<5xf32>
  %i = linalg.fill ins(%z : f32) outs(%e : tensor<5xf32>) -> tensor<5xf32>
  %y = linalg.matvec ins(%w, %x : tensor<5x4611686018427387904xf32>, tensor<4611686018427387904xf32>) outs(%i : tensor<5xf32>) -> tensor<5xf32>
  return %y : tensor<5xf32>
}
{-#
  dialect_resources: {
    builtin: {
      empty: "0x04000000"
    }
  }
#-}

// -----

// 2^62 + 1 f32 elements are 4 bytes modulo 2^64: the payload is 4 bytes.
func.func @bytes_wrap(%x: tensor<4611686018427387905xf32>) -> tensor<1xf32> {
  // expected-error@+1 {{layer 'bytes': cannot read the weights: the size in bytes of the weight type overflows}}
  %w = arith.constant {dc.layer = "bytes"} dense_resource<four> : tensor<1x4611686018427387905xf32>
  %z = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<1xf32>
  %i = linalg.fill ins(%z : f32) outs(%e : tensor<1xf32>) -> tensor<1xf32>
  %y = linalg.matvec ins(%w, %x : tensor<1x4611686018427387905xf32>, tensor<4611686018427387905xf32>) outs(%i : tensor<1xf32>) -> tensor<1xf32>
  return %y : tensor<1xf32>
}
{-#
  dialect_resources: {
    builtin: {
      four: "0x040000000000803F"
    }
  }
#-}

// -----

// A payload smaller than its type is named with both sizes.
func.func @short(%x: tensor<4xf32>) -> tensor<2xf32> {
  // expected-error@+1 {{layer 'short': cannot read the weights: the weights hold 4 bytes, but their type needs 32}}
  %w = arith.constant {dc.layer = "short"} dense_resource<one> : tensor<2x4xf32>
  %z = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<2xf32>
  %i = linalg.fill ins(%z : f32) outs(%e : tensor<2xf32>) -> tensor<2xf32>
  %y = linalg.matvec ins(%w, %x : tensor<2x4xf32>, tensor<4xf32>) outs(%i : tensor<2xf32>) -> tensor<2xf32>
  return %y : tensor<2xf32>
}
{-#
  dialect_resources: {
    builtin: {
      one: "0x040000000000803F"
    }
  }
#-}
