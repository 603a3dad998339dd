//===- Huffman.cpp - dc-huffman: entropy-code the streams -----------------===//
//
// The entropy stage of dc-compress: `entropy = huffman` (canonical Huffman,
// with a fast path from the fixed-width streams) or `entropy = ans` (static
// rANS, dc/Core/Ans.h, through the generic re-encoder).
//
//===----------------------------------------------------------------------===//

#include "CompressPass.h"
#include "dc/Transforms/Passes.h"

namespace dc {
#define GEN_PASS_DEF_DCHUFFMAN
#include "dc/Transforms/Passes.h.inc"
} // namespace dc

using namespace mlir;
using namespace dc;

namespace {
class HuffmanStage : public EncodingStage {
public:
  bool select(const LayerTask &task) override {
    auto constant = dyn_cast<ConstantOp>(task.layer.constant);
    if (!constant || task.config.entropy == EntropyCoding::None)
      return false;
    EncodingAttr encoding = constant.getType().getEncoding();
    return encoding.hasCodebook() && encoding.getEntropy() == Entropy::None;
  }

  void compute(size_t index, LayerTask &task) override {
    auto constant = cast<ConstantOp>(task.layer.constant);
    CompressedTensorView view;
    ViewStorage storage;
    if (failed(getView(constant, view, storage))) {
      task.error = "layer '" + task.layer.name + "': invalid payload";
      return;
    }
    EncodingParams params = view.params;
    params.entropy = task.config.entropy;
    std::string error;
    // Huffman: fast path from the fixed-width streams; anything it does not
    // handle (or that does not validate) takes the generic path.
    bool handled = false;
    if (params.entropy == EntropyCoding::Huffman &&
        (reencodeAddHuffman(view, params, results[index], &handled,
                            parallelFor) ||
         handled))
      return;
    if (!reencode(view, params, results[index], &error))
      task.error = "layer '" + task.layer.name + "': " + error;
  }

};

struct HuffmanPass : CompressPassMixin<dc::impl::DCHuffmanBase<HuffmanPass>> {
  using CompressPassMixin::CompressPassMixin;
  void runOnOperation() override {
    HuffmanStage stage;
    runStage(stage);
  }
};
} // namespace
