//===- TileLayout.cpp - laggard-window tiles for batch-1 kernels ----------===//

#include "dc/Core/TileLayout.h"

#include <algorithm>

using namespace dc;

bool dc::buildTileLayout(int64_t m, int64_t k, const uint64_t *rowStart,
                         const uint32_t *cols, const uint32_t *codes,
                         TileLayout &out, std::string &err) {
  constexpr unsigned L = TileLayout::kLanes, W = TileLayout::kWindow,
                     S = TileLayout::kSteps, F = TileLayout::kFieldBits;
  out = TileLayout();
  out.m = m;
  out.k = k;
  if (m < 0 || k < 0 || k > TileLayout::kMaxK) {
    err = "tile layout: K = " + std::to_string(k) + " is past " +
          std::to_string(TileLayout::kMaxK);
    return false;
  }
  for (int64_t i = 0; i < m; ++i)
    for (uint64_t e = rowStart[i]; e < rowStart[i + 1]; ++e) {
      if (codes[e] == 0 || codes[e] > TileLayout::kMaxCode) {
        err = "tile layout: codebook index " + std::to_string(codes[e]) +
              " outside 1..31";
        return false;
      }
      if (int64_t(cols[e]) >= k ||
          (e > rowStart[i] && cols[e] <= cols[e - 1])) {
        err = "tile layout: columns of row " + std::to_string(i) +
              " not increasing within K";
        return false;
      }
    }
  out.nonzeros = m > 0 ? rowStart[m] - rowStart[0] : 0;
  int64_t strips = out.numStrips();
  int64_t maxStart = k >= int64_t(W) ? k - W : 0;
  out.stripOffsets.push_back(0);
  for (int64_t g = 0; g < strips; ++g) {
    uint64_t p[L], e[L];
    for (unsigned l = 0; l < L; ++l) {
      int64_t r = g * L + l;
      p[l] = r < m ? rowStart[r] : 0;
      e[l] = r < m ? rowStart[r + 1] : 0;
    }
    for (;;) {
      int64_t s = INT64_MAX;
      for (unsigned l = 0; l < L; ++l)
        if (p[l] < e[l])
          s = std::min<int64_t>(s, cols[p[l]]);
      if (s == INT64_MAX)
        break;
      s = std::min(s, maxStart);
      out.starts.push_back(uint16_t(s));
      for (unsigned l = 0; l < L; ++l) {
        uint32_t word = 0;
        for (unsigned j = 0; j < S && p[l] < e[l] && cols[p[l]] < s + W;
             ++j, ++p[l])
          word |= (uint32_t(cols[p[l]] - s) | codes[p[l]] << 5) << (F * j);
        out.words.push_back(word);
      }
    }
    if (out.starts.size() > size_t(INT32_MAX)) {
      err = "tile layout: too many tiles for 32-bit offsets";
      return false;
    }
    out.stripOffsets.push_back(int32_t(out.starts.size()));
  }
  return true;
}

std::vector<TileEntry> dc::decodeTileLayout(const TileLayout &t) {
  constexpr unsigned L = TileLayout::kLanes, F = TileLayout::kFieldBits;
  std::vector<TileEntry> out;
  for (int64_t g = 0; g < t.numStrips(); ++g)
    for (int32_t i = t.stripOffsets[g]; i < t.stripOffsets[g + 1]; ++i)
      for (unsigned l = 0; l < L; ++l)
        for (unsigned j = 0; j < TileLayout::kSteps; ++j) {
          uint32_t f = (t.words[size_t(i) * L + l] >> (F * j)) & 1023;
          if (f >> 5)
            out.push_back({g * L + l, int64_t(t.starts[i]) + (f & 31), f >> 5});
        }
  return out;
}

void dc::tileLayoutMatvec(const TileLayout &t, const float *cb,
                          const float *x, float *y) {
  constexpr unsigned L = TileLayout::kLanes, F = TileLayout::kFieldBits;
  for (int64_t g = 0; g < t.numStrips(); ++g) {
    float acc[TileLayout::kSteps][L] = {};
    for (int32_t i = t.stripOffsets[g]; i < t.stripOffsets[g + 1]; ++i)
      for (unsigned l = 0; l < L; ++l)
        for (unsigned j = 0; j < TileLayout::kSteps; ++j) {
          uint32_t f = (t.words[size_t(i) * L + l] >> (F * j)) & 1023;
          acc[j][l] += cb[f >> 5] * x[t.starts[i] + (f & 31)];
        }
    for (unsigned l = 0; l < L && g * L + l < t.m; ++l)
      y[g * L + l] = acc[0][l] + acc[1][l] + acc[2][l];
  }
}
