//===- CompressedTensor.cpp - The dc weight encoding, IR-free -------------===//
//
// Encoding works on "elements": one uint32 per logical element, either a
// codebook index (0 = pruned) or, with bits == 32, a raw f32 bit pattern.
// Every decoder validates before touching memory, and reports failures as
// human-readable messages (they become MLIR diagnostics).
//
//===----------------------------------------------------------------------===//

#include "dc/Core/CompressedTensor.h"

#include "dc/Core/Ans.h"
#include "dc/Core/BitStream.h"
#include "dc/Core/Huffman.h"
#include "dc/Core/RelativeIndex.h"

#include <algorithm>
#include <cmath>
#include <cstring>

using namespace dc;

//===----------------------------------------------------------------------===//
// Names
//===----------------------------------------------------------------------===//

const char *dc::stringifyFormat(StorageFormat format) {
  switch (format) {
  case StorageFormat::Dense:
    return "dense";
  case StorageFormat::CSC:
    return "csc";
  case StorageFormat::CSR:
    return "csr";
  }
  return "unknown";
}

const char *dc::stringifyEntropy(EntropyCoding entropy) {
  switch (entropy) {
  case EntropyCoding::None:
    return "none";
  case EntropyCoding::Huffman:
    return "huffman";
  case EntropyCoding::Ans:
    return "ans";
  }
  return "unknown";
}

bool dc::parseFormat(const std::string &s, StorageFormat &format) {
  if (s == "dense")
    format = StorageFormat::Dense;
  else if (s == "csc")
    format = StorageFormat::CSC;
  else if (s == "csr")
    format = StorageFormat::CSR;
  else
    return false;
  return true;
}

bool dc::parseEntropy(const std::string &s, EntropyCoding &entropy) {
  if (s == "none")
    entropy = EntropyCoding::None;
  else if (s == "huffman")
    entropy = EntropyCoding::Huffman;
  else if (s == "ans")
    entropy = EntropyCoding::Ans;
  else
    return false;
  return true;
}

CompressedTensorView CompressedTensor::view() const {
  CompressedTensorView v;
  v.shape = shape;
  v.params = params;
  v.codebook = Span<float>(codebook);
  v.pointers = Span<uint32_t>(pointers);
  v.values = Span<uint8_t>(values);
  v.gaps = Span<uint8_t>(gaps);
  v.valueCodeLengths = Span<uint8_t>(valueCodeLengths);
  v.gapCodeLengths = Span<uint8_t>(gapCodeLengths);
  v.valueAnsTable = Span<uint8_t>(valueAnsTable);
  v.gapAnsTable = Span<uint8_t>(gapAnsTable);
  v.numEntries = numEntries;
  return v;
}

//===----------------------------------------------------------------------===//
// Shapes
//===----------------------------------------------------------------------===//

void dc::matrixDims(const std::vector<int64_t> &shape, int64_t &rows,
                    int64_t &cols) {
  // Leading unit dimensions carry no rows: a TOSA-style [1, K, N] weight is
  // the K x N matrix, not one row of K * N elements (whose relative indices
  // and row-group kernels would then span the whole tensor).
  size_t first = 0;
  while (first + 1 < shape.size() && shape[first] == 1)
    ++first;
  if (first == shape.size()) {
    rows = cols = 1;
    return;
  }
  if (first + 1 == shape.size()) {
    rows = 1;
    cols = shape[first];
    return;
  }
  rows = shape[first];
  cols = 1;
  for (size_t i = first + 1; i < shape.size(); ++i)
    cols *= shape[i];
}

bool dc::checkedNumElements(const int64_t *shape, size_t rank,
                            uint64_t &count) {
  uint64_t n = 1;
  for (size_t i = 0; i < rank; ++i) {
    if (shape[i] < 0 || __builtin_mul_overflow(n, uint64_t(shape[i]), &n) ||
        n > uint64_t(INT64_MAX))
      return false;
  }
  count = n;
  return true;
}

int64_t dc::numElements(const std::vector<int64_t> &shape) {
  int64_t n = 1;
  for (int64_t d : shape)
    n *= d;
  return n;
}

bool dc::numCodebooks(const std::vector<int64_t> &shape, unsigned codebookRows,
                      uint64_t &groups, std::string *error) {
  groups = 1;
  if (codebookRows == 0)
    return true;
  int64_t rows, cols;
  matrixDims(shape, rows, cols);
  if (rows <= 0 || uint64_t(rows) % codebookRows != 0) {
    if (error)
      *error = "codebook_rows = " + std::to_string(codebookRows) +
               " does not divide the " + std::to_string(rows) +
               " rows of the matrix view";
    return false;
  }
  groups = uint64_t(rows) / codebookRows;
  return true;
}

uint64_t dc::codebookEntries(const CompressedTensorView &view) {
  if (view.params.bits == kRawValueBits)
    return 0;
  uint64_t groups = 1;
  if (!numCodebooks(view.shape, view.params.codebookRows, groups, nullptr) ||
      groups == 0 || view.codebook.size % groups != 0)
    return 0;
  return view.codebook.size / groups;
}

namespace {

/// Largest supported element count (keeps all size arithmetic in range).
constexpr uint64_t kMaxElements = uint64_t(1) << 48;
/// The most slices (and pointers) a sparse encoding builds: 2^30 pointers
/// are 4 GiB, far beyond any layer's.
constexpr uint64_t kMaxSlices = uint64_t(1) << 30;

bool fail(std::string *error, const std::string &message) {
  if (error)
    *error = message;
  return false;
}

std::string str(uint64_t v) { return std::to_string(v); }

bool isSparse(StorageFormat f) { return f != StorageFormat::Dense; }

bool checkShape(const std::vector<int64_t> &shape, std::string *error) {
  // The product of the non-zero dimensions bounds every product the matrix
  // view forms (rows, cols, slices), also for an empty tensor: [0, 2^40,
  // 2^40] has no elements, but its cols would overflow.
  uint64_t n = 1;
  for (size_t i = 0; i < shape.size(); ++i) {
    if (shape[i] < 0)
      return fail(error, "dimension " + str(i) + " of the shape is negative (" +
                             std::to_string(shape[i]) + ")");
    if (shape[i] == 0)
      continue;
    if (n > kMaxElements / uint64_t(shape[i]))
      return fail(error, "shape has too many elements");
    n *= uint64_t(shape[i]);
  }
  return true;
}

/// Slice geometry of a sparse format.
struct Geometry {
  uint64_t rows = 1, cols = 1, numel = 1;
  uint64_t numSlices = 0, sliceLength = 0;
  const char *sliceName = "row", *posName = "column";

  Geometry(const std::vector<int64_t> &shape, StorageFormat format) {
    int64_t r, c;
    matrixDims(shape, r, c);
    rows = uint64_t(r);
    cols = uint64_t(c);
    numel = rows * cols;
    if (format == StorageFormat::CSC) {
      numSlices = cols;
      sliceLength = rows;
      sliceName = "column";
      posName = "row";
    } else {
      numSlices = rows;
      sliceLength = cols;
    }
  }
  /// Row-major element index of position `pos` in slice `slice`.
  uint64_t element(StorageFormat format, uint64_t slice, uint64_t pos) const {
    return format == StorageFormat::CSC ? pos * cols + slice
                                        : slice * cols + pos;
  }
};

bool checkParams(const EncodingParams &p, std::string *error) {
  if (!((p.bits >= 1 && p.bits <= 16) || p.bits == kRawValueBits))
    return fail(error,
                "value bit width " + str(p.bits) + " is not in 1..16 or 32");
  if (isSparse(p.format) && (p.indexBits < 1 || p.indexBits > 16))
    return fail(error,
                "index bit width " + str(p.indexBits) + " is not in 1..16");
  if (p.entropy == EntropyCoding::Huffman && p.bits == kRawValueBits)
    return fail(error, "Huffman coding requires a codebook (bits != 32)");
  if (p.codebookRows != 0 && p.bits == kRawValueBits)
    return fail(error, "per-group codebooks (codebook_rows = " +
                           str(p.codebookRows) +
                           ") need a codebook (bits != 32)");
  if (p.entropy == EntropyCoding::Ans && p.bits == kRawValueBits)
    return fail(error, "rANS coding requires a codebook (bits != 32)");
  return true;
}

bool checkCodebook(Span<float> codebook, unsigned bits, uint64_t groups,
                   std::string *error) {
  if (bits == kRawValueBits) {
    if (!codebook.empty())
      return fail(error, "raw f32 values (bits = 32) must have no codebook, "
                         "found " +
                             str(codebook.size) + " entries");
    return true;
  }
  uint64_t limit = uint64_t(1) << bits;
  if (codebook.empty() && groups != 0)
    return fail(error, "codebook is empty");
  if (groups == 0) {
    if (!codebook.empty())
      return fail(error, "a tensor without rows has no codebook groups, but "
                         "the codebook has " +
                             str(codebook.size) + " entries");
    return true;
  }
  if (codebook.size % groups != 0)
    return fail(error, "codebook of " + str(codebook.size) +
                           " entries does not split into " + str(groups) +
                           " per-group codebooks");
  const uint64_t entries = codebook.size / groups;
  if (entries > limit)
    return fail(error, (groups > 1 ? "each per-group codebook has "
                                   : "codebook has ") +
                           str(entries) + " entries, more than 2^" +
                           str(bits) + " = " + str(limit));
  // Bitwise +0.0: decoders write +0.0 for index 0 without reading the
  // codebook, so a -0.0 entry would decode two ways.
  for (uint64_t g = 0; g < groups; ++g) {
    float zero = codebook[g * entries];
    if (zero != 0.0f || std::signbit(zero))
      return fail(error,
                  (groups > 1 ? "entry 0 of codebook group " + str(g)
                              : std::string("codebook entry 0")) +
                      " must be exactly 0.0 (it encodes pruned weights), "
                      "found " +
                      (std::signbit(zero) ? std::string("-0.0")
                                          : std::to_string(zero)));
  }
  for (size_t i = 0; i < codebook.size; ++i)
    if (!std::isfinite(codebook[i]))
      return fail(error, "codebook entry " + str(i) + " is not finite");
  return true;
}

/// The number of codebooks of a validated shape (see numCodebooks).
bool codebookGroups(const std::vector<int64_t> &shape, const EncodingParams &p,
                    uint64_t &groups, std::string *error) {
  return numCodebooks(shape, p.bits == kRawValueBits ? 0 : p.codebookRows,
                      groups, error);
}

/// Checks a Huffman code-length table of alphabet 2^width.
bool checkCodeTable(Span<uint8_t> table, unsigned width, const char *what,
                    uint64_t numEntries, std::string *error, unsigned &minLen,
                    unsigned &maxLen) {
  minLen = maxLen = 0;
  uint64_t alphabet = uint64_t(1) << width;
  if (table.size > alphabet)
    return fail(
        error, std::string(what) + " code-length table has " + str(table.size) +
                   " entries, more than the alphabet size " + str(alphabet));
  if (numEntries == 0 && table.empty())
    return true;
  std::vector<uint8_t> lengths(table.begin(), table.end());
  std::string why;
  if (!verifyHuffmanCodeLengths(lengths, &why))
    return fail(error, std::string("invalid ") + what + " code table: " + why);
  minLen = 255;
  for (uint8_t l : lengths)
    if (l) {
      minLen = std::min<unsigned>(minLen, l);
      maxLen = std::max<unsigned>(maxLen, l);
    }
  return true;
}

/// Checks a rANS table of alphabet 2^width (empty iff there are no
/// entries); `precision` is its precision (0 when empty).
bool checkAnsTable(Span<uint8_t> table, unsigned width, const char *what,
                   uint64_t numEntries, std::string *error,
                   unsigned &precision) {
  precision = 0;
  if (numEntries == 0) {
    if (!table.empty())
      return fail(error, std::string(what) + " rANS table has " +
                             str(table.size) +
                             " bytes but there are no entries");
    return true;
  }
  AnsTable parsed;
  std::string why;
  if (!readAnsTable(table.data, table.size, uint32_t(1) << width, parsed,
                    &why))
    return fail(error, std::string("invalid ") + what + " rANS table: " + why);
  precision = parsed.precision;
  return true;
}

/// Cheap size check of a rANS stream: the 4-byte final state, then at most
/// ceil(precision / 8) renormalization bytes per symbol.
bool checkAnsStreamSize(Span<uint8_t> stream, const char *what,
                        unsigned precision, uint64_t numEntries,
                        std::string *error) {
  if (numEntries == 0) {
    if (!stream.empty())
      return fail(error, std::string(what) + " stream has " + str(stream.size) +
                             " bytes but there are no entries");
    return true;
  }
  uint64_t perSymbol = (precision + 7) / 8, hi = 0;
  if (__builtin_mul_overflow(numEntries, perSymbol, &hi) ||
      __builtin_add_overflow(hi, uint64_t(4), &hi))
    hi = UINT64_MAX;
  if (stream.size < 4 || stream.size > hi)
    return fail(error, std::string(what) + " stream has " + str(stream.size) +
                           " bytes, but " + str(numEntries) +
                           " rANS-coded entries need between 4 and " + str(hi));
  return true;
}

/// Cheap size check of a stream (exact for fixed width, bounds for Huffman).
bool checkStreamSize(Span<uint8_t> stream, const char *what, bool huffman,
                     unsigned width, unsigned minLen, unsigned maxLen,
                     uint64_t numEntries, std::string *error) {
  if (!huffman) {
    uint64_t expected = packedBytes(numEntries, width);
    if (stream.size != expected)
      return fail(error, std::string(what) + " stream has " + str(stream.size) +
                             " bytes, expected " + str(expected) + " for " +
                             str(numEntries) + " entries of " + str(width) +
                             " bits");
    return true;
  }
  if (numEntries == 0) {
    if (!stream.empty())
      return fail(error, std::string(what) + " stream has " + str(stream.size) +
                             " bytes but there are no entries");
    return true;
  }
  uint64_t lo = packedBytes(numEntries, minLen);
  uint64_t hi = packedBytes(numEntries, maxLen);
  if (stream.size < lo || stream.size > hi)
    return fail(error, std::string(what) + " stream has " + str(stream.size) +
                           " bytes, but " + str(numEntries) +
                           " Huffman-coded entries need between " + str(lo) +
                           " and " + str(hi));
  return true;
}

/// The bits of the last byte after the `usedBits` the entries take must be
/// zero (the encoders write zeros): anything else is trailing garbage.
bool checkPaddingBits(Span<uint8_t> stream, uint64_t usedBits,
                      const char *what, std::string *error) {
  if (usedBits % 8 == 0 || stream.size != (usedBits + 7) / 8)
    return true;
  uint8_t last = stream[stream.size - 1];
  if (last >> (usedBits % 8))
    return fail(error, std::string(what) + " stream has non-zero padding "
                                           "bits after its last entry");
  return true;
}

/// Decodes one rANS stream; `consumedBits` is 8 x its bytes.
bool decodeAnsStream(Span<uint8_t> stream, Span<uint8_t> table, unsigned width,
                     uint64_t numEntries, const char *what,
                     std::vector<uint32_t> &out, uint64_t &consumedBits,
                     std::string *error) {
  std::string why;
  if (!ansDecode(table.data, table.size, stream.data, stream.size, numEntries,
                 uint32_t(1) << width, out, &why))
    return fail(error,
                std::string("cannot decode the ") + what + " stream: " + why);
  consumedBits = 8 * uint64_t(stream.size);
  return true;
}

/// Decodes one stream; `consumedBits` is the coded size.
bool decodeStream(Span<uint8_t> stream, Span<uint8_t> codeLengths, bool huffman,
                  unsigned width, uint64_t numEntries, const char *what,
                  std::vector<uint32_t> &out, uint64_t &consumedBits,
                  std::string *error) {
  if (!huffman) {
    if (!unpackFixedWidth(stream.data, stream.size, numEntries, width, out))
      return fail(error, std::string(what) + " stream is too short");
    consumedBits = numEntries * width;
    return checkPaddingBits(stream, consumedBits, what, error);
  }
  out.clear();
  consumedBits = 0;
  if (numEntries == 0)
    return true;
  HuffmanDecoder decoder;
  std::string why;
  if (!decoder.init(
          std::vector<uint8_t>(codeLengths.begin(), codeLengths.end()), &why))
    return fail(error, std::string("invalid ") + what + " code table: " + why);
  if (!decoder.decode(stream.data, stream.size, numEntries, out, consumedBits,
                      &why))
    return fail(error,
                std::string("cannot decode the ") + what + " stream: " + why);
  uint64_t expected = (consumedBits + 7) / 8;
  if (stream.size != expected)
    return fail(error, std::string(what) + " stream has " + str(stream.size) +
                           " bytes, but its " + str(numEntries) +
                           " Huffman-coded entries take " + str(expected));
  return checkPaddingBits(stream, consumedBits, what, error);
}

struct DecodeInfo {
  uint64_t valueBits = 0, gapBits = 0;
};

bool decodeImpl(const CompressedTensorView &view, DecodedEntries &entries,
                DecodeInfo &info, std::string *error) {
  if (!verifyCompressedTensor(view, error))
    return false;
  const EncodingParams &p = view.params;
  const bool huffman = p.entropy == EntropyCoding::Huffman;
  const bool ans = p.entropy == EntropyCoding::Ans;
  if (ans ? !decodeAnsStream(view.values, view.valueAnsTable, p.bits,
                             view.numEntries, "value", entries.values,
                             info.valueBits, error)
          : !decodeStream(view.values, view.valueCodeLengths, huffman, p.bits,
                          view.numEntries, "value", entries.values,
                          info.valueBits, error))
    return false;
  if (p.bits != kRawValueBits) {
    // Group-local indices: every group has the same number of entries.
    const uint64_t size = codebookEntries(view);
    for (uint64_t i = 0; i < entries.values.size(); ++i)
      if (entries.values[i] >= size)
        return fail(error, "value index " + str(entries.values[i]) +
                               " at entry " + str(i) +
                               " is out of range of the " + str(size) +
                               "-entry codebook");
  }
  entries.gaps.clear();
  if (!isSparse(p.format))
    return true;
  if (ans ? !decodeAnsStream(view.gaps, view.gapAnsTable, p.indexBits,
                             view.numEntries, "gap", entries.gaps, info.gapBits,
                             error)
          : !decodeStream(view.gaps, view.gapCodeLengths, huffman, p.indexBits,
                          view.numEntries, "gap", entries.gaps, info.gapBits,
                          error))
    return false;
  Geometry g(view.shape, p.format);
  for (uint64_t s = 0; s < g.numSlices; ++s) {
    uint64_t pos = 0;
    for (uint64_t e = view.pointers[s]; e < view.pointers[s + 1]; ++e) {
      pos += entries.gaps[e];
      if (pos >= g.sliceLength)
        return fail(error, "entry " + str(e) + " of " + g.sliceName + " " +
                               str(s) + " lands at " + g.posName + " " +
                               str(pos) + ", past the " + g.sliceName +
                               " length " + str(g.sliceLength));
      ++pos;
    }
  }
  return true;
}

/// Expands decoded entries to the row-major tensor, mapping each stored
/// value with `map` (pruned elements get `zero`).
template <typename T, typename Map>
void scatterEntries(const CompressedTensorView &view,
                    const DecodedEntries &entries, T zero, Map map,
                    std::vector<T> &out) {
  const StorageFormat format = view.params.format;
  Geometry g(view.shape, format);
  if (!isSparse(format)) {
    out.resize(entries.values.size());
    for (size_t i = 0; i < out.size(); ++i)
      out[i] = map(entries.values[i], i);
    return;
  }
  out.assign(g.numel, zero);
  for (uint64_t s = 0; s < g.numSlices; ++s) {
    uint64_t pos = 0;
    for (uint64_t e = view.pointers[s]; e < view.pointers[s + 1]; ++e) {
      pos += entries.gaps[e];
      uint64_t element = g.element(format, s, pos);
      out[element] = map(entries.values[e], element);
      ++pos;
    }
  }
}

/// Decodes to one uint32 per element (codebook index or raw f32 bits).
bool decodeElements(const CompressedTensorView &view,
                    std::vector<uint32_t> &elements, std::string *error) {
  DecodedEntries entries;
  DecodeInfo info;
  if (!decodeImpl(view, entries, info, error))
    return false;
  if (!isSparse(view.params.format)) {
    elements = std::move(entries.values);
    return true;
  }
  scatterEntries(
      view, entries, uint32_t(0), [](uint32_t v, uint64_t) { return v; },
      elements);
  return true;
}

/// Raw f32 bit patterns of zero (+0.0 or -0.0) become 0, i.e. pruned.
void canonicalizeRawZeros(std::vector<uint32_t> &elements) {
  for (uint32_t &e : elements)
    if ((e & 0x7FFFFFFFu) == 0)
      e = 0;
}

/// Builds one stream (fixed width, Huffman or rANS over alphabet 2^width;
/// `table` receives the code lengths or the rANS table).
void encodeStream(const std::vector<uint32_t> &symbols, EntropyCoding entropy,
                  unsigned width, std::vector<uint8_t> &stream,
                  std::vector<uint8_t> &codeLengths) {
  codeLengths.clear();
  if (entropy == EntropyCoding::Ans) {
    // Symbols are < 2^width (validated by the callers): cannot fail.
    bool ok = ansEncode(symbols, uint32_t(1) << width, codeLengths, stream);
    (void)ok;
    return;
  }
  if (entropy == EntropyCoding::None) {
    stream = packFixedWidth(symbols, width);
    return;
  }
  stream.clear();
  if (symbols.empty())
    return;
  std::vector<uint64_t> freq(size_t(1) << width, 0);
  for (uint32_t s : symbols)
    ++freq[s];
  codeLengths = buildHuffmanCodeLengths(freq);
  while (!codeLengths.empty() && codeLengths.back() == 0)
    codeLengths.pop_back();
  uint64_t bitSize = 0;
  bool ok = huffmanEncode(symbols, codeLengths, stream, bitSize);
  (void)ok;
}

/// Encodes validated elements (indices < codebook size, or raw bits).
/// For raw f32 in sparse formats, the caller must have canonicalized zeros.
bool encodeElements(const std::vector<int64_t> &shape,
                    const std::vector<uint32_t> &elements,
                    const std::vector<float> &codebook,
                    const EncodingParams &params, CompressedTensor &result,
                    std::string *error) {
  const StorageFormat format = params.format;
  const bool ans = params.entropy == EntropyCoding::Ans;
  Geometry g(shape, format);
  uint64_t groups = 1;
  if (!codebookGroups(shape, params, groups, error))
    return false;
  CompressedTensor out;
  out.shape = shape;
  out.params = params;
  out.codebook = codebook;
  std::vector<uint32_t> values, gaps;
  if (!isSparse(format)) {
    out.numEntries = elements.size();
  } else {
    // An empty tensor can still have many slices ([2^40, 0] in CSR): each
    // needs a 32-bit pointer, so the count is bounded before allocating.
    if (g.numSlices > kMaxSlices)
      return fail(error, "sparse format with " + str(g.numSlices) + " " +
                             g.sliceName + "s: more than the largest " +
                             "supported, " + str(kMaxSlices));
    out.pointers.reserve(g.numSlices + 1);
    out.pointers.push_back(0);
    for (uint64_t s = 0; s < g.numSlices; ++s) {
      if (g.sliceLength != 0) {
        const uint32_t *base = elements.data() + g.element(format, s, 0);
        uint64_t stride = format == StorageFormat::CSC ? g.cols : 1;
        out.numFillers += appendRelative(base, g.sliceLength, stride,
                                         params.indexBits, values, gaps);
      }
      if (values.size() > UINT32_MAX)
        return fail(error, "too many entries for 32-bit pointers");
      out.pointers.push_back(uint32_t(values.size()));
    }
    out.numEntries = values.size();
  }
  encodeStream(isSparse(format) ? values : elements, params.entropy,
               params.bits, out.values,
               ans ? out.valueAnsTable : out.valueCodeLengths);
  if (isSparse(format))
    encodeStream(gaps, params.entropy, params.indexBits, out.gaps,
                 ans ? out.gapAnsTable : out.gapCodeLengths);
  result = std::move(out);
  return true;
}

} // namespace

//===----------------------------------------------------------------------===//
// Verification and decoding
//===----------------------------------------------------------------------===//

bool dc::verifyCompressedTensor(const CompressedTensorView &view,
                                std::string *error) {
  const EncodingParams &p = view.params;
  uint64_t groups = 1;
  if (!checkShape(view.shape, error) || !checkParams(p, error) ||
      !codebookGroups(view.shape, p, groups, error) ||
      !checkCodebook(view.codebook, p.bits, groups, error))
    return false;
  const bool huffman = p.entropy == EntropyCoding::Huffman;
  const bool sparse = isSparse(p.format);
  Geometry g(view.shape, p.format);

  if (!sparse) {
    if (!view.pointers.empty())
      return fail(error, "dense format must have no pointers");
    if (!view.gaps.empty())
      return fail(error, "dense format must have no gap stream");
    if (!view.gapCodeLengths.empty())
      return fail(error, "dense format must have no gap code table");
    if (!view.gapAnsTable.empty())
      return fail(error, "dense format must have no gap rANS table");
    if (view.numEntries != g.numel)
      return fail(error, "dense format stores every element: expected " +
                             str(g.numel) + " entries, found " +
                             str(view.numEntries));
  } else {
    if (view.pointers.size != g.numSlices + 1)
      return fail(error, "expected " + str(g.numSlices + 1) + " pointers (" +
                             str(g.numSlices) + " " + g.sliceName +
                             "s + 1), found " + str(view.pointers.size));
    if (view.pointers[0] != 0)
      return fail(error, "pointer 0 must be 0, found " + str(view.pointers[0]));
    for (uint64_t s = 0; s < g.numSlices; ++s) {
      uint32_t a = view.pointers[s], b = view.pointers[s + 1];
      if (b < a)
        return fail(error, "pointers are not monotone: pointer " + str(s + 1) +
                               " (" + str(b) + ") is less than pointer " +
                               str(s) + " (" + str(a) + ")");
      if (uint64_t(b - a) > g.sliceLength)
        return fail(error, std::string(g.sliceName) + " " + str(s) + " has " +
                               str(b - a) + " entries, more than its length " +
                               str(g.sliceLength));
    }
    if (view.pointers[g.numSlices] != view.numEntries)
      return fail(error, "last pointer (" + str(view.pointers[g.numSlices]) +
                             ") does not match the " + str(view.numEntries) +
                             " entries");
  }

  if (p.entropy != EntropyCoding::Ans &&
      (!view.valueAnsTable.empty() || !view.gapAnsTable.empty()))
    return fail(error, "rANS tables are only allowed with rANS coding");
  if (p.entropy == EntropyCoding::Ans) {
    if (!view.valueCodeLengths.empty() || !view.gapCodeLengths.empty())
      return fail(error, "code tables are only allowed with Huffman coding");
    unsigned vPrecision = 0, gPrecision = 0;
    if (!checkAnsTable(view.valueAnsTable, p.bits, "value", view.numEntries,
                       error, vPrecision) ||
        !checkAnsStreamSize(view.values, "value", vPrecision, view.numEntries,
                            error))
      return false;
    if (sparse && (!checkAnsTable(view.gapAnsTable, p.indexBits, "gap",
                                  view.numEntries, error, gPrecision) ||
                   !checkAnsStreamSize(view.gaps, "gap", gPrecision,
                                       view.numEntries, error)))
      return false;
    return true;
  }
  unsigned vMin = 0, vMax = 0, gMin = 0, gMax = 0;
  if (huffman) {
    if (!checkCodeTable(view.valueCodeLengths, p.bits, "value", view.numEntries,
                        error, vMin, vMax))
      return false;
    if (sparse && !checkCodeTable(view.gapCodeLengths, p.indexBits, "gap",
                                  view.numEntries, error, gMin, gMax))
      return false;
  } else {
    if (!view.valueCodeLengths.empty() || !view.gapCodeLengths.empty())
      return fail(error, "code tables are only allowed with Huffman coding");
  }
  if (!checkStreamSize(view.values, "value", huffman, p.bits, vMin, vMax,
                       view.numEntries, error))
    return false;
  if (sparse && !checkStreamSize(view.gaps, "gap", huffman, p.indexBits, gMin,
                                 gMax, view.numEntries, error))
    return false;
  return true;
}

bool dc::decodeEntries(const CompressedTensorView &view,
                       DecodedEntries &entries, std::string *error) {
  DecodeInfo info;
  return decodeImpl(view, entries, info, error);
}

/// Refuses to materialize tensors beyond kMaxDenseElements.
static bool checkDenseSize(const CompressedTensorView &view,
                           std::string *error) {
  uint64_t n = 1;
  for (int64_t d : view.shape) {
    if (d < 0 || __builtin_mul_overflow(n, uint64_t(d), &n))
      return fail(error, "tensor shape is invalid or overflows");
  }
  if (n <= kMaxDenseElements)
    return true;
  return fail(error, "tensor of " + std::to_string(n) +
                         " elements is too large to decompress (limit " +
                         std::to_string(kMaxDenseElements) + ")");
}

bool dc::decompressToDense(const CompressedTensorView &view,
                           std::vector<float> &dense, std::string *error) {
  if (!checkDenseSize(view, error))
    return false;
  DecodedEntries entries;
  DecodeInfo info;
  if (!decodeImpl(view, entries, info, error))
    return false;
  if (view.params.bits == kRawValueBits) {
    scatterEntries(
        view, entries, 0.0f,
        [](uint32_t bits, uint64_t) {
          float f;
          std::memcpy(&f, &bits, 4);
          return f;
        },
        dense);
  } else {
    const float *cb = view.codebook.data;
    const uint64_t rowsPerGroup = view.params.codebookRows;
    if (rowsPerGroup == 0) {
      scatterEntries(
          view, entries, 0.0f, [cb](uint32_t i, uint64_t) { return cb[i]; },
          dense);
    } else {
      // Element e is in row e / cols, whose codebook starts at
      // (row / rowsPerGroup) * E.
      int64_t rows, cols;
      matrixDims(view.shape, rows, cols);
      const uint64_t c = std::max<int64_t>(cols, 1);
      const uint64_t e = codebookEntries(view);
      scatterEntries(
          view, entries, 0.0f,
          [=](uint32_t i, uint64_t element) {
            return cb[(element / c / rowsPerGroup) * e + i];
          },
          dense);
    }
  }
  return true;
}

bool dc::decompressToIndices(const CompressedTensorView &view,
                             std::vector<uint32_t> &indices,
                             std::string *error) {
  if (view.params.bits == kRawValueBits)
    return fail(error, "raw f32 tensors (bits = 32) have no codebook indices");
  if (!checkDenseSize(view, error))
    return false;
  return decodeElements(view, indices, error);
}

//===----------------------------------------------------------------------===//
// Encoding
//===----------------------------------------------------------------------===//

bool dc::encodeIndices(const std::vector<int64_t> &shape,
                       const std::vector<uint32_t> &indices,
                       const std::vector<float> &codebook,
                       const EncodingParams &params, CompressedTensor &result,
                       std::string *error) {
  if (!checkShape(shape, error) || !checkParams(params, error))
    return false;
  if (params.bits == kRawValueBits)
    return fail(error, "encodeIndices needs a codebook; use encodeRaw for "
                       "bits = 32");
  uint64_t groups = 1;
  if (!codebookGroups(shape, params, groups, error) ||
      !checkCodebook(Span<float>(codebook), params.bits, groups, error))
    return false;
  uint64_t numel = uint64_t(numElements(shape));
  if (indices.size() != numel)
    return fail(error, "expected " + str(numel) +
                           " indices for the shape, "
                           "found " +
                           str(indices.size()));
  const uint64_t entries = groups ? codebook.size() / groups : 0;
  for (size_t i = 0; i < indices.size(); ++i)
    if (indices[i] >= entries)
      return fail(error, "index " + str(indices[i]) + " at element " + str(i) +
                             " is out of range of the " + str(entries) +
                             "-entry codebook");
  return encodeElements(shape, indices, codebook, params, result, error);
}

bool dc::encodeRaw(const std::vector<int64_t> &shape,
                   const std::vector<float> &values,
                   const EncodingParams &params, CompressedTensor &result,
                   std::string *error) {
  if (!checkShape(shape, error) || !checkParams(params, error))
    return false;
  if (params.bits != kRawValueBits)
    return fail(error,
                "encodeRaw requires bits = 32, found " + str(params.bits));
  if (params.entropy != EntropyCoding::None)
    return fail(error, "raw f32 values cannot be entropy coded");
  uint64_t numel = uint64_t(numElements(shape));
  if (values.size() != numel)
    return fail(error, "expected " + str(numel) +
                           " values for the shape, "
                           "found " +
                           str(values.size()));
  std::vector<uint32_t> elements(values.size());
  if (!values.empty())
    std::memcpy(elements.data(), values.data(), values.size() * 4);
  if (isSparse(params.format))
    canonicalizeRawZeros(elements); // -0.0 is pruned like +0.0.
  return encodeElements(shape, elements, {}, params, result, error);
}

bool dc::reencode(const CompressedTensorView &input,
                  const EncodingParams &params, CompressedTensor &result,
                  std::string *error) {
  if (params.bits != input.params.bits)
    return fail(error, "re-encoding cannot change the value bit width (" +
                           str(input.params.bits) + " -> " + str(params.bits) +
                           ")");
  if (params.codebookRows != input.params.codebookRows)
    return fail(error, "re-encoding cannot change the codebook rows (" +
                           str(input.params.codebookRows) + " -> " +
                           str(params.codebookRows) + ")");
  if (!checkParams(params, error))
    return false;
  std::vector<uint32_t> elements;
  if (!decodeElements(input, elements, error))
    return false;
  if (params.bits == kRawValueBits && isSparse(params.format))
    canonicalizeRawZeros(elements);
  std::vector<float> codebook(input.codebook.begin(), input.codebook.end());
  return encodeElements(input.shape, elements, codebook, params, result, error);
}

bool dc::expandToLayerCodebook(const CompressedTensorView &input,
                               CompressedTensor &result, std::string *error) {
  std::vector<uint32_t> elements;
  if (!decodeElements(input, elements, error))
    return false;
  EncodingParams params = input.params;
  std::vector<float> codebook(input.codebook.begin(), input.codebook.end());
  if (params.codebookRows != 0) {
    const uint64_t entries = codebookEntries(input);
    const uint64_t total = codebook.size();
    unsigned bits = params.bits;
    while (bits < 16 && (uint64_t(1) << bits) < total)
      ++bits;
    if ((uint64_t(1) << bits) < total)
      return fail(error, "the " + str(total / std::max<uint64_t>(entries, 1)) +
                             " codebooks of " + str(entries) +
                             " entries need " + str(total) +
                             " indices together, more than 2^16");
    int64_t rows, cols;
    matrixDims(input.shape, rows, cols);
    const uint64_t rowsPerGroup = params.codebookRows;
    const uint64_t c = std::max<int64_t>(cols, 1);
    for (uint64_t i = 0; i < elements.size(); ++i)
      if (elements[i] != 0)
        elements[i] += uint32_t((i / c / rowsPerGroup) * entries);
    params.bits = bits;
    params.codebookRows = 0;
  }
  return encodeElements(input.shape, elements, codebook, params, result,
                        error);
}

bool dc::measureStorage(const CompressedTensorView &view, StorageStats &stats,
                        std::string *error) {
  DecodedEntries entries;
  DecodeInfo info;
  if (!decodeImpl(view, entries, info, error))
    return false;
  const EncodingParams &p = view.params;
  const bool sparse = isSparse(p.format);
  stats = StorageStats();
  stats.weights = uint64_t(numElements(view.shape));
  stats.entries = view.numEntries;
  // Entries holding zero: fillers in sparse formats (value 0), explicit
  // zeros in Dense (where -0.0 also counts as zero in raw f32 mode).
  uint32_t zeroMask =
      (!sparse && p.bits == kRawValueBits) ? 0x7FFFFFFFu : 0xFFFFFFFFu;
  uint64_t zeros = 0;
  for (uint32_t v : entries.values)
    zeros += (v & zeroMask) == 0 ? 1 : 0;
  if (sparse) {
    stats.fillers = zeros;
    stats.nonzeros = view.numEntries - zeros;
  } else {
    stats.fillers = 0;
    stats.nonzeros = view.numEntries - zeros;
  }
  stats.valueBytesFixed = packedBytes(view.numEntries, p.bits);
  stats.gapBytesFixed = sparse ? packedBytes(view.numEntries, p.indexBits) : 0;
  stats.valueBitsCoded = info.valueBits;
  stats.gapBitsCoded = sparse ? info.gapBits : 0;
  stats.valueBytesCoded = view.values.size;
  stats.gapBytesCoded = view.gaps.size;
  stats.codeTableBytes = view.valueCodeLengths.size + view.gapCodeLengths.size +
                         view.valueAnsTable.size + view.gapAnsTable.size;
  auto entropyOf = [](const std::vector<uint32_t> &symbols) {
    std::vector<uint64_t> counts;
    for (uint32_t s : symbols) {
      if (s >= counts.size())
        counts.resize(size_t(s) + 1, 0);
      ++counts[s];
    }
    return empiricalEntropyBits(counts);
  };
  // Raw f32 values have no symbol alphabet worth measuring.
  if (p.bits != kRawValueBits)
    stats.valueEntropyBits = entropyOf(entries.values);
  if (sparse)
    stats.gapEntropyBits = entropyOf(entries.gaps);
  stats.codebookBytes = 4 * uint64_t(view.codebook.size);
  stats.pointerBytes = 4 * uint64_t(view.pointers.size);
  return true;
}
