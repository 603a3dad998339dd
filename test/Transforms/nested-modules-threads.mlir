// The compression passes touch only the module they are anchored on: with
// threading on, the pass manager runs them on sibling nested modules in
// parallel. (They used to walk from the top-level module to release
// unreferenced blobs, racing with the siblings' rewrites: a
// heap-use-after-free under ASan; `make check-sanitize` runs this test on
// the ASan build.) Every module's layer is compressed, and the whole
// pipeline lowers each nested module.
// RUN: dc-opt %s -p 'builtin.module(builtin.module(dc-compress{sparsity=0.5 bits=2}))' | FileCheck %s
// RUN: dc-opt %s -p 'builtin.module(builtin.module(dc-prune{sparsity=0.5},dc-cluster{bits=2},dc-sparse-encode,dc-huffman))' | FileCheck %s
// RUN: dc-opt %s -p 'builtin.module(builtin.module(dc-compress{sparsity=0.5 bits=2},dc-to-llvm))' | FileCheck %s --check-prefix=LLVM
// The same weights in every module share one resource blob.

// CHECK-LABEL: module @m0
// CHECK: dc.constant
// CHECK-NOT: arith.constant dense_resource
// CHECK-LABEL: module @m1
// CHECK: dc.constant
// CHECK-LABEL: module @m2
// CHECK: dc.constant
// CHECK-LABEL: module @m3
// CHECK: dc.constant
// LLVM-COUNT-4: llvm.func @dc_init() -> i32

module {
  module @m0 {
    func.func @f(%x: tensor<16xf32>) -> tensor<16xf32> {
      %w = arith.constant {dc.layer = "fc"} dense_resource<shared> : tensor<16x16xf32>
      %z = arith.constant 0.0 : f32
      %e = tensor.empty() : tensor<16xf32>
      %i = linalg.fill ins(%z : f32) outs(%e : tensor<16xf32>) -> tensor<16xf32>
      %y = linalg.matvec ins(%w, %x : tensor<16x16xf32>, tensor<16xf32>) outs(%i : tensor<16xf32>) -> tensor<16xf32>
      return %y : tensor<16xf32>
    }
  }
  module @m1 {
    func.func @f(%x: tensor<16xf32>) -> tensor<16xf32> {
      %w = arith.constant {dc.layer = "fc"} dense_resource<shared> : tensor<16x16xf32>
      %z = arith.constant 0.0 : f32
      %e = tensor.empty() : tensor<16xf32>
      %i = linalg.fill ins(%z : f32) outs(%e : tensor<16xf32>) -> tensor<16xf32>
      %y = linalg.matvec ins(%w, %x : tensor<16x16xf32>, tensor<16xf32>) outs(%i : tensor<16xf32>) -> tensor<16xf32>
      return %y : tensor<16xf32>
    }
  }
  module @m2 {
    func.func @f(%x: tensor<16xf32>) -> tensor<16xf32> {
      %w = arith.constant {dc.layer = "fc"} dense_resource<shared> : tensor<16x16xf32>
      %z = arith.constant 0.0 : f32
      %e = tensor.empty() : tensor<16xf32>
      %i = linalg.fill ins(%z : f32) outs(%e : tensor<16xf32>) -> tensor<16xf32>
      %y = linalg.matvec ins(%w, %x : tensor<16x16xf32>, tensor<16xf32>) outs(%i : tensor<16xf32>) -> tensor<16xf32>
      return %y : tensor<16xf32>
    }
  }
  module @m3 {
    func.func @f(%x: tensor<16xf32>) -> tensor<16xf32> {
      %w = arith.constant {dc.layer = "fc"} dense_resource<shared> : tensor<16x16xf32>
      %z = arith.constant 0.0 : f32
      %e = tensor.empty() : tensor<16xf32>
      %i = linalg.fill ins(%z : f32) outs(%e : tensor<16xf32>) -> tensor<16xf32>
      %y = linalg.matvec ins(%w, %x : tensor<16x16xf32>, tensor<16xf32>) outs(%i : tensor<16xf32>) -> tensor<16xf32>
      return %y : tensor<16xf32>
    }
  }
}

{-#
  dialect_resources: {
    builtin: {
      shared: "0x04000000802906BFB429B53D792A85BE07D4543ED3BC803E00735EBF0C4279BFBFC82C3FE76BF6BEC60508BF29C57D3FF29973BDAD442C3FEAB641BDE1678E3E67E232BFEA188A3E6F703C3F86E63D3DBA0AF73E7D86AF3E45375FBFC136043F6B923A3E7E80CBBE3A1F70BF63263B3F4E3D5FBD6113E03EC0F3413FC244DB3E3F9A573F6D1D57BEB7101A3F08D5E2BD39055F3FD0FA413F781A4EBF4A623ABF16E710BF6A536E3F91BD02BE17B0813ECABFCBBE8D566D3CF3BE69BEECAA98BE553B2E3E348C2C3E89F34E3F8659BA3EC29E5B3F237A363FFF627B3F5562AF3E357E2CBF7CA5383F5FE46D3F50344F3F3C880D3ED9F2DA3E6DE713BF84C8293F2198163E1C34DCBE18825FBFF337353FDBC77A3FC2AD52BFA1E7193FCA5F37BEE1CE32BF2C0ED3BE179F093F52DB3E3FEC5F69BF08906A3E98FD68BFDCAEDF3E5B1AADBE0506433FE415763F649D313C913C7F3FDAE5C2BE4C9758BF72504C3E41EF6FBF5FF01ABFFB8B3CBE963C623EB00630BFDA456ABF894D3C3F36A3BEBE69D56A3FF9164B3FA3497ABE8229A2BD1A70243D9057933E46E4433EBABBF23DB104763E1C99613F3441663C71EB0CBE4699E13EA05406BFE3AFCBBEDAA1743F25132D3D075FC63D3F227ABF33A62DBECDC4233EA1BB75BF79276D3E565A873E213D61BFB565823EFD3C8ABD8B95B73E0FF696BEC4EAD33E43BFF33E80A474BF14FC60BFAB3EB43E64366D3FCDD9FEBE0DF2B2BDC1CA3D3E444BB8BE5B4F8BBE43D3BFBE80FC85BE35D5433EE762CCBE5C937BBE6C670B3F623772BF24D70D3E3DD1F03EFC8AC2BE850F0EBFAE8C1B3FBFC905BFD90D20BFDEA304BEECD1CA3E68DB4BBF8D4EB6BE7C3CAABE9CC52A3F0E30FCBDB508363F945329BF6F35A7BE84D6993E6311453F1349C8BD27C90CBFDD1642BFA4B5723DF74E1EBFE8111D3FC74C2D3FFA0022BFBEB8E2BEC84C1D3F0058913ED4CD1C3F2F6E9EBE63993DBFEC0CD5BE1275163F3C51EABE4E559DBE592D2ABE014F24BE784C39BE825A573F0C2130BFF89C7DBF00F4623F828C423FBF4C793F4B7206BE867B663F30D15A3F1F4A0EBF626AFB3EC5632C3F1EE6A63E4CC51B3D6B05D8BEE2BEA2BE88890BBF3E265DBFAA9C353EBE19DABE78D11E3FB1EB68BFE0A54E3FC35AC63E7F03593FDA0A4B3F2EA24C3FBF991D3E204579BF782FFB3E000728BF24EACCBE3DCEA63E96814C3D9BA330BE2CCA603F31B6653E7374A2BE3C77FDBE1E2C393F51CC3ABDEB8C103FD4B697BE15F71ABF92DF8D3D0835223F124B28BF0656153FC8F1573FB9B21C3FA1A1253F57287CBF9CB1833EC1A0393F556F66BFE516EABEC3F7ECBE525D5F3D90BA1DBECB005EBD1A910D3FF0127FBFDAEC63BFC60B3FBFFD3040BF7DF85CBFE60A733F557A353F08E753BFD0EF8A3BB285BCBECBDEBDBE8D4798BE8670963E"
    }
  }
#-}
