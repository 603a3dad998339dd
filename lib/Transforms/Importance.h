//===- Importance.h - Per-weight importance and clustering error -*- C++
//-*-===//
//
// Private to lib/Transforms. A `dc.importance` attribute on a layer's weight
// constant (f32 dense or dense_resource of the weight's shape, >= 0, e.g.
// squared gradients from calibration data) weights that layer's k-means
// objective. dc-cluster records the relative quantization error of the
// chosen initialization and of linear initialization in `dc.quantization`
// when a report is written.
//
//===----------------------------------------------------------------------===//

#ifndef DC_LIB_TRANSFORMS_IMPORTANCE_H
#define DC_LIB_TRANSFORMS_IMPORTANCE_H

#include "dc/Core/FastEncode.h"
#include "dc/Core/KMeans.h"
#include "dc/Transforms/CompressConfig.h"

#include "mlir/IR/Operation.h"
#include "llvm/ADT/StringRef.h"

#include <string>
#include <vector>

namespace dc {

/// Name of the importance attribute.
constexpr llvm::StringLiteral kImportanceAttr = "dc.importance";
/// Name of the attribute holding the clustering errors for the report.
constexpr llvm::StringLiteral kQuantizationAttr = "dc.quantization";

/// Reads and validates the `dc.importance` of `constant` (a layer weight of
/// `numElements` elements and static shape `shape`). Empty `importance`
/// when absent. Returns "" or an error message naming `layerName`. Values
/// below 1e-6 of the mean are raised to it (a zero weight still belongs to
/// some cluster; the mean of a cluster needs positive weight).
std::string readImportance(mlir::Operation *constant, llvm::StringRef layerName,
                           std::vector<float> &importance);

/// The sorted sample of the nonzero weights of `w`, weighted by the
/// matching entries of `importance` when it is not empty.
SortedSample survivorSample(llvm::ArrayRef<float> w,
                            const std::vector<float> &importance);

/// Squared errors of one layer's clustering (of its survivors; pruned
/// weights are exact zeros in the codebook).
struct QuantizationStats {
  double squaredNorm = 0;        // sum of w^2 over the layer.
  double squaredError = 0;       // Under the chosen initialization.
  double squaredErrorLinear = 0; // Under linear initialization.
};

/// dc-cluster's work on one layer: k-means (weighted by `importance` when
/// not empty) over the nonzeros of `w`, encoded as dense codebook indices
/// with entry 0 = 0.0. With `stats`, also measures the clustering error of
/// the chosen and of linear initialization. Returns "" or an error.
std::string clusterLayer(llvm::ArrayRef<float> w,
                         const std::vector<int64_t> &shape,
                         const LayerConfig &config,
                         const std::vector<float> &importance,
                         CompressedTensor &result, QuantizationStats *stats,
                         const ParallelFor &pfor,
                         mlir::Type elementType = {});

} // namespace dc

#endif // DC_LIB_TRANSFORMS_IMPORTANCE_H
