// dc-lower-compute on memrefs cannot fall back to dense linalg on tensors:
// an op without a kernel (raw f32 weight, a weight that is not a
// dc.constant) is an error naming the fix (dc-lower-decompress{keep-compute}
// lowers such ops before bufferization, as dc-to-llvm does).
// RUN: dc-opt %s -split-input-file --dc-lower-compute -verify-diagnostics

func.func @raw(%x: memref<2xf32>, %y: memref<2xf32>) {
  %c = dc.constant {values = dense<[0, 0, 128, 63, 0, 0, 128, 63, 0, 0, 128, 63, 0, 0, 128, 63]> : tensor<16xi8>, num_entries = 4 : i64} : !dc.compressed<tensor<2x2xf32>, #dc.encoding<format = dense, bits = 32>>
  // expected-remark@+2 {{dc-lower-compute: decoding to dense: raw f32 values (no codebook) are not supported by the kernels}}
  // expected-error@+1 {{'dc.matvec' op on memrefs needs a kernel, but no execution layout can be built for its weight (see the remark); lower it before bufferization (dc-lower-decompress{keep-compute=1} lowers such ops to dense linalg)}}
  dc.matvec %c, %x outs(%y) : !dc.compressed<tensor<2x2xf32>, #dc.encoding<format = dense, bits = 32>>, memref<2xf32>, memref<2xf32>
  return
}

// -----

!W = !dc.compressed<tensor<2x3xf32>, #dc.encoding<format = csc, bits = 2, index_bits = 2>>
func.func @argument(%c: !W, %x: memref<3xf32>, %y: memref<2xf32>) {
  // expected-error@+1 {{'dc.matvec' op on memrefs needs a kernel, but its weight is not a dc.constant or its shapes are not static}}
  dc.matvec %c, %x outs(%y) : !W, memref<3xf32>, memref<2xf32>
  return
}
