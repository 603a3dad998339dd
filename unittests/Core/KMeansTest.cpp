//===- KMeansTest.cpp - Tests of 1-D k-means ------------------------------===//

#include "dc/Core/KMeans.h"

#include "gtest/gtest.h"

#include <algorithm>
#include <cmath>
#include <random>

using namespace dc;

namespace {

KMeansOptions opts(unsigned k, KMeansInit init, unsigned maxIterations = 100,
                   uint64_t seed = 0) {
  KMeansOptions o;
  o.numClusters = k;
  o.init = init;
  o.maxIterations = maxIterations;
  o.seed = seed;
  return o;
}

bool isStrictlySorted(const std::vector<float> &c) {
  for (size_t i = 1; i < c.size(); ++i)
    if (!(c[i - 1] < c[i]))
      return false;
  return true;
}

TEST(KMeans, LinearInitHandComputed) {
  // Linear init on [0, 10] with k = 3: {0, 5, 10}; no iterations.
  std::vector<float> v = {10, 0, 2, 5, 8, 10};
  KMeansResult r = kmeans1D(v, opts(3, KMeansInit::Linear, 0));
  EXPECT_EQ(r.centroids, (std::vector<float>{0, 5, 10}));
  EXPECT_EQ(r.iterations, 0u);
  // One Lloyd step: ranges {0,2} (<= 2.5), {5} (<= 7.5), {8,10,10}.
  r = kmeans1D(v, opts(3, KMeansInit::Linear, 1));
  EXPECT_EQ(r.iterations, 1u);
  ASSERT_EQ(r.centroids.size(), 3u);
  EXPECT_FLOAT_EQ(r.centroids[0], 1.0f);
  EXPECT_FLOAT_EQ(r.centroids[1], 5.0f);
  EXPECT_FLOAT_EQ(r.centroids[2], 28.0f / 3.0f);
}

TEST(KMeans, LinearInitDropsEmptyClusters) {
  // {0, 5, 10} init: nothing is near 5, so that cluster is dropped.
  std::vector<float> v = {0, 1, 2, 9, 10};
  KMeansResult r = kmeans1D(v, opts(3, KMeansInit::Linear, 0));
  EXPECT_EQ(r.centroids, (std::vector<float>{0, 10}));
  r = kmeans1D(v, opts(3, KMeansInit::Linear));
  EXPECT_EQ(r.centroids, (std::vector<float>{1, 9.5f}));
  EXPECT_GE(r.iterations, 2u); // Dropping a cluster is not convergence.
}

TEST(KMeans, DensityInit) {
  std::vector<float> v;
  for (int i = 99; i >= 0; --i)
    v.push_back(float(i));
  KMeansResult r = kmeans1D(v, opts(4, KMeansInit::Density, 0));
  EXPECT_EQ(r.centroids, (std::vector<float>{12, 37, 62, 87}));
}

TEST(KMeans, SingleCluster) {
  std::vector<float> v = {1, 2, 3, 10};
  for (KMeansInit init : {KMeansInit::Linear, KMeansInit::Density,
                          KMeansInit::Random, KMeansInit::KMeansPlusPlus}) {
    KMeansResult r = kmeans1D(v, opts(1, init));
    ASSERT_EQ(r.centroids.size(), 1u);
    EXPECT_FLOAT_EQ(r.centroids[0], 4.0f);
  }
}

TEST(KMeans, FewerDistinctValuesThanClusters) {
  std::vector<float> v = {3, 3, 1, 1, 2, 3};
  for (KMeansInit init : {KMeansInit::Linear, KMeansInit::Density,
                          KMeansInit::Random, KMeansInit::KMeansPlusPlus}) {
    EXPECT_EQ(kmeans1D(v, opts(5, init)).centroids,
              (std::vector<float>{1, 2, 3}));
    EXPECT_EQ(kmeans1D(v, opts(3, init)).centroids,
              (std::vector<float>{1, 2, 3}));
  }
  EXPECT_EQ(kmeans1D({7, 7, 7}, opts(4, KMeansInit::Linear)).centroids,
            (std::vector<float>{7}));
  EXPECT_TRUE(kmeans1D({}, opts(4, KMeansInit::Linear)).centroids.empty());
  EXPECT_TRUE(kmeans1D({1, 2}, opts(0, KMeansInit::Linear)).centroids.empty());
}

TEST(KMeans, WellSeparatedClusters) {
  std::mt19937_64 rng(1);
  std::normal_distribution<float> noise(0.0f, 0.01f);
  const float centers[3] = {-1.0f, 0.1f, 2.0f};
  std::vector<float> v;
  for (int i = 0; i < 30000; ++i)
    v.push_back(centers[i % 3] + noise(rng));
  for (KMeansInit init :
       {KMeansInit::Linear, KMeansInit::Density, KMeansInit::KMeansPlusPlus}) {
    for (uint64_t seed = 0; seed < 4; ++seed) {
      KMeansResult r = kmeans1D(v, opts(3, init, 100, seed));
      ASSERT_EQ(r.centroids.size(), 3u) << int(init);
      for (int c = 0; c < 3; ++c)
        EXPECT_NEAR(r.centroids[c], centers[c], 0.005) << int(init);
      EXPECT_LT(r.iterations, 100u);
    }
  }
}

TEST(KMeans, LargeInputUsesRadixSortPath) {
  // > 2^16 values, including negative zero, negatives and duplicates.
  std::mt19937_64 rng(2);
  std::uniform_real_distribution<float> u(-3.0f, 3.0f);
  std::vector<float> v(200000);
  for (auto &x : v)
    x = u(rng);
  v[5] = -0.0f;
  v[6] = 0.0f;
  KMeansResult r = kmeans1D(v, opts(6, KMeansInit::Linear));
  ASSERT_EQ(r.centroids.size(), 6u);
  EXPECT_TRUE(isStrictlySorted(r.centroids));
  // Uniform data: optimal centroids are the bin centers -2.5, -1.5, ...
  for (int c = 0; c < 6; ++c)
    EXPECT_NEAR(r.centroids[c], -2.5 + c, 0.05);
}

TEST(KMeans, DeterministicForSeed) {
  std::mt19937_64 rng(9);
  std::vector<float> v(5000);
  std::lognormal_distribution<float> d(0, 1);
  for (auto &x : v)
    x = d(rng) * ((rng() & 1) ? 1.0f : -1.0f);
  for (KMeansInit init : {KMeansInit::Linear, KMeansInit::Density,
                          KMeansInit::Random, KMeansInit::KMeansPlusPlus}) {
    KMeansResult a = kmeans1D(v, opts(16, init, 30, 123));
    KMeansResult b = kmeans1D(v, opts(16, init, 30, 123));
    EXPECT_EQ(a.centroids, b.centroids);
    EXPECT_EQ(a.iterations, b.iterations);
    EXPECT_TRUE(isStrictlySorted(a.centroids));
    EXPECT_LE(a.centroids.size(), 16u);
    EXPECT_GE(a.centroids.size(), 8u);
  }
}

TEST(KMeans, SeedChangesRandomInits) {
  std::mt19937_64 rng(10);
  std::uniform_real_distribution<float> u(0.0f, 1.0f);
  std::vector<float> v(2000);
  for (auto &x : v)
    x = u(rng);
  for (KMeansInit init : {KMeansInit::Random, KMeansInit::KMeansPlusPlus}) {
    KMeansResult a = kmeans1D(v, opts(8, init, 0, 1));
    KMeansResult b = kmeans1D(v, opts(8, init, 0, 2));
    EXPECT_EQ(a.centroids.size(), 8u);
    EXPECT_EQ(b.centroids.size(), 8u);
    EXPECT_NE(a.centroids, b.centroids);
    // Forgy and k-means++ pick data points.
    for (float c : a.centroids)
      EXPECT_NE(std::find(v.begin(), v.end(), c), v.end());
  }
  // Seed-independent inits ignore the seed.
  EXPECT_EQ(kmeans1D(v, opts(8, KMeansInit::Linear, 5, 1)).centroids,
            kmeans1D(v, opts(8, KMeansInit::Linear, 5, 2)).centroids);
}

TEST(KMeans, RandomInitOnSkewedData) {
  // 99.9% of the values are one number: Forgy still finds k distinct seeds.
  std::vector<float> v(100000, 0.5f);
  for (int i = 0; i < 10; ++i)
    v[i * 7] = float(i);
  KMeansResult r = kmeans1D(v, opts(8, KMeansInit::Random, 0, 4));
  EXPECT_EQ(r.centroids.size(), 8u);
  EXPECT_TRUE(isStrictlySorted(r.centroids));
}

TEST(KMeans, AssignNearest) {
  std::vector<float> c = {-1, 0, 2};
  std::vector<float> v = {-5, -1, -0.5f, -0.4f, 0, 1, 1.5f, 2, 9};
  EXPECT_EQ(assignNearest(v, c),
            (std::vector<uint32_t>{0, 0, 0, 1, 1, 1, 2, 2, 2}));
  EXPECT_EQ(assignNearest(v, {3.0f}), std::vector<uint32_t>(v.size(), 0));
  EXPECT_TRUE(assignNearest({}, c).empty());
}

TEST(KMeans, AssignmentMatchesClusters) {
  std::mt19937_64 rng(12);
  std::normal_distribution<float> d(0, 1);
  std::vector<float> v(10000);
  for (auto &x : v)
    x = d(rng);
  KMeansResult r = kmeans1D(v, opts(7, KMeansInit::KMeansPlusPlus, 200, 3));
  std::vector<uint32_t> a = assignNearest(v, r.centroids);
  // At convergence each centroid is (close to) the mean of its members.
  std::vector<double> sum(r.centroids.size(), 0);
  std::vector<size_t> cnt(r.centroids.size(), 0);
  for (size_t i = 0; i < v.size(); ++i) {
    sum[a[i]] += v[i];
    ++cnt[a[i]];
  }
  for (size_t c = 0; c < r.centroids.size(); ++c) {
    ASSERT_GT(cnt[c], 0u);
    EXPECT_NEAR(sum[c] / double(cnt[c]), r.centroids[c], 1e-3);
  }
}

} // namespace
