//===- dc-lsp-server.cpp - MLIR language server that knows dc -------------===//

#include "dc/Register.h"

#include "mlir/IR/DialectRegistry.h"
#include "mlir/InitAllDialects.h"
#include "mlir/InitAllExtensions.h"
#include "mlir/Tools/mlir-lsp-server/MlirLspServerMain.h"

int main(int argc, char **argv) {
  mlir::DialectRegistry registry;
  mlir::registerAllDialects(registry);
  mlir::registerAllExtensions(registry);
  dc::registerDCDialect(registry);
  return mlir::failed(mlir::MlirLspServerMain(argc, argv, registry));
}
