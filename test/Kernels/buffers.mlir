// dc-lower-compute on the memref form (after one-shot-bufferize): the kernel
// reads the input buffer and writes `outs` directly when their layouts fit
// the kernel's operands; an input with a non-unit stride is copied to a
// contiguous buffer first, and an `outs` with another layout (here a
// subview at offset 1) gets a temporary the kernel writes, copied into it
// after. W = [[0, 0, 1], [-1, 0, 0]], x = [1, 2, 3] (every other element of
// a 6-vector): y = [3, -1], written into elements 1..2 of [7, 7, 7, 7].
// RUN: dc-opt %s --dc-lower-compute | FileCheck %s --check-prefix=IR
// RUN: dc-opt %s --dc-lower-compute %dc_lower_rest | %dc_run | FileCheck %s

// IR-LABEL: func.func @contiguous
// IR-SAME: (%[[X:.+]]: memref<3xf32>, %[[Y:.+]]: memref<2xf32>)
// IR-NOT: memref.alloc
// IR-NOT: memref.copy
// IR: %[[XC:.+]] = memref.cast %[[X]] : memref<3xf32> to memref<3xf32, strided<[1], offset: ?>>
// IR-NEXT: call @__dc_w_{{[0-9]+}}_{{(tiles_)?}}matvec(%[[XC]], %[[Y]])
// IR-NEXT: return
// IR-LABEL: func.func @strided
// IR: %[[XB:.+]] = memref.alloc() {{.*}}: memref<3xf32>
// IR: memref.copy %{{.+}}, %[[XB]] : memref<3xf32, strided<[2]>> to memref<3xf32>
// IR: %[[XC:.+]] = memref.cast %[[XB]]
// IR: %[[T:.+]] = memref.alloc() {{.*}}: memref<2xf32>
// IR: call @__dc_w_{{[0-9]+}}_{{(tiles_)?}}matvec(%[[XC]], %[[T]])
// IR: memref.copy %[[T]], %{{.+}} : memref<2xf32> to memref<2xf32, strided<[1], offset: 1>>

// CHECK: data =
// CHECK-NEXT: [7,  3,  -1,  7]
// CHECK: data =
// CHECK-NEXT: [3,  -1]

!W = !dc.compressed<tensor<2x3xf32>, #dc.encoding<format = csc, bits = 2, index_bits = 2>>

func.func private @printMemrefF32(memref<*xf32>)

func.func @contiguous(%x: memref<3xf32>, %y: memref<2xf32>) {
  %c = dc.constant {codebook = dense<[0.0, -1.0, 1.0, 2.0]> : tensor<4xf32>, pointers = dense<[0, 1, 1, 2]> : tensor<4xi32>, values = dense<[9]> : tensor<1xi8>, gaps = dense<[1]> : tensor<1xi8>, num_entries = 2 : i64} : !W
  dc.matvec %c, %x outs(%y) : !W, memref<3xf32>, memref<2xf32>
  return
}

func.func @strided(%x: memref<3xf32, strided<[2]>>, %y: memref<2xf32, strided<[1], offset: 1>>) {
  %c = dc.constant {codebook = dense<[0.0, -1.0, 1.0, 2.0]> : tensor<4xf32>, pointers = dense<[0, 1, 1, 2]> : tensor<4xi32>, values = dense<[9]> : tensor<1xi8>, gaps = dense<[1]> : tensor<1xi8>, num_entries = 2 : i64} : !W
  dc.matvec %c, %x outs(%y) : !W, memref<3xf32, strided<[2]>>, memref<2xf32, strided<[1], offset: 1>>
  return
}

func.func @main() {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c6 = arith.constant 6 : index
  %c4 = arith.constant 4 : index
  %seven = arith.constant 7.0 : f32
  // big = [1, 0, 2, 0, 3, 0]: x = big[0:6:2] = [1, 2, 3].
  %big = memref.alloc() : memref<6xf32>
  scf.for %i = %c0 to %c6 step %c1 {
    %two = arith.constant 2 : index
    %h = arith.divui %i, %two : index
    %r = arith.remui %i, %two : index
    %even = arith.cmpi eq, %r, %c0 : index
    %hi = arith.index_cast %h : index to i32
    %hf = arith.sitofp %hi : i32 to f32
    %one = arith.constant 1.0 : f32
    %v1 = arith.addf %hf, %one : f32
    %zero = arith.constant 0.0 : f32
    %v = arith.select %even, %v1, %zero : f32
    memref.store %v, %big[%i] : memref<6xf32>
  }
  %ybig = memref.alloc() : memref<4xf32>
  scf.for %i = %c0 to %c4 step %c1 {
    memref.store %seven, %ybig[%i] : memref<4xf32>
  }
  %xs = memref.subview %big[0] [3] [2] : memref<6xf32> to memref<3xf32, strided<[2]>>
  %ys = memref.subview %ybig[1] [2] [1] : memref<4xf32> to memref<2xf32, strided<[1], offset: 1>>
  call @strided(%xs, %ys) : (memref<3xf32, strided<[2]>>, memref<2xf32, strided<[1], offset: 1>>) -> ()
  %u = memref.cast %ybig : memref<4xf32> to memref<*xf32>
  call @printMemrefF32(%u) : (memref<*xf32>) -> ()
  // The contiguous form on x = [1, 2, 3].
  %x = memref.alloc() : memref<3xf32>
  %y = memref.alloc() : memref<2xf32>
  %c3 = arith.constant 3 : index
  scf.for %i = %c0 to %c3 step %c1 {
    %two = arith.constant 2 : index
    %j = arith.muli %i, %two : index
    %v = memref.load %big[%j] : memref<6xf32>
    memref.store %v, %x[%i] : memref<3xf32>
  }
  call @contiguous(%x, %y) : (memref<3xf32>, memref<2xf32>) -> ()
  %uy = memref.cast %y : memref<2xf32> to memref<*xf32>
  call @printMemrefF32(%uy) : (memref<*xf32>) -> ()
  memref.dealloc %big : memref<6xf32>
  memref.dealloc %ybig : memref<4xf32>
  memref.dealloc %x : memref<3xf32>
  memref.dealloc %y : memref<2xf32>
  return
}
