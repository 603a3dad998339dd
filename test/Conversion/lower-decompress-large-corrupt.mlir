// A constant above the verifier's full-decode limit (2^22 entries) whose
// relative indices run past its row: dc-lower-decompress decodes it first
// and reports the corrupt payload instead of emitting loops over it.
// RUN: %python %S/Inputs/large_corrupt_gaps.py > %t.mlir
// RUN: dc-opt %t.mlir --dc-lower-decompress -verify-diagnostics
// RUN: not dc-opt %t.mlir --dc-lower-decompress 2>&1 | FileCheck %s
// CHECK: error: 'dc.constant' op cannot be lowered: entry 2097200 of row 0 lands at column 4194401, past the row length 4194400
