//===- StorageReport.h - Measured storage of compressed layers --*- C++ -*-===//
//
// The storage report of INTERFACE.md, measured on the streams the encoder
// produced (core measureStorage on each layer's dc.constant). Layers that
// are still plain arith.constants count as dense f32 (32 bits per weight).
//
// Averages: avg_weight_bits_huffman = bits of the (entropy-coded, if coded)
// value stream / stored entries; avg_index_bits_huffman = bits of the gap
// stream / stored entries. Stored entries include fillers (dense format:
// every element). weight_bits / index_bits are the fixed widths (index_bits
// 0 for the dense format). The total sums counts and sizes and weighs the
// per-layer bit widths by stored entries.
//
//===----------------------------------------------------------------------===//

#ifndef DC_TRANSFORMS_STORAGEREPORT_H
#define DC_TRANSFORMS_STORAGEREPORT_H

#include "dc/Transforms/Layers.h"

#include "mlir/IR/BuiltinOps.h"
#include "llvm/Support/raw_ostream.h"

#include <functional>
#include <string>
#include <vector>

namespace dc {

struct LayerStorage {
  std::string name;
  std::string kind; // "fc", "conv" or "total".
  std::vector<int64_t> shape;
  uint64_t weights = 0, nonzeros = 0, fillers = 0, entries = 0;
  double weightBits = 0, indexBits = 0;
  uint64_t codebookEntries = 0; // All codebooks' entries (groups x entries).
  /// Codebook granularity (`layer`, `channel`, `group:G`; the total: the
  /// layers' common one, else `mixed`) and the number of codebooks (0 for
  /// raw or uncompressed weights).
  std::string codebook = "layer";
  uint64_t codebooks = 0;
  double avgWeightBitsCoded = 0, avgIndexBitsCoded = 0;
  uint64_t bytesDense = 0, bytesPQ = 0, bytesPQH = 0;
  /// Relative L2 error of the clustering (chosen initialization, and
  /// linear initialization), from the `dc.quantization` attribute dc-cluster
  /// writes when a report is asked for; the total combines layers by their
  /// squared norms. Absent (hasQuantization false) otherwise.
  bool hasQuantization = false;
  double relError = 0, relErrorLinear = 0, squaredNorm = 0;
  /// entropy = ans (INTERFACE.md): per stream, the empirical order-0
  /// entropy of its symbols (`entropy_bits_weights`, `entropy_bits_index`)
  /// and the bits it takes, its rANS table included (`coded_bits_weights`,
  /// `coded_bits_index`). The total sums the layers that have them.
  bool hasEntropyBits = false;
  double entropyBitsWeights = 0, entropyBitsIndex = 0;
  uint64_t codedBitsWeights = 0, codedBitsIndex = 0;
  /// Seconds dc-autotune spent searching (total only; < 0: not run).
  double searchSeconds = -1;
  double ratioPQ() const { return bytesPQ ? double(bytesDense) / bytesPQ : 0; }
  double ratioPQH() const {
    return bytesPQH ? double(bytesDense) / bytesPQH : 0;
  }
};

/// Measures every layer of `module` (in parallel); the last entry is the
/// total. Fails with a diagnostic on a corrupt payload.
mlir::FailureOr<std::vector<LayerStorage>>
measureModuleStorage(mlir::ModuleOp module);

/// `{"layers": [...], "total": {...}}`.
void printStorageReportJSON(llvm::ArrayRef<LayerStorage> rows,
                            llvm::raw_ostream &os);
/// A table in the style of the paper's per-layer tables.
void printStorageReportTable(llvm::ArrayRef<LayerStorage> rows,
                             llvm::raw_ostream &os);

/// Receives the storage reports written in one MLIRContext instead of (for
/// the table) or in addition to (for a JSON file) their usual destination:
/// `text` is the JSON document or, with `isTable`, the `report=-` table. The C
/// interface uses it to return the report. Registered for the lifetime of
/// the object; at most one per context.
class ScopedStorageReportListener {
public:
  using Callback = std::function<void(llvm::StringRef text, bool isTable)>;
  ScopedStorageReportListener(mlir::MLIRContext *context, Callback callback);
  ~ScopedStorageReportListener();
  ScopedStorageReportListener(const ScopedStorageReportListener &) = delete;
  ScopedStorageReportListener &
  operator=(const ScopedStorageReportListener &) = delete;

private:
  mlir::MLIRContext *context;
};

/// Checks, before any work, that a report can be written to `path` (its
/// directory exists and is writable); "-" is always fine. Returns an error
/// message or "".
std::string checkReportPath(llvm::StringRef path);

/// Measures `module` and writes the report to `path` (JSON), or prints the
/// table to stderr when `path` is "-" (to a listener if one is registered).
mlir::LogicalResult writeStorageReport(mlir::ModuleOp module,
                                       llvm::StringRef path);

} // namespace dc

#endif // DC_TRANSFORMS_STORAGEREPORT_H
