// conv_2d_nhwc_hwcf, batch 2, on a dense-format compressed filter (every
// element's 5-bit index, row-major: any 2-D view of it is the same payload,
// so it is reused as the [KH*KW*C, F] matrix, not re-encoded). The
// dc.constant is the output of bench/gemv_gen 18 7 1 0.6 5 3 dense none
// matvec 3 retyped to the 3x2x3x7 filter (same element count).
// Input: numpy uniform(-1, 1), seeded, from a throwaway generator (not in the
// tree) with --layout nhwc --n 2 --c 3 --h 9 --w 8 --f 7 --kh 3 --kw 2 --seed
// 31.
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
// IR-NOT: linalg.conv_2d
// IR: linalg.generic
// IR: tensor.collapse_shape
// IR: dc.matmul %{{.*}}, %{{.*}} outs(%{{.+}}) {transpose_w} : !dc.compressed<tensor<18x7xf32>, #dc.encoding<format = dense, bits = 5, index_bits = 3>>, tensor<18x98xf32>, tensor<7x98xf32> -> tensor<7x98xf32>
// IR: call @conv

module {
  func.func private @conv(%x: tensor<2x9x8x3xf32>, %w: tensor<3x2x3x7xf32>, %i: tensor<2x7x7x7xf32>) -> tensor<2x7x7x7xf32> {
    %y = linalg.conv_2d_nhwc_hwcf {dilations = dense<[1, 1]> : tensor<2xi64>, strides = dense<[1, 1]> : tensor<2xi64>} ins(%x, %w : tensor<2x9x8x3xf32>, tensor<3x2x3x7xf32>) outs(%i : tensor<2x7x7x7xf32>) -> tensor<2x7x7x7xf32>
    return %y : tensor<2x7x7x7xf32>
  }
  func.func private @zero() -> tensor<2x7x7x7xf32> {
    %z = arith.constant 0.0 : f32
    %e = tensor.empty() : tensor<2x7x7x7xf32>
    %i = linalg.fill ins(%z : f32) outs(%e : tensor<2x7x7x7xf32>) -> tensor<2x7x7x7xf32>
    return %i : tensor<2x7x7x7xf32>
  }
  func.func @main() {
    %x0 = arith.constant dense<[[[[8.063436e-01, -8.646435e-01, 3.454616e-01], [-5.491059e-02, 3.548556e-01, -9.206839e-01], [-8.975782e-01, -6.469397e-01, 9.573393e-01], [-3.956831e-01, 1.805560e-01, 9.676610e-01], [4.101717e-01, -5.799325e-01, -1.512173e-01], [-7.925143e-01, -4.302858e-01, -3.955461e-01], [-9.613618e-01, 6.849384e-01, 7.938122e-01], [3.520387e-02, 2.708133e-01, 1.906475e-01]], [[3.224111e-01, 9.888180e-01, 1.553862e-01], [-7.162369e-01, 3.856553e-01, 3.809736e-01], [7.083746e-01, 3.597916e-01, -3.530646e-01], [-9.184376e-01, -1.039938e-01, 2.564403e-01], [4.682990e-01, 3.423124e-01, 1.959027e-01], [2.094017e-01, -5.333618e-01, -2.147602e-01], [-1.645363e-01, -9.166899e-01, 9.047690e-01], [-8.327307e-01, 9.405069e-01, 5.851657e-01]], [[-5.554501e-01, -2.743944e-01, -5.042021e-01], [2.378655e-01, -9.375834e-01, -1.503505e-01], [5.070315e-01, -8.914117e-02, 2.553716e-01], [-1.437872e-01, 2.556005e-01, 7.285584e-01], [3.509468e-01, 7.948648e-01, 6.821454e-01], [4.123493e-03, -1.677093e-01, 3.982413e-01], [3.643034e-01, -3.653985e-01, 2.483506e-01], [-2.202510e-01, 9.594225e-01, -5.342553e-01]], [[-1.605909e-01, 7.018947e-01, -5.243873e-02], [-4.767038e-01, -5.471666e-01, 4.513951e-01], [3.324763e-01, -3.647030e-01, -3.788305e-01], [4.225904e-02, 7.371455e-01, 3.190343e-01], [-8.849728e-01, 2.539974e-01, 8.839876e-01], [-1.672607e-01, 7.424148e-01, 8.008583e-01], [-5.548781e-01, -2.931225e-01, -5.568524e-01], [-1.608320e-02, 3.642819e-01, 5.420843e-01]], [[-8.712294e-01, 8.569270e-01, -8.623676e-01], [8.403245e-01, -4.823958e-02, -8.630421e-01], [-9.749891e-01, -7.337111e-01, -9.720702e-01], [8.904645e-01, 1.734211e-01, -5.205396e-01], [-8.296073e-01, 1.112125e-01, -2.201934e-01], [-6.705037e-01, -4.202880e-01, 5.128750e-01], [-9.294670e-01, 6.177236e-01, 8.293276e-01], [7.472250e-01, -7.579141e-01, 6.015110e-01]], [[3.927751e-01, -8.837181e-01, -7.100700e-01], [-2.242716e-01, -1.294304e-01, 3.349127e-01], [2.439240e-01, 2.058299e-01, -5.233637e-01], [9.584230e-01, 7.903290e-01, -4.678784e-01], [8.051509e-01, 6.012501e-01, -3.522843e-01], [6.807888e-01, 3.017943e-01, 1.847844e-01], [-3.065400e-01, -9.504607e-01, 8.253515e-01], [8.056177e-01, 9.827983e-02, 2.675012e-01]], [[5.793751e-01, -9.906219e-01, -5.588908e-01], [-8.513554e-01, 9.444259e-01, -6.224903e-02], [-2.328811e-01, 5.750895e-01, -2.200339e-02], [7.904126e-02, 9.195703e-01, 2.321998e-01], [-2.131272e-01, -1.825998e-01, 2.554902e-01], [-1.777671e-01, 3.346955e-02, 3.160369e-01], [-1.821509e-01, 4.429322e-01, 9.779588e-01], [8.909141e-01, -8.196954e-01, 4.965595e-01]], [[-2.087267e-01, 8.470743e-02, -8.768848e-01], [9.324637e-01, 6.904498e-01, 8.534624e-01], [-7.602028e-01, -2.763955e-01, -4.806777e-02], [-6.430059e-02, 6.785804e-01, 2.407485e-01], [7.527770e-01, -9.455733e-01, -5.098907e-01], [-7.018291e-01, 7.837504e-01, 7.130371e-01], [3.383038e-01, -6.130257e-01, 4.725193e-01], [2.371741e-01, 4.706125e-01, -1.223696e-01]], [[3.556985e-01, 9.344271e-01, 9.607702e-01], [8.197107e-01, -9.060659e-01, 4.479490e-01], [-6.679476e-01, -4.584299e-01, 6.723758e-02], [6.847864e-01, 7.696142e-01, -2.391976e-01], [7.915575e-01, -3.961478e-02, -9.990158e-01], [6.197497e-01, -5.010365e-02, -4.708060e-01], [-7.195652e-01, 7.992247e-02, 3.576788e-01], [9.732167e-01, 7.244682e-01, 3.978939e-01]]], [[[2.044975e-01, -6.973853e-01, 4.513273e-01], [-4.949411e-01, -3.579566e-02, 8.491899e-01], [3.364123e-01, -4.721793e-01, 4.250635e-01], [-2.778533e-01, 6.150143e-01, -2.794274e-01], [3.376738e-01, -2.045431e-01, -8.603520e-01], [-9.770622e-01, -5.333658e-01, 8.284311e-01], [2.059867e-05, 5.889231e-01, -5.061379e-02], [5.566986e-01, 7.716483e-01, 9.619684e-01]], [[3.303488e-01, -1.956297e-01, -1.441255e-01], [-4.751681e-01, 8.783944e-01, 6.827939e-01], [5.237063e-01, -4.843895e-01, -9.257808e-01], [1.027478e-01, -5.819312e-01, 3.451367e-01], [-8.682880e-01, -2.282173e-01, 4.058456e-01], [-1.523757e-01, 2.385239e-01, -3.770125e-01], [-1.158017e-01, 8.078147e-01, 7.748359e-01], [5.653243e-01, -2.562575e-01, 4.660186e-01]], [[1.186218e-01, -6.488146e-01, 9.097633e-01], [-4.580157e-01, 4.525366e-02, 8.891969e-01], [3.513885e-01, 8.792712e-01, 8.563717e-01], [-1.054189e-01, -9.497564e-02, 2.324801e-01], [6.137547e-01, -4.759898e-01, 1.531924e-01], [-9.165556e-01, -6.354285e-01, -8.581338e-01], [-4.738141e-01, -5.874903e-01, 6.648972e-01], [-3.293594e-01, -7.910352e-01, -7.197980e-01]], [[8.127287e-01, -2.576868e-01, 6.196470e-01], [-4.073446e-01, -4.174884e-01, 6.174563e-01], [-5.296246e-01, 8.373639e-01, 2.189683e-01], [-8.044955e-01, 3.306161e-01, 1.768524e-01], [-2.369177e-01, 3.409995e-01, -8.002978e-01], [1.823883e-01, 9.575837e-01, -9.666011e-01], [4.208726e-01, 2.780121e-03, 7.753141e-01], [-5.248612e-01, -9.492501e-01, -9.734783e-01]], [[-1.460465e-01, -6.644071e-01, 1.224547e-01], [-2.063733e-01, -3.660212e-01, 5.816417e-01], [-8.174697e-01, -9.967036e-01, -5.230091e-01], [-5.789842e-01, -3.496524e-01, -3.884134e-01], [-8.753930e-01, -4.085079e-01, 4.207712e-01], [-9.811235e-01, -5.463548e-01, -4.045799e-01], [4.655778e-01, -3.765541e-01, -1.320549e-01], [-4.672851e-01, -3.108483e-01, 8.403258e-01]], [[9.127384e-01, 4.523722e-01, -2.461729e-01], [-5.810370e-01, -3.648192e-01, -5.353379e-01], [-3.546450e-01, -9.693193e-01, 2.681949e-01], [3.696111e-03, 5.094219e-01, -8.458046e-01], [-3.375230e-01, -7.174082e-02, -6.545623e-01], [3.475168e-01, 9.696057e-01, -3.891830e-01], [-4.074651e-01, -9.938471e-01, -8.039870e-01], [5.360463e-01, 4.764930e-01, 5.573632e-01]], [[-6.293698e-02, 8.866296e-01, 7.600642e-01], [-5.997682e-01, -3.117367e-01, -1.721412e-01], [-1.660808e-01, 6.865993e-02, 1.016993e-01], [-9.996702e-01, 3.466463e-01, -4.019902e-01], [4.254055e-02, -7.442341e-01, 8.097589e-01], [-8.393806e-01, -3.861699e-01, -8.694620e-01], [-1.241242e-01, 7.482699e-01, -9.617977e-01], [4.415554e-01, -8.061980e-01, -1.934578e-01]], [[-8.783129e-01, 6.260925e-02, 3.334402e-01], [6.208712e-01, -7.562808e-01, -2.329748e-01], [-4.121043e-01, -1.681400e-01, -1.331566e-01], [-6.197798e-01, 4.489830e-01, 9.331689e-01], [-3.901008e-01, -1.652341e-01, 7.540401e-01], [4.805315e-01, 3.276763e-01, 4.628267e-01], [-7.362760e-01, 3.778358e-01, -5.135926e-01], [3.727280e-01, -9.888203e-02, 8.723707e-01]], [[5.274227e-01, -8.776424e-01, -8.779043e-01], [9.271379e-01, -6.659680e-01, 1.247458e-01], [-8.053454e-01, -4.235814e-01, 2.922135e-01], [-8.806222e-01, -3.126503e-01, -5.647350e-01], [-6.332551e-02, 1.680167e-01, -6.351168e-01], [-7.166464e-01, -7.807505e-01, -7.767676e-01], [4.791413e-01, 3.656755e-03, 6.527381e-03], [-8.208861e-01, -9.376278e-01, 5.220942e-01]]]]> : tensor<2x9x8x3xf32>
    %c = dc.constant {codebook = dense<[0.00000000e+00, 1.17532015e-01, -6.08472466e-01, 1.80482507e-01, -3.07262182e-01, 1.19591236e-01, -2.77394593e-01, 4.74488139e-01, -1.54685557e-01, 4.09449935e-01, -6.67728782e-01, -7.74839938e-01, 1.82592392e-01, 1.36241436e-01, 8.26147437e-01, -4.77854550e-01, -9.59126830e-01, -4.30870116e-01, 5.84990263e-01, 9.56742048e-01, -1.28812194e-02, -2.38710582e-01, -5.71084976e-01, -9.36530530e-01, -8.44804645e-01, 6.28799796e-01, -4.89801943e-01, -3.02731037e-01, -2.71510482e-01, 3.04553509e-01, 8.87608528e-02, -9.39583063e-01]> : tensor<32xf32>, values = dense<"0x60000050030010000038290C0100188040100208631C3004020010024200630C220A4400C0600008218050C44869A0720810200430C4006090504400060CA04228001063C2090310400E1000880402"> : tensor<79xi8>, num_entries = 126 : i64} : !dc.compressed<tensor<3x2x3x7xf32>, #dc.encoding<format = dense, bits = 5, index_bits = 3, entropy = none>>
    %w = dc.decompress %c : !dc.compressed<tensor<3x2x3x7xf32>, #dc.encoding<format = dense, bits = 5, index_bits = 3, entropy = none>> -> tensor<3x2x3x7xf32>
    %x = tensor.cast %x0 : tensor<2x9x8x3xf32> to tensor<2x9x8x3xf32>
    %iz = arith.constant 0.0 : f32
    %ie = tensor.empty() : tensor<2x7x7x7xf32>
    %i = linalg.fill ins(%iz : f32) outs(%ie : tensor<2x7x7x7xf32>) -> tensor<2x7x7x7xf32>
    %y = linalg.conv_2d_nhwc_hwcf {dilations = dense<[1, 1]> : tensor<2xi64>, strides = dense<[1, 1]> : tensor<2xi64>} ins(%x, %w : tensor<2x9x8x3xf32>, tensor<3x2x3x7xf32>) outs(%i : tensor<2x7x7x7xf32>) -> tensor<2x7x7x7xf32>
    %yr = call @conv(%x, %w, %i) : (tensor<2x9x8x3xf32>, tensor<3x2x3x7xf32>, tensor<2x7x7x7xf32>) -> tensor<2x7x7x7xf32>
    %wae = tensor.empty() : tensor<3x2x3x7xf32>
    %wa = linalg.abs ins(%w : tensor<3x2x3x7xf32>) outs(%wae : tensor<3x2x3x7xf32>) -> tensor<3x2x3x7xf32>
    %xae = tensor.empty() : tensor<2x9x8x3xf32>
    %xa = linalg.abs ins(%x : tensor<2x9x8x3xf32>) outs(%xae : tensor<2x9x8x3xf32>) -> tensor<2x9x8x3xf32>
    %o0 = call @zero() : () -> tensor<2x7x7x7xf32>
    %ya = call @conv(%xa, %wa, %o0) : (tensor<2x9x8x3xf32>, tensor<3x2x3x7xf32>, tensor<2x7x7x7xf32>) -> tensor<2x7x7x7xf32>
    %z0 = arith.constant 0.0 : f32
    %se = tensor.empty() : tensor<f32>
    %s0 = linalg.fill ins(%z0 : f32) outs(%se : tensor<f32>) -> tensor<f32>
    %s1 = linalg.fill ins(%z0 : f32) outs(%se : tensor<f32>) -> tensor<f32>
    %d = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>, affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>, affine_map<(d0, d1, d2, d3) -> ()>], iterator_types = ["reduction", "reduction", "reduction", "reduction"]} ins(%y, %yr : tensor<2x7x7x7xf32>, tensor<2x7x7x7xf32>) outs(%s0 : tensor<f32>) {
    ^bb0(%a: f32, %b: f32, %acc: f32):
      %t = arith.subf %a, %b : f32
      %u = math.absf %t : f32
      %v = arith.maximumf %u, %acc : f32
      linalg.yield %v : f32
    } -> tensor<f32>
    %s = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>, affine_map<(d0, d1, d2, d3) -> ()>], iterator_types = ["reduction", "reduction", "reduction", "reduction"]} ins(%ya : tensor<2x7x7x7xf32>) outs(%s1 : tensor<f32>) {
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
