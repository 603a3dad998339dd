//===- KMeans.cpp - 1-D k-means for weight sharing ------------------------===//
//
// The values are sorted once (radix sort for large inputs). In one dimension
// a cluster is a contiguous range of the sorted values delimited by the
// midpoints between adjacent sorted centroids, so an update only needs k
// binary searches and k range sums. Range sums come from block prefix sums
// (one double per 64 values, the rest summed directly) to keep memory small
// for 10^8 weights. k-means++ D^2 sampling uses the same structure with sums
// of squares, so seeding costs O(k^2 log n) rather than O(n k).
//
//===----------------------------------------------------------------------===//

#include "dc/Core/KMeans.h"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <cstring>
#include <memory>
#include <random>
#include <set>

using namespace dc;

namespace {

uint32_t floatToKey(float f) {
  uint32_t bits;
  std::memcpy(&bits, &f, 4);
  return (bits & 0x80000000u) ? ~bits : (bits | 0x80000000u);
}

float keyToFloat(uint32_t key) {
  uint32_t bits = (key & 0x80000000u) ? (key & 0x7FFFFFFFu) : ~key;
  float f;
  std::memcpy(&f, &bits, 4);
  return f;
}

std::vector<float> sortValues(const std::vector<float> &values) {
  const size_t n = values.size();
  if (n < (size_t(1) << 16)) {
    std::vector<float> sorted(values);
    std::sort(sorted.begin(), sorted.end());
    return sorted;
  }
  // LSD radix sort on order-preserving keys, 11 + 11 + 10 bits: the first
  // pass reads the input, the last one writes floats into the result.
  constexpr unsigned kRadix = 2048;
  std::vector<size_t> counts(3 * kRadix, 0);
  for (float v : values) {
    uint32_t k = floatToKey(v);
    ++counts[k & 2047u];
    ++counts[kRadix + ((k >> 11) & 2047u)];
    ++counts[2 * kRadix + (k >> 22)];
  }
  for (unsigned pass = 0; pass < 3; ++pass) {
    size_t sum = 0;
    for (unsigned b = 0; b < kRadix; ++b) {
      size_t c = counts[pass * kRadix + b];
      counts[pass * kRadix + b] = sum;
      sum += c;
    }
  }
  std::unique_ptr<uint32_t[]> a(new uint32_t[n]), b(new uint32_t[n]);
  size_t *c0 = counts.data(), *c1 = c0 + kRadix, *c2 = c1 + kRadix;
  for (float v : values) {
    uint32_t k = floatToKey(v);
    a[c0[k & 2047u]++] = k;
  }
  for (size_t i = 0; i < n; ++i) {
    uint32_t k = a[i];
    b[c1[(k >> 11) & 2047u]++] = k;
  }
  a.reset();
  std::vector<float> sorted(n);
  for (size_t i = 0; i < n; ++i) {
    uint32_t k = b[i];
    sorted[c2[k >> 22]++] = keyToFloat(k);
  }
  return sorted;
}

/// Prefix sums of (x - shift) and (x - shift)^2 over sorted values, stored
/// every kBlock elements.
class BlockPrefix {
public:
  static constexpr size_t kBlock = 64;

  BlockPrefix(const std::vector<float> &x, double shift, bool squares)
      : x(x), shift(shift), squares(squares) {
    size_t numBlocks = x.size() / kBlock + 1;
    s1.assign(numBlocks, 0.0);
    if (squares)
      s2.assign(numBlocks, 0.0);
    double a1 = 0, a2 = 0;
    for (size_t b = 0; b < numBlocks; ++b) {
      s1[b] = a1;
      if (squares)
        s2[b] = a2;
      size_t end = std::min(x.size(), (b + 1) * kBlock);
      for (size_t i = b * kBlock; i < end; ++i) {
        double y = double(x[i]) - shift;
        a1 += y;
        a2 += y * y;
      }
    }
  }

  /// Sum of (x - shift) over [0, i).
  double sum1(size_t i) const {
    size_t b = i / kBlock;
    double s = s1[b];
    for (size_t j = b * kBlock; j < i; ++j)
      s += double(x[j]) - shift;
    return s;
  }
  /// Sum of (x - shift)^2 over [0, i).
  double sum2(size_t i) const {
    assert(squares);
    size_t b = i / kBlock;
    double s = s2[b];
    for (size_t j = b * kBlock; j < i; ++j) {
      double y = double(x[j]) - shift;
      s += y * y;
    }
    return s;
  }
  /// Mean of x over [lo, hi), hi > lo.
  double mean(size_t lo, size_t hi) const {
    return shift + (sum1(hi) - sum1(lo)) / double(hi - lo);
  }
  /// Sum of (x - c)^2 over [lo, hi), clamped at 0.
  double cost(size_t lo, size_t hi, double c) const {
    if (hi <= lo)
      return 0.0;
    double cc = c - shift;
    double m = double(hi - lo);
    double v =
        (sum2(hi) - sum2(lo)) - 2.0 * cc * (sum1(hi) - sum1(lo)) + m * cc * cc;
    return v > 0.0 ? v : 0.0;
  }

private:
  const std::vector<float> &x;
  double shift;
  bool squares;
  std::vector<double> s1, s2;
};

/// End (exclusive) of each centroid's range: values <= midpoint go to the
/// lower centroid (ties to the lower index, as in assignNearest).
std::vector<size_t> clusterEnds(const std::vector<float> &sorted,
                                const std::vector<float> &centroids) {
  size_t k = centroids.size();
  std::vector<size_t> ends(k, sorted.size());
  for (size_t i = 0; i + 1 < k; ++i) {
    double mid = 0.5 * (double(centroids[i]) + double(centroids[i + 1]));
    ends[i] = size_t(
        std::upper_bound(sorted.begin(), sorted.end(), mid,
                         [](double m, float v) { return m < double(v); }) -
        sorted.begin());
  }
  return ends;
}

void sortUnique(std::vector<float> &c) {
  std::sort(c.begin(), c.end());
  c.erase(std::unique(c.begin(), c.end()), c.end());
}

/// Uniform double in [0, 1) from the generator, portable across libraries.
double uniform01(std::mt19937_64 &rng) {
  return double(rng() >> 11) * (1.0 / 9007199254740992.0);
}

std::vector<float> distinctValues(const std::vector<float> &sorted) {
  std::vector<float> d;
  for (float v : sorted)
    if (d.empty() || d.back() != v)
      d.push_back(v);
  return d;
}

std::vector<float> initRandom(const std::vector<float> &sorted, unsigned k,
                              std::mt19937_64 &rng) {
  const size_t n = sorted.size();
  std::set<float> chosen;
  std::vector<float> result;
  uint64_t attempts = 64 * uint64_t(k) + 1024;
  while (result.size() < k && attempts-- > 0) {
    float v = sorted[size_t(rng() % n)];
    if (chosen.insert(v).second)
      result.push_back(v);
  }
  if (result.size() < k) {
    // Heavily skewed data: complete with distinct values drawn uniformly.
    std::vector<float> rest;
    for (float v : distinctValues(sorted))
      if (!chosen.count(v))
        rest.push_back(v);
    while (result.size() < k && !rest.empty()) {
      size_t j = size_t(rng() % rest.size());
      result.push_back(rest[j]);
      rest.erase(rest.begin() + j);
    }
  }
  sortUnique(result);
  return result;
}

std::vector<float> initPlusPlus(const std::vector<float> &sorted, unsigned k,
                                std::mt19937_64 &rng,
                                const BlockPrefix &prefix) {
  const size_t n = sorted.size();
  std::vector<float> centers{sorted[size_t(rng() % n)]};
  while (centers.size() < k) {
    std::vector<size_t> ends = clusterEnds(sorted, centers);
    std::vector<double> costs(centers.size());
    double total = 0;
    for (size_t j = 0; j < centers.size(); ++j) {
      size_t lo = j == 0 ? 0 : ends[j - 1];
      costs[j] = prefix.cost(lo, ends[j], centers[j]);
      total += costs[j];
    }
    float pick = 0;
    bool picked = false;
    if (total > 0) {
      double t = uniform01(rng) * total;
      size_t j = 0;
      while (j + 1 < centers.size() && t >= costs[j]) {
        t -= costs[j];
        ++j;
      }
      size_t lo = j == 0 ? 0 : ends[j - 1], hi = ends[j];
      if (hi > lo) {
        // Smallest i in [lo, hi) with cost(lo, i + 1) > t.
        size_t a = lo, b = hi - 1;
        while (a < b) {
          size_t m = a + (b - a) / 2;
          if (prefix.cost(lo, m + 1, centers[j]) > t)
            b = m;
          else
            a = m + 1;
        }
        pick = sorted[a];
        picked = !std::binary_search(centers.begin(), centers.end(), pick);
      }
    }
    if (!picked) {
      // Rounding made the sample land on a center: take the farthest value.
      double best = -1;
      for (size_t j = 0; j < centers.size(); ++j) {
        size_t lo = j == 0 ? 0 : ends[j - 1], hi = ends[j];
        if (hi <= lo)
          continue;
        for (size_t idx : {lo, hi - 1}) {
          double d = std::fabs(double(sorted[idx]) - double(centers[j]));
          if (d > best) {
            best = d;
            pick = sorted[idx];
          }
        }
      }
      if (best <= 0)
        break; // No value left that is not a center.
    }
    centers.insert(std::upper_bound(centers.begin(), centers.end(), pick),
                   pick);
  }
  return centers;
}

} // namespace

KMeansResult dc::kmeans1D(const std::vector<float> &values,
                          const KMeansOptions &options) {
  KMeansResult result;
  const unsigned k = options.numClusters;
  if (values.empty() || k == 0)
    return result;
  std::vector<float> sorted = sortValues(values);
  const size_t n = sorted.size();
  const float minV = sorted.front(), maxV = sorted.back();

  // Few distinct values: they are the optimal centroids.
  {
    size_t distinct = 1;
    for (size_t i = 1; i < n && distinct <= k; ++i)
      if (sorted[i] != sorted[i - 1])
        ++distinct;
    if (distinct <= k) {
      result.centroids = distinctValues(sorted);
      return result;
    }
  }

  // Shifting by the median keeps the prefix sums well conditioned.
  const bool needSquares = options.init == KMeansInit::KMeansPlusPlus;
  BlockPrefix prefix(sorted, double(sorted[n / 2]), needSquares);
  const double meanV = prefix.mean(0, n);
  std::mt19937_64 rng(options.seed);

  std::vector<float> c;
  switch (options.init) {
  case KMeansInit::Linear:
    if (k == 1) {
      c.push_back(float(meanV));
    } else {
      for (unsigned i = 0; i < k; ++i)
        c.push_back(float(double(minV) + (double(maxV) - double(minV)) *
                                             double(i) / double(k - 1)));
    }
    break;
  case KMeansInit::Density:
    for (unsigned i = 0; i < k; ++i) {
      double q = (double(i) + 0.5) / double(k);
      size_t idx = std::min(n - 1, size_t(q * double(n)));
      c.push_back(sorted[idx]);
    }
    break;
  case KMeansInit::Random:
    c = initRandom(sorted, k, rng);
    break;
  case KMeansInit::KMeansPlusPlus:
    c = initPlusPlus(sorted, k, rng, prefix);
    break;
  }
  sortUnique(c);

  const double tol = options.tolerance * (double(maxV) - double(minV));
  unsigned iter = 0;
  while (iter < options.maxIterations) {
    ++iter;
    std::vector<size_t> ends = clusterEnds(sorted, c);
    std::vector<float> next;
    next.reserve(c.size());
    double moved = 0;
    bool dropped = false;
    for (size_t i = 0; i < c.size(); ++i) {
      size_t lo = i == 0 ? 0 : ends[i - 1], hi = ends[i];
      if (hi <= lo) {
        dropped = true;
        continue;
      }
      float m = float(prefix.mean(lo, hi));
      // Rounding must not move a mean outside its range.
      m = std::min(std::max(m, sorted[lo]), sorted[hi - 1]);
      moved = std::max(moved, std::fabs(double(m) - double(c[i])));
      next.push_back(m);
    }
    size_t before = next.size();
    sortUnique(next);
    dropped |= next.size() != before;
    c.swap(next);
    if (!dropped && moved <= tol)
      break;
  }

  // Drop clusters that the final centroids leave empty.
  std::vector<size_t> ends = clusterEnds(sorted, c);
  for (size_t i = 0; i < c.size(); ++i) {
    size_t lo = i == 0 ? 0 : ends[i - 1];
    if (ends[i] > lo)
      result.centroids.push_back(c[i]);
  }
  result.iterations = iter;
  return result;
}

std::vector<uint32_t> dc::assignNearest(const std::vector<float> &values,
                                        const std::vector<float> &centroids) {
  std::vector<uint32_t> out(values.size(), 0);
  const size_t k = centroids.size();
  if (k <= 1)
    return out;
  // The answer is the number of midpoints strictly below x: a value exactly
  // on a (double-precision) midpoint goes to the lower centroid. Branchless
  // lower_bound over the k - 1 midpoints.
  std::vector<double> mids(k - 1);
  for (size_t i = 0; i + 1 < k; ++i)
    mids[i] = 0.5 * (double(centroids[i]) + double(centroids[i + 1]));
  const double *m = mids.data();
  const size_t numMids = mids.size();
  for (size_t i = 0; i < values.size(); ++i) {
    const double x = values[i];
    const double *base = m;
    size_t len = numMids;
    while (len > 1) {
      size_t half = len / 2;
      base = base[half] < x ? base + half : base;
      len -= half;
    }
    out[i] = uint32_t((base - m) + (*base < x ? 1 : 0));
  }
  return out;
}

bool dc::parseKMeansInit(const std::string &s, KMeansInit &init) {
  if (s == "linear")
    init = KMeansInit::Linear;
  else if (s == "density")
    init = KMeansInit::Density;
  else if (s == "random")
    init = KMeansInit::Random;
  else if (s == "kmeans++")
    init = KMeansInit::KMeansPlusPlus;
  else
    return false;
  return true;
}
