//===- StorageReport.cpp - Measured storage of compressed layers ----------===//

#include "dc/Transforms/StorageReport.h"

#include "CompressPass.h"

#include "dc/Dialect/DC/DCUtils.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/IR/Threading.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/JSON.h"

using namespace mlir;
using namespace dc;

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
    if (stats.entries) {
      row.avgWeightBitsCoded = double(stats.valueBitsCoded) / stats.entries;
      row.avgIndexBitsCoded = double(stats.gapBitsCoded) / stats.entries;
    }
    // The weights' bytes in their original element type (2 per f16 / bf16).
    row.bytesDense = stats.weights * getDenseElementBytes(layer.elementType);
    row.bytesPQ = stats.bytesPQ();
    row.bytesPQH = stats.bytesPQH();
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
  for (const LayerStorage &row : rows) {
    total.weights += row.weights;
    total.nonzeros += row.nonzeros;
    total.fillers += row.fillers;
    total.entries += row.entries;
    total.codebookEntries += row.codebookEntries;
    total.bytesDense += row.bytesDense;
    total.bytesPQ += row.bytesPQ;
    total.bytesPQH += row.bytesPQH;
    total.weightBits += row.weightBits * row.entries;
    total.indexBits += row.indexBits * row.entries;
    total.avgWeightBitsCoded += row.avgWeightBitsCoded * row.entries;
    total.avgIndexBitsCoded += row.avgIndexBitsCoded * row.entries;
  }
  if (total.entries) {
    total.weightBits /= total.entries;
    total.indexBits /= total.entries;
    total.avgWeightBitsCoded /= total.entries;
    total.avgIndexBitsCoded /= total.entries;
  }
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
    j.attribute("avg_weight_bits_huffman", row.avgWeightBitsCoded);
    j.attribute("avg_index_bits_huffman", row.avgIndexBitsCoded);
    j.attribute("bytes_dense", row.bytesDense);
    j.attribute("bytes_pq", row.bytesPQ);
    j.attribute("bytes_pqh", row.bytesPQH);
    j.attribute("ratio_pq", row.ratioPQ());
    j.attribute("ratio_pqh", row.ratioPQH());
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
  os << llvm::format("%-16s %-5s %11s %7s %6s %6s %6s %6s %12s %7s %7s\n",
                     "layer", "kind", "weights", "kept", "wbits", "wbitsH",
                     "ibits", "ibitsH", "bytes_pqh", "pq", "pqh");
  for (const LayerStorage &r : rows) {
    double kept = r.weights ? 100.0 * r.nonzeros / r.weights : 0;
    double pq = r.bytesDense ? 100.0 * r.bytesPQ / r.bytesDense : 0;
    double pqh = r.bytesDense ? 100.0 * r.bytesPQH / r.bytesDense : 0;
    os << llvm::format("%-16s %-5s %11llu %6.2f%% %6.2f %6.2f %6.2f %6.2f "
                       "%12llu %6.2f%% %6.2f%%\n",
                       r.name.c_str(), r.kind.c_str(),
                       (unsigned long long)r.weights, kept, r.weightBits,
                       r.avgWeightBitsCoded, r.indexBits, r.avgIndexBitsCoded,
                       (unsigned long long)r.bytesPQH, pq, pqh);
  }
  const LayerStorage &t = rows.back();
  os << llvm::format("compression: %.1fx (P+Q), %.1fx (P+Q+H)\n", t.ratioPQ(),
                     t.ratioPQH());
}

LogicalResult dc::writeStorageReport(ModuleOp module, StringRef path) {
  FailureOr<std::vector<LayerStorage>> rows = measureModuleStorage(module);
  if (failed(rows))
    return failure();
  if (path == "-") {
    printStorageReportTable(*rows, llvm::errs());
    return success();
  }
  std::error_code ec;
  llvm::raw_fd_ostream os(path, ec, llvm::sys::fs::OF_Text);
  if (ec)
    return module.emitError() << "cannot write the storage report '" << path
                              << "': " << ec.message();
  printStorageReportJSON(*rows, os);
  return success();
}
