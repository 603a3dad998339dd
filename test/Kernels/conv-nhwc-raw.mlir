// conv_2d_nhwc_hwcf, batch 2, on a hand-written CSR filter of raw f32 entries
// (bits = 32: 1.5 at [0][0][0][1], -2.0 at [1][1][0][1]; the 2x6 CSR matrix
// view retyped to the 2x2x1x3 filter). The rewrite re-encodes it as the
// [KH*KW*C, F] matrix; dc-lower-compute has no kernel for raw entries and
// decodes that matrix to dense (a remark), still from the same values.
// Input: numpy uniform(-1, 1), seeded, from a throwaway generator (not in the
// tree) with --layout nhwc --n 2 --c 1 --h 4 --w 5 --f 3 --kh 2 --kw 2 --seed
// 51.
// The convolution in @main runs on the compressed filter (rewritten by
// dc-rewrite-contractions into im2col + dc.matmul); @conv computes the same
// convolution densely from the decompressed filter passed through a call.
// rel_err = max|O - O_ref| / max conv(|X|, |W|) must be < 1e-4 (the kernel
// tolerance, docs/Kernels.md); nonzero guards against an all-zero scale.
// RUN: dc-opt %s --dc-to-llvm=vector-width=16 | %dc_run | FileCheck %s
// RUN: dc-opt %s --dc-to-llvm=vector-width=8 | %dc_run | FileCheck %s
// RUN: dc-opt %s --dc-rewrite-contractions --dc-lower-compute="vector-width=4 rows-per-group=3" %dc_lower_rest | %dc_run | FileCheck %s
// RUN: dc-opt %s --dc-rewrite-contractions | FileCheck %s --check-prefix=IR
// CHECK: ok 1
// CHECK: nonzero 1
// IR-LABEL: func.func @main
// IR: dc.matmul %{{.*}}, %{{.*}} outs(%{{.+}}) {transpose_w} : !dc.compressed<tensor<4x3xf32>, #dc.encoding<format = csr, bits = 32, index_bits = 3>>, tensor<4x24xf32>, tensor<3x24xf32> -> tensor<3x24xf32>
// IR: call @conv

module {
  func.func private @conv(%x: tensor<2x4x5x1xf32>, %w: tensor<2x2x1x3xf32>, %i: tensor<2x3x4x3xf32>) -> tensor<2x3x4x3xf32> {
    %y = linalg.conv_2d_nhwc_hwcf {dilations = dense<[1, 1]> : tensor<2xi64>, strides = dense<[1, 1]> : tensor<2xi64>} ins(%x, %w : tensor<2x4x5x1xf32>, tensor<2x2x1x3xf32>) outs(%i : tensor<2x3x4x3xf32>) -> tensor<2x3x4x3xf32>
    return %y : tensor<2x3x4x3xf32>
  }
  func.func private @zero() -> tensor<2x3x4x3xf32> {
    %z = arith.constant 0.0 : f32
    %e = tensor.empty() : tensor<2x3x4x3xf32>
    %i = linalg.fill ins(%z : f32) outs(%e : tensor<2x3x4x3xf32>) -> tensor<2x3x4x3xf32>
    return %i : tensor<2x3x4x3xf32>
  }
  func.func @main() {
    %x0 = arith.constant dense<[[[[8.848824e-01], [-3.857233e-01], [-4.901867e-01], [-5.547630e-01], [5.724084e-01]], [[-5.665839e-01], [6.114530e-01], [4.653163e-01], [-1.564505e-01], [-1.633290e-02]], [[8.184816e-01], [5.819443e-01], [-6.923854e-01], [4.979834e-01], [-1.939828e-01]], [[9.828143e-01], [-5.767846e-01], [-1.790488e-01], [8.865752e-01], [1.604065e-01]]], [[[4.715014e-01], [2.095020e-01], [-5.373195e-01], [-8.909109e-01], [-8.099076e-01]], [[-2.797374e-01], [-8.158473e-01], [-6.601762e-01], [-2.821738e-02], [-2.896367e-01]], [[1.242861e-01], [-3.134063e-01], [1.121151e-01], [2.859302e-01], [7.086571e-01]], [[-9.329678e-01], [5.015296e-01], [-2.526215e-01], [-5.015597e-01], [-7.769449e-01]]]]> : tensor<2x4x5x1xf32>
    %c = dc.constant {values = dense<"0x0000C03F000000C0"> : tensor<8xi8>, pointers = dense<[0, 1, 2]> : tensor<3xi32>, gaps = dense<33> : tensor<1xi8>, num_entries = 2 : i64} : !dc.compressed<tensor<2x2x1x3xf32>, #dc.encoding<format = csr, bits = 32, index_bits = 3>>
    %w = dc.decompress %c : !dc.compressed<tensor<2x2x1x3xf32>, #dc.encoding<format = csr, bits = 32, index_bits = 3>> -> tensor<2x2x1x3xf32>
    %x = tensor.cast %x0 : tensor<2x4x5x1xf32> to tensor<2x4x5x1xf32>
    %iz = arith.constant 0.0 : f32
    %ie = tensor.empty() : tensor<2x3x4x3xf32>
    %i = linalg.fill ins(%iz : f32) outs(%ie : tensor<2x3x4x3xf32>) -> tensor<2x3x4x3xf32>
    %y = linalg.conv_2d_nhwc_hwcf {dilations = dense<[1, 1]> : tensor<2xi64>, strides = dense<[1, 1]> : tensor<2xi64>} ins(%x, %w : tensor<2x4x5x1xf32>, tensor<2x2x1x3xf32>) outs(%i : tensor<2x3x4x3xf32>) -> tensor<2x3x4x3xf32>
    %yr = call @conv(%x, %w, %i) : (tensor<2x4x5x1xf32>, tensor<2x2x1x3xf32>, tensor<2x3x4x3xf32>) -> tensor<2x3x4x3xf32>
    %wae = tensor.empty() : tensor<2x2x1x3xf32>
    %wa = linalg.abs ins(%w : tensor<2x2x1x3xf32>) outs(%wae : tensor<2x2x1x3xf32>) -> tensor<2x2x1x3xf32>
    %xae = tensor.empty() : tensor<2x4x5x1xf32>
    %xa = linalg.abs ins(%x : tensor<2x4x5x1xf32>) outs(%xae : tensor<2x4x5x1xf32>) -> tensor<2x4x5x1xf32>
    %o0 = call @zero() : () -> tensor<2x3x4x3xf32>
    %ya = call @conv(%xa, %wa, %o0) : (tensor<2x4x5x1xf32>, tensor<2x2x1x3xf32>, tensor<2x3x4x3xf32>) -> tensor<2x3x4x3xf32>
    %z0 = arith.constant 0.0 : f32
    %se = tensor.empty() : tensor<f32>
    %s0 = linalg.fill ins(%z0 : f32) outs(%se : tensor<f32>) -> tensor<f32>
    %s1 = linalg.fill ins(%z0 : f32) outs(%se : tensor<f32>) -> tensor<f32>
    %d = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>, affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>, affine_map<(d0, d1, d2, d3) -> ()>], iterator_types = ["reduction", "reduction", "reduction", "reduction"]} ins(%y, %yr : tensor<2x3x4x3xf32>, tensor<2x3x4x3xf32>) outs(%s0 : tensor<f32>) {
    ^bb0(%a: f32, %b: f32, %acc: f32):
      %t = arith.subf %a, %b : f32
      %u = math.absf %t : f32
      %v = arith.maximumf %u, %acc : f32
      linalg.yield %v : f32
    } -> tensor<f32>
    %s = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>, affine_map<(d0, d1, d2, d3) -> ()>], iterator_types = ["reduction", "reduction", "reduction", "reduction"]} ins(%ya : tensor<2x3x4x3xf32>) outs(%s1 : tensor<f32>) {
    ^bb0(%a: f32, %acc: f32):
      %v = arith.maximumf %a, %acc : f32
      linalg.yield %v : f32
    } -> tensor<f32>
    %dv = tensor.extract %d[] : tensor<f32>
    %sv = tensor.extract %s[] : tensor<f32>
    %tiny = arith.constant 1.0e-30 : f32
    %sc = arith.maximumf %sv, %tiny : f32
    %rel = arith.divf %dv, %sc : f32
    %tol = arith.constant 0.0001 : f32
    %ok = arith.cmpf olt, %rel, %tol : f32
    vector.print str "rel_err "
    vector.print %rel : f32
    vector.print str "scale "
    vector.print %sv : f32
    vector.print str "ok "
    vector.print %ok : i1
    %nz = arith.cmpf ogt, %sv, %z0 : f32
    vector.print str "nonzero "
    vector.print %nz : i1
    return
  }
}
