//===- TileLayout.cpp - laggard-window tiles for batch-1 kernels ----------===//

#include "dc/Core/TileLayout.h"

#include <algorithm>

using namespace dc;

namespace {

/// Checks the CSR and walks its laggard windows: for each strip, each tile
/// (`tile(start)`), each lane, the lane's up to `steps` next entries in the
/// window (`entry(lane, step, columnInWindow, code)`), then `strip()` at the
/// end of each strip.
template <typename TileFn, typename EntryFn, typename StripFn>
bool walkWindows(int64_t m, int64_t k, const uint64_t *rowStart,
                 const uint32_t *cols, const uint32_t *codes, unsigned steps,
                 std::string &err, TileFn tile, EntryFn entry, StripFn strip) {
  constexpr unsigned L = TileLayout::kLanes, W = TileLayout::kWindow;
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
  int64_t strips = (m + L - 1) / L;
  int64_t maxStart = k >= int64_t(W) ? k - W : 0;
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
      tile(s);
      for (unsigned l = 0; l < L; ++l)
        for (unsigned j = 0; j < steps && p[l] < e[l] && cols[p[l]] < s + W;
             ++j, ++p[l])
          entry(l, j, uint32_t(cols[p[l]] - s), codes[p[l]]);
    }
    if (!strip())
      return false;
  }
  return true;
}

} // namespace

bool dc::buildTileLayout(int64_t m, int64_t k, const uint64_t *rowStart,
                         const uint32_t *cols, const uint32_t *codes,
                         TileLayout &out, std::string &err) {
  constexpr unsigned L = TileLayout::kLanes, F = TileLayout::kFieldBits;
  out = TileLayout();
  out.m = m;
  out.k = k;
  out.stripOffsets.push_back(0);
  bool ok = walkWindows(
      m, k, rowStart, cols, codes, TileLayout::kSteps, err,
      [&](int64_t s) {
        out.starts.push_back(uint16_t(s));
        out.words.resize(out.words.size() + L, 0);
      },
      [&](unsigned l, unsigned j, uint32_t c, uint32_t code) {
        out.words[out.words.size() - L + l] |= (c | code << 5) << (F * j);
      },
      [&]() {
        if (out.starts.size() > size_t(INT32_MAX)) {
          err = "tile layout: too many tiles for 32-bit offsets";
          return false;
        }
        out.stripOffsets.push_back(int32_t(out.starts.size()));
        return true;
      });
  if (!ok)
    return false;
  out.nonzeros = m > 0 ? rowStart[m] - rowStart[0] : 0;
  return true;
}

bool dc::buildTileExpandLayout(int64_t m, int64_t k, const uint64_t *rowStart,
                               const uint32_t *cols, const uint32_t *codes,
                               TileExpandLayout &out, std::string &err) {
  out = TileExpandLayout();
  out.m = m;
  out.k = k;
  out.stripOffsets.push_back(0);
  out.stripFields.push_back(0);
  bool ok = walkWindows(
      m, k, rowStart, cols, codes, TileExpandLayout::kSteps, err,
      [&](int64_t s) {
        out.starts.push_back(uint16_t(s));
        out.masks.push_back(0);
      },
      [&](unsigned l, unsigned j, uint32_t c, uint32_t code) {
        // Fields arrive in (lane, step) order: the order vpexpandw fills.
        out.masks.back() |= 1u << (2 * l + j);
        out.fields.push_back(uint16_t(c | code << 5));
      },
      [&]() {
        if (out.fields.size() > size_t(INT32_MAX)) {
          err = "tile layout: too many fields for 32-bit offsets";
          return false;
        }
        out.stripOffsets.push_back(int32_t(out.starts.size()));
        out.stripFields.push_back(int32_t(out.fields.size()));
        return true;
      });
  if (!ok)
    return false;
  out.nonzeros = m > 0 ? rowStart[m] - rowStart[0] : 0;
  return true;
}

std::vector<TileEntry>
dc::decodeTileExpandLayout(const TileExpandLayout &t) {
  std::vector<TileEntry> out;
  for (int64_t g = 0; g < t.numStrips(); ++g) {
    size_t f = size_t(t.stripFields[g]);
    for (int32_t i = t.stripOffsets[g]; i < t.stripOffsets[g + 1]; ++i)
      for (unsigned b = 0; b < 32; ++b)
        if (t.masks[i] >> b & 1) {
          uint16_t v = t.fields[f++];
          out.push_back({g * 16 + b / 2, int64_t(t.starts[i]) + (v & 31),
                         uint32_t(v >> 5)});
        }
  }
  return out;
}

void dc::tileExpandMatvec(const TileExpandLayout &t, const float *cb,
                          const float *x, float *y) {
  for (int64_t g = 0; g < t.numStrips(); ++g) {
    float acc[2][16] = {};
    size_t f = size_t(t.stripFields[g]);
    for (int32_t i = t.stripOffsets[g]; i < t.stripOffsets[g + 1]; ++i)
      for (unsigned b = 0; b < 32; ++b) {
        // An absent field expands to 0: codebook[0] * x[start] = 0.
        uint16_t v = t.masks[i] >> b & 1 ? t.fields[f++] : 0;
        acc[b % 2][b / 2] += cb[v >> 5] * x[t.starts[i] + (v & 31)];
      }
    for (unsigned l = 0; l < 16 && g * 16 + l < t.m; ++l)
      y[g * 16 + l] = acc[0][l] + acc[1][l];
  }
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
