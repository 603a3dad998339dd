//===- FastEncode.cpp - Streaming encoders for the compression passes -----===//
//
// See FastEncode.h. Packed fixed-width streams are read with unaligned
// little-endian loads (LSB-first packing, as in BitStream.cpp) and written
// in chunks of a multiple of 8 entries, so that chunks start on byte
// boundaries and can be packed independently.
//
//===----------------------------------------------------------------------===//

#include "dc/Core/FastEncode.h"

#include "dc/Core/BitStream.h"
#include "dc/Core/Huffman.h"

#include <algorithm>
#include <cmath>
#include <cstring>

using namespace dc;

void dc::runParallel(const ParallelFor &pfor, size_t numTasks,
                     const std::function<void(size_t)> &body) {
  if (numTasks == 0)
    return;
  if (!pfor || numTasks == 1) {
    for (size_t i = 0; i < numTasks; ++i)
      body(i);
    return;
  }
  pfor(numTasks, body);
}

namespace {

/// Number of tasks for `n` units of work with at least `grain` per task.
size_t numTasksFor(uint64_t n, uint64_t grain, size_t maxTasks = 64) {
  if (n <= grain)
    return 1;
  return size_t(std::min<uint64_t>(maxTasks, (n + grain - 1) / grain));
}

/// [begin, end) of task `t` of `numTasks` over `n` items, begin rounded to
/// a multiple of `align`.
void taskRange(uint64_t n, size_t numTasks, size_t t, uint64_t align,
               uint64_t &begin, uint64_t &end) {
  auto at = [&](size_t i) -> uint64_t {
    if (i >= numTasks)
      return n;
    uint64_t b = n / numTasks * i;
    b -= b % align;
    return b;
  };
  begin = at(t);
  end = at(t + 1);
}

inline uint32_t magnitudeBits(float v) {
  uint32_t bits;
  std::memcpy(&bits, &v, 4);
  return bits & 0x7FFFFFFFu;
}


/// Reads the fixed-width field `index` (width <= 16) of a packed stream.
inline uint32_t readField(const uint8_t *bytes, size_t size, uint64_t index,
                          unsigned width) {
  uint64_t bit = index * width;
  return uint32_t(loadLE64(bytes, size, size_t(bit / 8)) >> (bit % 8)) &
         ((1u << width) - 1u);
}

/// Calls f(i, v) for every nonzero field of [begin, end) of a packed stream
/// of `width`-bit fields (width <= 16), skipping runs of zero fields a
/// machine word at a time.
template <typename F>
inline void forEachNonzeroField(const uint8_t *bytes, size_t size,
                                uint64_t begin, uint64_t end, unsigned width,
                                F f) {
  const unsigned perWord = 56 / width; // Fields in one load (>= 3).
  const uint32_t mask = (1u << width) - 1u;
  uint64_t i = begin;
  while (i < end) {
    uint64_t bit = i * width;
    uint64_t window = loadLE64(bytes, size, size_t(bit / 8)) >> (bit % 8);
    uint64_t count = std::min<uint64_t>(perWord, end - i);
    uint64_t fieldsMask =
        count * width >= 64 ? ~uint64_t(0)
                            : ((uint64_t(1) << (count * width)) - 1);
    window &= fieldsMask;
    while (window != 0) {
      unsigned tz = unsigned(__builtin_ctzll(window));
      unsigned field = tz / width;
      uint32_t v = uint32_t(window >> (field * width)) & mask;
      f(i + field, v);
      window &= ~(uint64_t(mask) << (field * width));
    }
    i += count;
  }
}

/// Packs values[begin, end) (each < 2^width) into `out` starting at the
/// byte of entry `begin` (begin * width must be a multiple of 8, or begin
/// must be 0). The last partial byte is written, not merged.
template <typename T>
void packRange(const T *values, uint64_t begin, uint64_t end, unsigned width,
               uint8_t *out) {
  uint8_t *p = out + (begin * width) / 8;
  uint64_t acc = 0;
  unsigned accBits = 0;
  for (uint64_t i = begin; i < end; ++i) {
    acc |= uint64_t(values[i]) << accBits;
    accBits += width;
    while (accBits >= 8) {
      *p++ = uint8_t(acc);
      acc >>= 8;
      accBits -= 8;
    }
  }
  if (accBits > 0)
    *p = uint8_t(acc);
}

/// Packs `count` values in parallel chunks of a multiple of 8 entries.
template <typename T>
std::vector<uint8_t> packParallel(const T *values, uint64_t count,
                                  unsigned width, const ParallelFor &pfor) {
  std::vector<uint8_t> out(packedBytes(count, width), 0);
  size_t tasks = numTasksFor(count, uint64_t(1) << 20);
  runParallel(pfor, tasks, [&](size_t t) {
    uint64_t b, e;
    taskRange(count, tasks, t, 8, b, e);
    packRange(values, b, e, width, out.data());
  });
  return out;
}

/// Cumulative search in a histogram: the bucket holding the `rank`-th
/// (1-based) element and the number of elements in earlier buckets.
void findRank(const std::vector<uint64_t> &hist, uint64_t rank,
              uint32_t &bucket, uint64_t &before) {
  uint64_t cum = 0;
  for (size_t b = 0; b < hist.size(); ++b) {
    if (cum + hist[b] >= rank) {
      bucket = uint32_t(b);
      before = cum;
      return;
    }
    cum += hist[b];
  }
  bucket = uint32_t(hist.size() - 1);
  before = cum;
}

bool isSparseFormat(StorageFormat f) { return f != StorageFormat::Dense; }

void matrixGeometry(const std::vector<int64_t> &shape, uint64_t &rows,
                    uint64_t &cols) {
  int64_t r, c;
  matrixDims(shape, r, c);
  rows = uint64_t(r);
  cols = uint64_t(c);
}

} // namespace

//===----------------------------------------------------------------------===//
// Pruning
//===----------------------------------------------------------------------===//

MagnitudeCut dc::smallestMagnitudeCut(const float *w, size_t n, uint64_t k,
                                      const ParallelFor &pfor) {
  MagnitudeCut cut;
  if (k == 0 || n == 0)
    return cut;
  if (k > n)
    k = n;
  // Level 1: the high 15 bits of |w| (the sign bit is cleared).
  constexpr size_t kHigh = 1u << 15, kLow = 1u << 16;
  size_t tasks = numTasksFor(n, uint64_t(1) << 20, 16);
  std::vector<std::vector<uint64_t>> local(tasks);
  runParallel(pfor, tasks, [&](size_t t) {
    uint64_t b, e;
    taskRange(n, tasks, t, 1, b, e);
    std::vector<uint64_t> &h = local[t];
    h.assign(kHigh, 0);
    for (uint64_t i = b; i < e; ++i)
      ++h[magnitudeBits(w[i]) >> 16];
  });
  std::vector<uint64_t> hist(kHigh, 0);
  for (const std::vector<uint64_t> &h : local)
    for (size_t i = 0; i < kHigh; ++i)
      hist[i] += h[i];
  uint32_t high;
  uint64_t before1;
  findRank(hist, k, high, before1);
  // Level 2: the low 16 bits within that bucket.
  runParallel(pfor, tasks, [&](size_t t) {
    uint64_t b, e;
    taskRange(n, tasks, t, 1, b, e);
    std::vector<uint64_t> &h = local[t];
    h.assign(kLow, 0);
    for (uint64_t i = b; i < e; ++i) {
      uint32_t m = magnitudeBits(w[i]);
      if ((m >> 16) == high)
        ++h[m & 0xFFFFu];
    }
  });
  hist.assign(kLow, 0);
  for (const std::vector<uint64_t> &h : local)
    for (size_t i = 0; i < kLow; ++i)
      hist[i] += h[i];
  uint32_t low;
  uint64_t before2;
  findRank(hist, k - before1, low, before2);
  uint32_t bits = (high << 16) | low;
  std::memcpy(&cut.threshold, &bits, 4);
  cut.ties = k - (before1 + before2);
  return cut;
}

void dc::applyMagnitudeCut(const float *w, size_t n, const MagnitudeCut &cut,
                           float *out, const ParallelFor &pfor) {
  const float t = cut.threshold;
  size_t tasks = numTasksFor(n, uint64_t(1) << 20);
  // Ties pruned before each task, when only some of the ties are pruned.
  std::vector<uint64_t> tiesBefore(tasks, 0);
  bool positional = false;
  if (cut.ties != 0) {
    std::vector<uint64_t> equal(tasks, 0);
    runParallel(pfor, tasks, [&](size_t k) {
      uint64_t b, e, c = 0;
      taskRange(n, tasks, k, 1, b, e);
      for (uint64_t i = b; i < e; ++i)
        c += std::fabs(w[i]) == t;
      equal[k] = c;
    });
    uint64_t total = 0;
    for (size_t k = 0; k < tasks; ++k) {
      tiesBefore[k] = total;
      total += equal[k];
    }
    positional = total > cut.ties;
  }
  runParallel(pfor, tasks, [&](size_t k) {
    uint64_t b, e;
    taskRange(n, tasks, k, 1, b, e);
    uint32_t tBits;
    std::memcpy(&tBits, &t, 4);
    if (!positional && tBits > 0x7F800000u) {
      // Negative or NaN threshold: the generic comparison.
      for (uint64_t i = b; i < e; ++i) {
        float a = std::fabs(w[i]);
        out[i] = (a < t || (a == t && cut.ties != 0)) ? 0.0f : w[i];
      }
      return;
    }
    if (!positional) {
      // Every tie (if any) is pruned: a plain comparison, branch-free on the
      // bits (for finite values, magnitude order is the order of the
      // magnitude bits; the threshold is in [+0, +inf] here).
      // Keep iff |w| > t (ties pruned) or |w| >= t (ties kept).
      uint32_t keepAbove = cut.ties != 0 ? tBits : tBits - 1;
      const uint32_t *in = reinterpret_cast<const uint32_t *>(w);
      uint32_t *o = reinterpret_cast<uint32_t *>(out);
      if (cut.ties == 0 && tBits == 0) {
        // Nothing is below 0.
        std::memcpy(o + b, in + b, (e - b) * 4);
        return;
      }
      for (uint64_t i = b; i < e; ++i) {
        uint32_t v = in[i];
        uint32_t keep = uint32_t(-int32_t((v & 0x7FFFFFFFu) > keepAbove));
        o[i] = v & keep;
      }
      return;
    }
    uint64_t ties =
        cut.ties > tiesBefore[k] ? cut.ties - tiesBefore[k] : uint64_t(0);
    for (uint64_t i = b; i < e; ++i) {
      float a = std::fabs(w[i]);
      bool prune = a < t;
      if (a == t && ties != 0) {
        prune = true;
        --ties;
      }
      out[i] = prune ? 0.0f : w[i];
    }
  });
}

//===----------------------------------------------------------------------===//
// Clustering
//===----------------------------------------------------------------------===//

NearestCentroid::NearestCentroid(const std::vector<float> &centroids) {
  if (centroids.size() <= 1)
    return;
  numMids = centroids.size() - 1;
  mids.resize(numMids);
  for (size_t i = 0; i < numMids; ++i)
    mids[i] = 0.5 * (double(centroids[i]) + double(centroids[i + 1]));
}

bool dc::encodeClusteredDense(const std::vector<int64_t> &shape, const float *w,
                              size_t n, const std::vector<float> &centroids,
                              unsigned bits, unsigned indexBits,
                              CompressedTensor &result, std::string *error,
                              const ParallelFor &pfor) {
  // What encodeIndices checks; the caller runs it for the message.
  if (bits < 1 || bits > 16 || centroids.size() + 1 > (size_t(1) << bits)) {
    if (error)
      *error = "unsupported parameters";
    return false;
  }
  for (int64_t d : shape)
    if (d < 0 || (d != 0 && uint64_t(d) > (uint64_t(1) << 48))) {
      if (error)
        *error = "unsupported shape";
      return false;
    }
  for (float c : centroids)
    if (!std::isfinite(c)) {
      if (error)
        *error = "non-finite centroid";
      return false;
    }
  if (uint64_t(numElements(shape)) != n) {
    if (error)
      *error = "shape mismatch";
    return false;
  }
  CompressedTensor out;
  out.shape = shape;
  out.params.format = StorageFormat::Dense;
  out.params.bits = bits;
  out.params.indexBits = indexBits;
  out.params.entropy = EntropyCoding::None;
  out.codebook.reserve(centroids.size() + 1);
  out.codebook.push_back(0.0f);
  out.codebook.insert(out.codebook.end(), centroids.begin(), centroids.end());
  out.numEntries = n;
  out.values.assign(packedBytes(n, bits), 0);
  NearestCentroid nearest(centroids);
  const bool any = !centroids.empty();
  size_t tasks = numTasksFor(n, uint64_t(1) << 20);
  uint8_t *dst = out.values.data();
  runParallel(pfor, tasks, [&](size_t t) {
    uint64_t b, e;
    taskRange(n, tasks, t, 8, b, e);
    uint8_t *p = dst + (b * bits) / 8;
    uint64_t acc = 0;
    unsigned accBits = 0;
    for (uint64_t i = b; i < e; ++i) {
      float v = w[i];
      uint32_t index = (v != 0.0f && any) ? nearest(v) + 1 : 0;
      acc |= uint64_t(index) << accBits;
      accBits += bits;
      while (accBits >= 8) {
        *p++ = uint8_t(acc);
        acc >>= 8;
        accBits -= 8;
      }
    }
    if (accBits > 0)
      *p = uint8_t(acc);
  });
  result = std::move(out);
  return true;
}

//===----------------------------------------------------------------------===//
// Sparse encoding
//===----------------------------------------------------------------------===//

bool dc::reencodeDenseToSparse(const CompressedTensorView &input,
                               const EncodingParams &params,
                               CompressedTensor &result, bool *handled,
                               const ParallelFor &pfor) {
  *handled = false;
  const EncodingParams &ip = input.params;
  if (ip.format != StorageFormat::Dense || ip.entropy != EntropyCoding::None ||
      ip.codebookRows != 0 || params.codebookRows != 0 ||
      ip.bits < 1 || ip.bits > 16 || !isSparseFormat(params.format) ||
      params.entropy != EntropyCoding::None || params.bits != ip.bits ||
      params.indexBits < 1 || params.indexBits > 16)
    return false;
  if (!verifyCompressedTensor(input, nullptr))
    return false;
  const unsigned width = ip.bits, indexBits = params.indexBits;
  const uint64_t span = uint64_t(1) << indexBits; // maxGap + 1
  const uint64_t codebookSize = input.codebook.size;
  uint64_t rows, cols;
  matrixGeometry(input.shape, rows, cols);
  const bool csc = params.format == StorageFormat::CSC;
  const uint64_t numSlices = csc ? cols : rows;
  const uint8_t *bytes = input.values.data;
  const size_t size = input.values.size;

  // Tasks own disjoint ranges of slices: columns (CSC) or rows (CSR).
  size_t tasks = numTasksFor(rows * cols, uint64_t(1) << 20);
  tasks = std::max<size_t>(1, std::min<uint64_t>(tasks, numSlices));
  auto sliceRange = [&](size_t t, uint64_t &b, uint64_t &e) {
    taskRange(numSlices, tasks, t, 1, b, e);
  };
  // Pass 1: entries per slice (fillers included); index range check.
  std::vector<uint64_t> counts(numSlices, 0);
  std::vector<char> bad(tasks, 0);
  std::vector<int64_t> last; // CSC: last stored row of each column.
  if (csc)
    last.assign(numSlices, -1);
  runParallel(pfor, tasks, [&](size_t t) {
    uint64_t s0, s1;
    sliceRange(t, s0, s1);
    if (s0 == s1)
      return;
    bool failed = false;
    if (csc) {
      for (uint64_t r = 0; r < rows; ++r) {
        uint64_t base = r * cols;
        forEachNonzeroField(bytes, size, base + s0, base + s1, width,
                            [&](uint64_t i, uint32_t v) {
                              uint64_t c = i - base;
                              failed |= v >= codebookSize;
                              uint64_t run = uint64_t(int64_t(r) - last[c] - 1);
                              counts[c] += 1 + run / span;
                              last[c] = int64_t(r);
                            });
      }
    } else {
      for (uint64_t r = s0; r < s1; ++r) {
        uint64_t base = r * cols;
        int64_t prev = -1;
        uint64_t count = 0;
        forEachNonzeroField(bytes, size, base, base + cols, width,
                            [&](uint64_t i, uint32_t v) {
                              failed |= v >= codebookSize;
                              uint64_t pos = i - base;
                              uint64_t run = uint64_t(int64_t(pos) - prev - 1);
                              count += 1 + run / span;
                              prev = int64_t(pos);
                            });
        counts[r] = count;
      }
    }
    bad[t] = failed;
  });
  for (char b : bad)
    if (b)
      return false; // Out-of-range index: the generic path reports it.
  CompressedTensor out;
  out.shape = input.shape;
  out.params = params;
  out.codebook.assign(input.codebook.begin(), input.codebook.end());
  out.pointers.resize(numSlices + 1);
  uint64_t total = 0;
  out.pointers[0] = 0;
  for (uint64_t s = 0; s < numSlices; ++s) {
    total += counts[s];
    if (total > UINT32_MAX)
      return false; // The generic path reports the overflow.
    out.pointers[s + 1] = uint32_t(total);
  }
  std::vector<uint64_t>().swap(counts);
  // Pass 2: the entries, as 16-bit values and gaps at their final places.
  std::vector<uint16_t> values(total), gaps(total);
  std::vector<uint64_t> fillers(tasks, 0);
  if (csc)
    last.assign(numSlices, -1);
  runParallel(pfor, tasks, [&](size_t t) {
    uint64_t s0, s1;
    sliceRange(t, s0, s1);
    if (s0 == s1)
      return;
    uint64_t numFillers = 0;
    // Stores the entry `run` zeros after the previous one at `e`, with the
    // fillers it needs first.
    auto emit = [&](uint32_t &e, uint64_t run, uint32_t v) {
      for (uint64_t f = run / span; f > 0; --f) {
        values[e] = 0;
        gaps[e] = uint16_t(span - 1);
        ++e;
        ++numFillers;
      }
      values[e] = uint16_t(v);
      gaps[e] = uint16_t(run % span);
      ++e;
    };
    if (csc) {
      std::vector<uint32_t> cursor(out.pointers.begin() + s0,
                                   out.pointers.begin() + s1);
      for (uint64_t r = 0; r < rows; ++r) {
        uint64_t base = r * cols;
        forEachNonzeroField(
            bytes, size, base + s0, base + s1, width,
            [&](uint64_t i, uint32_t v) {
              uint64_t c = i - base;
              emit(cursor[c - s0], uint64_t(int64_t(r) - last[c] - 1), v);
              last[c] = int64_t(r);
            });
      }
    } else {
      for (uint64_t r = s0; r < s1; ++r) {
        uint64_t base = r * cols;
        int64_t prev = -1;
        uint32_t e = out.pointers[r];
        forEachNonzeroField(bytes, size, base, base + cols, width,
                            [&](uint64_t i, uint32_t v) {
                              uint64_t pos = i - base;
                              emit(e, uint64_t(int64_t(pos) - prev - 1), v);
                              prev = int64_t(pos);
                            });
      }
    }
    fillers[t] = numFillers;
  });
  std::vector<int64_t>().swap(last);
  for (uint64_t f : fillers)
    out.numFillers += f;
  out.numEntries = total;
  out.values = packParallel(values.data(), total, width, pfor);
  std::vector<uint16_t>().swap(values);
  out.gaps = packParallel(gaps.data(), total, indexBits, pfor);
  result = std::move(out);
  *handled = true;
  return true;
}

//===----------------------------------------------------------------------===//
// Entropy coding
//===----------------------------------------------------------------------===//

namespace {

/// Huffman-codes the `count` fixed-width fields of `packed` as encodeStream
/// does for the decoded symbols.
void huffmanFromPacked(const uint8_t *packed, size_t size, uint64_t count,
                       unsigned width, const std::vector<uint64_t> &freq,
                       std::vector<uint8_t> &stream,
                       std::vector<uint8_t> &codeLengths) {
  stream.clear();
  codeLengths.clear();
  if (count == 0)
    return;
  codeLengths = buildHuffmanCodeLengths(freq);
  while (!codeLengths.empty() && codeLengths.back() == 0)
    codeLengths.pop_back();
  std::vector<uint32_t> codes = canonicalHuffmanCodes(codeLengths);
  // Bit-reversed codes (LSB-first stream) and lengths over the alphabet.
  std::vector<uint32_t> rev(size_t(1) << width, 0);
  std::vector<uint8_t> len(size_t(1) << width, 0);
  uint64_t total = 0;
  for (size_t s = 0; s < codeLengths.size(); ++s) {
    unsigned l = codeLengths[s];
    uint32_t r = 0;
    for (unsigned i = 0; i < l; ++i)
      r |= ((codes[s] >> (l - 1 - i)) & 1u) << i;
    rev[s] = r;
    len[s] = uint8_t(l);
    total += freq[s] * l;
  }
  stream.assign((total + 7) / 8, 0);
  uint8_t *p = stream.data();
  uint64_t acc = 0;
  unsigned accBits = 0;
  const uint32_t mask = (1u << width) - 1u;
  uint64_t bit = 0;
  for (uint64_t i = 0; i < count; ++i, bit += width) {
    uint32_t s =
        uint32_t(loadLE64(packed, size, size_t(bit / 8)) >> (bit % 8)) & mask;
    acc |= uint64_t(rev[s]) << accBits;
    accBits += len[s];
    while (accBits >= 8) {
      *p++ = uint8_t(acc);
      acc >>= 8;
      accBits -= 8;
    }
  }
  if (accBits > 0)
    *p++ = uint8_t(acc);
}

/// Histogram of the `count` fields of a packed stream, in parallel.
std::vector<uint64_t> fieldHistogram(const uint8_t *packed, size_t size,
                                     uint64_t count, unsigned width,
                                     const ParallelFor &pfor) {
  const size_t alphabet = size_t(1) << width;
  size_t tasks = numTasksFor(count, uint64_t(1) << 20, 16);
  std::vector<std::vector<uint64_t>> local(tasks);
  const uint32_t mask = (1u << width) - 1u;
  runParallel(pfor, tasks, [&](size_t t) {
    uint64_t b, e;
    taskRange(count, tasks, t, 1, b, e);
    std::vector<uint64_t> &h = local[t];
    h.assign(alphabet, 0);
    uint64_t bit = b * width;
    for (uint64_t i = b; i < e; ++i, bit += width)
      ++h[uint32_t(loadLE64(packed, size, size_t(bit / 8)) >> (bit % 8)) & mask];
  });
  std::vector<uint64_t> hist(alphabet, 0);
  for (const std::vector<uint64_t> &h : local)
    for (size_t i = 0; i < alphabet; ++i)
      hist[i] += h[i];
  return hist;
}

} // namespace

bool dc::reencodeAddHuffman(const CompressedTensorView &input,
                            const EncodingParams &params,
                            CompressedTensor &result, bool *handled,
                            const ParallelFor &pfor) {
  *handled = false;
  const EncodingParams &ip = input.params;
  const bool sparse = isSparseFormat(ip.format);
  // Per-group codebooks (group-local index ranges) take the generic path.
  if (ip.entropy != EntropyCoding::None || ip.codebookRows != 0 ||
      params.codebookRows != 0 ||
      params.entropy != EntropyCoding::Huffman || ip.bits < 1 ||
      ip.bits > 16 || params.bits != ip.bits || params.format != ip.format ||
      (sparse && params.indexBits != ip.indexBits))
    return false;
  if (!verifyCompressedTensor(input, nullptr))
    return false;
  const uint64_t numEntries = input.numEntries;
  std::vector<uint64_t> valueFreq = fieldHistogram(
      input.values.data, input.values.size, numEntries, ip.bits, pfor);
  for (size_t s = input.codebook.size; s < valueFreq.size(); ++s)
    if (valueFreq[s] != 0)
      return false; // Out-of-range index: the generic path reports it.
  uint64_t numFillers = 0;
  std::vector<uint64_t> gapFreq;
  if (sparse) {
    // Positions stay inside their slice; fillers are canonical.
    uint64_t rows, cols;
    matrixGeometry(input.shape, rows, cols);
    const uint64_t sliceLength =
        ip.format == StorageFormat::CSC ? rows : cols;
    const uint64_t numSlices = input.pointers.size - 1;
    const uint32_t maxGap = (1u << ip.indexBits) - 1u;
    gapFreq.assign(size_t(1) << ip.indexBits, 0);
    for (uint64_t s = 0; s < numSlices; ++s) {
      uint64_t pos = 0;
      uint64_t end = input.pointers[s + 1];
      for (uint64_t e = input.pointers[s]; e < end; ++e) {
        uint32_t gap = readField(input.gaps.data, input.gaps.size, e,
                                 ip.indexBits);
        pos += gap;
        if (pos >= sliceLength)
          return false;
        ++pos;
        ++gapFreq[gap];
        if (readField(input.values.data, input.values.size, e, ip.bits) == 0) {
          if (gap != maxGap || e + 1 == end)
            return false; // Not canonical: re-encoding would change it.
          ++numFillers;
        }
      }
    }
  }
  CompressedTensor out;
  out.shape = input.shape;
  out.params = params;
  out.codebook.assign(input.codebook.begin(), input.codebook.end());
  out.pointers.assign(input.pointers.begin(), input.pointers.end());
  out.numEntries = numEntries;
  out.numFillers = numFillers;
  huffmanFromPacked(input.values.data, input.values.size, numEntries, ip.bits,
                    valueFreq, out.values, out.valueCodeLengths);
  if (sparse)
    huffmanFromPacked(input.gaps.data, input.gaps.size, numEntries,
                      ip.indexBits, gapFreq, out.gaps, out.gapCodeLengths);
  result = std::move(out);
  *handled = true;
  return true;
}
