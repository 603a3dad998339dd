//===- BitStream.cpp - LSB-first bit packing ------------------------------===//
//
// Fixed-width packing uses a 64-bit accumulator; the generic writer and
// reader work a byte at a time. Huffman codes are written MSB-first by
// reversing them into the LSB-first stream (as DEFLATE does).
//
//===----------------------------------------------------------------------===//

#include "dc/Core/BitStream.h"

#include <algorithm>
#include <cassert>

using namespace dc;

static inline uint32_t lowMask(unsigned numBits) {
  return numBits >= 32 ? 0xFFFFFFFFu : ((1u << numBits) - 1u);
}

void BitWriter::write(uint32_t value, unsigned n) {
  assert(n <= 32 && "at most 32 bits per write");
  if (n == 0)
    return;
  value &= lowMask(n);
  uint64_t end = numBits + n;
  buffer.resize((end + 7) / 8, 0);
  while (n > 0) {
    uint64_t byteIndex = numBits / 8;
    unsigned offset = unsigned(numBits % 8);
    unsigned take = std::min(8u - offset, n);
    buffer[byteIndex] |= uint8_t((value & lowMask(take)) << offset);
    value = take >= 32 ? 0 : value >> take;
    n -= take;
    numBits += take;
  }
}

void BitWriter::writeCode(uint32_t code, unsigned n) {
  assert(n <= 32 && "at most 32 bits per code");
  uint32_t reversed = 0;
  for (unsigned i = 0; i < n; ++i)
    reversed |= ((code >> (n - 1 - i)) & 1u) << i;
  write(reversed, n);
}

bool BitReader::read(unsigned n, uint32_t &value) {
  assert(n <= 32 && "at most 32 bits per read");
  value = 0;
  if (n == 0)
    return true;
  if (bitPos + n > bitSize())
    return false;
  unsigned produced = 0;
  while (produced < n) {
    uint64_t byteIndex = bitPos / 8;
    unsigned offset = unsigned(bitPos % 8);
    unsigned take = std::min(8u - offset, n - produced);
    uint32_t chunk = (uint32_t(data[byteIndex]) >> offset) & lowMask(take);
    value |= chunk << produced;
    produced += take;
    bitPos += take;
  }
  return true;
}

bool BitReader::readBit(uint32_t &bit) {
  if (bitPos >= bitSize())
    return false;
  bit = (data[bitPos / 8] >> (bitPos % 8)) & 1u;
  ++bitPos;
  return true;
}

std::vector<uint8_t> dc::packFixedWidth(const std::vector<uint32_t> &values,
                                        unsigned numBits) {
  assert(numBits <= 32 && "width out of range");
  std::vector<uint8_t> out(packedBytes(values.size(), numBits), 0);
  if (numBits == 0)
    return out;
  uint32_t mask = lowMask(numBits);
  uint64_t acc = 0;
  unsigned accBits = 0;
  size_t pos = 0;
  for (uint32_t v : values) {
    assert((v & ~mask) == 0 && "value does not fit in the width");
    acc |= uint64_t(v & mask) << accBits;
    accBits += numBits;
    while (accBits >= 8) {
      out[pos++] = uint8_t(acc);
      acc >>= 8;
      accBits -= 8;
    }
  }
  if (accBits > 0)
    out[pos++] = uint8_t(acc);
  assert(pos == out.size());
  return out;
}

bool dc::unpackFixedWidth(const uint8_t *bytes, size_t size, uint64_t count,
                          unsigned numBits, std::vector<uint32_t> &values) {
  values.clear();
  if (numBits > 32)
    return false;
  if (uint64_t(size) < packedBytes(count, numBits))
    return false;
  values.resize(count);
  if (numBits == 0)
    return true;
  uint32_t mask = lowMask(numBits);
  uint64_t acc = 0;
  unsigned accBits = 0;
  size_t pos = 0;
  for (uint64_t i = 0; i < count; ++i) {
    while (accBits < numBits) {
      acc |= uint64_t(bytes[pos++]) << accBits;
      accBits += 8;
    }
    values[i] = uint32_t(acc) & mask;
    acc >>= numBits;
    accBits -= numBits;
  }
  return true;
}
