//===- CompressConfig.cpp - Options and per-layer configuration -----------===//

#include "dc/Transforms/CompressConfig.h"
#include "dc/Transforms/StorageReport.h"

#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/Operation.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringSwitch.h"

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

std::string dc::parseCodebookGranularity(StringRef value,
                                         unsigned &codebookRows) {
  if (value == "layer") {
    codebookRows = 0;
    return "";
  }
  if (value == "channel") {
    codebookRows = 1;
    return "";
  }
  StringRef count = value;
  uint64_t g = 0;
  if (!count.consume_front("group:"))
    return "must be layer, channel or group:G, got '" + value.str() + "'";
  if (count.getAsInteger(10, g) || g < 1 || g > (1u << 30))
    return "group:G needs G a positive number of output channels, got '" +
           value.str() + "'";
  codebookRows = unsigned(g);
  return "";
}

std::string dc::stringifyCodebookGranularity(unsigned codebookRows) {
  if (codebookRows == 0)
    return "layer";
  if (codebookRows == 1)
    return "channel";
  return "group:" + std::to_string(codebookRows);
}

static bool isFraction(double v) { return v >= 0.0 && v < 1.0; }

static std::string formatNumber(double v) {
  char buffer[32];
  std::snprintf(buffer, sizeof(buffer), "%g", v);
  return buffer;
}

std::string dc::validateOptions(const CompressOptions &o) {
  for (auto [name, v] :
       {std::pair<const char *, std::optional<double>>{"sparsity", o.sparsity},
        {"fc-sparsity", o.fcSparsity},
        {"conv-sparsity", o.convSparsity}})
    if (v && !isFraction(*v))
      return std::string("option '") + name + "' must be in [0, 1), got " +
             formatNumber(*v);
  for (auto [name, v] :
       {std::pair<const char *, std::optional<double>>{"threshold",
                                                       o.threshold},
        {"std-scale", o.stdScale}})
    if (v && !(*v >= 0.0 && std::isfinite(*v)))
      return std::string("option '") + name + "' must be >= 0, got " +
             formatNumber(*v);
  bool bySparsity = o.sparsity || o.fcSparsity || o.convSparsity;
  if (int(bySparsity) + int(o.threshold.has_value()) +
          int(o.stdScale.has_value()) >
      1)
    return "at most one of 'sparsity' (or fc-/conv-sparsity), 'threshold' and "
           "'std-scale' may be given";
  for (auto [name, v] :
       {std::pair<const char *, std::optional<int>>{"bits", o.bits},
        {"fc-bits", o.fcBits},
        {"conv-bits", o.convBits},
        {"index-bits", o.indexBits},
        {"fc-index-bits", o.fcIndexBits},
        {"conv-index-bits", o.convIndexBits}})
    if (v && (*v < 1 || *v > 16))
      return std::string("option '") + name + "' must be in 1..16, got " +
             std::to_string(*v);
  KMeansInit init;
  if (!parseInit(o.init, init))
    return "option 'init' must be linear, density, random, kmeans++ or "
           "optimal, got '" +
           o.init + "'";
  unsigned codebookRows = 0;
  std::string codebookError = parseCodebookGranularity(o.codebook, codebookRows);
  if (!codebookError.empty())
    return "option 'codebook' " + codebookError;
  StorageFormat format;
  if (!parseSparseFormat(o.format, format))
    return "option 'format' must be csc or csr, got '" + o.format + "'";
  EntropyCoding entropy;
  if (!parseEntropy(o.entropy, entropy))
    return "option 'entropy' must be huffman, ans or none, got '" +
           o.entropy + "'";
  if (o.minElements < 0)
    return "option 'min-elements' must be >= 0, got " +
           std::to_string(o.minElements);
  if (!o.report.empty()) {
    std::string error = checkReportPath(o.report);
    if (!error.empty())
      return "option 'report': " + error;
  }
  return "";
}

SmallVector<std::pair<StringRef, StringRef>>
dc::splitOptionString(StringRef options) {
  SmallVector<std::pair<StringRef, StringRef>> result;
  size_t i = 0, n = options.size();
  while (i < n) {
    while (i < n && options[i] == ' ')
      ++i;
    if (i == n)
      break;
    size_t keyStart = i;
    while (i < n && options[i] != '=' && options[i] != ' ')
      ++i;
    StringRef key = options.slice(keyStart, i);
    StringRef value;
    if (i < n && options[i] == '=') {
      size_t valueStart = ++i;
      // Quotes and braces group, braces nest (as in MLIR's parser).
      int depth = 0;
      char quote = 0;
      for (; i < n; ++i) {
        char c = options[i];
        if (quote) {
          if (c == quote)
            quote = 0;
        } else if (c == '"' || c == '\'') {
          quote = c;
        } else if (c == '{') {
          ++depth;
        } else if (c == '}') {
          --depth;
        } else if (c == ' ' && depth <= 0) {
          break;
        }
      }
      value = options.slice(valueStart, i);
    }
    result.push_back({key, value});
  }
  return result;
}

SmallVector<std::string> dc::optionNamesOf(StringRef printed) {
  size_t open = printed.find('{');
  SmallVector<std::string> names;
  if (open == StringRef::npos || !printed.ends_with("}"))
    return names;
  for (auto [key, value] :
       splitOptionString(printed.drop_front(open + 1).drop_back()))
    names.push_back(key.str());
  return names;
}

std::string dc::checkOptionNames(StringRef options, ArrayRef<std::string> known) {
  for (auto [key, value] : splitOptionString(options)) {
    if (llvm::is_contained(known, key))
      continue;
    std::string message = "no option '" + key.str() + "'";
    // The nearest known name, if it is near enough to be a typo.
    StringRef nearest;
    unsigned best = ~0u;
    for (const std::string &name : known) {
      unsigned distance = key.edit_distance(name);
      if (distance < best) {
        best = distance;
        nearest = name;
      }
    }
    if (!nearest.empty() && best <= std::max<size_t>(2, key.size() / 3))
      message += " (did you mean '" + nearest.str() + "'?)";
    message += "; options: ";
    message += llvm::join(known, ", ");
    return message;
  }
  return "";
}

OptionValueKind dc::compressOptionKind(StringRef name) {
  return llvm::StringSwitch<OptionValueKind>(name)
      .Cases({"sparsity", "fc-sparsity", "conv-sparsity", "threshold",
              "std-scale"},
             OptionValueKind::Real)
      .Cases({"bits", "fc-bits", "conv-bits", "index-bits", "fc-index-bits",
              "conv-index-bits", "min-elements"},
             OptionValueKind::Integer)
      .Case("seed", OptionValueKind::Unsigned)
      .Default(OptionValueKind::String);
}

/// `value` without one level of quotes or braces (as MLIR's parser strips).
static StringRef unquote(StringRef value) {
  if (value.size() >= 2 &&
      ((value.front() == '{' && value.back() == '}') ||
       (value.front() == '"' && value.back() == '"') ||
       (value.front() == '\'' && value.back() == '\'')))
    return value.drop_front().drop_back();
  return value;
}

std::string
dc::checkOptionValues(StringRef options,
                      function_ref<OptionValueKind(StringRef)> kindOf) {
  for (auto [key, rawValue] : splitOptionString(options)) {
    StringRef value = unquote(rawValue);
    const char *expected = nullptr;
    switch (kindOf(key)) {
    case OptionValueKind::Real: {
      double d;
      if (value.empty() || value.getAsDouble(d, /*AllowInexact=*/true))
        expected = "a number";
      break;
    }
    case OptionValueKind::Integer: {
      int64_t i;
      if (value.getAsInteger(0, i))
        expected = "an integer";
      break;
    }
    case OptionValueKind::Unsigned: {
      uint64_t u;
      if (value.getAsInteger(0, u))
        expected = "an unsigned integer";
      break;
    }
    case OptionValueKind::Bool:
      if (!llvm::is_contained({"", "true", "false", "1", "0", "TRUE", "FALSE",
                               "True", "False"},
                              value))
        expected = "true, false, 1 or 0";
      break;
    case OptionValueKind::String:
      break;
    }
    if (expected)
      return "option '" + key.str() + "' must be " + expected + ", got '" +
             value.str() + "'";
  }
  return "";
}

std::string dc::renameOptionError(StringRef message, StringRef name) {
  std::string result = message.str();
  StringRef prefix = "<Pass-Options-Parser>";
  for (size_t pos; (pos = result.find(prefix.str())) != std::string::npos;)
    result.replace(pos, prefix.size(), name.str());
  while (!result.empty() && (result.back() == '\n' || result.back() == ' '))
    result.pop_back();
  if (!StringRef(result).starts_with(name))
    result = name.str() + ": " + result;
  return result;
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
  std::optional<double> kindSparsity = conv ? o.convSparsity : o.fcSparsity;
  if (kindSparsity) {
    config.pruneMode = PruneMode::Fraction;
    config.pruneValue = *kindSparsity;
  } else if (o.sparsity) {
    config.pruneMode = PruneMode::Fraction;
    config.pruneValue = *o.sparsity;
  } else if (o.threshold) {
    config.pruneMode = PruneMode::Threshold;
    config.pruneValue = *o.threshold;
  } else if (o.stdScale) {
    config.pruneMode = PruneMode::StdScale;
    config.pruneValue = *o.stdScale;
  }
  std::optional<int> kindBits = conv ? o.convBits : o.fcBits;
  config.bits = unsigned(kindBits.value_or(
      o.bits.value_or(conv ? kDefaultConvBits : kDefaultFCBits)));
  std::optional<int> kindIndexBits = conv ? o.convIndexBits : o.fcIndexBits;
  config.indexBits = unsigned(kindIndexBits.value_or(o.indexBits.value_or(
      conv ? kDefaultConvIndexBits : kDefaultFCIndexBits)));
  (void)parseInit(o.init, config.init);
  config.seed = o.seed;
  (void)parseCodebookGranularity(o.codebook, config.codebookRows);
  (void)parseSparseFormat(o.format, config.format);
  (void)parseEntropy(o.entropy, config.entropy);
  config.skip = layer.numElements < o.minElements;

  Operation *op = layer.constant;
  Attribute raw = op->getAttr("dc.config");
  // The codebook groups must tile the output channels (the rows of the
  // weight's matrix view).
  auto checkGroups = [&](bool fromConfig) -> LogicalResult {
    auto type = dyn_cast<ShapedType>(op->getResult(0).getType());
    if (config.codebookRows == 0 || config.skip || !type ||
        !type.hasStaticShape() || !layer.unsupported.empty())
      return success();
    std::vector<int64_t> shape(type.getShape().begin(), type.getShape().end());
    int64_t rows, cols;
    matrixDims(shape, rows, cols);
    if (rows > 0 && rows % int64_t(config.codebookRows) == 0)
      return success();
    InFlightDiagnostic diag = op->emitError();
    diag << "layer '" << layer.name << "': "
         << (fromConfig ? "dc.config: 'codebook' " : "codebook=")
         << stringifyCodebookGranularity(config.codebookRows) << ": ";
    if (int64_t(config.codebookRows) > rows)
      diag << "the group is larger than the layer's " << rows
           << " output channels";
    else
      diag << config.codebookRows << " does not divide the layer's " << rows
           << " output channels";
    return diag;
  };
  if (!raw) {
    if (failed(checkGroups(false)))
      return failure();
    return config;
  }
  auto error = [&]() {
    InFlightDiagnostic diag = op->emitError();
    diag << "layer '" << layer.name << "': dc.config: ";
    return diag;
  };
  bool codebookFromConfig = false;
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
    } else if (key == "codebook") {
      auto s = dyn_cast<StringAttr>(value);
      if (!s)
        return error() << "'codebook' must be a string, got " << value;
      std::string why =
          parseCodebookGranularity(s.getValue(), config.codebookRows);
      if (!why.empty())
        return error() << "'codebook' " << why;
      codebookFromConfig = true;
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
  if (failed(checkGroups(codebookFromConfig)))
    return failure();
  return config;
}
