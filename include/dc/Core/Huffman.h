//===- Huffman.h - Canonical, length-limited Huffman coding -----*- C++ -*-===//
//
// A code is fully described by one code length per symbol (0 = symbol not
// used); codes are assigned canonically (shorter first, then by symbol),
// written MSB-first into the bit stream. Lengths are limited to
// kMaxHuffmanCodeLength so decoders can use small tables. Decoders validate
// tables (complete codes, lengths in range; zlib's inftrees.c and zstd's
// HUF_readStats are the models) and never read past the stream.
//
//===----------------------------------------------------------------------===//

#ifndef DC_CORE_HUFFMAN_H
#define DC_CORE_HUFFMAN_H

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace dc {

constexpr unsigned kMaxHuffmanCodeLength = 24;

/// Optimal code lengths for `frequencies` under the length limit `maxLength`
/// (package-merge). Symbols with frequency 0 get length 0. A single used
/// symbol gets length 1. Deterministic (ties broken by symbol value).
/// `maxLength` is clamped to 1..kMaxHuffmanCodeLength. If more than
/// 2^maxLength symbols are used no such code exists; then a flat code of
/// ceil(log2(used)) bits is returned (valid, but longer than maxLength), or
/// all zeros if even that exceeds kMaxHuffmanCodeLength.
std::vector<uint8_t>
buildHuffmanCodeLengths(const std::vector<uint64_t> &frequencies,
                        unsigned maxLength = kMaxHuffmanCodeLength);

/// Checks that `lengths` describe a valid prefix code: every length at most
/// kMaxHuffmanCodeLength, at least one used symbol, and a complete code
/// (Kraft sum exactly 1: neither over-subscribed nor incomplete), except a
/// single symbol of length 1. On failure, `error` says why.
bool verifyHuffmanCodeLengths(const std::vector<uint8_t> &lengths,
                              std::string *error = nullptr);

/// Canonical codes for valid `lengths` (code[i] has lengths[i] bits).
std::vector<uint32_t>
canonicalHuffmanCodes(const std::vector<uint8_t> &lengths);

/// Encodes `symbols` with the canonical code of `lengths`. Returns false if a
/// symbol has no code.
bool huffmanEncode(const std::vector<uint32_t> &symbols,
                   const std::vector<uint8_t> &lengths,
                   std::vector<uint8_t> &bytes, uint64_t &bitSize);

/// Table-driven canonical decoder for one code.
class HuffmanDecoder {
public:
  /// Returns false (with `error`) if `lengths` are not a valid code.
  bool init(const std::vector<uint8_t> &lengths, std::string *error = nullptr);
  /// Decodes exactly `count` symbols; false on a truncated or invalid stream.
  bool decode(const uint8_t *bytes, size_t size, uint64_t count,
              std::vector<uint32_t> &symbols) const;
  /// Same, additionally reporting the number of bits consumed (added so
  /// callers can check a stream has no excess bytes) and, on failure, why
  /// (truncated stream vs. bits matching no code of an incomplete code).
  bool decode(const uint8_t *bytes, size_t size, uint64_t count,
              std::vector<uint32_t> &symbols, uint64_t &consumedBits,
              std::string *error) const;

  /// Canonical decoding tables (also used to emit decoders in IR):
  /// firstCode[l], firstIndex[l], count[l] for l in 1..maxLength and the
  /// symbols sorted by (length, symbol).
  std::vector<uint32_t> firstCode, firstIndex, countPerLength;
  std::vector<uint32_t> sortedSymbols;
  unsigned maxLength = 0;

private:
  /// Fast path: indexed by the next `tableBits` stream bits (LSB-first, so
  /// codes appear bit-reversed); length 0 means "longer code or no code".
  struct TableEntry {
    uint32_t symbol = 0;
    uint8_t length = 0;
  };
  std::vector<TableEntry> table;
  unsigned tableBits = 0;
};

} // namespace dc

#endif // DC_CORE_HUFFMAN_H
