//===- fuzz_pipeline.cpp - parse -> dc-compress -> dc-to-llvm -------------===//
//
// Input: one byte choosing the compression options, then MLIR text or
// bytecode. The module is parsed and verified, compressed with dc-compress
// and lowered with dc-to-llvm. Failing passes are fine (they diagnose);
// crashes, sanitizer reports and an invalid module after a successful
// pipeline are findings.
//
//===----------------------------------------------------------------------===//

#include "FuzzCheck.h"
#include "MlirFuzz.h"

#include "mlir/Pass/PassManager.h"
#include "mlir/Pass/PassRegistry.h"
#include "llvm/Support/raw_ostream.h"

static const char *const kPipelines[] = {
    "dc-compress,dc-to-llvm",
    "dc-compress{sparsity=0.5 bits=3 index-bits=2},dc-to-llvm",
    "dc-compress{sparsity=0.9 format=csr entropy=none},dc-to-llvm",
    "dc-compress{threshold=0.1 fc-bits=1 fc-index-bits=1},"
    "dc-to-llvm{vector-width=8}",
    "dc-to-llvm",
    "dc-decompress-constants",
};

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size < 1)
    return 0;
  const char *pipeline = kPipelines[data[0] % std::size(kPipelines)];
  auto ctx = dc::fuzz::makeContext();
  auto module = dc::fuzz::parseInput(data + 1, size - 1, *ctx);
  if (!module || mlir::failed(mlir::verify(*module)))
    return 0;
  std::string errors;
  llvm::raw_string_ostream os(errors);
  mlir::PassManager manager(ctx.get());
  DC_FUZZ_CHECK(mlir::succeeded(mlir::parsePassPipeline(pipeline, manager, os)),
                "a fixed pipeline does not parse");
  if (mlir::failed(manager.run(*module)))
    return 0;
  DC_FUZZ_CHECK(mlir::succeeded(mlir::verify(*module)),
                "the pipeline produced an invalid module");
  return 0;
}
