//===- CompressPass.cpp - Shared driver of the compression passes ---------===//

#include "CompressPass.h"
#include "dc/Core/CompressedTensor.h"

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
    if (task.config.skip)
      continue;
    if (!task.layer.unsupported.empty()) {
      if (stage.reportsUnsupported(task))
        task.layer.constant->emitWarning()
            << "layer '" << task.layer.name
            << "' is not compressed: " << task.layer.unsupported;
      continue;
    }
    if (isa<ConstantOp>(task.layer.constant)) {
      std::string ignored = stage.ignoredOptions(task);
      if (!ignored.empty())
        task.layer.constant->emitWarning()
            << "layer '" << task.layer.name
            << "' is already compressed; ignoring " << ignored;
    }
    if (!stage.select(task))
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
    // At the location only: the op itself (a "see current operation" note)
    // would print the whole weight constant.
    mlir::emitError(task.layer.constant->getLoc(), task.error);
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

std::string dc::describeIgnoredOptions(const LayerTask &task) {
  auto constant = dyn_cast<ConstantOp>(task.layer.constant);
  if (!constant)
    return "";
  std::vector<std::string> ignored;
  if (task.config.pruneMode != PruneMode::None)
    ignored.push_back("the pruning options (it is not pruned again)");
  EncodingAttr encoding = constant.getType().getEncoding();
  if (encoding.hasCodebook() && encoding.getBits() != task.config.bits)
    ignored.push_back("bits=" + std::to_string(task.config.bits) +
                      " (its codebook has " +
                      std::to_string(encoding.getBits()) + "-bit indices)");
  if (encoding.hasCodebook() &&
      encoding.getCodebookRows() != task.config.codebookRows)
    ignored.push_back(
        "codebook=" + stringifyCodebookGranularity(task.config.codebookRows) +
        " (it has codebook=" +
        stringifyCodebookGranularity(encoding.getCodebookRows()) + ")");
  return llvm::join(ignored, " and ");
}

std::string dc::blobKey(StringRef layerName, StringRef suffix) {
  std::string key;
  for (char c : layerName)
    key.push_back(llvm::isAlnum(c) ? c : '_');
  if (key.empty() || llvm::isDigit(key[0]))
    key.insert(key.begin(), '_');
  return key + suffix.str();
}

/// f16 bits to f32 (exact; subnormals, infinities and NaN included).
static float halfToFloat(uint16_t h) {
  uint32_t sign = uint32_t(h & 0x8000) << 16;
  uint32_t exponent = (h >> 10) & 0x1f, mantissa = h & 0x3ff;
  uint32_t bits;
  if (exponent == 0x1f) {
    bits = sign | 0x7f800000u | (mantissa << 13);
  } else if (exponent != 0) {
    bits = sign | ((exponent + 112) << 23) | (mantissa << 13);
  } else if (mantissa == 0) {
    bits = sign;
  } else {
    // Subnormal: normalize.
    int e = -1;
    do {
      ++e;
      mantissa <<= 1;
    } while (!(mantissa & 0x400));
    bits = sign | (uint32_t(112 - e) << 23) | ((mantissa & 0x3ff) << 13);
  }
  float f;
  std::memcpy(&f, &bits, sizeof(f));
  return f;
}

FailureOr<ArrayRef<float>> dc::getWeightElements(ElementsAttr attr,
                                                 std::vector<float> &storage,
                                                 std::string *why) {
  auto type = cast<ShapedType>(attr.getType());
  Type element = type.getElementType();
  if (element.isF32())
    return getF32Elements(attr, storage, why);
  auto fail = [&](const char *reason) -> FailureOr<ArrayRef<float>> {
    if (why)
      *why = reason;
    return failure();
  };
  if (!(element.isF16() || element.isBF16()) || !type.hasStaticShape())
    return fail("not a static f32, f16 or bf16 tensor");
  uint64_t count = 0;
  if (!checkedNumElements(type.getShape().data(), type.getRank(), count) ||
      count > kMaxDenseElements)
    return fail("the weights have more elements than dc materializes");
  size_t n = count;
  ArrayRef<char> raw;
  if (auto resource = dyn_cast<DenseResourceElementsAttr>(attr)) {
    AsmResourceBlob *blob = resource.getRawHandle().getBlob();
    if (!blob)
      return fail("the weights' resource blob is missing");
    raw = blob->getData();
  } else if (auto dense = dyn_cast<DenseElementsAttr>(attr)) {
    raw = dense.getRawData();
  } else {
    return fail("the weights are neither dense nor dense_resource");
  }
  bool splat = raw.size() == 2 && n != 1;
  // Compared without computing 2 * n, which may wrap for a declared shape.
  if (!splat && (raw.size() % 2 != 0 || raw.size() / 2 != n))
    return fail("the payload size does not match the declared shape");
  storage.resize(n);
  bool bf16 = element.isBF16();
  for (size_t i = 0; i < n; ++i) {
    uint16_t bits;
    std::memcpy(&bits, raw.data() + (splat ? 0 : 2 * i), sizeof(bits));
    if (bf16) {
      uint32_t wide = uint32_t(bits) << 16;
      std::memcpy(&storage[i], &wide, sizeof(float));
    } else {
      storage[i] = halfToFloat(bits);
    }
  }
  return ArrayRef<float>(storage);
}

float dc::roundToElementType(float v, Type type) {
  auto floatType = dyn_cast<FloatType>(type);
  if (!floatType || type.isF32())
    return v;
  APFloat value(v);
  bool losesInfo;
  value.convert(floatType.getFloatSemantics(), APFloat::rmNearestTiesToEven,
                &losesInfo);
  value.convert(APFloat::IEEEsingle(), APFloat::rmNearestTiesToEven,
                &losesInfo);
  return value.convertToFloat();
}

ElementsAttr dc::makeWeightElements(RankedTensorType type,
                                    ArrayRef<float> data, StringRef blobName) {
  Type element = type.getElementType();
  if (element.isF32())
    return makeF32Elements(type, data, blobName);
  auto floatType = cast<FloatType>(element);
  std::vector<uint16_t> bits(data.size());
  for (auto [i, v] : llvm::enumerate(data)) {
    APFloat value(v);
    bool losesInfo;
    value.convert(floatType.getFloatSemantics(), APFloat::rmNearestTiesToEven,
                  &losesInfo);
    bits[i] = uint16_t(value.bitcastToAPInt().getZExtValue());
  }
  ArrayRef<char> raw(reinterpret_cast<const char *>(bits.data()),
                     bits.size() * sizeof(uint16_t));
  if (raw.size() <= 64)
    return DenseElementsAttr::getFromRawBuffer(type, raw);
  return DenseResourceElementsAttr::get(
      type, blobName,
      HeapAsmResourceBlob::allocateAndCopyWithAlign(raw, alignof(uint64_t),
                                                    /*dataIsMutable=*/false));
}

FailureOr<ArrayRef<float>> dc::readFiniteWeights(LayerTask &task,
                                                 std::vector<float> &storage) {
  auto constant = cast<arith::ConstantOp>(task.layer.constant);
  std::string why;
  FailureOr<ArrayRef<float>> data =
      getWeightElements(cast<ElementsAttr>(constant.getValue()), storage, &why);
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
  for (StringRef name : {"dc.config", "dc.pruned", "dc.quantization"})
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
