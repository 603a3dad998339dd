//===- dc-opt.cpp - mlir-opt with the dc dialect and passes ---------------===//
//
// MlirOptMain, except that the input goes through dc's input checks
// (dc/Support/InputCheck.h) before the upstream readers see it: malformed
// bytecode framing, resource headers or absurd nesting give an error
// instead of an abort, and everything runs on a thread with a large stack.
//
//===----------------------------------------------------------------------===//

#include "dc/Register.h"
#include "dc/Support/InputCheck.h"

#include "mlir/IR/DialectRegistry.h"
#include "mlir/InitAllDialects.h"
#include "mlir/InitAllExtensions.h"
#include "mlir/InitAllPasses.h"
#include "mlir/Support/FileUtilities.h"
#include "mlir/Tools/mlir-opt/MlirOptMain.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/ToolOutputFile.h"
#include "llvm/Support/thread.h"

static int run(int argc, char **argv) {
  mlir::registerAllPasses();
  dc::registerDCPasses();
  dc::registerDCPipelines();

  mlir::DialectRegistry registry;
  mlir::registerAllDialects(registry);
  mlir::registerAllExtensions(registry);
  dc::registerDCDialect(registry);
  auto [inputFilename, outputFilename] = mlir::registerAndParseCLIOptions(
      argc, argv, "dc optimizer driver: Deep Compression for MLIR\n",
      registry);
  mlir::MlirOptMainConfig config = mlir::MlirOptMainConfig::createFromCLOptions();
  if (config.shouldShowDialects() || config.shouldListPasses())
    return mlir::asMainReturnCode(
        mlir::MlirOptMain(argc, argv, inputFilename, outputFilename, registry));

  std::string error;
  std::unique_ptr<llvm::MemoryBuffer> input =
      mlir::openInputFile(inputFilename, &error);
  if (!input) {
    llvm::errs() << error << "\n";
    return 1;
  }
  if (!dc::checkInput(input->getBuffer(), error)) {
    llvm::errs() << inputFilename << ": error: " << error << "\n";
    return 1;
  }
  std::unique_ptr<llvm::ToolOutputFile> output =
      mlir::openOutputFile(outputFilename, &error);
  if (!output) {
    llvm::errs() << error << "\n";
    return 1;
  }
  if (mlir::failed(
          mlir::MlirOptMain(output->os(), std::move(input), registry, config)))
    return 1;
  output->keep();
  return 0;
}

int main(int argc, char **argv) {
  llvm::InitLLVM initLLVM(argc, argv);
  // The upstream parser, verifier and walks recurse once per nesting level:
  // run on a thread with a large stack (dc/Support/InputCheck.h), so that
  // deeply nested input (10,000 levels) works or fails with a diagnostic.
  int result = 1;
  llvm::thread worker(std::optional<unsigned>(dc::kParserStackBytes),
                      [&] { result = run(argc, argv); });
  worker.join();
  return result;
}
