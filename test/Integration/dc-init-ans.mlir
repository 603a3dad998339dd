// Load-time validation of rANS payloads (entropy = ans) in generated code,
// as dc-init.mlir does for fixed-width and Huffman ones: a stream corrupted
// in the object (its bytes in the LLVM IR set to 0xFF) makes dc_init()
// return non-zero, dc_status() report it, and the compute functions write
// zeros. @dec is decoded by dc-lower-decompress's rANS decoder (not a
// layer), @mv runs a kernel whose layout is rANS-coded and decoded at load.
// RUN: dc-opt %s --dc-compress="sparsity=0.5 bits=2 entropy=ans" --dc-to-llvm | mlir-translate --mlir-to-llvmir -o %t.ll
// RUN: FileCheck %s --check-prefix=IR < %t.ll
// RUN: clang-22 -O1 -Wno-override-module -c %t.ll -o %t.o
// RUN: clang-22 %S/Inputs/dc_init_driver.c %t.o -lm -o %t.exe
// RUN: %t.exe | FileCheck %s --check-prefix=GOOD
// RUN: %t.exe lazy | FileCheck %s --check-prefix=GOOD-LAZY
// RUN: %python %S/Inputs/corrupt_globals.py %t.ll '^__dc_w[0-9]+_values$' > %t.v.ll
// RUN: clang-22 -O1 -Wno-override-module -c %t.v.ll -o %t.v.o
// RUN: clang-22 %S/Inputs/dc_init_driver.c %t.v.o -lm -o %t.v.exe
// RUN: %t.v.exe | FileCheck %s --check-prefix=BAD-DEC
// RUN: %t.v.exe lazy | FileCheck %s --check-prefix=BAD-DEC-LAZY
// RUN: %python %S/Inputs/corrupt_globals.py %t.ll '^__dc_w[0-9]+_gaps$' > %t.g.ll
// RUN: clang-22 -O1 -Wno-override-module -c %t.g.ll -o %t.g.o
// RUN: clang-22 %S/Inputs/dc_init_driver.c %t.g.o -lm -o %t.g.exe
// RUN: %t.g.exe | FileCheck %s --check-prefix=BAD-DEC
// RUN: %python %S/Inputs/corrupt_globals.py %t.ll '_value_stream$' > %t.mv.ll
// RUN: clang-22 -O1 -Wno-override-module -c %t.mv.ll -o %t.mv.o
// RUN: clang-22 %S/Inputs/dc_init_driver.c %t.mv.o -lm -o %t.mv.exe
// RUN: %t.mv.exe | FileCheck %s --check-prefix=BAD-MV

// The rANS decoding tables are in the object:
// IR-DAG: @__dc_w{{[0-9]+}}_value_ans_freq = private constant
// IR-DAG: @__dc_w{{[0-9]+}}_gap_ans_cum = private constant
// IR-DAG: @__dc_{{.*}}_value_ans_freq = private constant

// GOOD: dc_init 0
// GOOD-NEXT: dec 9 mv 4
// GOOD-NEXT: dc_status 0
// GOOD-LAZY: dec 9 mv 4
// GOOD-LAZY-NEXT: dc_status 0

// BAD-DEC: dc_init {{[1-9]}}
// BAD-DEC-NEXT: dec 0 mv 4
// BAD-DEC-NEXT: dc_status {{[1-9]}}
// BAD-DEC-LAZY: dec 0 mv 4
// BAD-DEC-LAZY-NEXT: dc_status {{[1-9]}}

// BAD-MV: dc_init 1
// BAD-MV-NEXT: dec 9 mv 0
// BAD-MV-NEXT: dc_status 1

// Not a layer (returned, no contraction): lowered by dc-lower-decompress.
// CSC + rANS of [[1, 2, 0, 1], [2, 1, 0, 0], [0, 0, 1, 1]] (sum 9), made by
// dc-compress="bits=2 index-bits=2 entropy=ans".
func.func @dec() -> tensor<3x4xf32> attributes {llvm.emit_c_interface} {
  %c = dc.constant {codebook = dense<[0.000000e+00, 1.000000e+00, 2.000000e+00]> : tensor<3xf32>, gap_ans_table = dense<[33, 4, 0, -124, 2]> : tensor<5xi8>, gaps = dense<[0, 0, 0, 1, 73]> : tensor<5xi8>, num_entries = 7 : i64, pointers = dense<[0, 2, 4, 5, 7]> : tensor<5xi32>, value_ans_table = dense<[32, 4, 0, -96]> : tensor<4xi8>, values = dense<[6, 0, 0, 64]> : tensor<4xi8>} : !dc.compressed<tensor<3x4xf32>, #dc.encoding<format = csc, bits = 2, index_bits = 2, entropy = ans>>
  %d = dc.decompress %c : !dc.compressed<tensor<3x4xf32>, #dc.encoding<format = csc, bits = 2, index_bits = 2, entropy = ans>> -> tensor<3x4xf32>
  return %d : tensor<3x4xf32>
}

// A layer: compressed to CSC + rANS, run by the kernel.
func.func @mv(%x: tensor<6xf32>) -> tensor<2xf32> attributes {llvm.emit_c_interface} {
  %w = arith.constant {dc.layer = "mv"} dense<[[0.0, 1.0, 0.0, 0.0, 0.0, 0.0], [0.0, 0.0, 0.0, 0.0, 0.0, 0.0]]> : tensor<2x6xf32>
  %z = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<2xf32>
  %i = linalg.fill ins(%z : f32) outs(%e : tensor<2xf32>) -> tensor<2xf32>
  %y = linalg.matvec ins(%w, %x : tensor<2x6xf32>, tensor<6xf32>) outs(%i : tensor<2xf32>) -> tensor<2xf32>
  return %y : tensor<2xf32>
}
