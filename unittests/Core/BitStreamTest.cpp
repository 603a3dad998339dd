//===- BitStreamTest.cpp - Tests of LSB-first bit packing -----------------===//

#include "dc/Core/BitStream.h"

#include "gtest/gtest.h"

#include <random>

using namespace dc;

namespace {

TEST(BitStream, LsbFirstLayout) {
  BitWriter w;
  w.write(0b101, 3);
  w.write(0b11, 2);
  w.write(0xAB, 8);
  ASSERT_EQ(w.bitSize(), 13u);
  ASSERT_EQ(w.bytes().size(), 2u);
  // Bits 0..2 = 101, bits 3..4 = 11, bits 5..12 = 0xAB.
  EXPECT_EQ(w.bytes()[0], uint8_t(0b101 | (0b11 << 3) | ((0xAB & 0x7) << 5)));
  EXPECT_EQ(w.bytes()[1], uint8_t(0xAB >> 3));
}

TEST(BitStream, WriteCodeIsMsbFirst) {
  BitWriter w;
  w.writeCode(0b110, 3); // Stream bits: 1, 1, 0.
  w.writeCode(0b01, 2);  // Stream bits: 0, 1.
  ASSERT_EQ(w.bitSize(), 5u);
  EXPECT_EQ(w.bytes()[0], uint8_t(0b10011));
  BitReader r(w.bytes().data(), w.bytes().size());
  uint32_t bit;
  std::vector<uint32_t> bits;
  for (int i = 0; i < 5; ++i) {
    ASSERT_TRUE(r.readBit(bit));
    bits.push_back(bit);
  }
  EXPECT_EQ(bits, (std::vector<uint32_t>{1, 1, 0, 0, 1}));
}

TEST(BitStream, RoundTripEveryWidth) {
  std::mt19937_64 rng(42);
  for (unsigned width = 1; width <= 32; ++width) {
    for (size_t count : {0u, 1u, 3u, 7u, 8u, 13u, 100u, 257u}) {
      std::vector<uint32_t> values(count);
      uint64_t mask = (uint64_t(1) << width) - 1;
      for (auto &v : values)
        v = uint32_t(rng() & mask);
      if (count > 0)
        values[0] = uint32_t(mask); // All ones.
      std::vector<uint8_t> bytes = packFixedWidth(values, width);
      ASSERT_EQ(bytes.size(), packedBytes(count, width));

      std::vector<uint32_t> out;
      ASSERT_TRUE(
          unpackFixedWidth(bytes.data(), bytes.size(), count, width, out));
      EXPECT_EQ(out, values) << "width " << width << " count " << count;

      // The generic writer and reader agree with the fast packer.
      BitWriter w;
      for (uint32_t v : values)
        w.write(v, width);
      EXPECT_EQ(w.bytes(), bytes);
      EXPECT_EQ(w.bitSize(), uint64_t(count) * width);
      BitReader r(bytes.data(), bytes.size());
      for (size_t i = 0; i < count; ++i) {
        uint32_t v;
        ASSERT_TRUE(r.read(width, v));
        ASSERT_EQ(v, values[i]);
      }
    }
  }
}

TEST(BitStream, WriterMasksHighBits) {
  BitWriter w;
  w.write(0xFFFFFFFFu, 4);
  w.write(0, 4);
  ASSERT_EQ(w.bytes().size(), 1u);
  EXPECT_EQ(w.bytes()[0], 0x0F);
}

TEST(BitStream, ReaderPastEndFails) {
  std::vector<uint8_t> bytes = {0xFF, 0x01};
  BitReader r(bytes.data(), bytes.size());
  uint32_t v;
  ASSERT_TRUE(r.read(12, v));
  EXPECT_EQ(v, 0x1FFu);
  EXPECT_FALSE(r.read(5, v)); // Only 4 bits left.
  EXPECT_EQ(r.position(), 12u);
  ASSERT_TRUE(r.read(4, v));
  EXPECT_EQ(v, 0u);
  uint32_t bit;
  EXPECT_FALSE(r.readBit(bit));
  ASSERT_TRUE(r.read(0, v));

  BitReader empty(nullptr, 0);
  EXPECT_FALSE(empty.readBit(bit));
  EXPECT_FALSE(empty.read(1, v));
}

TEST(BitStream, UnpackTooShortFails) {
  std::vector<uint32_t> values = {1, 2, 3, 4, 5};
  std::vector<uint8_t> bytes = packFixedWidth(values, 5); // 25 bits.
  ASSERT_EQ(bytes.size(), 4u);
  std::vector<uint32_t> out;
  EXPECT_FALSE(unpackFixedWidth(bytes.data(), 3, 5, 5, out));
  EXPECT_TRUE(unpackFixedWidth(bytes.data(), 4, 5, 5, out));
  EXPECT_FALSE(unpackFixedWidth(bytes.data(), 4, 7, 5, out));
}

TEST(BitStream, PackedBytes) {
  EXPECT_EQ(packedBytes(0, 5), 0u);
  EXPECT_EQ(packedBytes(1, 1), 1u);
  EXPECT_EQ(packedBytes(8, 1), 1u);
  EXPECT_EQ(packedBytes(9, 1), 2u);
  EXPECT_EQ(packedBytes(3, 32), 12u);
  EXPECT_EQ(packedBytes(5, 5), 4u);
}

} // namespace
