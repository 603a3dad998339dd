//===- Compile.cpp - C interface of dc ------------------------------------===//
//
// dcCompile (dc-c/Compile.h) wraps the C++ API: MLIR's own C API exists here
// only as static archives, which would put a second copy of MLIR's IR
// libraries beside libMLIR.so (duplicate TypeIDs).
//
//===----------------------------------------------------------------------===//

#include "dc-c/Compile.h"

#include "dc/Register.h"
#include "dc/Support/InputCheck.h"
#include "dc/Transforms/StorageReport.h"

#include "mlir/Bytecode/BytecodeWriter.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/DialectRegistry.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/IR/Verifier.h"
#include "mlir/InitAllDialects.h"
#include "mlir/InitAllExtensions.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Pass/PassRegistry.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/raw_ostream.h"

#include <cstdlib>
#include <cstring>
#include <mutex>

using namespace mlir;

/// Pass and pipeline registration is global (and not thread-safe): once.
static void registerOnce() {
  static std::once_flag once;
  std::call_once(once, [] {
    dc::registerDCPasses();
    dc::registerDCPipelines();
  });
}

/// A malloc'ed NUL-terminated copy of `s` (NULL if out of memory).
static char *copyBuffer(StringRef s, size_t &size) {
  char *buffer = static_cast<char *>(std::malloc(s.size() + 1));
  if (!buffer) {
    size = 0;
    return nullptr;
  }
  std::memcpy(buffer, s.data(), s.size());
  buffer[s.size()] = '\0';
  size = s.size();
  return buffer;
}

namespace {
/// Fills a dcResult on every path out of dcCompile.
struct ResultBuilder {
  dcResult *out;
  std::string diagnostics;
  std::string report;
  bool hasReport = false;

  int finish(int status, StringRef output = {}) {
    if (status == DC_SUCCESS) {
      out->output = copyBuffer(output, out->outputSize);
      if (!out->output)
        status = DC_ERROR_OUTPUT;
    }
    if (hasReport)
      out->report = copyBuffer(report, out->reportSize);
    out->diagnostics = copyBuffer(diagnostics, out->diagnosticsSize);
    return status;
  }
};
} // namespace

extern "C" int dcCompile(const char *input, size_t inputSize,
                         const char *pipeline, int emitBytecode,
                         dcResult *out) {
  if (!out)
    return DC_ERROR_ARGUMENT;
  *out = dcResult{};
  ResultBuilder result{out, {}, {}, false};
  if (!input || !pipeline) {
    result.diagnostics = "dcCompile: input and pipeline must not be NULL\n";
    return result.finish(DC_ERROR_ARGUMENT);
  }
  registerOnce();

  DialectRegistry registry;
  registerAllDialects(registry);
  registerAllExtensions(registry);
  dc::registerDCDialect(registry);
  MLIRContext context(registry);

  // Diagnostics as mlir-opt prints them, into a string.
  llvm::raw_string_ostream diagnosticStream(result.diagnostics);
  llvm::SourceMgr sourceMgr;
  // The parser wants a NUL-terminated buffer: copy.
  sourceMgr.AddNewSourceBuffer(llvm::MemoryBuffer::getMemBufferCopy(
                                   StringRef(input, inputSize), "<input>"),
                               llvm::SMLoc());
  SourceMgrDiagnosticHandler diagnosticHandler(sourceMgr, &context,
                                               diagnosticStream);

  // Storage reports written during this compilation (report=FILE as JSON,
  // report=- as the table, which goes to the diagnostics).
  dc::ScopedStorageReportListener listener(
      &context, [&](StringRef text, bool isTable) {
        if (isTable) {
          result.diagnostics += text.str();
        } else {
          result.report = text.str();
          result.hasReport = true;
        }
      });

  // dc-opt's checks of bytecode framing, tables and resource headers first:
  // inputs the upstream readers would abort or overflow on are an error.
  std::string inputError;
  if (!dc::checkInput(StringRef(input, inputSize), inputError)) {
    result.diagnostics += "<input>: error: " + inputError + "\n";
    return result.finish(DC_ERROR_PARSE);
  }
  OwningOpRef<ModuleOp> module =
      parseSourceFile<ModuleOp>(sourceMgr, ParserConfig(&context));
  if (!module)
    return result.finish(DC_ERROR_PARSE);

  // The overload that returns the pass manager takes `builtin.module(...)`
  // as the anchor (the other one would nest it under the module).
  std::string pipelineErrors;
  llvm::raw_string_ostream pipelineStream(pipelineErrors);
  FailureOr<OpPassManager> parsed =
      parsePassPipeline(pipeline, pipelineStream);
  if (succeeded(parsed) && parsed->getOpAnchorName() != "builtin.module") {
    pipelineStream << "the pipeline must be anchored on builtin.module, got '"
                   << parsed->getOpAnchorName() << "'";
    parsed = failure();
  }
  if (failed(parsed)) {
    result.diagnostics += pipelineErrors;
    if (pipelineErrors.empty() || pipelineErrors.back() != '\n')
      result.diagnostics += "\n";
    return result.finish(DC_ERROR_PIPELINE);
  }
  PassManager pm(&context);
  static_cast<OpPassManager &>(pm) = std::move(*parsed);
  if (failed(pm.run(*module)))
    return result.finish(DC_ERROR_PASS);

  std::string output;
  llvm::raw_string_ostream outputStream(output);
  if (emitBytecode) {
    if (failed(writeBytecodeToFile(*module, outputStream)))
      return result.finish(DC_ERROR_OUTPUT);
  } else {
    module->print(outputStream);
  }
  return result.finish(DC_SUCCESS, output);
}

extern "C" void dcResultFree(dcResult *result) {
  if (!result)
    return;
  std::free(result->output);
  std::free(result->report);
  std::free(result->diagnostics);
  *result = dcResult{};
}
