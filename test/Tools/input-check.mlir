// dc-opt checks what it can before the upstream readers see the input
// (dc/Support/InputCheck.h): bytecode framing (section lengths and
// alignments against the file, string counts) and textual resource headers.
// Each mutation below makes stock mlir-opt abort or misbehave; dc-opt reports
// an error and exits 1.
// RUN: dc-opt %s --emit-bytecode -o %t.mlirbc
// RUN: dc-opt %t.mlirbc | FileCheck %s --check-prefix=GOOD
// RUN: %python %S/Inputs/mutate_bytecode.py %t.mlirbc %t.len.mlirbc section-length
// RUN: not dc-opt %t.len.mlirbc 2>&1 | FileCheck %s --check-prefix=LEN
// RUN: %python %S/Inputs/mutate_bytecode.py %t.mlirbc %t.str.mlirbc strings
// RUN: not dc-opt %t.str.mlirbc 2>&1 | FileCheck %s --check-prefix=STR
// RUN: %python %S/Inputs/mutate_bytecode.py %t.mlirbc %t.align.mlirbc alignment
// RUN: not dc-opt %t.align.mlirbc 2>&1 | FileCheck %s --check-prefix=ALIGN
// RUN: sed 's/"0x04000000/"0x00000000/' %s > %t.align0.mlir
// RUN: not dc-opt %t.align0.mlir 2>&1 | FileCheck %s --check-prefix=TEXT
// RUN: sed 's/"0x04000000[0-9A-F]*"/"0x0400"/' %s > %t.short.mlir
// RUN: not dc-opt %t.short.mlir 2>&1 | FileCheck %s --check-prefix=SHORT

// GOOD: dc.constant
// LEN: error: bytecode section {{[0-9]+}} declares 1099511627776 bytes, but only {{[0-9]+}} remain
// STR: error: bytecode declares 1099511627776 strings in {{[0-9]+}} bytes
// ALIGN: error: bytecode section {{[0-9]+}} has alignment 3 (a power of two up to 65536 expected)
// TEXT: error: resource blob has alignment 0 (a power of two up to 65536 expected)
// SHORT: error: resource blob "0x0400" is shorter than its 4-byte alignment header

func.func @f() -> !dc.compressed<tensor<2x2xf32>, #dc.encoding<format = dense, bits = 2>> {
  %c = dc.constant {codebook = dense_resource<cb> : tensor<3xf32>, values = dense<[36]> : tensor<1xi8>, num_entries = 4 : i64} : !dc.compressed<tensor<2x2xf32>, #dc.encoding<format = dense, bits = 2>>
  return %c : !dc.compressed<tensor<2x2xf32>, #dc.encoding<format = dense, bits = 2>>
}
{-#
  dialect_resources: {
    builtin: {
      cb: "0x04000000000000000000803F00000040"
    }
  }
#-}
