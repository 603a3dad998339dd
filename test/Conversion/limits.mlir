// A compressed constant may declare a huge shape with an (almost) empty
// payload. dc-to-llvm checks every size against kMaxDenseElements (2^30
// elements, 4 GiB of f32; include/dc/Core/CompressedTensor.h) before it
// emits or allocates anything of that size: no out-of-memory at compile
// time, no 4 TiB buffer in the generated code.
// RUN: dc-opt %s -split-input-file -verify-diagnostics --dc-to-llvm
// RUN: dc-opt %s -split-input-file -verify-diagnostics --dc-lower-decompress

// 2^40 x 1 in CSC: two pointers and no entries (a valid payload).
func.func @tall() -> tensor<1099511627776x1xf32> {
  // expected-error@+1 {{compressed constant has 1099511627776 elements, more than dc materializes (kMaxDenseElements = 1073741824)}}
  %c = dc.constant {codebook = dense<[0.0, 1.0]> : tensor<2xf32>, pointers = dense<[0, 0]> : tensor<2xi32>, values = dense<> : tensor<0xi8>, gaps = dense<> : tensor<0xi8>, num_entries = 0 : i64} : !dc.compressed<tensor<1099511627776x1xf32>, #dc.encoding<format = csc, bits = 1, index_bits = 2>>
  %d = dc.decompress %c : !dc.compressed<tensor<1099511627776x1xf32>, #dc.encoding<format = csc, bits = 1, index_bits = 2>> -> tensor<1099511627776x1xf32>
  return %d : tensor<1099511627776x1xf32>
}

// -----

// A 16 GiB view of 65536 x 65536 f32, all pruned.
func.func @view16g() -> tensor<65536x65536xf32> {
  // expected-error@+1 {{compressed constant has 4294967296 elements, more than dc materializes}}
  %c = dc.constant {codebook = dense<[0.0, 1.0]> : tensor<2xf32>, pointers = dense<0> : tensor<65537xi32>, values = dense<> : tensor<0xi8>, gaps = dense<> : tensor<0xi8>, num_entries = 0 : i64} : !dc.compressed<tensor<65536x65536xf32>, #dc.encoding<format = csc, bits = 1, index_bits = 2>>
  %d = dc.decompress %c : !dc.compressed<tensor<65536x65536xf32>, #dc.encoding<format = csc, bits = 1, index_bits = 2>> -> tensor<65536x65536xf32>
  return %d : tensor<65536x65536xf32>
}

// -----

// 2^40 x 0: no element at all, but the kernel would lay out 2^40 rows and
// the result is 4 TiB.
func.func @wide(%x: tensor<0xf32>) -> tensor<1099511627776xf32> {
  %c = dc.constant {codebook = dense<[0.0, 1.0]> : tensor<2xf32>, pointers = dense<[0]> : tensor<1xi32>, values = dense<> : tensor<0xi8>, gaps = dense<> : tensor<0xi8>, num_entries = 0 : i64} : !dc.compressed<tensor<1099511627776x0xf32>, #dc.encoding<format = csc, bits = 1, index_bits = 2>>
  %y_init = tensor.empty() : tensor<1099511627776xf32>
  // expected-error@+1 {{result has 1099511627776 elements, more than dc materializes}}
  %y = dc.matvec %c, %x outs(%y_init) : !dc.compressed<tensor<1099511627776x0xf32>, #dc.encoding<format = csc, bits = 1, index_bits = 2>>, tensor<0xf32>, tensor<1099511627776xf32> -> tensor<1099511627776xf32>
  return %y : tensor<1099511627776xf32>
}
