// A corrupt payload is an error, not a crash.
// RUN: dc-opt %s -verify-diagnostics --dc-decompress-constants

func.func @corrupt() -> tensor<2x2xf32> {
  // expected-error@+1 {{'dc.constant' op resource blob of 'values' is missing}}
  %c = dc.constant {codebook = dense<[0.0, -1.0, 1.0, 2.0]> : tensor<4xf32>, values = dense_resource<missing> : tensor<1xi8>, num_entries = 4 : i64} : !dc.compressed<tensor<2x2xf32>, #dc.encoding<format = dense, bits = 2>>
  %d = dc.decompress %c : !dc.compressed<tensor<2x2xf32>, #dc.encoding<format = dense, bits = 2>> -> tensor<2x2xf32>
  return %d : tensor<2x2xf32>
}
