//===- DecompressConstants.cpp - dc.constant -> arith.constant ------------===//

#include "CompressPass.h"
#include "dc/Dialect/DC/DCUtils.h"
#include "dc/Transforms/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/IR/BuiltinOps.h"

namespace dc {
#define GEN_PASS_DEF_DCDECOMPRESSCONSTANTS
#include "dc/Transforms/Passes.h.inc"
} // namespace dc

using namespace mlir;
using namespace dc;

namespace {
struct DecompressConstantsPass
    : dc::impl::DCDecompressConstantsBase<DecompressConstantsPass> {
  void runOnOperation() override {
    SmallVector<DecompressOp> decompressions;
    getOperation().walk([&](DecompressOp op) {
      if (op.getInput().getDefiningOp<ConstantOp>())
        decompressions.push_back(op);
    });
    // Decode each constant once, however many decompressions use it.
    DenseMap<Operation *, ElementsAttr> decoded;
    for (DecompressOp op : decompressions) {
      auto constant = op.getInput().getDefiningOp<ConstantOp>();
      ElementsAttr &attr = decoded[constant];
      if (!attr) {
        std::vector<float> dense;
        if (failed(decompressConstant(constant, dense)))
          return signalPassFailure();
        std::string blobName = "dc_decoded";
        if (auto layer = constant->getAttrOfType<StringAttr>("dc.layer"))
          blobName = (layer.getValue() + "_decoded").str();
        // f16 / bf16 layers: the decoded values are of that type exactly.
        attr = makeWeightElements(cast<RankedTensorType>(op.getType()), dense,
                                  blobName);
      }
      OpBuilder builder(op);
      auto replacement = arith::ConstantOp::create(builder, op.getLoc(),
                                                   op.getType(), attr);
      // Keep the layer name so a later dc-compress names the layer the same.
      if (auto layer = constant->getAttr("dc.layer"))
        replacement->setAttr("dc.layer", layer);
      op.replaceAllUsesWith(replacement.getResult());
      op.erase();
    }
    for (auto &[constant, attr] : decoded)
      if (constant->use_empty())
        constant->erase();
  }
};
} // namespace
