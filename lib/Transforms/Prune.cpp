//===- Prune.cpp - dc-prune: magnitude pruning ----------------------------===//
//
// Exact fraction: the k = round(s * n) smallest |w| are zeroed, ties broken
// by position (lower index pruned first). The k-th smallest magnitude is
// found with nth_element on a copy of the magnitudes (O(n)); one pass over
// the weights then writes the result straight into the new resource blob.
//
//===----------------------------------------------------------------------===//

#include "CompressPass.h"
#include "dc/Transforms/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/IR/DialectResourceBlobManager.h"

#include <algorithm>
#include <cmath>

namespace dc {
#define GEN_PASS_DEF_DCPRUNE
#include "dc/Transforms/Passes.h.inc"
} // namespace dc

using namespace mlir;
using namespace dc;

/// Payloads up to this many bytes stay inline dense attributes (readable in
/// tests), as in DCUtils' makeF32Elements.
static constexpr size_t kInlineBytes = 64;

/// Weights with |w| < threshold are pruned, and so are the first `ties`
/// weights (by index) with |w| == threshold.
struct PruneCut {
  float threshold = 0;
  uint64_t ties = 0;
};

static PruneCut fractionCut(ArrayRef<float> w, double fraction) {
  uint64_t n = w.size();
  uint64_t k = uint64_t(std::llround(fraction * double(n)));
  if (k == 0)
    return {};
  std::vector<float> mags(n);
  for (uint64_t i = 0; i < n; ++i)
    mags[i] = std::fabs(w[i]);
  std::nth_element(mags.begin(), mags.begin() + (k - 1), mags.end());
  float t = mags[k - 1];
  // The elements before position k - 1 are <= t.
  uint64_t below = 0;
  for (uint64_t i = 0; i + 1 < k; ++i)
    below += mags[i] < t;
  return {t, k - below};
}

static float stdDev(ArrayRef<float> w) {
  if (w.empty())
    return 0;
  double sum = 0, sumSq = 0;
  for (float v : w) {
    sum += v;
    sumSq += double(v) * v;
  }
  double mean = sum / w.size();
  return float(std::sqrt(std::max(0.0, sumSq / w.size() - mean * mean)));
}

namespace {
class PruneStage : public CompressStage {
public:
  bool select(const LayerTask &task) override {
    return isa<arith::ConstantOp>(task.layer.constant) &&
           task.config.pruneMode != PruneMode::None;
  }
  void reserve(size_t n) override { results.resize(n); }

  void compute(size_t index, LayerTask &task) override {
    auto constant = cast<arith::ConstantOp>(task.layer.constant);
    std::vector<float> storage;
    FailureOr<ArrayRef<float>> data =
        getF32Data(cast<ElementsAttr>(constant.getValue()), storage);
    if (failed(data)) {
      task.error = "layer '" + task.layer.name + "': cannot read the weights";
      return;
    }
    ArrayRef<float> w = *data;
    task.error = checkFinite(w, task.layer.name);
    if (!task.error.empty())
      return;
    PruneCut cut;
    switch (task.config.pruneMode) {
    case PruneMode::Fraction:
      cut = fractionCut(w, task.config.pruneValue);
      break;
    case PruneMode::Threshold:
      cut.threshold = float(task.config.pruneValue);
      break;
    case PruneMode::StdScale:
      cut.threshold = float(task.config.pruneValue * stdDev(w));
      break;
    case PruneMode::None:
      break;
    }
    Result &result = results[index];
    size_t bytes = w.size() * sizeof(float);
    float *out;
    if (bytes <= kInlineBytes) {
      result.small.resize(w.size());
      out = result.small.data();
    } else {
      result.blob = HeapAsmResourceBlob::allocate(bytes, alignof(uint64_t),
                                                  /*dataIsMutable=*/true);
      out = reinterpret_cast<float *>(result.blob.getMutableData().data());
    }
    uint64_t ties = cut.ties;
    for (size_t i = 0, n = w.size(); i < n; ++i) {
      float a = std::fabs(w[i]);
      bool prune = a < cut.threshold;
      if (a == cut.threshold && ties != 0) {
        prune = true;
        --ties;
      }
      out[i] = prune ? 0.0f : w[i];
    }
  }

  LogicalResult apply(size_t index, LayerTask &task) override {
    auto constant = cast<arith::ConstantOp>(task.layer.constant);
    auto type = cast<RankedTensorType>(constant.getType());
    Result &result = results[index];
    ElementsAttr attr;
    if (result.blob.getData().empty())
      attr = DenseElementsAttr::get(type, ArrayRef<float>(result.small));
    else
      attr = DenseResourceElementsAttr::get(
          type, blobKey(task.layer.name, "_pruned"), std::move(result.blob));
    constant.setValueAttr(cast<TypedAttr>(attr));
    constant->setAttr("dc.pruned", UnitAttr::get(constant.getContext()));
    return success();
  }

private:
  struct Result {
    AsmResourceBlob blob;
    std::vector<float> small;
  };
  std::vector<Result> results;
};

struct PrunePass : CompressPassMixin<dc::impl::DCPruneBase<PrunePass>> {
  using CompressPassMixin::CompressPassMixin;
  void runOnOperation() override {
    PruneStage stage;
    runStage(stage);
  }
};
} // namespace
