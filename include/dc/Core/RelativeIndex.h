//===- RelativeIndex.h - Relative indices with filler entries ---*- C++ -*-===//
//
// The paper's sparse layout: each stored entry records the number of zeros
// skipped since the previous stored entry of the same column (CSC) or row
// (CSR) in `indexBits` bits. A gap larger than 2^indexBits - 1 is bridged by
// a filler entry (value index 0, i.e. exact zero) placed 2^indexBits - 1
// zeros after the previous entry. EIE's example with indexBits = 4:
//   [0,0,1,2,0 x18,3] -> values [1,2,0,3], gaps [2,0,15,2].
//
//===----------------------------------------------------------------------===//

#ifndef DC_CORE_RELATIVEINDEX_H
#define DC_CORE_RELATIVEINDEX_H

#include <cstdint>
#include <vector>

namespace dc {

/// One 1-D slice (a column for CSC, a row for CSR) encoded relatively.
struct RelativeSlice {
  std::vector<uint32_t> values; // Codebook index (or raw payload) per entry.
  std::vector<uint32_t> gaps;   // Zeros skipped before each entry.
  uint64_t fillers = 0;         // Entries that are fillers.
};

/// Encodes the nonzero entries of `dense` (a slice; 0 means pruned) with
/// `indexBits`-wide gaps, inserting fillers. `indexBits` in 1..16.
RelativeSlice encodeRelative(const std::vector<uint32_t> &dense,
                             unsigned indexBits);

/// Allocation-free variant of encodeRelative (added for the tensor encoder):
/// encodes the `length` elements dense[0], dense[stride], ... and appends
/// the entries to `values` / `gaps`. Returns the number of fillers added.
uint64_t appendRelative(const uint32_t *dense, uint64_t length, uint64_t stride,
                        unsigned indexBits, std::vector<uint32_t> &values,
                        std::vector<uint32_t> &gaps);

/// Expands entries back into a slice of `length` elements; returns false if
/// an entry lands past `length` (corrupt input), with `dense` empty.
bool decodeRelative(const uint32_t *values, const uint32_t *gaps,
                    uint64_t numEntries, uint64_t length,
                    std::vector<uint32_t> &dense);

} // namespace dc

#endif // DC_CORE_RELATIVEINDEX_H
