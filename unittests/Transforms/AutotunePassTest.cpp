//===- AutotunePassTest.cpp - dc-autotune created from C++ ----------------===//
//
// A compiler that embeds dc creates the pass from C++, where no textual
// option parsing runs: the pass itself must refuse a missing or invalid
// `max-rel-error` with a diagnostic instead of searching with garbage.
//
//===----------------------------------------------------------------------===//

#include "dc/Transforms/Passes.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Pass/PassManager.h"

#include <gtest/gtest.h>

using namespace mlir;

namespace {

/// Runs `pass` on an empty module; returns the diagnostics it emitted.
std::string runOnEmptyModule(std::unique_ptr<Pass> pass, bool &failed) {
  MLIRContext context;
  context.loadDialect<func::FuncDialect>();
  std::string messages;
  ScopedDiagnosticHandler handler(&context, [&](Diagnostic &diag) {
    messages += diag.str() + "\n";
    return success();
  });
  OwningOpRef<ModuleOp> module = ModuleOp::create(UnknownLoc::get(&context));
  PassManager pm(&context);
  pm.addPass(std::move(pass));
  failed = mlir::failed(pm.run(*module));
  return messages;
}

TEST(AutotunePass, RequiresMaxRelErrorWhenCreatedFromCpp) {
  bool failed = false;
  std::string messages = runOnEmptyModule(dc::createDCAutotune(), failed);
  EXPECT_TRUE(failed);
  EXPECT_NE(messages.find("dc-autotune: option 'max-rel-error' is required"),
            std::string::npos)
      << messages;
}

TEST(AutotunePass, RejectsANonPositiveBudgetWhenCreatedFromCpp) {
  dc::DCAutotuneOptions options;
  options.maxRelError = -0.5;
  bool failed = false;
  std::string messages =
      runOnEmptyModule(dc::createDCAutotune(options), failed);
  EXPECT_TRUE(failed);
  EXPECT_NE(messages.find("dc-autotune: option 'max-rel-error' must be a "
                          "finite number > 0, got -0.5"),
            std::string::npos)
      << messages;
}

TEST(AutotunePass, AcceptsAValidBudgetOnAModuleWithoutLayers) {
  dc::DCAutotuneOptions options;
  options.maxRelError = 0.1;
  bool failed = true;
  std::string messages =
      runOnEmptyModule(dc::createDCAutotune(options), failed);
  EXPECT_FALSE(failed) << messages;
}

} // namespace
