// The payload attributes of a dc.constant are measured with checked
// arithmetic: 2^62 + 1 i32 pointers are 4 bytes modulo 2^64.
// RUN: dc-opt %s -split-input-file -verify-diagnostics

func.func @pointers_wrap() -> !dc.compressed<tensor<1x2xf32>, #dc.encoding<format = csr, bits = 1, index_bits = 2>> {
  // expected-error@+1 {{'pointers' has a type 'tensor<4611686018427387905xi32>' whose size in bytes overflows}}
  %c = dc.constant {codebook = dense<[0.0, 1.0]> : tensor<2xf32>, pointers = dense_resource<p> : tensor<4611686018427387905xi32>, values = dense<[1]> : tensor<1xi8>, gaps = dense<[0]> : tensor<1xi8>, num_entries = 1 : i64} : !dc.compressed<tensor<1x2xf32>, #dc.encoding<format = csr, bits = 1, index_bits = 2>>
  return %c : !dc.compressed<tensor<1x2xf32>, #dc.encoding<format = csr, bits = 1, index_bits = 2>>
}
{-#
  dialect_resources: {
    builtin: {
      p: "0x0400000000000000"
    }
  }
#-}

// -----

// The declared tensor's element count overflows.
func.func @shape_wrap() -> !dc.compressed<tensor<5x4611686018427387904xf32>, #dc.encoding<format = csc, bits = 1, index_bits = 2>> {
  // expected-error@+1 {{shape has too many elements}}
  %c = dc.constant {codebook = dense<[0.0, 1.0]> : tensor<2xf32>, pointers = dense<[0, 0]> : tensor<2xi32>, values = dense<> : tensor<0xi8>, gaps = dense<> : tensor<0xi8>, num_entries = 0 : i64} : !dc.compressed<tensor<5x4611686018427387904xf32>, #dc.encoding<format = csc, bits = 1, index_bits = 2>>
  return %c : !dc.compressed<tensor<5x4611686018427387904xf32>, #dc.encoding<format = csc, bits = 1, index_bits = 2>>
}
