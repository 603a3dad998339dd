// dc-vectorize-linalg rejects a vector width that is not 0 or a power of
// two up to 64, naming the value.
// RUN: dc-opt %s --dc-vectorize-linalg=vector-width=3 -verify-diagnostics
// RUN: not dc-opt %s --dc-vectorize-linalg=vector-width=128 2>&1 | FileCheck %s --check-prefix=W128
// W128: error: dc-vectorize-linalg: vector-width must be 0 or a power of two up to 64, got 128

// expected-error @+1 {{dc-vectorize-linalg: vector-width must be 0 or a power of two up to 64, got 3}}
func.func @f(%x: tensor<4xf32>) -> tensor<4xf32> {
  return %x : tensor<4xf32>
}
