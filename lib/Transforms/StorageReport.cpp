//===- StorageReport.cpp - Measured storage of compressed layers ----------===//

#include "dc/Transforms/StorageReport.h"

#include "CompressPass.h"

#include "dc/Dialect/DC/DCUtils.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/IR/Threading.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/Path.h"

#include <mutex>

#include <cmath>

using namespace mlir;
using namespace dc;

/// The clustering errors dc-cluster recorded on the layer, if any.
static void readQuantization(Operation *op, LayerStorage &row) {
  auto dict = op->getAttrOfType<DictionaryAttr>("dc.quantization");
  if (!dict)
    return;
  auto get = [&](StringRef key) -> std::optional<double> {
    if (auto f = dict.getAs<FloatAttr>(key))
      return f.getValueAsDouble();
    return std::nullopt;
  };
  auto rel = get("rel_error"), linear = get("rel_error_linear"),
       norm = get("sq_norm");
  if (!rel || !linear || !norm)
    return;
  row.hasQuantization = true;
  row.relError = *rel;
  row.relErrorLinear = *linear;
  row.squaredNorm = *norm;
}

/// Measures one layer; returns an error message or "".
static std::string measureLayer(const Layer &layer, LayerStorage &row) {
  row.name = layer.name;
  row.kind = stringifyLayerKind(layer.kind);
  Operation *op = layer.constant;
  if (auto constant = dyn_cast<ConstantOp>(op)) {
    CompressedTensorView view;
    ViewStorage storage;
    if (failed(getView(constant, view, storage)))
      return "invalid payload";
    StorageStats stats;
    std::string error;
    if (!measureStorage(view, stats, &error))
      return error;
    row.shape = view.shape;
    row.weights = stats.weights;
    row.nonzeros = stats.nonzeros;
    row.fillers = stats.fillers;
    row.entries = stats.entries;
    bool sparse = view.params.format != StorageFormat::Dense;
    row.weightBits = view.params.bits;
    row.indexBits = sparse ? view.params.indexBits : 0;
    row.codebookEntries = view.codebook.size;
    row.codebook = stringifyCodebookGranularity(view.params.codebookRows);
    if (view.params.bits != kRawValueBits &&
        !numCodebooks(view.shape, view.params.codebookRows, row.codebooks,
                      &error))
      return error;
    if (stats.entries) {
      row.avgWeightBitsCoded = double(stats.valueBitsCoded) / stats.entries;
      row.avgIndexBitsCoded = double(stats.gapBitsCoded) / stats.entries;
    }
    // The weights' bytes in their original element type (2 per f16 / bf16).
    row.bytesDense = stats.weights * getDenseElementBytes(layer.elementType);
    row.bytesPQ = stats.bytesPQ();
    row.bytesPQH = stats.bytesPQH();
    if (view.params.entropy == EntropyCoding::Ans) {
      row.hasEntropyBits = true;
      row.entropyBitsWeights = stats.valueEntropyBits;
      row.entropyBitsIndex = stats.gapEntropyBits;
      row.codedBitsWeights = 8 * (view.values.size + view.valueAnsTable.size);
      row.codedBitsIndex = 8 * (view.gaps.size + view.gapAnsTable.size);
    }
    readQuantization(op, row);
    return "";
  }
  // Not compressed: dense in its element type.
  auto constant = cast<arith::ConstantOp>(op);
  auto type = cast<RankedTensorType>(constant.getType());
  std::vector<float> storage;
  FailureOr<ArrayRef<float>> values =
      getWeightElements(cast<ElementsAttr>(constant.getValue()), storage);
  if (failed(values))
    return "cannot read the weights";
  row.shape.assign(type.getShape().begin(), type.getShape().end());
  row.weights = values->size();
  for (float v : *values)
    row.nonzeros += v != 0.0f;
  row.entries = row.weights;
  unsigned bytes = getDenseElementBytes(type.getElementType());
  row.weightBits = row.avgWeightBitsCoded = 8 * bytes;
  row.bytesDense = row.bytesPQ = row.bytesPQH = bytes * row.weights;
  return "";
}

FailureOr<std::vector<LayerStorage>>
dc::measureModuleStorage(ModuleOp module) {
  SmallVector<Layer> layers = findLayers(module);
  // Weights dc does not handle are not layers of the report.
  llvm::erase_if(layers,
                 [](const Layer &layer) { return !layer.unsupported.empty(); });
  std::vector<LayerStorage> rows(layers.size());
  std::vector<std::string> errors(layers.size());
  parallelFor(module.getContext(), 0, layers.size(), [&](size_t i) {
    errors[i] = measureLayer(layers[i], rows[i]);
  });
  for (auto [layer, error] : llvm::zip(layers, errors))
    if (!error.empty())
      return layer.constant->emitError()
             << "layer '" << layer.name << "': cannot measure: " << error;
  LayerStorage total;
  total.name = "total";
  total.kind = "total";
  // The bit widths are averages weighted by stored entries; when no layer
  // stores any entry (everything pruned), by weights, so that the total
  // still agrees with its rows.
  uint64_t entries = 0;
  for (const LayerStorage &row : rows)
    entries += row.entries;
  auto weightOf = [&](const LayerStorage &row) -> double {
    return entries ? row.entries : row.weights;
  };
  double sumWeights = 0;
  for (const LayerStorage &row : rows) {
    total.weights += row.weights;
    total.nonzeros += row.nonzeros;
    total.fillers += row.fillers;
    total.entries += row.entries;
    total.codebookEntries += row.codebookEntries;
    total.codebooks += row.codebooks;
    if (&row == &rows.front())
      total.codebook = row.codebook;
    else if (total.codebook != row.codebook)
      total.codebook = "mixed";
    total.bytesDense += row.bytesDense;
    total.bytesPQ += row.bytesPQ;
    total.bytesPQH += row.bytesPQH;
    double w = weightOf(row);
    sumWeights += w;
    total.weightBits += row.weightBits * w;
    total.indexBits += row.indexBits * w;
    total.avgWeightBitsCoded += row.avgWeightBitsCoded * w;
    total.avgIndexBitsCoded += row.avgIndexBitsCoded * w;
    if (row.hasEntropyBits) {
      total.hasEntropyBits = true;
      total.entropyBitsWeights += row.entropyBitsWeights;
      total.entropyBitsIndex += row.entropyBitsIndex;
      total.codedBitsWeights += row.codedBitsWeights;
      total.codedBitsIndex += row.codedBitsIndex;
    }
    if (row.hasQuantization) {
      total.hasQuantization = true;
      total.relError += row.relError * row.relError * row.squaredNorm;
      total.relErrorLinear +=
          row.relErrorLinear * row.relErrorLinear * row.squaredNorm;
      total.squaredNorm += row.squaredNorm;
    }
  }
  if (total.squaredNorm > 0) {
    total.relError = std::sqrt(total.relError / total.squaredNorm);
    total.relErrorLinear = std::sqrt(total.relErrorLinear / total.squaredNorm);
  }
  if (sumWeights > 0) {
    total.weightBits /= sumWeights;
    total.indexBits /= sumWeights;
    total.avgWeightBitsCoded /= sumWeights;
    total.avgIndexBitsCoded /= sumWeights;
  }
  if (auto tune = module->getAttrOfType<DictionaryAttr>("dc.autotune"))
    if (auto seconds = tune.getAs<FloatAttr>("search_seconds"))
      total.searchSeconds = seconds.getValueAsDouble();
  rows.push_back(std::move(total));
  return rows;
}

static void writeRow(llvm::json::OStream &j, const LayerStorage &row) {
  j.object([&] {
    j.attribute("name", row.name);
    j.attribute("kind", row.kind);
    j.attributeArray("shape", [&] {
      for (int64_t d : row.shape)
        j.value(d);
    });
    j.attribute("weights", row.weights);
    j.attribute("nonzeros", row.nonzeros);
    j.attribute("fillers", row.fillers);
    j.attribute("weight_bits", row.weightBits);
    j.attribute("index_bits", row.indexBits);
    j.attribute("codebook_entries", row.codebookEntries);
    j.attribute("codebook", row.codebook);
    j.attribute("codebooks", row.codebooks);
    j.attribute("avg_weight_bits_huffman", row.avgWeightBitsCoded);
    j.attribute("avg_index_bits_huffman", row.avgIndexBitsCoded);
    j.attribute("bytes_dense", row.bytesDense);
    j.attribute("bytes_pq", row.bytesPQ);
    j.attribute("bytes_pqh", row.bytesPQH);
    j.attribute("ratio_pq", row.ratioPQ());
    j.attribute("ratio_pqh", row.ratioPQH());
    if (row.hasQuantization) {
      j.attribute("rel_error", row.relError);
      j.attribute("rel_error_linear", row.relErrorLinear);
    }
    if (row.hasEntropyBits) {
      j.attribute("entropy_bits_weights", row.entropyBitsWeights);
      j.attribute("entropy_bits_index", row.entropyBitsIndex);
      j.attribute("coded_bits_weights", row.codedBitsWeights);
      j.attribute("coded_bits_index", row.codedBitsIndex);
    }
    if (row.searchSeconds >= 0)
      j.attribute("search_seconds", row.searchSeconds);
  });
}

void dc::printStorageReportJSON(ArrayRef<LayerStorage> rows,
                                llvm::raw_ostream &os) {
  llvm::json::OStream j(os, /*IndentSize=*/2);
  j.object([&] {
    j.attributeArray("layers", [&] {
      for (const LayerStorage &row : rows.drop_back())
        writeRow(j, row);
    });
    j.attributeBegin("total");
    writeRow(j, rows.back());
    j.attributeEnd();
  });
  os << "\n";
}

void dc::printStorageReportTable(ArrayRef<LayerStorage> rows,
                                 llvm::raw_ostream &os) {
  // The name column is as wide as the longest name, so long layer names
  // (ONNX initializers) keep the other columns aligned.
  int nameWidth = 5;
  for (const LayerStorage &r : rows)
    nameWidth = std::max<int>(nameWidth, r.name.size());
  os << "columns: weights = elements; kept = nonzeros / weights; wbits, "
        "ibits = fixed width\n"
        "  of a codebook index / relative index (bits); wbitsH, ibitsH = "
        "average bits per\n"
        "  stored entry after entropy coding; bytes_pqh = bytes after pruning, "
        "quantization\n"
        "  and entropy coding; pq, pqh = bytes_pq, bytes_pqh as percent of "
        "bytes_dense\n";
  os << llvm::format("%-*s %-5s %11s %7s %6s %6s %6s %6s %12s %7s %7s\n",
                     nameWidth, "layer", "kind", "weights", "kept", "wbits",
                     "wbitsH", "ibits", "ibitsH", "bytes_pqh", "pq", "pqh");
  for (const LayerStorage &r : rows) {
    double kept = r.weights ? 100.0 * r.nonzeros / r.weights : 0;
    double pq = r.bytesDense ? 100.0 * r.bytesPQ / r.bytesDense : 0;
    double pqh = r.bytesDense ? 100.0 * r.bytesPQH / r.bytesDense : 0;
    os << llvm::format("%-*s %-5s %11llu %6.2f%% %6.2f %6.2f %6.2f %6.2f "
                       "%12llu %6.2f%% %6.2f%%\n",
                       nameWidth, r.name.c_str(), r.kind.c_str(),
                       (unsigned long long)r.weights, kept, r.weightBits,
                       r.avgWeightBitsCoded, r.indexBits, r.avgIndexBitsCoded,
                       (unsigned long long)r.bytesPQH, pq, pqh);
  }
  // Finer codebooks than one per layer, with what they cost.
  for (const LayerStorage &r : rows.drop_back())
    if (r.codebook != "layer")
      os << llvm::format("codebook %-*s %s: %llu codebooks, %llu entries, "
                         "%llu bytes\n",
                         nameWidth, r.name.c_str(), r.codebook.c_str(),
                         (unsigned long long)r.codebooks,
                         (unsigned long long)r.codebookEntries,
                         (unsigned long long)(4 * r.codebookEntries));
  const LayerStorage &t = rows.back();
  if (t.hasEntropyBits) {
    // entropy = ans layers: bits spent per stream (table included) against
    // the empirical order-0 entropy bound.
    os << "rANS streams: bits spent (table included) / order-0 entropy "
          "bound\n";
    os << llvm::format("%-*s %14s %14s %8s %14s %14s %8s\n", nameWidth,
                       "layer", "weights", "bound", "over", "index", "bound",
                       "over");
    auto over = [](uint64_t coded, double bound) {
      return bound > 0 ? 100.0 * (double(coded) / bound - 1) : 0.0;
    };
    for (const LayerStorage &r : rows)
      if (r.hasEntropyBits)
        os << llvm::format(
            "%-*s %14llu %14.1f %7.3f%% %14llu %14.1f %7.3f%%\n", nameWidth,
            r.name.c_str(), (unsigned long long)r.codedBitsWeights,
            r.entropyBitsWeights, over(r.codedBitsWeights, r.entropyBitsWeights),
            (unsigned long long)r.codedBitsIndex, r.entropyBitsIndex,
            over(r.codedBitsIndex, r.entropyBitsIndex));
  }
  os << llvm::format("compression: %.1fx (P+Q), %.1fx (P+Q+H)\n", t.ratioPQ(),
                     t.ratioPQH());
}

namespace {
/// The listeners of ScopedStorageReportListener, by context.
struct ListenerRegistry {
  std::mutex mutex;
  llvm::DenseMap<MLIRContext *, ScopedStorageReportListener::Callback> map;
};
} // namespace

static ListenerRegistry &getListeners() {
  static ListenerRegistry registry;
  return registry;
}

ScopedStorageReportListener::ScopedStorageReportListener(MLIRContext *context,
                                                         Callback callback)
    : context(context) {
  ListenerRegistry &registry = getListeners();
  std::lock_guard<std::mutex> lock(registry.mutex);
  registry.map[context] = std::move(callback);
}

ScopedStorageReportListener::~ScopedStorageReportListener() {
  ListenerRegistry &registry = getListeners();
  std::lock_guard<std::mutex> lock(registry.mutex);
  registry.map.erase(context);
}

/// Hands `text` to the listener of `context`; false if there is none.
static bool notifyListener(MLIRContext *context, StringRef text,
                           bool isTable) {
  ListenerRegistry &registry = getListeners();
  std::lock_guard<std::mutex> lock(registry.mutex);
  auto it = registry.map.find(context);
  if (it == registry.map.end())
    return false;
  it->second(text, isTable);
  return true;
}

std::string dc::checkReportPath(StringRef path) {
  if (path == "-")
    return "";
  if (llvm::sys::fs::is_directory(path))
    return "report path '" + path.str() + "' is a directory";
  StringRef dir = llvm::sys::path::parent_path(path);
  if (dir.empty())
    dir = ".";
  if (!llvm::sys::fs::is_directory(dir))
    return "cannot write the storage report '" + path.str() +
           "': directory '" + dir.str() + "' does not exist";
  if (llvm::sys::fs::access(dir, llvm::sys::fs::AccessMode::Write))
    return "cannot write the storage report '" + path.str() +
           "': directory '" + dir.str() + "' is not writable";
  return "";
}

LogicalResult dc::writeStorageReport(ModuleOp module, StringRef path) {
  FailureOr<std::vector<LayerStorage>> rows = measureModuleStorage(module);
  if (failed(rows))
    return failure();
  MLIRContext *context = module.getContext();
  if (path == "-") {
    std::string table;
    llvm::raw_string_ostream tableStream(table);
    printStorageReportTable(*rows, tableStream);
    if (!notifyListener(context, table, /*isTable=*/true))
      llvm::errs() << table;
    return success();
  }
  std::string json;
  llvm::raw_string_ostream jsonStream(json);
  printStorageReportJSON(*rows, jsonStream);
  std::error_code ec;
  llvm::raw_fd_ostream os(path, ec, llvm::sys::fs::OF_Text);
  if (ec)
    return module.emitError() << "cannot write the storage report '" << path
                              << "': " << ec.message();
  os << json;
  notifyListener(context, json, /*isTable=*/false);
  return success();
}
