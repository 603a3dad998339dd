// Invalid dc-lower-compute option values are an error and a non-zero exit,
// whether given to the pass or through dc-to-llvm.
// RUN: not dc-opt %s --dc-lower-compute=dense-density=nan 2>&1 | FileCheck %s --check-prefix=DD
// RUN: not dc-opt %s --dc-lower-compute=rows-per-group=0 2>&1 | FileCheck %s --check-prefix=RPG
// RUN: not dc-opt %s --dc-lower-compute=rows-per-group=9 2>&1 | FileCheck %s --check-prefix=RPG9
// RUN: not dc-opt %s --dc-lower-compute=vector-width=12 2>&1 | FileCheck %s --check-prefix=VW
// RUN: not dc-opt %s --dc-to-llvm=vector-width=5 2>&1 | FileCheck %s --check-prefix=VW5
// RUN: not dc-opt %s --dc-to-llvm=vector-width=128 2>&1 | FileCheck %s --check-prefix=VW128
// RUN: not dc-opt %s --dc-lower-compute=dense-density=abc 2>&1 | FileCheck %s --check-prefix=PARSE
// DD: error: dc-lower-compute: option 'dense-density' must be a number
// RPG: error: dc-lower-compute: option 'rows-per-group' must be in 1..8, got 0
// RPG9: error: dc-lower-compute: option 'rows-per-group' must be in 1..8, got 9
// VW: error: dc-lower-compute: option 'vector-width' must be 0 (from the target) or a power of two up to 64, got 12
// Through dc-to-llvm the first pass that reads the option reports it.
// VW5: error: {{dc-vectorize-linalg|dc-lower-compute}}: {{.*}}vector-width{{.*}} must be 0 {{.*}}a power of two up to 64, got 5
// VW128: error: {{dc-vectorize-linalg|dc-lower-compute}}: {{.*}}vector-width{{.*}} must be 0 {{.*}}a power of two up to 64, got 128
// PARSE: 'abc' value invalid for floating point argument
func.func @f(%x: tensor<4xf32>) -> tensor<4xf32> {
  return %x : tensor<4xf32>
}
