//===- CompressPass.h - Shared driver of the compression passes -*- C++ -*-===//
//
// Private to lib/Transforms. Every compression pass (dc-prune, dc-cluster,
// dc-sparse-encode, dc-huffman) takes the same options and runs in three
// steps: find the layers and resolve their configurations (sequential),
// compute the new payloads (in parallel across layers, reading the IR only),
// and rewrite the IR (sequential). Afterwards, if `report` is set, the
// storage report of the module is written.
//
//===----------------------------------------------------------------------===//

#ifndef DC_LIB_TRANSFORMS_COMPRESSPASS_H
#define DC_LIB_TRANSFORMS_COMPRESSPASS_H

#include "dc/Dialect/DC/DCUtils.h"
#include "dc/Transforms/CompressConfig.h"
#include "dc/Transforms/Layers.h"
#include "dc/Transforms/StorageReport.h"

#include "dc/Core/FastEncode.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/Pass/Pass.h"

#include <optional>
#include <string>
#include <type_traits>
#include <vector>

namespace dc {

/// One layer a stage works on.
struct LayerTask {
  Layer layer;
  LayerConfig config;
  /// Set by the compute step on failure; emitted on the constant.
  std::string error;
};

/// Per-stage hooks. `select` (sequential) says whether the stage applies to
/// a layer; `compute` (parallel) must not modify the IR; `apply`
/// (sequential) rewrites the IR.
class CompressStage {
public:
  virtual ~CompressStage() = default;
  virtual bool select(const LayerTask &task) = 0;
  /// Whether this stage warns about a layer whose element type dc does not
  /// handle. Exactly one stage of dc-compress does for each layer (dc-prune
  /// when pruning is asked for, dc-cluster otherwise).
  virtual bool reportsUnsupported(const LayerTask &task) { return false; }
  /// For a layer that is already a dc.constant: a description of the options
  /// of this stage that it ignores (they differ from the layer's encoding), or
  /// "" when there is nothing to warn about.
  virtual std::string ignoredOptions(const LayerTask &task) { return ""; }
  /// Called once with the number of selected tasks before `compute`.
  virtual void reserve(size_t numTasks) = 0;
  virtual void compute(size_t index, LayerTask &task) = 0;
  /// Set by runCompressStage before `compute`.
  ParallelFor parallelFor;
  virtual mlir::LogicalResult apply(size_t index, LayerTask &task) = 0;
};

/// A stage whose result for each layer is a new compressed tensor that
/// replaces the layer's constant (cluster, sparse-encode, Huffman).
class EncodingStage : public CompressStage {
public:
  void reserve(size_t numTasks) override { results.resize(numTasks); }
  mlir::LogicalResult apply(size_t index, LayerTask &task) override;

protected:
  std::vector<CompressedTensor> results;
};

/// Splits work within one layer over the context's thread pool (nested in
/// the parallel loop over layers); serial when multithreading is disabled.
ParallelFor makeParallelFor(mlir::MLIRContext *ctx);

/// Runs `stage` over the layers of `module` under `options`. After the
/// rewrite, the resource blobs that the replaced payloads referenced and
/// that nothing in the IR references any more are emptied, so that their
/// memory is released (the blob names stay taken).
mlir::LogicalResult runCompressStage(mlir::ModuleOp module,
                                     const CompressOptions &options,
                                     CompressStage &stage);

/// For a layer already held in a dc.constant: the options of `task.config`
/// that compressing it again would have applied and that dc-compress ignores
/// (pruning; a codebook width other than the layer's), or "".
std::string describeIgnoredOptions(const LayerTask &task);

/// A name usable as a resource blob key: [A-Za-z0-9_] only.
std::string blobKey(llvm::StringRef layerName, llvm::StringRef suffix);

/// The weights of a layer still held in an arith.constant (f32, or f16 /
/// bf16 widened to f32), checked to be finite; on failure sets `task.error`
/// (naming the layer) and fails. `storage` backs the result when it cannot
/// alias the attribute.
mlir::FailureOr<llvm::ArrayRef<float>>
readFiniteWeights(LayerTask &task, std::vector<float> &storage);

/// Empty if every value is finite, else a message naming the layer.
std::string checkFinite(llvm::ArrayRef<float> data, llvm::StringRef layer);

/// The f32 values of an f32, f16 or bf16 dense / dense_resource elements
/// attribute (f16 / bf16 widened exactly).
mlir::FailureOr<llvm::ArrayRef<float>>
getWeightElements(mlir::ElementsAttr attr, std::vector<float> &storage,
                  std::string *why = nullptr);

/// An elements attribute of `type` (element type f32, f16 or bf16) holding
/// `data` rounded to that element type (exact for values read from such a
/// tensor). Large ones go into a resource blob named `blobName`.
mlir::ElementsAttr makeWeightElements(mlir::RankedTensorType type,
                                      llvm::ArrayRef<float> data,
                                      llvm::StringRef blobName);

/// `v` rounded to the nearest value of float type `type` (f32: unchanged).
float roundToElementType(float v, mlir::Type type);

/// Clusters the weights `w` of a layer (k-means over the nonzeros, codebook
/// entry 0 = 0.0) into a dense-format tensor of codebook indices. With an
/// f16 / bf16 `elementType` the centroids are rounded to it, so that the
/// codebook (stored as f32) holds values of the weights' type. Returns an
/// error message or "".
std::string clusterWeights(llvm::ArrayRef<float> w,
                           const std::vector<int64_t> &shape,
                           const LayerConfig &config, CompressedTensor &result,
                           const ParallelFor &pfor = {},
                           mlir::Type elementType = {});

/// Replaces the weight constant `oldConstant` by a `dc.constant` holding
/// `tensor` (plus a `dc.decompress` of it if `oldConstant` is not a
/// dc.constant); keeps the layer name and the dc.config / dc.pruned
/// attributes.
mlir::LogicalResult replaceWithCompressed(mlir::Operation *oldConstant,
                                          const Layer &layer,
                                          const CompressedTensor &tensor);

/// Copies a given option into `out` (options without a default of their own
/// stay std::nullopt when not given).
template <typename OptionT, typename T>
void readOption(const OptionT &option, std::optional<T> &out) {
  if (option.hasValue())
    out = T(option.getValue());
}
template <typename OptionT, typename T>
void readOption(const OptionT &option, T &out) {
  out = option.getValue();
}

/// Reads option FIELD of the pass into `o.FIELD` if the pass has that option:
/// each pass declares only the options it uses (Passes.td).
#define DC_READ_OPTION(FIELD)                                                  \
  {                                                                            \
    auto hasOption = [](auto &pass) -> decltype((void)pass.FIELD.hasValue()) { \
    };                                                                         \
    if constexpr (std::is_invocable_v<decltype(hasOption),                     \
                                      const CompressPassMixin &>)              \
      readOption(this->FIELD, o.FIELD);                                        \
  }

/// Mixes the shared option handling into a TableGen-generated pass base.
template <typename BaseT> class CompressPassMixin : public BaseT {
public:
  using BaseT::BaseT;

  CompressOptions getCompressOptions() const {
    CompressOptions o;
    DC_READ_OPTION(sparsity)
    DC_READ_OPTION(fcSparsity)
    DC_READ_OPTION(convSparsity)
    DC_READ_OPTION(threshold)
    DC_READ_OPTION(stdScale)
    DC_READ_OPTION(bits)
    DC_READ_OPTION(fcBits)
    DC_READ_OPTION(convBits)
    DC_READ_OPTION(indexBits)
    DC_READ_OPTION(fcIndexBits)
    DC_READ_OPTION(convIndexBits)
    DC_READ_OPTION(init)
    DC_READ_OPTION(seed)
    DC_READ_OPTION(codebook)
    DC_READ_OPTION(format)
    DC_READ_OPTION(entropy)
    DC_READ_OPTION(minElements)
    DC_READ_OPTION(report)
    return o;
  }

  /// Checks the option names (an unknown one names this pass and the
  /// nearest option) and validates the values as soon as they are parsed, so
  /// that a bad value fails the pipeline before any work. Every message
  /// starts with this pass's name.
  mlir::LogicalResult initializeOptions(
      llvm::StringRef options,
      llvm::function_ref<mlir::LogicalResult(const llvm::Twine &)>
          errorHandler) override {
    llvm::StringRef name = this->getArgument();
    std::string printed;
    llvm::raw_string_ostream printedStream(printed);
    this->printAsTextualPipeline(printedStream);
    std::string error = checkOptionNames(options, optionNamesOf(printed));
    if (error.empty())
      error = checkOptionValues(options, compressOptionKind);
    if (!error.empty())
      return errorHandler(name + ": " + error);
    if (mlir::failed(BaseT::initializeOptions(
            options, [&](const llvm::Twine &message) {
              return errorHandler(renameOptionError(message.str(), name));
            })))
      return mlir::failure();
    error = validateOptions(getCompressOptions());
    if (!error.empty())
      return errorHandler(name + ": " + error);
    return mlir::success();
  }

  /// Runs `stage`, then writes the report if asked to.
  void runStage(CompressStage &stage) {
    CompressOptions options = getCompressOptions();
    mlir::ModuleOp module = this->getOperation();
    std::string error = validateOptions(options);
    if (!error.empty()) {
      module.emitError() << this->getArgument() << ": " << error;
      return this->signalPassFailure();
    }
    if (mlir::failed(runCompressStage(module, options, stage)))
      return this->signalPassFailure();
    if (!options.report.empty() &&
        mlir::failed(writeStorageReport(module, options.report)))
      return this->signalPassFailure();
  }
};

#undef DC_READ_OPTION

} // namespace dc

#endif // DC_LIB_TRANSFORMS_COMPRESSPASS_H
