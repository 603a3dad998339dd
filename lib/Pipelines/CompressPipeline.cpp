//===- CompressPipeline.cpp - dc-compress ---------------------------------===//
//
// dc-prune, dc-cluster, dc-sparse-encode and dc-huffman in a row. The
// options are declared once (DCCompressOptions in Passes.td) and every pass
// takes all of them, so the pipeline hands its option string to each pass
// unchanged; only the last pass writes the storage report.
//
//===----------------------------------------------------------------------===//

#include "dc/Pipelines/Pipelines.h"
#include "dc/Transforms/ClusterForPipeline.h"
#include "dc/Transforms/Passes.h"

#include "mlir/Pass/PassManager.h"
#include "mlir/Pass/PassRegistry.h"

using namespace mlir;

static LogicalResult
buildCompressPipeline(OpPassManager &pm, StringRef options,
                      function_ref<LogicalResult(const Twine &)> errorHandler) {
  // The cluster pass sees `report` (to record the clustering errors) but
  // does not write it.
  std::unique_ptr<Pass> passes[] = {dc::createDCPrune(),
                                    dc::createDCClusterForPipeline(),
                                    dc::createDCSparseEncode(),
                                    dc::createDCHuffman()};
  for (auto [i, pass] : llvm::enumerate(passes)) {
    std::string passOptions = options.str();
    // A later occurrence of an option overrides an earlier one.
    if (i + 1 != std::size(passes) && i != 1)
      passOptions += " report=";
    if (failed(pass->initializeOptions(passOptions, errorHandler)))
      return failure();
    pm.addPass(std::move(pass));
  }
  return success();
}

void dc::registerCompressPipeline() {
  registerPassPipeline(
      "dc-compress",
      "Deep Compression of every layer: dc-prune, dc-cluster, "
      "dc-sparse-encode, dc-huffman (they all take the options of this "
      "pipeline; see dc-prune for the list)",
      buildCompressPipeline,
      [](function_ref<void(const mlir::detail::PassOptions &)>) {});
}
