//===- Ans.h - Static order-0 rANS entropy coding ---------------*- C++ -*-===//
//
// Range asymmetric numeral systems (Duda) with a static frequency table
// normalized to a total of 2^precision, a 32-bit state and byte-wise
// renormalization (state in [2^23, 2^31)). A coded stream is two byte
// vectors:
//   - the table: LSB-first bits: precision - 1 (5 bits), the exp-Golomb
//     parameter g (4 bits), the table length L - 1 (17 bits), then L
//     frequencies, each an exp-Golomb code of order g (0 = unused symbol),
//     zero-padded to a byte. Symbols >= L are unused. Frequencies sum to
//     2^precision.
//   - the stream: the encoder's bytes in decoding order, starting with the
//     final 32-bit encoder state (little-endian). Decoding `count` symbols
//     must consume every byte and end in the initial state 2^23; anything
//     else (truncated or trailing bytes, a state that does not return) is
//     rejected.
// The encoder picks the precision (1..kMaxAnsPrecision) and g that minimize
// the table plus the exact coded size of the given symbols; frequencies are
// normalized by a greedy on the marginal code-length cost, which is optimal
// for the separable convex objective sum_s n_s log2(M / f_s).
//
//===----------------------------------------------------------------------===//

#ifndef DC_CORE_ANS_H
#define DC_CORE_ANS_H

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace dc {

constexpr unsigned kMaxAnsPrecision = 20;
/// Largest alphabet: 2^16 symbols (codebook indices and gaps of 16 bits).
constexpr uint32_t kMaxAnsAlphabet = uint32_t(1) << 16;

/// A normalized frequency table.
struct AnsTable {
  unsigned precision = 0;
  std::vector<uint32_t> freqs; // Sum 2^precision; trailing zeros trimmed.
};

/// Frequencies of `counts` normalized to 2^precision (every used symbol
/// keeps >= 1), minimizing sum_s counts[s] * log2(2^precision / f_s).
/// Requires 2^precision >= number of used symbols.
std::vector<uint32_t> normalizeFrequencies(const std::vector<uint64_t> &counts,
                                           unsigned precision);

/// Serializes / parses a table (see above). Parsing validates: precision in
/// range, sum exactly 2^precision, at most `alphabet` entries, no bits
/// after the last code beyond padding.
std::vector<uint8_t> writeAnsTable(const AnsTable &table);
bool readAnsTable(const uint8_t *bytes, size_t size, uint32_t alphabet,
                  AnsTable &table, std::string *error);

/// Encodes `symbols` (each < alphabet <= kMaxAnsAlphabet). With no symbols
/// both outputs are empty. Returns false with `error` on a symbol out of
/// range.
bool ansEncode(const std::vector<uint32_t> &symbols, uint32_t alphabet,
               std::vector<uint8_t> &table, std::vector<uint8_t> &stream,
               std::string *error = nullptr);

/// Encodes with a given table (every symbol must have a frequency).
bool ansEncodeWithTable(const std::vector<uint32_t> &symbols,
                        const AnsTable &table, std::vector<uint8_t> &stream,
                        std::string *error = nullptr);

/// The table ansEncode chooses for symbol counts (`counts.size()` is the
/// alphabet), and the exact size in bytes (table + stream) it will produce
/// for those counts, up to the renormalization (which only adds below
/// 0.01%): used by searches that must not encode.
AnsTable chooseAnsTable(const std::vector<uint64_t> &counts,
                        uint64_t *estimatedBits = nullptr);

/// Decodes exactly `count` symbols. Validates the table and the stream
/// (truncated, trailing bytes, bad final state) and returns false with
/// `error` on any problem. An empty table and stream decode 0 symbols.
bool ansDecode(const uint8_t *table, size_t tableSize, const uint8_t *stream,
               size_t streamSize, uint64_t count, uint32_t alphabet,
               std::vector<uint32_t> &symbols, std::string *error);

/// The empirical order-0 entropy of the counts, in bits (sum n log2(N/n)).
double empiricalEntropyBits(const std::vector<uint64_t> &counts);

} // namespace dc

#endif // DC_CORE_ANS_H
