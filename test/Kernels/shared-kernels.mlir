// Layers of the same shape and encoding widths share one kernel body and
// one decoder: each layer keeps its globals (streams, tables, words,
// decode-once state, status), its initializer and a small kernel that
// calls the initializer, then the shared body with its globals. A layer of
// another shape, or with another epilogue, gets a body of its own.
// a, b: 4x4, no epilogue (one body); c: 2x4 (its own); d, e: 4x4 with a
// fused ReLU (one body, not a's).
// RUN: dc-opt %s --dc-compress=bits=2 --dc-rewrite-contractions --dc-fuse-epilogues --dc-lower-compute=layout=sparse | FileCheck %s
// RUN: dc-opt %s --dc-compress=bits=2 --dc-rewrite-contractions --dc-fuse-epilogues --dc-lower-compute=layout=sparse | FileCheck %s --check-prefix=COUNT
// RUN: dc-opt %s --dc-compress=bits=2 --dc-rewrite-contractions --dc-fuse-epilogues --dc-lower-compute="layout=tiles target-cpu=znver4" | FileCheck %s --check-prefix=TILES

// CHECK-LABEL: func.func @f(
// CHECK: call @__dc_a_0_matvec(
// CHECK: call @__dc_b_1_matvec(
// CHECK: call @__dc_c_2_matvec(
// CHECK: call @__dc_d_3_matvec_epi0(
// CHECK: call @__dc_e_4_matvec_epi1(
// One decoder for all five layers (same word and field widths):
// CHECK: func.func private @[[DEC:__dc_shared[0-9]+_load_words]](%{{.*}}: memref<?xi64>, %{{.*}}: memref<i32>, %{{.*}}: memref<?xi8>, %{{.*}}: i32, %{{.*}}: i64,
// CHECK-LABEL: func.func private @__dc_a_0_load_words()
// CHECK: memref.get_global @__dc_a_0_words
// CHECK: memref.get_global @__dc_a_0_status
// CHECK: memref.get_global @__dc_a_0_value_stream
// CHECK: call @[[DEC]](
// CHECK-LABEL: func.func private @__dc_a_0_init()
// CHECK: memref.get_global @__dc_a_0_ready
// CHECK: call @__dc_a_0_load_words()
// CHECK-LABEL: func.func private @__dc_a_0_matvec(
// CHECK-NEXT: call @__dc_a_0_init()
// CHECK: memref.get_global @__dc_a_0_words
// CHECK: memref.get_global @__dc_a_0_offsets
// CHECK: memref.get_global @__dc_a_0_rows
// CHECK: memref.get_global @__dc_a_0_table
// CHECK: call @[[K44:__dc_shared[0-9]+_sparse_matvec]](%arg0, %arg1,
// CHECK: func.func private @[[K44]](%{{.*}}: memref<4xf32, strided<[1], offset: ?>>, %{{.*}}: memref<4xf32>, %{{.*}}: memref<?xi64>, %{{.*}}: memref<2xi32>, %{{.*}}: memref<4xi32>, %{{.*}}: memref<4xf32>)
// CHECK-LABEL: func.func private @__dc_b_1_load_words()
// CHECK: call @[[DEC]](
// CHECK-LABEL: func.func private @__dc_b_1_matvec(
// CHECK-NEXT: call @__dc_b_1_init()
// CHECK: memref.get_global @__dc_b_1_words
// CHECK: call @[[K44]](%arg0, %arg1,
// CHECK-LABEL: func.func private @__dc_c_2_load_words()
// CHECK: call @[[DEC]](
// CHECK-LABEL: func.func private @__dc_c_2_matvec(
// CHECK: call @[[K24:__dc_shared[0-9]+_sparse_matvec]](%arg0, %arg1,
// CHECK: func.func private @[[K24]](%{{.*}}: memref<4xf32, strided<[1], offset: ?>>, %{{.*}}: memref<2xf32>,
// CHECK-LABEL: func.func private @__dc_d_3_matvec_epi0(
// CHECK: call @[[KR:__dc_shared[0-9]+_sparse_matvec_epi]](%arg0, %arg1,
// CHECK: func.func private @[[KR]](
// CHECK: arith.maximumf
// CHECK-LABEL: func.func private @__dc_e_4_matvec_epi1(
// CHECK: call @[[KR]](%arg0, %arg1,
// CHECK-LABEL: func.func @dc_init()
// CHECK-NEXT: call @__dc_a_0_init()
// CHECK-NEXT: call @__dc_b_1_init()

// Exactly one decoder and three bodies: (4x4), (2x4), (4x4, ReLU).
// COUNT-COUNT-1: func.func private @__dc_shared{{[0-9]+}}_load_words(
// COUNT-NOT: func.func private @__dc_shared{{[0-9]+}}_load_words(
// COUNT-COUNT-3: func.func private @__dc_shared{{[0-9]+}}_sparse_matvec
// COUNT-NOT: func.func private @__dc_shared

// Tiles: the load-time builders are shared by shape (a, b, d, e: 4x4; c:
// 2x4), the kernels by shape and epilogue.
// TILES-COUNT-2: func.func private @__dc_shared{{[0-9]+}}_tiles_build(
// TILES-NOT: func.func private @__dc_shared{{[0-9]+}}_tiles_build(
// TILES-LABEL: func.func private @__dc_e_4_tiles_build()
// TILES: call @__dc_shared{{[0-9]+}}_tiles_build(

#id = affine_map<(d0) -> (d0)>
func.func @f(%x: tensor<4xf32>) -> (tensor<4xf32>, tensor<2xf32>) {
  %z = arith.constant 0.0 : f32
  %a = arith.constant {dc.layer = "a"} dense<[[1.0, 2.0, -1.0, 2.0], [2.0, 1.0, 2.0, -1.0], [-1.0, -1.0, 1.0, 2.0], [2.0, -1.0, 1.0, 1.0]]> : tensor<4x4xf32>
  %b = arith.constant {dc.layer = "b"} dense<[[2.0, 2.0, 1.0, -1.0], [1.0, -1.0, -1.0, 2.0], [2.0, 1.0, 2.0, 2.0], [-1.0, 2.0, 1.0, 1.0]]> : tensor<4x4xf32>
  %c = arith.constant {dc.layer = "c"} dense<[[1.0, -1.0, 2.0, 2.0], [2.0, 1.0, -1.0, 1.0]]> : tensor<2x4xf32>
  %d = arith.constant {dc.layer = "d"} dense<[[1.0, -1.0, 2.0, 1.0], [2.0, 2.0, -1.0, 1.0], [1.0, 1.0, 1.0, -1.0], [-1.0, 2.0, 2.0, 2.0]]> : tensor<4x4xf32>
  %e = arith.constant {dc.layer = "e"} dense<[[-1.0, 1.0, 2.0, 2.0], [2.0, 2.0, 1.0, -1.0], [1.0, 1.0, 2.0, -1.0], [2.0, -1.0, 2.0, 1.0]]> : tensor<4x4xf32>
  %e4 = tensor.empty() : tensor<4xf32>
  %i4 = linalg.fill ins(%z : f32) outs(%e4 : tensor<4xf32>) -> tensor<4xf32>
  %y1 = linalg.matvec ins(%a, %x : tensor<4x4xf32>, tensor<4xf32>) outs(%i4 : tensor<4xf32>) -> tensor<4xf32>
  %y2 = linalg.matvec ins(%b, %y1 : tensor<4x4xf32>, tensor<4xf32>) outs(%i4 : tensor<4xf32>) -> tensor<4xf32>
  %e2 = tensor.empty() : tensor<2xf32>
  %i2 = linalg.fill ins(%z : f32) outs(%e2 : tensor<2xf32>) -> tensor<2xf32>
  %zc = linalg.matvec ins(%c, %x : tensor<2x4xf32>, tensor<4xf32>) outs(%i2 : tensor<2xf32>) -> tensor<2xf32>
  %y3 = linalg.matvec ins(%d, %y2 : tensor<4x4xf32>, tensor<4xf32>) outs(%i4 : tensor<4xf32>) -> tensor<4xf32>
  %r3 = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel"]} ins(%y3 : tensor<4xf32>) outs(%e4 : tensor<4xf32>) {
  ^bb0(%in: f32, %out: f32):
    %0 = arith.maximumf %in, %z : f32
    linalg.yield %0 : f32
  } -> tensor<4xf32>
  %y4 = linalg.matvec ins(%e, %r3 : tensor<4x4xf32>, tensor<4xf32>) outs(%i4 : tensor<4xf32>) -> tensor<4xf32>
  %r4 = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel"]} ins(%y4 : tensor<4xf32>) outs(%e4 : tensor<4xf32>) {
  ^bb0(%in: f32, %out: f32):
    %0 = arith.maximumf %in, %z : f32
    linalg.yield %0 : f32
  } -> tensor<4xf32>
  return %r4, %zc : tensor<4xf32>, tensor<2xf32>
}
