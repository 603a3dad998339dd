// y = W x for one small fully connected layer, twice: with W stored the way
// Deep Compression stores it and with the same weights as a plain dense
// constant. Both results must be equal (the compressed weights decode to
// exactly the dense ones).
//
// W is 8x16 (128 weights): pruned to 45 survivors (35%), the survivors share
// a 10-entry codebook (4-bit indices, index 0 = pruned), stored column by
// column (CSC) with 3-bit relative row indices, and both the index and the
// gap streams are canonical-Huffman coded. Payload: 13 + 13 bytes of streams,
// 17 column pointers, the codebook and two code-length tables (a layer this
// small is dominated by its tables: 151 bytes vs 512 dense; real layers
// compress 10-40x, see the MNIST demo).
//
// Run: dc-opt --dc-to-llvm examples/compressed_layer.mlir |
//        mlir-runner -e main -entry-point-result=void
//          -shared-libs=libmlir_c_runner_utils.so,libmlir_runner_utils.so

!W = !dc.compressed<tensor<8x16xf32>, #dc.encoding<format = csc, bits = 4, index_bits = 3, entropy = huffman>>

/// The compressed layer: dc-to-llvm decodes the weights at run time (once)
/// or computes on the compressed form directly.
func.func @compressed_layer(%x: tensor<16xf32>) -> tensor<8xf32> {
  %w = dc.constant {codebook = dense<[0.0000, -0.7500, -0.5000, -0.2500, -0.1250, 0.1250, 0.2500, 0.5000, 0.7500, 1.0000]> : tensor<10xf32>,
       pointers = dense<[0, 2, 7, 9, 12, 14, 19, 23, 24, 26, 30, 34, 35, 39, 41, 42, 45]> : tensor<17xi32>,
       values = dense<[-115, -15, -36, -122, -101, -2, 37, -95, 60, 23, 85, 75, 5]> : tensor<13xi8>,
       gaps = dense<[-114, -116, -31, 62, 35, -87, 110, 20, -101, -113, 121, -19, 10]> : tensor<13xi8>,
       value_code_lengths = dense<[0, 0, 4, 5, 0, 2, 1, 4, 4, 5]> : tensor<10xi8>,
       gap_code_lengths = dense<[1, 2, 4, 4, 4, 5, 5]> : tensor<7xi8>,
       num_entries = 45 : i64} : !W
  %y_init = tensor.empty() : tensor<8xf32>
  %y = dc.matvec %w, %x outs(%y_init) : !W, tensor<16xf32>, tensor<8xf32> -> tensor<8xf32>
  return %y : tensor<8xf32>
}

/// The same layer with dense weights.
func.func @dense_layer(%x: tensor<16xf32>) -> tensor<8xf32> {
  %w = arith.constant dense<[[0.1250, 0.2500, 0.7500, 0.1250, 0.0000, -0.5000, 0.0000, 0.0000, 0.0000, 0.1250, 0.2500, 0.0000, 0.1250, 0.0000, 0.0000, 0.0000],
    [0.0000, -0.5000, 0.0000, 0.2500, 0.0000, 0.0000, 0.2500, 0.2500, 0.0000, 0.0000, 0.0000, 0.0000, 0.1250, 0.0000, 0.0000, 0.0000],
    [0.0000, 0.0000, 0.0000, 0.0000, 0.0000, 0.0000, 0.1250, 0.0000, 0.0000, 0.1250, 0.0000, 0.0000, 0.1250, 0.0000, 0.0000, 0.0000],
    [0.0000, 0.2500, 0.5000, 0.0000, 0.0000, 0.1250, 0.0000, 0.0000, 0.0000, 0.0000, 0.0000, 0.0000, 0.0000, 0.0000, 0.2500, 0.1250],
    [0.0000, -0.2500, 0.0000, 0.0000, 0.0000, 1.0000, 0.2500, 0.0000, 0.2500, 0.2500, 0.7500, 0.0000, 0.0000, 0.0000, 0.0000, 0.1250],
    [-0.5000, 0.0000, 0.0000, 0.0000, 0.0000, 0.0000, 0.0000, 0.0000, 0.0000, -0.2500, 0.0000, 0.0000, 0.1250, 0.5000, 0.0000, 0.0000],
    [0.0000, 0.0000, 0.0000, 0.2500, 0.2500, 0.7500, 0.1250, 0.0000, 0.0000, 0.0000, 0.1250, 0.2500, 0.0000, 0.0000, 0.0000, 0.1250],
    [0.0000, 0.2500, 0.0000, 0.0000, 0.7500, 0.1250, 0.0000, 0.0000, 0.2500, 0.0000, 0.2500, 0.0000, 0.0000, 0.2500, 0.0000, 0.0000]]> : tensor<8x16xf32>
  %zero = arith.constant 0.0 : f32
  %empty = tensor.empty() : tensor<8xf32>
  %init = linalg.fill ins(%zero : f32) outs(%empty : tensor<8xf32>) -> tensor<8xf32>
  %y = linalg.matvec ins(%w, %x : tensor<8x16xf32>, tensor<16xf32>) outs(%init : tensor<8xf32>) -> tensor<8xf32>
  return %y : tensor<8xf32>
}

func.func private @printMemrefF32(tensor<*xf32>)

func.func @main() {
  // x = [0.25, 0.5, ..., 4.0]
  %x = arith.constant dense<[0.25, 0.5, 0.75, 1.0, 1.25, 1.5, 1.75, 2.0, 2.25, 2.5, 2.75, 3.0, 3.25, 3.5, 3.75, 4.0]> : tensor<16xf32>
  %yc = call @compressed_layer(%x) : (tensor<16xf32>) -> tensor<8xf32>
  %yd = call @dense_layer(%x) : (tensor<16xf32>) -> tensor<8xf32>
  vector.print str "compressed W x:\n"
  %uc = tensor.cast %yc : tensor<8xf32> to tensor<*xf32>
  call @printMemrefF32(%uc) : (tensor<*xf32>) -> ()
  vector.print str "dense W x:\n"
  %ud = tensor.cast %yd : tensor<8xf32> to tensor<*xf32>
  call @printMemrefF32(%ud) : (tensor<*xf32>) -> ()
  return
}
