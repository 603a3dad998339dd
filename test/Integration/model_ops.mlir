// dc-to-llvm on the ops of a typical model (no dc ops: checks the generic
// part of the pipeline): conv, fill, max pooling, collapse_shape, matmul,
// elementwise arith on tensors, a linalg.generic with math.tanh, and a
// function with llvm.emit_c_interface. JIT and ahead-of-time.
// RUN: dc-opt %s --dc-to-llvm | mlir-runner -e run -entry-point-result=void -shared-libs=%mlir_runner_libs | FileCheck %s
// threads > 1 (this module has no dc kernels, so no parallel loop is made;
// the pipeline must still work): on OpenMP (default, libomp) and on MLIR's
// async runtime (mlir-runner then needs an -O level for the coroutines).
// RUN: dc-opt %s --dc-to-llvm=threads=2 | mlir-runner -e run -entry-point-result=void -shared-libs=%mlir_runner_libs,%mlir_lib_dir/libomp.so | FileCheck %s
// RUN: dc-opt %s --dc-to-llvm="threads=2 thread-runtime=async" 2>/dev/null | mlir-runner -O2 -e run -entry-point-result=void -shared-libs=%mlir_runner_libs,%mlir_lib_dir/libmlir_async_runtime.so | FileCheck %s
// RUN: dc-opt %s --dc-to-llvm | mlir-translate --mlir-to-llvmir -o %t.ll
// RUN: clang-22 -O3 -Wno-override-module -c %t.ll -o %t.o
// RUN: clang-22 %t.o %S/Inputs/call_model.c -lm -o %t.exe
// RUN: %t.exe | FileCheck %s --check-prefix=AOT

#map = affine_map<(d0, d1) -> (d0, d1)>
func.func @model(%x: tensor<1x1x6x6xf32>) -> tensor<1x4xf32> attributes {llvm.emit_c_interface} {
  %w = arith.constant dense<0.5> : tensor<2x1x3x3xf32>
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<1x2x4x4xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<1x2x4x4xf32>) -> tensor<1x2x4x4xf32>
  %conv = linalg.conv_2d_nchw_fchw ins(%x, %w : tensor<1x1x6x6xf32>, tensor<2x1x3x3xf32>) outs(%f : tensor<1x2x4x4xf32>) -> tensor<1x2x4x4xf32>
  %ninf = arith.constant -3.4e38 : f32
  %pe = tensor.empty() : tensor<1x2x2x2xf32>
  %pf = linalg.fill ins(%ninf : f32) outs(%pe : tensor<1x2x2x2xf32>) -> tensor<1x2x2x2xf32>
  %win = tensor.empty() : tensor<2x2xf32>
  %pool = linalg.pooling_nchw_max {dilations = dense<1> : vector<2xi64>, strides = dense<2> : vector<2xi64>} ins(%conv, %win : tensor<1x2x4x4xf32>, tensor<2x2xf32>) outs(%pf : tensor<1x2x2x2xf32>) -> tensor<1x2x2x2xf32>
  %flat = tensor.collapse_shape %pool [[0], [1, 2, 3]] : tensor<1x2x2x2xf32> into tensor<1x8xf32>
  %fc = arith.constant dense<0.25> : tensor<8x4xf32>
  %me = tensor.empty() : tensor<1x4xf32>
  %mf = linalg.fill ins(%zero : f32) outs(%me : tensor<1x4xf32>) -> tensor<1x4xf32>
  %mm = linalg.matmul ins(%flat, %fc : tensor<1x8xf32>, tensor<8x4xf32>) outs(%mf : tensor<1x4xf32>) -> tensor<1x4xf32>
  %bias = arith.constant dense<[[-9.0, -8.5, -10.0, -9.25]]> : tensor<1x4xf32>
  %add = arith.addf %mm, %bias : tensor<1x4xf32>
  %r = linalg.generic {indexing_maps = [#map, #map], iterator_types = ["parallel", "parallel"]} ins(%add : tensor<1x4xf32>) outs(%me : tensor<1x4xf32>) {
  ^bb0(%in: f32, %out: f32):
    %t = math.tanh %in : f32
    %m = arith.maximumf %t, %zero : f32
    linalg.yield %m : f32
  } -> tensor<1x4xf32>
  return %r : tensor<1x4xf32>
}

func.func private @printMemrefF32(tensor<*xf32>)

// conv = 9 * 0.5 = 4.5 everywhere, pool 4.5, matmul 8 * 4.5 * 0.25 = 9,
// relu(tanh(9 + bias)) = [0, tanh(0.5), 0, 0].
// CHECK: data =
// CHECK-NEXT: {{\[}}[0,   0.462117,   0,   0]]
// AOT: 0 0.462117 0 0
func.func @run() {
  %x = arith.constant dense<1.0> : tensor<1x1x6x6xf32>
  %y = call @model(%x) : (tensor<1x1x6x6xf32>) -> tensor<1x4xf32>
  %c = tensor.cast %y : tensor<1x4xf32> to tensor<*xf32>
  call @printMemrefF32(%c) : (tensor<*xf32>) -> ()
  return
}
