//===- FastEncodeTest.cpp - Fast paths match the generic encoders ---------===//

#include "dc/Core/FastEncode.h"

#include "dc/Core/BitStream.h"
#include "dc/Core/KMeans.h"

#include "gtest/gtest.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <random>
#include <thread>

using namespace dc;

namespace {

/// Runs the tasks in reverse order, so that results cannot depend on it.
const ParallelFor kReverse = [](size_t n,
                                const std::function<void(size_t)> &body) {
  for (size_t i = n; i-- > 0;)
    body(i);
};

/// Two real threads.
const ParallelFor kThreads = [](size_t n,
                                const std::function<void(size_t)> &body) {
  std::thread other([&] {
    for (size_t i = 1; i < n; i += 2)
      body(i);
  });
  for (size_t i = 0; i < n; i += 2)
    body(i);
  other.join();
};

void expectSame(const CompressedTensor &a, const CompressedTensor &b) {
  EXPECT_EQ(a.shape, b.shape);
  EXPECT_EQ(a.params.format, b.params.format);
  EXPECT_EQ(a.params.bits, b.params.bits);
  EXPECT_EQ(a.params.indexBits, b.params.indexBits);
  EXPECT_EQ(a.params.entropy, b.params.entropy);
  EXPECT_EQ(a.codebook, b.codebook);
  EXPECT_EQ(a.pointers, b.pointers);
  EXPECT_EQ(a.values, b.values);
  for (size_t i = 0; i < std::min(a.values.size(), b.values.size()); ++i)
    if (a.values[i] != b.values[i]) {
      ADD_FAILURE() << "first value byte difference at " << i << " of "
                    << a.values.size() << ": " << int(a.values[i]) << " vs "
                    << int(b.values[i]);
      break;
    }
  EXPECT_EQ(a.gaps, b.gaps);
  EXPECT_EQ(a.valueCodeLengths, b.valueCodeLengths);
  EXPECT_EQ(a.gapCodeLengths, b.gapCodeLengths);
  EXPECT_EQ(a.numEntries, b.numEntries);
  EXPECT_EQ(a.numFillers, b.numFillers);
}

/// The reference cut: nth_element on a copy of the magnitudes.
MagnitudeCut referenceCut(const std::vector<float> &w, uint64_t k) {
  if (k == 0)
    return {};
  std::vector<float> mags(w.size());
  for (size_t i = 0; i < w.size(); ++i)
    mags[i] = std::fabs(w[i]);
  std::nth_element(mags.begin(), mags.begin() + (k - 1), mags.end());
  float t = mags[k - 1];
  uint64_t below = 0;
  for (uint64_t i = 0; i + 1 < k; ++i)
    below += mags[i] < t;
  return {t, k - below};
}

std::vector<float> referenceApply(const std::vector<float> &w,
                                  MagnitudeCut cut) {
  std::vector<float> out(w.size());
  uint64_t ties = cut.ties;
  for (size_t i = 0; i < w.size(); ++i) {
    float a = std::fabs(w[i]);
    bool prune = a < cut.threshold;
    if (a == cut.threshold && ties != 0) {
      prune = true;
      --ties;
    }
    out[i] = prune ? 0.0f : w[i];
  }
  return out;
}

std::vector<float> randomWeights(size_t n, unsigned seed, int distinct = 0) {
  std::mt19937_64 rng(seed);
  std::normal_distribution<float> normal(0.0f, 0.02f);
  std::vector<float> w(n);
  for (float &v : w) {
    v = normal(rng);
    if (distinct > 0) // Many ties.
      v = float(int(v * 1000) % distinct) * 0.25f;
  }
  return w;
}

bool sameBits(const std::vector<float> &a, const std::vector<float> &b) {
  return a.size() == b.size() &&
         std::memcmp(a.data(), b.data(), a.size() * sizeof(float)) == 0;
}

TEST(FastEncode, MagnitudeCutMatchesNthElement) {
  for (int distinct : {0, 7}) {
    for (size_t n : {size_t(1), size_t(5), size_t(1000), size_t(3000001)}) {
      std::vector<float> w = randomWeights(n, unsigned(n), distinct);
      if (n > 10) {
        w[3] = -0.0f;
        w[4] = 0.0f;
      }
      for (double fraction : {0.0, 0.3, 0.5, 0.96, 1.0}) {
        uint64_t k = uint64_t(std::llround(fraction * double(n)));
        MagnitudeCut expected = referenceCut(w, k);
        for (const ParallelFor &pfor : {ParallelFor(), kReverse, kThreads}) {
          MagnitudeCut cut = smallestMagnitudeCut(w.data(), n, k, pfor);
          EXPECT_EQ(cut.threshold, expected.threshold) << n << " " << fraction;
          EXPECT_EQ(cut.ties, expected.ties) << n << " " << fraction;
          std::vector<float> out(n);
          applyMagnitudeCut(w.data(), n, cut, out.data(), pfor);
          EXPECT_TRUE(sameBits(out, referenceApply(w, expected)));
        }
      }
    }
  }
}

TEST(FastEncode, ThresholdCutMatches) {
  std::vector<float> w = randomWeights(2500000, 3, 9);
  w[0] = -0.0f;
  w[1] = 0.0f;
  w[2] = std::numeric_limits<float>::infinity();
  w[3] = std::nanf("");
  w[4] = -std::nanf("");
  const float inf = std::numeric_limits<float>::infinity();
  for (float t : {0.5f, 0.25f, 0.0f, -0.0f, -1.0f, inf, std::nanf("")})
    for (uint64_t ties : {uint64_t(0), uint64_t(1), uint64_t(100000),
                          uint64_t(1) << 40}) {
      MagnitudeCut cut{t, ties};
      std::vector<float> out(w.size());
      applyMagnitudeCut(w.data(), w.size(), cut, out.data(), kThreads);
      EXPECT_TRUE(sameBits(out, referenceApply(w, cut))) << t << " " << ties;
    }
}

TEST(FastEncode, NearestCentroidMatchesAssignNearest) {
  std::vector<float> values = randomWeights(100000, 5);
  for (size_t k : {0, 1, 2, 3, 31, 255}) {
    std::vector<float> c;
    for (size_t i = 0; i < k; ++i)
      c.push_back(-0.06f + 0.12f * float(i) / float(std::max<size_t>(1, k)));
    // Include exact midpoints.
    if (k >= 2)
      values.push_back(float(0.5 * (double(c[0]) + double(c[1]))));
    std::vector<uint32_t> expected = assignNearest(values, c);
    NearestCentroid nearest(c);
    for (size_t i = 0; i < values.size(); ++i)
      ASSERT_EQ(nearest(values[i]), expected[i]) << k << " " << i;
  }
}

/// Pruned, clustered weights and the generic dense encoding of them.
struct Clustered {
  std::vector<int64_t> shape;
  std::vector<float> w, centroids;
  CompressedTensor dense;
};

Clustered makeClustered(std::vector<int64_t> shape, double kept,
                        unsigned bits, unsigned indexBits, unsigned seed) {
  Clustered c;
  c.shape = shape;
  size_t n = size_t(numElements(shape));
  c.w = randomWeights(n, seed);
  std::mt19937_64 rng(seed + 1);
  std::uniform_real_distribution<double> u(0, 1);
  std::vector<float> survivors;
  for (float &v : c.w) {
    if (u(rng) >= kept || v == 0.0f) // (Normal samples can be 0.)
      v = 0;
    else
      survivors.push_back(v);
  }
  KMeansOptions o;
  o.numClusters = (1u << bits) - 1;
  if (!survivors.empty())
    c.centroids = kmeans1D(survivors, o).centroids;
  std::vector<uint32_t> si = assignNearest(survivors, c.centroids);
  std::vector<uint32_t> indices(n, 0);
  size_t next = 0;
  for (size_t i = 0; i < n; ++i)
    if (c.w[i] != 0.0f)
      indices[i] = si[next++] + 1;
  std::vector<float> codebook{0.0f};
  codebook.insert(codebook.end(), c.centroids.begin(), c.centroids.end());
  EncodingParams p;
  p.format = StorageFormat::Dense;
  p.bits = bits;
  p.indexBits = indexBits;
  std::string error;
  EXPECT_TRUE(encodeIndices(shape, indices, codebook, p, c.dense, &error))
      << error;
  return c;
}

const std::vector<std::vector<int64_t>> kShapes = {
    {1}, {7}, {3, 5}, {64, 3, 3, 3}, {300, 41}, {1000, 1300}, {2, 0, 4}};

TEST(FastEncode, ClusteredDenseMatchesEncodeIndices) {
  for (const std::vector<int64_t> &shape : kShapes)
    for (unsigned bits : {1u, 2u, 5u, 8u, 13u})
      for (double kept : {0.0, 0.04, 0.5, 1.0}) {
        Clustered c = makeClustered(shape, kept, bits, 5, bits + 17);
        SCOPED_TRACE(testing::Message() << "numel " << numElements(shape)
                                        << " bits " << bits << " kept "
                                        << kept);
        for (const ParallelFor &pfor : {ParallelFor(), kReverse, kThreads}) {
          CompressedTensor fast;
          std::string error;
          ASSERT_TRUE(encodeClusteredDense(shape, c.w.data(), c.w.size(),
                                           c.centroids, bits, 5, fast, &error,
                                           pfor))
              << error;
          expectSame(fast, c.dense);
        }
      }
}

TEST(FastEncode, SparseAndHuffmanMatchReencode) {
  for (const std::vector<int64_t> &shape : kShapes)
    for (unsigned bits : {1u, 3u, 5u, 8u})
      for (double kept : {0.0, 0.01, 0.04, 0.35, 1.0})
        for (unsigned indexBits : {1u, 2u, 5u, 16u}) {
          Clustered c = makeClustered(shape, kept, bits, 5, bits * 7 + 1);
          for (StorageFormat format :
               {StorageFormat::CSC, StorageFormat::CSR}) {
            EncodingParams p = c.dense.params;
            p.format = format;
            p.indexBits = indexBits;
            CompressedTensor expected;
            std::string error;
            ASSERT_TRUE(reencode(c.dense.view(), p, expected, &error))
                << error;
            EncodingParams h = p;
            h.entropy = EntropyCoding::Huffman;
            CompressedTensor expectedH;
            ASSERT_TRUE(reencode(expected.view(), h, expectedH, &error))
                << error;
            for (const ParallelFor &pfor :
                 {ParallelFor(), kReverse, kThreads}) {
              CompressedTensor fast;
              bool handled = false;
              ASSERT_TRUE(reencodeDenseToSparse(c.dense.view(), p, fast,
                                                &handled, pfor));
              EXPECT_TRUE(handled);
              expectSame(fast, expected);
              CompressedTensor fastH;
              ASSERT_TRUE(
                  reencodeAddHuffman(fast.view(), h, fastH, &handled, pfor));
              expectSame(fastH, expectedH);
            }
          }
          // Dense Huffman too.
          EncodingParams h = c.dense.params;
          h.entropy = EntropyCoding::Huffman;
          CompressedTensor expectedH, fastH;
          std::string error;
          ASSERT_TRUE(reencode(c.dense.view(), h, expectedH, &error));
          bool handled = false;
          ASSERT_TRUE(reencodeAddHuffman(c.dense.view(), h, fastH, &handled));
          expectSame(fastH, expectedH);
        }
}

TEST(FastEncode, DeclinesWhatItDoesNotHandle) {
  Clustered c = makeClustered({40, 30}, 0.2, 3, 4, 9);
  // Out-of-range index: declined, the generic path reports it.
  CompressedTensor bad = c.dense;
  bad.codebook.resize(2);
  EncodingParams p = bad.params;
  p.format = StorageFormat::CSC;
  CompressedTensor out;
  bool handled = true;
  EXPECT_FALSE(reencodeDenseToSparse(bad.view(), p, out, &handled));
  EXPECT_FALSE(handled);
  // A non-canonical filler (gap below the maximum) is declined.
  CompressedTensor sparse;
  std::string error;
  ASSERT_TRUE(reencode(c.dense.view(), p, sparse, &error));
  std::vector<uint32_t> values, gaps;
  unpackFixedWidth(sparse.values.data(), sparse.values.size(),
                   sparse.numEntries, p.bits, values);
  ASSERT_FALSE(values.empty());
  values[0] = 0; // An explicit zero with a small gap.
  sparse.values = packFixedWidth(values, p.bits);
  EncodingParams h = p;
  h.entropy = EntropyCoding::Huffman;
  EXPECT_FALSE(reencodeAddHuffman(sparse.view(), h, out, &handled));
  EXPECT_FALSE(handled);
  // Changing the format is not adding Huffman coding.
  h.format = StorageFormat::CSR;
  EXPECT_FALSE(reencodeAddHuffman(sparse.view(), h, out, &handled));
}

} // namespace
