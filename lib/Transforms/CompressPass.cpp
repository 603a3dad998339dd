//===- CompressPass.cpp - Shared driver of the compression passes ---------===//

#include "CompressPass.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/IR/DialectResourceBlobManager.h"
#include "mlir/IR/Threading.h"
#include "mlir/IR/Verifier.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringExtras.h"

#include "llvm/ADT/DenseSet.h"

#include <cmath>
#include <cstring>
#include <numeric>

using namespace mlir;
using namespace dc;

ParallelFor dc::makeParallelFor(MLIRContext *ctx) {
  if (!ctx->isMultithreadingEnabled())
    return {};
  return [ctx](size_t numTasks, const std::function<void(size_t)> &body) {
    parallelFor(ctx, 0, numTasks, [&](size_t i) { body(i); });
  };
}

using BlobEntry = DialectResourceBlobManager::BlobEntry;

/// Adds the blob entries of the dense_resource attributes of `op`.
static void collectBlobs(Operation *op, llvm::DenseSet<BlobEntry *> &blobs) {
  op->getAttrDictionary().walk([&](DenseResourceElementsAttr attr) {
    if (BlobEntry *entry = attr.getRawHandle().getResource())
      blobs.insert(entry);
  });
}

/// Empties the blobs of `candidates` that no operation of `module`
/// references any more (the replaced weights), releasing their memory; the
/// printers only emit referenced blobs, so the output does not change.
///
/// A pass may touch only the operation it is anchored on: when `module` is
/// nested, the pass manager may be running this pass on sibling modules in
/// parallel, and they (or the parent) may reference the same blobs. Walking
/// the parent then races with their rewrites (a heap-use-after-free under
/// ASan), and emptying a blob they still use corrupts them. So blobs are
/// released only when `module` is the top-level operation; in nested
/// modules they stay until the context goes away.
static void releaseUnreferencedBlobs(ModuleOp module,
                                     llvm::DenseSet<BlobEntry *> &candidates) {
  if (candidates.empty() || module->getParentOp())
    return;
  llvm::DenseSet<BlobEntry *> referenced;
  module->walk([&](Operation *op) { collectBlobs(op, referenced); });
  for (BlobEntry *entry : candidates)
    if (!referenced.contains(entry) && entry->getBlob() &&
        !entry->getBlob()->getData().empty())
      entry->setBlob(AsmResourceBlob());
}

LogicalResult dc::runCompressStage(ModuleOp module,
                                   const CompressOptions &options,
                                   CompressStage &stage) {
  std::vector<LayerTask> tasks;
  for (Layer &layer : findLayers(module)) {
    FailureOr<LayerConfig> config = resolveLayerConfig(layer, options);
    if (failed(config))
      return failure();
    LayerTask task{std::move(layer), *config, ""};
    if (task.config.skip || !stage.select(task))
      continue;
    tasks.push_back(std::move(task));
  }
  stage.reserve(tasks.size());
  // Largest layers first, so that the parallel loop balances well.
  std::vector<size_t> order(tasks.size());
  std::iota(order.begin(), order.end(), 0);
  llvm::stable_sort(order, [&](size_t a, size_t b) {
    return tasks[a].layer.numElements > tasks[b].layer.numElements;
  });
  stage.parallelFor = makeParallelFor(module.getContext());
  parallelForEach(module.getContext(), order,
                  [&](size_t i) { stage.compute(i, tasks[i]); });
  bool anyError = false;
  for (LayerTask &task : tasks) {
    if (task.error.empty())
      continue;
    task.layer.constant->emitError(task.error);
    anyError = true;
  }
  if (anyError)
    return failure();
  llvm::DenseSet<BlobEntry *> replaced;
  for (LayerTask &task : tasks)
    collectBlobs(task.layer.constant, replaced);
  for (auto [i, task] : llvm::enumerate(tasks))
    if (failed(stage.apply(i, task)))
      return failure();
  releaseUnreferencedBlobs(module, replaced);
  return success();
}

std::string dc::blobKey(StringRef layerName, StringRef suffix) {
  std::string key;
  for (char c : layerName)
    key.push_back(llvm::isAlnum(c) ? c : '_');
  if (key.empty() || llvm::isDigit(key[0]))
    key.insert(key.begin(), '_');
  return key + suffix.str();
}

FailureOr<ArrayRef<float>> dc::readFiniteWeights(LayerTask &task,
                                                 std::vector<float> &storage) {
  auto constant = cast<arith::ConstantOp>(task.layer.constant);
  std::string why;
  FailureOr<ArrayRef<float>> data =
      getF32Elements(cast<ElementsAttr>(constant.getValue()), storage, &why);
  if (failed(data)) {
    task.error =
        "layer '" + task.layer.name + "': cannot read the weights: " + why;
    return failure();
  }
  task.error = checkFinite(*data, task.layer.name);
  if (!task.error.empty())
    return failure();
  return data;
}

std::string dc::checkFinite(ArrayRef<float> data, StringRef layer) {
  for (auto [i, v] : llvm::enumerate(data))
    if (!std::isfinite(v))
      return ("layer '" + layer + "' has a non-finite weight (" +
              (std::isnan(v) ? "NaN" : "Inf") + ") at element " + Twine(i))
          .str();
  return "";
}

LogicalResult dc::replaceWithCompressed(Operation *oldConstant,
                                        const Layer &layer,
                                        const CompressedTensor &tensor) {
  OpBuilder builder(oldConstant);
  Location loc = oldConstant->getLoc();
  auto oldCompressed = dyn_cast<ConstantOp>(oldConstant);
  RankedTensorType tensorType =
      oldCompressed
          ? oldCompressed.getType().getTensorType()
          : cast<RankedTensorType>(oldConstant->getResult(0).getType());
  ConstantOp constant = buildConstant(builder, loc, tensorType, tensor,
                                      blobKey(layer.name, ""));
  constant->setAttr("dc.layer", builder.getStringAttr(layer.name));
  for (StringRef name : {"dc.config", "dc.pruned"})
    if (Attribute attr = oldConstant->getAttr(name))
      constant->setAttr(name, attr);
  if (failed(verify(constant)))
    return failure();
  Value replacement = constant.getResult();
  if (!oldCompressed)
    replacement =
        DecompressOp::create(builder, loc, tensorType, constant).getResult();
  oldConstant->getResult(0).replaceAllUsesWith(replacement);
  oldConstant->erase();
  return success();
}

LogicalResult EncodingStage::apply(size_t index, LayerTask &task) {
  return replaceWithCompressed(task.layer.constant, task.layer,
                               results[index]);
}
