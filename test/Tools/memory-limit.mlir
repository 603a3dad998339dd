// dc-opt under a memory limit (`ulimit -v`, prlimit --as): it starts (its
// worker stack is a quarter of the limit, not 1 GiB), and running out of
// memory is an error naming the input, with status 1 and no output file,
// not an abort (no thread pool, whose threads reserve address space per
// core). The nesting limit scales with the stack: 10^5 levels with
// the 1 GiB stack, 18,626 with the 200 MB one under an 800 MB limit.
// UNSUPPORTED: asan

// RUN: prlimit --as=700000000 dc-opt --mlir-disable-threading %s -o %t.parsed
// RUN: FileCheck %s --check-prefix=PARSED < %t.parsed
// PARSED-LABEL: func.func @f

// The 800 MB weight dc-compress materializes does not fit under 700 MB.
// RUN: rm -f %t.out
// RUN: not prlimit --as=700000000 dc-opt --mlir-disable-threading %s --dc-compress=bits=4 -o %t.out 2>&1 | FileCheck %s --check-prefix=OOM
// RUN: not test -e %t.out
// OOM: memory-limit.mlir: error: dc-opt ran out of memory (Allocation failed) while reading or compiling this input; no output was written.
// OOM-NOT: Stack dump

// RUN: %python %S/../../bench/scale_gen.py nesting 20000 > %t.deep.mlir
// RUN: not prlimit --as=800000000 dc-opt --mlir-disable-threading %t.deep.mlir -o /dev/null 2>&1 | FileCheck %s --check-prefix=SCALED
// SCALED: deep.mlir: error: input nests deeper than 18626 levels of brackets
// RUN: %python %S/../../bench/scale_gen.py nesting 100001 > %t.deeper.mlir
// RUN: not dc-opt %t.deeper.mlir -o /dev/null 2>&1 | FileCheck %s --check-prefix=DEFAULT
// DEFAULT: deeper.mlir: error: input nests deeper than 100000 levels of brackets

func.func @f(%x: tensor<10000xf32>) -> tensor<20000xf32> {
  %w = arith.constant dense<0.5> : tensor<20000x10000xf32>
  %z = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<20000xf32>
  %i = linalg.fill ins(%z : f32) outs(%e : tensor<20000xf32>) -> tensor<20000xf32>
  %y = linalg.matvec ins(%w, %x : tensor<20000x10000xf32>, tensor<10000xf32>)
      outs(%i : tensor<20000xf32>) -> tensor<20000xf32>
  return %y : tensor<20000xf32>
}
