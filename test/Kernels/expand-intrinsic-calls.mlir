// dc-expand-intrinsic-calls: calls of declarations marked dc.llvm_intrinsic
// become llvm.call_intrinsic of the named intrinsic; the declarations go.
// RUN: dc-opt %s -split-input-file -verify-diagnostics --dc-expand-intrinsic-calls | FileCheck %s

// CHECK-NOT: func.func private @__dc_intrinsic_perm
// CHECK-LABEL: func.func @lookup
// CHECK: %[[R:.+]] = llvm.call_intrinsic "llvm.x86.avx512.permvar.sf.512"(%arg0, %arg1) : (vector<16xf32>, vector<16xi32>) -> vector<16xf32>
// CHECK: return %[[R]]
func.func private @__dc_intrinsic_perm(vector<16xf32>, vector<16xi32>) -> vector<16xf32> attributes {dc.llvm_intrinsic = "llvm.x86.avx512.permvar.sf.512"}
func.func @lookup(%t: vector<16xf32>, %i: vector<16xi32>) -> vector<16xf32> {
  %r = func.call @__dc_intrinsic_perm(%t, %i) : (vector<16xf32>, vector<16xi32>) -> vector<16xf32>
  return %r : vector<16xf32>
}

// -----

// Calls of other functions are left alone.
// CHECK-LABEL: func.func @other
// CHECK: call @plain
func.func private @plain(f32) -> f32
func.func @other(%x: f32) -> f32 {
  %r = func.call @plain(%x) : (f32) -> f32
  return %r : f32
}

// -----

func.func private @__dc_intrinsic_bad(f32) attributes {dc.llvm_intrinsic = "llvm.donothing"}
func.func @bad(%x: f32) {
  // expected-error @below {{intrinsic placeholder call must have one result}}
  func.call @__dc_intrinsic_bad(%x) : (f32) -> ()
  return
}

// -----

// A use that is not a call (here func.constant) cannot be expanded: the
// declaration stays referenced.
// expected-error @below {{intrinsic placeholder still referenced}}
func.func private @__dc_intrinsic_ref(vector<16xf32>, vector<16xi32>) -> vector<16xf32> attributes {dc.llvm_intrinsic = "llvm.x86.avx512.permvar.sf.512"}
func.func @reference() -> ((vector<16xf32>, vector<16xi32>) -> vector<16xf32>) {
  %f = func.constant @__dc_intrinsic_ref : (vector<16xf32>, vector<16xi32>) -> vector<16xf32>
  return %f : (vector<16xf32>, vector<16xi32>) -> vector<16xf32>
}
