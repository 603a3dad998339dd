// Per-group codebooks whose groups x entries exceed 2^16 cannot become one
// codebook of 16-bit global indices: dc-rewrite-contractions leaves them (a
// remark) and dc-lower-decompress reports them instead of decoding wrongly.
// 257 rows with one 256-entry codebook each: 65,792 indices.
// RUN: dc-opt %s -split-input-file -verify-diagnostics --dc-rewrite-contractions --dc-lower-decompress

func.func @too_wide() -> tensor<257x1xf32> {
  // expected-remark @+2 {{dc-rewrite-contractions: decoding to dense: the 257 codebooks of 256 entries need 65792 indices together, more than 2^16}}
  // expected-error @+1 {{cannot be lowered: the 257 codebooks of 256 entries need 65792 indices together, more than 2^16}}
  %c = dc.constant {codebook = dense<0.0> : tensor<257x256xf32>, values = dense<0> : tensor<257xi8>, num_entries = 257 : i64} : !dc.compressed<tensor<257x1xf32>, #dc.encoding<format = dense, bits = 8, codebook_rows = 1>>
  %d = dc.decompress %c : !dc.compressed<tensor<257x1xf32>, #dc.encoding<format = dense, bits = 8, codebook_rows = 1>> -> tensor<257x1xf32>
  return %d : tensor<257x1xf32>
}
