//===- SparseLayout.h - dc's sparse row-group execution layout -*- C++ -*-===//
//
// The layout every target and batch can use (see SparseLayout.cpp for the
// format): rows of A sorted by entry count, cut into groups of R rows
// stored interleaved word by word, each entry a (codebook index, column
// delta) field packed into u64 words.
//
//===----------------------------------------------------------------------===//

#ifndef DC_LIB_CONVERSION_KERNELS_SPARSELAYOUT_H
#define DC_LIB_CONVERSION_KERNELS_SPARSELAYOUT_H

#include "HuffmanWordsLoader.h"
#include "KernelLayout.h"

#include <memory>

namespace dc::kernels {

struct ExecLayout {
  int64_t m = 0, k = 0;
  unsigned b = 0, g = 0, e = 0, p = 0, r = 0;
  uint64_t nonzeros = 0, entries = 0; // entries include fillers + padding
  std::vector<uint64_t> words;
  std::vector<int32_t> offsets; // numGroups + 1
  std::vector<int32_t> rows;    // m
  std::vector<float> table;     // 2^b
  uint64_t bytesPQ = 0, bytesPQH = 0;
  /// entropy = huffman: `words` is not stored in the object but decoded at
  /// load from two canonical Huffman streams over the fields of the words
  /// (in word order, padding included): the value indices (alphabet 2^b)
  /// and the deltas (alphabet 2^g).
  bool huffman = false;
  bool ans = false; // entropy = ans: rANS streams, the lengths its tables
  std::vector<uint8_t> valueBytes, deltaBytes;     // coded streams
  std::vector<uint8_t> valueLengths, deltaLengths; // code lengths
  uint64_t huffmanTableBytes = 0; // decoding tables (i32 globals)
  uint64_t wordsBytes() const { return words.size() * 8; }
  uint64_t streamBytes() const;
  /// Bytes of constant data in the compiled object.
  uint64_t objectBytes() const;
  int64_t numGroups() const { return int64_t(offsets.size()) - 1; }
};

/// Builds the sparse layout of `src` with groups of `r` rows. With
/// `sortRows` false the rows keep their order (the compact form the tile
/// layout is built from at load: r = 1, `offsets` = row word offsets).
mlir::LogicalResult buildExecLayout(const LayoutSource &src, unsigned r,
                                    bool sortRows, ExecLayout &layout,
                                    std::string &err);

/// The globals of an ExecLayout: `words` (constant, or filled at load by
/// `loader` with entropy = huffman), `offsets`, `rows`, `table`.
struct ExecLayoutGlobals {
  std::string words, offsets, rows, table;
  HuffmanWordsLoader loader;
};
mlir::LogicalResult
emitExecLayoutGlobals(mlir::ModuleOp module, mlir::Location loc,
                      llvm::StringRef prefix, const ExecLayout &layout,
                      SharedFunctions &shared, ExecLayoutGlobals &globals,
                      std::string &err);

/// The sparse layout behind KernelLayout.
std::unique_ptr<KernelLayout> makeSparseLayout(const LayoutSource &src,
                                               unsigned rowsPerGroup,
                                               std::string &err);

} // namespace dc::kernels

#endif // DC_LIB_CONVERSION_KERNELS_SPARSELAYOUT_H
