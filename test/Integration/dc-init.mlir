// Load-time validation in generated code (INTERFACE.md, dc-to-llvm): the
// object exports dc_init() and dc_status(). A payload corrupted in the
// object after the compiler validated it (here: its bytes in the LLVM IR set
// to 0xFF) makes dc_init() return non-zero, and the compute functions then
// write zeros instead of reading out of bounds. @dec decodes a fixed-width
// payload (dc-lower-decompress; 0xFF bytes are codebook index 3 of a
// 3-entry codebook: code 2); @mv runs the kernel on an entropy-coded layout
// (its load-time Huffman decoder). Every coded stream carries a checksum
// (FNV-1a, checked at load): a corrupt stream is code 1.
// RUN: dc-opt %s --dc-compress="sparsity=0.5 bits=2" --dc-to-llvm | mlir-translate --mlir-to-llvmir -o %t.ll
// RUN: clang-22 -O1 -Wno-override-module -c %t.ll -o %t.o
// RUN: clang-22 %S/Inputs/dc_init_driver.c %t.o -lm -o %t.exe
// RUN: %t.exe | FileCheck %s --check-prefix=GOOD
// RUN: %t.exe lazy | FileCheck %s --check-prefix=GOOD-LAZY
// RUN: %python %S/Inputs/corrupt_globals.py %t.ll '^__dc_w[0-9]+_values$' > %t.dec.ll
// RUN: clang-22 -O1 -Wno-override-module -c %t.dec.ll -o %t.dec.o
// RUN: clang-22 %S/Inputs/dc_init_driver.c %t.dec.o -lm -o %t.dec.exe
// RUN: %t.dec.exe | FileCheck %s --check-prefix=BAD-DEC
// RUN: %t.dec.exe lazy | FileCheck %s --check-prefix=BAD-DEC-LAZY
// RUN: %python %S/Inputs/corrupt_globals.py %t.ll '_stream$' > %t.mv.ll
// RUN: clang-22 -O1 -Wno-override-module -c %t.mv.ll -o %t.mv.o
// RUN: clang-22 %S/Inputs/dc_init_driver.c %t.mv.o -lm -o %t.mv.exe
// RUN: %t.mv.exe | FileCheck %s --check-prefix=BAD-MV

// GOOD: dc_init 0
// GOOD-NEXT: dec 9 mv 4
// GOOD-NEXT: dc_status 0
// GOOD-LAZY: dec 9 mv 4
// GOOD-LAZY-NEXT: dc_status 0

// BAD-DEC: dc_init 2
// BAD-DEC-NEXT: dec 0 mv 4
// BAD-DEC-NEXT: dc_status 2
// BAD-DEC-LAZY: dec 0 mv 4
// BAD-DEC-LAZY-NEXT: dc_status 2

// BAD-MV: dc_init 1
// BAD-MV-NEXT: dec 9 mv 0
// BAD-MV-NEXT: dc_status 1

// Not a layer (returned, no contraction): lowered by dc-lower-decompress.
// Codebook [0, 1, 2], 2-bit indices: 1 2 0 1 | 2 1 0 0 | 0 0 1 1 sums to 9.
func.func @dec() -> tensor<3x4xf32> attributes {llvm.emit_c_interface} {
  %c = dc.constant {codebook = dense<[0.0, 1.0, 2.0]> : tensor<3xf32>, values = dense<[73, 6, 80]> : tensor<3xi8>, num_entries = 12 : i64} : !dc.compressed<tensor<3x4xf32>, #dc.encoding<format = dense, bits = 2>>
  %d = dc.decompress %c : !dc.compressed<tensor<3x4xf32>, #dc.encoding<format = dense, bits = 2>> -> tensor<3x4xf32>
  return %d : tensor<3x4xf32>
}

// A layer: compressed to CSC + Huffman, run by the kernel.
func.func @mv(%x: tensor<6xf32>) -> tensor<2xf32> attributes {llvm.emit_c_interface} {
  %w = arith.constant {dc.layer = "mv"} dense<[[0.0, 1.0, 0.0, 0.0, 0.0, 0.0], [0.0, 0.0, 0.0, 0.0, 0.0, 0.0]]> : tensor<2x6xf32>
  %z = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<2xf32>
  %i = linalg.fill ins(%z : f32) outs(%e : tensor<2xf32>) -> tensor<2xf32>
  %y = linalg.matvec ins(%w, %x : tensor<2x6xf32>, tensor<6xf32>) outs(%i : tensor<2xf32>) -> tensor<2xf32>
  return %y : tensor<2xf32>
}
