//===- KernelPasses.h - dc compute kernels ----------------------*- C++ -*-===//

#ifndef DC_CONVERSION_KERNELPASSES_H
#define DC_CONVERSION_KERNELPASSES_H

#include "dc/Dialect/DC/DC.h"
#include "mlir/Pass/Pass.h"
#include "mlir/Pass/PassManager.h"

namespace mlir {
class RewritePatternSet;
} // namespace mlir

#include <string>

namespace dc {
/// Options of the compute-kernel lowering (projected from `dc-to-llvm`).
struct KernelOptions {
  std::string targetCpu = "host";
  unsigned vectorWidth = 0; // 0: from the target.
  unsigned threads = 1;
  bool stats = false; // Per-layer layout statistics on stderr.
  std::string layout = "auto"; // auto, sparse, dense-code, tiles
  double maxRuntimeRatio = 2.0; // run-time bytes <= R x bytes_pq (auto)
};

/// Adds the passes that lower dc compute ops to kernels: dc-choose-layout
/// (writes each op's dc.layout), then dc-lower-compute; `dc-to-llvm` runs
/// them right after one-shot-bufferize, on their memref form
/// (dc-rewrite-contractions, which creates them, runs first).
void addKernelPasses(mlir::OpPassManager &pm, const KernelOptions &options);

/// Patterns rewriting contractions (matmul / batch_matmul with any indexing
/// maps, matvec, vecmat, contraction generics) whose weight is a compressed
/// constant, possibly reached through a weight chain, into one dc.matvec /
/// dc.matmul each (RewriteContractions.cpp).
void populateContractionRewritePatterns(mlir::RewritePatternSet &patterns);

#define GEN_PASS_DECL
#include "dc/Conversion/KernelPasses.h.inc"

#define GEN_PASS_REGISTRATION
#include "dc/Conversion/KernelPasses.h.inc"
} // namespace dc

#endif // DC_CONVERSION_KERNELPASSES_H
