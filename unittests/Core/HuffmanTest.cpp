//===- HuffmanTest.cpp - Tests of canonical Huffman coding ----------------===//

#include "dc/Core/Huffman.h"

#include "gtest/gtest.h"

#include <algorithm>
#include <cmath>
#include <functional>
#include <numeric>
#include <queue>
#include <random>

using namespace dc;

namespace {

uint64_t cost(const std::vector<uint64_t> &freq,
              const std::vector<uint8_t> &lengths) {
  uint64_t c = 0;
  for (size_t i = 0; i < freq.size(); ++i)
    c += freq[i] * lengths[i];
  return c;
}

/// Cost of an unlimited optimal Huffman code (classic two-queue merge).
uint64_t huffmanCost(const std::vector<uint64_t> &freq) {
  std::priority_queue<uint64_t, std::vector<uint64_t>, std::greater<uint64_t>>
      q;
  for (uint64_t f : freq)
    if (f)
      q.push(f);
  if (q.size() == 1)
    return q.top();
  uint64_t c = 0;
  while (q.size() > 1) {
    uint64_t a = q.top();
    q.pop();
    uint64_t b = q.top();
    q.pop();
    c += a + b;
    q.push(a + b);
  }
  return c;
}

double kraft(const std::vector<uint8_t> &lengths) {
  double k = 0;
  for (uint8_t l : lengths)
    if (l)
      k += std::ldexp(1.0, -int(l));
  return k;
}

TEST(Huffman, KnownExample) {
  std::vector<uint64_t> freq = {5, 9, 12, 13, 16, 45};
  std::vector<uint8_t> lengths = buildHuffmanCodeLengths(freq);
  EXPECT_EQ(lengths, (std::vector<uint8_t>{4, 4, 3, 3, 3, 1}));
  EXPECT_EQ(cost(freq, lengths), 224u);
  // Canonical: 1-bit code 0 for symbol 5; 3-bit codes 100,101,110 for
  // symbols 2,3,4; 4-bit codes 1110,1111 for symbols 0,1.
  std::vector<uint32_t> codes = canonicalHuffmanCodes(lengths);
  EXPECT_EQ(codes,
            (std::vector<uint32_t>{0b1110, 0b1111, 0b100, 0b101, 0b110, 0b0}));
}

TEST(Huffman, UnusedSymbolsAndSingleSymbol) {
  std::vector<uint8_t> lengths = buildHuffmanCodeLengths({0, 0, 7, 0});
  EXPECT_EQ(lengths, (std::vector<uint8_t>{0, 0, 1, 0}));
  EXPECT_TRUE(verifyHuffmanCodeLengths(lengths));
  lengths = buildHuffmanCodeLengths({0, 3, 0, 3});
  EXPECT_EQ(lengths, (std::vector<uint8_t>{0, 1, 0, 1}));
  lengths = buildHuffmanCodeLengths({0, 0});
  EXPECT_EQ(lengths, (std::vector<uint8_t>{0, 0}));
  EXPECT_FALSE(verifyHuffmanCodeLengths(lengths));
}

TEST(Huffman, SingleSymbolStream) {
  std::vector<uint8_t> lengths = buildHuffmanCodeLengths({0, 0, 0, 10});
  std::vector<uint32_t> symbols(10, 3);
  std::vector<uint8_t> bytes;
  uint64_t bitSize = 0;
  ASSERT_TRUE(huffmanEncode(symbols, lengths, bytes, bitSize));
  EXPECT_EQ(bitSize, 10u);
  EXPECT_EQ(bytes.size(), 2u);
  HuffmanDecoder d;
  ASSERT_TRUE(d.init(lengths));
  std::vector<uint32_t> out;
  ASSERT_TRUE(d.decode(bytes.data(), bytes.size(), 10, out));
  EXPECT_EQ(out, symbols);
  // Only code "0" exists: a 1 bit matches nothing.
  std::vector<uint8_t> bad = {0x01};
  std::string error;
  uint64_t consumed = 0;
  EXPECT_FALSE(d.decode(bad.data(), bad.size(), 1, out, consumed, &error));
  EXPECT_NE(error.find("matching no code"), std::string::npos) << error;
}

TEST(Huffman, OptimalWhenUnlimited) {
  std::mt19937_64 rng(3);
  for (int trial = 0; trial < 50; ++trial) {
    size_t n = 2 + rng() % 300;
    std::vector<uint64_t> freq(n);
    for (auto &f : freq)
      f = (rng() % 4 == 0) ? 0 : 1 + rng() % (trial % 2 ? 10 : 100000);
    freq[0] = 1;
    freq[1] = 2;
    std::vector<uint8_t> lengths = buildHuffmanCodeLengths(freq);
    ASSERT_TRUE(verifyHuffmanCodeLengths(lengths));
    EXPECT_EQ(cost(freq, lengths), huffmanCost(freq));
    EXPECT_DOUBLE_EQ(kraft(lengths), 1.0); // Optimal codes are complete.
    for (size_t i = 0; i < n; ++i)
      EXPECT_EQ(lengths[i] == 0, freq[i] == 0);
  }
}

TEST(Huffman, LengthLimitRespected) {
  // Fibonacci frequencies make the unlimited code maximally deep.
  std::vector<uint64_t> freq = {1, 1};
  while (freq.size() < 30)
    freq.push_back(freq[freq.size() - 1] + freq[freq.size() - 2]);
  std::vector<uint8_t> unlimited = buildHuffmanCodeLengths(freq);
  EXPECT_EQ(*std::max_element(unlimited.begin(), unlimited.end()), 24);
  std::vector<uint8_t> deep = buildHuffmanCodeLengths(freq, 32);
  EXPECT_LE(*std::max_element(deep.begin(), deep.end()), 24); // Clamped.

  std::vector<uint64_t> small(freq.begin(), freq.begin() + 20);
  std::vector<uint8_t> smallLengths = buildHuffmanCodeLengths(small);
  EXPECT_EQ(*std::max_element(smallLengths.begin(), smallLengths.end()), 19);
  uint64_t prevCost = 0;
  for (unsigned limit = 19; limit >= 5; --limit) {
    std::vector<uint8_t> lengths = buildHuffmanCodeLengths(small, limit);
    ASSERT_TRUE(verifyHuffmanCodeLengths(lengths));
    EXPECT_EQ(*std::max_element(lengths.begin(), lengths.end()), limit);
    EXPECT_DOUBLE_EQ(kraft(lengths), 1.0);
    uint64_t c = cost(small, lengths);
    EXPECT_GE(c, prevCost); // Tighter limits never help.
    prevCost = c;
  }
  // 20 symbols fit in 5 bits; the 5-bit limit is still better than flat.
  EXPECT_LT(cost(small, buildHuffmanCodeLengths(small, 5)),
            5 * std::accumulate(small.begin(), small.end(), uint64_t(0)));
  // 4 symbols with limit 2 must be the flat 2-bit code.
  EXPECT_EQ(buildHuffmanCodeLengths({1, 2, 4, 100}, 2),
            (std::vector<uint8_t>{2, 2, 2, 2}));
  // Impossible limits fall back to a flat code.
  EXPECT_EQ(buildHuffmanCodeLengths({1, 2, 4, 8, 16}, 2),
            (std::vector<uint8_t>{3, 3, 3, 3, 3}));
}

TEST(Huffman, Deterministic) {
  std::vector<uint64_t> freq(64, 5); // All ties.
  freq[3] = 0;
  std::vector<uint8_t> a = buildHuffmanCodeLengths(freq);
  std::vector<uint8_t> b = buildHuffmanCodeLengths(freq);
  EXPECT_EQ(a, b);
  EXPECT_TRUE(verifyHuffmanCodeLengths(a));
}

TEST(Huffman, VerifyRejectsBadTables) {
  std::string error;
  EXPECT_TRUE(verifyHuffmanCodeLengths({1, 2, 2}, &error));
  EXPECT_FALSE(verifyHuffmanCodeLengths({1, 2, 0, 0}, &error)); // Incomplete.
  EXPECT_FALSE(verifyHuffmanCodeLengths({24, 24}, &error)); // Incomplete.
  EXPECT_FALSE(verifyHuffmanCodeLengths({1, 1, 2}, &error));
  EXPECT_NE(error.find("over-subscribed"), std::string::npos) << error;
  EXPECT_FALSE(verifyHuffmanCodeLengths({1, 25}, &error));
  EXPECT_NE(error.find("exceeds the maximum"), std::string::npos) << error;
  EXPECT_FALSE(verifyHuffmanCodeLengths({0, 0, 0}, &error));
  EXPECT_NE(error.find("no used symbol"), std::string::npos) << error;
  EXPECT_FALSE(verifyHuffmanCodeLengths({}, &error));
  HuffmanDecoder d;
  EXPECT_FALSE(d.init({1, 1, 1}, &error));
  EXPECT_NE(error.find("over-subscribed"), std::string::npos) << error;
}

TEST(Huffman, DecoderTables) {
  HuffmanDecoder d;
  ASSERT_TRUE(d.init({4, 4, 3, 3, 3, 1}));
  EXPECT_EQ(d.maxLength, 4u);
  ASSERT_EQ(d.countPerLength.size(), 5u);
  EXPECT_EQ(d.countPerLength, (std::vector<uint32_t>{0, 1, 0, 3, 2}));
  EXPECT_EQ(d.firstCode[1], 0u);
  EXPECT_EQ(d.firstCode[3], 0b100u);
  EXPECT_EQ(d.firstCode[4], 0b1110u);
  EXPECT_EQ(d.firstIndex[1], 0u);
  EXPECT_EQ(d.firstIndex[3], 1u);
  EXPECT_EQ(d.firstIndex[4], 4u);
  EXPECT_EQ(d.sortedSymbols, (std::vector<uint32_t>{5, 2, 3, 4, 0, 1}));
}

TEST(Huffman, RoundTripRandom) {
  std::mt19937_64 rng(11);
  for (int trial = 0; trial < 40; ++trial) {
    size_t alphabet = 1 + rng() % (trial < 20 ? 40 : 70000);
    size_t count = rng() % 20000;
    // Skewed (geometric-ish) source so long codes occur.
    std::vector<uint32_t> symbols(count);
    std::geometric_distribution<uint32_t> geo(trial % 3 == 0 ? 0.5 : 0.02);
    for (auto &s : symbols)
      s = std::min<uint32_t>(geo(rng), uint32_t(alphabet - 1));
    std::vector<uint64_t> freq(alphabet, 0);
    for (uint32_t s : symbols)
      ++freq[s];
    if (count == 0)
      freq[0] = 1;
    unsigned limit = trial % 4 == 1 ? 9 : 24;
    std::vector<uint8_t> lengths = buildHuffmanCodeLengths(freq, limit);
    ASSERT_TRUE(verifyHuffmanCodeLengths(lengths));
    std::vector<uint8_t> bytes;
    uint64_t bitSize = 0;
    ASSERT_TRUE(huffmanEncode(symbols, lengths, bytes, bitSize));
    EXPECT_EQ(bitSize, cost(freq, lengths) - (count == 0 ? lengths[0] : 0));
    EXPECT_EQ(bytes.size(), (bitSize + 7) / 8);
    HuffmanDecoder d;
    ASSERT_TRUE(d.init(lengths));
    std::vector<uint32_t> out;
    uint64_t consumed = 0;
    ASSERT_TRUE(
        d.decode(bytes.data(), bytes.size(), count, out, consumed, nullptr));
    EXPECT_EQ(consumed, bitSize);
    ASSERT_EQ(out, symbols) << "trial " << trial;
  }
}

TEST(Huffman, LongCodesUseSlowPath) {
  // Fibonacci lengths up to 24 bits exercise codes longer than the table.
  std::vector<uint64_t> freq = {1, 1};
  while (freq.size() < 26)
    freq.push_back(freq[freq.size() - 1] + freq[freq.size() - 2]);
  std::vector<uint8_t> lengths = buildHuffmanCodeLengths(freq);
  std::vector<uint32_t> symbols;
  for (uint32_t s = 0; s < 26; ++s)
    for (int r = 0; r < 3; ++r)
      symbols.push_back(s);
  std::mt19937 rng(5);
  std::shuffle(symbols.begin(), symbols.end(), rng);
  std::vector<uint8_t> bytes;
  uint64_t bitSize;
  ASSERT_TRUE(huffmanEncode(symbols, lengths, bytes, bitSize));
  HuffmanDecoder d;
  ASSERT_TRUE(d.init(lengths));
  std::vector<uint32_t> out;
  ASSERT_TRUE(d.decode(bytes.data(), bytes.size(), symbols.size(), out));
  EXPECT_EQ(out, symbols);
}

TEST(Huffman, TruncatedStreamFails) {
  std::vector<uint8_t> lengths = {4, 4, 3, 3, 3, 1};
  std::vector<uint32_t> symbols = {0, 1, 0, 1, 0, 1, 0, 1}; // 32 bits.
  std::vector<uint8_t> bytes;
  uint64_t bitSize;
  ASSERT_TRUE(huffmanEncode(symbols, lengths, bytes, bitSize));
  ASSERT_EQ(bitSize, 32u);
  HuffmanDecoder d;
  ASSERT_TRUE(d.init(lengths));
  std::vector<uint32_t> out;
  EXPECT_TRUE(d.decode(bytes.data(), 4, 8, out));
  EXPECT_FALSE(d.decode(bytes.data(), 3, 8, out));
  EXPECT_FALSE(d.decode(bytes.data(), 4, 9, out));
  std::string error;
  uint64_t consumed;
  EXPECT_FALSE(d.decode(bytes.data(), 3, 8, out, consumed, &error));
  EXPECT_NE(error.find("truncated"), std::string::npos) << error;
  EXPECT_FALSE(d.decode(nullptr, 0, 1, out));
  EXPECT_TRUE(d.decode(nullptr, 0, 0, out));
  EXPECT_TRUE(out.empty());
}

TEST(Huffman, IncompleteCodeIsRejected) {
  // Lengths {2, 2}: codes 00 and 01; 1x would match nothing. Such a table is
  // invalid (zlib's inftrees.c rule), so no stream can use the gap.
  HuffmanDecoder d;
  std::string error;
  EXPECT_FALSE(d.init({2, 2}, &error));
  EXPECT_NE(error.find("incomplete"), std::string::npos) << error;
  std::vector<uint8_t> bytes = {0b0110};
  std::vector<uint32_t> out;
  uint64_t consumed;
  EXPECT_FALSE(d.decode(bytes.data(), 1, 1, out, consumed, &error));
}

TEST(Huffman, EncodeRejectsSymbolWithoutCode) {
  std::vector<uint8_t> bytes;
  uint64_t bitSize;
  EXPECT_FALSE(huffmanEncode({0, 2}, {1, 1, 0}, bytes, bitSize));
  EXPECT_FALSE(huffmanEncode({5}, {1, 1, 0}, bytes, bitSize));
  EXPECT_TRUE(huffmanEncode({0, 1}, {1, 1, 0}, bytes, bitSize));
  EXPECT_EQ(bitSize, 2u);
  EXPECT_EQ(bytes, (std::vector<uint8_t>{0b10}));
}

} // namespace
