//===- KMeans.h - 1-D k-means for weight sharing ----------------*- C++ -*-===//
//
// Lloyd's algorithm in one dimension over sorted values: clusters are
// contiguous ranges of the sorted values, so each iteration costs
// O(k log n) with prefix sums instead of O(n k).
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
///   KMeansPlusPlus: D^2 sampling with std::mt19937_64(seed).
/// Duplicate initial centroids are merged.
enum class KMeansInit { Linear, Density, Random, KMeansPlusPlus };

/// Parses `linear`, `density`, `random` or `kmeans++`; false otherwise.
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

/// Clusters `values` (finite floats). Deterministic for a seed.
KMeansResult kmeans1D(const std::vector<float> &values,
                      const KMeansOptions &options);

/// Index of the nearest centroid (ties to the lower index) for each value;
/// `centroids` sorted ascending. Implemented as a branchless search over the
/// midpoints of adjacent centroids (computed in double), the same cluster
/// boundaries kmeans1D uses; a value exactly on a midpoint goes to the lower
/// centroid. An empty `centroids` yields all zeros.
std::vector<uint32_t> assignNearest(const std::vector<float> &values,
                                    const std::vector<float> &centroids);

} // namespace dc

#endif // DC_CORE_KMEANS_H
