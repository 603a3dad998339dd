//===- ChooseLayout.cpp - dc-choose-layout --------------------------------===//
//
// Writes the layout decision (LayoutPlanner.h) onto each dc.matvec /
// dc.matmul on a compressed constant as its `dc.layout` attribute.
//
//===----------------------------------------------------------------------===//

#include "LayoutPlanner.h"

#include "dc/Conversion/KernelPasses.h"
#include "dc/Dialect/DC/DCUtils.h"

#include "mlir/IR/BuiltinOps.h"
#include "llvm/Support/MathExtras.h"

#include <cmath>

namespace dc {
#define GEN_PASS_DEF_DCCHOOSELAYOUT
#include "dc/Conversion/KernelPasses.h.inc"
} // namespace dc

using namespace mlir;
using namespace dc::kernels;

namespace {
struct ChooseLayoutPass : dc::impl::DCChooseLayoutBase<ChooseLayoutPass> {
  using Base::Base;

  std::string validateOptions() {
    std::optional<LayoutKind> kind;
    if (!parseLayoutOption(layout, kind))
      return "dc-choose-layout: option 'layout' must be auto, sparse, "
             "dense-code or tiles, got '" +
             layout + "'";
    if (!(double(maxRuntimeRatio) > 0.0) || std::isinf(double(maxRuntimeRatio)))
      return "dc-choose-layout: option 'max-runtime-ratio' must be a positive "
             "number";
    if (std::isnan(double(denseDensity)))
      return "dc-choose-layout: option 'dense-density' must be a number";
    if (rowsPerGroup < 1 || rowsPerGroup > 8)
      return "dc-choose-layout: option 'rows-per-group' must be in 1..8";
    if (vectorWidth != 0 &&
        (vectorWidth > 64 || !llvm::isPowerOf2_32(vectorWidth)))
      return "dc-choose-layout: option 'vector-width' must be 0 (from the "
             "target) or a power of two up to 64";
    return "";
  }

  LogicalResult initializeOptions(
      StringRef options,
      function_ref<LogicalResult(const Twine &)> errorHandler) override {
    if (failed(Base::initializeOptions(options, errorHandler)))
      return failure();
    std::string msg = validateOptions();
    return msg.empty() ? success() : errorHandler(msg);
  }

  void runOnOperation() override {
    // Options given on the command line were checked when parsed; invalid
    // ones set programmatically (dc-to-llvm) leave the ops undecided for
    // dc-lower-compute, which runs next with the same values and reports
    // them.
    if (!validateOptions().empty())
      return;
    LayoutOptions options;
    parseLayoutOption(layout, options.layout);
    options.maxRuntimeRatio = maxRuntimeRatio;
    options.denseDensity = denseDensity;
    options.rowsPerGroup = rowsPerGroup;
    LayoutPlanner planner(resolveTarget(targetCpu, vectorWidth), options);
    bool failedOp = false;
    getOperation().walk([&](Operation *op) {
      if (failedOp || !isa<dc::MatvecOp, dc::MatmulOp>(op))
        return;
      // Tensors or, after bufferization (as in dc-to-llvm), memrefs.
      Value w = op->getOperand(0), input = op->getOperand(1),
            init = op->getOperand(2);
      auto inType = cast<ShapedType>(input.getType());
      auto outType = cast<ShapedType>(init.getType());
      // As dc-lower-compute: declared sizes are checked before any layout of
      // that size is built (a tiny payload may declare 2^40 rows).
      if (failed(dc::checkMaterializable(op, w.getType(), "weight")) ||
          failed(dc::checkMaterializable(op, inType, "input")) ||
          failed(dc::checkMaterializable(op, outType, "result"))) {
        failedOp = true;
        return;
      }
      auto constant = w.getDefiningOp<dc::ConstantOp>();
      if (!constant || !inType.hasStaticShape() || !outType.hasStaticShape())
        return; // lowered to dense by dc-lower-compute: no layout
      FailureOr<std::optional<LayoutKind>> requested = planner.requested(op);
      if (failed(requested)) {
        failedOp = true;
        return;
      }
      LayoutPlanner::Entry *entry =
          planner.getEntry(constant, op->hasAttr("transpose_w"), op);
      if (!entry)
        return;
      int64_t n = isa<dc::MatmulOp>(op) ? inType.getDimSize(1) : 0;
      int64_t groups = 1;
      if (auto attr = op->getAttrOfType<IntegerAttr>("groups"))
        groups = attr.getInt();
      LayoutKind kind = planner.choose(*entry, n, groups, *requested, op);
      op->setAttr(kLayoutAttrName,
                  StringAttr::get(op->getContext(), layoutKindName(kind)));
    });
    if (failedOp)
      signalPassFailure();
  }
};
} // namespace
