// dc-to-llvm threads=2 on its two thread runtimes, on matvec-csc.mlir's
// layer (33x47, chunks forced with parallel-min-words=0).
// OpenMP (the default thread-runtime): the kernel's scf.parallel becomes
// omp.parallel num_threads(2) + omp.wsloop in the LLVM dialect, no async.
// RUN: dc-opt %S/matvec-csc.mlir --dc-rewrite-contractions --dc-lower-compute="threads=2 parallel-min-words=0" --dc-to-llvm=threads=2 | FileCheck %s --check-prefix=OMP
// OMP: llvm.func @__dc_{{.*}}_matvec(
// OMP: omp.parallel num_threads(
// OMP: omp.wsloop
// OMP: omp.loop_nest
// OMP: llvm.call @__dc_{{.*}}_part(
// OMP-NOT: mlirAsync
// thread-runtime=async: async-parallel-for on MLIR's async runtime.
// RUN: dc-opt %S/matvec-csc.mlir --dc-rewrite-contractions --dc-lower-compute="threads=2 parallel-min-words=0" --dc-to-llvm="threads=2 thread-runtime=async" | FileCheck %s --check-prefix=ASYNC
// ASYNC-NOT: omp.parallel
// ASYNC: llvm.call @mlirAsync
// ASYNC-NOT: omp.parallel
// One thread: neither runtime.
// RUN: dc-opt %S/matvec-csc.mlir --dc-to-llvm | FileCheck %s --check-prefix=ONE
// ONE-NOT: omp.
// ONE-NOT: mlirAsync
// An unknown runtime is an error.
// RUN: not dc-opt %S/matvec-csc.mlir --dc-to-llvm="threads=2 thread-runtime=tbb" 2>&1 | FileCheck %s --check-prefix=BAD
// BAD: thread-runtime
//
// Ahead of time, as bench/gemv.sh builds it: mlir-translate, clang-22 -O3,
// linked with libomp (main renamed: the module's `main` returns void).
// RUN: dc-opt %S/matvec-csc.mlir --dc-rewrite-contractions --dc-lower-compute="threads=2 parallel-min-words=0" --dc-to-llvm=threads=2 | mlir-translate --mlir-to-llvmir | sed 's/@main(/@dc_main(/' > %t.ll
// RUN: clang-22 -O3 -Wno-override-module -c %t.ll -o %t.o
// RUN: printf 'void dc_main(void);\nint main(void) { dc_main(); return 0; }\n' > %t.c
// RUN: clang-22 %t.c %t.o -L%mlir_lib_dir -lomp -lmlir_c_runner_utils -Wl,-rpath,%mlir_lib_dir -o %t.exe
// RUN: %t.exe | FileCheck %s
// RUN: env OMP_NUM_THREADS=1 %t.exe | FileCheck %s
// CHECK: ok 1
