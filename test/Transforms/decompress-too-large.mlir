// A tiny payload may declare a huge shape: decompressing it to a dense
// constant is a diagnostic, not a failed allocation.
// RUN: dc-opt %s -verify-diagnostics --dc-decompress-constants

func.func @huge() -> tensor<1x1099511627776xf32> {
  // expected-error@+1 {{'dc.constant' op tensor of 1099511627776 elements is too large to decompress (limit 1073741824)}}
  %c = dc.constant {codebook = dense<[0.0, 1.0]> : tensor<2xf32>, pointers = dense<[0, 1]> : tensor<2xi32>, values = dense<[1]> : tensor<1xi8>, gaps = dense<[0]> : tensor<1xi8>, num_entries = 1 : i64} : !dc.compressed<tensor<1x1099511627776xf32>, #dc.encoding<format = csr, bits = 1, index_bits = 2>>
  %d = dc.decompress %c : !dc.compressed<tensor<1x1099511627776xf32>, #dc.encoding<format = csr, bits = 1, index_bits = 2>> -> tensor<1x1099511627776xf32>
  return %d : tensor<1x1099511627776xf32>
}
