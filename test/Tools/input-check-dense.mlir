// dc-opt decodes the attribute and type tables of bytecode before the
// upstream reader sees them (dc/Support/InputCheck.h): the reader builds a
// builtin dense elements attribute from its blob without checking the
// blob's size against the type, then reads the type's full size (a heap
// overflow found by fuzz_ir_bytecode). A blob that is neither one element
// (a splat) nor every element is an error naming the attribute and sizes.
// RUN: dc-opt --allow-unregistered-dialect %s --emit-bytecode -o %t.mlirbc
// RUN: dc-opt --allow-unregistered-dialect %t.mlirbc | FileCheck %s --check-prefix=GOOD
// RUN: %python %S/Inputs/mutate_bytecode.py %t.mlirbc %t.i32.mlirbc dense-blob 11111111222222223333333344444444 8
// RUN: not dc-opt --allow-unregistered-dialect %t.i32.mlirbc 2>&1 | FileCheck %s --check-prefix=I32
// RUN: %python %S/Inputs/mutate_bytecode.py %t.mlirbc %t.i1.mlirbc dense-blob 6DDB06 2
// RUN: not dc-opt --allow-unregistered-dialect %t.i1.mlirbc 2>&1 | FileCheck %s --check-prefix=I1
// RUN: %python %S/Inputs/mutate_bytecode.py %t.mlirbc %t.complex.mlirbc dense-blob 0000803F0000004000004040000080400000A0400000C040 16
// RUN: not dc-opt --allow-unregistered-dialect %t.complex.mlirbc 2>&1 | FileCheck %s --check-prefix=COMPLEX
// RUN: %python %S/Inputs/mutate_bytecode.py %t.mlirbc %t.splat.mlirbc dense-blob 0000803F00000040000040400000804000000000 5
// RUN: not dc-opt --allow-unregistered-dialect %t.splat.mlirbc 2>&1 | FileCheck %s --check-prefix=SPLAT
// The reader fills the attribute table group by group without checking a
// group against the declared total (stock mlir-opt writes past the table).
// RUN: %python %S/Inputs/mutate_bytecode.py %t.mlirbc %t.group.mlirbc group-count
// RUN: not dc-opt --allow-unregistered-dialect %t.group.mlirbc 2>&1 | FileCheck %s --check-prefix=GROUP

// Every element type the check sizes reads back: i1 splat and packed bits,
// complex, 8-, 6- and 4-bit floats (stored as text), scalable vectors,
// index, bf16, f80, odd integer widths, empty tensors, element types of
// other dialects (left to the reader) and dense strings.
// GOOD-LABEL: func.func @valid
// GOOD: dense<true> : tensor<4xi1>
// GOOD: : tensor<20xi1>
// GOOD: dense<[(1.000000e+00,2.000000e+00), (3.000000e+00,4.000000e+00), (5.000000e+00,6.000000e+00)]> : tensor<3xcomplex<f32>>
// GOOD: : tensor<2xf8E4M3FN>
// GOOD: dense<1.000000e+00> : vector<[4]xf32>
// GOOD: dense<[1, 2, 3]> : tensor<3xindex>
// GOOD: : tensor<2x2xbf16>
// GOOD: dense<> : tensor<0xf32>
// GOOD: dense<false> : tensor<3xi1>
// GOOD: : tensor<2xcomplex<i1>>
// GOOD: : tensor<5xf80>
// GOOD: dense<{{\[\[}}1, 2, 3], [0, 1, 2]]> : tensor<2x3xi3>
// GOOD: dense<["a", "b", "c"]> : tensor<3x!foo.bar>
// GOOD: : tensor<2xtf32>
// GOOD: : tensor<7xf4E2M1FN>
// GOOD: : tensor<3xf6E3M2FN>
// GOOD: u = dense<"one"> : tensor<9x!foo.s>, v = dense<[1, 2, 3]> : tensor<3xui16>
// GOOD: dense<[286331153, 572662306, 858993459, 1145324612]> : tensor<4xi32>
// GOOD: dense<[1.000000e+00, 2.000000e+00, 3.000000e+00, 4.000000e+00, 0.000000e+00]> : tensor<5xf32>

// I32: error: bytecode dense elements attribute #{{[0-9]+}} has 8 bytes of data, its type tensor<4xi32> needs 16 (or 4 for a splat)
// I1: error: bytecode dense elements attribute #{{[0-9]+}} has 2 bytes of data, its type tensor<20xi1> needs 3 (or one byte 0x00 or 0xFF for a splat)
// COMPLEX: error: bytecode dense elements attribute #{{[0-9]+}} has 16 bytes of data, its type tensor<3xcomplex<f32>> needs 24 (or 8 for a splat)
// GROUP: error: bytecode attribute group declares {{[0-9]+}} entries, only {{[0-9]+}} of the {{[0-9]+}} declared remain
// SPLAT: error: bytecode dense elements attribute #{{[0-9]+}} has 5 bytes of data, its type tensor<5xf32> needs 20 (or 4 for a splat)

func.func @valid() {
  %a = arith.constant dense<true> : tensor<4xi1>
  %b = arith.constant dense<[true, false, true, true, false, true, true, false, true, true, false, true, true, false, true, true, false, true, true, false]> : tensor<20xi1>
  %c = arith.constant dense<[(1.0, 2.0), (3.0, 4.0), (5.0, 6.0)]> : tensor<3xcomplex<f32>>
  %d = arith.constant dense<[1.0, 2.0]> : tensor<2xf8E4M3FN>
  %e = arith.constant dense<1.0> : vector<[4]xf32>
  %g = arith.constant dense<[1, 2, 3]> : tensor<3xindex>
  %h = arith.constant dense<[[1.0, 2.0], [3.0, 4.0]]> : tensor<2x2xbf16>
  %i = arith.constant dense<> : tensor<0xf32>
  %j = arith.constant dense<[false, false, false]> : tensor<3xi1>
  "foo.k"() {v = dense<[(1, 0), (0, 1)]> : tensor<2xcomplex<i1>>} : () -> ()
  %l = arith.constant dense<[1.0, 2.0, 3.0, 4.0, 5.0]> : tensor<5xf80>
  %m = arith.constant dense<[[1, 2, 3], [0, 1, 2]]> : tensor<2x3xi3>
  "foo.o"() {v = dense<["a", "b", "c"]> : tensor<3x!foo.bar>} : () -> ()
  %p = arith.constant dense<[1.0, 2.0]> : tensor<2xtf32>
  %q = arith.constant dense<[1.0, 2.0, 0.5, 1.0, 2.0, 0.5, 1.0]> : tensor<7xf4E2M1FN>
  %r = arith.constant dense<[1.0, 2.0, 0.5]> : tensor<3xf6E3M2FN>
  "foo.s"() {v = dense<[1, 2, 3]> : tensor<3xui16>, u = dense<"one"> : tensor<9x!foo.s>} : () -> ()
  %s = arith.constant dense<[286331153, 572662306, 858993459, 1145324612]> : tensor<4xi32>
  %t = arith.constant dense<[1.0, 2.0, 3.0, 4.0, 0.0]> : tensor<5xf32>
  return
}
