//===- Cluster.cpp - dc-cluster: k-means weight sharing -------------------===//
//
// Per layer, 1-D k-means (core kmeans1D, O(k log n) per iteration on sorted
// values) over the nonzero weights with 2^bits - 1 clusters; codebook entry
// 0 is exact zero, for pruned (and exactly zero) weights. The indices are
// assigned and bit-packed in one (parallel) pass over the weights.
//
//===----------------------------------------------------------------------===//

#include "CompressPass.h"
#include "dc/Transforms/Passes.h"

#include "dc/Core/KMeans.h"

#include "mlir/Dialect/Arith/IR/Arith.h"

namespace dc {
#define GEN_PASS_DEF_DCCLUSTER
#include "dc/Transforms/Passes.h.inc"
} // namespace dc

using namespace mlir;
using namespace dc;

/// Rounds centroids to the weights' element type (f16 / bf16), so that
/// decoding gives values of that type exactly.
static void roundCentroids(std::vector<float> &centroids, Type elementType) {
  if (!elementType || elementType.isF32())
    return;
  for (float &c : centroids)
    c = roundToElementType(c, elementType);
}

std::string dc::clusterWeights(ArrayRef<float> w,
                               const std::vector<int64_t> &shape,
                               const LayerConfig &config,
                               CompressedTensor &result,
                               const ParallelFor &pfor, Type elementType) {
  size_t numSurvivors = 0;
  for (float v : w)
    numSurvivors += v != 0.0f;
  std::vector<float> survivors;
  survivors.reserve(numSurvivors);
  for (float v : w)
    if (v != 0.0f)
      survivors.push_back(v);
  KMeansOptions options;
  options.numClusters = (1u << config.bits) - 1;
  options.init = config.init;
  options.seed = config.seed;
  if (!survivors.empty() && options.numClusters > 0) {
    // Fast path: assign and pack in one pass over the weights, without the
    // n-element index vector (same bytes as encodeIndices below).
    KMeansResult clusters = kmeans1D(survivors, options);
    roundCentroids(clusters.centroids, elementType);
    std::vector<float>().swap(survivors);
    if (encodeClusteredDense(shape, w.data(), w.size(), clusters.centroids,
                             config.bits, config.indexBits, result, nullptr,
                             pfor))
      return "";
    for (float v : w)
      if (v != 0.0f)
        survivors.push_back(v);
  }
  std::vector<float> codebook{0.0f};
  std::vector<uint32_t> survivorIndices;
  if (!survivors.empty() && options.numClusters > 0) {
    KMeansResult clusters = kmeans1D(survivors, options);
    roundCentroids(clusters.centroids, elementType);
    survivorIndices = assignNearest(survivors, clusters.centroids);
    codebook.insert(codebook.end(), clusters.centroids.begin(),
                    clusters.centroids.end());
  }
  std::vector<float>().swap(survivors);
  std::vector<uint32_t> indices(w.size(), 0);
  size_t next = 0;
  if (!survivorIndices.empty())
    for (size_t i = 0, n = w.size(); i < n; ++i)
      if (w[i] != 0.0f)
        indices[i] = survivorIndices[next++] + 1;
  EncodingParams params;
  params.format = StorageFormat::Dense;
  params.bits = config.bits;
  params.indexBits = config.indexBits;
  params.entropy = EntropyCoding::None;
  std::string error;
  if (!encodeIndices(shape, indices, codebook, params, result, &error))
    return error;
  return "";
}

namespace {
class ClusterStage : public EncodingStage {
public:
  bool select(const LayerTask &task) override {
    // Compressed layers (with a codebook, or raw on purpose) stay as they
    // are.
    return isa<arith::ConstantOp>(task.layer.constant);
  }
  bool reportsUnsupported(const LayerTask &task) override {
    // dc-prune reports it when pruning is asked for.
    return task.config.pruneMode == PruneMode::None;
  }
  std::string ignoredOptions(const LayerTask &task) override {
    // dc-prune reports it when pruning is asked for.
    if (task.config.pruneMode != PruneMode::None)
      return "";
    return describeIgnoredOptions(task);
  }

  void compute(size_t index, LayerTask &task) override {
    auto constant = cast<arith::ConstantOp>(task.layer.constant);
    std::vector<float> storage;
    FailureOr<ArrayRef<float>> data = readFiniteWeights(task, storage);
    if (failed(data))
      return;
    auto shape = cast<RankedTensorType>(constant.getType()).getShape();
    std::string error =
        clusterWeights(*data, std::vector<int64_t>(shape.begin(), shape.end()),
                       task.config, results[index], parallelFor,
                       task.layer.elementType);
    if (!error.empty())
      task.error = "layer '" + task.layer.name + "': " + error;
  }

};

struct ClusterPass : CompressPassMixin<dc::impl::DCClusterBase<ClusterPass>> {
  using CompressPassMixin::CompressPassMixin;
  void runOnOperation() override {
    ClusterStage stage;
    runStage(stage);
  }
};
} // namespace
