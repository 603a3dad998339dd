//===- CompressPipeline.cpp - dc-compress ---------------------------------===//
//
// dc-prune, dc-cluster, dc-sparse-encode and dc-huffman in a row. The
// pipeline takes the options of all four (one options struct, so that
// `--help` lists them once, under dc-compress), checks names and values
// before any pass runs (every message starts with "dc-compress: "), then
// hands each pass exactly the options it declares, as given; only the last
// pass writes the storage report.
//
//===----------------------------------------------------------------------===//

#include "dc/Pipelines/Pipelines.h"
#include "dc/Transforms/ClusterForPipeline.h"
#include "dc/Transforms/CompressConfig.h"
#include "dc/Transforms/Passes.h"

#include "mlir/Pass/PassManager.h"
#include "mlir/Pass/PassOptions.h"
#include "mlir/Pass/PassRegistry.h"
#include "llvm/ADT/STLExtras.h"

using namespace mlir;

using llvm::cl::desc;

namespace {
/// Keep the descriptions equal to the passes' (include/dc/Transforms/
/// Passes.td); only their grouping differs.
struct CompressPipelineOptions
    : public PassPipelineOptions<CompressPipelineOptions> {
  template <typename T> using Opt = PassOptions::Option<T>;

  // dc-prune.
  Opt<double> sparsity{*this, "sparsity",
                       desc("Fraction of the weights pruned in every layer, in "
                            "[0, 1) (default: no pruning)")};
  Opt<double> fcSparsity{
      *this, "fc-sparsity",
      desc("Fraction pruned in fc layers, in [0, 1) (default: sparsity)")};
  Opt<double> convSparsity{
      *this, "conv-sparsity",
      desc("Fraction pruned in conv layers, in [0, 1) (default: sparsity)")};
  Opt<double> threshold{
      *this, "threshold",
      desc("Prune |w| < threshold, >= 0 (instead of sparsity)")};
  Opt<double> stdScale{
      *this, "std-scale",
      desc("Prune |w| < std-scale x std(layer), >= 0 (instead of sparsity)")};
  // dc-cluster.
  Opt<int> bits{*this, "bits",
                desc("Codebook index width in bits, 1..16, of every layer "
                     "(default: fc-bits, conv-bits)")};
  Opt<int> fcBits{
      *this, "fc-bits",
      desc("Codebook index width of fc layers in bits, 1..16 (default: 5)")};
  Opt<int> convBits{
      *this, "conv-bits",
      desc("Codebook index width of conv layers in bits, 1..16 (default: 8)")};
  Opt<std::string> init{*this, "init",
                        desc("Centroid initialization: linear, density, "
                             "random, kmeans++, optimal (default: linear)")};
  Opt<uint64_t> seed{
      *this, "seed",
      desc("Seed of the random and kmeans++ initializations (default: 0)")};
  Opt<std::string> codebook{
      *this, "codebook",
      desc("Codebook granularity: layer, channel (one per output channel) or "
           "group:G (one per G output channels) (default: layer)")};
  // dc-sparse-encode.
  Opt<int> indexBits{*this, "index-bits",
                     desc("Relative-index width in bits, 1..16, of every "
                          "layer (default: fc-index-bits, conv-index-bits)")};
  Opt<int> fcIndexBits{
      *this, "fc-index-bits",
      desc("Relative-index width of fc layers in bits, 1..16 (default: 5)")};
  Opt<int> convIndexBits{
      *this, "conv-index-bits",
      desc("Relative-index width of conv layers in bits, 1..16 (default: 8)")};
  Opt<std::string> format{*this, "format",
                          desc("Sparse layout: csc or csr (default: csc)")};
  // dc-huffman.
  Opt<std::string> entropy{
      *this, "entropy",
      desc("Entropy coder: huffman, ans (rANS) or none (default: huffman)")};
  // Every pass.
  Opt<int64_t> minElements{
      *this, "min-elements",
      desc("Smallest layer compressed, in weights (default: 0, every layer)")};
  Opt<std::string> report{
      *this, "report",
      desc("Storage report after the last pass: FILE (JSON) or - (table on "
           "stderr); default: none")};

  dc::CompressOptions getCompressOptions() const {
    dc::CompressOptions o;
    auto read = [](const auto &option, auto &out) {
      if (option.hasValue())
        out = option.getValue();
    };
    read(sparsity, o.sparsity);
    read(fcSparsity, o.fcSparsity);
    read(convSparsity, o.convSparsity);
    read(threshold, o.threshold);
    read(stdScale, o.stdScale);
    read(bits, o.bits);
    read(fcBits, o.fcBits);
    read(convBits, o.convBits);
    read(indexBits, o.indexBits);
    read(fcIndexBits, o.fcIndexBits);
    read(convIndexBits, o.convIndexBits);
    read(init, o.init);
    read(seed, o.seed);
    read(codebook, o.codebook);
    read(format, o.format);
    read(entropy, o.entropy);
    read(minElements, o.minElements);
    read(report, o.report);
    return o;
  }
};
} // namespace

static constexpr StringLiteral kName = "dc-compress";

/// The option names of `pass` (as printed by printAsTextualPipeline).
static SmallVector<std::string> optionNames(Pass &pass) {
  std::string printed;
  llvm::raw_string_ostream os(printed);
  pass.printAsTextualPipeline(os);
  return dc::optionNamesOf(printed);
}

static LogicalResult
buildCompressPipeline(OpPassManager &pm, StringRef options,
                      function_ref<LogicalResult(const Twine &)> errorHandler) {
  CompressPipelineOptions parsed;
  if (failed(dc::parsePipelineOptions(kName, parsed, options,
                                      dc::compressOptionKind, errorHandler)))
    return failure();
  std::string error = dc::validateOptions(parsed.getCompressOptions());
  if (!error.empty())
    return errorHandler(kName + ": " + error);

  // The cluster pass sees `report` (to record the clustering errors) but
  // does not write it; the last pass writes it.
  std::unique_ptr<Pass> passes[] = {dc::createDCPrune(),
                                    dc::createDCClusterForPipeline(),
                                    dc::createDCSparseEncode(),
                                    dc::createDCHuffman()};
  auto given = dc::splitOptionString(options);
  for (auto [i, pass] : llvm::enumerate(passes)) {
    bool seesReport = i + 1 == std::size(passes) || i == 1;
    SmallVector<std::string> names = optionNames(*pass);
    std::string passOptions;
    for (auto [key, value] : given) {
      if (!llvm::is_contained(names, key) || (key == "report" && !seesReport))
        continue;
      passOptions += (key + "=" + value + " ").str();
    }
    if (failed(pass->initializeOptions(passOptions, errorHandler)))
      return failure();
    pm.addPass(std::move(pass));
  }
  return success();
}

void dc::registerCompressPipeline() {
  registerPassPipeline(
      kName,
      "Deep Compression of every layer: dc-prune, dc-cluster, "
      "dc-sparse-encode, dc-huffman",
      buildCompressPipeline,
      [](function_ref<void(const mlir::detail::PassOptions &)> optHandler) {
        optHandler(CompressPipelineOptions());
      });
}
