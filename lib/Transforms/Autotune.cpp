//===- Autotune.cpp - dc-autotune: settings under an error bound ----------===//
//
// For every layer (a weight arith.constant not already compressed, not
// skipped by its dc.config), the core search autotuneLayer picks sparsity,
// codebook width and index width; the result is written as the layer's
// dc.config, which dc-compress then follows. Layers are searched in
// parallel on the context's thread pool.
//
//===----------------------------------------------------------------------===//

#include "CompressPass.h"
#include "Importance.h"
#include "dc/Transforms/Passes.h"

#include "dc/Core/Autotune.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/IR/Threading.h"

#include <chrono>
#include <cmath>

namespace dc {
#define GEN_PASS_DEF_DCAUTOTUNE
#include "dc/Transforms/Passes.h.inc"
} // namespace dc

using namespace mlir;
using namespace dc;

namespace {

struct Task {
  Layer layer;
  std::vector<int64_t> shape;
  AutotuneOptions options;
  AutotuneChoice choice;
  std::string error;
};

/// The layer's dc.config keys that the search keeps: format and entropy.
/// Returns false if the layer is skipped.
bool readConfig(Operation *op, AutotuneOptions &options, std::string &format,
                std::string &entropy) {
  auto dict = op->getAttrOfType<DictionaryAttr>("dc.config");
  if (!dict)
    return true;
  if (Attribute skip = dict.get("skip"))
    if (isa<UnitAttr>(skip) ||
        (isa<BoolAttr>(skip) && cast<BoolAttr>(skip).getValue()))
      return false;
  // Invalid values are diagnosed by dc-compress; keep the defaults here.
  if (auto f = dict.getAs<StringAttr>("format")) {
    StorageFormat parsed;
    if (parseFormat(f.getValue().str(), parsed) &&
        parsed != StorageFormat::Dense) {
      options.format = parsed;
      format = f.getValue().str();
    }
  }
  if (auto e = dict.getAs<StringAttr>("entropy")) {
    EntropyCoding parsed;
    if (parseEntropy(e.getValue().str(), parsed)) {
      options.entropy = parsed;
      entropy = e.getValue().str();
    }
  }
  return true;
}

std::string validate(double e) {
  if (!(std::isfinite(e) && e > 0))
    return "option 'max-rel-error' must be a finite number > 0, got " +
           std::to_string(e);
  return "";
}

struct AutotunePass : dc::impl::DCAutotuneBase<AutotunePass> {
  using DCAutotuneBase::DCAutotuneBase;

  LogicalResult initializeOptions(
      StringRef options,
      function_ref<LogicalResult(const Twine &)> errorHandler) override {
    if (failed(DCAutotuneBase::initializeOptions(options, errorHandler)))
      return failure();
    if (!maxRelError.hasValue())
      return errorHandler("dc-autotune: option 'max-rel-error' is required");
    std::string error = validate(maxRelError);
    if (!error.empty())
      return errorHandler("dc-autotune: " + error);
    return success();
  }

  void runOnOperation() override {
    auto start = std::chrono::steady_clock::now();
    ModuleOp module = getOperation();
    std::string error = validate(maxRelError);
    if (!maxRelError.hasValue())
      error = "option 'max-rel-error' is required";
    if (!error.empty()) {
      module.emitError() << "dc-autotune: " << error;
      return signalPassFailure();
    }
    std::vector<Task> tasks;
    std::vector<std::pair<std::string, std::string>> names;
    for (Layer &layer : findLayers(module)) {
      auto constant = dyn_cast<arith::ConstantOp>(layer.constant);
      if (!constant)
        continue; // Already compressed.
      Task task{layer, {}, {}, {}, ""};
      task.options.maxRelError = maxRelError;
      std::string format = "csc", entropy = "huffman";
      if (!readConfig(constant, task.options, format, entropy))
        continue;
      auto shape = cast<RankedTensorType>(constant.getType()).getShape();
      task.shape.assign(shape.begin(), shape.end());
      tasks.push_back(std::move(task));
      names.push_back({format, entropy});
    }
    parallelForEach(&getContext(), llvm::seq<size_t>(0, tasks.size()),
                    [&](size_t i) { search(tasks[i]); });
    bool failedAny = false;
    for (Task &task : tasks)
      if (!task.error.empty()) {
        mlir::emitError(task.layer.constant->getLoc(), task.error);
        failedAny = true;
      }
    if (failedAny)
      return signalPassFailure();
    Builder b(&getContext());
    for (auto [task, name] : llvm::zip(tasks, names)) {
      Operation *op = task.layer.constant;
      const AutotuneChoice &c = task.choice;
      uint64_t denseBytes = 4 * uint64_t(task.layer.numElements);
      if (!c.found) {
        op->emitWarning() << "layer '" << task.layer.name
                          << "': no setting with bits <= 8 meets "
                             "max-rel-error="
                          << maxRelError << "; left uncompressed";
      }
      if (!c.found || c.bytes >= denseBytes) {
        op->setAttr("dc.config", b.getDictionaryAttr(b.getNamedAttr(
                                     "skip", b.getBoolAttr(true))));
        continue;
      }
      op->setAttr(
          "dc.config",
          b.getDictionaryAttr(
              {b.getNamedAttr("bits", b.getI64IntegerAttr(c.bits)),
               b.getNamedAttr("entropy", b.getStringAttr(name.second)),
               b.getNamedAttr("format", b.getStringAttr(name.first)),
               b.getNamedAttr("index_bits", b.getI64IntegerAttr(c.indexBits)),
               b.getNamedAttr("init", b.getStringAttr("optimal")),
               b.getNamedAttr("sparsity", b.getF64FloatAttr(c.sparsity))}));
    }
    double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start)
            .count();
    module->setAttr(
        "dc.autotune",
        b.getDictionaryAttr(
            {b.getNamedAttr("max_rel_error", b.getF64FloatAttr(maxRelError)),
             b.getNamedAttr("search_seconds", b.getF64FloatAttr(seconds))}));
  }

  static void search(Task &task) {
    auto constant = cast<arith::ConstantOp>(task.layer.constant);
    std::vector<float> storage;
    FailureOr<ArrayRef<float>> data =
        getF32Elements(cast<ElementsAttr>(constant.getValue()), storage);
    if (failed(data)) {
      task.error = "layer '" + task.layer.name + "': cannot read the weights";
      return;
    }
    task.error = checkFinite(*data, task.layer.name);
    if (!task.error.empty())
      return;
    std::vector<float> importance;
    task.error = readImportance(constant, task.layer.name, importance);
    if (!task.error.empty())
      return;
    std::vector<float> weights(data->begin(), data->end());
    task.choice = autotuneLayer(task.shape, weights, importance, task.options);
  }
};

} // namespace
