//===- RelativeIndexTest.cpp - Tests of relative indexing -----------------===//

#include "dc/Core/RelativeIndex.h"

#include "gtest/gtest.h"

#include <random>

using namespace dc;

namespace {

TEST(RelativeIndex, EIEExample) {
  std::vector<uint32_t> dense = {0, 0, 1, 2};
  dense.insert(dense.end(), 18, 0);
  dense.push_back(3);
  ASSERT_EQ(dense.size(), 23u);
  RelativeSlice s = encodeRelative(dense, 4);
  EXPECT_EQ(s.values, (std::vector<uint32_t>{1, 2, 0, 3}));
  EXPECT_EQ(s.gaps, (std::vector<uint32_t>{2, 0, 15, 2}));
  EXPECT_EQ(s.fillers, 1u);

  std::vector<uint32_t> back;
  ASSERT_TRUE(decodeRelative(s.values.data(), s.gaps.data(), s.values.size(),
                             dense.size(), back));
  EXPECT_EQ(back, dense);
}

TEST(RelativeIndex, GapExactlyMaxNeedsNoFiller) {
  std::vector<uint32_t> dense(15, 0);
  dense.push_back(7); // 15 zeros then a value: gap 15 fits in 4 bits.
  RelativeSlice s = encodeRelative(dense, 4);
  EXPECT_EQ(s.values, (std::vector<uint32_t>{7}));
  EXPECT_EQ(s.gaps, (std::vector<uint32_t>{15}));
  EXPECT_EQ(s.fillers, 0u);
  dense.insert(dense.begin(), 0); // 16 zeros: filler at position 15.
  s = encodeRelative(dense, 4);
  EXPECT_EQ(s.values, (std::vector<uint32_t>{0, 7}));
  EXPECT_EQ(s.gaps, (std::vector<uint32_t>{15, 0}));
  EXPECT_EQ(s.fillers, 1u);
}

TEST(RelativeIndex, RepeatedFillersWithOneBit) {
  // indexBits = 1: max gap 1; 5 zeros then x -> fillers after 1 zero each.
  std::vector<uint32_t> dense = {0, 0, 0, 0, 0, 9};
  RelativeSlice s = encodeRelative(dense, 1);
  // Zeros at 0..4: filler at 1 (gap 1), filler at 3 (gap 1), value at 5
  // (gap 1).
  EXPECT_EQ(s.values, (std::vector<uint32_t>{0, 0, 9}));
  EXPECT_EQ(s.gaps, (std::vector<uint32_t>{1, 1, 1}));
  EXPECT_EQ(s.fillers, 2u);
  std::vector<uint32_t> back;
  ASSERT_TRUE(decodeRelative(s.values.data(), s.gaps.data(), s.values.size(),
                             dense.size(), back));
  EXPECT_EQ(back, dense);
}

TEST(RelativeIndex, TrailingAndAllZeros) {
  RelativeSlice s = encodeRelative(std::vector<uint32_t>(100, 0), 2);
  EXPECT_TRUE(s.values.empty());
  EXPECT_TRUE(s.gaps.empty());
  EXPECT_EQ(s.fillers, 0u);
  s = encodeRelative({5, 0, 0, 0, 0, 0, 0, 0, 0, 0}, 2);
  EXPECT_EQ(s.values, (std::vector<uint32_t>{5}));
  EXPECT_EQ(s.gaps, (std::vector<uint32_t>{0}));
  std::vector<uint32_t> back;
  ASSERT_TRUE(decodeRelative(nullptr, nullptr, 0, 4, back));
  EXPECT_EQ(back, std::vector<uint32_t>(4, 0));
  s = encodeRelative({}, 3);
  EXPECT_TRUE(s.values.empty());
}

TEST(RelativeIndex, DecodeRejectsPastLength) {
  std::vector<uint32_t> values = {1, 2}, gaps = {1, 1};
  std::vector<uint32_t> back;
  EXPECT_TRUE(decodeRelative(values.data(), gaps.data(), 2, 4, back));
  EXPECT_EQ(back, (std::vector<uint32_t>{0, 1, 0, 2}));
  EXPECT_FALSE(decodeRelative(values.data(), gaps.data(), 2, 3, back));
  EXPECT_TRUE(back.empty());
  gaps = {4, 0};
  EXPECT_FALSE(decodeRelative(values.data(), gaps.data(), 1, 4, back));
}

TEST(RelativeIndex, DeclaredLengthIsNotAllocatedBeforeTheEntriesFit) {
  // 300 gaps of 2^32 - 1 reach 300 x 2^32 elements (5 TiB of u32): the
  // last entry lands one past a length of that size minus one, which is
  // found before anything of that length is allocated.
  std::vector<uint32_t> values(300, 1), gaps(300, 0xffffffffu), back;
  uint64_t reach = 300ull << 32;
  EXPECT_FALSE(
      decodeRelative(values.data(), gaps.data(), 300, reach - 1, back));
  EXPECT_TRUE(back.empty());
}

TEST(RelativeIndex, StridedAppend) {
  // A 3x4 row-major matrix; encode column 1 (stride 4).
  std::vector<uint32_t> m = {0, 0, 0, 0, //
                             0, 0, 0, 0, //
                             0, 5, 0, 0};
  std::vector<uint32_t> values = {99}, gaps = {98};
  uint64_t fillers = appendRelative(m.data() + 1, 3, 4, 1, values, gaps);
  EXPECT_EQ(fillers, 1u);
  EXPECT_EQ(values, (std::vector<uint32_t>{99, 0, 5}));
  EXPECT_EQ(gaps, (std::vector<uint32_t>{98, 1, 0}));
}

TEST(RelativeIndex, RandomRoundTripEveryWidth) {
  std::mt19937_64 rng(7);
  for (unsigned bits = 1; bits <= 16; ++bits) {
    const uint64_t maxGap = (uint64_t(1) << bits) - 1;
    for (int trial = 0; trial < 12; ++trial) {
      size_t length = rng() % 3000;
      double density = trial == 0 ? 0.0 : 1.0 / double(1 + rng() % 400);
      std::vector<uint32_t> dense(length, 0);
      std::uniform_real_distribution<double> u(0, 1);
      for (auto &v : dense)
        if (u(rng) < density)
          v = 1 + uint32_t(rng() % 1000);
      if (trial == 1 && length > 0)
        dense.back() = 3; // A long gap right before the last element.
      RelativeSlice s = encodeRelative(dense, bits);
      ASSERT_EQ(s.values.size(), s.gaps.size());
      uint64_t nonzeros = 0, zeroEntries = 0;
      for (uint32_t v : dense)
        nonzeros += v != 0;
      for (size_t i = 0; i < s.values.size(); ++i) {
        ASSERT_LE(s.gaps[i], maxGap);
        if (s.values[i] == 0) {
          ++zeroEntries;
          ASSERT_EQ(s.gaps[i], maxGap); // Fillers always use the max gap.
        }
      }
      EXPECT_EQ(zeroEntries, s.fillers);
      EXPECT_EQ(s.values.size(), nonzeros + s.fillers);
      std::vector<uint32_t> back;
      ASSERT_TRUE(decodeRelative(s.values.data(), s.gaps.data(),
                                 s.values.size(), dense.size(), back));
      ASSERT_EQ(back, dense) << "bits " << bits << " trial " << trial;
    }
  }
}

} // namespace
