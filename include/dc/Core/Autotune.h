//===- Autotune.h - Per-layer search of compression settings ----*- C++ -*-===//
//
// Data-free search of one layer's sparsity, codebook width and relative-
// index width minimizing its encoded bytes subject to a bound on the
// relative L2 error ||w - w_hat|| / ||w|| of the reconstructed weights.
//
// The weights are sorted once. Magnitude pruning removes a window of the
// sorted values around zero, so the surviving values of any sparsity are
// two slices of that array (no re-sort); their clustering (the same
// kmeans1D, init=optimal, that dc-cluster then runs, so its error is the
// real one) and its squared error come from prefix sums. Sizes come from
// histograms: the value stream's symbol counts are the cluster sizes plus
// the fillers, the gap stream's follow from one histogram of raw gaps per
// sparsity for every index width, and the Huffman code lengths of those
// counts give the coded bytes exactly as the encoder produces them. The
// search: for each width 1..8 the largest sparsity on a 1/64 grid that
// meets the bound (bisection on a coarse 1/8 grid then refinement; the
// error grows with the sparsity), then every index width at that sparsity.
//
//===----------------------------------------------------------------------===//

#ifndef DC_CORE_AUTOTUNE_H
#define DC_CORE_AUTOTUNE_H

#include "dc/Core/CompressedTensor.h"
#include "dc/Core/KMeans.h"

#include <cstdint>
#include <vector>

namespace dc {

struct AutotuneOptions {
  double maxRelError = 0.1;
  unsigned minBits = 1, maxBits = 8;
  unsigned minIndexBits = 1, maxIndexBits = 8;
  StorageFormat format = StorageFormat::CSC;
  EntropyCoding entropy = EntropyCoding::Huffman;
};

struct AutotuneChoice {
  bool found = false;
  double sparsity = 0; // Fraction pruned (dc.config `sparsity`).
  unsigned bits = 0, indexBits = 0;
  double relError = 0;    // Of the reconstruction under this choice.
  uint64_t bytes = 0;     // bytes_pqh (bytes_pq with entropy none).
  unsigned evaluated = 0; // (sparsity, bits) pairs clustered.
};

/// Searches one layer (row-major weights of `shape`, finite), optionally
/// with importance weights (as dc-cluster uses them).
AutotuneChoice autotuneLayer(const std::vector<int64_t> &shape,
                             const std::vector<float> &weights,
                             const std::vector<float> &importance,
                             const AutotuneOptions &options);

/// The bytes and relative error that compressing `weights` with exactly
/// (sparsity, bits, indexBits, init=optimal) gives, predicted as the search
/// does (for tests against the real encoder).
void predictLayer(const std::vector<int64_t> &shape,
                  const std::vector<float> &weights,
                  const std::vector<float> &importance, double sparsity,
                  unsigned bits, unsigned indexBits,
                  const AutotuneOptions &options, uint64_t &bytes,
                  double &relError);

} // namespace dc

#endif // DC_CORE_AUTOTUNE_H
