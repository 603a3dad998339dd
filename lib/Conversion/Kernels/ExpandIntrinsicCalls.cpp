//===- ExpandIntrinsicCalls.cpp - placeholders -> llvm.call_intrinsic -----===//

#include "DenseCodeKernel.h"

#include "dc/Conversion/KernelPasses.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/IR/BuiltinOps.h"

namespace dc {
#define GEN_PASS_DEF_DCEXPANDINTRINSICCALLS
#include "dc/Conversion/KernelPasses.h.inc"
} // namespace dc

using namespace mlir;

namespace {
struct ExpandIntrinsicCallsPass
    : dc::impl::DCExpandIntrinsicCallsBase<ExpandIntrinsicCallsPass> {
  void runOnOperation() override {
    ModuleOp module = getOperation();
    SmallVector<func::FuncOp> decls;
    // Placeholder name -> intrinsic: one map lookup per call (a module
    // lookup per call made this pass quadratic in the number of layers).
    llvm::DenseMap<StringAttr, StringAttr> intrinsics;
    for (auto f : module.getOps<func::FuncOp>())
      if (auto name =
              f->getAttrOfType<StringAttr>(dc::kernels::kIntrinsicAttr)) {
        decls.push_back(f);
        intrinsics[f.getSymNameAttr()] = name;
      }
    if (decls.empty())
      return;
    bool failedCall = false;
    module.walk([&](func::CallOp call) {
      StringAttr name = intrinsics.lookup(call.getCalleeAttr().getAttr());
      if (!name)
        return;
      if (call.getNumResults() != 1) {
        call.emitOpError("intrinsic placeholder call must have one result");
        failedCall = true;
        return;
      }
      OpBuilder b(call);
      auto op = LLVM::CallIntrinsicOp::create(b, call.getLoc(),
                                              call.getResult(0).getType(), name,
                                              call.getOperands());
      call.getResult(0).replaceAllUsesWith(op.getResult(0));
      call.erase();
    });
    if (failedCall)
      return signalPassFailure();
    for (func::FuncOp f : decls) {
      if (!f.symbolKnownUseEmpty(module)) {
        f.emitOpError("intrinsic placeholder still referenced");
        return signalPassFailure();
      }
      f.erase();
    }
  }
};
} // namespace
