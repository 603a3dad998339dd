//===- TensorFormat.h - Byte format of the core fuzzers' inputs -*- C++ -*-===//
//
// A CompressedTensorView serialized to bytes, so that the compressed-tensor
// fuzzer mutates every field (shape, parameters, entry count, each stream)
// and the seed generator writes valid tensors in the same format:
//   u8 rank (0..4), rank x u64 dims (LE), u8 format, u8 bits, u8 indexBits,
//   u8 entropy, u64 numEntries, then six sections, each a u32 byte length
//   followed by the bytes: codebook (f32), pointers (u32), values, gaps,
//   value code lengths, gap code lengths.
//
//===----------------------------------------------------------------------===//

#ifndef DC_FUZZ_TENSORFORMAT_H
#define DC_FUZZ_TENSORFORMAT_H

#include "dc/Core/CompressedTensor.h"

#include <cstring>
#include <vector>

namespace dc {
namespace fuzz {

/// A parsed input: the view points into `storage` (aligned copies).
struct ParsedTensor {
  CompressedTensorView view;
  std::vector<float> codebook;
  std::vector<uint32_t> pointers;
  std::vector<uint8_t> values, gaps, valueLengths, gapLengths;
};

class Reader {
public:
  Reader(const uint8_t *data, size_t size) : data(data), size(size) {}
  bool u8(uint8_t &v) { return bytes(&v, 1); }
  bool u32(uint32_t &v) { return bytes(&v, 4); }
  bool u64(uint64_t &v) { return bytes(&v, 8); }
  bool bytes(void *out, size_t n) {
    if (n > size - pos)
      return false;
    std::memcpy(out, data + pos, n);
    pos += n;
    return true;
  }
  template <typename T> bool section(std::vector<T> &out) {
    uint32_t n;
    if (!u32(n) || n > size - pos)
      return false;
    out.resize(n / sizeof(T));
    if (!out.empty())
      std::memcpy(out.data(), data + pos, out.size() * sizeof(T));
    pos += n;
    return true;
  }

private:
  const uint8_t *data;
  size_t size, pos = 0;
};

inline bool parseTensor(const uint8_t *data, size_t size, ParsedTensor &t) {
  Reader r(data, size);
  uint8_t rank, format, bits, indexBits, entropy;
  if (!r.u8(rank) || rank > 4)
    return false;
  for (unsigned i = 0; i < rank; ++i) {
    uint64_t d;
    if (!r.u64(d))
      return false;
    t.view.shape.push_back(int64_t(d));
  }
  if (!r.u8(format) || !r.u8(bits) || !r.u8(indexBits) || !r.u8(entropy) ||
      !r.u64(t.view.numEntries))
    return false;
  t.view.params.format = StorageFormat(format % 3);
  t.view.params.bits = bits;
  t.view.params.indexBits = indexBits;
  t.view.params.entropy = EntropyCoding(entropy % 2);
  if (!r.section(t.codebook) || !r.section(t.pointers) ||
      !r.section(t.values) || !r.section(t.gaps) ||
      !r.section(t.valueLengths) || !r.section(t.gapLengths))
    return false;
  t.view.codebook = Span<float>(t.codebook);
  t.view.pointers = Span<uint32_t>(t.pointers);
  t.view.values = Span<uint8_t>(t.values);
  t.view.gaps = Span<uint8_t>(t.gaps);
  t.view.valueCodeLengths = Span<uint8_t>(t.valueLengths);
  t.view.gapCodeLengths = Span<uint8_t>(t.gapLengths);
  return true;
}

template <typename T>
void appendSection(std::vector<uint8_t> &out, const std::vector<T> &v) {
  uint32_t n = uint32_t(v.size() * sizeof(T));
  const uint8_t *p = reinterpret_cast<const uint8_t *>(&n);
  out.insert(out.end(), p, p + 4);
  p = reinterpret_cast<const uint8_t *>(v.data());
  out.insert(out.end(), p, p + n);
}

inline std::vector<uint8_t> serializeTensor(const CompressedTensor &t) {
  std::vector<uint8_t> out;
  out.push_back(uint8_t(t.shape.size()));
  for (int64_t d : t.shape) {
    uint64_t u = uint64_t(d);
    const uint8_t *p = reinterpret_cast<const uint8_t *>(&u);
    out.insert(out.end(), p, p + 8);
  }
  out.push_back(uint8_t(t.params.format));
  out.push_back(uint8_t(t.params.bits));
  out.push_back(uint8_t(t.params.indexBits));
  out.push_back(uint8_t(t.params.entropy));
  uint64_t n = t.numEntries;
  const uint8_t *p = reinterpret_cast<const uint8_t *>(&n);
  out.insert(out.end(), p, p + 8);
  appendSection(out, t.codebook);
  appendSection(out, t.pointers);
  appendSection(out, t.values);
  appendSection(out, t.gaps);
  appendSection(out, t.valueCodeLengths);
  appendSection(out, t.gapCodeLengths);
  return out;
}

} // namespace fuzz
} // namespace dc

#endif // DC_FUZZ_TENSORFORMAT_H
