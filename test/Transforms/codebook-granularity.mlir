// codebook=layer|channel|group:G: one k-means codebook per layer, per output
// channel (row of the weight's matrix view) or per G channels; the report
// counts every codebook and shows the granularity.
// RUN: dc-opt %s -split-input-file --dc-cluster="bits=2 codebook=channel" | FileCheck %s --check-prefix=CH
// RUN: dc-opt %s -split-input-file --dc-compress="bits=2 codebook=group:2 report=%t.json" > /dev/null
// RUN: FileCheck %s --check-prefix=JSON < %t.json
// RUN: dc-opt %s -split-input-file --dc-compress="bits=2 codebook=channel report=-" 2>&1 >/dev/null | FileCheck %s --check-prefix=TABLE
// RUN: dc-opt %s -split-input-file --dc-compress="bits=2" | FileCheck %s --check-prefix=LAYER
// Every initialization and dc.importance work per group: per-row values
// this far apart get exact codebooks whatever the init.
// RUN: dc-opt %s -split-input-file --dc-compress="bits=2 codebook=channel init=density" --dc-decompress-constants | FileCheck %s --check-prefix=EXACT
// RUN: dc-opt %s -split-input-file --dc-compress="bits=2 codebook=channel init=random seed=3" --dc-decompress-constants | FileCheck %s --check-prefix=EXACT
// RUN: dc-opt %s -split-input-file --dc-compress="bits=2 codebook=channel init=kmeans++" --dc-decompress-constants | FileCheck %s --check-prefix=EXACT
// RUN: dc-opt %s -split-input-file --dc-compress="bits=2 codebook=channel init=optimal" --dc-decompress-constants | FileCheck %s --check-prefix=EXACT
// RUN: dc-opt %s -split-input-file --dc-compress="bits=2 codebook=channel" --dc-decompress-constants | FileCheck %s --check-prefix=EXACT

// Four rows, three distinct values each, on scales 1 to 1000: with 3
// centroids per channel every weight is exact; one 3-centroid layer codebook
// cannot be.
// CH-LABEL: func @fc
// CH: dc.constant {codebook = dense<{{\[}}[0.000000e+00, 1.000000e+00, 2.000000e+00, 3.000000e+00], [0.000000e+00, 1.000000e+01, 2.000000e+01, 3.000000e+01], [0.000000e+00, 1.000000e+02, 2.000000e+02, 3.000000e+02], [0.000000e+00, -3.000000e+03, -2.000000e+03, -1.000000e+03]]> : tensor<4x4xf32>
// CH-SAME: #dc.encoding<format = dense, bits = 2, codebook_rows = 1>
// The report file is the last split's: layer b in one group of 2 rows
// (6 values, 3 centroids), a with its dc.config's layer codebook.
// JSON: "name": "a",
// JSON: "codebook": "layer",
// JSON: "name": "b",
// JSON: "codebook_entries": 4,
// JSON-NEXT: "codebook": "group:2",
// JSON-NEXT: "codebooks": 1,
// JSON: "total":
// JSON: "codebook": "mixed",
// TABLE: codebook fc1 {{ *}}channel: 4 codebooks, 16 entries, 64 bytes
// LAYER-NOT: codebook_rows
// LAYER: tensor<4xf32>
// EXACT-LABEL: func @fc
// EXACT: arith.constant {{.*}}dense<{{\[}}[1.000000e+00, 2.000000e+00, 3.000000e+00, 1.000000e+00, 2.000000e+00, 3.000000e+00], [1.000000e+01, 2.000000e+01, 3.000000e+01, 1.000000e+01, 2.000000e+01, 3.000000e+01], [1.000000e+02, 2.000000e+02, 3.000000e+02, 1.000000e+02, 2.000000e+02, 3.000000e+02], [-1.000000e+03, -2.000000e+03, -3.000000e+03, -1.000000e+03, -2.000000e+03, -3.000000e+03]]> : tensor<4x6xf32>
func.func @fc(%x: tensor<6xf32>) -> tensor<4xf32> {
  %w = arith.constant {dc.layer = "fc1"} dense<[[1.0, 2.0, 3.0, 1.0, 2.0, 3.0], [10.0, 20.0, 30.0, 10.0, 20.0, 30.0], [100.0, 200.0, 300.0, 100.0, 200.0, 300.0], [-1000.0, -2000.0, -3000.0, -1000.0, -2000.0, -3000.0]]> : tensor<4x6xf32>
  %i = tensor.empty() : tensor<4xf32>
  %y = linalg.matvec ins(%w, %x : tensor<4x6xf32>, tensor<6xf32>) outs(%i : tensor<4xf32>) -> tensor<4xf32>
  return %y : tensor<4xf32>
}

// -----

// dc.config's `codebook` overrides the option; with dc.importance the
// weighted k-means runs per channel too.
// CH-LABEL: func @config
// CH: dc.constant {codebook = dense<[0.000000e+00, {{.*}}]> : tensor<4xf32>
// CH-NOT: codebook_rows
// CH: dc.constant {codebook = {{.*}} : tensor<2x4xf32>
// CH-SAME: codebook_rows = 1
// EXACT-LABEL: func @config
func.func @config(%x: tensor<3xf32>) -> (tensor<2xf32>, tensor<2xf32>) {
  %a = arith.constant {dc.layer = "a", dc.config = {codebook = "layer"}} dense<[[1.0, 2.0, 3.0], [10.0, 20.0, 30.0]]> : tensor<2x3xf32>
  %b = arith.constant {dc.layer = "b", dc.importance = dense<[[1.0, 1.0, 5.0], [1.0, 2.0, 1.0]]> : tensor<2x3xf32>} dense<[[1.0, 2.0, 3.0], [10.0, 20.0, 30.0]]> : tensor<2x3xf32>
  %i = tensor.empty() : tensor<2xf32>
  %y = linalg.matvec ins(%a, %x : tensor<2x3xf32>, tensor<3xf32>) outs(%i : tensor<2xf32>) -> tensor<2xf32>
  %z = linalg.matvec ins(%b, %x : tensor<2x3xf32>, tensor<3xf32>) outs(%i : tensor<2xf32>) -> tensor<2xf32>
  return %y, %z : tensor<2xf32>, tensor<2xf32>
}
