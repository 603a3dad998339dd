//===- Huffman.cpp - Canonical, length-limited Huffman coding -------------===//
//
// Code lengths come from the package-merge algorithm (Larmore & Hirschberg),
// which is optimal under a length limit. Only the per-level "is this item a
// leaf" flags are stored: the items selected at a level are always a prefix
// of that level's list, and the packages inside the prefix expand to a
// prefix of the next deeper list, so lengths follow from prefix leaf counts.
//
//===----------------------------------------------------------------------===//

#include "dc/Core/Huffman.h"
#include "dc/Core/BitStream.h"

#include <algorithm>
#include <cassert>
#include <cstring>

using namespace dc;

static uint64_t saturatingAdd(uint64_t a, uint64_t b) {
  uint64_t s = a + b;
  return s < a ? UINT64_MAX : s;
}

std::vector<uint8_t>
dc::buildHuffmanCodeLengths(const std::vector<uint64_t> &frequencies,
                            unsigned maxLength) {
  std::vector<uint8_t> lengths(frequencies.size(), 0);
  maxLength = std::max(1u, std::min(maxLength, kMaxHuffmanCodeLength));

  std::vector<uint32_t> used;
  for (size_t i = 0; i < frequencies.size(); ++i)
    if (frequencies[i] != 0)
      used.push_back(uint32_t(i));
  const size_t n = used.size();
  if (n == 0)
    return lengths;
  if (n == 1) {
    lengths[used[0]] = 1;
    return lengths;
  }
  if (uint64_t(n) > (uint64_t(1) << maxLength)) {
    // No prefix code with this limit exists. Fall back to a flat code of
    // ceil(log2(n)) bits, which is valid as long as it fits the global
    // kMaxHuffmanCodeLength; otherwise return all zeros (an invalid table).
    unsigned flat = 0;
    while ((uint64_t(1) << flat) < n)
      ++flat;
    if (flat > kMaxHuffmanCodeLength)
      return lengths;
    for (uint32_t s : used)
      lengths[s] = uint8_t(flat);
    return lengths;
  }

  // Leaves sorted by (frequency, symbol) for determinism.
  std::stable_sort(used.begin(), used.end(), [&](uint32_t a, uint32_t b) {
    return frequencies[a] < frequencies[b];
  });
  std::vector<uint64_t> leafWeights(n);
  for (size_t i = 0; i < n; ++i)
    leafWeights[i] = frequencies[used[i]];

  // levels[0] is the shallowest (length 1) list, levels[maxLength-1] the
  // deepest, which holds only the leaves.
  std::vector<std::vector<char>> levels(maxLength);
  std::vector<uint64_t> prevWeights = leafWeights, weights;
  levels[maxLength - 1].assign(n, 1);
  for (int level = int(maxLength) - 2; level >= 0; --level) {
    size_t numPackages = prevWeights.size() / 2;
    weights.clear();
    weights.reserve(n + numPackages);
    std::vector<char> &flags = levels[level];
    flags.clear();
    flags.reserve(n + numPackages);
    size_t li = 0, pi = 0;
    while (li < n || pi < numPackages) {
      uint64_t pw = pi < numPackages ? saturatingAdd(prevWeights[2 * pi],
                                                     prevWeights[2 * pi + 1])
                                     : UINT64_MAX;
      if (li < n && (pi >= numPackages || leafWeights[li] <= pw)) {
        weights.push_back(leafWeights[li++]);
        flags.push_back(1);
      } else {
        weights.push_back(pw);
        flags.push_back(0);
        ++pi;
      }
    }
    std::swap(prevWeights, weights);
  }

  std::vector<unsigned> leafLengths(n, 0);
  size_t select = 2 * n - 2;
  for (unsigned level = 0; level < maxLength && select > 0; ++level) {
    const std::vector<char> &flags = levels[level];
    assert(select <= flags.size() && "package-merge selection overflow");
    size_t leaves = 0;
    for (size_t i = 0; i < select; ++i)
      leaves += flags[i] ? 1 : 0;
    for (size_t i = 0; i < leaves; ++i)
      ++leafLengths[i];
    select = 2 * (select - leaves);
  }
  for (size_t i = 0; i < n; ++i)
    lengths[used[i]] = uint8_t(leafLengths[i]);
  return lengths;
}

bool dc::verifyHuffmanCodeLengths(const std::vector<uint8_t> &lengths,
                                  std::string *error) {
  uint64_t kraft = 0; // In units of 2^-kMaxHuffmanCodeLength.
  size_t used = 0;
  for (size_t i = 0; i < lengths.size(); ++i) {
    unsigned l = lengths[i];
    if (l == 0)
      continue;
    if (l > kMaxHuffmanCodeLength) {
      if (error)
        *error = "Huffman code length " + std::to_string(l) + " of symbol " +
                 std::to_string(i) + " exceeds the maximum of " +
                 std::to_string(kMaxHuffmanCodeLength);
      return false;
    }
    ++used;
    kraft += uint64_t(1) << (kMaxHuffmanCodeLength - l);
  }
  if (used == 0) {
    if (error)
      *error = "Huffman code table has no used symbol";
    return false;
  }
  const uint64_t full = uint64_t(1) << kMaxHuffmanCodeLength;
  if (kraft > full) {
    if (error)
      *error = "Huffman code lengths are over-subscribed (Kraft sum > 1)";
    return false;
  }
  // As in zlib's inftrees.c: an incomplete code leaves bit patterns that
  // match no symbol, which only corrupt streams use. The one exception is
  // a single symbol, coded with one bit (what the encoder produces).
  if (kraft < full && !(used == 1 && kraft == full / 2)) {
    if (error)
      *error = "Huffman code lengths are incomplete (Kraft sum < 1)";
    return false;
  }
  return true;
}

std::vector<uint32_t>
dc::canonicalHuffmanCodes(const std::vector<uint8_t> &lengths) {
  std::vector<uint32_t> count(kMaxHuffmanCodeLength + 2, 0);
  for (uint8_t l : lengths)
    if (l != 0 && l <= kMaxHuffmanCodeLength)
      ++count[l];
  std::vector<uint32_t> next(kMaxHuffmanCodeLength + 2, 0);
  uint32_t code = 0;
  for (unsigned l = 1; l <= kMaxHuffmanCodeLength; ++l) {
    code = (code + count[l - 1]) << 1;
    next[l] = code;
  }
  std::vector<uint32_t> codes(lengths.size(), 0);
  for (size_t i = 0; i < lengths.size(); ++i) {
    unsigned l = lengths[i];
    if (l != 0 && l <= kMaxHuffmanCodeLength)
      codes[i] = next[l]++;
  }
  return codes;
}

static uint32_t reverseBits(uint32_t code, unsigned n) {
  uint32_t r = 0;
  for (unsigned i = 0; i < n; ++i)
    r |= ((code >> (n - 1 - i)) & 1u) << i;
  return r;
}

bool dc::huffmanEncode(const std::vector<uint32_t> &symbols,
                       const std::vector<uint8_t> &lengths,
                       std::vector<uint8_t> &bytes, uint64_t &bitSize) {
  bytes.clear();
  bitSize = 0;
  if (symbols.empty())
    return true;
  if (!verifyHuffmanCodeLengths(lengths))
    return false;
  std::vector<uint32_t> codes = canonicalHuffmanCodes(lengths);
  for (size_t i = 0; i < codes.size(); ++i)
    codes[i] = reverseBits(codes[i], lengths[i]);
  uint64_t total = 0;
  for (uint32_t s : symbols) {
    if (s >= lengths.size() || lengths[s] == 0)
      return false;
    total += lengths[s];
  }
  bytes.assign((total + 7) / 8, 0);
  uint64_t acc = 0;
  unsigned accBits = 0;
  size_t pos = 0;
  for (uint32_t s : symbols) {
    acc |= uint64_t(codes[s]) << accBits;
    accBits += lengths[s];
    while (accBits >= 8) {
      bytes[pos++] = uint8_t(acc);
      acc >>= 8;
      accBits -= 8;
    }
  }
  if (accBits > 0)
    bytes[pos++] = uint8_t(acc);
  assert(pos == bytes.size());
  bitSize = total;
  return true;
}

bool HuffmanDecoder::init(const std::vector<uint8_t> &lengths,
                          std::string *error) {
  firstCode.clear();
  firstIndex.clear();
  countPerLength.clear();
  sortedSymbols.clear();
  table.clear();
  maxLength = 0;
  tableBits = 0;
  if (!verifyHuffmanCodeLengths(lengths, error))
    return false;
  for (uint8_t l : lengths)
    maxLength = std::max<unsigned>(maxLength, l);
  countPerLength.assign(maxLength + 1, 0);
  for (uint8_t l : lengths)
    if (l)
      ++countPerLength[l];
  firstCode.assign(maxLength + 1, 0);
  firstIndex.assign(maxLength + 1, 0);
  uint32_t code = 0, index = 0;
  for (unsigned l = 1; l <= maxLength; ++l) {
    code = (code + countPerLength[l - 1]) << 1;
    firstCode[l] = code;
    firstIndex[l] = index;
    index += countPerLength[l];
  }
  sortedSymbols.resize(index);
  std::vector<uint32_t> fill(firstIndex);
  for (size_t s = 0; s < lengths.size(); ++s)
    if (lengths[s])
      sortedSymbols[fill[lengths[s]]++] = uint32_t(s);

  tableBits = std::min(maxLength, 11u);
  table.assign(size_t(1) << tableBits, TableEntry());
  for (unsigned l = 1; l <= tableBits; ++l) {
    for (uint32_t k = 0; k < countPerLength[l]; ++k) {
      uint32_t sym = sortedSymbols[firstIndex[l] + k];
      uint32_t rev = reverseBits(firstCode[l] + k, l);
      for (uint32_t high = 0; high < (1u << (tableBits - l)); ++high) {
        TableEntry &e = table[rev | (high << l)];
        e.symbol = sym;
        e.length = uint8_t(l);
      }
    }
  }
  return true;
}

/// Up to 57 stream bits starting at bit `pos`, zero-padded past the end.
static inline uint64_t peekBits(const uint8_t *bytes, size_t size,
                                uint64_t pos) {
  return loadLE64(bytes, size, size_t(pos / 8)) >> (pos % 8);
}

bool HuffmanDecoder::decode(const uint8_t *bytes, size_t size, uint64_t count,
                            std::vector<uint32_t> &symbols) const {
  uint64_t consumed = 0;
  return decode(bytes, size, count, symbols, consumed, nullptr);
}

bool HuffmanDecoder::decode(const uint8_t *bytes, size_t size, uint64_t count,
                            std::vector<uint32_t> &symbols,
                            uint64_t &consumedBits, std::string *error) const {
  symbols.clear();
  consumedBits = 0;
  if (maxLength == 0) {
    if (count == 0)
      return true;
    if (error)
      *error = "Huffman decoder is not initialized";
    return false;
  }
  const uint64_t totalBits = uint64_t(size) * 8;
  // Every symbol needs at least one bit: reject absurd counts before
  // allocating.
  if (count > totalBits) {
    if (error)
      *error = "Huffman stream of " + std::to_string(totalBits) +
               " bits is too short for " + std::to_string(count) + " symbols";
    return false;
  }
  symbols.resize(count);
  const uint64_t tableMask = (uint64_t(1) << tableBits) - 1;
  uint64_t pos = 0;
  for (uint64_t i = 0; i < count; ++i) {
    uint64_t window = peekBits(bytes, size, pos);
    const TableEntry &e = table[window & tableMask];
    if (e.length != 0) {
      if (pos + e.length > totalBits)
        goto truncated;
      symbols[i] = e.symbol;
      pos += e.length;
      continue;
    }
    {
      // Slow path: canonical decoding bit by bit (codes longer than the
      // table, or bits matching no code). `window` holds >= 57 bits and
      // maxLength <= 24.
      uint32_t code = 0;
      bool found = false;
      for (unsigned l = 1; l <= maxLength; ++l) {
        if (pos + l > totalBits)
          goto truncated;
        code = (code << 1) | uint32_t((window >> (l - 1)) & 1u);
        uint32_t cnt = countPerLength[l];
        if (cnt && code >= firstCode[l] && code - firstCode[l] < cnt) {
          symbols[i] = sortedSymbols[firstIndex[l] + (code - firstCode[l])];
          pos += l;
          found = true;
          break;
        }
      }
      if (!found) {
        if (error)
          *error = "Huffman stream has bits matching no code at bit " +
                   std::to_string(pos) + " (symbol " + std::to_string(i) +
                   " of " + std::to_string(count) + ")";
        symbols.clear();
        consumedBits = pos;
        return false;
      }
    }
    continue;
  truncated:
    if (error)
      *error = "Huffman stream is truncated: it ends after " +
               std::to_string(i) + " of " + std::to_string(count) + " symbols";
    symbols.clear();
    consumedBits = pos;
    return false;
  }
  consumedBits = pos;
  return true;
}
