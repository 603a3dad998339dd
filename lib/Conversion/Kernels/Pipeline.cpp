//===- Pipeline.cpp - Kernel passes of dc-to-llvm -------------------------===//

#include "dc/Conversion/KernelPasses.h"

void dc::addKernelPasses(mlir::OpPassManager &pm,
                         const KernelOptions &options) {
  DCChooseLayoutOptions choose;
  choose.targetCpu = options.targetCpu;
  choose.vectorWidth = options.vectorWidth;
  choose.layout = options.layout;
  choose.maxRuntimeRatio = options.maxRuntimeRatio;
  pm.addPass(createDCChooseLayout(choose));
  DCLowerComputeOptions lower;
  lower.targetCpu = options.targetCpu;
  lower.vectorWidth = options.vectorWidth;
  lower.threads = options.threads;
  lower.stats = options.stats;
  lower.layout = options.layout;
  lower.maxRuntimeRatio = options.maxRuntimeRatio;
  pm.addPass(createDCLowerCompute(lower));
}
