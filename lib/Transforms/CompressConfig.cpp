//===- CompressConfig.cpp - Options and per-layer configuration -----------===//

#include "dc/Transforms/CompressConfig.h"

#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/Operation.h"

#include <cmath>
#include <cstdio>

using namespace mlir;
using namespace dc;

static bool parseInit(StringRef s, KMeansInit &init) {
  return parseKMeansInit(s.str(), init);
}

/// The sparse formats only: `dense` is what dc-cluster produces, not a
/// choice of dc-sparse-encode.
static bool parseSparseFormat(StringRef s, StorageFormat &format) {
  StorageFormat parsed;
  if (!parseFormat(s.str(), parsed) || parsed == StorageFormat::Dense)
    return false;
  format = parsed;
  return true;
}

static bool isFraction(double v) { return v >= 0.0 && v < 1.0; }

static std::string formatNumber(double v) {
  char buffer[32];
  std::snprintf(buffer, sizeof(buffer), "%g", v);
  return buffer;
}

std::string dc::validateOptions(const CompressOptions &o) {
  for (auto [name, v] :
       {std::pair<const char *, double>{"sparsity", o.sparsity},
        {"fc-sparsity", o.fcSparsity},
        {"conv-sparsity", o.convSparsity}})
    if (v != -1.0 && !isFraction(v))
      return std::string("option '") + name + "' must be in [0, 1), got " +
             formatNumber(v);
  for (auto [name, v] :
       {std::pair<const char *, double>{"threshold", o.threshold},
        {"std-scale", o.stdScale}})
    if (v != -1.0 && !(v >= 0.0 && std::isfinite(v)))
      return std::string("option '") + name + "' must be >= 0, got " +
             formatNumber(v);
  bool bySparsity =
      o.sparsity != -1.0 || o.fcSparsity != -1.0 || o.convSparsity != -1.0;
  if (int(bySparsity) + int(o.threshold != -1.0) + int(o.stdScale != -1.0) > 1)
    return "at most one of 'sparsity' (or fc-/conv-sparsity), 'threshold' and "
           "'std-scale' may be given";
  for (auto [name, v] : {std::pair<const char *, int>{"bits", o.bits},
                         {"fc-bits", o.fcBits},
                         {"conv-bits", o.convBits},
                         {"index-bits", o.indexBits},
                         {"fc-index-bits", o.fcIndexBits},
                         {"conv-index-bits", o.convIndexBits}})
    if (v != -1 && (v < 1 || v > 16))
      return std::string("option '") + name + "' must be in 1..16, got " +
             std::to_string(v);
  KMeansInit init;
  if (!parseInit(o.init, init))
    return "option 'init' must be linear, density, random, kmeans++ or "
           "optimal, got '" +
           o.init + "'";
  StorageFormat format;
  if (!parseSparseFormat(o.format, format))
    return "option 'format' must be csc or csr, got '" + o.format + "'";
  EntropyCoding entropy;
  if (!parseEntropy(o.entropy, entropy))
    return "option 'entropy' must be huffman or none, got '" + o.entropy + "'";
  if (o.minElements < 0)
    return "option 'min-elements' must be >= 0, got " +
           std::to_string(o.minElements);
  return "";
}

/// A number of a dc.config entry (integer or float attribute).
static std::optional<double> getNumber(Attribute attr) {
  if (auto f = dyn_cast<FloatAttr>(attr))
    return f.getValueAsDouble();
  if (auto i = dyn_cast<IntegerAttr>(attr))
    if (!i.getType().isInteger(1))
      return double(i.getValue().getSExtValue());
  return std::nullopt;
}

FailureOr<LayerConfig> dc::resolveLayerConfig(const Layer &layer,
                                              const CompressOptions &o) {
  bool conv = layer.kind == LayerKind::Conv;
  LayerConfig config;
  double kindSparsity = conv ? o.convSparsity : o.fcSparsity;
  if (kindSparsity != -1.0) {
    config.pruneMode = PruneMode::Fraction;
    config.pruneValue = kindSparsity;
  } else if (o.sparsity != -1.0) {
    config.pruneMode = PruneMode::Fraction;
    config.pruneValue = o.sparsity;
  } else if (o.threshold != -1.0) {
    config.pruneMode = PruneMode::Threshold;
    config.pruneValue = o.threshold;
  } else if (o.stdScale != -1.0) {
    config.pruneMode = PruneMode::StdScale;
    config.pruneValue = o.stdScale;
  }
  int kindBits = conv ? o.convBits : o.fcBits;
  config.bits = kindBits != -1 ? unsigned(kindBits)
                : o.bits != -1 ? unsigned(o.bits)
                : conv         ? kDefaultConvBits
                               : kDefaultFCBits;
  int kindIndexBits = conv ? o.convIndexBits : o.fcIndexBits;
  config.indexBits = kindIndexBits != -1 ? unsigned(kindIndexBits)
                     : o.indexBits != -1 ? unsigned(o.indexBits)
                     : conv              ? kDefaultConvIndexBits
                                         : kDefaultFCIndexBits;
  (void)parseInit(o.init, config.init);
  config.seed = o.seed;
  (void)parseSparseFormat(o.format, config.format);
  (void)parseEntropy(o.entropy, config.entropy);
  config.skip = layer.numElements < o.minElements;

  Operation *op = layer.constant;
  Attribute raw = op->getAttr("dc.config");
  if (!raw)
    return config;
  auto error = [&]() {
    InFlightDiagnostic diag = op->emitError();
    diag << "layer '" << layer.name << "': dc.config: ";
    return diag;
  };
  auto dict = dyn_cast<DictionaryAttr>(raw);
  if (!dict)
    return error() << "must be a dictionary, got " << raw;
  unsigned pruneKeys = 0;
  for (NamedAttribute entry : dict) {
    StringRef key = entry.getName().getValue();
    Attribute value = entry.getValue();
    if (key == "sparsity" || key == "threshold" || key == "std_scale") {
      std::optional<double> v = getNumber(value);
      if (!v)
        return error() << "'" << key << "' must be a number, got " << value;
      bool fraction = key == "sparsity";
      if (fraction ? !isFraction(*v) : !(*v >= 0.0 && std::isfinite(*v)))
        return error() << "'" << key << "' must be "
                       << (fraction ? "in [0, 1)" : ">= 0") << ", got "
                       << formatNumber(*v);
      ++pruneKeys;
      config.pruneMode = fraction              ? PruneMode::Fraction
                         : key == "threshold" ? PruneMode::Threshold
                                              : PruneMode::StdScale;
      config.pruneValue = *v;
    } else if (key == "bits" || key == "index_bits") {
      auto i = dyn_cast<IntegerAttr>(value);
      if (!i || i.getType().isInteger(1))
        return error() << "'" << key << "' must be an integer, got " << value;
      int64_t v = i.getValue().getSExtValue();
      if (v < 1 || v > 16)
        return error() << "'" << key << "' must be in 1..16, got " << v;
      (key == "bits" ? config.bits : config.indexBits) = unsigned(v);
    } else if (key == "init" || key == "entropy" || key == "format") {
      auto s = dyn_cast<StringAttr>(value);
      if (!s)
        return error() << "'" << key << "' must be a string, got " << value;
      bool ok = key == "init"     ? parseInit(s.getValue(), config.init)
                : key == "format" ? parseSparseFormat(s.getValue(),
                                                      config.format)
                                  : parseEntropy(s.getValue().str(),
                                                 config.entropy);
      if (!ok)
        return error() << "invalid '" << key << "' value '" << s.getValue()
                       << "'";
    } else if (key == "skip") {
      if (isa<UnitAttr>(value))
        config.skip = true;
      else if (auto b = dyn_cast<BoolAttr>(value))
        config.skip = b.getValue();
      else
        return error() << "'skip' must be a bool, got " << value;
    } else {
      return error() << "unknown key '" << key << "'";
    }
  }
  if (pruneKeys > 1)
    return error() << "at most one of 'sparsity', 'threshold' and "
                      "'std_scale' may be given";
  return config;
}
