//===- OptimalKMeansTest.cpp - Optimal and weighted 1-D k-means -----------===//

#include "dc/Core/KMeans.h"

#include "gtest/gtest.h"

#include <algorithm>
#include <cmath>
#include <functional>
#include <limits>
#include <random>

using namespace dc;

namespace {

KMeansOptions opts(unsigned k, KMeansInit init) {
  KMeansOptions o;
  o.numClusters = k;
  o.init = init;
  return o;
}

/// sum w (x - nearest centroid)^2, computed directly.
double directError(const std::vector<float> &x, const std::vector<float> &w,
                   const std::vector<float> &c) {
  std::vector<uint32_t> a = assignNearest(x, c);
  double e = 0;
  for (size_t i = 0; i < x.size(); ++i) {
    double d = double(x[i]) - (c.empty() ? 0.0 : double(c[a[i]]));
    e += (w.empty() ? 1.0 : double(w[i])) * d * d;
  }
  return e;
}

/// Minimum weighted cost over every partition of the sorted values into at
/// most k contiguous groups (each at its weighted mean): exponential, small
/// inputs only.
double bruteForce(std::vector<float> x, std::vector<float> w, unsigned k) {
  std::vector<size_t> order(x.size());
  for (size_t i = 0; i < order.size(); ++i)
    order[i] = i;
  std::sort(order.begin(), order.end(),
            [&](size_t a, size_t b) { return x[a] < x[b]; });
  std::vector<double> xs, ws;
  for (size_t i : order) {
    xs.push_back(x[i]);
    ws.push_back(w.empty() ? 1.0 : w[i]);
  }
  auto groupCost = [&](size_t lo, size_t hi) {
    double s0 = 0, s1 = 0;
    for (size_t i = lo; i < hi; ++i) {
      s0 += ws[i];
      s1 += ws[i] * xs[i];
    }
    double m = s1 / s0, c = 0;
    for (size_t i = lo; i < hi; ++i)
      c += ws[i] * (xs[i] - m) * (xs[i] - m);
    return c;
  };
  double best = std::numeric_limits<double>::infinity();
  std::function<void(size_t, unsigned, double)> rec =
      [&](size_t start, unsigned left, double acc) {
        if (start == xs.size()) {
          best = std::min(best, acc);
          return;
        }
        if (left == 0)
          return;
        for (size_t end = start + 1; end <= xs.size(); ++end)
          rec(end, left - 1, acc + groupCost(start, end));
      };
  rec(0, k, 0.0);
  return best;
}

std::vector<float> randomValues(std::mt19937_64 &rng, size_t n, bool heavy) {
  std::normal_distribution<float> normal(0.0f, 1.0f);
  std::vector<float> v(n);
  for (float &x : v) {
    x = normal(rng);
    if (heavy && rng() % 50 == 0)
      x *= 40.0f; // BatchNorm-folded weights have outliers like these.
  }
  return v;
}

TEST(OptimalKMeans, ParsesOptimal) {
  KMeansInit init = KMeansInit::Linear;
  EXPECT_TRUE(parseKMeansInit("optimal", init));
  EXPECT_EQ(init, KMeansInit::Optimal);
  EXPECT_FALSE(parseKMeansInit("Optimal", init));
}

TEST(OptimalKMeans, MatchesBruteForceOnSmallInputs) {
  std::mt19937_64 rng(7);
  for (int trial = 0; trial < 60; ++trial) {
    size_t n = 2 + rng() % 11;
    unsigned k = 1 + unsigned(rng() % 5);
    bool weighted = trial % 2;
    std::vector<float> x = randomValues(rng, n, trial % 3 == 0);
    if (trial % 5 == 0)
      for (float &v : x)
        v = float(int(v * 2)); // Repeated values.
    std::vector<float> w;
    if (weighted)
      for (size_t i = 0; i < n; ++i)
        w.push_back(0.1f + float(rng() % 100) / 10.0f);
    SortedSample sample = SortedSample::fromValues(x, weighted ? &w : nullptr);
    OptimalClustering dp(sample, k);
    double expected = bruteForce(x, w, k);
    EXPECT_NEAR(dp.cost(k), expected, 1e-9 * (1 + expected))
        << "trial " << trial << " n=" << n << " k=" << k;
    KMeansResult r = kmeans1D(sample, opts(k, KMeansInit::Optimal));
    EXPECT_LE(r.centroids.size(), k);
    EXPECT_NEAR(directError(x, w, r.centroids), expected, 1e-5 * (1 + expected))
        << "trial " << trial;
  }
}

TEST(OptimalKMeans, NeverWorseThanLinearLloyd) {
  std::mt19937_64 rng(11);
  for (size_t n : {100u, 1000u, 5000u, 20000u}) {
    for (unsigned bits : {1u, 2u, 3u, 5u, 8u}) {
      unsigned k = (1u << bits) - 1;
      std::vector<float> x = randomValues(rng, n, bits % 2);
      std::vector<float> none;
      double linear = directError(
          x, none, kmeans1D(x, opts(k, KMeansInit::Linear)).centroids);
      double optimal = directError(
          x, none, kmeans1D(x, opts(k, KMeansInit::Optimal)).centroids);
      // Exact for <= kMaxExactAtoms distinct values; float centroids round.
      if (n <= kMaxExactAtoms)
        EXPECT_LE(optimal, linear * (1 + 1e-6)) << "n=" << n << " k=" << k;
      else
        EXPECT_LE(optimal, linear * 1.01) << "n=" << n << " k=" << k;
    }
  }
}

TEST(OptimalKMeans, HeavyTailsMuchBetterThanLinear) {
  // Linear init wastes most centroids on the empty range between the
  // outliers; the optimum spends them where the mass is.
  std::mt19937_64 rng(3);
  std::vector<float> x = randomValues(rng, 50000, true);
  std::vector<float> none;
  double linear =
      directError(x, none, kmeans1D(x, opts(15, KMeansInit::Linear)).centroids);
  double optimal = directError(
      x, none, kmeans1D(x, opts(15, KMeansInit::Optimal)).centroids);
  EXPECT_LT(optimal, 0.9 * linear);
}

TEST(OptimalKMeans, LargeInputOverAtoms) {
  std::mt19937_64 rng(5);
  std::vector<float> x = randomValues(rng, 300000, true);
  SortedSample sample = SortedSample::fromValues(x);
  OptimalClustering dp(sample, 31);
  EXPECT_LE(dp.numAtoms(), kMaxExactAtoms);
  EXPECT_GT(dp.numAtoms(), kMaxExactAtoms / 2);
  std::vector<float> c = dp.centroids(31);
  EXPECT_EQ(c.size(), 31u);
  // The DP's cost is the error of its centroids (up to float rounding and
  // Lloyd-free nearest assignment, which can only lower it).
  EXPECT_LE(quantizationError(sample, c, false), dp.cost(31) * (1 + 1e-5));
  // Levels are monotone.
  for (unsigned k = 2; k <= 31; ++k)
    EXPECT_LE(dp.cost(k), dp.cost(k - 1));
}

TEST(OptimalKMeans, FewerValuesThanClusters) {
  std::vector<float> x = {3, 1, 2};
  KMeansResult r = kmeans1D(x, opts(7, KMeansInit::Optimal));
  EXPECT_EQ(r.centroids, (std::vector<float>{1, 2, 3}));
  SortedSample sample = SortedSample::fromValues(x);
  OptimalClustering dp(sample, 7);
  EXPECT_EQ(dp.centroids(7), (std::vector<float>{1, 2, 3}));
  EXPECT_EQ(dp.cost(7), 0.0);
}

TEST(OptimalKMeans, AllEqual) {
  std::vector<float> x(1000, 0.25f);
  KMeansResult r = kmeans1D(x, opts(31, KMeansInit::Optimal));
  EXPECT_EQ(r.centroids, (std::vector<float>{0.25f}));
  SortedSample sample = SortedSample::fromValues(x);
  OptimalClustering dp(sample, 31);
  EXPECT_EQ(dp.numAtoms(), 1u);
  EXPECT_EQ(dp.centroids(31), (std::vector<float>{0.25f}));
}

TEST(OptimalKMeans, EmptyAndSingle) {
  std::vector<float> empty;
  EXPECT_TRUE(kmeans1D(empty, opts(3, KMeansInit::Optimal)).centroids.empty());
  SortedSample sample = SortedSample::fromValues(empty);
  OptimalClustering dp(sample, 3);
  EXPECT_TRUE(dp.centroids(3).empty());
  std::vector<float> one = {-2.5f};
  EXPECT_EQ(kmeans1D(one, opts(3, KMeansInit::Optimal)).centroids,
            (std::vector<float>{-2.5f}));
}

TEST(OptimalKMeans, ManyClustersFallBack) {
  // Beyond kMaxOptimalClusters the initialization is Density: still valid.
  std::mt19937_64 rng(9);
  std::vector<float> x = randomValues(rng, 5000, false);
  KMeansResult r = kmeans1D(x, opts(2047, KMeansInit::Optimal));
  EXPECT_LE(r.centroids.size(), 2047u);
  EXPECT_TRUE(std::is_sorted(r.centroids.begin(), r.centroids.end()));
}

TEST(WeightedKMeans, LowersTheWeightedObjective) {
  std::mt19937_64 rng(13);
  for (KMeansInit init : {KMeansInit::Linear, KMeansInit::Optimal}) {
    std::vector<float> x = randomValues(rng, 20000, false), w(x.size());
    // Importance concentrated on the values in [0.5, 1.5].
    for (size_t i = 0; i < x.size(); ++i)
      w[i] = (x[i] >= 0.5f && x[i] <= 1.5f) ? 1000.0f : 1.0f;
    SortedSample weighted = SortedSample::fromValues(x, &w);
    std::vector<float> plain = kmeans1D(x, opts(7, init)).centroids;
    std::vector<float> withW = kmeans1D(weighted, opts(7, init)).centroids;
    EXPECT_LT(directError(x, w, withW), 0.5 * directError(x, w, plain))
        << int(init);
    EXPECT_NEAR(quantizationError(weighted, withW, true),
                directError(x, w, withW), 1e-6 * directError(x, w, withW));
  }
}

TEST(WeightedKMeans, UniformWeightsMatchUnweighted) {
  std::mt19937_64 rng(17);
  std::vector<float> x = randomValues(rng, 3000, true), w(x.size(), 2.0f);
  SortedSample weighted = SortedSample::fromValues(x, &w);
  std::vector<float> a = kmeans1D(x, opts(15, KMeansInit::Optimal)).centroids;
  std::vector<float> b =
      kmeans1D(weighted, opts(15, KMeansInit::Optimal)).centroids;
  ASSERT_EQ(a.size(), b.size());
  for (size_t i = 0; i < a.size(); ++i)
    EXPECT_NEAR(a[i], b[i], 1e-5 * (1 + std::fabs(a[i])));
}

TEST(WeightedKMeans, SortIsOrderIndependent) {
  std::vector<float> x = {1, 1, 2, 3, 1}, w = {5, 1, 2, 3, 4};
  std::vector<float> x2 = {1, 3, 1, 2, 1}, w2 = {4, 3, 1, 2, 5};
  SortedSample a = SortedSample::fromValues(x, &w);
  SortedSample b = SortedSample::fromValues(x2, &w2);
  EXPECT_EQ(a.values(), b.values());
  EXPECT_EQ(a.weights(), b.weights());
  EXPECT_DOUBLE_EQ(a.mean(0, 5), (5 + 1 + 4 + 4 + 9) / 15.0);
}

} // namespace

namespace {
TEST(OptimalKMeans, CoarserAtomsBoundTheCostFromAbove) {
  std::mt19937_64 rng(21);
  for (size_t n : {5000u, 200000u}) {
    std::vector<float> x = randomValues(rng, n, true);
    SortedSample sample = SortedSample::fromValues(x);
    OptimalClustering fine(sample, 63), coarse(sample, 63, kMaxExactAtoms / 4);
    EXPECT_LE(coarse.numAtoms(), kMaxExactAtoms / 4);
    for (unsigned k : {1u, 3u, 7u, 15u, 31u, 63u})
      EXPECT_LE(fine.cost(k), coarse.cost(k) * (1 + 1e-12)) << n << " " << k;
  }
}
} // namespace
