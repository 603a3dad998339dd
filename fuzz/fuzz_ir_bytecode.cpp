//===- fuzz_ir_bytecode.cpp - The bytecode path ---------------------------===//
//
// Input: MLIR bytecode (seeds: the lit tests written as bytecode). dc-opt's
// pre-checks, then the upstream reader, then the verifier (dc.constant
// payloads arrive as resource blobs here); a verified module is written as
// bytecode again and must read back.
//
//===----------------------------------------------------------------------===//

#include "FuzzCheck.h"
#include "MlirFuzz.h"

#include "mlir/Bytecode/BytecodeWriter.h"
#include "llvm/Support/raw_ostream.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  auto ctx = dc::fuzz::makeContext();
  auto module = dc::fuzz::parseInput(data, size, *ctx);
  if (!module || mlir::failed(mlir::verify(*module)))
    return 0;
  std::string bytes;
  llvm::raw_string_ostream os(bytes);
  DC_FUZZ_CHECK(mlir::succeeded(mlir::writeBytecodeToFile(*module, os)),
                "writing bytecode failed");
  auto again = mlir::parseSourceString<mlir::ModuleOp>(bytes, ctx.get());
  DC_FUZZ_CHECK(again && mlir::succeeded(mlir::verify(*again)),
                "written bytecode does not read back");
  return 0;
}
