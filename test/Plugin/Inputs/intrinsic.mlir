func.func private @__dc_intrinsic_perm(vector<16xf32>, vector<16xi32>) -> vector<16xf32> attributes {dc.llvm_intrinsic = "llvm.x86.avx512.permvar.sf.512"}
func.func @lookup(%t: vector<16xf32>, %i: vector<16xi32>) -> vector<16xf32> {
  %r = func.call @__dc_intrinsic_perm(%t, %i) : (vector<16xf32>, vector<16xi32>) -> vector<16xf32>
  return %r : vector<16xf32>
}
