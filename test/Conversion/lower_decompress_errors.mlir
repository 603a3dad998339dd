// RUN: dc-opt %s -split-input-file --dc-lower-decompress -verify-diagnostics

func.func @not_a_constant(%c: !dc.compressed<tensor<2x2xf32>, #dc.encoding<format = dense, bits = 2>>) -> tensor<2x2xf32> {
  // expected-error@+1 {{'dc.decompress' op can only be lowered when its input is a dc.constant}}
  %d = dc.decompress %c : !dc.compressed<tensor<2x2xf32>, #dc.encoding<format = dense, bits = 2>> -> tensor<2x2xf32>
  return %d : tensor<2x2xf32>
}
