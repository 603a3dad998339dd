//===- Ans.cpp - Static order-0 rANS entropy coding -----------------------===//

#include "dc/Core/Ans.h"

#include <algorithm>
#include <cmath>
#include <queue>

using namespace dc;

namespace {

constexpr uint32_t kStateLow = uint32_t(1) << 23; // Renormalization bound L.
constexpr unsigned kLengthBits = 17;

bool fail(std::string *error, const std::string &message) {
  if (error)
    *error = message;
  return false;
}

class BitWriter {
public:
  void put(uint64_t value, unsigned bits) {
    for (unsigned i = 0; i < bits; ++i) {
      if (used == 0)
        bytes.push_back(0);
      bytes.back() |= uint8_t(((value >> i) & 1) << used);
      used = (used + 1) & 7;
    }
  }
  /// Exp-Golomb of order g: q ones and a zero, then the low g + q bits of
  /// v + 2^g, where q = bitlength(v + 2^g) - 1 - g.
  void putExpGolomb(uint64_t v, unsigned g) {
    uint64_t u = v + (uint64_t(1) << g);
    unsigned q = 63 - unsigned(__builtin_clzll(u)) - g;
    put((uint64_t(1) << q) - 1, q);
    put(0, 1);
    put(u, g + q);
  }
  std::vector<uint8_t> bytes;

private:
  unsigned used = 0;
};

class BitReader {
public:
  BitReader(const uint8_t *data, size_t size) : data(data), size(size) {}
  bool get(unsigned bits, uint64_t &value) {
    value = 0;
    for (unsigned i = 0; i < bits; ++i, ++pos) {
      if (pos >= 8 * uint64_t(size))
        return false;
      value |= uint64_t((data[pos >> 3] >> (pos & 7)) & 1) << i;
    }
    return true;
  }
  bool getExpGolomb(unsigned g, uint64_t &v) {
    unsigned q = 0;
    uint64_t bit;
    while (true) {
      if (!get(1, bit))
        return false;
      if (!bit)
        break;
      if (++q + g > 32)
        return false; // Frequencies fit 32 bits.
    }
    uint64_t low;
    if (!get(g + q, low))
      return false;
    v = (low | (uint64_t(1) << (g + q))) - (uint64_t(1) << g);
    return true;
  }
  uint64_t position() const { return pos; }

private:
  const uint8_t *data;
  size_t size;
  uint64_t pos = 0;
};

unsigned expGolombBits(uint64_t v, unsigned g) {
  uint64_t u = v + (uint64_t(1) << g);
  unsigned q = 63 - unsigned(__builtin_clzll(u)) - g;
  return 2 * q + g + 1;
}

/// The table's bits for a given exp-Golomb order.
uint64_t tableBits(const std::vector<uint32_t> &freqs, unsigned g) {
  uint64_t bits = 5 + 4 + kLengthBits;
  for (uint32_t f : freqs)
    bits += expGolombBits(f, g);
  return bits;
}

unsigned bestGolombOrder(const std::vector<uint32_t> &freqs) {
  unsigned best = 0;
  uint64_t bestBits = UINT64_MAX;
  for (unsigned g = 0; g < 16; ++g) {
    uint64_t b = tableBits(freqs, g);
    if (b < bestBits) {
      bestBits = b;
      best = g;
    }
  }
  return best;
}

std::vector<uint32_t> trimmed(std::vector<uint32_t> f) {
  while (!f.empty() && f.back() == 0)
    f.pop_back();
  return f;
}

} // namespace

std::vector<uint32_t>
dc::normalizeFrequencies(const std::vector<uint64_t> &counts,
                         unsigned precision) {
  const uint64_t total = uint64_t(1) << precision;
  uint64_t n = 0;
  for (uint64_t c : counts)
    n += c;
  std::vector<uint32_t> f(counts.size(), 0);
  if (n == 0)
    return f;
  int64_t sum = 0;
  for (size_t s = 0; s < counts.size(); ++s) {
    if (!counts[s])
      continue;
    long double share = (long double)counts[s] * total / n;
    f[s] = uint32_t(std::max<long double>(1, std::floor(share)));
    sum += f[s];
  }
  // Greedy on the marginal cost counts[s] * log2(f / (f -+ 1)).
  using Item = std::pair<double, uint32_t>;
  if (sum < int64_t(total)) {
    std::priority_queue<Item> gain; // Largest gain first.
    for (size_t s = 0; s < counts.size(); ++s)
      if (counts[s])
        gain.push({double(counts[s]) * std::log2(double(f[s] + 1) / f[s]),
                   uint32_t(s)});
    for (; sum < int64_t(total); ++sum) {
      uint32_t s = gain.top().second;
      gain.pop();
      ++f[s];
      gain.push({double(counts[s]) * std::log2(double(f[s] + 1) / f[s]), s});
    }
  } else if (sum > int64_t(total)) {
    std::priority_queue<Item, std::vector<Item>, std::greater<Item>> loss;
    for (size_t s = 0; s < counts.size(); ++s)
      if (counts[s] && f[s] > 1)
        loss.push({double(counts[s]) * std::log2(double(f[s]) / (f[s] - 1)),
                   uint32_t(s)});
    for (; sum > int64_t(total) && !loss.empty(); --sum) {
      uint32_t s = loss.top().second;
      loss.pop();
      --f[s];
      if (f[s] > 1)
        loss.push(
            {double(counts[s]) * std::log2(double(f[s]) / (f[s] - 1)), s});
    }
  }
  return f;
}

std::vector<uint8_t> dc::writeAnsTable(const AnsTable &table) {
  std::vector<uint32_t> f = trimmed(table.freqs);
  BitWriter w;
  unsigned g = bestGolombOrder(f);
  w.put(table.precision - 1, 5);
  w.put(g, 4);
  w.put(f.size() - 1, kLengthBits);
  for (uint32_t v : f)
    w.putExpGolomb(v, g);
  return std::move(w.bytes);
}

bool dc::readAnsTable(const uint8_t *bytes, size_t size, uint32_t alphabet,
                      AnsTable &table, std::string *error) {
  BitReader r(bytes, size);
  uint64_t precisionMinus1, g, lengthMinus1;
  if (!r.get(5, precisionMinus1) || !r.get(4, g) ||
      !r.get(kLengthBits, lengthMinus1))
    return fail(error, "rANS table is truncated");
  table.precision = unsigned(precisionMinus1) + 1;
  if (table.precision > kMaxAnsPrecision)
    return fail(error, "rANS table precision " +
                           std::to_string(table.precision) + " exceeds " +
                           std::to_string(kMaxAnsPrecision));
  if (lengthMinus1 + 1 > alphabet)
    return fail(error, "rANS table has " + std::to_string(lengthMinus1 + 1) +
                           " entries, more than the alphabet size " +
                           std::to_string(alphabet));
  const uint64_t total = uint64_t(1) << table.precision;
  table.freqs.assign(size_t(lengthMinus1 + 1), 0);
  uint64_t sum = 0;
  for (uint32_t &f : table.freqs) {
    uint64_t v;
    if (!r.getExpGolomb(unsigned(g), v))
      return fail(error, "rANS table is truncated or has an invalid code");
    if (v > total)
      return fail(error, "rANS frequency exceeds the table total");
    f = uint32_t(v);
    sum += v;
  }
  if (sum != total)
    return fail(error, "rANS frequencies sum to " + std::to_string(sum) +
                           ", not 2^" + std::to_string(table.precision));
  if (table.freqs.back() == 0)
    return fail(error, "rANS table has a trailing unused entry");
  if ((r.position() + 7) / 8 != size)
    return fail(error, "rANS table has trailing bytes");
  uint64_t padding;
  if (r.position() % 8 &&
      (!r.get(unsigned(8 - r.position() % 8), padding) || padding != 0))
    return fail(error, "rANS table has nonzero padding");
  return true;
}

AnsTable dc::chooseAnsTable(const std::vector<uint64_t> &counts,
                            uint64_t *estimatedBits) {
  uint64_t used = 0;
  for (uint64_t c : counts)
    used += c != 0;
  AnsTable best;
  if (used == 0) {
    if (estimatedBits)
      *estimatedBits = 0;
    return best;
  }
  unsigned minPrecision = 1;
  while ((uint64_t(1) << minPrecision) < used)
    ++minPrecision;
  double bestBits = INFINITY;
  for (unsigned p = minPrecision; p <= kMaxAnsPrecision; ++p) {
    std::vector<uint32_t> f = normalizeFrequencies(counts, p);
    double coded = 0;
    for (size_t s = 0; s < counts.size(); ++s)
      if (counts[s])
        coded += double(counts[s]) * (double(p) - std::log2(double(f[s])));
    f = trimmed(std::move(f));
    uint64_t table = (tableBits(f, bestGolombOrder(f)) + 7) / 8 * 8;
    double bits = std::ceil(coded / 8) * 8 + 32 + double(table);
    if (bits < bestBits) {
      bestBits = bits;
      best.precision = p;
      best.freqs = std::move(f);
    }
  }
  if (estimatedBits)
    *estimatedBits = uint64_t(bestBits);
  return best;
}

bool dc::ansEncodeWithTable(const std::vector<uint32_t> &symbols,
                            const AnsTable &table, std::vector<uint8_t> &stream,
                            std::string *error) {
  stream.clear();
  if (symbols.empty())
    return true;
  const unsigned p = table.precision;
  std::vector<uint32_t> cum(table.freqs.size() + 1, 0);
  for (size_t s = 0; s < table.freqs.size(); ++s)
    cum[s + 1] = cum[s] + table.freqs[s];
  std::vector<uint8_t> reversed;
  reversed.reserve(symbols.size() / 2 + 16);
  uint32_t x = kStateLow;
  for (size_t i = symbols.size(); i-- > 0;) {
    uint32_t s = symbols[i];
    if (s >= table.freqs.size() || table.freqs[s] == 0)
      return fail(error,
                  "symbol " + std::to_string(s) + " has no rANS frequency");
    uint32_t f = table.freqs[s];
    uint64_t xMax = (uint64_t(kStateLow >> p) << 8) * f;
    while (x >= xMax) {
      reversed.push_back(uint8_t(x));
      x >>= 8;
    }
    x = ((x / f) << p) + (x % f) + cum[s];
  }
  for (int i = 3; i >= 0; --i)
    reversed.push_back(uint8_t(x >> (8 * i)));
  stream.assign(reversed.rbegin(), reversed.rend());
  // The state goes out big-endian in reverse: little-endian in the stream.
  return true;
}

bool dc::ansEncode(const std::vector<uint32_t> &symbols, uint32_t alphabet,
                   std::vector<uint8_t> &table, std::vector<uint8_t> &stream,
                   std::string *error) {
  table.clear();
  stream.clear();
  if (alphabet == 0 || alphabet > kMaxAnsAlphabet)
    return fail(error, "rANS alphabet size must be in 1..65536");
  if (symbols.empty())
    return true;
  std::vector<uint64_t> counts(alphabet, 0);
  for (uint32_t s : symbols) {
    if (s >= alphabet)
      return fail(error, "symbol " + std::to_string(s) +
                             " is outside the alphabet of " +
                             std::to_string(alphabet));
    ++counts[s];
  }
  AnsTable t = chooseAnsTable(counts);
  table = writeAnsTable(t);
  return ansEncodeWithTable(symbols, t, stream, error);
}

bool dc::ansDecode(const uint8_t *tableBytes, size_t tableSize,
                   const uint8_t *stream, size_t streamSize, uint64_t count,
                   uint32_t alphabet, std::vector<uint32_t> &symbols,
                   std::string *error) {
  symbols.clear();
  if (alphabet == 0 || alphabet > kMaxAnsAlphabet)
    return fail(error, "rANS alphabet size must be in 1..65536");
  if (count == 0) {
    if (tableSize || streamSize)
      return fail(error, "rANS stream of 0 symbols must be empty");
    return true;
  }
  AnsTable table;
  if (!readAnsTable(tableBytes, tableSize, alphabet, table, error))
    return false;
  const unsigned p = table.precision;
  const uint32_t mask = (uint32_t(1) << p) - 1;
  std::vector<uint16_t> slotSymbol(size_t(1) << p);
  std::vector<uint32_t> cum(table.freqs.size() + 1, 0);
  for (size_t s = 0; s < table.freqs.size(); ++s) {
    cum[s + 1] = cum[s] + table.freqs[s];
    std::fill(slotSymbol.begin() + cum[s], slotSymbol.begin() + cum[s + 1],
              uint16_t(s));
  }
  if (streamSize < 4)
    return fail(error, "rANS stream is truncated");
  uint32_t x = uint32_t(stream[0]) | uint32_t(stream[1]) << 8 |
               uint32_t(stream[2]) << 16 | uint32_t(stream[3]) << 24;
  if (x < kStateLow || x >= (kStateLow << 8))
    return fail(error, "rANS initial state out of range");
  size_t pos = 4;
  // `count` is declared, not yet checked against the stream: the output
  // grows with what decodes instead of being allocated up front (a symbol
  // of frequency 2^p costs no bits, so the stream size does not bound it).
  symbols.reserve(size_t(std::min<uint64_t>(count, 4096 + 8 * streamSize)));
  for (uint64_t i = 0; i < count; ++i) {
    uint32_t slot = x & mask;
    uint32_t s = slotSymbol[slot];
    symbols.push_back(s);
    x = table.freqs[s] * (x >> p) + slot - cum[s];
    while (x < kStateLow) {
      if (pos >= streamSize) {
        symbols.clear();
        return fail(error, "rANS stream is truncated");
      }
      x = (x << 8) | stream[pos++];
    }
  }
  if (pos != streamSize) {
    symbols.clear();
    return fail(error, "rANS stream has " + std::to_string(streamSize - pos) +
                           " trailing bytes");
  }
  if (x != kStateLow) {
    symbols.clear();
    return fail(error, "rANS stream does not end in the initial state");
  }
  return true;
}

double dc::empiricalEntropyBits(const std::vector<uint64_t> &counts) {
  double n = 0;
  for (uint64_t c : counts)
    n += double(c);
  double bits = 0;
  for (uint64_t c : counts)
    if (c)
      bits += double(c) * std::log2(n / double(c));
  return bits;
}
