//===- dc-opt.cpp - mlir-opt with the dc dialect and passes ---------------===//

#include "dc/Register.h"

#include "mlir/IR/DialectRegistry.h"
#include "mlir/InitAllDialects.h"
#include "mlir/InitAllExtensions.h"
#include "mlir/InitAllPasses.h"
#include "mlir/Tools/mlir-opt/MlirOptMain.h"

int main(int argc, char **argv) {
  mlir::registerAllPasses();
  dc::registerDCPasses();
  dc::registerDCPipelines();

  mlir::DialectRegistry registry;
  mlir::registerAllDialects(registry);
  mlir::registerAllExtensions(registry);
  dc::registerDCDialect(registry);
  return mlir::asMainReturnCode(mlir::MlirOptMain(
      argc, argv, "dc optimizer driver: Deep Compression for MLIR\n",
      registry));
}
