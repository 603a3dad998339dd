func.func @mm(%x: tensor<64x784xf32>, %w: tensor<784x300xf32>) -> tensor<64x300xf32> attributes {llvm.emit_c_interface} {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<64x300xf32>
  %i = linalg.fill ins(%zero : f32) outs(%e : tensor<64x300xf32>) -> tensor<64x300xf32>
  %y = linalg.matmul ins(%x, %w : tensor<64x784xf32>, tensor<784x300xf32>) outs(%i : tensor<64x300xf32>) -> tensor<64x300xf32>
  return %y : tensor<64x300xf32>
}
