//===- Pipeline.cpp - Kernel passes of dc-to-llvm -------------------------===//

#include "dc/Conversion/KernelPasses.h"

void dc::addKernelPasses(mlir::OpPassManager &pm,
                         const KernelOptions &options) {
  DCLowerComputeOptions lower;
  lower.targetCpu = options.targetCpu;
  lower.vectorWidth = options.vectorWidth;
  lower.threads = options.threads;
  lower.stats = options.stats;
  pm.addPass(createDCLowerCompute(lower));
}
