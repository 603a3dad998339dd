//===- ClusterForPipeline.h - dc-cluster inside dc-compress -----*- C++ -*-===//
//
// dc-compress hands its `report` option only to its last pass, so that the
// report is written once. The clustering errors of the report
// (rel_error, rel_error_linear) can only be measured while clustering;
// this variant of dc-cluster takes the pipeline's `report` option to know
// that a report is wanted, records the errors on each compressed constant
// (`dc.quantization`) and leaves writing the report to the last pass.
//
//===----------------------------------------------------------------------===//

#ifndef DC_TRANSFORMS_CLUSTERFORPIPELINE_H
#define DC_TRANSFORMS_CLUSTERFORPIPELINE_H

#include "mlir/Pass/Pass.h"

#include <memory>

namespace dc {
std::unique_ptr<mlir::Pass> createDCClusterForPipeline();
} // namespace dc

#endif // DC_TRANSFORMS_CLUSTERFORPIPELINE_H
