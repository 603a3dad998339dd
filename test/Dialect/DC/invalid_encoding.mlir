// RUN: dc-opt %s -split-input-file -verify-diagnostics

// expected-error@+2 {{bits must be in 1..16 (codebook index width) or 32 (raw f32 values), got 17}}
// expected-error@+1 {{failed to parse DC_CompressedType parameter 'encoding'}}
func.func private @bits_17(!dc.compressed<tensor<2xf32>, #dc.encoding<format = dense, bits = 17>>)

// -----

// expected-error@+2 {{bits must be in 1..16 (codebook index width) or 32 (raw f32 values), got 0}}
// expected-error@+1 {{failed to parse DC_CompressedType parameter 'encoding'}}
func.func private @bits_0(!dc.compressed<tensor<2xf32>, #dc.encoding<format = dense, bits = 0>>)

// -----

// expected-error@+2 {{index_bits must be in 1..16, got 0}}
// expected-error@+1 {{failed to parse DC_CompressedType parameter 'encoding'}}
func.func private @index_bits_0(!dc.compressed<tensor<2xf32>, #dc.encoding<format = csc, bits = 4, index_bits = 0>>)

// -----

// expected-error@+2 {{index_bits must be in 1..16, got 17}}
// expected-error@+1 {{failed to parse DC_CompressedType parameter 'encoding'}}
func.func private @index_bits_17(!dc.compressed<tensor<2xf32>, #dc.encoding<format = csr, bits = 4, index_bits = 17>>)

// -----

// expected-error@+2 {{entropy coding needs a codebook (bits <= 16)}}
// expected-error@+1 {{failed to parse DC_CompressedType parameter 'encoding'}}
func.func private @raw_huffman(!dc.compressed<tensor<2xf32>, #dc.encoding<format = dense, bits = 32, entropy = huffman>>)

// -----

// expected-error@+1 {{compressed tensor must have a static shape}}
func.func private @dynamic(!dc.compressed<tensor<?xf32>, #dc.encoding<format = dense, bits = 4>>)

// -----

// expected-error@+1 {{compressed tensor must have f32, f16 or bf16 elements}}
func.func private @f64(!dc.compressed<tensor<2xf64>, #dc.encoding<format = dense, bits = 4>>)

// -----

// expected-error@+1 {{compressed tensor type must not carry a tensor encoding}}
func.func private @encoded(!dc.compressed<tensor<2xf32, "enc">, #dc.encoding<format = dense, bits = 4>>)

// -----

// expected-error@+1 {{sparse formats need a tensor of rank >= 1}}
func.func private @sparse_scalar(!dc.compressed<tensor<f32>, #dc.encoding<format = csc, bits = 4>>)

// -----

// expected-error@+3 {{expected ::dc::Format to be one of: dense, csc, csr}}
// expected-error@+2 {{failed to parse DC_EncodingAttr parameter 'format'}}
// expected-error@+1 {{failed to parse DC_CompressedType parameter 'encoding'}}
func.func private @bad_format(!dc.compressed<tensor<2xf32>, #dc.encoding<format = coo, bits = 4>>)

// -----

// expected-error@+3 {{expected one of [none, huffman, ans] for entropy coder of the streams, got: tans}}
// expected-error@+2 {{failed to parse DC_EncodingAttr parameter 'entropy'}}
// expected-error@+1 {{failed to parse DC_CompressedType parameter 'encoding'}}
func.func private @bad_entropy(!dc.compressed<tensor<2xf32>, #dc.encoding<format = dense, bits = 4, entropy = tans>>)

// -----

// expected-error@+2 {{struct is missing required parameter: bits}}
// expected-error@+1 {{failed to parse DC_CompressedType parameter 'encoding'}}
func.func private @missing_bits(!dc.compressed<tensor<2xf32>, #dc.encoding<format = dense>>)
