//===- CompressedTensor.h - The dc weight encoding, IR-free -----*- C++ -*-===//
//
// One compressed weight tensor: what `dc.constant` carries and what every
// pass, lowering, the Python front end and fuzzers encode or decode. The
// tensor is viewed as a matrix [shape[0], prod(shape[1:])] after dropping
// leading unit dimensions (a 1-D tensor is one row). Streams:
//   - values: one entry per stored element, a `bits`-wide codebook index
//     (index 0 is exact zero), or a raw f32 bit pattern when bits == 32 and
//     there is no codebook;
//   - gaps (sparse formats only): `indexBits`-wide relative indices, see
//     RelativeIndex.h; fillers are entries with value index 0;
//   - pointers (sparse formats only): numSlices + 1 entry offsets, 32-bit;
//     slices are columns (CSC) or rows (CSR).
// With Huffman entropy coding, the values and gaps streams hold canonical
// Huffman bit streams described by per-symbol code lengths. With rANS
// (entropy = ans, dc/Core/Ans.h) they hold rANS streams, each described by
// its serialized frequency table (alphabet 2^bits for values, 2^indexBits
// for gaps).
// Codebooks: one for the whole tensor (codebookRows == 0, the paper's), or
// one per group of `codebookRows` consecutive rows of the matrix view (1: one
// per row, i.e. per output channel of an [out, ...] weight). The codebook is
// then groups x E floats, group-major (E entries per group, E <= 2^bits, each
// group's entry 0 exactly +0.0), and the value index v of an element in row
// r means codebook[(r / codebookRows) * E + v].
//
//===----------------------------------------------------------------------===//

#ifndef DC_CORE_COMPRESSEDTENSOR_H
#define DC_CORE_COMPRESSEDTENSOR_H

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace dc {

enum class StorageFormat { Dense, CSC, CSR };
enum class EntropyCoding { None, Huffman, Ans };

/// Raw f32 values, no codebook.
constexpr unsigned kRawValueBits = 32;

const char *stringifyFormat(StorageFormat format);
const char *stringifyEntropy(EntropyCoding entropy);
bool parseFormat(const std::string &s, StorageFormat &format);
bool parseEntropy(const std::string &s, EntropyCoding &entropy);

template <typename T> struct Span {
  const T *data = nullptr;
  size_t size = 0;
  Span() = default;
  Span(const T *data, size_t size) : data(data), size(size) {}
  Span(const std::vector<T> &v) : data(v.data()), size(v.size()) {}
  const T &operator[](size_t i) const { return data[i]; }
  const T *begin() const { return data; }
  const T *end() const { return data + size; }
  bool empty() const { return size == 0; }
};

/// Encoding parameters (what the `#dc.encoding` attribute holds).
struct EncodingParams {
  StorageFormat format = StorageFormat::Dense;
  unsigned bits = 5;      // 1..16, or kRawValueBits.
  unsigned indexBits = 5; // 1..16; meaningful for sparse formats only.
  EntropyCoding entropy = EntropyCoding::None;
  /// Rows of the matrix view per codebook; 0: one codebook for the tensor.
  unsigned codebookRows = 0;
};

/// The number of codebooks of a tensor of `shape` with `codebookRows` rows per
/// codebook (1 when codebookRows == 0). False (with a message) when
/// codebookRows does not divide the rows of the matrix view.
bool numCodebooks(const std::vector<int64_t> &shape, unsigned codebookRows,
                  uint64_t &groups, std::string *error);

/// Entries per codebook of `view` (its codebook size / numCodebooks); 0 for
/// raw tensors or when the codebook does not split evenly.
struct CompressedTensorView;
uint64_t codebookEntries(const CompressedTensorView &view);

/// A non-owning view of a compressed tensor (payloads may live in MLIR
/// resource blobs).
struct CompressedTensorView {
  std::vector<int64_t> shape;
  EncodingParams params;
  Span<float> codebook;           // Empty iff bits == kRawValueBits.
  Span<uint32_t> pointers;        // Sparse only.
  Span<uint8_t> values;           // Packed or Huffman-coded.
  Span<uint8_t> gaps;             // Sparse only.
  Span<uint8_t> valueCodeLengths; // Huffman only.
  Span<uint8_t> gapCodeLengths;   // Huffman + sparse only.
  Span<uint8_t> valueAnsTable;    // rANS only (writeAnsTable bytes).
  Span<uint8_t> gapAnsTable;      // rANS + sparse only.
  /// Stored entries (fillers included); must match the streams.
  uint64_t numEntries = 0;
};

/// An owning compressed tensor.
struct CompressedTensor {
  std::vector<int64_t> shape;
  EncodingParams params;
  std::vector<float> codebook;
  std::vector<uint32_t> pointers;
  std::vector<uint8_t> values, gaps;
  std::vector<uint8_t> valueCodeLengths, gapCodeLengths;
  std::vector<uint8_t> valueAnsTable, gapAnsTable;
  uint64_t numEntries = 0;
  uint64_t numFillers = 0;

  CompressedTensorView view() const;
};

/// Matrix view of a shape: leading unit dimensions dropped, then rows = the
/// first dimension, cols = product of the rest.
void matrixDims(const std::vector<int64_t> &shape, int64_t &rows,
                int64_t &cols);
int64_t numElements(const std::vector<int64_t> &shape);

/// Decoded entries, in storage order: slice by slice (columns for CSC, rows
/// for CSR, row-major elements for Dense).
struct DecodedEntries {
  std::vector<uint32_t> values; // Codebook indices or raw f32 bits.
  std::vector<uint32_t> gaps;   // Sparse only.
};

/// Checks every invariant of `view` cheaply (sizes, widths, pointers
/// monotone and consistent, code tables valid) without decoding streams.
bool verifyCompressedTensor(const CompressedTensorView &view,
                            std::string *error);

/// Decodes the value and gap streams (fixed width or Huffman). Validates
/// everything; returns false with `error` on any inconsistency, including
/// codebook indices out of range and positions past the slice length.
bool decodeEntries(const CompressedTensorView &view, DecodedEntries &entries,
                   std::string *error);

/// The largest tensor dc materializes (2^30 elements, 4 GiB of f32): the
/// dense decoders, and every buffer dc-to-llvm emits or allocates for a
/// compressed constant or a contraction's operands (decode-once buffers,
/// kernel layouts, results). A compressed payload can be tiny while its
/// declared shape is huge (2^40 x 0, a 16 GiB view of an empty payload);
/// beyond this limit the passes report an error instead of allocating.
constexpr uint64_t kMaxDenseElements = uint64_t(1) << 30;

/// The number of elements of `shape` with overflow checks: false if a
/// dimension is negative (dynamic) or the product exceeds 2^63 - 1.
bool checkedNumElements(const int64_t *shape, size_t rank, uint64_t &count);
inline bool checkedNumElements(const std::vector<int64_t> &shape,
                               uint64_t &count) {
  return checkedNumElements(shape.data(), shape.size(), count);
}

/// Decodes to the dense row-major f32 tensor (what `dc.decompress` means).
bool decompressToDense(const CompressedTensorView &view,
                       std::vector<float> &dense, std::string *error);

/// Decodes to per-element codebook indices (row-major); bits != 32 only. With
/// per-group codebooks these are group-local (see codebookRows).
bool decompressToIndices(const CompressedTensorView &view,
                         std::vector<uint32_t> &indices, std::string *error);

/// Encodes a codebook-index tensor (row-major, index 0 = pruned/zero).
/// `codebook[0]` must be 0.0f and codebook.size() <= 2^bits; with
/// params.codebookRows != 0, `codebook` holds every group's codebook (see
/// above) and the indices are each row's group-local ones.
bool encodeIndices(const std::vector<int64_t> &shape,
                   const std::vector<uint32_t> &indices,
                   const std::vector<float> &codebook,
                   const EncodingParams &params, CompressedTensor &result,
                   std::string *error);

/// Encodes raw f32 values (bits must be kRawValueBits; zeros are pruned in
/// sparse formats). Entropy must be None.
/// Notes (implementation contract):
///   - Dense keeps every bit pattern (including -0.0 and NaN payloads);
///     sparse formats prune both +0.0 and -0.0 (they decode as +0.0).
///   - With Huffman coding and no stored entries, the code-length tables and
///     streams are empty (verify accepts empty tables iff numEntries == 0).
///   - encodeIndices / encodeRaw / reencode set result.numFillers.
bool encodeRaw(const std::vector<int64_t> &shape,
               const std::vector<float> &values, const EncodingParams &params,
               CompressedTensor &result, std::string *error);

/// Re-encodes `input` with other parameters (format, index bits, entropy;
/// `bits` and `codebookRows` must stay), e.g. to add Huffman coding.
bool reencode(const CompressedTensorView &input, const EncodingParams &params,
              CompressedTensor &result, std::string *error);

/// The same tensor with one codebook: the per-group codebooks concatenated
/// (groups x E entries) and each stored index v != 0 of a row in group g
/// replaced by g * E + v (0 stays 0), in `bits` = max(bits, ceil(log2(groups
/// x E))); format, index width and entropy coder unchanged. What the
/// kernels and the load-time decoder execute (their codebook lookups are
/// then those of a layer codebook). Fails when the indices would need more
/// than 16 bits. A tensor with one codebook is copied unchanged.
bool expandToLayerCodebook(const CompressedTensorView &input,
                           CompressedTensor &result, std::string *error);

/// Storage accounting, measured on produced streams.
struct StorageStats {
  uint64_t weights = 0;  // Logical elements.
  uint64_t nonzeros = 0; // Stored entries that are not fillers.
  uint64_t fillers = 0;
  uint64_t entries = 0; // nonzeros + fillers (all elements for Dense).
  /// Fixed-width streams (what `entropy = none` stores), in bytes.
  uint64_t valueBytesFixed = 0, gapBytesFixed = 0;
  /// Entropy-coded streams in bits and bytes (= fixed when not coded).
  uint64_t valueBitsCoded = 0, gapBitsCoded = 0;
  uint64_t valueBytesCoded = 0, gapBytesCoded = 0;
  uint64_t codeTableBytes = 0; // Huffman code-length or rANS tables.
  /// Empirical order-0 entropy of the value and gap streams' symbols, in
  /// bits (sum n_s log2(N / n_s); 0 for an empty stream).
  double valueEntropyBits = 0, gapEntropyBits = 0;
  uint64_t codebookBytes = 0;  // 4 per entry (groups x entries).
  uint64_t pointerBytes = 0;   // 4 per pointer.
  uint64_t bytesDense() const { return weights * 4; }
  uint64_t bytesPQ() const {
    return valueBytesFixed + gapBytesFixed + codebookBytes + pointerBytes;
  }
  uint64_t bytesPQH() const {
    return valueBytesCoded + gapBytesCoded + codeTableBytes + codebookBytes +
           pointerBytes;
  }
};

/// Measures `view` (decodes it to count fillers and re-pack fixed width).
/// For Dense, `fillers` is 0 and `nonzeros` counts entries that are not zero
/// (so entries == weights, not nonzeros + fillers). For sparse formats every
/// entry with value 0 counts as a filler. valueBitsCoded / gapBitsCoded are
/// the bits the Huffman decoder consumed (entries * width when not coded;
/// 8 x the stream bytes with rANS, whose stream is whole bytes);
/// the *BytesCoded fields are the actual stream sizes.
bool measureStorage(const CompressedTensorView &view, StorageStats &stats,
                    std::string *error);

} // namespace dc

#endif // DC_CORE_COMPRESSEDTENSOR_H
