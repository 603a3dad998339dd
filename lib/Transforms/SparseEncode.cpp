//===- SparseEncode.cpp - dc-sparse-encode: CSC/CSR relative indices ------===//

#include "CompressPass.h"
#include "dc/Transforms/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"

namespace dc {
#define GEN_PASS_DEF_DCSPARSEENCODE
#include "dc/Transforms/Passes.h.inc"
} // namespace dc

using namespace mlir;
using namespace dc;

namespace {
class SparseEncodeStage : public EncodingStage {
public:
  bool select(const LayerTask &task) override {
    Operation *op = task.layer.constant;
    if (auto constant = dyn_cast<ConstantOp>(op))
      return !constant.getType().getEncoding().isSparse();
    // A pruned layer that was never clustered: raw f32 values.
    return isa<arith::ConstantOp>(op) && op->hasAttr("dc.pruned");
  }

  void compute(size_t index, LayerTask &task) override {
    EncodingParams params;
    params.format = task.config.format;
    params.indexBits = task.config.indexBits;
    std::string error;
    if (auto constant = dyn_cast<ConstantOp>(task.layer.constant)) {
      CompressedTensorView view;
      ViewStorage storage;
      if (failed(getView(constant, view, storage))) {
        task.error = "layer '" + task.layer.name + "': invalid payload";
        return;
      }
      params.bits = view.params.bits;
      params.codebookRows = view.params.codebookRows;
      params.entropy = view.params.entropy;
      // Fast path straight from the packed dense stream; anything it does
      // not handle (or that does not validate) takes the generic path.
      bool handled = false;
      if (reencodeDenseToSparse(view, params, results[index], &handled,
                                parallelFor) ||
          handled)
        return;
      if (!reencode(view, params, results[index], &error))
        task.error = "layer '" + task.layer.name + "': " + error;
      return;
    }
    auto constant = cast<arith::ConstantOp>(task.layer.constant);
    std::vector<float> storage;
    FailureOr<ArrayRef<float>> data = readFiniteWeights(task, storage);
    if (failed(data))
      return;
    std::vector<float> values(data->begin(), data->end());
    params.bits = kRawValueBits;
    params.entropy = EntropyCoding::None;
    auto shape = cast<RankedTensorType>(constant.getType()).getShape();
    if (!encodeRaw(std::vector<int64_t>(shape.begin(), shape.end()), values,
                   params, results[index], &error))
      task.error = "layer '" + task.layer.name + "': " + error;
  }

};

struct SparseEncodePass
    : CompressPassMixin<dc::impl::DCSparseEncodeBase<SparseEncodePass>> {
  using CompressPassMixin::CompressPassMixin;
  void runOnOperation() override {
    SparseEncodeStage stage;
    runStage(stage);
  }
};
} // namespace
