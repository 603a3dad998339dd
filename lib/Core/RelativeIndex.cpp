//===- RelativeIndex.cpp - Relative indices with filler entries -----------===//

#include "dc/Core/RelativeIndex.h"

#include <cassert>

using namespace dc;

uint64_t dc::appendRelative(const uint32_t *dense, uint64_t length,
                            uint64_t stride, unsigned indexBits,
                            std::vector<uint32_t> &values,
                            std::vector<uint32_t> &gaps) {
  assert(indexBits >= 1 && indexBits <= 16 && "indexBits out of range");
  const uint64_t maxGap = (uint64_t(1) << indexBits) - 1;
  uint64_t fillers = 0;
  uint64_t run = 0; // Zeros since the previous entry (or slice start).
  const uint32_t *p = dense;
  for (uint64_t i = 0; i < length; ++i, p += stride) {
    uint32_t v = *p;
    if (v == 0) {
      ++run;
      continue;
    }
    while (run > maxGap) {
      // The filler occupies the (maxGap + 1)-th zero.
      values.push_back(0);
      gaps.push_back(uint32_t(maxGap));
      ++fillers;
      run -= maxGap + 1;
    }
    values.push_back(v);
    gaps.push_back(uint32_t(run));
    run = 0;
  }
  return fillers;
}

RelativeSlice dc::encodeRelative(const std::vector<uint32_t> &dense,
                                 unsigned indexBits) {
  RelativeSlice slice;
  slice.fillers = appendRelative(dense.data(), dense.size(), 1, indexBits,
                                 slice.values, slice.gaps);
  return slice;
}

bool dc::decodeRelative(const uint32_t *values, const uint32_t *gaps,
                        uint64_t numEntries, uint64_t length,
                        std::vector<uint32_t> &dense) {
  // The entries are checked against `length` before the slice is allocated:
  // a declared length is not trusted until the entries fit in it.
  dense.clear();
  uint64_t pos = 0;
  for (uint64_t i = 0; i < numEntries; ++i) {
    pos += gaps[i];
    if (pos >= length)
      return false;
    ++pos;
  }
  dense.assign(length, 0);
  pos = 0;
  for (uint64_t i = 0; i < numEntries; ++i) {
    pos += gaps[i];
    dense[pos] = values[i];
    ++pos;
  }
  return true;
}
