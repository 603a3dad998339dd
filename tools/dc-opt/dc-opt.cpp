//===- dc-opt.cpp - mlir-opt with the dc dialect and passes ---------------===//
//
// MlirOptMain, except that the input goes through dc's input checks
// (dc/Support/InputCheck.h) before the upstream readers see it: malformed
// bytecode framing, resource headers or absurd nesting give an error
// instead of an abort, and everything runs on a thread with a large stack.
// What the checks cannot see (counts inside the bytecode IR section, some
// custom parsers' error paths) can still crash the upstream readers: such a
// crash is caught and reported as an error naming the input, with exit code
// 1 and no output file (docs/Robustness.md, "What remains upstream").
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
#include "llvm/Support/CrashRecoveryContext.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Process.h"
#include "llvm/Support/ToolOutputFile.h"
#include "llvm/Support/thread.h"

#include <cstring>

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
  // The stack dump of a crash still prints (it is what a bug report needs);
  // the recovery only replaces the signal's exit by an error and status 1.
  llvm::CrashRecoveryContext::Enable();
  llvm::CrashRecoveryContext crc;
  crc.DumpStackAndCleanupOnFailure = true;
  mlir::LogicalResult result = mlir::failure();
  if (!crc.RunSafely([&] {
        result =
            mlir::MlirOptMain(output->os(), std::move(input), registry, config);
      })) {
    llvm::errs() << inputFilename << ": error: dc-opt stopped on a crash "
                 << "(" << strsignal(crc.RetCode - 128)
                 << ") while reading or compiling this input; no output was "
                    "written. Malformed input that still crashes the upstream "
                    "MLIR readers is listed in docs/Robustness.md.\n";
    // The crashed code's state (locks, the MLIRContext) is not unwound:
    // leave without running destructors.
    llvm::sys::Process::Exit(1, /*NoCleanup=*/true);
  }
  if (mlir::failed(result))
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
