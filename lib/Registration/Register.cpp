//===- Register.cpp - Register dc with an MLIR tool -----------------------===//

#include "dc/Register.h"
#include "dc/Conversion/GluePasses.h"
#include "dc/Conversion/KernelPasses.h"
#include "dc/Conversion/Passes.h"
#include "dc/Dialect/DC/DC.h"
#include "dc/Pipelines/Pipelines.h"
#include "dc/Transforms/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/IR/DialectRegistry.h"

void dc::registerDCDialect(mlir::DialectRegistry &registry) {
  registry.insert<dc::DCDialect, mlir::arith::ArithDialect>();
}

void dc::registerDCPasses() {
  registerDCTransformsPasses();
  registerDCConversionPasses();
  registerDCKernelsPasses();
  registerDCGluePasses();
}

void dc::registerDCPipelines() {
  registerCompressPipeline();
  registerToLLVMPipeline();
}
