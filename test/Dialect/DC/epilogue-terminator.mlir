// An epilogue block must end in dc.yield (another terminator is an error).
// RUN: dc-opt %s -allow-unregistered-dialect -verify-diagnostics

!W = !dc.compressed<tensor<2x3xf32>, #dc.encoding<format = csc, bits = 2, index_bits = 2>>
func.func @no_yield(%x: tensor<3xf32>, %b: tensor<2xf32>) {
  %c = dc.constant {codebook = dense<[0.0, -1.0, 1.0, 2.0]> : tensor<4xf32>, pointers = dense<[0, 1, 1, 2]> : tensor<4xi32>, values = dense<[9]> : tensor<1xi8>, gaps = dense<[1]> : tensor<1xi8>, num_entries = 2 : i64} : !W
  %e = tensor.empty() : tensor<2xf32>
  // expected-error@+1 {{'dc.matvec' op epilogue must end with dc.yield}}
  %y = dc.matvec %c, %x outs(%e) epilogue(%b : tensor<2xf32>) {
  ^bb0(%s: f32, %bi: f32):
    "test.end"(%s) : (f32) -> ()
  } : !W, tensor<3xf32>, tensor<2xf32> -> tensor<2xf32>
  return
}
