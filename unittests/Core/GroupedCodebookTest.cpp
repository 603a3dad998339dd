//===- GroupedCodebookTest.cpp - Per-group codebooks of the encoding ------===//

#include "dc/Core/CompressedTensor.h"

#include "gtest/gtest.h"

#include <random>

using namespace dc;

namespace {

EncodingParams params(StorageFormat format, unsigned codebookRows,
                      EntropyCoding entropy = EntropyCoding::None) {
  EncodingParams p;
  p.format = format;
  p.bits = 3;
  p.indexBits = 2;
  p.entropy = entropy;
  p.codebookRows = codebookRows;
  return p;
}

/// `groups` codebooks of `entries` entries, entry 0 = 0, all distinct.
std::vector<float> groupedCodebook(unsigned groups, unsigned entries) {
  std::vector<float> cb(groups * entries, 0.0f);
  for (unsigned g = 0; g < groups; ++g)
    for (unsigned e = 1; e < entries; ++e)
      cb[g * entries + e] = float(g + 1) * 100.0f + float(e);
  return cb;
}

TEST(GroupedCodebook, NumCodebooks) {
  uint64_t groups = 0;
  std::string error;
  EXPECT_TRUE(numCodebooks({6, 4}, 0, groups, &error));
  EXPECT_EQ(groups, 1u);
  EXPECT_TRUE(numCodebooks({6, 4}, 1, groups, &error));
  EXPECT_EQ(groups, 6u);
  EXPECT_TRUE(numCodebooks({6, 2, 2}, 3, groups, &error));
  EXPECT_EQ(groups, 2u);
  // Leading unit dimensions are dropped: [1, 6, 4] has 6 rows.
  EXPECT_TRUE(numCodebooks({1, 6, 4}, 2, groups, &error));
  EXPECT_EQ(groups, 3u);
  EXPECT_FALSE(numCodebooks({6, 4}, 4, groups, &error));
  EXPECT_NE(error.find("does not divide the 6 rows"), std::string::npos);
  EXPECT_FALSE(numCodebooks({6, 4}, 12, groups, &error));
}

// Every format and entropy coder decodes element (r, c) through row r's
// codebook.
TEST(GroupedCodebook, RoundTripEveryLayout) {
  const std::vector<int64_t> shape{6, 5};
  std::mt19937_64 rng(7);
  for (unsigned rowsPerGroup : {1u, 2u, 3u, 6u}) {
    const unsigned groups = 6 / rowsPerGroup, entries = 5;
    std::vector<float> cb = groupedCodebook(groups, entries);
    std::vector<uint32_t> indices(30);
    for (uint32_t &i : indices)
      i = rng() % 3 == 0 ? 0 : 1 + rng() % (entries - 1);
    for (StorageFormat f :
         {StorageFormat::Dense, StorageFormat::CSC, StorageFormat::CSR})
      for (EntropyCoding e : {EntropyCoding::None, EntropyCoding::Huffman}) {
        CompressedTensor t;
        std::string error;
        ASSERT_TRUE(encodeIndices(shape, indices, cb,
                                  params(f, rowsPerGroup, e), t, &error))
            << error;
        EXPECT_EQ(codebookEntries(t.view()), entries);
        std::vector<float> dense;
        ASSERT_TRUE(decompressToDense(t.view(), dense, &error)) << error;
        std::vector<uint32_t> back;
        ASSERT_TRUE(decompressToIndices(t.view(), back, &error)) << error;
        EXPECT_EQ(back, indices);
        for (int r = 0; r < 6; ++r)
          for (int c = 0; c < 5; ++c) {
            uint32_t i = indices[r * 5 + c];
            float expected = cb[(r / rowsPerGroup) * entries + i];
            EXPECT_EQ(dense[r * 5 + c], expected) << r << "," << c;
          }
        // Re-encoding keeps the groups; changing them is refused.
        CompressedTensor again;
        ASSERT_TRUE(reencode(t.view(), params(StorageFormat::CSR, rowsPerGroup),
                             again, &error))
            << error;
        std::vector<float> dense2;
        ASSERT_TRUE(decompressToDense(again.view(), dense2, &error));
        EXPECT_EQ(dense2, dense);
        EXPECT_FALSE(reencode(t.view(), params(f, 0, e), again, &error));
        EXPECT_NE(error.find("codebook rows"), std::string::npos);
        // The report counts every group's codebook.
        StorageStats stats;
        ASSERT_TRUE(measureStorage(t.view(), stats, &error));
        EXPECT_EQ(stats.codebookBytes, uint64_t(groups) * entries * 4);
      }
  }
}

TEST(GroupedCodebook, VerifierRejectsBadCodebooks) {
  const std::vector<int64_t> shape{4, 3};
  std::vector<uint32_t> indices(12, 1);
  std::string error;
  CompressedTensor t;
  // 4 rows do not split into groups of 3.
  EXPECT_FALSE(encodeIndices(shape, indices, groupedCodebook(1, 4),
                             params(StorageFormat::Dense, 3), t, &error));
  EXPECT_NE(error.find("does not divide the 4 rows"), std::string::npos);
  // A group's entry 0 must be +0.0.
  std::vector<float> cb = groupedCodebook(2, 4);
  cb[4] = -0.0f;
  EXPECT_FALSE(encodeIndices(shape, indices, cb,
                             params(StorageFormat::Dense, 2), t, &error));
  EXPECT_NE(error.find("entry 0 of codebook group 1"), std::string::npos);
  // Size must split evenly into the groups.
  cb = groupedCodebook(2, 4);
  cb.pop_back();
  EXPECT_FALSE(encodeIndices(shape, indices, cb,
                             params(StorageFormat::Dense, 2), t, &error));
  EXPECT_NE(error.find("does not split into 2"), std::string::npos);
  // Each group at most 2^bits entries (bits = 3: 8).
  EXPECT_FALSE(encodeIndices(shape, indices, groupedCodebook(2, 9),
                             params(StorageFormat::Dense, 2), t, &error));
  EXPECT_NE(error.find("more than 2^3"), std::string::npos);
  // Non-finite entries.
  cb = groupedCodebook(2, 4);
  cb[6] = INFINITY;
  EXPECT_FALSE(encodeIndices(shape, indices, cb,
                             params(StorageFormat::Dense, 2), t, &error));
  EXPECT_NE(error.find("not finite"), std::string::npos);
  // Indices are group-local: 4 entries per group, index 4 is out of range
  // even though the flat codebook has 8 entries.
  indices[5] = 4;
  EXPECT_FALSE(encodeIndices(shape, indices, groupedCodebook(2, 4),
                             params(StorageFormat::Dense, 2), t, &error));
  EXPECT_NE(error.find("4-entry codebook"), std::string::npos);
  // A decoded stream is checked the same way.
  indices[5] = 3;
  ASSERT_TRUE(encodeIndices(shape, indices, groupedCodebook(2, 4),
                            params(StorageFormat::Dense, 2), t, &error));
  CompressedTensorView view = t.view();
  std::vector<float> smaller = groupedCodebook(4, 2);
  view.params.codebookRows = 1; // 4 groups of 2 entries: index 3 too big.
  view.codebook = Span<float>(smaller);
  std::vector<float> dense;
  EXPECT_FALSE(decompressToDense(view, dense, &error));
  EXPECT_NE(error.find("2-entry codebook"), std::string::npos);
  // Raw tensors have no codebook to group.
  EncodingParams raw = params(StorageFormat::Dense, 1);
  raw.bits = kRawValueBits;
  EXPECT_FALSE(encodeRaw(shape, std::vector<float>(12, 1.0f), raw, t, &error));
  EXPECT_NE(error.find("need a codebook"), std::string::npos);
}

} // namespace

namespace {
// The kernels' form: one codebook, global indices, same dense tensor.
TEST(GroupedCodebook, ExpandToLayerCodebook) {
  const std::vector<int64_t> shape{8, 3};
  std::vector<uint32_t> indices(24);
  for (size_t i = 0; i < indices.size(); ++i)
    indices[i] = i % 4; // zeros included
  for (StorageFormat f : {StorageFormat::Dense, StorageFormat::CSC})
    for (EntropyCoding e : {EntropyCoding::None, EntropyCoding::Huffman}) {
      EncodingParams p;
      p.format = f;
      p.bits = 2;
      p.indexBits = 3;
      p.entropy = e;
      p.codebookRows = 2; // 4 codebooks of 4 entries: 16 -> 4-bit indices
      CompressedTensor t, expanded;
      std::string error;
      ASSERT_TRUE(encodeIndices(shape, indices, groupedCodebook(4, 4), p, t,
                                &error))
          << error;
      ASSERT_TRUE(expandToLayerCodebook(t.view(), expanded, &error)) << error;
      EXPECT_EQ(expanded.params.codebookRows, 0u);
      EXPECT_EQ(expanded.params.bits, 4u);
      EXPECT_EQ(expanded.params.format, f);
      EXPECT_EQ(expanded.params.entropy, e);
      std::vector<float> a, b;
      ASSERT_TRUE(decompressToDense(t.view(), a, &error));
      ASSERT_TRUE(decompressToDense(expanded.view(), b, &error)) << error;
      EXPECT_EQ(a, b);
    }
  // More than 2^16 indices together: refused with a message.
  std::vector<int64_t> big{512, 1};
  EncodingParams p;
  p.bits = 8;
  p.codebookRows = 1;
  CompressedTensor t, expanded;
  std::string error;
  ASSERT_TRUE(encodeIndices(big, std::vector<uint32_t>(512, 1),
                            groupedCodebook(512, 256), p, t, &error))
      << error;
  EXPECT_FALSE(expandToLayerCodebook(t.view(), expanded, &error));
  EXPECT_NE(error.find("more than 2^16"), std::string::npos);
}
} // namespace
