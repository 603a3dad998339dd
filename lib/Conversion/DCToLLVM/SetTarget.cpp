//===- SetTarget.cpp - Target CPU and features of LLVM-dialect code -------===//

#include "dc/Conversion/Passes.h"

#include "mlir/Dialect/LLVMIR/LLVMAttrs.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/IR/BuiltinOps.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/TargetParser/Host.h"

namespace dc {
#define GEN_PASS_DEF_DCSETTARGET
#include "dc/Conversion/Passes.h.inc"
} // namespace dc

using namespace mlir;

namespace {
struct DCSetTargetPass : dc::impl::DCSetTargetBase<DCSetTargetPass> {
  using Base::Base;
  void runOnOperation() override;
};
} // namespace

void DCSetTargetPass::runOnOperation() {
  if (targetCpu.empty())
    return;
  ModuleOp module = getOperation();
  MLIRContext *ctx = &getContext();
  std::string cpu = targetCpu;
  LLVM::TargetFeaturesAttr features;
  if (cpu == "host") {
    cpu = llvm::sys::getHostCPUName().str();
    SmallVector<std::string> names;
    for (const auto &feature : llvm::sys::getHostCPUFeatures())
      if (feature.getValue())
        names.push_back("+" + feature.getKey().str());
    llvm::sort(names);
    SmallVector<StringRef> refs(names.begin(), names.end());
    features = LLVM::TargetFeaturesAttr::get(ctx, refs);
    module->setAttr(LLVM::LLVMDialect::getTargetTripleAttrName(),
                    StringAttr::get(ctx, llvm::sys::getProcessTriple()));
  }
  StringAttr cpuAttr = StringAttr::get(ctx, cpu);
  module.walk([&](LLVM::LLVMFuncOp func) {
    if (func.isExternal())
      return;
    func.setTargetCpuAttr(cpuAttr);
    if (features)
      func.setTargetFeaturesAttr(features);
  });
}
