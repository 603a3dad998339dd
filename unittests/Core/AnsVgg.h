//===- AnsVgg.h - VGG-16-shaped weight and gap streams ----------*- C++ -*-===//
//
// Shared by the rANS gtest and bench/ans_vgg.cpp: the value (codebook
// index) and gap streams that dc-compress produces for a VGG-16-shaped
// layer with random normal weights (sigma 0.02, as bench/compress_gen.py),
// pruned to the paper's kept fraction (Han et al., Table 5), clustered with
// linear k-means into 8 (conv) or 5 (fc) bits, CSC with 5-bit relative
// indices: the core encoder's streams, decoded back to symbols.
//
//===----------------------------------------------------------------------===//

#ifndef DC_UNITTESTS_ANSVGG_H
#define DC_UNITTESTS_ANSVGG_H

#include "dc/Core/Ans.h"
#include "dc/Core/CompressedTensor.h"
#include "dc/Core/FastEncode.h"
#include "dc/Core/Huffman.h"
#include "dc/Core/KMeans.h"

#include <cmath>
#include <random>
#include <string>
#include <vector>

namespace dc {
namespace vgg {

struct LayerShape {
  const char *name;
  std::vector<int64_t> shape; // conv FCHW, fc [in, out].
  double kept;
};

inline const std::vector<LayerShape> &layers() {
  static const std::vector<LayerShape> all = {
      {"conv1_1", {64, 3, 3, 3}, 0.58},    {"conv1_2", {64, 64, 3, 3}, 0.22},
      {"conv2_1", {128, 64, 3, 3}, 0.34},  {"conv2_2", {128, 128, 3, 3}, 0.36},
      {"conv3_1", {256, 128, 3, 3}, 0.53}, {"conv3_2", {256, 256, 3, 3}, 0.24},
      {"conv3_3", {256, 256, 3, 3}, 0.42}, {"conv4_1", {512, 256, 3, 3}, 0.32},
      {"conv4_2", {512, 512, 3, 3}, 0.27}, {"conv4_3", {512, 512, 3, 3}, 0.34},
      {"conv5_1", {512, 512, 3, 3}, 0.35}, {"conv5_2", {512, 512, 3, 3}, 0.29},
      {"conv5_3", {512, 512, 3, 3}, 0.36}, {"fc6", {25088, 4096}, 0.04},
      {"fc7", {4096, 4096}, 0.04},         {"fc8", {4096, 1000}, 0.23}};
  return all;
}

struct Streams {
  std::vector<uint32_t> values, gaps;
  unsigned valueBits = 0, gapBits = 5;
};

/// The streams of one layer; false with `error` on an encoder failure.
inline bool makeStreams(const LayerShape &layer, uint64_t seed, Streams &out,
                        std::string *error) {
  const int64_t n = numElements(layer.shape);
  std::vector<float> w(static_cast<size_t>(n));
  std::mt19937_64 rng(seed);
  std::normal_distribution<float> normal(0.0f, 0.02f);
  for (float &v : w)
    v = normal(rng);
  uint64_t pruned = uint64_t(std::llround((1.0 - layer.kept) * double(n)));
  MagnitudeCut cut = smallestMagnitudeCut(w.data(), w.size(), pruned);
  applyMagnitudeCut(w.data(), w.size(), cut, w.data());
  const bool conv = layer.shape.size() == 4;
  out.valueBits = conv ? 8 : 5;
  std::vector<float> survivors;
  for (float v : w)
    if (v != 0.0f)
      survivors.push_back(v);
  KMeansOptions options;
  options.numClusters = (1u << out.valueBits) - 1;
  std::vector<float> centroids = kmeans1D(survivors, options).centroids;
  std::vector<float>().swap(survivors);
  NearestCentroid nearest(centroids);
  std::vector<uint32_t> indices(w.size(), 0);
  for (size_t i = 0; i < w.size(); ++i)
    if (w[i] != 0.0f)
      indices[i] = nearest(w[i]) + 1;
  std::vector<float>().swap(w);
  std::vector<float> codebook{0.0f};
  codebook.insert(codebook.end(), centroids.begin(), centroids.end());
  EncodingParams params;
  params.format = StorageFormat::CSC;
  params.bits = out.valueBits;
  params.indexBits = out.gapBits;
  params.entropy = EntropyCoding::None;
  CompressedTensor tensor;
  if (!encodeIndices(layer.shape, indices, codebook, params, tensor, error))
    return false;
  DecodedEntries entries;
  if (!decodeEntries(tensor.view(), entries, error))
    return false;
  out.values = std::move(entries.values);
  out.gaps = std::move(entries.gaps);
  return true;
}

struct StreamFigures {
  uint64_t symbols = 0;
  double entropyBits = 0; // Empirical order-0 bound.
  uint64_t ansBytes = 0;  // rANS stream + table.
  uint64_t tableBytes = 0;
  uint64_t huffmanBytes = 0; // Canonical Huffman stream + length table.
  bool roundTrip = false;
  double overhead() const { // (ans bits / entropy bits) - 1.
    return entropyBits > 0 ? 8.0 * double(ansBytes) / entropyBits - 1 : 0;
  }
};

inline StreamFigures measure(const std::vector<uint32_t> &symbols,
                             unsigned bits, std::string *error) {
  StreamFigures f;
  f.symbols = symbols.size();
  const uint32_t alphabet = uint32_t(1) << bits;
  std::vector<uint64_t> counts(alphabet, 0);
  for (uint32_t s : symbols)
    ++counts[s];
  f.entropyBits = empiricalEntropyBits(counts);
  std::vector<uint8_t> lengths = buildHuffmanCodeLengths(counts);
  uint64_t huffmanBits = 0;
  size_t tableLength = 0;
  for (size_t s = 0; s < lengths.size(); ++s) {
    huffmanBits += counts[s] * lengths[s];
    if (lengths[s])
      tableLength = s + 1;
  }
  f.huffmanBytes = (huffmanBits + 7) / 8 + tableLength;
  std::vector<uint8_t> table, stream;
  if (!ansEncode(symbols, alphabet, table, stream, error))
    return f;
  f.ansBytes = table.size() + stream.size();
  f.tableBytes = table.size();
  std::vector<uint32_t> decoded;
  f.roundTrip =
      ansDecode(table.data(), table.size(), stream.data(), stream.size(),
                symbols.size(), alphabet, decoded, error) &&
      decoded == symbols;
  return f;
}

} // namespace vgg
} // namespace dc

#endif // DC_UNITTESTS_ANSVGG_H
