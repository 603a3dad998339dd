// f16 and bf16 weights: compressed as !dc.compressed of their own type with
// codebook entries of that type (stored as f32), and given back in their
// type by dc-decompress-constants; bytes_dense counts 2 bytes per weight.
// RUN: dc-opt %s --dc-compress="bits=2" | FileCheck %s
// RUN: dc-opt %s --dc-compress="bits=2" --dc-decompress-constants | FileCheck %s --check-prefix=BACK
// RUN: dc-opt %s --dc-compress="bits=2 report=%t.json" -o /dev/null
// RUN: FileCheck %s --check-prefix=REPORT < %t.json

// CHECK-LABEL: func @half
// CHECK: dc.constant {{.*}}dc.layer = "h"{{.*}} : !dc.compressed<tensor<2x4xf16>
// CHECK: dc.decompress %{{.+}} : !dc.compressed<tensor<2x4xf16>, {{.+}}> -> tensor<2x4xf16>
// CHECK: dc.constant {{.*}}dc.layer = "b"{{.*}} : !dc.compressed<tensor<2x4xbf16>
// BACK-LABEL: func @half
// BACK: arith.constant {dc.layer = "h"} dense<{{.*}}> : tensor<2x4xf16>
// BACK: arith.constant {dc.layer = "b"} dense<{{.*}}> : tensor<2x4xbf16>
// BACK-NOT: dc.constant
// REPORT: "name": "h"
// REPORT: "bytes_dense": 16
// REPORT: "name": "b"
// REPORT: "bytes_dense": 16
func.func @half(%x: tensor<4xf16>, %y: tensor<4xbf16>) -> (tensor<2xf16>, tensor<2xbf16>) {
  %e = tensor.empty() : tensor<2xf16>
  %w = arith.constant {dc.layer = "h"} dense<[[1.0, 0.5, -0.25, 2.0], [0.0, 1.0, 3.0, -1.5]]> : tensor<2x4xf16>
  %r = linalg.matvec ins(%w, %x : tensor<2x4xf16>, tensor<4xf16>) outs(%e : tensor<2xf16>) -> tensor<2xf16>
  %eb = tensor.empty() : tensor<2xbf16>
  %wb = arith.constant {dc.layer = "b"} dense<[[1.0, 0.5, -0.25, 2.0], [0.0, 1.0, 3.0, -1.5]]> : tensor<2x4xbf16>
  %rb = linalg.matvec ins(%wb, %y : tensor<2x4xbf16>, tensor<4xbf16>) outs(%eb : tensor<2xbf16>) -> tensor<2xbf16>
  return %r, %rb : tensor<2xf16>, tensor<2xbf16>
}
