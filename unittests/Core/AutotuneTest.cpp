//===- AutotuneTest.cpp - Tests of the per-layer settings search ----------===//

#include "dc/Core/Autotune.h"

#include "dc/Core/FastEncode.h"

#include "gtest/gtest.h"

#include <cmath>
#include <random>

using namespace dc;

namespace {

std::vector<float> heavyTailed(size_t n, uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::normal_distribution<float> normal(0.0f, 0.05f);
  std::vector<float> w(n);
  for (float &v : w) {
    v = normal(rng);
    if (rng() % 100 == 0)
      v *= 20;
  }
  return w;
}

/// Compresses like dc-prune + dc-cluster(init=optimal) + dc-sparse-encode +
/// dc-huffman, with the core encoder; returns bytes_pqh and the relative
/// error of the decoded weights.
void compressForReal(const std::vector<int64_t> &shape, std::vector<float> w,
                     const std::vector<float> &importance, double sparsity,
                     unsigned bits, unsigned indexBits,
                     const AutotuneOptions &options, uint64_t &bytes,
                     double &relError) {
  const std::vector<float> original = w;
  MagnitudeCut cut = smallestMagnitudeCut(
      w.data(), w.size(), uint64_t(std::llround(sparsity * double(w.size()))));
  applyMagnitudeCut(w.data(), w.size(), cut, w.data());
  std::vector<float> survivors, weights;
  for (size_t i = 0; i < w.size(); ++i)
    if (w[i] != 0.0f) {
      survivors.push_back(w[i]);
      if (!importance.empty())
        weights.push_back(importance[i]);
    }
  KMeansOptions o;
  o.numClusters = (1u << bits) - 1;
  o.init = KMeansInit::Optimal;
  SortedSample sample = SortedSample::fromValues(
      survivors, importance.empty() ? nullptr : &weights);
  std::vector<float> centroids = kmeans1D(sample, o).centroids;
  NearestCentroid nearest(centroids);
  std::vector<uint32_t> indices(w.size(), 0);
  for (size_t i = 0; i < w.size(); ++i)
    if (w[i] != 0.0f)
      indices[i] = nearest(w[i]) + 1;
  std::vector<float> codebook{0.0f};
  codebook.insert(codebook.end(), centroids.begin(), centroids.end());
  EncodingParams params;
  params.format = options.format;
  params.bits = bits;
  params.indexBits = indexBits;
  params.entropy = options.entropy;
  CompressedTensor t;
  std::string error;
  ASSERT_TRUE(encodeIndices(shape, indices, codebook, params, t, &error))
      << error;
  StorageStats stats;
  ASSERT_TRUE(measureStorage(t.view(), stats, &error)) << error;
  bytes = stats.bytesPQH();
  std::vector<float> dense;
  ASSERT_TRUE(decompressToDense(t.view(), dense, &error)) << error;
  double num = 0, den = 0;
  for (size_t i = 0; i < dense.size(); ++i) {
    double d = double(original[i]) - dense[i];
    num += d * d;
    den += double(original[i]) * original[i];
  }
  relError = std::sqrt(num / den);
}

TEST(Autotune, PredictionIsTheRealEncoding) {
  std::vector<int64_t> shape = {96, 200};
  std::vector<float> w = heavyTailed(96 * 200, 1);
  // Ties at the cut, both signs, and exact zeros.
  for (size_t i = 0; i < w.size(); i += 37)
    w[i] = (i % 2 ? 0.01f : -0.01f);
  for (size_t i = 5; i < w.size(); i += 101)
    w[i] = 0.0f;
  std::vector<float> importance(w.size());
  for (size_t i = 0; i < w.size(); ++i)
    importance[i] = 1.0f + float(i % 7);
  for (StorageFormat format : {StorageFormat::CSC, StorageFormat::CSR})
    for (EntropyCoding entropy : {EntropyCoding::Huffman, EntropyCoding::None})
      for (bool weighted : {false, true})
        for (auto [s, b, ib] :
             {std::tuple<double, unsigned, unsigned>{0.0, 3, 4},
              {0.5, 5, 2},
              {0.9, 2, 5},
              {0.984375, 8, 8}}) {
          AutotuneOptions o;
          o.format = format;
          o.entropy = entropy;
          const std::vector<float> &imp =
              weighted ? importance : std::vector<float>();
          uint64_t predicted, actual;
          double predictedError, actualError;
          predictLayer(shape, w, imp, s, b, ib, o, predicted, predictedError);
          compressForReal(shape, w, imp, s, b, ib, o, actual, actualError);
          EXPECT_EQ(predicted, actual)
              << "s=" << s << " b=" << b << " ib=" << ib;
          EXPECT_NEAR(predictedError, actualError, 1e-6 * actualError + 1e-9)
              << "s=" << s << " b=" << b << " ib=" << ib;
        }
}

TEST(Autotune, MeetsTheBoundAndShrinksWithIt) {
  std::vector<int64_t> shape = {256, 300};
  std::vector<float> w = heavyTailed(256 * 300, 2);
  uint64_t previous = UINT64_MAX;
  for (double e : {0.02, 0.05, 0.1, 0.2, 0.4}) {
    AutotuneOptions o;
    o.maxRelError = e;
    AutotuneChoice c = autotuneLayer(shape, w, {}, o);
    ASSERT_TRUE(c.found) << e;
    EXPECT_LE(c.relError, e);
    // The search clusters O(bits x log grid) candidates, not the grid.
    EXPECT_LE(c.evaluated, 8u * 8u);
    uint64_t bytes;
    double relError;
    compressForReal(shape, w, {}, c.sparsity, c.bits, c.indexBits, o, bytes,
                    relError);
    EXPECT_EQ(bytes, c.bytes);
    EXPECT_LE(relError, e);
    EXPECT_LE(c.bytes, previous) << "E=" << e;
    previous = c.bytes;
  }
}

TEST(Autotune, NothingMeetsAZeroBound) {
  std::vector<float> w = heavyTailed(1000, 3);
  AutotuneOptions o;
  o.maxRelError = 0.0;
  EXPECT_FALSE(autotuneLayer({10, 100}, w, {}, o).found);
}

TEST(Autotune, FewDistinctValuesAreExact) {
  // Three distinct nonzero values: 2 bits represent them exactly, so any
  // bound is met without error at some sparsity.
  std::vector<float> w(4000);
  for (size_t i = 0; i < w.size(); ++i)
    w[i] = float(int(i % 4)) - 1.0f; // -1, 0, 1, 2
  AutotuneOptions o;
  o.maxRelError = 1e-6;
  AutotuneChoice c = autotuneLayer({40, 100}, w, {}, o);
  ASSERT_TRUE(c.found);
  EXPECT_EQ(c.relError, 0.0);
  EXPECT_LE(c.bits, 2u);
}

} // namespace
