// dc-static-buffers on a bufferized function: a 64 B temporary goes on the
// stack, two 64 KiB ones with disjoint live ranges share one 64 KiB arena
// slot, the returned buffer stays a heap allocation (the caller frees it).
// The arena is taken with an atomic exchange and given back at the return;
// a heap buffer is the fallback when it is taken.
// RUN: dc-opt %s --dc-static-buffers | FileCheck %s
// RUN: dc-opt %s --dc-static-buffers="arena=false" | FileCheck %s --check-prefix=NOARENA
// RUN: dc-opt %s --dc-static-buffers="max-stack-bytes=0 arena=false" | FileCheck %s --check-prefix=NONE

// CHECK: memref.global "private" @__dc_arena_f : memref<65536xi8> = uninitialized {alignment = 64 : i64}
// CHECK: memref.global "private" @__dc_arena_f_busy : memref<i32> = dense<0>
// CHECK-LABEL: func.func @f
// CHECK: %[[FLAG:.*]] = memref.get_global @__dc_arena_f_busy
// CHECK: %[[OLD:.*]] = memref.atomic_rmw assign %{{.*}}, %[[FLAG]][]
// CHECK: %[[MINE:.*]] = arith.cmpi eq, %[[OLD]]
// CHECK: %[[BUF:.*]] = scf.if %[[MINE]] -> (memref<65536xi8>) {
// CHECK:   memref.get_global @__dc_arena_f : memref<65536xi8>
// CHECK: } else {
// CHECK:   memref.alloc() {alignment = 64 : i64} : memref<65536xi8>
// CHECK: memref.alloca() {alignment = 64 : i64} : memref<16xf32>
// CHECK: memref.view %[[BUF]][%c0{{.*}}][] : memref<65536xi8> to memref<16384xf32>
// CHECK: memref.view %[[BUF]][%c0{{.*}}][] : memref<65536xi8> to memref<16384xf32>
// CHECK: %[[RES:.*]] = memref.alloc() : memref<4xf32>
// CHECK-NOT: memref.dealloc %{{.*}} : memref<16384xf32>
// CHECK: scf.if %[[MINE]] {
// CHECK:   memref.atomic_rmw assign %{{.*}}, %[[FLAG]][]
// CHECK: } else {
// CHECK:   memref.dealloc %[[BUF]]
// CHECK: return %[[RES]]
// NOARENA-NOT: memref.global
// NOARENA: memref.alloca() {alignment = 64 : i64} : memref<16xf32>
// NOARENA: memref.alloc() {alignment = 64 : i64} : memref<16384xf32>
// NONE-NOT: memref.alloca
// NONE-NOT: memref.global
func.func @f(%x: memref<4xf32>) -> memref<4xf32> {
  %c0 = arith.constant 0 : index
  %small = memref.alloc() {alignment = 64 : i64} : memref<16xf32>
  %a = memref.alloc() {alignment = 64 : i64} : memref<16384xf32>
  %v = memref.load %x[%c0] : memref<4xf32>
  memref.store %v, %a[%c0] : memref<16384xf32>
  memref.store %v, %small[%c0] : memref<16xf32>
  %w = memref.load %a[%c0] : memref<16384xf32>
  memref.dealloc %a : memref<16384xf32>
  %b = memref.alloc() {alignment = 64 : i64} : memref<16384xf32>
  memref.store %w, %b[%c0] : memref<16384xf32>
  %u = memref.load %b[%c0] : memref<16384xf32>
  memref.dealloc %b : memref<16384xf32>
  memref.dealloc %small : memref<16xf32>
  %r = memref.alloc() : memref<4xf32>
  memref.store %u, %r[%c0] : memref<4xf32>
  return %r : memref<4xf32>
}
