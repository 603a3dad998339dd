//===- Prune.cpp - dc-prune: magnitude pruning ----------------------------===//
//
// Exact fraction: the k = round(s * n) smallest |w| are zeroed, ties broken
// by position (lower index pruned first). The k-th smallest magnitude is
// found in place with a two-level radix histogram of the magnitude bits
// (core smallestMagnitudeCut, O(n), no copy); one pass over the weights then
// writes the result straight into the new resource blob. Both are split
// across the thread pool within large layers.
//
//===----------------------------------------------------------------------===//

#include "CompressPass.h"
#include "dc/Transforms/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/IR/DialectResourceBlobManager.h"

#include <algorithm>
#include <cmath>

#if defined(__linux__)
#include <sys/mman.h>
#endif

namespace dc {
#define GEN_PASS_DEF_DCPRUNE
#include "dc/Transforms/Passes.h.inc"
} // namespace dc

using namespace mlir;
using namespace dc;

/// Payloads up to this many bytes stay inline dense attributes (readable in
/// tests), as in DCUtils' makeF32Elements.
static constexpr size_t kInlineBytes = 64;

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

/// A writable blob of `bytes` bytes for the pruned weights. Large ones are
/// mapped directly with transparent huge pages requested where available:
/// on first touch, 4 KiB page faults dominate the cost of writing hundreds
/// of MB (notably in VMs). The contents are the same either way.
static AsmResourceBlob allocateWeightBlob(size_t bytes) {
#if defined(__linux__) && defined(MADV_HUGEPAGE)
  constexpr size_t kHuge = size_t(2) << 20;
  if (bytes >= 4 * kHuge) {
    size_t mapped = bytes + kHuge;
    void *base = mmap(nullptr, mapped, PROT_READ | PROT_WRITE,
                      MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (base != MAP_FAILED) {
      char *data = reinterpret_cast<char *>(
          (reinterpret_cast<uintptr_t>(base) + kHuge - 1) & ~(kHuge - 1));
      (void)madvise(data, bytes, MADV_HUGEPAGE);
      return AsmResourceBlob(
          ArrayRef<char>(data, bytes), alignof(uint64_t),
          [base, mapped](void *, size_t, size_t) { munmap(base, mapped); },
          /*dataIsMutable=*/true);
    }
  }
#endif
  return HeapAsmResourceBlob::allocate(bytes, alignof(uint64_t),
                                       /*dataIsMutable=*/true);
}

namespace {
class PruneStage : public CompressStage {
public:
  bool select(const LayerTask &task) override {
    return isa<arith::ConstantOp>(task.layer.constant) &&
           task.config.pruneMode != PruneMode::None;
  }
  bool reportsUnsupported(const LayerTask &task) override {
    return task.config.pruneMode != PruneMode::None;
  }
  std::string ignoredOptions(const LayerTask &task) override {
    // dc-cluster reports it when no pruning is asked for.
    if (task.config.pruneMode == PruneMode::None)
      return "";
    return describeIgnoredOptions(task);
  }
  void reserve(size_t n) override { results.resize(n); }

  void compute(size_t index, LayerTask &task) override {
    std::vector<float> storage;
    FailureOr<ArrayRef<float>> data = readFiniteWeights(task, storage);
    if (failed(data))
      return;
    ArrayRef<float> w = *data;
    MagnitudeCut cut;
    switch (task.config.pruneMode) {
    case PruneMode::Fraction:
      cut = smallestMagnitudeCut(
          w.data(), w.size(),
          uint64_t(std::llround(task.config.pruneValue * double(w.size()))),
          parallelFor);
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
      result.blob = allocateWeightBlob(bytes);
      out = reinterpret_cast<float *>(result.blob.getMutableData().data());
    }
    applyMagnitudeCut(w.data(), w.size(), cut, out, parallelFor);
  }

  LogicalResult apply(size_t index, LayerTask &task) override {
    auto constant = cast<arith::ConstantOp>(task.layer.constant);
    auto type = cast<RankedTensorType>(constant.getType());
    Result &result = results[index];
    ElementsAttr attr;
    if (!type.getElementType().isF32()) {
      // f16 / bf16: the kept weights are the original values, exactly.
      ArrayRef<float> values =
          result.blob.getData().empty()
              ? ArrayRef<float>(result.small)
              : ArrayRef<float>(
                    reinterpret_cast<const float *>(result.blob.getData().data()),
                    type.getNumElements());
      attr = makeWeightElements(type, values,
                                blobKey(task.layer.name, "_pruned"));
    } else if (result.blob.getData().empty())
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
