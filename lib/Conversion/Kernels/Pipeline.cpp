//===- Pipeline.cpp - Kernel passes of dc-to-llvm -------------------------===//

#include "dc/Conversion/KernelPasses.h"

void dc::addKernelPasses(mlir::OpPassManager &pm,
                         const KernelOptions &options) {
  (void)pm;
  (void)options;
}
