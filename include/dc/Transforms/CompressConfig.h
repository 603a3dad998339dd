//===- CompressConfig.h - Options and per-layer configuration ---*- C++ -*-===//
//
// The values of the `dc-compress` options (declared once in Passes.td) and
// their resolution into one configuration per layer: kind-specific options
// override the general ones, and a `dc.config` dictionary on the layer's
// constant overrides both.
//
//===----------------------------------------------------------------------===//

#ifndef DC_TRANSFORMS_COMPRESSCONFIG_H
#define DC_TRANSFORMS_COMPRESSCONFIG_H

#include "dc/Core/CompressedTensor.h"
#include "dc/Core/KMeans.h"
#include "dc/Transforms/Layers.h"

#include "mlir/Support/LLVM.h"
#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringRef.h"
#include "mlir/Support/LogicalResult.h"

#include <cstdint>
#include <optional>
#include <string>

namespace dc {

/// Option values as given: an option that was not given is std::nullopt
/// (every value, -1 included, is checked by validateOptions).
struct CompressOptions {
  std::optional<double> sparsity, fcSparsity, convSparsity;
  std::optional<double> threshold, stdScale;
  std::optional<int> bits, fcBits, convBits;
  std::optional<int> indexBits, fcIndexBits, convIndexBits;
  std::string init = "linear";
  uint64_t seed = 0;
  std::string codebook = "layer";
  std::string format = "csc";
  std::string entropy = "huffman";
  int64_t minElements = 0;
  std::string report;
};

/// Default widths (INTERFACE.md).
constexpr unsigned kDefaultFCBits = 5, kDefaultConvBits = 8;
constexpr unsigned kDefaultFCIndexBits = 5, kDefaultConvIndexBits = 8;

/// Checks every option value (and that the report path can be written).
/// Returns an empty string when valid, else a message naming the option.
std::string validateOptions(const CompressOptions &options);

/// Splits a pass option string (`a=1 b={x y} c="p q"`) into key/value pairs
/// the way MLIR's pass option parser does; values keep their quotes.
llvm::SmallVector<std::pair<llvm::StringRef, llvm::StringRef>>
splitOptionString(llvm::StringRef options);

/// The option names in a `{a=1 b=2}` or `name{a=1 b=2}` string as printed by
/// Pass::printAsTextualPipeline or PassOptions::print.
llvm::SmallVector<std::string> optionNamesOf(llvm::StringRef printed);

/// Checks that every key of `options` is one of `known`; else a message
/// "no option 'KEY' (did you mean 'NEAREST'?); options: ..." (empty if all
/// keys are known).
std::string checkOptionNames(llvm::StringRef options,
                             llvm::ArrayRef<std::string> known);

/// What an option's value must look like. llvm::cl reports a malformed value
/// straight to stderr ("for the --seed option: ..."), without the pass name,
/// so the values are checked before they reach it.
enum class OptionValueKind { Real, Integer, Unsigned, Bool, String };

/// The kind of the `dc-compress` option `name` (String for unknown names).
OptionValueKind compressOptionKind(llvm::StringRef name);

/// Checks the value of every `key=value` of `options` against
/// `kindOf(key)`; returns "option 'KEY' must be ..., got 'VALUE'" or "".
std::string
checkOptionValues(llvm::StringRef options,
                  llvm::function_ref<OptionValueKind(llvm::StringRef)> kindOf);

/// MLIR's option parser prefixes its messages with "<Pass-Options-Parser>: ";
/// returns `message` with that prefix replaced by `name` (the pass or
/// pipeline the user typed) and without a trailing newline.
std::string renameOptionError(llvm::StringRef message, llvm::StringRef name);

enum class PruneMode { None, Fraction, Threshold, StdScale };

/// Parses a `codebook` value: `layer` (0), `channel` (1) or `group:G` (G, a
/// positive integer); else returns why not.
std::string parseCodebookGranularity(llvm::StringRef value,
                                     unsigned &codebookRows);

/// `layer`, `channel` or `group:G` for a number of rows per codebook.
std::string stringifyCodebookGranularity(unsigned codebookRows);

/// Everything the compression passes need to know about one layer.
struct LayerConfig {
  PruneMode pruneMode = PruneMode::None;
  double pruneValue = 0;
  unsigned bits = kDefaultFCBits;
  unsigned indexBits = kDefaultFCIndexBits;
  KMeansInit init = KMeansInit::Linear;
  uint64_t seed = 0;
  StorageFormat format = StorageFormat::CSC;
  EntropyCoding entropy = EntropyCoding::Huffman;
  /// Output channels per codebook: 0 one for the layer (`codebook=layer`),
  /// 1 `channel`, G `group:G`.
  unsigned codebookRows = 0;
  /// `skip` in dc.config, or fewer than min-elements weights.
  bool skip = false;
};

/// The configuration of `layer` under valid `options`. An invalid
/// `dc.config` (unknown key, wrong type, bad value) gives an error on the
/// layer's constant naming the layer.
mlir::FailureOr<LayerConfig> resolveLayerConfig(const Layer &layer,
                                                const CompressOptions &options);

} // namespace dc

#endif // DC_TRANSFORMS_COMPRESSCONFIG_H
