// The tile layout (batch 1, AVX-512; lib/Conversion/Kernels/TileKernel.h) on
// generated layers: odd shapes (M not a multiple of 16, K not a multiple of
// 32, K < 32), empty rows and an empty strip, a row denser than three
// entries per window everywhere, 4%, 9% and 25% kept, Huffman on and off,
// one and two threads (OpenMP and the async runtime). Each run checks the
// product against the dense reference (gen_tiles.py: rel_err < 1e-4 and a
// non-zero result) and, through `stats`, that the tile layout was used.
// REQUIRES: avx512
//
// RUN: %python %S/Inputs/gen_tiles.py --rows 37 --k 45 --density 0.09 > %t.odd.mlir
// The first run takes dc-to-llvm's default path and variant; the others
// force the S = 3 variant, then the vpexpandw one further down.
// RUN: dc-opt %t.odd.mlir --dc-compress=bits=5 --dc-to-llvm="layout=tiles stats=1" -o %t.odd.ll 2> %t.odd.log
// RUN: FileCheck %s --check-prefix=STATS < %t.odd.log
// RUN: %dc_run < %t.odd.ll | FileCheck %s
// RUN: dc-opt %t.odd.mlir --dc-compress="bits=5 entropy=none" --dc-rewrite-contractions --dc-lower-compute="layout=tiles tile-variant=s3 stats=1" --dc-to-llvm -o %t.oddn.ll 2> %t.oddn.log
// RUN: FileCheck %s --check-prefix=STATS < %t.oddn.log
// RUN: %dc_run < %t.oddn.ll | FileCheck %s
//
// K < 32: the single window x[0, K) is read with masked loads.
// RUN: %python %S/Inputs/gen_tiles.py --rows 20 --k 7 --density 0.5 --seed 2 > %t.narrow.mlir
// RUN: dc-opt %t.narrow.mlir --dc-compress=bits=5 --dc-rewrite-contractions --dc-lower-compute="layout=tiles tile-variant=s3 stats=1" --dc-to-llvm -o %t.narrow.ll 2> %t.narrow.log
// RUN: FileCheck %s --check-prefix=STATS < %t.narrow.log
// RUN: %dc_run < %t.narrow.ll | FileCheck %s
// RUN: %python %S/Inputs/gen_tiles.py --rows 17 --k 20 --density 0.6 --seed 3 > %t.narrow2.mlir
// RUN: dc-opt %t.narrow2.mlir --dc-compress="bits=4 entropy=none" --dc-rewrite-contractions --dc-lower-compute="layout=tiles tile-variant=s3 stats=1" --dc-to-llvm -o %t.narrow2.ll 2> %t.narrow2.log
// RUN: FileCheck %s --check-prefix=STATS < %t.narrow2.log
// RUN: %dc_run < %t.narrow2.ll | FileCheck %s
//
// Empty rows (0, 5, 47, 63) and an empty strip (rows 16..31).
// RUN: %python %S/Inputs/gen_tiles.py --rows 64 --k 70 --density 0.2 --empty-rows 0,5,47,63 --empty-strip 1 --seed 4 > %t.empty.mlir
// RUN: dc-opt %t.empty.mlir --dc-compress=bits=5 --dc-rewrite-contractions --dc-lower-compute="layout=tiles tile-variant=s3 stats=1" --dc-to-llvm -o %t.empty.ll 2> %t.empty.log
// RUN: FileCheck %s --check-prefix=STATS < %t.empty.log
// RUN: %dc_run < %t.empty.ll | FileCheck %s
//
// A fully dense row among 3%-kept ones (the laggard window stays on it).
// RUN: %python %S/Inputs/gen_tiles.py --rows 21 --k 130 --density 0.03 --dense-row 3 --seed 5 > %t.dense.mlir
// RUN: dc-opt %t.dense.mlir --dc-compress="bits=5 entropy=none" --dc-rewrite-contractions --dc-lower-compute="layout=tiles tile-variant=s3 stats=1" --dc-to-llvm -o %t.dense.ll 2> %t.dense.log
// RUN: FileCheck %s --check-prefix=STATS < %t.dense.log
// RUN: %dc_run < %t.dense.ll | FileCheck %s
//
// 4%, 9%, 25% kept on 100 x 300 (Huffman and not).
// RUN: %python %S/Inputs/gen_tiles.py --rows 100 --k 300 --density 0.04 --seed 6 > %t.d4.mlir
// RUN: dc-opt %t.d4.mlir --dc-compress=bits=5 --dc-rewrite-contractions --dc-lower-compute="layout=tiles tile-variant=s3 stats=1" --dc-to-llvm -o %t.d4.ll 2> %t.d4.log
// RUN: FileCheck %s --check-prefix=STATS < %t.d4.log
// RUN: %dc_run < %t.d4.ll | FileCheck %s
// RUN: %python %S/Inputs/gen_tiles.py --rows 100 --k 300 --density 0.09 --seed 7 > %t.d9.mlir
// RUN: dc-opt %t.d9.mlir --dc-compress="bits=5 entropy=none" --dc-rewrite-contractions --dc-lower-compute="layout=tiles tile-variant=s3 stats=1" --dc-to-llvm -o %t.d9.ll 2> %t.d9.log
// RUN: FileCheck %s --check-prefix=STATS < %t.d9.log
// RUN: %dc_run < %t.d9.ll | FileCheck %s
// RUN: %python %S/Inputs/gen_tiles.py --rows 100 --k 300 --density 0.25 --seed 8 > %t.d25.mlir
// RUN: dc-opt %t.d25.mlir --dc-compress=bits=5 --dc-rewrite-contractions --dc-lower-compute="layout=tiles tile-variant=s3 stats=1" --dc-to-llvm -o %t.d25.ll 2> %t.d25.log
// RUN: FileCheck %s --check-prefix=STATS < %t.d25.log
// RUN: %dc_run < %t.d25.ll | FileCheck %s
//
// Two threads: the strips split into chunks of equal tiles (forced chunks,
// any size), on OpenMP and on MLIR's async runtime; the chunks global and
// the part function are checked in the IR.
// RUN: dc-opt %t.d9.mlir --dc-compress=bits=5 --dc-rewrite-contractions --dc-lower-compute="layout=tiles tile-variant=s3 threads=2 parallel-min-words=0" -o %t.t2.mlir
// RUN: FileCheck %s --check-prefix=THREADS < %t.t2.mlir
// RUN: dc-opt %t.t2.mlir --dc-to-llvm=threads=2 | %dc_omp_run | FileCheck %s
// RUN: dc-opt %t.t2.mlir --dc-to-llvm="threads=2 thread-runtime=async" | %dc_async_run | FileCheck %s
// RUN: dc-opt %t.empty.mlir --dc-compress=bits=5 --dc-rewrite-contractions --dc-lower-compute="layout=tiles tile-variant=s3 threads=2 parallel-min-words=0" --dc-to-llvm=threads=2 | %dc_omp_run | FileCheck %s
//
// The vpexpandw variant (tile-variant=expand) on the same layers.
// RUN: dc-opt %t.odd.mlir --dc-compress=bits=5 --dc-rewrite-contractions --dc-lower-compute="layout=tiles tile-variant=expand stats=1" --dc-to-llvm -o %t.xodd.ll 2> %t.xodd.log
// RUN: FileCheck %s --check-prefix=XSTATS < %t.xodd.log
// RUN: %dc_run < %t.xodd.ll | FileCheck %s
// RUN: dc-opt %t.narrow.mlir --dc-compress="bits=5 entropy=none" --dc-rewrite-contractions --dc-lower-compute="layout=tiles tile-variant=expand stats=1" --dc-to-llvm -o %t.xnarrow.ll 2> %t.xnarrow.log
// RUN: FileCheck %s --check-prefix=XSTATS < %t.xnarrow.log
// RUN: %dc_run < %t.xnarrow.ll | FileCheck %s
// RUN: dc-opt %t.empty.mlir --dc-compress=bits=5 --dc-rewrite-contractions --dc-lower-compute="layout=tiles tile-variant=expand stats=1" --dc-to-llvm -o %t.xempty.ll 2> %t.xempty.log
// RUN: FileCheck %s --check-prefix=XSTATS < %t.xempty.log
// RUN: %dc_run < %t.xempty.ll | FileCheck %s
// RUN: dc-opt %t.dense.mlir --dc-compress=bits=5 --dc-rewrite-contractions --dc-lower-compute="layout=tiles tile-variant=expand stats=1" --dc-to-llvm -o %t.xdense.ll 2> %t.xdense.log
// RUN: FileCheck %s --check-prefix=XSTATS < %t.xdense.log
// RUN: %dc_run < %t.xdense.ll | FileCheck %s
// RUN: dc-opt %t.d4.mlir --dc-compress="bits=5 entropy=none" --dc-rewrite-contractions --dc-lower-compute="layout=tiles tile-variant=expand stats=1" --dc-to-llvm -o %t.xd4.ll 2> %t.xd4.log
// RUN: FileCheck %s --check-prefix=XSTATS < %t.xd4.log
// RUN: %dc_run < %t.xd4.ll | FileCheck %s
// RUN: dc-opt %t.d25.mlir --dc-compress=bits=5 --dc-rewrite-contractions --dc-lower-compute="layout=tiles tile-variant=expand stats=1" --dc-to-llvm -o %t.xd25.ll 2> %t.xd25.log
// RUN: FileCheck %s --check-prefix=XSTATS < %t.xd25.log
// RUN: %dc_run < %t.xd25.ll | FileCheck %s
// RUN: dc-opt %t.d9.mlir --dc-compress=bits=5 --dc-rewrite-contractions --dc-lower-compute="layout=tiles tile-variant=expand threads=2 parallel-min-words=0" --dc-to-llvm=threads=2 | %dc_omp_run | FileCheck %s
// RUN: dc-opt %t.d9.mlir --dc-compress=bits=5 --dc-rewrite-contractions --dc-lower-compute="layout=tiles tile-variant=expand" | FileCheck %s --check-prefix=XIR
// RUN: not dc-opt %t.d9.mlir --dc-lower-compute=tile-variant=s2 2>&1 | FileCheck %s --check-prefix=BADVARIANT
// XSTATS: layout=tiles m={{[0-9]+}} k={{[0-9]+}} nonzeros={{[1-9][0-9]*}} variant=expand tiles={{[1-9][0-9]*}}
// XIR-DAG: memref.global "private" @__dc_tw_{{[0-9]+}}_tile_fields : memref<{{[0-9]+}}xi16> = uninitialized
// XIR-DAG: memref.global "private" @__dc_tw_{{[0-9]+}}_tile_masks : memref<{{[0-9]+}}xi32> = uninitialized
// XIR-DAG: memref.global "private" constant @__dc_tw_{{[0-9]+}}_tile_strip_fields : memref<8xi32>
// XIR-LABEL: func.func private @__dc_tw_{{[0-9]+}}_tiles_matvec(
// XIR: vector.expandload
// XIR: math.ctpop
// XIR-COUNT-4: call @__dc_intrinsic_llvm_x86_avx512_vpermi2var_ps_512(
// BADVARIANT: dc-lower-compute: option 'tile-variant' must be auto, s3 or expand, got 's2'
//
// The kernel: the load-time builder behind the decode-once initializer,
// madvise on the lane words, vpermi2ps lookups, the prefetch.
// RUN: dc-opt %t.d9.mlir --dc-compress=bits=5 --dc-rewrite-contractions --dc-lower-compute="layout=tiles tile-variant=s3" | FileCheck %s --check-prefix=IR
//
// CHECK: ok 1
// CHECK-NEXT: scale {{[1-9]}}
// STATS: dc-lower-compute: __dc_tw_{{[0-9]+}} layout=tiles m={{[0-9]+}} k={{[0-9]+}} nonzeros={{[1-9][0-9]*}} variant={{s3|expand}} tiles={{[1-9][0-9]*}} strips={{[0-9]+}} bits={{[45]}} object_bytes={{[0-9]+}} runtime_bytes={{[0-9]+}} bytes_pq=
// STATS-NOT: layout=sparse
// THREADS: memref.global "private" constant @__dc_tw_{{.*}}_tiles_matvec_chunks
// THREADS: func.func private @__dc_shared{{[0-9]+}}_tiles_matvec_part(
// THREADS: scf.parallel
// THREADS: call @__dc_shared{{[0-9]+}}_tiles_matvec_part(
// IR-DAG: memref.global "private" @__dc_tw_{{[0-9]+}}_tile_words : memref<{{[0-9]+}}xi32> = uninitialized {alignment = 64 : i64}
// IR-DAG: memref.global "private" @__dc_tw_{{[0-9]+}}_tile_starts : memref<{{[0-9]+}}xi16> = uninitialized
// IR-DAG: memref.global "private" constant @__dc_tw_{{[0-9]+}}_tile_strips : memref<8xi32>
// IR-DAG: func.func private @__dc_intrinsic_llvm_x86_avx512_vpermi2var_ps_512(vector<16xf32>, vector<16xi32>, vector<16xf32>) -> vector<16xf32>
// IR-LABEL: func.func private @__dc_tw_{{[0-9]+}}_tiles_build()
// IR: call @madvise(
// IR: func.func private @madvise(i64, i64, i32) -> i32
// IR-LABEL: func.func private @__dc_tw_{{[0-9]+}}_tiles_init()
// IR: call @__dc_tw_{{[0-9]+}}_tc_init()
// IR: call @__dc_tw_{{[0-9]+}}_tiles_build()
// IR-LABEL: func.func private @__dc_tw_{{[0-9]+}}_tiles_matvec(
// IR: call @__dc_tw_{{[0-9]+}}_tiles_init()
// IR: memref.prefetch
// IR-COUNT-6: call @__dc_intrinsic_llvm_x86_avx512_vpermi2var_ps_512(
// IR: vector.fma
