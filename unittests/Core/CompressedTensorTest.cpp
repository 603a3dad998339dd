//===- CompressedTensorTest.cpp - Tests of the dc tensor encoding ---------===//

#include "dc/Core/CompressedTensor.h"

#include "dc/Core/BitStream.h"
#include "dc/Core/Huffman.h"

#include "gtest/gtest.h"

#include <cmath>
#include <cstring>
#include <random>

using namespace dc;

namespace {

EncodingParams makeParams(StorageFormat format, unsigned bits,
                          unsigned indexBits, EntropyCoding entropy) {
  EncodingParams p;
  p.format = format;
  p.bits = bits;
  p.indexBits = indexBits;
  p.entropy = entropy;
  return p;
}

std::vector<float> makeCodebook(unsigned size) {
  std::vector<float> cb(size);
  for (unsigned i = 1; i < size; ++i)
    cb[i] = (i % 2 ? 1.0f : -1.0f) * 0.01f * float(i);
  return cb;
}

std::vector<uint32_t> randomIndices(uint64_t n, double sparsity,
                                    uint32_t codebookSize,
                                    std::mt19937_64 &rng) {
  std::vector<uint32_t> idx(n, 0);
  std::uniform_real_distribution<double> u(0, 1);
  if (codebookSize <= 1)
    return idx;
  std::geometric_distribution<uint32_t> geo(0.3);
  for (auto &v : idx)
    if (u(rng) >= sparsity)
      v = 1 + std::min<uint32_t>(geo(rng), codebookSize - 2);
  return idx;
}

void expectRoundTrip(const std::vector<int64_t> &shape,
                     const std::vector<uint32_t> &indices,
                     const std::vector<float> &codebook,
                     const EncodingParams &params) {
  SCOPED_TRACE(std::string(stringifyFormat(params.format)) + " " +
               stringifyEntropy(params.entropy) + " bits " +
               std::to_string(params.bits) + " index " +
               std::to_string(params.indexBits) + " numel " +
               std::to_string(indices.size()));
  CompressedTensor t;
  std::string error;
  ASSERT_TRUE(encodeIndices(shape, indices, codebook, params, t, &error))
      << error;
  CompressedTensorView view = t.view();
  ASSERT_TRUE(verifyCompressedTensor(view, &error)) << error;
  std::vector<uint32_t> back;
  ASSERT_TRUE(decompressToIndices(view, back, &error)) << error;
  ASSERT_EQ(back, indices);
  std::vector<float> dense;
  ASSERT_TRUE(decompressToDense(view, dense, &error)) << error;
  ASSERT_EQ(dense.size(), indices.size());
  for (size_t i = 0; i < dense.size(); ++i)
    ASSERT_EQ(dense[i], codebook[indices[i]]);

  uint64_t nonzeros = 0;
  for (uint32_t i : indices)
    nonzeros += i != 0;
  StorageStats stats;
  ASSERT_TRUE(measureStorage(view, stats, &error)) << error;
  EXPECT_EQ(stats.weights, indices.size());
  EXPECT_EQ(stats.nonzeros, nonzeros);
  EXPECT_EQ(stats.entries, t.numEntries);
  EXPECT_EQ(stats.valueBytesFixed, packedBytes(t.numEntries, params.bits));
  EXPECT_EQ(stats.codebookBytes, 4 * codebook.size());
  EXPECT_EQ(stats.pointerBytes, 4 * t.pointers.size());
  if (params.format == StorageFormat::Dense) {
    EXPECT_EQ(t.numEntries, indices.size());
    EXPECT_TRUE(t.pointers.empty());
    EXPECT_TRUE(t.gaps.empty());
    EXPECT_EQ(stats.fillers, 0u);
  } else {
    EXPECT_EQ(stats.fillers, t.numFillers);
    EXPECT_EQ(t.numEntries, nonzeros + t.numFillers);
    EXPECT_EQ(stats.gapBytesFixed, packedBytes(t.numEntries, params.indexBits));
  }
  if (params.entropy == EntropyCoding::None) {
    EXPECT_EQ(stats.valueBytesCoded, stats.valueBytesFixed);
    EXPECT_EQ(stats.gapBytesCoded, stats.gapBytesFixed);
    EXPECT_EQ(stats.codeTableBytes, 0u);
  } else {
    EXPECT_EQ(stats.valueBytesCoded, (stats.valueBitsCoded + 7) / 8);
    EXPECT_EQ(stats.valueBytesCoded, t.values.size());
    EXPECT_EQ(stats.gapBytesCoded, t.gaps.size());
    EXPECT_LE(t.valueCodeLengths.size(), size_t(1) << params.bits);
    EXPECT_EQ(stats.codeTableBytes,
              t.valueCodeLengths.size() + t.gapCodeLengths.size() +
                  t.valueAnsTable.size() + t.gapAnsTable.size());
  }

  // Re-encoding to every other layout keeps the content.
  for (StorageFormat f :
       {StorageFormat::Dense, StorageFormat::CSC, StorageFormat::CSR}) {
    for (EntropyCoding e : {EntropyCoding::None, EntropyCoding::Huffman,
                            EntropyCoding::Ans}) {
      EncodingParams p2 = makeParams(f, params.bits, 3, e);
      CompressedTensor t2;
      ASSERT_TRUE(reencode(view, p2, t2, &error)) << error;
      std::vector<uint32_t> back2;
      ASSERT_TRUE(decompressToIndices(t2.view(), back2, &error)) << error;
      ASSERT_EQ(back2, indices);
    }
  }
}

TEST(CompressedTensor, Names) {
  EXPECT_STREQ(stringifyFormat(StorageFormat::Dense), "dense");
  EXPECT_STREQ(stringifyFormat(StorageFormat::CSC), "csc");
  EXPECT_STREQ(stringifyFormat(StorageFormat::CSR), "csr");
  EXPECT_STREQ(stringifyEntropy(EntropyCoding::None), "none");
  EXPECT_STREQ(stringifyEntropy(EntropyCoding::Huffman), "huffman");
  StorageFormat f;
  EntropyCoding e;
  ASSERT_TRUE(parseFormat("csr", f));
  EXPECT_EQ(f, StorageFormat::CSR);
  ASSERT_TRUE(parseFormat("dense", f));
  EXPECT_EQ(f, StorageFormat::Dense);
  EXPECT_FALSE(parseFormat("coo", f));
  ASSERT_TRUE(parseEntropy("huffman", e));
  EXPECT_EQ(e, EntropyCoding::Huffman);
  EXPECT_STREQ(stringifyEntropy(EntropyCoding::Ans), "ans");
  ASSERT_TRUE(parseEntropy("ans", e));
  EXPECT_EQ(e, EntropyCoding::Ans);
  EXPECT_FALSE(parseEntropy("HUFFMAN", e));
}

TEST(CompressedTensor, MatrixDims) {
  int64_t r, c;
  matrixDims({}, r, c);
  EXPECT_EQ(r, 1);
  EXPECT_EQ(c, 1);
  matrixDims({7}, r, c);
  EXPECT_EQ(r, 1);
  EXPECT_EQ(c, 7);
  matrixDims({3, 4, 5, 6}, r, c);
  EXPECT_EQ(r, 3);
  EXPECT_EQ(c, 120);
  // Leading unit dimensions are dropped: a TOSA [1, K, N] weight is K x N.
  matrixDims({1, 64, 10}, r, c);
  EXPECT_EQ(r, 64);
  EXPECT_EQ(c, 10);
  matrixDims({1, 1, 5, 1, 3}, r, c);
  EXPECT_EQ(r, 5);
  EXPECT_EQ(c, 3);
  matrixDims({1, 1, 9}, r, c);
  EXPECT_EQ(r, 1);
  EXPECT_EQ(c, 9);
  matrixDims({1, 1}, r, c);
  EXPECT_EQ(r, 1);
  EXPECT_EQ(c, 1);
  matrixDims({4, 1, 6}, r, c);
  EXPECT_EQ(r, 4);
  EXPECT_EQ(c, 6);
  EXPECT_EQ(numElements({3, 4, 5, 6}), 360);
  EXPECT_EQ(numElements({}), 1);
  EXPECT_EQ(numElements({4, 0}), 0);
}

TEST(CompressedTensor, RoundTripAllLayouts) {
  std::mt19937_64 rng(21);
  const std::vector<std::vector<int64_t>> shapes = {
      {7, 13}, {40, 3}, {50}, {3, 4, 5, 6}, {}, {1, 1}, {0, 5}, {5, 0}};
  const std::pair<unsigned, unsigned> widths[] = {{1, 1}, {2, 2}, {4, 3},
                                                  {5, 5}, {8, 4}, {16, 16}};
  for (const auto &shape : shapes) {
    uint64_t n = uint64_t(numElements(shape));
    for (auto [bits, indexBits] : widths) {
      uint32_t cbSize = std::min<uint32_t>(1u << bits, 37);
      std::vector<float> codebook = makeCodebook(cbSize);
      for (double sparsity : {0.0, 0.6, 0.97, 1.0}) {
        std::vector<uint32_t> indices = randomIndices(n, sparsity, cbSize, rng);
        for (StorageFormat f :
             {StorageFormat::Dense, StorageFormat::CSC, StorageFormat::CSR})
          for (EntropyCoding e : {EntropyCoding::None, EntropyCoding::Huffman,
                            EntropyCoding::Ans})
            expectRoundTrip(shape, indices, codebook,
                            makeParams(f, bits, indexBits, e));
      }
    }
  }
}

TEST(CompressedTensor, LongGapsForceFillers) {
  // A 200x3 matrix with one nonzero at the bottom of each column: with
  // indexBits = 3 (max gap 7), each column needs floor(199 / 8) fillers.
  std::vector<uint32_t> indices(600, 0);
  for (int c = 0; c < 3; ++c)
    indices[199 * 3 + c] = 1 + c;
  std::vector<float> cb = makeCodebook(4);
  for (EntropyCoding e : {EntropyCoding::None, EntropyCoding::Huffman,
                            EntropyCoding::Ans}) {
    CompressedTensor t;
    std::string error;
    ASSERT_TRUE(encodeIndices({200, 3}, indices, cb,
                              makeParams(StorageFormat::CSC, 2, 3, e), t,
                              &error))
        << error;
    EXPECT_EQ(t.numFillers, 3u * (199 / 8));
    EXPECT_EQ(t.numEntries, 3u + t.numFillers);
    EXPECT_EQ(t.pointers.back(), t.numEntries);
    expectRoundTrip({200, 3}, indices, cb,
                    makeParams(StorageFormat::CSC, 2, 3, e));
    // CSR rows are 3 long: no fillers.
    ASSERT_TRUE(encodeIndices({200, 3}, indices, cb,
                              makeParams(StorageFormat::CSR, 2, 3, e), t,
                              &error));
    EXPECT_EQ(t.numFillers, 0u);
    EXPECT_EQ(t.numEntries, 3u);
  }
}

TEST(CompressedTensor, AllZeroMatrix) {
  std::vector<uint32_t> indices(64, 0);
  std::vector<float> cb = {0.0f, 1.0f};
  for (EntropyCoding e : {EntropyCoding::None, EntropyCoding::Huffman,
                            EntropyCoding::Ans}) {
    CompressedTensor t;
    std::string error;
    ASSERT_TRUE(encodeIndices({8, 8}, indices, cb,
                              makeParams(StorageFormat::CSC, 1, 4, e), t,
                              &error));
    EXPECT_EQ(t.numEntries, 0u);
    EXPECT_TRUE(t.values.empty());
    EXPECT_TRUE(t.gaps.empty());
    EXPECT_EQ(t.pointers, std::vector<uint32_t>(9, 0));
    std::vector<float> dense;
    ASSERT_TRUE(decompressToDense(t.view(), dense, &error)) << error;
    EXPECT_EQ(dense, std::vector<float>(64, 0.0f));
  }
}

TEST(CompressedTensor, RawF32) {
  std::mt19937_64 rng(5);
  std::normal_distribution<float> d(0, 1);
  std::vector<float> values(6 * 7);
  for (size_t i = 0; i < values.size(); ++i)
    values[i] = (i % 3 == 0) ? 0.0f : d(rng);
  values[1] = -0.0f;
  for (StorageFormat f :
       {StorageFormat::Dense, StorageFormat::CSC, StorageFormat::CSR}) {
    CompressedTensor t;
    std::string error;
    EncodingParams p = makeParams(f, kRawValueBits, 2, EntropyCoding::None);
    ASSERT_TRUE(encodeRaw({6, 7}, values, p, t, &error)) << error;
    EXPECT_TRUE(t.codebook.empty());
    ASSERT_TRUE(verifyCompressedTensor(t.view(), &error)) << error;
    std::vector<float> back;
    ASSERT_TRUE(decompressToDense(t.view(), back, &error)) << error;
    ASSERT_EQ(back.size(), values.size());
    for (size_t i = 0; i < values.size(); ++i) {
      uint32_t a, b;
      std::memcpy(&a, &values[i], 4);
      std::memcpy(&b, &back[i], 4);
      if (f == StorageFormat::Dense)
        EXPECT_EQ(a, b) << i; // Bit-exact, even -0.0.
      else
        EXPECT_EQ(values[i], back[i]) << i; // -0.0 is pruned to +0.0.
    }
    if (f == StorageFormat::Dense)
      EXPECT_EQ(t.values.size(), 4 * values.size());
    else
      EXPECT_EQ(t.numEntries - t.numFillers, 27u); // 14 zeros and -0.0.
    std::vector<uint32_t> indices;
    EXPECT_FALSE(decompressToIndices(t.view(), indices, &error));
    // Huffman needs a codebook.
    EncodingParams ph = makeParams(f, kRawValueBits, 2, EntropyCoding::Huffman);
    EXPECT_FALSE(encodeRaw({6, 7}, values, ph, t, &error));
  }
}

TEST(CompressedTensor, EncodeValidatesInputs) {
  CompressedTensor t;
  std::string error;
  std::vector<float> cb = {0.0f, 1.0f, 2.0f};
  EncodingParams p = makeParams(StorageFormat::CSR, 2, 2, EntropyCoding::None);
  EXPECT_TRUE(encodeIndices({2, 2}, {0, 1, 2, 0}, cb, p, t, &error)) << error;
  EXPECT_FALSE(encodeIndices({2, 2}, {0, 1, 3, 0}, cb, p, t, &error));
  EXPECT_EQ(error, "index 3 at element 2 is out of range of the 3-entry "
                   "codebook");
  EXPECT_FALSE(encodeIndices({2, 2}, {0, 1, 2}, cb, p, t, &error));
  EXPECT_FALSE(
      encodeIndices({2, 2}, {0, 1, 2, 0}, {1.0f, 0.0f, 2.0f}, p, t, &error));
  EXPECT_NE(error.find("codebook entry 0"), std::string::npos) << error;
  EXPECT_FALSE(
      encodeIndices({2, 2}, {0, 1, 2, 0}, {0, 1, 2, 3, 4}, p, t, &error));
  EXPECT_NE(error.find("more than 2^2"), std::string::npos) << error;
  EXPECT_FALSE(encodeIndices({2, 2}, {0, 1, 2, 0}, {0.0f, NAN}, p, t, &error));
  EXPECT_NE(error.find("not finite"), std::string::npos) << error;
  EXPECT_FALSE(encodeIndices({2, -2}, {0, 1, 2, 0}, cb, p, t, &error));
  EXPECT_FALSE(encodeIndices(
      {2, 2}, {0, 1, 2, 0}, cb,
      makeParams(StorageFormat::CSR, 2, 0, EntropyCoding::None), t, &error));
  EXPECT_NE(error.find("index bit width"), std::string::npos) << error;
  EXPECT_FALSE(encodeIndices(
      {2, 2}, {0, 1, 2, 0}, cb,
      makeParams(StorageFormat::CSR, 17, 2, EntropyCoding::None), t, &error));
  // Dense ignores indexBits.
  EXPECT_TRUE(encodeIndices(
      {2, 2}, {0, 1, 2, 0}, cb,
      makeParams(StorageFormat::Dense, 2, 0, EntropyCoding::None), t, &error));
  EXPECT_FALSE(reencode(
      t.view(), makeParams(StorageFormat::CSC, 3, 2, EntropyCoding::None), t,
      &error));
  EXPECT_NE(error.find("cannot change the value bit width"), std::string::npos);
}

//===----------------------------------------------------------------------===//
// Corruption
//===----------------------------------------------------------------------===//

/// 4x4 CSC, bits 2, indexBits 1 (see MeasureStorageHandComputed).
CompressedTensor smallTensor(EntropyCoding entropy) {
  std::vector<uint32_t> indices = {1, 0, 0, 3, //
                                   0, 0, 0, 0, //
                                   0, 2, 0, 0, //
                                   0, 0, 0, 1};
  CompressedTensor t;
  std::string error;
  bool ok =
      encodeIndices({4, 4}, indices, {0.0f, 0.5f, -0.5f, 1.0f},
                    makeParams(StorageFormat::CSC, 2, 1, entropy), t, &error);
  EXPECT_TRUE(ok) << error;
  return t;
}

std::string verifyError(const CompressedTensor &t) {
  std::string error;
  EXPECT_FALSE(verifyCompressedTensor(t.view(), &error));
  return error;
}

std::string decodeError(const CompressedTensor &t) {
  std::string error;
  DecodedEntries entries;
  EXPECT_FALSE(decodeEntries(t.view(), entries, &error));
  std::vector<float> dense;
  std::string error2;
  EXPECT_FALSE(decompressToDense(t.view(), dense, &error2));
  EXPECT_EQ(error, error2);
  return error;
}

#define EXPECT_CONTAINS(haystack, needle)                                      \
  EXPECT_NE(std::string(haystack).find(needle), std::string::npos)             \
      << "message: " << (haystack)

TEST(CompressedTensorCorruption, Pointers) {
  CompressedTensor t = smallTensor(EntropyCoding::None);
  ASSERT_EQ(t.pointers, (std::vector<uint32_t>{0, 1, 3, 3, 6}));
  CompressedTensor c = t;
  c.pointers[2] = 0; // 0, 1, 0, 3, 6.
  EXPECT_CONTAINS(verifyError(c), "pointers are not monotone: pointer 2");
  c = t;
  c.pointers[0] = 1;
  EXPECT_CONTAINS(verifyError(c), "pointer 0 must be 0");
  c = t;
  c.pointers.pop_back();
  EXPECT_CONTAINS(verifyError(c), "expected 5 pointers");
  c = t;
  c.pointers[4] = 5;
  EXPECT_CONTAINS(verifyError(c), "last pointer (5)");
  c = t;
  c.pointers = {0, 5, 5, 5, 6}; // Column 0 cannot hold 5 entries.
  EXPECT_CONTAINS(verifyError(c), "column 0 has 5 entries, more than its "
                                  "length 4");
}

TEST(CompressedTensorCorruption, StreamSizes) {
  CompressedTensor t = smallTensor(EntropyCoding::None);
  CompressedTensor c = t;
  c.values.push_back(0);
  EXPECT_EQ(verifyError(c),
            "value stream has 3 bytes, expected 2 for 6 entries of 2 bits");
  c = t;
  c.gaps.clear();
  EXPECT_EQ(verifyError(c),
            "gap stream has 0 bytes, expected 1 for 6 entries of 1 bits");
  c = t;
  c.numEntries = 5;
  EXPECT_CONTAINS(verifyError(c), "last pointer");
}

TEST(CompressedTensorCorruption, IndexOutOfRange) {
  CompressedTensor t = smallTensor(EntropyCoding::None);
  t.codebook.pop_back(); // 3 entries; entry 3 uses index 3.
  std::string error;
  EXPECT_TRUE(verifyCompressedTensor(t.view(), &error)) << error; // Cheap.
  EXPECT_EQ(decodeError(t),
            "value index 3 at entry 3 is out of range of the 3-entry "
            "codebook");
}

TEST(CompressedTensorCorruption, PositionPastSlice) {
  CompressedTensor t = smallTensor(EntropyCoding::None);
  // Gaps are 0,1,0,0,1,0; make the last entry of column 3 skip one more.
  std::vector<uint32_t> gaps;
  ASSERT_TRUE(unpackFixedWidth(t.gaps.data(), t.gaps.size(), 6, 1, gaps));
  EXPECT_EQ(gaps, (std::vector<uint32_t>{0, 1, 0, 0, 1, 0}));
  gaps[5] = 1;
  t.gaps = packFixedWidth(gaps, 1);
  EXPECT_EQ(decodeError(t), "entry 5 of column 3 lands at row 4, past the "
                            "column length 4");
}

TEST(CompressedTensorCorruption, Codebook) {
  CompressedTensor t = smallTensor(EntropyCoding::None);
  CompressedTensor c = t;
  c.codebook[0] = 0.25f;
  EXPECT_CONTAINS(verifyError(c), "codebook entry 0 must be exactly 0.0");
  c = t;
  c.codebook[2] = INFINITY;
  EXPECT_EQ(verifyError(c), "codebook entry 2 is not finite");
  c = t;
  c.codebook.push_back(3.0f); // 5 > 2^2.
  EXPECT_EQ(verifyError(c), "codebook has 5 entries, more than 2^2 = 4");
  c = t;
  c.codebook.clear();
  EXPECT_EQ(verifyError(c), "codebook is empty");
  c = t;
  c.params.bits = kRawValueBits;
  EXPECT_CONTAINS(verifyError(c), "must have no codebook");
}

TEST(CompressedTensorCorruption, Params) {
  CompressedTensor t = smallTensor(EntropyCoding::None);
  CompressedTensor c = t;
  c.params.bits = 0;
  EXPECT_CONTAINS(verifyError(c), "value bit width 0");
  c = t;
  c.params.indexBits = 17;
  EXPECT_CONTAINS(verifyError(c), "index bit width 17");
  c = t;
  c.valueCodeLengths = {1, 1};
  EXPECT_CONTAINS(verifyError(c), "only allowed with Huffman");
  c = t;
  c.params.format = StorageFormat::Dense;
  EXPECT_EQ(verifyError(c), "dense format must have no pointers");
  c.pointers.clear();
  EXPECT_EQ(verifyError(c), "dense format must have no gap stream");
  c.gaps.clear();
  EXPECT_CONTAINS(verifyError(c), "expected 16 entries, found 6");
  c = t;
  c.shape = {4, -4};
  EXPECT_CONTAINS(verifyError(c), "negative");
}

TEST(CompressedTensorCorruption, HugeShapeIsAnErrorNotAnAllocation) {
  // One stored entry in a 1 x 2^40 CSR row: valid, but 4 TiB dense.
  std::vector<int64_t> shape = {1, int64_t(1) << 40};
  CompressedTensor t;
  t.shape = shape;
  t.params.format = StorageFormat::CSR;
  t.params.bits = 1;
  t.params.indexBits = 2;
  t.codebook = {0.0f, 1.0f};
  t.pointers = {0, 1};
  t.values = {1};
  t.gaps = {0};
  t.numEntries = 1;
  std::string error;
  std::vector<float> dense;
  EXPECT_FALSE(decompressToDense(t.view(), dense, &error));
  EXPECT_CONTAINS(error, "too large to decompress");
  std::vector<uint32_t> indices;
  EXPECT_FALSE(decompressToIndices(t.view(), indices, &error));
  EXPECT_CONTAINS(error, "too large to decompress");
}

TEST(CompressedTensorCorruption, HuffmanTables) {
  CompressedTensor t = smallTensor(EntropyCoding::Huffman);
  ASSERT_FALSE(t.valueCodeLengths.empty());
  std::string error;
  ASSERT_TRUE(verifyCompressedTensor(t.view(), &error)) << error;
  CompressedTensor c = t;
  c.valueCodeLengths = {1, 1, 1, 1};
  EXPECT_EQ(verifyError(c), "invalid value code table: Huffman code lengths "
                            "are over-subscribed (Kraft sum > 1)");
  c = t;
  c.gapCodeLengths = {25, 1};
  EXPECT_CONTAINS(verifyError(c), "invalid gap code table");
  c = t;
  c.valueCodeLengths = {1, 2, 3, 4, 4};
  EXPECT_CONTAINS(verifyError(c), "more than the alphabet size 4");
  c = t;
  c.valueCodeLengths.clear();
  EXPECT_CONTAINS(verifyError(c), "no used symbol");
  c = t;
  c.params.bits = kRawValueBits;
  c.codebook.clear();
  EXPECT_CONTAINS(verifyError(c), "Huffman coding requires a codebook");
}

TEST(CompressedTensorCorruption, HuffmanStreams) {
  // A larger skewed tensor so that the Huffman stream is well above the
  // cheap lower bound.
  std::mt19937_64 rng(8);
  std::vector<uint32_t> indices = randomIndices(4000, 0.2, 16, rng);
  CompressedTensor t;
  std::string error;
  ASSERT_TRUE(encodeIndices(
      {40, 100}, indices, makeCodebook(16),
      makeParams(StorageFormat::CSR, 4, 5, EntropyCoding::Huffman), t, &error))
      << error;
  CompressedTensor c = t;
  c.values.pop_back();
  EXPECT_CONTAINS(decodeError(c), "cannot decode the value stream: Huffman "
                                  "stream is truncated");
  c = t;
  c.values.push_back(0);
  EXPECT_CONTAINS(decodeError(c), "Huffman-coded entries take");
  c = t;
  c.gaps.resize(c.gaps.size() / 2);
  EXPECT_CONTAINS(decodeError(c), "gap stream");
  // Far too short for any code: caught by the cheap check.
  c = t;
  c.values.resize(1);
  EXPECT_CONTAINS(verifyError(c), "Huffman-coded entries need between");
  // An incomplete code (its unused bit patterns could appear in a stream)
  // is rejected as a table.
  c = t;
  c.valueCodeLengths.assign(16, 0);
  c.valueCodeLengths[0] = 2; // Code 00 only; 1x, 01 match nothing.
  c.values.assign(packedBytes(c.numEntries, 2), 0xFF);
  std::string msg = decodeError(c);
  EXPECT_CONTAINS(msg, "incomplete");
}

TEST(CompressedTensor, MeasureStorageHandComputed) {
  // Columns with indexBits 1 (max gap 1):
  //   col 0 [1,0,0,0] -> (1, gap 0)
  //   col 1 [0,0,2,0] -> filler (gap 1), (2, gap 0)
  //   col 2 all zero  -> nothing
  //   col 3 [3,0,0,1] -> (3, gap 0), filler (gap 1), (1, gap 0)
  CompressedTensor t = smallTensor(EntropyCoding::None);
  EXPECT_EQ(t.numEntries, 6u);
  EXPECT_EQ(t.numFillers, 2u);
  EXPECT_EQ(t.pointers, (std::vector<uint32_t>{0, 1, 3, 3, 6}));
  // Values 1,0,2,3,0,1 at 2 bits LSB-first; gaps 0,1,0,0,1,0 at 1 bit.
  EXPECT_EQ(t.values, (std::vector<uint8_t>{0xE1, 0x04}));
  EXPECT_EQ(t.gaps, (std::vector<uint8_t>{0x12}));
  StorageStats s;
  std::string error;
  ASSERT_TRUE(measureStorage(t.view(), s, &error)) << error;
  EXPECT_EQ(s.weights, 16u);
  EXPECT_EQ(s.nonzeros, 4u);
  EXPECT_EQ(s.fillers, 2u);
  EXPECT_EQ(s.entries, 6u);
  EXPECT_EQ(s.valueBytesFixed, 2u);
  EXPECT_EQ(s.gapBytesFixed, 1u);
  EXPECT_EQ(s.valueBitsCoded, 12u);
  EXPECT_EQ(s.gapBitsCoded, 6u);
  EXPECT_EQ(s.valueBytesCoded, 2u);
  EXPECT_EQ(s.gapBytesCoded, 1u);
  EXPECT_EQ(s.codeTableBytes, 0u);
  EXPECT_EQ(s.codebookBytes, 16u);
  EXPECT_EQ(s.pointerBytes, 20u);
  EXPECT_EQ(s.bytesDense(), 64u);
  EXPECT_EQ(s.bytesPQ(), 39u);
  EXPECT_EQ(s.bytesPQH(), 39u);

  // Huffman: value frequencies {0:2, 1:2, 2:1, 3:1} cost 12 bits with any
  // optimal code; gap frequencies {0:4, 1:2} give 1-bit codes (6 bits).
  CompressedTensor h = smallTensor(EntropyCoding::Huffman);
  ASSERT_TRUE(measureStorage(h.view(), s, &error)) << error;
  EXPECT_EQ(s.valueBytesFixed, 2u);
  EXPECT_EQ(s.gapBytesFixed, 1u);
  EXPECT_EQ(s.valueBitsCoded, 12u);
  EXPECT_EQ(s.gapBitsCoded, 6u);
  EXPECT_EQ(s.valueBytesCoded, 2u);
  EXPECT_EQ(s.gapBytesCoded, 1u);
  EXPECT_EQ(h.valueCodeLengths.size(), 4u);
  EXPECT_EQ(h.gapCodeLengths, (std::vector<uint8_t>{1, 1}));
  EXPECT_EQ(s.codeTableBytes, 6u);
  EXPECT_EQ(s.bytesPQ(), 39u);
  EXPECT_EQ(s.bytesPQH(), 2u + 1u + 6u + 16u + 20u);
}

TEST(CompressedTensor, MeasureDense) {
  CompressedTensor t;
  std::string error;
  ASSERT_TRUE(encodeIndices(
      {3, 3}, {0, 1, 0, 2, 0, 0, 0, 0, 3}, {0.0f, 1.0f, 2.0f, 3.0f},
      makeParams(StorageFormat::Dense, 2, 5, EntropyCoding::None), t, &error));
  StorageStats s;
  ASSERT_TRUE(measureStorage(t.view(), s, &error)) << error;
  EXPECT_EQ(s.entries, 9u);
  EXPECT_EQ(s.nonzeros, 3u);
  EXPECT_EQ(s.fillers, 0u);
  EXPECT_EQ(s.valueBytesFixed, 3u);
  EXPECT_EQ(s.gapBytesFixed, 0u);
  EXPECT_EQ(s.pointerBytes, 0u);
  EXPECT_EQ(s.bytesPQ(), 3u + 16u);
}

} // namespace

namespace {

TEST(CompressedTensorCorruption, RandomMutationsNeverCrash) {
  // Decoders must reject or accept arbitrary damage without reading out of
  // bounds (run under ASan to make this meaningful). Accepted tensors must
  // decode to the right number of elements.
  std::mt19937_64 rng(99);
  std::vector<float> cb = makeCodebook(12);
  int rejected = 0;
  for (int trial = 0; trial < 400; ++trial) {
    StorageFormat f = StorageFormat(trial % 3);
    EntropyCoding e = EntropyCoding((trial / 3) % 2);
    std::vector<uint32_t> indices = randomIndices(30 * 17, 0.8, 12, rng);
    CompressedTensor t;
    std::string error;
    ASSERT_TRUE(encodeIndices({30, 17}, indices, cb,
                              makeParams(f, 4, 2 + trial % 3, e), t, &error))
        << error;
    CompressedTensor c = t;
    int numMutations = 1 + int(rng() % 3);
    for (int m = 0; m < numMutations; ++m) {
      switch (rng() % 7) {
      case 0:
        if (!c.values.empty())
          c.values[rng() % c.values.size()] ^= uint8_t(1u << (rng() % 8));
        break;
      case 1:
        if (!c.gaps.empty())
          c.gaps[rng() % c.gaps.size()] ^= uint8_t(1u << (rng() % 8));
        break;
      case 2:
        if (!c.pointers.empty())
          c.pointers[rng() % c.pointers.size()] += uint32_t(rng() % 5) - 2;
        break;
      case 3:
        if (!c.valueCodeLengths.empty())
          c.valueCodeLengths[rng() % c.valueCodeLengths.size()] =
              uint8_t(rng() % 8);
        break;
      case 4:
        if (!c.gapCodeLengths.empty())
          c.gapCodeLengths[rng() % c.gapCodeLengths.size()] =
              uint8_t(rng() % 8);
        break;
      case 5:
        if (!c.values.empty() && rng() % 2)
          c.values.pop_back();
        else
          c.values.push_back(uint8_t(rng()));
        break;
      case 6:
        c.numEntries += uint64_t(rng() % 3) - 1;
        break;
      }
    }
    std::vector<float> dense;
    if (decompressToDense(c.view(), dense, &error)) {
      EXPECT_EQ(dense.size(), indices.size());
    } else {
      ++rejected;
      EXPECT_FALSE(error.empty());
    }
  }
  EXPECT_GT(rejected, 100);
}

} // namespace

// entropy = ans: the tables live in valueAnsTable / gapAnsTable, the
// measured sizes count them, and the order-0 entropy of each stream is
// reported; corrupt tables and streams are rejected by verify or decode.
TEST(CompressedTensorAns, MeasureAndCorruption) {
  std::mt19937_64 rng(5);
  std::vector<uint32_t> indices = randomIndices(4000, 0.7, 16, rng);
  std::vector<float> cb = makeCodebook(16);
  CompressedTensor t;
  std::string error;
  ASSERT_TRUE(encodeIndices({50, 80}, indices, cb,
                            makeParams(StorageFormat::CSC, 4, 3,
                                       EntropyCoding::Ans),
                            t, &error))
      << error;
  EXPECT_TRUE(t.valueCodeLengths.empty());
  EXPECT_FALSE(t.valueAnsTable.empty());
  EXPECT_FALSE(t.gapAnsTable.empty());
  StorageStats stats;
  ASSERT_TRUE(measureStorage(t.view(), stats, &error)) << error;
  EXPECT_EQ(stats.codeTableBytes, t.valueAnsTable.size() + t.gapAnsTable.size());
  EXPECT_EQ(stats.valueBitsCoded, 8 * t.values.size());
  EXPECT_EQ(stats.bytesPQH(), t.values.size() + t.gaps.size() +
                                  t.valueAnsTable.size() +
                                  t.gapAnsTable.size() + 4 * cb.size() +
                                  4 * t.pointers.size());
  // The coded streams are within 2% of their entropy (tables included)
  // and never below it.
  EXPECT_GT(stats.valueEntropyBits, 0);
  EXPECT_GE(8.0 * (t.values.size() + t.valueAnsTable.size()),
            stats.valueEntropyBits);
  EXPECT_LT(8.0 * (t.values.size() + t.valueAnsTable.size()),
            1.02 * stats.valueEntropyBits + 64 * 8);
  EXPECT_GE(8.0 * t.gaps.size(), stats.gapEntropyBits);

  DecodedEntries scratch;
  CompressedTensor c = t;
  c.values.back() ^= 0x5A;
  EXPECT_FALSE(decodeEntries(c.view(), scratch, &error));
  c = t;
  c.values.push_back(0);
  EXPECT_FALSE(decodeEntries(c.view(), scratch, &error));
  EXPECT_CONTAINS(error, "trailing");
  c = t;
  c.values.resize(3);
  EXPECT_CONTAINS(verifyError(c), "rANS-coded entries need between 4");
  c = t;
  c.gapAnsTable.clear();
  EXPECT_CONTAINS(verifyError(c), "invalid gap rANS table");
  c = t;
  c.valueCodeLengths = {1, 1};
  EXPECT_CONTAINS(verifyError(c), "only allowed with Huffman");
  c = t;
  c.params.entropy = EntropyCoding::Huffman;
  EXPECT_CONTAINS(verifyError(c), "only allowed with rANS");
  // Raw f32 values cannot be rANS coded.
  c = t;
  c.params.bits = kRawValueBits;
  EXPECT_CONTAINS(verifyError(c), "rANS coding requires a codebook");
}
