//===- HardeningTest.cpp - Decoders reject every kind of corrupt input ----===//
//
// One test per class of corruption of issue 12 (zlib's inftrees.c and
// zstd's HUF_readStats are the models): over-subscribed and incomplete
// codes, lengths above the maximum, truncated and trailing bit streams,
// declared sizes that disagree with decoded sizes, indices past the
// codebook, gaps that run past the tensor, non-finite codebook entries, and
// size arithmetic that would overflow.
//
//===----------------------------------------------------------------------===//

#include "dc/Core/BitStream.h"
#include "dc/Core/CompressedTensor.h"
#include "dc/Core/Huffman.h"
#include "dc/Core/RelativeIndex.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

using namespace dc;

namespace {

bool containsText(const std::string &s, const char *what) {
  return s.find(what) != std::string::npos;
}

TEST(HuffmanHardening, OverSubscribedCodeIsRejected) {
  std::string error;
  // Three codes of length 1.
  EXPECT_FALSE(verifyHuffmanCodeLengths({1, 1, 1}, &error));
  EXPECT_TRUE(containsText(error, "over-subscribed")) << error;
  HuffmanDecoder d;
  EXPECT_FALSE(d.init({1, 1, 1}, &error));
}

TEST(HuffmanHardening, IncompleteCodeIsRejected) {
  std::string error;
  // Lengths 1, 2: the pattern 11 matches nothing.
  EXPECT_FALSE(verifyHuffmanCodeLengths({1, 2}, &error));
  EXPECT_TRUE(containsText(error, "incomplete")) << error;
  // A single symbol of length 2 is incomplete too.
  EXPECT_FALSE(verifyHuffmanCodeLengths({0, 2}, &error));
  HuffmanDecoder d;
  EXPECT_FALSE(d.init({2, 2, 2}, &error));
}

TEST(HuffmanHardening, SingleSymbolOfLengthOneIsAccepted) {
  EXPECT_TRUE(verifyHuffmanCodeLengths({0, 0, 1}));
  EXPECT_TRUE(verifyHuffmanCodeLengths({1, 1}));
  EXPECT_TRUE(verifyHuffmanCodeLengths({2, 2, 2, 2}));
}

TEST(HuffmanHardening, EncoderOutputIsAlwaysComplete) {
  // Every frequency table the encoder sees gives a code the verifier
  // accepts (so rejecting incomplete codes never rejects dc's own output).
  for (unsigned n = 1; n <= 40; ++n)
    for (unsigned skew = 1; skew <= 5; ++skew) {
      std::vector<uint64_t> freq(n);
      for (unsigned i = 0; i < n; ++i)
        freq[i] = 1 + uint64_t(i) * i * skew * skew;
      std::vector<uint8_t> lengths = buildHuffmanCodeLengths(freq, 7);
      std::string error;
      EXPECT_TRUE(verifyHuffmanCodeLengths(lengths, &error))
          << "n=" << n << " skew=" << skew << ": " << error;
    }
}

TEST(HuffmanHardening, LengthAboveMaximumIsRejected) {
  std::vector<uint8_t> lengths(2, 1);
  lengths.push_back(uint8_t(kMaxHuffmanCodeLength + 1));
  std::string error;
  EXPECT_FALSE(verifyHuffmanCodeLengths(lengths, &error));
  EXPECT_TRUE(containsText(error, "exceeds the maximum")) << error;
}

TEST(HuffmanHardening, EmptyTableIsRejected) {
  std::string error;
  EXPECT_FALSE(verifyHuffmanCodeLengths({0, 0, 0}, &error));
  EXPECT_TRUE(containsText(error, "no used symbol")) << error;
}

TEST(HuffmanHardening, TruncatedStreamIsRejected) {
  HuffmanDecoder d;
  ASSERT_TRUE(d.init({1, 2, 2}));
  // Symbol 2 is "11": 4 symbols need 8 bits; give one byte for 5 symbols.
  uint8_t byte = 0xFF;
  std::vector<uint32_t> symbols;
  uint64_t consumed = 0;
  std::string error;
  EXPECT_FALSE(d.decode(&byte, 1, 5, symbols, consumed, &error));
  EXPECT_TRUE(containsText(error, "truncated")) << error;
  EXPECT_TRUE(symbols.empty());
  // A count larger than the stream's bits is rejected before allocating.
  EXPECT_FALSE(d.decode(&byte, 1, uint64_t(1) << 40, symbols, consumed,
                        &error));
  EXPECT_TRUE(containsText(error, "too short")) << error;
}

/// A small valid Huffman-coded CSR tensor to corrupt.
CompressedTensor huffmanTensor() {
  std::vector<int64_t> shape = {3, 5};
  std::vector<uint32_t> indices = {0, 1, 0, 2, 0, 3, 0, 0, 1,
                                   0, 0, 2, 2, 0, 1};
  std::vector<float> codebook = {0.0f, 0.5f, -1.0f, 2.0f};
  EncodingParams p;
  p.format = StorageFormat::CSR;
  p.bits = 2;
  p.indexBits = 2;
  p.entropy = EntropyCoding::Huffman;
  CompressedTensor t;
  std::string error;
  EXPECT_TRUE(encodeIndices(shape, indices, codebook, p, t, &error)) << error;
  return t;
}

TEST(TensorHardening, TrailingBytesAreRejected) {
  CompressedTensor t = huffmanTensor();
  t.values.push_back(0);
  std::string error;
  DecodedEntries entries;
  EXPECT_FALSE(decodeEntries(t.view(), entries, &error));
  EXPECT_TRUE(containsText(error, "value stream")) << error;
}

TEST(TensorHardening, NonZeroPaddingBitsAreRejected) {
  // Huffman: set every padding bit of the last value byte.
  CompressedTensor t = huffmanTensor();
  DecodedEntries entries;
  std::string error;
  ASSERT_TRUE(decodeEntries(t.view(), entries, &error)) << error;
  StorageStats stats;
  ASSERT_TRUE(measureStorage(t.view(), stats, &error));
  uint64_t bits = stats.valueBitsCoded;
  if (bits % 8 != 0) {
    t.values.back() |= uint8_t(0xFF << (bits % 8));
    EXPECT_FALSE(decodeEntries(t.view(), entries, &error));
    EXPECT_TRUE(containsText(error, "padding")) << error;
  }
  // Fixed width: 3 entries of 2 bits leave 2 padding bits.
  CompressedTensor f;
  EncodingParams p;
  p.bits = 2;
  ASSERT_TRUE(encodeIndices({3}, {1, 2, 3}, {0.0f, 1.0f, 2.0f, 3.0f}, p, f,
                            &error))
      << error;
  f.values[0] |= 0xC0;
  EXPECT_FALSE(decodeEntries(f.view(), entries, &error));
  EXPECT_TRUE(containsText(error, "padding")) << error;
}

TEST(TensorHardening, DeclaredEntriesDisagreeingWithStreamsAreRejected) {
  CompressedTensor t = huffmanTensor();
  std::string error;
  CompressedTensorView v = t.view();
  v.numEntries += 1;
  EXPECT_FALSE(verifyCompressedTensor(v, &error));
  EXPECT_TRUE(containsText(error, "last pointer")) << error;
  // Dense: the entry count is the element count.
  CompressedTensor f;
  EncodingParams p;
  p.bits = 2;
  ASSERT_TRUE(encodeIndices({2, 2}, {0, 1, 2, 3}, {0.0f, 1.0f, 2.0f, 3.0f}, p,
                            f, &error));
  CompressedTensorView fv = f.view();
  fv.numEntries = 3;
  EXPECT_FALSE(verifyCompressedTensor(fv, &error));
  fv.numEntries = 4;
  fv.shape = {2, 3};
  EXPECT_FALSE(verifyCompressedTensor(fv, &error));
}

TEST(TensorHardening, IndexPastTheCodebookIsRejected) {
  CompressedTensor f;
  EncodingParams p;
  p.bits = 2;
  std::string error;
  ASSERT_TRUE(encodeIndices({4}, {0, 1, 2, 1}, {0.0f, 1.0f, 2.0f}, p, f,
                            &error));
  f.values[0] |= 0x03 << 6; // Entry 3 := index 3 of a 3-entry codebook.
  DecodedEntries entries;
  EXPECT_FALSE(decodeEntries(f.view(), entries, &error));
  EXPECT_TRUE(containsText(error, "out of range of the 3-entry codebook"))
      << error;
}

TEST(TensorHardening, GapRunningPastTheTensorIsRejected) {
  // One row of 4 columns; one entry whose gap (3 + 1 filler...) runs past.
  CompressedTensor t;
  EncodingParams p;
  p.format = StorageFormat::CSR;
  p.bits = 1;
  p.indexBits = 2;
  std::string error;
  ASSERT_TRUE(encodeIndices({1, 4}, {0, 0, 0, 1}, {0.0f, 1.0f}, p, t, &error));
  ASSERT_EQ(t.numEntries, 1u);
  // The gap of the single entry is 3 (fits 2 bits); a second entry with gap
  // 0 would land at column 4.
  t.pointers = {0, 2};
  t.numEntries = 2;
  t.values = packFixedWidth({1, 1}, 1);
  t.gaps = packFixedWidth({3, 0}, 2);
  DecodedEntries entries;
  EXPECT_FALSE(decodeEntries(t.view(), entries, &error));
  EXPECT_TRUE(containsText(error, "past the row length 4")) << error;
  // decodeRelative agrees.
  std::vector<uint32_t> values = {1, 1}, gaps = {3, 0}, dense;
  EXPECT_FALSE(decodeRelative(values.data(), gaps.data(), 2, 4, dense));
}

TEST(TensorHardening, NonFiniteCodebookEntriesAreRejected) {
  for (float bad : {std::numeric_limits<float>::quiet_NaN(),
                    std::numeric_limits<float>::infinity(),
                    -std::numeric_limits<float>::infinity()}) {
    CompressedTensor f;
    EncodingParams p;
    p.bits = 2;
    std::string error;
    EXPECT_FALSE(encodeIndices({2}, {0, 1}, {0.0f, bad}, p, f, &error));
    ASSERT_TRUE(encodeIndices({2}, {0, 1}, {0.0f, 1.0f}, p, f, &error));
    f.codebook[1] = bad;
    EXPECT_FALSE(verifyCompressedTensor(f.view(), &error));
    EXPECT_TRUE(containsText(error, "not finite")) << error;
  }
}

TEST(TensorHardening, PointersOutOfOrderAreRejected) {
  CompressedTensor t = huffmanTensor();
  std::string error;
  std::swap(t.pointers[1], t.pointers[2]);
  EXPECT_FALSE(verifyCompressedTensor(t.view(), &error));
  EXPECT_TRUE(containsText(error, "not monotone")) << error;
}

TEST(SizeArithmetic, ShapeProductsAreChecked) {
  uint64_t n = 0;
  // 5 x 2^62 wraps to 2^62 in 64 bits; 2^62 + 1 elements x 4 bytes wraps to
  // 4 bytes.
  EXPECT_FALSE(checkedNumElements({5, int64_t(1) << 62}, n));
  EXPECT_FALSE(checkedNumElements({int64_t(1) << 32, int64_t(1) << 32}, n));
  EXPECT_FALSE(checkedNumElements({-1, 4}, n));
  EXPECT_TRUE(checkedNumElements({int64_t(1) << 31, 4}, n));
  EXPECT_EQ(n, uint64_t(1) << 33);
  EXPECT_TRUE(checkedNumElements({}, n));
  EXPECT_EQ(n, 1u);
  EXPECT_TRUE(checkedNumElements({7, 0, int64_t(1) << 62}, n));
  EXPECT_EQ(n, 0u);
  // Packed sizes saturate instead of wrapping.
  EXPECT_EQ(packedBytes(UINT64_MAX / 2, 16), UINT64_MAX);
  EXPECT_EQ(packedBytes(3, 5), 2u);
}

TEST(SizeArithmetic, OverflowingShapeIsRejectedByTheVerifier) {
  CompressedTensor t;
  EncodingParams p;
  p.bits = 2;
  std::string error;
  ASSERT_TRUE(encodeIndices({1}, {1}, {0.0f, 1.0f}, p, t, &error));
  CompressedTensorView v = t.view();
  v.shape = {5, int64_t(1) << 62};
  EXPECT_FALSE(verifyCompressedTensor(v, &error));
  EXPECT_TRUE(containsText(error, "too many elements")) << error;
  std::vector<float> dense;
  EXPECT_FALSE(decompressToDense(v, dense, &error));
}

// Found by fuzz_compressed_tensor: an empty tensor (a zero dimension) whose
// other dimensions multiply past 2^63 passed the element-count check, then
// overflowed the matrix view's column count (UBSan: signed overflow).
TEST(SizeArithmetic, EmptyShapeWithOverflowingMatrixViewIsRejected) {
  CompressedTensor t;
  EncodingParams p;
  p.bits = 2;
  std::string error;
  ASSERT_TRUE(encodeIndices({1}, {1}, {0.0f, 1.0f}, p, t, &error));
  CompressedTensorView v = t.view();
  v.shape = {0, int64_t(1) << 40, int64_t(1) << 40};
  EXPECT_FALSE(verifyCompressedTensor(v, &error));
  EXPECT_TRUE(containsText(error, "too many elements")) << error;
  v.shape = {1, 0, int64_t(1) << 56, int64_t(1) << 18};
  EXPECT_FALSE(verifyCompressedTensor(v, &error));
}

// Found by fuzz_compressed_tensor (re-encoding a dense [2^32, 0] tensor to
// CSR reserved 16 GiB of pointers): the slice count is bounded first.
TEST(SizeArithmetic, EmptyTensorWithTooManySlicesIsRejected) {
  CompressedTensor t;
  EncodingParams p;
  p.bits = 2;
  p.format = StorageFormat::CSR;
  std::string error;
  EXPECT_FALSE(encodeIndices({int64_t(1) << 32, 0}, {}, {0.0f, 1.0f}, p, t,
                             &error));
  EXPECT_TRUE(containsText(error, "more than the largest")) << error;
  p.format = StorageFormat::CSC;
  EXPECT_TRUE(encodeIndices({int64_t(1) << 32, 0}, {}, {0.0f, 1.0f}, p, t,
                            &error))
      << error;
}

// Found by fuzz_compressed_tensor: a -0.0 codebook entry 0 decoded to -0.0
// through the codebook and to +0.0 through the dense fast path.
TEST(Hardening, NegativeZeroCodebookEntryZeroIsRejected) {
  CompressedTensor t;
  EncodingParams p;
  p.bits = 2;
  std::string error;
  ASSERT_TRUE(encodeIndices({2}, {0, 1}, {0.0f, 1.0f}, p, t, &error));
  CompressedTensorView v = t.view();
  std::vector<float> codebook = {-0.0f, 1.0f};
  v.codebook = {codebook.data(), codebook.size()};
  EXPECT_FALSE(verifyCompressedTensor(v, &error));
  EXPECT_TRUE(containsText(error, "-0.0")) << error;
}

TEST(SizeArithmetic, HugeShapeWithEmptyPayloadIsNotMaterialized) {
  // 2^40 x 1 in CSC: 2 pointers and no entries is a valid payload, but
  // decompressing it would allocate 4 TiB.
  CompressedTensor t;
  t.shape = {int64_t(1) << 40, 1};
  t.params.format = StorageFormat::CSC;
  t.params.bits = 2;
  t.params.indexBits = 2;
  t.codebook = {0.0f, 1.0f};
  t.pointers = {0, 0};
  std::string error;
  EXPECT_TRUE(verifyCompressedTensor(t.view(), &error)) << error;
  std::vector<float> dense;
  EXPECT_FALSE(decompressToDense(t.view(), dense, &error));
  EXPECT_TRUE(containsText(error, "too large to decompress")) << error;
  EXPECT_TRUE(dense.empty());
  std::vector<uint32_t> indices;
  EXPECT_FALSE(decompressToIndices(t.view(), indices, &error));
}

} // namespace
