//===- Plugin.cpp - dc as a plugin of stock mlir-opt ----------------------===//
//
// mlir-opt --load-dialect-plugin=DCPlugin.so --load-pass-plugin=DCPlugin.so
//
//===----------------------------------------------------------------------===//

#include "dc/Register.h"

#include "mlir/Tools/Plugins/DialectPlugin.h"
#include "mlir/Tools/Plugins/PassPlugin.h"
#include "llvm/Config/llvm-config.h"

extern "C" LLVM_ATTRIBUTE_WEAK mlir::DialectPluginLibraryInfo
mlirGetDialectPluginInfo() {
  return {MLIR_PLUGIN_API_VERSION, "DC", LLVM_VERSION_STRING,
          [](mlir::DialectRegistry *registry) {
            dc::registerDCDialect(*registry);
          }};
}

extern "C" LLVM_ATTRIBUTE_WEAK mlir::PassPluginLibraryInfo
mlirGetPassPluginInfo() {
  return {MLIR_PLUGIN_API_VERSION, "DCPasses", LLVM_VERSION_STRING, []() {
            dc::registerDCPasses();
            dc::registerDCPipelines();
          }};
}
