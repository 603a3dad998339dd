//===- fuzz_ir_text.cpp - The dc IR text parser and verifier --------------===//
//
// Input: MLIR text (seeds: the lit tests). Parse, verify, print in generic
// form and parse that again: never a crash; a module that verifies prints
// to text that parses and verifies again.
//
//===----------------------------------------------------------------------===//

#include "FuzzCheck.h"
#include "MlirFuzz.h"

#include "mlir/IR/OperationSupport.h"
#include "llvm/Support/raw_ostream.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  auto ctx = dc::fuzz::makeContext();
  auto module = dc::fuzz::parseInput(data, size, *ctx);
  if (!module || mlir::failed(mlir::verify(*module)))
    return 0;
  std::string text;
  llvm::raw_string_ostream os(text);
  module->print(os, mlir::OpPrintingFlags().printGenericOpForm());
  auto again = mlir::parseSourceString<mlir::ModuleOp>(text, ctx.get());
  DC_FUZZ_CHECK(again && mlir::succeeded(mlir::verify(*again)),
                "a verified module does not round-trip through generic text");
  return 0;
}
