// The tile layout at batch 2..8 (dc.matmul of at most 8 columns,
// TileKernel.cpp): x is transposed once at the kernel entry, each tile's
// codebook lookups are shared by the columns, y is written by scatters.
// Odd shapes (M not a multiple of 16, K not a multiple of 32, K < 32), an
// empty strip, a row denser than three entries per window, both variants,
// Huffman on and off, one and two threads. Each run checks the product
// against the dense reference (gen_tiles.py --batch: rel_err < 1e-4 and a
// non-zero result) and, through `stats`, that the tile layout was used.
// REQUIRES: avx512
//
// RUN: %python %S/Inputs/gen_tiles.py --rows 37 --k 45 --density 0.09 --batch 2 > %t.b2.mlir
// RUN: dc-opt %t.b2.mlir --dc-compress=bits=5 --dc-to-llvm="layout=tiles stats=1" -o %t.b2.ll 2> %t.b2.log
// RUN: FileCheck %s --check-prefix=STATS < %t.b2.log
// RUN: %dc_run < %t.b2.ll | FileCheck %s
// RUN: %python %S/Inputs/gen_tiles.py --rows 70 --k 100 --density 0.25 --batch 3 --seed 4 --dense-row 9 > %t.b3.mlir
// RUN: dc-opt %t.b3.mlir --dc-compress="bits=5 entropy=none" --dc-rewrite-contractions --dc-lower-compute="layout=tiles tile-variant=s3 stats=1" --dc-to-llvm -o %t.b3.ll 2> %t.b3.log
// RUN: FileCheck %s --check-prefix=STATS < %t.b3.log
// RUN: %dc_run < %t.b3.ll | FileCheck %s
// RUN: dc-opt %t.b3.mlir --dc-compress=bits=4 --dc-rewrite-contractions --dc-lower-compute="layout=tiles tile-variant=expand stats=1" --dc-to-llvm -o %t.b3x.ll 2> %t.b3x.log
// RUN: FileCheck %s --check-prefix=STATS < %t.b3x.log
// RUN: %dc_run < %t.b3x.ll | FileCheck %s
//
// K < 32 (masked window loads), an empty strip (rows 16..31), 8 columns
// (one accumulator per column).
// RUN: %python %S/Inputs/gen_tiles.py --rows 40 --k 20 --density 0.5 --batch 8 --seed 5 --empty-strip 1 > %t.b8.mlir
// RUN: dc-opt %t.b8.mlir --dc-compress=bits=5 --dc-rewrite-contractions --dc-lower-compute="layout=tiles tile-variant=s3 stats=1" --dc-to-llvm -o %t.b8.ll 2> %t.b8.log
// RUN: FileCheck %s --check-prefix=STATS < %t.b8.log
// RUN: %dc_run < %t.b8.ll | FileCheck %s
//
// Two threads: the parallel parts read the one transposed copy.
// RUN: %python %S/Inputs/gen_tiles.py --rows 300 --k 784 --density 0.09 --batch 4 --seed 6 > %t.t2.mlir
// RUN: dc-opt %t.t2.mlir --dc-compress=bits=5 --dc-rewrite-contractions --dc-lower-compute="layout=tiles tile-variant=s3 threads=2 parallel-min-words=0" -o %t.t2c.mlir
// RUN: FileCheck %s --check-prefix=PARTS < %t.t2c.mlir
// RUN: dc-opt %t.t2c.mlir --dc-to-llvm=threads=2 | %dc_omp_run | FileCheck %s
//
// More than 8 columns: the tile layout declines, the sparse one serves.
// RUN: %python %S/Inputs/gen_tiles.py --rows 37 --k 45 --density 0.09 --batch 9 > %t.b9.mlir
// RUN: dc-opt %t.b9.mlir --dc-compress=bits=5 --dc-to-llvm="layout=tiles stats=1" -o %t.b9.ll 2> %t.b9.log
// RUN: FileCheck %s --check-prefix=DECLINE < %t.b9.log
// RUN: %dc_run < %t.b9.ll | FileCheck %s

// The cost model's choice (layout=auto) on a 256x512 layer at 9% kept:
// tiles from 2 to 8 columns, the sparse layout above.
// RUN: %python %S/Inputs/gen_tiles.py --rows 256 --k 512 --density 0.09 --batch 2 > %t.c2.mlir
// RUN: dc-opt %t.c2.mlir --dc-compress=bits=5 --dc-rewrite-contractions --dc-lower-compute="target-cpu=znver4 stats=1" -o /dev/null 2>&1 | FileCheck %s --check-prefix=AUTO-TILES
// RUN: %python %S/Inputs/gen_tiles.py --rows 256 --k 512 --density 0.09 --batch 8 > %t.c8.mlir
// RUN: dc-opt %t.c8.mlir --dc-compress=bits=5 --dc-rewrite-contractions --dc-lower-compute="target-cpu=znver4 stats=1" -o /dev/null 2>&1 | FileCheck %s --check-prefix=AUTO-TILES
// RUN: %python %S/Inputs/gen_tiles.py --rows 256 --k 512 --density 0.09 --batch 16 > %t.c16.mlir
// RUN: dc-opt %t.c16.mlir --dc-compress=bits=5 --dc-rewrite-contractions --dc-lower-compute="target-cpu=znver4 stats=1" -o /dev/null 2>&1 | FileCheck %s --check-prefix=AUTO-SPARSE

// AUTO-TILES: dc-lower-compute: __dc_tw_0 layout=tiles
// AUTO-SPARSE: dc-lower-compute: __dc_tw_0 layout=sparse
// CHECK: ok 1
// CHECK-NEXT: scale {{[1-9]}}
// STATS: dc-lower-compute: __dc_tw_{{[0-9]+}} layout=tiles m={{[0-9]+}} k={{[0-9]+}} nonzeros={{[1-9][0-9]*}} variant={{s3|expand}}
// STATS-NOT: layout=sparse
// PARTS: func.func private @__dc_shared{{[0-9]+}}_tiles_matmul4_part(%{{.*}}: memref<4x784xf32>
// PARTS: memref.alloc() {alignment = 64 : i64} : memref<4x784xf32>
// PARTS: scf.parallel
// DECLINE: warning: layout 'tiles' does not apply here (dc.matmul of at most 8 batch columns only); using 'sparse'
// DECLINE: layout=sparse
