// LeNet-300-100 with the paper's per-layer settings lands within 10% of its
// fixed-width size (3.1% of dense): bytes_pq / bytes_dense in [2.79%, 3.41%],
// and every reported size is the size of the payloads in the IR.
// RUN: %python %S/Inputs/lenet_300_100.py > %t.mlir
// RUN: dc-opt %t.mlir --dc-compress=report=%t.json -o %t.out.mlir
// RUN: %python %S/Inputs/check_report.py %t.json %t.out.mlir --pq-range 0.0279 0.0341 | FileCheck %s
// RUN: FileCheck %s --check-prefix=JSON < %t.json
// RUN: dc-opt %t.mlir --dc-compress="entropy=none report=%t.none.json" -o %t.none.mlir
// RUN: %python %S/Inputs/check_report.py %t.none.json %t.none.mlir --field bytes_pq | FileCheck %s --check-prefix=NONE

// CHECK: bytes_pq / bytes_dense = 0.0
// CHECK: OK 3 layers
// NONE: OK 3 layers

// JSON: "name": "ip1",
// JSON-NEXT: "kind": "fc",
// JSON-NEXT: "shape": [
// JSON-NEXT: 784,
// JSON-NEXT: 300
// JSON-NEXT: ],
// JSON-NEXT: "weights": 235200,
// JSON-NEXT: "nonzeros": 18816,
// JSON: "weight_bits": 6,
// JSON-NEXT: "index_bits": 5,
// JSON: "name": "ip2",
// JSON: "nonzeros": 2700,
// JSON: "name": "ip3",
// JSON: "nonzeros": 260,
// JSON: "total": {
// JSON-NEXT: "name": "total",
// JSON-NEXT: "kind": "total",
// JSON: "weights": 266200,
