//===- Autotune.cpp - Per-layer search of compression settings ------------===//

#include "dc/Core/Autotune.h"

#include "dc/Core/Ans.h"

#include "dc/Core/FastEncode.h"
#include "dc/Core/Huffman.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <map>

using namespace dc;

namespace {

constexpr unsigned kGrid = 64; // Sparsity j / kGrid, j in [0, kGrid).
constexpr size_t kSearchAtoms = kMaxExactAtoms / 4;

struct Layer {
  std::vector<int64_t> shape;
  const std::vector<float> &w;
  const std::vector<float> &importance;
  int64_t rows = 0, cols = 0;
  SortedSample all; // Every weight, sorted (weighted by importance).
  double sumSquares = 0;

  Layer(const std::vector<int64_t> &shape, const std::vector<float> &w,
        const std::vector<float> &importance)
      : shape(shape), w(w), importance(importance),
        all(SortedSample::fromValues(w, importance.empty() ? nullptr
                                                           : &importance)) {
    matrixDims(shape, rows, cols);
    sumSquares = all.sumSquares(0, all.size());
  }
};

/// The magnitude cut of pruning `k` weights (as smallestMagnitudeCut),
/// found on the sorted values: the smallest t with #(|v| <= t) >= k.
struct Cut {
  float t = 0;
  uint64_t ties = 0;     // Elements with |v| == t pruned (first by index).
  uint64_t tieCount = 0; // Elements with |v| == t.
};

size_t lowerIndex(const std::vector<float> &x, float v) {
  return size_t(std::lower_bound(x.begin(), x.end(), v) - x.begin());
}
size_t upperIndex(const std::vector<float> &x, float v) {
  return size_t(std::upper_bound(x.begin(), x.end(), v) - x.begin());
}
uint64_t countAtMost(const std::vector<float> &x, float t) {
  return upperIndex(x, t) - lowerIndex(x, -t);
}

Cut findCut(const std::vector<float> &x, uint64_t k) {
  Cut cut;
  if (k == 0)
    return cut;
  // Bisection on the bit pattern of t >= 0 (monotone in the value).
  float maxAbs = std::max(std::fabs(x.front()), std::fabs(x.back()));
  uint32_t lo = 0, hi;
  std::memcpy(&hi, &maxAbs, 4);
  while (lo < hi) {
    uint32_t mid = lo + (hi - lo) / 2;
    float t;
    std::memcpy(&t, &mid, 4);
    if (countAtMost(x, t) >= k)
      hi = mid;
    else
      lo = mid + 1;
  }
  std::memcpy(&cut.t, &lo, 4);
  uint64_t atMost = countAtMost(x, cut.t);
  uint64_t less =
      cut.t == 0.0f ? 0 : countAtMost(x, std::nextafter(cut.t, 0.0f));
  cut.tieCount = atMost - less;
  cut.ties = k - less;
  return cut;
}

/// The survivors of pruning by `cut`, as a sorted sample taken from the
/// sorted weights: values below -t, `negTies` values equal to -t, `posTies`
/// values equal to t and values above t (zeros never survive).
SortedSample survivors(const Layer &layer, const Cut &cut, uint64_t negTies,
                       uint64_t posTies) {
  const std::vector<float> &x = layer.all.values();
  const std::vector<float> &wt = layer.all.weights();
  size_t lowEnd, highBegin;
  if (cut.t == 0.0f) {
    lowEnd = lowerIndex(x, 0.0f);
    highBegin = upperIndex(x, 0.0f);
  } else {
    lowEnd = lowerIndex(x, -cut.t) + negTies;
    highBegin = upperIndex(x, cut.t) - posTies;
  }
  std::vector<float> v, weights;
  v.reserve(lowEnd + (x.size() - highBegin));
  v.insert(v.end(), x.begin(), x.begin() + lowEnd);
  v.insert(v.end(), x.begin() + highBegin, x.end());
  if (!wt.empty()) {
    weights.reserve(v.size());
    weights.insert(weights.end(), wt.begin(), wt.begin() + lowEnd);
    weights.insert(weights.end(), wt.begin() + highBegin, wt.end());
  }
  return SortedSample(std::move(v), std::move(weights));
}

uint64_t pruneCount(const Layer &layer, unsigned j) {
  return uint64_t(
      std::llround(double(j) / double(kGrid) * double(layer.w.size())));
}

KMeansOptions clusterOptions(unsigned bits) {
  KMeansOptions o;
  o.numClusters = (1u << bits) - 1;
  o.init = KMeansInit::Optimal;
  return o;
}

struct Clustered {
  std::vector<float> centroids;
  double relError = 0;
};

Clustered cluster(const Layer &layer, const SortedSample &sample,
                  unsigned bits) {
  Clustered c;
  if (sample.size())
    c.centroids = kmeans1D(sample, clusterOptions(bits)).centroids;
  double err = layer.sumSquares - sample.sumSquares(0, sample.size()) +
               quantizationError(sample, c.centroids, false);
  c.relError = layer.sumSquares > 0
                   ? std::sqrt(std::max(0.0, err) / layer.sumSquares)
                   : 0.0;
  return c;
}

/// The exact survivors of a cut (ties by index) and the histogram of raw
/// gaps (zeros before each survivor in its slice).
struct Exact {
  uint64_t negTies = 0, posTies = 0;
  std::vector<uint64_t> gapHistogram;
  uint64_t numSlices = 0;
};

Exact exactPass(const Layer &layer, const Cut &cut, StorageFormat format) {
  Exact e;
  const bool csc = format == StorageFormat::CSC;
  const uint64_t rows = uint64_t(layer.rows), cols = uint64_t(layer.cols);
  e.numSlices = csc ? cols : rows;
  e.gapHistogram.assign(size_t(csc ? rows : cols) + 1, 0);
  std::vector<int64_t> last(csc ? size_t(cols) : 0, -1);
  uint64_t tieRank = 0;
  const float *w = layer.w.data();
  for (uint64_t r = 0; r < rows; ++r) {
    int64_t lastInRow = -1;
    for (uint64_t c = 0; c < cols; ++c) {
      float v = w[r * cols + c];
      if (v == 0.0f)
        continue;
      float a = std::fabs(v);
      bool keep = a > cut.t;
      if (a == cut.t) {
        keep = tieRank++ >= cut.ties;
        if (keep)
          ++(v < 0 ? e.negTies : e.posTies);
      }
      if (!keep)
        continue;
      if (csc) {
        ++e.gapHistogram[size_t(int64_t(r) - last[c] - 1)];
        last[c] = int64_t(r);
      } else {
        ++e.gapHistogram[size_t(int64_t(c) - lastInRow - 1)];
        lastInRow = int64_t(c);
      }
    }
  }
  return e;
}

uint64_t streamBytes(const std::vector<uint64_t> &counts, unsigned width,
                     uint64_t entries, EntropyCoding entropy) {
  if (entropy == EntropyCoding::None)
    return (entries * width + 7) / 8;
  if (entries == 0)
    return 0;
  if (entropy == EntropyCoding::Ans) {
    // The table rANS will choose and its exact size (table, state flush and
    // stream), without encoding.
    uint64_t bits = 0;
    chooseAnsTable(counts, &bits);
    return (bits + 7) / 8;
  }
  std::vector<uint8_t> lengths = buildHuffmanCodeLengths(counts);
  uint64_t bits = 0;
  size_t table = 0;
  for (size_t s = 0; s < lengths.size(); ++s) {
    bits += counts[s] * lengths[s];
    if (lengths[s])
      table = s + 1;
  }
  return (bits + 7) / 8 + table;
}

/// Bytes of the layer encoded with `centroids` over `sample` (the exact
/// survivors) and gap histogram `e` at `indexBits`.
uint64_t encodedBytes(const SortedSample &sample,
                      const std::vector<float> &centroids, unsigned bits,
                      const Exact &e, unsigned indexBits,
                      EntropyCoding entropy) {
  const uint64_t maxGap = (uint64_t(1) << indexBits) - 1;
  std::vector<uint64_t> gapCounts(size_t(maxGap) + 1, 0);
  uint64_t fillers = 0;
  for (size_t g = 0; g < e.gapHistogram.size(); ++g) {
    uint64_t n = e.gapHistogram[g];
    if (!n)
      continue;
    uint64_t f = g / (maxGap + 1);
    fillers += f * n;
    gapCounts[size_t(maxGap)] += f * n;
    gapCounts[size_t(g % (maxGap + 1))] += n;
  }
  std::vector<uint64_t> valueCounts(size_t(1) << bits, 0);
  valueCounts[0] = fillers;
  std::vector<size_t> ends = clusterEnds(sample.values(), centroids);
  for (size_t i = 0; i < centroids.size(); ++i)
    valueCounts[i + 1] = ends[i] - (i ? ends[i - 1] : 0);
  uint64_t entries = sample.size() + fillers;
  return streamBytes(valueCounts, bits, entries, entropy) +
         streamBytes(gapCounts, indexBits, entries, entropy) +
         4 * (1 + uint64_t(centroids.size())) + 4 * (e.numSlices + 1);
}

} // namespace

void dc::predictLayer(const std::vector<int64_t> &shape,
                      const std::vector<float> &weights,
                      const std::vector<float> &importance, double sparsity,
                      unsigned bits, unsigned indexBits,
                      const AutotuneOptions &options, uint64_t &bytes,
                      double &relError) {
  Layer layer(shape, weights, importance);
  uint64_t k = uint64_t(std::llround(sparsity * double(weights.size())));
  Cut cut = weights.empty() ? Cut() : findCut(layer.all.values(), k);
  Exact e = exactPass(layer, cut, options.format);
  SortedSample sample = survivors(layer, cut, e.negTies, e.posTies);
  Clustered c = cluster(layer, sample, bits);
  relError = c.relError;
  bytes =
      encodedBytes(sample, c.centroids, bits, e, indexBits, options.entropy);
}

AutotuneChoice dc::autotuneLayer(const std::vector<int64_t> &shape,
                                 const std::vector<float> &weights,
                                 const std::vector<float> &importance,
                                 const AutotuneOptions &options) {
  AutotuneChoice best;
  if (weights.empty())
    return best;
  Layer layer(shape, weights, importance);
  // A hair of margin: the compressor's float arithmetic may differ from the
  // prefix sums in the last bits.
  const double bound = options.maxRelError * (1 - 1e-7);
  // Per grid point j, the relative error of every width from one dynamic
  // program up to the widest codebook (its centroids before Lloyd's
  // polish, which only lowers the unweighted error; the final choice is
  // checked with the real clustering).
  std::map<unsigned, std::vector<double>> errors;
  auto error = [&](unsigned j, unsigned bits) {
    auto it = errors.find(j);
    if (it == errors.end()) {
      Cut cut = findCut(layer.all.values(), pruneCount(layer, j));
      // Ties split by sign as they come in the sorted order (the exact split
      // is taken for the final choice).
      uint64_t survive = cut.t == 0.0f ? 0 : cut.tieCount - cut.ties;
      const std::vector<float> &x = layer.all.values();
      uint64_t negCount =
          cut.t == 0.0f ? 0 : upperIndex(x, -cut.t) - lowerIndex(x, -cut.t);
      uint64_t neg = std::min(survive, negCount);
      SortedSample sample = survivors(layer, cut, neg, survive - neg);
      std::vector<double> e(options.maxBits + 1, 0.0);
      // A coarser DP (kSearchAtoms): its cost bounds the real clustering's
      // from above, 4x cheaper.
      OptimalClustering dp(sample, (1u << options.maxBits) - 1, kSearchAtoms);
      double pruned = layer.sumSquares - sample.sumSquares(0, sample.size());
      for (unsigned b = options.minBits; b <= options.maxBits; ++b) {
        double err = pruned + quantizationError(
                                  sample, dp.centroids((1u << b) - 1), false);
        e[b] = layer.sumSquares > 0
                   ? std::sqrt(std::max(0.0, err) / layer.sumSquares)
                   : 0.0;
      }
      ++best.evaluated;
      it = errors.emplace(j, std::move(e)).first;
    }
    return it->second[bits];
  };
  for (unsigned bits = options.minBits; bits <= options.maxBits; ++bits) {
    if (error(0, bits) > bound)
      continue;
    // Largest feasible j: the coarse grid (every 8th) first, then refine.
    unsigned lo = 0, hi = kGrid - 1;
    while (lo < hi) { // Invariant: lo feasible.
      unsigned mid = (lo + hi + 1) / 2;
      if (error(mid, bits) <= bound)
        lo = mid;
      else
        hi = mid - 1;
    }
    // Final: the exact survivors, the real clustering (stepping down the
    // grid in the rare case it misses the bound), every index width.
    Exact e;
    SortedSample sample({});
    Clustered c;
    bool ok = false;
    for (unsigned j = lo + 1; j-- > 0;) {
      Cut cut = findCut(layer.all.values(), pruneCount(layer, j));
      e = exactPass(layer, cut, options.format);
      sample = survivors(layer, cut, e.negTies, e.posTies);
      c = cluster(layer, sample, bits);
      if (c.relError <= bound) {
        ok = true;
        lo = j;
        break;
      }
    }
    if (!ok)
      continue;
    double sparsity = double(lo) / double(kGrid);
    for (unsigned ib = options.minIndexBits; ib <= options.maxIndexBits; ++ib) {
      uint64_t bytes =
          encodedBytes(sample, c.centroids, bits, e, ib, options.entropy);
      if (!best.found || bytes < best.bytes ||
          (bytes == best.bytes && c.relError < best.relError)) {
        best.found = true;
        best.sparsity = sparsity;
        best.bits = bits;
        best.indexBits = ib;
        best.bytes = bytes;
        best.relError = c.relError;
      }
    }
    // A wider codebook cannot prune more than everything the grid allows.
    if (lo == kGrid - 1)
      break;
  }
  return best;
}
