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
#include <limits>
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
                                const SortedSample &prefix) {
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

/// End (exclusive) of each centroid's range: values <= midpoint go to the
/// lower centroid (ties to the lower index, as in assignNearest).
std::vector<size_t> dc::clusterEnds(const std::vector<float> &sorted,
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

//===----------------------------------------------------------------------===//
// SortedSample
//===----------------------------------------------------------------------===//

SortedSample SortedSample::fromValues(const std::vector<float> &values,
                                      const std::vector<float> *weights) {
  if (!weights)
    return SortedSample(sortValues(values));
  assert(weights->size() == values.size() && "one weight per value");
  std::vector<std::pair<float, float>> pairs(values.size());
  for (size_t i = 0; i < values.size(); ++i)
    pairs[i] = {values[i], (*weights)[i]};
  std::sort(pairs.begin(), pairs.end());
  std::vector<float> x(pairs.size()), w(pairs.size());
  for (size_t i = 0; i < pairs.size(); ++i) {
    x[i] = pairs[i].first;
    w[i] = pairs[i].second;
  }
  return SortedSample(std::move(x), std::move(w));
}

SortedSample::SortedSample(std::vector<float> sorted,
                           std::vector<float> weights)
    : x(std::move(sorted)), w(std::move(weights)) {
  assert((w.empty() || w.size() == x.size()) && "one weight per value");
  buildPrefix();
}

void SortedSample::buildPrefix() {
  // Shifting by the median keeps the prefix sums well conditioned.
  const size_t n = x.size();
  shift = n ? double(x[n / 2]) : 0.0;
  size_t numBlocks = n / kBlock + 1;
  u1.assign(numBlocks, 0.0);
  u2.assign(numBlocks, 0.0);
  if (weighted()) {
    w0.assign(numBlocks, 0.0);
    w1.assign(numBlocks, 0.0);
    w2.assign(numBlocks, 0.0);
  }
  double a1 = 0, a2 = 0, b0 = 0, b1 = 0, b2 = 0;
  for (size_t b = 0; b < numBlocks; ++b) {
    u1[b] = a1;
    u2[b] = a2;
    if (weighted()) {
      w0[b] = b0;
      w1[b] = b1;
      w2[b] = b2;
    }
    size_t end = std::min(n, (b + 1) * kBlock);
    for (size_t i = b * kBlock; i < end; ++i) {
      double y = double(x[i]) - shift;
      a1 += y;
      a2 += y * y;
      if (weighted()) {
        double wi = w[i];
        b0 += wi;
        b1 += wi * y;
        b2 += wi * y * y;
      }
    }
  }
}

void SortedSample::prefix(size_t i, bool useWeights, double &s0, double &s1,
                          double &s2) const {
  size_t b = i / kBlock;
  if (useWeights && weighted()) {
    s0 = w0[b];
    s1 = w1[b];
    s2 = w2[b];
    for (size_t j = b * kBlock; j < i; ++j) {
      double y = double(x[j]) - shift, wj = w[j];
      s0 += wj;
      s1 += wj * y;
      s2 += wj * y * y;
    }
    return;
  }
  s0 = double(i);
  s1 = u1[b];
  s2 = u2[b];
  for (size_t j = b * kBlock; j < i; ++j) {
    double y = double(x[j]) - shift;
    s1 += y;
    s2 += y * y;
  }
}

double SortedSample::weight(size_t lo, size_t hi) const {
  if (!weighted())
    return double(hi - lo);
  double a0, a1, a2, b0, b1, b2;
  prefix(lo, true, a0, a1, a2);
  prefix(hi, true, b0, b1, b2);
  return b0 - a0;
}

double SortedSample::mean(size_t lo, size_t hi) const {
  double a0, a1, a2, b0, b1, b2;
  prefix(lo, true, a0, a1, a2);
  prefix(hi, true, b0, b1, b2);
  if (!weighted())
    return shift + (b1 - a1) / double(hi - lo);
  return shift + (b1 - a1) / (b0 - a0);
}

static double momentCost(double m, double s1, double s2, double cc) {
  double v = s2 - 2.0 * cc * s1 + m * cc * cc;
  return v > 0.0 ? v : 0.0;
}

double SortedSample::cost(size_t lo, size_t hi, double c) const {
  if (hi <= lo)
    return 0.0;
  double a0, a1, a2, b0, b1, b2;
  prefix(lo, true, a0, a1, a2);
  prefix(hi, true, b0, b1, b2);
  return momentCost(b0 - a0, b1 - a1, b2 - a2, c - shift);
}

double SortedSample::unweightedCost(size_t lo, size_t hi, double c) const {
  if (hi <= lo)
    return 0.0;
  double a0, a1, a2, b0, b1, b2;
  prefix(lo, false, a0, a1, a2);
  prefix(hi, false, b0, b1, b2);
  return momentCost(b0 - a0, b1 - a1, b2 - a2, c - shift);
}

//===----------------------------------------------------------------------===//
// Optimal clustering
//===----------------------------------------------------------------------===//

OptimalClustering::OptimalClustering(const SortedSample &sample, unsigned maxK,
                                     size_t maxAtoms)
    : sample(sample), maxK(maxK) {
  maxAtoms = std::max<size_t>(2, std::min(maxAtoms, kMaxExactAtoms));
  const std::vector<float> &x = sample.values();
  const size_t n = x.size();
  if (n == 0 || maxK == 0)
    return;
  // Atoms: runs of equal values, or (too many runs) cuts at equal-count and
  // equal-width positions moved to the end of their run of equal values.
  std::vector<size_t> ends;
  for (size_t i = 1; i < n && ends.size() <= maxAtoms; ++i)
    if (x[i] != x[i - 1])
      ends.push_back(i);
  if (ends.size() + 1 <= maxAtoms) {
    ends.push_back(n);
  } else {
    ends.clear();
    const size_t perKind = maxAtoms / 2;
    const double lo = x.front(), hi = x.back();
    auto runEnd = [&](size_t p) {
      // The first position > p - 1 whose value differs from x[p - 1].
      if (p == 0 || p >= n)
        return p;
      return size_t(std::upper_bound(x.begin() + p, x.end(), x[p - 1]) -
                    x.begin());
    };
    for (size_t j = 1; j < perKind; ++j) {
      ends.push_back(runEnd(size_t(double(n) * double(j) / double(perKind))));
      double v = lo + (hi - lo) * double(j) / double(perKind);
      size_t p = size_t(
          std::lower_bound(x.begin(), x.end(), v,
                           [](float a, double b) { return double(a) < b; }) -
          x.begin());
      ends.push_back(runEnd(p));
    }
    ends.push_back(n);
    std::sort(ends.begin(), ends.end());
    ends.erase(std::unique(ends.begin(), ends.end()), ends.end());
    ends.erase(std::remove(ends.begin(), ends.end(), size_t(0)), ends.end());
  }
  atomEnd = std::move(ends);
  const size_t m = atomEnd.size();

  // Prefix moments over atoms, shifted by the sample's median for
  // conditioning.
  const double shift = x[n / 2];
  p0.assign(m + 1, 0.0);
  p1.assign(m + 1, 0.0);
  p2.assign(m + 1, 0.0);
  const std::vector<float> &w = sample.weights();
  size_t begin = 0;
  for (size_t j = 0; j < m; ++j) {
    double s0 = 0, s1 = 0, s2 = 0;
    for (size_t i = begin; i < atomEnd[j]; ++i) {
      double y = double(x[i]) - shift, wi = w.empty() ? 1.0 : double(w[i]);
      s0 += wi;
      s1 += wi * y;
      s2 += wi * y * y;
    }
    p0[j + 1] = p0[j] + s0;
    p1[j + 1] = p1[j] + s1;
    p2[j + 1] = p2[j] + s2;
    begin = atomEnd[j];
  }

  // D_1(j) = cost(0, j); D_l(j) = min_{l-1 <= i < j} D_{l-1}(i) + cost(i, j).
  const unsigned levels = unsigned(std::min<size_t>(maxK, m));
  split.assign(size_t(levels) * (m + 1), 0);
  bestCost.assign(levels, 0.0);
  std::vector<double> prev(m + 1), cur(m + 1);
  for (size_t j = 0; j <= m; ++j)
    prev[j] = rangeCost(0, j);
  bestCost[0] = prev[m];
  for (unsigned l = 2; l <= levels; ++l) {
    uint32_t *arg = split.data() + size_t(l - 1) * (m + 1);
    std::fill(cur.begin(), cur.end(), 0.0);
    // Solve j in [jlo, jhi] knowing the optimal split lies in [olo, ohi].
    struct Frame {
      size_t jlo, jhi, olo, ohi;
    };
    std::vector<Frame> stack{{l, m, l - 1, m - 1}};
    while (!stack.empty()) {
      Frame f = stack.back();
      stack.pop_back();
      if (f.jlo > f.jhi)
        continue;
      size_t j = f.jlo + (f.jhi - f.jlo) / 2;
      size_t best = f.olo;
      double bestValue = std::numeric_limits<double>::infinity();
      size_t last = std::min(f.ohi, j - 1);
      for (size_t i = f.olo; i <= last; ++i) {
        double v = prev[i] + rangeCost(i, j);
        if (v < bestValue) {
          bestValue = v;
          best = i;
        }
      }
      cur[j] = bestValue;
      arg[j] = uint32_t(best);
      if (j > f.jlo)
        stack.push_back({f.jlo, j - 1, f.olo, best});
      stack.push_back({j + 1, f.jhi, best, f.ohi});
    }
    bestCost[l - 1] = cur[m];
    std::swap(prev, cur);
  }
}

double OptimalClustering::rangeCost(size_t i, size_t j) const {
  double s0 = p0[j] - p0[i];
  if (!(s0 > 0.0))
    return 0.0;
  double s1 = p1[j] - p1[i];
  double v = (p2[j] - p2[i]) - s1 * s1 / s0;
  return v > 0.0 ? v : 0.0;
}

std::vector<float> OptimalClustering::centroids(unsigned k) const {
  const size_t m = atomEnd.size();
  std::vector<float> result;
  if (m == 0 || k == 0)
    return result;
  unsigned levels = unsigned(bestCost.size());
  unsigned l = std::min(std::min(k, maxK), levels);
  // Walk the split points back from (l, m).
  std::vector<size_t> bounds{m};
  size_t j = m;
  for (unsigned level = l; level >= 2; --level) {
    j = split[size_t(level - 1) * (m + 1) + j];
    bounds.push_back(j);
  }
  bounds.push_back(0);
  std::reverse(bounds.begin(), bounds.end());
  for (size_t c = 0; c + 1 < bounds.size(); ++c) {
    size_t a = bounds[c], b = bounds[c + 1];
    if (b <= a)
      continue;
    size_t lo = a == 0 ? 0 : atomEnd[a - 1], hi = atomEnd[b - 1];
    float mean = float(sample.mean(lo, hi));
    const std::vector<float> &x = sample.values();
    result.push_back(std::min(std::max(mean, x[lo]), x[hi - 1]));
  }
  sortUnique(result);
  return result;
}

double OptimalClustering::cost(unsigned k) const {
  if (bestCost.empty() || k == 0)
    return 0.0;
  return bestCost[std::min<size_t>(std::min(k, maxK), bestCost.size()) - 1];
}

//===----------------------------------------------------------------------===//
// k-means
//===----------------------------------------------------------------------===//

KMeansResult dc::kmeans1D(const std::vector<float> &values,
                          const KMeansOptions &options) {
  if (values.empty() || options.numClusters == 0)
    return {};
  return kmeans1D(SortedSample(sortValues(values)), options);
}

KMeansResult dc::kmeans1D(const SortedSample &sample,
                          const KMeansOptions &options) {
  KMeansResult result;
  const unsigned k = options.numClusters;
  const std::vector<float> &sorted = sample.values();
  if (sorted.empty() || k == 0)
    return result;
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

  std::mt19937_64 rng(options.seed);
  std::vector<float> c;
  KMeansInit init = options.init;
  if (init == KMeansInit::Optimal && k > kMaxOptimalClusters)
    init = KMeansInit::Density;
  switch (init) {
  case KMeansInit::Linear:
    if (k == 1) {
      c.push_back(float(sample.mean(0, n)));
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
    c = initPlusPlus(sorted, k, rng, sample);
    break;
  case KMeansInit::Optimal:
    c = OptimalClustering(sample, k).centroids(k);
    break;
  }
  return lloyd1D(sample, std::move(c), options);
}

KMeansResult dc::lloyd1D(const SortedSample &sample, std::vector<float> c,
                         const KMeansOptions &options) {
  KMeansResult result;
  const std::vector<float> &sorted = sample.values();
  if (sorted.empty())
    return result;
  sortUnique(c);
  const float minV = sorted.front(), maxV = sorted.back();
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
      float m = float(sample.mean(lo, hi));
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

double dc::quantizationError(const SortedSample &sample,
                             const std::vector<float> &centroids,
                             bool useWeights) {
  const std::vector<float> &sorted = sample.values();
  if (sorted.empty())
    return 0.0;
  if (centroids.empty())
    return useWeights ? sample.cost(0, sorted.size(), 0.0)
                      : sample.sumSquares(0, sorted.size());
  std::vector<size_t> ends = clusterEnds(sorted, centroids);
  double total = 0;
  for (size_t i = 0; i < centroids.size(); ++i) {
    size_t lo = i == 0 ? 0 : ends[i - 1];
    total += useWeights ? sample.cost(lo, ends[i], centroids[i])
                        : sample.unweightedCost(lo, ends[i], centroids[i]);
  }
  return total;
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
  else if (s == "optimal")
    init = KMeansInit::Optimal;
  else
    return false;
  return true;
}
