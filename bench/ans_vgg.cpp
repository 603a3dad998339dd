//===- ans_vgg.cpp - rANS against the entropy bound on VGG-16 streams -----===//
//
// usage: build/bin/dc-ans-bench [SEED]
// For every VGG-16-shaped layer (unittests/Core/AnsVgg.h: random normal
// weights, the paper's pruning, 8/5-bit linear k-means, CSC, 5-bit gaps),
// prints per stream the symbols, the empirical order-0 entropy, the rANS
// bytes (table and flush included), their overhead over the bound, and
// canonical Huffman's bytes (with its length table) for comparison. Exits 1
// if a stream of >= 100,000 symbols is more than 0.5% above the bound or
// does not round-trip.
//
//===----------------------------------------------------------------------===//

#include "../unittests/Core/AnsVgg.h"

#include <cstdio>
#include <cstdlib>

int main(int argc, char **argv) {
  uint64_t seed = argc > 1 ? std::strtoull(argv[1], nullptr, 10) : 0;
  std::printf("%-8s %-7s %10s %14s %12s %9s %8s %12s %9s\n", "layer", "stream",
              "symbols", "entropy_B", "rans_B", "table_B", "over%", "huffman_B",
              "over%");
  int status = 0;
  double worst = 0;
  for (const dc::vgg::LayerShape &layer : dc::vgg::layers()) {
    dc::vgg::Streams streams;
    std::string error;
    if (!dc::vgg::makeStreams(layer, seed, streams, &error)) {
      std::fprintf(stderr, "%s: %s\n", layer.name, error.c_str());
      return 1;
    }
    for (int which = 0; which < 2; ++which) {
      const std::vector<uint32_t> &symbols =
          which ? streams.gaps : streams.values;
      unsigned bits = which ? streams.gapBits : streams.valueBits;
      dc::vgg::StreamFigures f = dc::vgg::measure(symbols, bits, &error);
      double huffOver =
          f.entropyBits > 0
              ? 800.0 * double(f.huffmanBytes) / f.entropyBits - 100.0
              : 0;
      std::printf("%-8s %-7s %10llu %14.1f %12llu %9llu %8.3f %12llu %9.3f\n",
                  layer.name, which ? "gaps" : "weights",
                  (unsigned long long)f.symbols, f.entropyBits / 8,
                  (unsigned long long)f.ansBytes,
                  (unsigned long long)f.tableBytes, 100.0 * f.overhead(),
                  (unsigned long long)f.huffmanBytes, huffOver);
      if (!f.roundTrip) {
        std::fprintf(stderr, "%s: round trip failed: %s\n", layer.name,
                     error.c_str());
        status = 1;
      }
      if (f.symbols >= 100000) {
        worst = std::max(worst, f.overhead());
        if (f.overhead() > 0.005)
          status = 1;
      }
    }
  }
  std::printf("worst overhead on streams of >= 100000 symbols: %.3f%%\n",
              100.0 * worst);
  return status;
}
