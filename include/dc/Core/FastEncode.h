//===- FastEncode.h - Streaming encoders for the compression passes -*- C++ -*-===//
//
// Fast paths of the compression stages that work on packed streams and raw
// weights directly, without the n-element uint32 vectors of the generic
// encodeIndices / reencode. Every function here produces exactly the same
// CompressedTensor (byte for byte) as the generic path it replaces; when an
// input is not one they handle (corrupt payload, unusual parameters), they
// return false with `*handled = false` and the caller runs the generic path,
// which also yields the generic error message.
//
// Large loops are split into chunks run through an optional ParallelFor
// callback (e.g. a thread pool); results never depend on the chunking.
//
//===----------------------------------------------------------------------===//

#ifndef DC_CORE_FASTENCODE_H
#define DC_CORE_FASTENCODE_H

#include "dc/Core/CompressedTensor.h"

#include <cstddef>
#include <cstdint>
#include <functional>
#include <vector>

namespace dc {

/// Runs body(0) ... body(numTasks - 1), possibly concurrently. An empty
/// ParallelFor runs them in order on the calling thread.
using ParallelFor =
    std::function<void(size_t numTasks, const std::function<void(size_t)> &)>;

/// Runs `body` through `pfor` (or serially when empty).
void runParallel(const ParallelFor &pfor, size_t numTasks,
                 const std::function<void(size_t)> &body);

/// The cut that prunes the `k` smallest magnitudes of `w` (finite values),
/// ties broken by position: |w| < threshold is pruned, and so are the first
/// `ties` elements (by index) with |w| == threshold. Equivalent to taking
/// the k-th smallest |w| with nth_element on a copy, but works in place with
/// a two-level radix histogram of the magnitude bits (no O(n) copy).
/// k == 0 yields {0, 0}.
struct MagnitudeCut {
  float threshold = 0;
  uint64_t ties = 0;
};
MagnitudeCut smallestMagnitudeCut(const float *w, size_t n, uint64_t k,
                                  const ParallelFor &pfor = {});

/// Applies `cut` to `w` into `out` (n floats): out[i] = 0 for pruned
/// elements, w[i] otherwise (same rule as above).
void applyMagnitudeCut(const float *w, size_t n, const MagnitudeCut &cut,
                       float *out, const ParallelFor &pfor = {});

/// Nearest sorted centroid of a value, exactly as assignNearest computes it
/// (branchless search over double midpoints; ties to the lower index).
class NearestCentroid {
public:
  explicit NearestCentroid(const std::vector<float> &centroids);
  uint32_t operator()(float value) const {
    if (numMids == 0)
      return 0;
    const double x = value;
    const double *base = mids.data();
    size_t len = numMids;
    while (len > 1) {
      size_t half = len / 2;
      base = base[half] < x ? base + half : base;
      len -= half;
    }
    return uint32_t((base - mids.data()) + (*base < x ? 1 : 0));
  }

private:
  std::vector<double> mids;
  size_t numMids = 0;
};

/// Dense-format, fixed-width encoding of clustered weights: element i gets
/// index 0 if w[i] == 0, else 1 + nearest(centroids, w[i]) (centroids sorted
/// ascending, as from kmeans1D). The codebook is {0, centroids...}. Same
/// result as encodeIndices(shape, indices, codebook, {Dense, bits, ...,
/// None}) on those indices. Returns false (with *error) when the generic
/// path would fail (the caller may run it for the message).
bool encodeClusteredDense(const std::vector<int64_t> &shape, const float *w,
                          size_t n, const std::vector<float> &centroids,
                          unsigned bits, unsigned indexBits,
                          CompressedTensor &result, std::string *error,
                          const ParallelFor &pfor = {});

/// reencode(input, params) for a Dense, fixed-width, codebook-index input
/// and a sparse (CSC/CSR), fixed-width output with the same `bits`, working
/// on the packed stream (no decode to n elements). Returns false with
/// `*handled = false` when the input or parameters are outside that case or
/// the input does not validate; the caller then runs reencode.
bool reencodeDenseToSparse(const CompressedTensorView &input,
                           const EncodingParams &params,
                           CompressedTensor &result, bool *handled,
                           const ParallelFor &pfor = {});

/// reencode(input, params) where only the entropy changes from None to
/// Huffman (same format, bits and index bits), reading the fixed-width
/// streams directly. Sparse inputs must be in the canonical relative form
/// appendRelative produces (a filler has the largest gap and is followed by
/// another entry of its slice), which is what makes re-encoding keep the
/// entries; otherwise, or when the input does not validate, returns false
/// with `*handled = false`.
bool reencodeAddHuffman(const CompressedTensorView &input,
                        const EncodingParams &params, CompressedTensor &result,
                        bool *handled, const ParallelFor &pfor = {});

} // namespace dc

#endif // DC_CORE_FASTENCODE_H
