//===- MlirFuzz.h - Shared setup of the MLIR-level fuzz targets -*- C++ -*-===//
//
// One registry (every upstream dialect, as dc-opt has) and the passes and
// pipelines, registered once; each input gets a fresh single-threaded
// context whose diagnostics are swallowed (a diagnostic is a correct
// answer to bad input; only crashes, sanitizer reports and violated
// properties are findings). Inputs go through the same pre-checks as
// dc-opt (dc/Support/InputCheck.h) before the upstream parser sees them.
//
//===----------------------------------------------------------------------===//

#ifndef DC_FUZZ_MLIRFUZZ_H
#define DC_FUZZ_MLIRFUZZ_H

#include "dc/Register.h"
#include "dc/Support/InputCheck.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/DialectRegistry.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/IR/Verifier.h"
#include "mlir/InitAllDialects.h"
#include "mlir/InitAllExtensions.h"
#include "mlir/InitAllPasses.h"
#include "mlir/Parser/Parser.h"

#include <memory>
#include <string>

namespace dc {
namespace fuzz {

inline mlir::DialectRegistry &registry() {
  static mlir::DialectRegistry *r = [] {
    auto *reg = new mlir::DialectRegistry();
    mlir::registerAllDialects(*reg);
    mlir::registerAllExtensions(*reg);
    dc::registerDCDialect(*reg);
    mlir::registerAllPasses();
    dc::registerDCPasses();
    dc::registerDCPipelines();
    return reg;
  }();
  return *r;
}

inline std::unique_ptr<mlir::MLIRContext> makeContext() {
  auto ctx = std::make_unique<mlir::MLIRContext>(
      registry(), mlir::MLIRContext::Threading::DISABLED);
  ctx->getDiagEngine().registerHandler(
      [](mlir::Diagnostic &) { return mlir::success(); });
  return ctx;
}

/// Parses `data` (text or bytecode) as dc-opt would; null when rejected.
inline mlir::OwningOpRef<mlir::ModuleOp>
parseInput(const uint8_t *data, size_t size, mlir::MLIRContext &ctx) {
  llvm::StringRef input(reinterpret_cast<const char *>(data), size);
  std::string why;
  if (!dc::checkInput(input, why))
    return nullptr;
  // The parser wants a NUL-terminated buffer.
  std::string copy(input);
  mlir::ParserConfig config(&ctx);
  return mlir::parseSourceString<mlir::ModuleOp>(copy, config);
}

} // namespace fuzz
} // namespace dc

#endif // DC_FUZZ_MLIRFUZZ_H
