//===- WeightChainTest.cpp - Layout steps of weight chains ----------------===//

#include "dc/Transforms/WeightChain.h"

#include <gtest/gtest.h>

using namespace dc;

namespace {

std::vector<uint32_t> iota(size_t n) {
  std::vector<uint32_t> v(n);
  for (size_t i = 0; i < n; ++i)
    v[i] = uint32_t(i);
  return v;
}

TEST(LayoutStep, TransposeOf2x3) {
  // out[j][i] = in[i][j]: input dim 0 is read from output dim 1.
  LayoutStep step{{2, 3}, {3, 2}, {1, 0}, false};
  std::vector<uint32_t> out;
  std::string error;
  ASSERT_TRUE(applyLayoutStep(step, iota(6), out, &error)) << error;
  EXPECT_EQ(out, (std::vector<uint32_t>{0, 3, 1, 4, 2, 5}));
}

TEST(LayoutStep, BroadcastOverANewLeadingDim) {
  // torch-mlir's weight broadcast over the batch: out[b][k][n] = in[k][n].
  LayoutStep step{{2, 2}, {3, 2, 2}, {1, 2}, false};
  std::vector<uint32_t> out;
  ASSERT_TRUE(applyLayoutStep(step, {7, 8, 9, 10}, out, nullptr));
  EXPECT_EQ(out, (std::vector<uint32_t>{7, 8, 9, 10, 7, 8, 9, 10, 7, 8, 9,
                                        10}));
}

TEST(LayoutStep, BroadcastAndTransposeWithAUnitInputDim) {
  // in: 1x2x3, read as in[0][k][n]; out[n][b][k] over b of size 2.
  LayoutStep step{{1, 2, 3}, {3, 2, 2}, {-1, 2, 0}, false};
  std::vector<uint32_t> out;
  ASSERT_TRUE(applyLayoutStep(step, iota(6), out, nullptr));
  EXPECT_EQ(out, (std::vector<uint32_t>{0, 3, 0, 3, 1, 4, 1, 4, 2, 5, 2, 5}));
}

TEST(LayoutStep, FourDimPermutation) {
  // FHWC -> HWCF (out dims (h, w, c, f) read input dims (f, h, w, c)).
  LayoutStep step{{2, 1, 2, 3}, {1, 2, 3, 2}, {3, 0, 1, 2}, false};
  std::vector<uint32_t> out;
  ASSERT_TRUE(applyLayoutStep(step, iota(12), out, nullptr));
  // out[0][w][c][f] = in[f][0][w][c] = f*6 + w*3 + c.
  std::vector<uint32_t> expected;
  for (uint32_t w = 0; w < 2; ++w)
    for (uint32_t c = 0; c < 3; ++c)
      for (uint32_t f = 0; f < 2; ++f)
        expected.push_back(f * 6 + w * 3 + c);
  EXPECT_EQ(out, expected);
}

TEST(LayoutStep, ReshapeKeepsTheElements) {
  LayoutStep step{{2, 3}, {6}, {}, true};
  std::vector<uint32_t> out;
  ASSERT_TRUE(applyLayoutStep(step, iota(6), out, nullptr));
  EXPECT_EQ(out, iota(6));
}

TEST(LayoutStep, RejectsAReshapeChangingTheSize) {
  LayoutStep step{{2, 3}, {5}, {}, true};
  std::vector<uint32_t> out;
  std::string error;
  EXPECT_FALSE(applyLayoutStep(step, iota(6), out, &error));
  EXPECT_NE(error.find("reshape"), std::string::npos);
}

TEST(LayoutStep, RejectsMismatchedDimensions) {
  // Input dim 0 (size 2) read from output dim 0 of size 3.
  LayoutStep step{{2, 3}, {3, 2}, {0, 1}, false};
  std::vector<uint32_t> out;
  std::string error;
  EXPECT_FALSE(applyLayoutStep(step, iota(6), out, &error));
  EXPECT_NE(error.find("inconsistent"), std::string::npos);
}

TEST(LayoutStep, RejectsAConstantIndexIntoANonUnitDim) {
  LayoutStep step{{2, 3}, {3}, {-1, 0}, false};
  std::vector<uint32_t> out;
  std::string error;
  EXPECT_FALSE(applyLayoutStep(step, iota(6), out, &error));
  EXPECT_NE(error.find("non-unit"), std::string::npos);
}

TEST(LayoutStep, RejectsTheWrongNumberOfInputElements) {
  LayoutStep step{{2, 3}, {3, 2}, {1, 0}, false};
  std::vector<uint32_t> out;
  std::string error;
  EXPECT_FALSE(applyLayoutStep(step, iota(5), out, &error));
  EXPECT_NE(error.find("5 elements"), std::string::npos);
}

TEST(LayoutStep, RefusesToMaterializeHugeBroadcasts) {
  // 2 elements broadcast to 2 x 2^28: over the limit.
  LayoutStep step{{2}, {int64_t(1) << 28, 2}, {1}, false};
  std::vector<uint32_t> out;
  std::string error;
  EXPECT_FALSE(applyLayoutStep(step, iota(2), out, &error));
  EXPECT_NE(error.find("limit"), std::string::npos);
  EXPECT_TRUE(out.empty());
}

TEST(LayoutStep, RejectsOverflowingShapes) {
  LayoutStep step{{1}, {int64_t(1) << 40, int64_t(1) << 40}, {-1}, false};
  std::vector<uint32_t> out;
  std::string error;
  EXPECT_FALSE(applyLayoutStep(step, {1}, out, &error));
  EXPECT_NE(error.find("invalid shape"), std::string::npos);
}

} // namespace

namespace {

TEST(ChainIndexer, AgreesWithApplyingTheSteps) {
  // 2x3 root, transposed to 3x2, broadcast to 4x3x2, reshaped to 4x6.
  std::vector<LayoutStep> steps = {{{2, 3}, {3, 2}, {1, 0}, false},
                                   {{3, 2}, {4, 3, 2}, {1, 2}, false},
                                   {{4, 3, 2}, {4, 6}, {}, true}};
  std::vector<uint32_t> elements = iota(6), next;
  for (const LayoutStep &step : steps) {
    ASSERT_TRUE(applyLayoutStep(step, elements, next, nullptr));
    elements.swap(next);
  }
  ChainIndexer indexer(steps, {4, 6});
  for (int64_t i = 0; i < 4; ++i)
    for (int64_t j = 0; j < 6; ++j)
      EXPECT_EQ(uint32_t(indexer.getRootOffset({i, j})), elements[i * 6 + j])
          << i << "," << j;
}

TEST(ChainIndexer, EmptyChainIsRowMajor) {
  ChainIndexer indexer({}, {3, 5});
  EXPECT_EQ(indexer.getRootOffset({2, 4}), 14);
  EXPECT_EQ(indexer.getRootOffset({0, 0}), 0);
}

} // namespace
