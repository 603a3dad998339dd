//===- TileLayoutTest.cpp - Tests of the laggard-window tile layout -------===//

#include "dc/Core/TileLayout.h"

#include "gtest/gtest.h"

#include <algorithm>
#include <cmath>
#include <random>
#include <tuple>

using namespace dc;

namespace {

/// A matrix as dense codes (0 = pruned) and its CSR.
struct Csr {
  int64_t m, k;
  std::vector<uint8_t> dense;
  std::vector<uint64_t> start;
  std::vector<uint32_t> cols, codes;
};

Csr fromDense(int64_t m, int64_t k, std::vector<uint8_t> dense) {
  Csr c{m, k, std::move(dense), {0}, {}, {}};
  for (int64_t i = 0; i < m; ++i) {
    for (int64_t j = 0; j < k; ++j)
      if (uint8_t v = c.dense[i * k + j]) {
        c.cols.push_back(uint32_t(j));
        c.codes.push_back(v);
      }
    c.start.push_back(c.cols.size());
  }
  return c;
}

Csr randomCsr(int64_t m, int64_t k, double density, uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<double> u(0, 1);
  std::vector<uint8_t> d(size_t(m * k), 0);
  for (auto &v : d)
    if (u(rng) < density)
      v = uint8_t(1 + rng() % 31);
  return fromDense(m, k, std::move(d));
}

/// Builds the layout and checks it against the matrix: every entry exactly
/// once (reference decode), window invariants, the kernel model's product
/// against a double-precision dense product.
void checkLayout(const Csr &c) {
  TileLayout t;
  std::string err;
  ASSERT_TRUE(buildTileLayout(c.m, c.k, c.start.data(), c.cols.data(),
                              c.codes.data(), t, err))
      << err;
  EXPECT_EQ(t.numStrips(), (c.m + 15) / 16);
  ASSERT_EQ(t.stripOffsets.size(), size_t(t.numStrips() + 1));
  EXPECT_EQ(t.words.size(), t.starts.size() * 16);
  EXPECT_EQ(t.nonzeros, c.cols.size());
  for (uint16_t s : t.starts)
    EXPECT_LE(int64_t(s) + 32, std::max<int64_t>(c.k, 32));

  TileExpandLayout x;
  ASSERT_TRUE(buildTileExpandLayout(c.m, c.k, c.start.data(), c.cols.data(),
                                    c.codes.data(), x, err))
      << err;
  ASSERT_EQ(x.stripOffsets.size(), size_t(x.numStrips() + 1));
  ASSERT_EQ(x.stripFields.size(), size_t(x.numStrips() + 1));
  EXPECT_EQ(x.fields.size(), c.cols.size()); // no padding stored
  EXPECT_EQ(x.masks.size(), x.starts.size());
  EXPECT_GE(x.numTiles(), t.numTiles()); // two entries per lane, not three

  std::vector<std::tuple<int64_t, int64_t, uint32_t>> a, b, ax;
  for (const TileEntry &e : decodeTileLayout(t))
    a.emplace_back(e.row, e.col, e.code);
  for (const TileEntry &e : decodeTileExpandLayout(x))
    ax.emplace_back(e.row, e.col, e.code);
  for (int64_t i = 0; i < c.m; ++i)
    for (uint64_t e = c.start[i]; e < c.start[i + 1]; ++e)
      b.emplace_back(i, c.cols[e], c.codes[e]);
  std::sort(a.begin(), a.end());
  std::sort(ax.begin(), ax.end());
  EXPECT_EQ(a, b);
  EXPECT_EQ(ax, b);

  float cb[32];
  for (int i = 0; i < 32; ++i)
    cb[i] = i == 0 ? 0.0f : 0.05f * float(i - 16) + 0.01f;
  std::vector<float> xv(size_t(c.k)), y(size_t(c.m), -7.0f);
  for (int64_t j = 0; j < c.k; ++j)
    xv[j] = float((j * 37) % 23) / 11.0f - 1.0f;
  std::vector<float> yx(size_t(c.m), -7.0f);
  tileLayoutMatvec(t, cb, xv.data(), y.data());
  tileExpandMatvec(x, cb, xv.data(), yx.data());
  for (int64_t i = 0; i < c.m; ++i) {
    double ref = 0, scale = 0;
    for (int64_t j = 0; j < c.k; ++j) {
      ref += double(cb[c.dense[i * c.k + j]]) * xv[j];
      scale += std::fabs(double(cb[c.dense[i * c.k + j]]) * xv[j]);
    }
    EXPECT_NEAR(y[i], ref, 1e-5 * (scale + 1)) << "row " << i;
    EXPECT_NEAR(yx[i], ref, 1e-5 * (scale + 1)) << "row " << i;
  }
}

TEST(TileLayout, OddShapes) {
  checkLayout(randomCsr(37, 45, 0.09, 1));   // M % 16 != 0, K % 32 != 0
  checkLayout(randomCsr(33, 100, 0.25, 2));
  checkLayout(randomCsr(300, 784, 0.04, 3));
  checkLayout(randomCsr(17, 33, 0.5, 4));
}

TEST(TileLayout, NarrowK) { // K < 32: one window at 0
  checkLayout(randomCsr(20, 7, 0.5, 5));
  checkLayout(randomCsr(16, 31, 1.0, 6));
  checkLayout(randomCsr(3, 1, 1.0, 7));
}

TEST(TileLayout, EmptyRowsAndStrips) {
  Csr c = randomCsr(64, 70, 0.2, 8);
  for (int64_t i = 16; i < 32; ++i) // strip 1 empty
    std::fill(c.dense.begin() + i * 70, c.dense.begin() + (i + 1) * 70, 0);
  for (int64_t i : {0, 5, 47, 63})
    std::fill(c.dense.begin() + i * 70, c.dense.begin() + (i + 1) * 70, 0);
  c = fromDense(64, 70, c.dense);
  checkLayout(c);
  TileLayout t;
  std::string err;
  ASSERT_TRUE(buildTileLayout(c.m, c.k, c.start.data(), c.cols.data(),
                              c.codes.data(), t, err));
  EXPECT_EQ(t.stripOffsets[1], t.stripOffsets[2]); // no tile in strip 1
  checkLayout(fromDense(40, 50, std::vector<uint8_t>(2000, 0)));
  TileLayout e;
  Csr z = fromDense(40, 50, std::vector<uint8_t>(2000, 0));
  ASSERT_TRUE(buildTileLayout(z.m, z.k, z.start.data(), z.cols.data(),
                              z.codes.data(), e, err));
  EXPECT_EQ(e.numTiles(), 0u);
}

TEST(TileLayout, DenseRowNeedsManyWindows) {
  // Row 3 is fully dense (more than three entries per window everywhere),
  // the others sparse: the laggard window stays on row 3 and takes three of
  // its entries per tile.
  Csr c = randomCsr(21, 130, 0.03, 9);
  for (int64_t j = 0; j < 130; ++j)
    c.dense[3 * 130 + j] = uint8_t(1 + j % 31);
  c = fromDense(21, 130, c.dense);
  checkLayout(c);
  TileLayout t;
  std::string err;
  ASSERT_TRUE(buildTileLayout(c.m, c.k, c.start.data(), c.cols.data(),
                              c.codes.data(), t, err));
  EXPECT_GE(t.stripOffsets[1], (130 + 2) / 3);
}

TEST(TileLayout, ProtoFieldPacking) {
  // One row, entries at columns 2, 5, 40 (codes 7, 31, 1): tile 0 at 2
  // holds (0, 7), (3, 31); tile 1 at 40 - clamped to K - 32 = 18 - holds
  // (22, 1).
  std::vector<uint8_t> d(50, 0);
  d[2] = 7;
  d[5] = 31;
  d[40] = 1;
  Csr c = fromDense(1, 50, d);
  TileLayout t;
  std::string err;
  ASSERT_TRUE(buildTileLayout(1, 50, c.start.data(), c.cols.data(),
                              c.codes.data(), t, err));
  ASSERT_EQ(t.numTiles(), 2u);
  EXPECT_EQ(t.starts[0], 2);
  EXPECT_EQ(t.words[0], (0u | 7u << 5) | (3u | 31u << 5) << 10);
  EXPECT_EQ(t.starts[1], 18);
  EXPECT_EQ(t.words[16], 22u | 1u << 5);
  for (unsigned l = 1; l < 16; ++l)
    EXPECT_EQ(t.words[l], 0u);
}

TEST(TileLayout, ExpandFieldPacking) {
  // The same row as ProtoFieldPacking: tile 0 at 2, lane 0 has two fields
  // (mask bits 0, 1); tile 1 at 18, one field (bit 0).
  std::vector<uint8_t> d(50, 0);
  d[2] = 7;
  d[5] = 31;
  d[40] = 1;
  Csr c = fromDense(1, 50, d);
  TileExpandLayout t;
  std::string err;
  ASSERT_TRUE(buildTileExpandLayout(1, 50, c.start.data(), c.cols.data(),
                                    c.codes.data(), t, err));
  ASSERT_EQ(t.numTiles(), 2u);
  EXPECT_EQ(t.masks[0], 3u);
  EXPECT_EQ(t.masks[1], 1u);
  EXPECT_EQ(t.fields, (std::vector<uint16_t>{0 | 7 << 5, 3 | 31 << 5,
                                             22 | 1 << 5}));
  EXPECT_EQ(t.stripFields, (std::vector<int32_t>{0, 3}));
}

TEST(TileLayout, RejectsBadInput) {
  std::vector<uint64_t> start{0, 2};
  std::vector<uint32_t> cols{3, 1}, codes{1, 2};
  TileLayout t;
  std::string err;
  EXPECT_FALSE(buildTileLayout(1, 10, start.data(), cols.data(), codes.data(),
                               t, err));
  EXPECT_NE(err.find("not increasing"), std::string::npos);
  cols = {1, 3};
  codes = {1, 32};
  EXPECT_FALSE(buildTileLayout(1, 10, start.data(), cols.data(), codes.data(),
                               t, err));
  EXPECT_NE(err.find("outside 1..31"), std::string::npos);
  codes = {1, 2};
  EXPECT_FALSE(buildTileLayout(1, TileLayout::kMaxK + 1, start.data(),
                               cols.data(), codes.data(), t, err));
}

} // namespace
