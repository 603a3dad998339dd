//===- Pipelines.h - dc pass pipelines --------------------------*- C++ -*-===//

#ifndef DC_PIPELINES_PIPELINES_H
#define DC_PIPELINES_PIPELINES_H

#include "dc/Transforms/CompressConfig.h"

#include "mlir/Pass/PassOptions.h"
#include "mlir/Support/LLVM.h"

namespace dc {
/// Parses the option string of pipeline `name` into `options`: an unknown
/// option names the pipeline and the nearest option, a malformed value (of
/// the kind `kindOf` gives) the option; every message starts with "NAME: ".
mlir::LogicalResult parsePipelineOptions(
    llvm::StringRef name, mlir::detail::PassOptions &options,
    llvm::StringRef optionString,
    llvm::function_ref<OptionValueKind(llvm::StringRef)> kindOf,
    llvm::function_ref<mlir::LogicalResult(const llvm::Twine &)> errorHandler);

/// Registers `dc-compress` (prune, cluster, sparse-encode, Huffman).
void registerCompressPipeline();
/// Registers `dc-to-llvm` (compressed model to the LLVM dialect).
void registerToLLVMPipeline();
} // namespace dc

#endif // DC_PIPELINES_PIPELINES_H
