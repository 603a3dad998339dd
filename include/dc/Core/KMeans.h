//===- KMeans.h - 1-D k-means for weight sharing ----------------*- C++ -*-===//
//
// Lloyd's algorithm in one dimension over sorted values: clusters are
// contiguous ranges of the sorted values, so each iteration costs
// O(k log n) with prefix sums instead of O(n k). Optionally every value has
// a positive importance weight; the objective is then
// sum_i w_i (x_i - c(x_i))^2. The optimal initialization solves that
// objective exactly by dynamic programming (see OptimalClustering).
//
//===----------------------------------------------------------------------===//

#ifndef DC_CORE_KMEANS_H
#define DC_CORE_KMEANS_H

#include <cstdint>
#include <string>
#include <vector>

namespace dc {

/// Initializations:
///   Linear: c_i = min + (max - min) * i / (k - 1) (k == 1: the mean);
///   Density: quantiles of the sorted values at (i + 0.5) / k;
///   Random: k distinct data values drawn with std::mt19937_64(seed) (Forgy);
///   KMeansPlusPlus: D^2 sampling with std::mt19937_64(seed);
///   Optimal: the least-squares clustering computed by OptimalClustering
///     (exact up to kMaxExactAtoms distinct values, else exact over a
///     partition of the sorted values into at most kMaxExactAtoms atoms);
///     Lloyd's iterations then only polish it.
/// Duplicate initial centroids are merged.
enum class KMeansInit { Linear, Density, Random, KMeansPlusPlus, Optimal };

/// Parses `linear`, `density`, `random`, `kmeans++` or `optimal`; false
/// otherwise.
bool parseKMeansInit(const std::string &s, KMeansInit &init);

struct KMeansOptions {
  unsigned numClusters = 31;
  KMeansInit init = KMeansInit::Linear;
  uint64_t seed = 0;
  unsigned maxIterations = 100;
  /// Stop when no centroid moves more than tolerance * (max - min).
  double tolerance = 1e-6;
};

struct KMeansResult {
  /// Sorted ascending; at most numClusters entries (fewer when there are
  /// fewer distinct values; empty clusters are dropped).
  std::vector<float> centroids;
  unsigned iterations = 0;
};

/// Values sorted ascending (finite floats), with optional per-value weights
/// (> 0, aligned with the sorted values), and block prefix sums of the
/// (weighted) first and second moments, so that any range's mean and
/// squared error cost O(1) plus at most one 64-value block.
class SortedSample {
public:
  /// Sorts `values` (radix sort for large inputs). With `weights` (same
  /// size, each > 0 and finite), pairs are sorted by (value, weight), so the
  /// result does not depend on the input order.
  static SortedSample fromValues(const std::vector<float> &values,
                                 const std::vector<float> *weights = nullptr);
  /// Takes values already sorted ascending (and their weights, or empty).
  SortedSample(std::vector<float> sorted, std::vector<float> weights = {});

  size_t size() const { return x.size(); }
  bool weighted() const { return !w.empty(); }
  const std::vector<float> &values() const { return x; }
  const std::vector<float> &weights() const { return w; }

  /// Total weight of [lo, hi) (the count when unweighted).
  double weight(size_t lo, size_t hi) const;
  /// Weighted mean of [lo, hi), hi > lo.
  double mean(size_t lo, size_t hi) const;
  /// sum of w_i (x_i - c)^2 over [lo, hi) (weighted objective), >= 0.
  double cost(size_t lo, size_t hi, double c) const;
  /// sum of (x_i - c)^2 over [lo, hi), ignoring the weights, >= 0.
  double unweightedCost(size_t lo, size_t hi, double c) const;
  /// sum of x_i^2 over [lo, hi), ignoring the weights.
  double sumSquares(size_t lo, size_t hi) const {
    return unweightedCost(lo, hi, 0.0);
  }

private:
  static constexpr size_t kBlock = 64;
  void buildPrefix();
  /// Sums over [0, i): moment 0..2 of (x - shift), weighted or not.
  void prefix(size_t i, bool useWeights, double &s0, double &s1,
              double &s2) const;

  std::vector<float> x, w;
  double shift = 0;
  // Per block start: unweighted sum1, sum2; weighted sum0, sum1, sum2.
  std::vector<double> u1, u2, w0, w1, w2;
};

/// Clusters `values` (finite floats). Deterministic for a seed.
KMeansResult kmeans1D(const std::vector<float> &values,
                      const KMeansOptions &options);

/// Same on a sorted (possibly weighted) sample: minimizes the weighted
/// objective.
KMeansResult kmeans1D(const SortedSample &sample, const KMeansOptions &options);

/// Lloyd's iterations from `initial` centroids (any order, duplicates
/// allowed); what kmeans1D runs after its initialization.
KMeansResult lloyd1D(const SortedSample &sample, std::vector<float> initial,
                     const KMeansOptions &options);

/// The largest atom count of the optimal clustering's dynamic program.
constexpr size_t kMaxExactAtoms = 8192;
/// Optimal clustering needs k * atoms DP cells; beyond this many clusters
/// (bits > 10) Optimal falls back to the Density initialization.
constexpr unsigned kMaxOptimalClusters = 1023;

/// Exact least-squares 1-D clustering of a sorted sample into up to `maxK`
/// clusters, for every k <= maxK at once. The sorted values are grouped
/// into atoms that no optimal cluster splits: runs of equal values when
/// there are at most kMaxExactAtoms of them (then the result is the exact
/// optimum), else ranges cut at both equal-count and equal-width positions
/// (kMaxExactAtoms / 2 of each, never splitting a run of equal values): the
/// optimum over those atoms, which also resolves outliers in the tails.
/// The DP D_l(j) = min_i D_{l-1}(i) + cost(atoms i..j) has monotone optimal
/// split points, so each level is solved by divide and conquer:
/// O(maxK * m log m) for m atoms, O(maxK * m) memory for the split points.
class OptimalClustering {
public:
  /// `maxAtoms` (<= kMaxExactAtoms) below the default gives a coarser
  /// partition whose boundaries are a subset of the default's (equal-count
  /// and equal-width cuts at a divisor of the default counts), so its cost
  /// bounds the default's from above: what a search can use as a cheap,
  /// conservative estimate.
  OptimalClustering(const SortedSample &sample, unsigned maxK,
                    size_t maxAtoms = kMaxExactAtoms);
  /// Centroids (weighted means, ascending) of the optimal clustering into at
  /// most k clusters (k <= maxK); fewer when there are fewer atoms.
  std::vector<float> centroids(unsigned k) const;
  /// Its weighted cost.
  double cost(unsigned k) const;
  size_t numAtoms() const { return atomEnd.size(); }

private:
  const SortedSample &sample;
  unsigned maxK = 0;
  std::vector<size_t> atomEnd;    // Exclusive end (in values) of atom j.
  std::vector<double> p0, p1, p2; // Prefix moments over atoms.
  std::vector<uint32_t> split;    // split[(l - 1) * (m + 1) + j].
  std::vector<double> bestCost;   // bestCost[l - 1] = D_l(m).
  double rangeCost(size_t i, size_t j) const;
};

/// Index of the nearest centroid (ties to the lower index) for each value;
/// `centroids` sorted ascending. Implemented as a branchless search over the
/// midpoints of adjacent centroids (computed in double), the same cluster
/// boundaries kmeans1D uses; a value exactly on a midpoint goes to the lower
/// centroid. An empty `centroids` yields all zeros.
std::vector<uint32_t> assignNearest(const std::vector<float> &values,
                                    const std::vector<float> &centroids);

/// End (exclusive, in the sorted values) of each centroid's range under
/// nearest assignment (the ranges assignNearest induces); `centroids`
/// sorted ascending.
std::vector<size_t> clusterEnds(const std::vector<float> &sorted,
                                const std::vector<float> &centroids);

/// Squared error of quantizing the sample to its nearest centroids:
/// weighted (the k-means objective) or not (plain L2).
double quantizationError(const SortedSample &sample,
                         const std::vector<float> &centroids, bool useWeights);

} // namespace dc

#endif // DC_CORE_KMEANS_H
