// Per-group codebooks (`codebook_rows` in the encoding, a [groups, E]
// `codebook`) round-trip through custom text, generic form and bytecode,
// and decode row by row through their own codebook.
// RUN: dc-opt %s -split-input-file | dc-opt -split-input-file | FileCheck %s
// RUN: dc-opt %s -split-input-file -mlir-print-op-generic | dc-opt -split-input-file | FileCheck %s
// RUN: dc-opt %s -emit-bytecode | dc-opt | FileCheck %s --check-prefix=BC
// RUN: dc-opt %s -split-input-file --dc-decompress-constants | FileCheck %s --check-prefix=DENSE

// CHECK-LABEL: func @per_row
// CHECK: dc.constant {codebook = dense<{{\[}}[0.000000e+00, 1.000000e+00, 2.000000e+00, 3.000000e+00], [0.000000e+00, -1.000000e+00, -2.000000e+00, -3.000000e+00]]> : tensor<2x4xf32>, num_entries = 4 : i64, values = dense<121> : tensor<1xi8>} : !dc.compressed<tensor<2x2xf32>, #dc.encoding<format = dense, bits = 2, codebook_rows = 1>>
// BC: #dc.encoding<format = dense, bits = 2, codebook_rows = 1>
// Row 0 reads codebook 0 (indices 1, 2), row 1 codebook 1 (indices 3, 1).
// DENSE-LABEL: func @per_row
// DENSE: arith.constant dense<{{\[}}[1.000000e+00, 2.000000e+00], [-3.000000e+00, -1.000000e+00]]> : tensor<2x2xf32>
func.func @per_row() -> tensor<2x2xf32> {
  %c = dc.constant {codebook = dense<[[0.0, 1.0, 2.0, 3.0], [0.0, -1.0, -2.0, -3.0]]> : tensor<2x4xf32>, values = dense<[121]> : tensor<1xi8>, num_entries = 4 : i64} : !dc.compressed<tensor<2x2xf32>, #dc.encoding<format = dense, bits = 2, codebook_rows = 1>>
  %d = dc.decompress %c : !dc.compressed<tensor<2x2xf32>, #dc.encoding<format = dense, bits = 2, codebook_rows = 1>> -> tensor<2x2xf32>
  return %d : tensor<2x2xf32>
}

// -----

// Two rows per codebook, CSR: rows 0-1 share codebook 0, rows 2-3 codebook 1
// (3 entries each). Entries: (0,1)=1 (1,0)=2 (2,1)=1 (3,0)=2, gaps 1 0 1 0.
// CHECK-LABEL: func @group_csr
// CHECK: #dc.encoding<format = csr, bits = 2, index_bits = 2, codebook_rows = 2>
// DENSE-LABEL: func @group_csr
// DENSE: arith.constant dense<{{\[}}[0.000000e+00, 5.000000e-01], [7.500000e-01, 0.000000e+00], [0.000000e+00, 1.000000e+01], [2.000000e+01, 0.000000e+00]]> : tensor<4x2xf32>
func.func @group_csr() -> tensor<4x2xf32> {
  %c = dc.constant {codebook = dense<[[0.0, 0.5, 0.75], [0.0, 10.0, 20.0]]> : tensor<2x3xf32>, pointers = dense<[0, 1, 2, 3, 4]> : tensor<5xi32>, values = dense<[-103]> : tensor<1xi8>, gaps = dense<[17]> : tensor<1xi8>, num_entries = 4 : i64} : !dc.compressed<tensor<4x2xf32>, #dc.encoding<format = csr, bits = 2, index_bits = 2, codebook_rows = 2>>
  %d = dc.decompress %c : !dc.compressed<tensor<4x2xf32>, #dc.encoding<format = csr, bits = 2, index_bits = 2, codebook_rows = 2>> -> tensor<4x2xf32>
  return %d : tensor<4x2xf32>
}
