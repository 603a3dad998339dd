//===- consumer.cpp - An out-of-tree compiler that links dc ---------------===//
//
// Built against an installed dc (find_package(DeepCompression)): parses a
// model, runs dc-compress and dc-to-llvm from C++ and checks each result.
// Exit code 0 and "consumer: ok" on success.
//
//===----------------------------------------------------------------------===//

#include "dc/Register.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/DialectRegistry.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Pass/PassRegistry.h"
#include "llvm/Support/raw_ostream.h"

using namespace mlir;

// An 8x8 fully connected layer.
static const char *kModel = R"mlir(
func.func @forward(%x: tensor<8xf32>) -> tensor<8xf32> attributes {llvm.emit_c_interface} {
  %w = arith.constant {dc.layer = "fc1"} dense<[
    [0.9, -0.1, 0.3, 0.0, -0.7, 0.2, 0.05, -0.4],
    [0.1, 0.8, -0.2, 0.6, 0.0, -0.3, 0.7, 0.01],
    [-0.5, 0.2, 0.9, -0.1, 0.3, 0.0, -0.6, 0.4],
    [0.0, -0.9, 0.1, 0.5, -0.2, 0.8, 0.0, -0.3],
    [0.6, 0.0, -0.4, 0.2, 0.9, -0.1, 0.3, 0.0],
    [-0.2, 0.7, 0.0, -0.8, 0.1, 0.5, -0.1, 0.6],
    [0.3, -0.3, 0.6, 0.0, -0.5, 0.2, 0.9, -0.7],
    [0.0, 0.4, -0.7, 0.3, 0.0, -0.6, 0.2, 0.8]]> : tensor<8x8xf32>
  %init = arith.constant dense<0.0> : tensor<8xf32>
  %y = linalg.matvec ins(%w, %x : tensor<8x8xf32>, tensor<8xf32>)
                     outs(%init : tensor<8xf32>) -> tensor<8xf32>
  return %y : tensor<8xf32>
}
)mlir";

static unsigned countOps(ModuleOp module, StringRef name) {
  unsigned n = 0;
  module.walk([&](Operation *op) { n += op->getName().getStringRef() == name; });
  return n;
}

static bool runPipeline(ModuleOp module, StringRef pipeline) {
  // The overload that returns the pass manager takes `builtin.module(...)`
  // as the anchor (the other one would nest it under the module).
  FailureOr<OpPassManager> parsed = parsePassPipeline(pipeline, llvm::errs());
  if (failed(parsed)) {
    llvm::errs() << "consumer: cannot parse pipeline '" << pipeline << "'\n";
    return false;
  }
  PassManager pm(module->getContext());
  static_cast<OpPassManager &>(pm) = std::move(*parsed);
  if (failed(pm.run(module))) {
    llvm::errs() << "consumer: pipeline '" << pipeline << "' failed\n";
    return false;
  }
  return true;
}

int main() {
  // The user's own dialects, then dc's.
  DialectRegistry registry;
  registry.insert<func::FuncDialect, linalg::LinalgDialect,
                  tensor::TensorDialect>();
  dc::registerDCDialect(registry);
  dc::registerDCPasses();
  dc::registerDCPipelines();

  MLIRContext context(registry);
  OwningOpRef<ModuleOp> module =
      parseSourceString<ModuleOp>(kModel, ParserConfig(&context));
  if (!module) {
    llvm::errs() << "consumer: cannot parse the model\n";
    return 1;
  }

  if (!runPipeline(*module,
                   "builtin.module(dc-compress{sparsity=0.5 bits=3})"))
    return 1;
  unsigned constants = countOps(*module, "dc.constant");
  if (constants != 1 || countOps(*module, "linalg.matvec") != 1) {
    llvm::errs() << "consumer: expected one dc.constant feeding the matvec "
                    "after dc-compress, got "
                 << constants << "\n";
    module->print(llvm::errs());
    return 1;
  }

  if (!runPipeline(*module, "builtin.module(dc-to-llvm{target-cpu=x86-64})"))
    return 1;
  unsigned llvmFuncs = countOps(*module, "llvm.func");
  unsigned left = 0;
  module->walk([&](Operation *op) {
    StringRef ns = op->getDialect() ? op->getDialect()->getNamespace() : "";
    left += ns != "llvm" && !isa<ModuleOp>(op);
  });
  if (llvmFuncs == 0 || left != 0) {
    llvm::errs() << "consumer: after dc-to-llvm: " << llvmFuncs
                 << " llvm.func, " << left << " ops outside the llvm dialect\n";
    module->print(llvm::errs());
    return 1;
  }
  llvm::outs() << "consumer: ok (" << constants << " dc.constant, "
               << llvmFuncs << " llvm.func)\n";
  return 0;
}
