//===- dc-opt.cpp - mlir-opt with the dc dialect and passes ---------------===//
//
// MlirOptMain, except that the input goes through dc's input checks
// (dc/Support/InputCheck.h) before the upstream readers see it: malformed
// bytecode framing, resource headers or absurd nesting give an error
// instead of an abort, and everything runs on a thread with a large stack
// (smaller under an address-space limit). Running out of memory is an error
// naming the input, not an abort.
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
#include "llvm/Support/ErrorHandling.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Process.h"
#include "llvm/Support/ToolOutputFile.h"

#include <algorithm>
#include <cstring>
#include <pthread.h>
#include <string>
#include <sys/resource.h>
#include <unistd.h>

namespace {
/// What the out-of-memory handler names and removes: set once the input is
/// open (until then the message names the tool), read from whichever thread
/// runs out of memory.
std::string inputName = "dc-opt";
std::string outputPath;

/// Running out of memory (an allocation failure under a memory or
/// address-space limit) ends dc-opt with an error naming the input and
/// status 1 instead of an abort and a stack dump, which would itself need
/// memory. Writes with write(2) only, removes the partial output, leaves
/// without unwinding (other threads hold the context's locks).
void reportOutOfMemory(void *, const char *reason, bool) {
  auto say = [](const char *text) {
    ssize_t ignored = ::write(2, text, strlen(text));
    (void)ignored;
  };
  say(inputName.c_str());
  say(": error: dc-opt ran out of memory (");
  say(reason ? reason : "allocation failed");
  say(") while reading or compiling this input; no output was written. "
      "Memory grows with the size of the module: see docs/Robustness.md, "
      "\"Scale\".\n");
  if (!outputPath.empty() && outputPath != "-")
    ::unlink(outputPath.c_str());
  ::_exit(1);
}

/// A stack size of at most kParserStackBytes and at most 1/`divisor` of the
/// current `resource` limit; `unlimited` when that limit is not set.
unsigned limitedStackBytes(int resource, unsigned divisor, unsigned unlimited) {
  struct rlimit limit;
  if (getrlimit(resource, &limit) != 0 || limit.rlim_cur == RLIM_INFINITY)
    return unlimited;
  return unsigned(std::min<uint64_t>(dc::kParserStackBytes,
                                     uint64_t(limit.rlim_cur) / divisor));
}
} // namespace

/// dc-opt on a stack of `stackBytes`, which bounds the nesting it accepts.
static int run(int argc, char **argv, unsigned stackBytes) {
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
  inputName = inputFilename;
  outputPath = outputFilename;
  if (!dc::checkInput(input->getBuffer(), error,
                      dc::maxTextNestingFor(stackBytes))) {
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
  llvm::install_bad_alloc_error_handler(reportOutOfMemory);
  // pthreads rather than llvm::thread, whose failure to start a thread is a
  // fatal error: without the room for its stack (a tight `ulimit -v`),
  // dc-opt runs on the main thread with the nesting limit of that stack.
  //
  // The worker's stack is reserved address space: under an address-space
  // limit (`ulimit -v`) it is a quarter of the limit, so that a limited
  // dc-opt still starts (the nesting check scales with it).
  struct Job {
    int argc;
    char **argv;
    unsigned stackBytes;
    int result = 1;
  } job{argc, argv,
        limitedStackBytes(RLIMIT_AS, /*divisor=*/4, dc::kParserStackBytes)};
  pthread_attr_t attributes;
  pthread_t worker;
  bool started = pthread_attr_init(&attributes) == 0 &&
                 pthread_attr_setstacksize(&attributes, job.stackBytes) == 0 &&
                 pthread_create(
                     &worker, &attributes,
                     [](void *arg) -> void * {
                       auto *job = static_cast<Job *>(arg);
                       job->result = run(job->argc, job->argv, job->stackBytes);
                       return nullptr;
                     },
                     &job) == 0;
  pthread_attr_destroy(&attributes);
  if (started) {
    pthread_join(worker, nullptr);
    return job.result;
  }
  return run(argc, argv,
             limitedStackBytes(RLIMIT_STACK, /*divisor=*/2, 4u << 20));
}
