//===- Cluster.cpp - dc-cluster: k-means weight sharing -------------------===//
//
// Per layer, 1-D k-means (core kmeans1D, O(k log n) per iteration on sorted
// values) over the nonzero weights with 2^bits - 1 clusters; codebook entry
// 0 is exact zero, for pruned (and exactly zero) weights. With
// codebook=channel / group:G, the same per codebook group of output channels
// (rows of the matrix view: a contiguous range of the row-major weights). The indices are
// assigned and bit-packed in one (parallel) pass over the weights.
//
//===----------------------------------------------------------------------===//

#include "CompressPass.h"
#include "dc/Transforms/Passes.h"

#include "Importance.h"
#include "dc/Core/KMeans.h"
#include "dc/Transforms/ClusterForPipeline.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"

#include <cmath>

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
  return clusterLayer(w, shape, config, {}, result, nullptr, pfor,
                      elementType);
}

/// Clusters one codebook's weights `w` (with their `importance`, or empty):
/// the centroids, sorted, and the errors into `stats`.
static std::vector<float> clusterGroup(ArrayRef<float> w,
                                       ArrayRef<float> importance,
                                       const KMeansOptions &options,
                                       QuantizationStats *stats,
                                       Type elementType) {
  std::vector<float> centroids;
  std::vector<float> groupImportance(importance.begin(), importance.end());
  SortedSample sample = survivorSample(w, groupImportance);
  if (!sample.values().empty() && options.numClusters > 0)
    centroids = kmeans1D(sample, options).centroids;
  // f16 / bf16: decoding must give values of the weights' type exactly.
  roundCentroids(centroids, elementType);
  if (stats) {
    double error = quantizationError(sample, centroids, false);
    stats->squaredNorm += sample.sumSquares(0, sample.size());
    stats->squaredError += error;
    if (options.init != KMeansInit::Linear && !sample.values().empty() &&
        options.numClusters > 0) {
      KMeansOptions linear = options;
      linear.init = KMeansInit::Linear;
      stats->squaredErrorLinear += quantizationError(
          sample, kmeans1D(sample, linear).centroids, false);
    } else {
      stats->squaredErrorLinear += error;
    }
  }
  return centroids;
}

std::string dc::clusterLayer(ArrayRef<float> w,
                             const std::vector<int64_t> &shape,
                             const LayerConfig &config,
                             const std::vector<float> &importance,
                             CompressedTensor &result,
                             QuantizationStats *stats,
                             const ParallelFor &pfor, Type elementType) {
  KMeansOptions options;
  options.numClusters = (1u << config.bits) - 1;
  options.init = config.init;
  options.seed = config.seed;
  if (stats)
    *stats = QuantizationStats();
  EncodingParams params;
  params.format = StorageFormat::Dense;
  params.bits = config.bits;
  params.indexBits = config.indexBits;
  params.entropy = EntropyCoding::None;
  params.codebookRows = config.codebookRows;
  std::string error;
  uint64_t groups = 1;
  if (!numCodebooks(shape, params.codebookRows, groups, &error))
    return error;
  // The matrix view is row-major: the weights of a codebook group (its
  // codebookRows rows) are one contiguous range of `w`.
  const size_t groupSize = groups ? w.size() / groups : 0;
  std::vector<std::vector<float>> centroids(groups);
  for (uint64_t g = 0; g < groups; ++g)
    centroids[g] = clusterGroup(
        w.slice(g * groupSize, groupSize),
        importance.empty()
            ? ArrayRef<float>()
            : ArrayRef<float>(importance).slice(g * groupSize, groupSize),
        options, stats, elementType);
  if (groups == 1 && !centroids[0].empty()) {
    // Fast path: assign and pack in one pass over the weights, without the
    // n-element index vector (same bytes as encodeIndices below).
    if (encodeClusteredDense(shape, w.data(), w.size(), centroids[0],
                             config.bits, config.indexBits, result, nullptr,
                             pfor)) {
      result.params.codebookRows = params.codebookRows;
      return "";
    }
  }
  // Every group's codebook has the same size E (the largest group's
  // centroids + 1); shorter ones are padded with +0.0, never referenced.
  size_t entries = 1;
  for (const std::vector<float> &c : centroids)
    entries = std::max(entries, c.size() + 1);
  std::vector<float> codebook(groups * entries, 0.0f);
  std::vector<uint32_t> indices(w.size(), 0);
  for (uint64_t g = 0; g < groups; ++g) {
    std::copy(centroids[g].begin(), centroids[g].end(),
              codebook.begin() + g * entries + 1);
    NearestCentroid nearest(centroids[g]);
    for (size_t i = g * groupSize, e = i + groupSize; i < e; ++i)
      if (w[i] != 0.0f)
        indices[i] = nearest(w[i]) + 1;
  }
  if (!encodeIndices(shape, indices, codebook, params, result, &error))
    return error;
  return "";
}

/// Per-group codebooks split the weight's first dimension (CompressConfig.h):
/// warns when a consumer reads the weight directly and reduces over that
/// dimension (HWCF filters, an X W matmul weight), where the groups are not
/// output channels. Weights reached through layout ops are not judged.
static void warnIfFirstDimIsReduced(const LayerTask &task) {
  Value weight = task.layer.constant->getResult(0);
  for (OpOperand &use : weight.getUses()) {
    auto op = dyn_cast<linalg::LinalgOp>(use.getOwner());
    if (!op || !op.isDpsInput(&use))
      continue;
    AffineMap map = op.getMatchingIndexingMap(&use);
    if (map.getNumResults() == 0)
      continue;
    auto dim = dyn_cast<AffineDimExpr>(map.getResult(0));
    if (!dim || op.getIteratorTypesArray()[dim.getPosition()] !=
                    utils::IteratorType::reduction)
      continue;
    task.layer.constant->emitWarning()
        << "layer '" << task.layer.name << "': codebook="
        << stringifyCodebookGranularity(task.config.codebookRows)
        << " groups the weight's first dimension, which '"
        << op->getName() << "' reduces over: the codebooks are not per "
        << "output channel";
    return;
  }
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
    std::vector<float> importance;
    task.error = readImportance(constant, task.layer.name, importance);
    if (!task.error.empty())
      return;
    std::string error = clusterLayer(
        *data, std::vector<int64_t>(shape.begin(), shape.end()), task.config,
        importance, results[index], wantStats ? &stats[index] : nullptr,
        parallelFor, task.layer.elementType);
    if (!error.empty())
      task.error = "layer '" + task.layer.name + "': " + error;
  }

  void reserve(size_t numTasks) override {
    EncodingStage::reserve(numTasks);
    stats.resize(numTasks);
  }

  LogicalResult apply(size_t index, LayerTask &task) override {
    if (task.config.codebookRows != 0)
      warnIfFirstDimIsReduced(task);
    // A use of the weight, to find the new dc.constant through the
    // dc.decompress that replaces it.
    Value weight = task.layer.constant->getResult(0);
    OpOperand *use = weight.use_empty() ? nullptr : &*weight.use_begin();
    if (failed(EncodingStage::apply(index, task)))
      return failure();
    if (!wantStats || !use)
      return success();
    // The new dc.constant carries the errors for the storage report.
    const QuantizationStats &s = stats[index];
    auto decompress = use->get().getDefiningOp<DecompressOp>();
    if (!decompress)
      return success();
    Operation *constant = decompress->getOperand(0).getDefiningOp();
    if (!constant)
      return success();
    Builder b(constant->getContext());
    auto rel = [&](double squared) {
      return b.getF64FloatAttr(
          s.squaredNorm > 0 ? std::sqrt(squared / s.squaredNorm) : 0.0);
    };
    constant->setAttr(
        kQuantizationAttr,
        b.getDictionaryAttr(
            {b.getNamedAttr("rel_error", rel(s.squaredError)),
             b.getNamedAttr("rel_error_linear", rel(s.squaredErrorLinear)),
             b.getNamedAttr("sq_norm", b.getF64FloatAttr(s.squaredNorm))}));
    return success();
  }

  bool wantStats = false;

private:
  std::vector<QuantizationStats> stats;
};

struct ClusterPass : CompressPassMixin<dc::impl::DCClusterBase<ClusterPass>> {
  using CompressPassMixin::CompressPassMixin;
  void runOnOperation() override {
    ClusterStage stage;
    CompressOptions options = getCompressOptions();
    stage.wantStats = !options.report.empty();
    if (!inPipeline)
      return runStage(stage);
    // Inside dc-compress: the last pass writes the report.
    std::string error = validateOptions(options);
    if (!error.empty()) {
      getOperation().emitError() << getArgument() << ": " << error;
      return signalPassFailure();
    }
    if (failed(runCompressStage(getOperation(), options, stage)))
      return signalPassFailure();
  }
  bool inPipeline = false;
};
} // namespace

std::unique_ptr<Pass> dc::createDCClusterForPipeline() {
  auto pass = std::make_unique<ClusterPass>();
  pass->inPipeline = true;
  return pass;
}
