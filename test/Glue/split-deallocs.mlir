// dc-split-deallocs: the buffers of a bufferization.dealloc that alias no
// other of its operands get a dealloc of their own (same condition, nothing
// retained); buffers sharing an allocation with another operand, or any op
// with an operand of unknown origin, stay as they are.
// RUN: dc-opt %s -split-input-file --pass-pipeline='builtin.module(func.func(dc-split-deallocs))' | FileCheck %s

// Two temporaries (through extract_strided_metadata, as the ownership-based
// deallocation frees them) and the returned buffer, which stays retained.
// CHECK-LABEL: func.func @independent
// CHECK-SAME: (%[[C0:.*]]: i1, %[[C1:.*]]: i1)
// CHECK: %[[A:[^,]*]], %{{.*}} = memref.extract_strided_metadata %{{.*}} : memref<4xf32>
// CHECK: %[[B:[^,]*]], %{{.*}} = memref.extract_strided_metadata %{{.*}} : memref<4xf32>
// CHECK: %[[R:.*]] = memref.alloc() : memref<4xf32>
// CHECK: bufferization.dealloc (%[[A]] : memref<f32>) if (%[[C0]]){{$}}
// CHECK: bufferization.dealloc (%[[B]] : memref<f32>) if (%[[C1]]){{$}}
// CHECK: %[[O:.*]] = bufferization.dealloc retain (%[[R]] : memref<4xf32>)
// CHECK: return %[[R]], %[[O]]
func.func @independent(%c0: i1, %c1: i1) -> (memref<4xf32>, i1) {
  %a = memref.alloc() : memref<4xf32>
  %ab, %ao, %as, %ast = memref.extract_strided_metadata %a
      : memref<4xf32> -> memref<f32>, index, index, index
  %b = memref.alloc() : memref<4xf32>
  %bb, %bo, %bs, %bst = memref.extract_strided_metadata %b
      : memref<4xf32> -> memref<f32>, index, index, index
  %r = memref.alloc() : memref<4xf32>
  %o = bufferization.dealloc (%ab, %bb : memref<f32>, memref<f32>)
      if (%c0, %c1) retain (%r : memref<4xf32>)
  return %r, %o : memref<4xf32>, i1
}

// -----

// %a is retained through a subview: it stays (its condition feeds the
// retained buffer's ownership); %b is split out; the argument and the
// global alias no allocation of the function and stay too.
// CHECK-LABEL: func.func @retained_view
// CHECK: %[[A:.*]] = memref.alloc() : memref<8xf32>
// CHECK: %[[B:.*]] = memref.alloc() : memref<8xf32>
// CHECK: %[[V:.*]] = memref.subview %[[A]]
// CHECK: bufferization.dealloc (%[[B]] : memref<8xf32>) if (%{{.*}}){{$}}
// CHECK: bufferization.dealloc (%arg0, %{{.*}}, %[[A]] : {{.*}}) if ({{.*}}) retain (%[[V]] :
memref.global "private" constant @g : memref<8xf32> = dense<0.0>
func.func @retained_view(%arg0: memref<8xf32>, %c: i1)
    -> (memref<4xf32, strided<[1]>>, i1) {
  %g = memref.get_global @g : memref<8xf32>
  %a = memref.alloc() : memref<8xf32>
  %b = memref.alloc() : memref<8xf32>
  %v = memref.subview %a[0] [4] [1] : memref<8xf32> to memref<4xf32, strided<[1]>>
  %o = bufferization.dealloc (%arg0, %g, %a, %b
      : memref<8xf32>, memref<8xf32>, memref<8xf32>, memref<8xf32>)
      if (%c, %c, %c, %c) retain (%v : memref<4xf32, strided<[1]>>)
  return %v, %o : memref<4xf32, strided<[1]>>, i1
}

// -----

// Two operands of one allocation: neither is split (the op frees it once);
// the other allocation is.
// CHECK-LABEL: func.func @same_allocation
// CHECK: %[[A:.*]] = memref.alloc() : memref<8xf32>
// CHECK: bufferization.dealloc (%[[A]] : memref<8xf32>) if
// CHECK-NEXT: bufferization.dealloc (%{{.*}}, %{{.*}} : memref<4xf32, strided<[1], offset: 2>>, memref<8xf32>) if
// CHECK-NOT: bufferization.dealloc
func.func @same_allocation(%c: i1) {
  %a = memref.alloc() : memref<8xf32>
  %b = memref.alloc() : memref<8xf32>
  %v = memref.subview %b[2] [4] [1] : memref<8xf32> to memref<4xf32, strided<[1], offset: 2>>
  bufferization.dealloc (%a, %v, %b : memref<8xf32>, memref<4xf32, strided<[1], offset: 2>>, memref<8xf32>) if (%c, %c, %c)
  return
}

// -----

// A call result may alias anything: the op stays whole.
// CHECK-LABEL: func.func @unknown_origin
// CHECK: bufferization.dealloc (%{{.*}}, %{{.*}} : memref<8xf32>, memref<8xf32>) if
// CHECK-NOT: bufferization.dealloc
func.func private @make(memref<8xf32>) -> memref<8xf32>
func.func @unknown_origin(%c: i1) {
  %a = memref.alloc() : memref<8xf32>
  %m = func.call @make(%a) : (memref<8xf32>) -> memref<8xf32>
  bufferization.dealloc (%a, %m : memref<8xf32>, memref<8xf32>) if (%c, %c)
  return
}
