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
#include "mlir/Support/LogicalResult.h"

#include <cstdint>
#include <string>

namespace dc {

/// Raw option values; -1 means "not given" where the option has no default
/// of its own.
struct CompressOptions {
  double sparsity = -1, fcSparsity = -1, convSparsity = -1;
  double threshold = -1, stdScale = -1;
  int bits = -1, fcBits = -1, convBits = -1;
  int indexBits = -1, fcIndexBits = -1, convIndexBits = -1;
  std::string init = "linear";
  uint64_t seed = 0;
  std::string format = "csc";
  std::string entropy = "huffman";
  int64_t minElements = 0;
  std::string report;
};

/// Default widths (INTERFACE.md).
constexpr unsigned kDefaultFCBits = 5, kDefaultConvBits = 8;
constexpr unsigned kDefaultFCIndexBits = 5, kDefaultConvIndexBits = 8;

/// Checks every option value. Returns an empty string when valid, else a
/// message naming the option.
std::string validateOptions(const CompressOptions &options);

enum class PruneMode { None, Fraction, Threshold, StdScale };

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
