//===- PropertyTest.cpp - decompress(compress(w)) is exact ----------------===//
//
// Over 12,000 random finite tensors: prune (magnitude threshold), quantize
// (1-D k-means over the survivors, index 0 = exact zero), encode in a random
// format, entropy coder and index width, decode. The decoded tensor equals
// the pruned-and-quantized tensor bit for bit. Shapes include extents 0 and
// 1 and rank 0; data classes include all-zero, all-equal, denormals, mixed
// signs and magnitudes over many orders; every value bit width (1..16 and
// raw f32) and every index width (1..16) occurs. Deterministic seed.
//
//===----------------------------------------------------------------------===//

#include "dc/Core/CompressedTensor.h"
#include "dc/Core/KMeans.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <limits>
#include <random>

using namespace dc;

namespace {

std::vector<float> randomData(std::mt19937_64 &rng, uint64_t n, int kind) {
  std::vector<float> w(n, 0.0f);
  std::uniform_real_distribution<float> u(-1.0f, 1.0f);
  float equal = u(rng);
  for (float &v : w) {
    switch (kind) {
    case 0: // all zero (both signs)
      v = rng() % 2 ? 0.0f : -0.0f;
      break;
    case 1: // all equal
      v = equal;
      break;
    case 2: // denormals and zeros
      v = rng() % 3 ? std::numeric_limits<float>::denorm_min() *
                          float(1 + rng() % 1000) * (rng() % 2 ? 1 : -1)
                    : 0.0f;
      break;
    case 3: // many orders of magnitude
      v = std::ldexp(u(rng), int(rng() % 60) - 30);
      break;
    default: // plain
      v = u(rng);
      break;
    }
  }
  return w;
}

std::vector<int64_t> randomShape(std::mt19937_64 &rng) {
  static const int64_t extents[] = {0, 1, 1, 2, 3, 5, 8, 13};
  unsigned rank = rng() % 4;
  std::vector<int64_t> shape;
  for (unsigned i = 0; i < rank; ++i)
    shape.push_back(extents[rng() % std::size(extents)]);
  return shape;
}

bool sameBits(float a, float b) { return std::memcmp(&a, &b, 4) == 0; }

TEST(Property, DecompressOfCompressIsThePrunedQuantizedTensor) {
  std::mt19937_64 rng(20261201);
  const int kTensors = 12000;
  unsigned bitsSeen = 0, indexBitsSeen = 0;
  for (int t = 0; t < kTensors; ++t) {
    std::vector<int64_t> shape = randomShape(rng);
    uint64_t n = uint64_t(numElements(shape));
    std::vector<float> w = randomData(rng, n, int(rng() % 5));
    EncodingParams p;
    p.format = StorageFormat(rng() % 3);
    p.indexBits = 1 + rng() % 16;
    bool raw = rng() % 8 == 0;
    p.bits = raw ? kRawValueBits : 1 + rng() % 16;
    p.entropy = !raw && rng() % 2 ? EntropyCoding::Huffman
                                  : EntropyCoding::None;
    indexBitsSeen |= 1u << (p.indexBits - 1);
    if (!raw)
      bitsSeen |= 1u << (p.bits - 1);
    // Prune |w| < threshold (the median magnitude of a few samples).
    float threshold = n ? std::fabs(w[rng() % n]) : 0.0f;
    std::vector<float> pruned(w);
    for (float &v : pruned)
      if (std::fabs(v) < threshold)
        v = 0.0f;

    std::string error;
    CompressedTensor encoded;
    std::vector<float> expected;
    if (raw) {
      ASSERT_TRUE(encodeRaw(shape, pruned, p, encoded, &error)) << error;
      expected = pruned;
      if (p.format != StorageFormat::Dense)
        for (float &v : expected)
          if (v == 0.0f)
            v = 0.0f; // -0.0 is pruned to +0.0.
    } else {
      // Quantize the survivors to at most 2^bits - 1 centroids (capped so
      // 16-bit runs stay fast); entry 0 of the codebook is exact zero.
      std::vector<float> survivors;
      for (float v : pruned)
        if (v != 0.0f)
          survivors.push_back(v);
      KMeansOptions options;
      options.numClusters =
          unsigned(std::min<uint64_t>((uint64_t(1) << p.bits) - 1, 64));
      options.seed = uint64_t(t);
      std::vector<float> codebook = {0.0f};
      std::vector<uint32_t> indices(n, 0);
      if (!survivors.empty()) {
        KMeansResult km = kmeans1D(survivors, options);
        codebook.insert(codebook.end(), km.centroids.begin(),
                        km.centroids.end());
        std::vector<uint32_t> nearest = assignNearest(survivors, km.centroids);
        size_t k = 0;
        for (uint64_t i = 0; i < n; ++i)
          if (pruned[i] != 0.0f)
            indices[i] = 1 + nearest[k++];
      }
      ASSERT_TRUE(encodeIndices(shape, indices, codebook, p, encoded, &error))
          << error;
      expected.resize(n);
      for (uint64_t i = 0; i < n; ++i)
        expected[i] = codebook[indices[i]];
    }
    ASSERT_TRUE(verifyCompressedTensor(encoded.view(), &error)) << error;
    std::vector<float> decoded;
    ASSERT_TRUE(decompressToDense(encoded.view(), decoded, &error)) << error;
    ASSERT_EQ(decoded.size(), n);
    for (uint64_t i = 0; i < n; ++i)
      ASSERT_TRUE(sameBits(decoded[i], expected[i]))
          << "tensor " << t << " element " << i << ": " << decoded[i]
          << " != " << expected[i] << " (format "
          << stringifyFormat(p.format) << ", bits " << p.bits
          << ", index bits " << p.indexBits << ")";
  }
  EXPECT_EQ(bitsSeen, 0xFFFFu) << "every value bit width 1..16 occurs";
  EXPECT_EQ(indexBitsSeen, 0xFFFFu) << "every index bit width 1..16 occurs";
}

} // namespace
