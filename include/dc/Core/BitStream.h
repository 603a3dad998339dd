//===- BitStream.h - LSB-first bit packing ----------------------*- C++ -*-===//
//
// Fixed-width and variable-width bit packing shared by every dc stream.
// Bits are packed LSB-first: the first value occupies the lowest bits of
// byte 0. Readers never read past the end of their buffer; they report
// failure instead, so corrupt payloads give diagnostics, not crashes.
//
//===----------------------------------------------------------------------===//

#ifndef DC_CORE_BITSTREAM_H
#define DC_CORE_BITSTREAM_H

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <vector>

namespace dc {

class BitWriter {
public:
  /// Appends the low `numBits` bits of `value` (numBits in 0..32).
  void write(uint32_t value, unsigned numBits);
  /// Appends a Huffman code: `numBits` bits of `code`, most significant code
  /// bit first (canonical Huffman codes are prefix codes read MSB-first).
  void writeCode(uint32_t code, unsigned numBits);
  uint64_t bitSize() const { return numBits; }
  /// The packed bytes; the final partial byte is zero-padded.
  const std::vector<uint8_t> &bytes() const { return buffer; }
  std::vector<uint8_t> take() { return std::move(buffer); }

private:
  std::vector<uint8_t> buffer;
  uint64_t numBits = 0;
};

class BitReader {
public:
  BitReader(const uint8_t *data, size_t size) : data(data), size(size) {}
  /// Reads `numBits` (0..32) bits into `value`; false when past the end.
  bool read(unsigned numBits, uint32_t &value);
  /// Reads one bit; false when past the end.
  bool readBit(uint32_t &bit);
  uint64_t position() const { return bitPos; }
  uint64_t bitSize() const { return uint64_t(size) * 8; }

private:
  const uint8_t *data;
  size_t size;
  uint64_t bitPos = 0;
};

/// Packs `values` at `numBits` bits each (all values must fit).
std::vector<uint8_t> packFixedWidth(const std::vector<uint32_t> &values,
                                    unsigned numBits);
/// Unpacks `count` values of `numBits` bits; false if `bytes` is too short.
bool unpackFixedWidth(const uint8_t *bytes, size_t size, uint64_t count,
                      unsigned numBits, std::vector<uint32_t> &values);
/// The 64 stream bits starting at byte `byte` (little endian, LSB-first bit
/// order); bytes past `size` read as zero. The fast path of every bit reader.
inline uint64_t loadLE64(const uint8_t *bytes, size_t size, size_t byte) {
  uint64_t word = 0;
  if (byte + 8 <= size) {
    std::memcpy(&word, bytes + byte, 8);
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
    word = __builtin_bswap64(word);
#endif
  } else {
    for (size_t i = 0; byte + i < size && i < 8; ++i)
      word |= uint64_t(bytes[byte + i]) << (8 * i);
  }
  return word;
}

/// Bytes needed for `count` values of `numBits` (<= 32) bits; saturates at
/// UINT64_MAX instead of wrapping (no buffer is that large).
inline uint64_t packedBytes(uint64_t count, unsigned numBits) {
  uint64_t bits;
  if (__builtin_mul_overflow(count, uint64_t(numBits), &bits) ||
      bits > UINT64_MAX - 7)
    return UINT64_MAX;
  return (bits + 7) / 8;
}

} // namespace dc

#endif // DC_CORE_BITSTREAM_H
