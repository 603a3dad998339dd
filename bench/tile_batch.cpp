//===- tile_batch.cpp - the tile layout at batch 2..8: an experiment ------===//
//
// Issue 13 asks whether the batch-1 tile layout (lib/Core/TileLayout, the
// prototype's k_lag32s3) also pays at small batches, where dc keeps its
// row-group (`layout=sparse`) kernel. This program measures, on one random
// matrix (M x K, `density` kept, codes 1..31 uniform, 5-bit codebook) and
// for N = 1, 2, 4, 8 columns, cold (a 96 MiB flush before every call) and
// warm, medians of `reps` calls:
//   tiles-N    a batch-N tile kernel on dc's TileLayout: per tile the three
//              codebook lookups are shared by the N columns, each column
//              does its own three x lookups (vpermi2ps) and FMAs; X and Y are
//              transposed in and out around it (their cost included);
//   tiles-1xN  the batch-1 tile kernel called once per column (same
//              transposes);
//   rows-N     a row kernel on u16 columns and u8 codes, the inner loop of
//              dc's `layout=sparse` batch kernel: per entry one codebook
//              value times one N-wide row of X (row-major, no transposes).
// Results are checked against a double-precision reference.
// Build and run: bench/tile_batch.sh (it prints the command line).
//
//===----------------------------------------------------------------------===//

#include "dc/Core/TileLayout.h"

#include <immintrin.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <random>
#include <string>
#include <vector>

namespace {

struct Matrix {
  int64_t m, k;
  std::vector<uint64_t> rowStart;
  std::vector<uint32_t> cols, codes;
  std::vector<uint16_t> cols16;
  std::vector<uint8_t> codes8;
  float codebook[32];
};

Matrix randomMatrix(int64_t m, int64_t k, double density, unsigned seed) {
  Matrix a{m, k, {0}, {}, {}, {}, {}, {}};
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<double> u(0, 1);
  std::normal_distribution<float> n(0, 0.05f);
  a.codebook[0] = 0;
  for (int i = 1; i < 32; ++i)
    a.codebook[i] = n(rng);
  for (int64_t i = 0; i < m; ++i) {
    for (int64_t j = 0; j < k; ++j)
      if (u(rng) < density) {
        a.cols.push_back(uint32_t(j));
        a.codes.push_back(uint32_t(1 + rng() % 31));
      }
    a.rowStart.push_back(a.cols.size());
  }
  a.cols16.assign(a.cols.begin(), a.cols.end());
  a.codes8.assign(a.codes.begin(), a.codes.end());
  return a;
}

// One strip of 16 rows, N columns: xt is N x K, yt is N x M.
template <int N>
void tilesBatch(const dc::TileLayout &t, const float *cb, const float *xt,
                float *yt) {
  const __m512 cb0 = _mm512_loadu_ps(cb), cb1 = _mm512_loadu_ps(cb + 16);
  const uint16_t *st = t.starts.data();
  const uint32_t *w = t.words.data();
  const int64_t k = t.k, m = t.m;
  for (int64_t g = 0; g < t.numStrips(); ++g) {
    __m512 acc[N];
    for (int n = 0; n < N; ++n)
      acc[n] = _mm512_setzero_ps();
    int32_t tiles = t.stripOffsets[g + 1] - t.stripOffsets[g];
    for (int32_t i = 0; i < tiles; ++i, w += 16) {
      __m512i f = _mm512_loadu_si512(w);
      __m512i f1 = _mm512_srli_epi32(f, 10), f2 = _mm512_srli_epi32(f, 20);
      __m512 c0 = _mm512_permutex2var_ps(cb0, _mm512_srli_epi32(f, 5), cb1);
      __m512 c1 = _mm512_permutex2var_ps(cb0, _mm512_srli_epi32(f, 15), cb1);
      __m512 c2 = _mm512_permutex2var_ps(cb0, _mm512_srli_epi32(f, 25), cb1);
      for (int n = 0; n < N; ++n) {
        const float *xp = xt + n * k + st[i];
        __m512 xa = _mm512_loadu_ps(xp), xb = _mm512_loadu_ps(xp + 16);
        acc[n] = _mm512_fmadd_ps(c0, _mm512_permutex2var_ps(xa, f, xb), acc[n]);
        acc[n] = _mm512_fmadd_ps(c1, _mm512_permutex2var_ps(xa, f1, xb), acc[n]);
        acc[n] = _mm512_fmadd_ps(c2, _mm512_permutex2var_ps(xa, f2, xb), acc[n]);
      }
    }
    st += tiles;
    int64_t rows = std::min<int64_t>(16, m - 16 * g);
    __mmask16 mask = __mmask16((1u << rows) - 1);
    for (int n = 0; n < N; ++n)
      _mm512_mask_storeu_ps(yt + n * m + 16 * g, mask, acc[n]);
  }
}

void transpose(const float *in, int64_t rows, int64_t cols, float *out) {
  for (int64_t i = 0; i < rows; ++i)
    for (int64_t j = 0; j < cols; ++j)
      out[j * rows + i] = in[i * cols + j];
}

// Y (M x N) = A X (X: K x N row-major) through the tile layout.
template <int N>
void tilesN(const dc::TileLayout &t, const float *cb, const float *x,
            float *y, float *xt, float *yt) {
  transpose(x, t.k, N, xt);
  tilesBatch<N>(t, cb, xt, yt);
  transpose(yt, N, t.m, y);
}

template <int N>
void tiles1xN(const dc::TileLayout &t, const float *cb, const float *x,
              float *y, float *xt, float *yt) {
  transpose(x, t.k, N, xt);
  for (int n = 0; n < N; ++n)
    tilesBatch<1>(t, cb, xt + n * t.k, yt + n * t.m);
  transpose(yt, N, t.m, y);
}

// The row kernel: Y[i][:] += cb[code] * X[col][:], N floats per entry.
template <int N>
void rowsN(const Matrix &a, const float *x, float *y) {
  const __mmask16 mask = __mmask16((1u << N) - 1);
  for (int64_t i = 0; i < a.m; ++i) {
    __m512 acc0 = _mm512_setzero_ps(), acc1 = _mm512_setzero_ps();
    uint64_t e = a.rowStart[i], end = a.rowStart[i + 1];
    for (; e + 1 < end; e += 2) {
      acc0 = _mm512_fmadd_ps(
          _mm512_set1_ps(a.codebook[a.codes8[e]]),
          _mm512_maskz_loadu_ps(mask, x + size_t(a.cols16[e]) * N), acc0);
      acc1 = _mm512_fmadd_ps(
          _mm512_set1_ps(a.codebook[a.codes8[e + 1]]),
          _mm512_maskz_loadu_ps(mask, x + size_t(a.cols16[e + 1]) * N), acc1);
    }
    if (e < end)
      acc0 = _mm512_fmadd_ps(
          _mm512_set1_ps(a.codebook[a.codes8[e]]),
          _mm512_maskz_loadu_ps(mask, x + size_t(a.cols16[e]) * N), acc0);
    _mm512_mask_storeu_ps(y + i * N, mask, _mm512_add_ps(acc0, acc1));
  }
}

std::vector<char> flushBuffer(96u << 20, 1);
void flush() {
  for (size_t i = 0; i < flushBuffer.size(); i += 64)
    flushBuffer[i]++;
}

template <typename F> double medianUs(F f, int reps, bool cold) {
  std::vector<double> t;
  for (int r = 0; r < reps; ++r) {
    if (cold)
      flush();
    auto s = std::chrono::steady_clock::now();
    f();
    t.push_back(std::chrono::duration<double, std::micro>(
                    std::chrono::steady_clock::now() - s)
                    .count());
  }
  std::sort(t.begin(), t.end());
  return t[t.size() / 2];
}

double maxRelError(const Matrix &a, const float *x, const float *y, int n) {
  double worst = 0, scale = 0;
  std::vector<double> ref(size_t(a.m) * n, 0.0);
  for (int64_t i = 0; i < a.m; ++i)
    for (uint64_t e = a.rowStart[i]; e < a.rowStart[i + 1]; ++e)
      for (int c = 0; c < n; ++c)
        ref[i * n + c] += double(a.codebook[a.codes[e]]) *
                          double(x[size_t(a.cols[e]) * n + c]);
  for (double v : ref)
    scale = std::max(scale, std::fabs(v));
  for (size_t i = 0; i < ref.size(); ++i)
    worst = std::max(worst, std::fabs(ref[i] - y[i]));
  return worst / scale;
}

template <int N>
void measure(const char *name, const Matrix &a, const dc::TileLayout &t,
             int reps) {
  std::mt19937 rng(7);
  std::uniform_real_distribution<float> u(-1, 1);
  std::vector<float> x(size_t(a.k) * N), xt(x.size()), y(size_t(a.m) * N),
      yt(y.size());
  for (float &v : x)
    v = u(rng);
  auto tiles = [&] { tilesN<N>(t, a.codebook, x.data(), y.data(), xt.data(), yt.data()); };
  auto tiles1 = [&] { tiles1xN<N>(t, a.codebook, x.data(), y.data(), xt.data(), yt.data()); };
  auto rows = [&] { rowsN<N>(a, x.data(), y.data()); };
  double err[3];
  tiles();
  err[0] = maxRelError(a, x.data(), y.data(), N);
  tiles1();
  err[1] = maxRelError(a, x.data(), y.data(), N);
  rows();
  err[2] = maxRelError(a, x.data(), y.data(), N);
  for (double e : err)
    if (!(e < 1e-5)) {
      std::fprintf(stderr, "tile_batch: wrong result (rel error %g)\n", e);
      std::exit(1);
    }
  // Interleaved, so that load on the machine hits every kernel alike.
  double cold[3] = {0, 0, 0}, warm[3] = {0, 0, 0};
  std::vector<double> c[3], w[3];
  for (int r = 0; r < 3; ++r) {
    c[0].push_back(medianUs(tiles, reps, true));
    c[1].push_back(medianUs(tiles1, reps, true));
    c[2].push_back(medianUs(rows, reps, true));
    w[0].push_back(medianUs(tiles, reps, false));
    w[1].push_back(medianUs(tiles1, reps, false));
    w[2].push_back(medianUs(rows, reps, false));
  }
  for (int i = 0; i < 3; ++i) {
    cold[i] = *std::min_element(c[i].begin(), c[i].end());
    warm[i] = *std::min_element(w[i].begin(), w[i].end());
  }
  std::printf("| %s | %d | %.0f | %.0f | %.0f | %.2fx | %.0f | %.0f | %.0f | "
              "%.2fx | %.1e |\n",
              name, N, cold[0], cold[1], cold[2], cold[2] / cold[0], warm[0],
              warm[1], warm[2], warm[2] / warm[0],
              std::max({err[0], err[1], err[2]}));
}

} // namespace

int main(int argc, char **argv) {
  if (argc < 5) {
    std::fprintf(stderr, "usage: tile_batch NAME M K DENSITY [REPS]\n");
    return 2;
  }
  const char *name = argv[1];
  int64_t m = std::atoll(argv[2]), k = std::atoll(argv[3]);
  double density = std::atof(argv[4]);
  int reps = argc > 5 ? std::atoi(argv[5]) : 11;
  if (m <= 0 || k < 32 || k > dc::TileLayout::kMaxK || !(density > 0) ||
      density > 1 || reps <= 0) {
    std::fprintf(stderr, "tile_batch: bad arguments\n");
    return 2;
  }
  Matrix a = randomMatrix(m, k, density, 1);
  dc::TileLayout t;
  std::string err;
  if (!dc::buildTileLayout(m, k, a.rowStart.data(), a.cols.data(),
                           a.codes.data(), t, err)) {
    std::fprintf(stderr, "tile_batch: %s\n", err.c_str());
    return 1;
  }
  measure<1>(name, a, t, reps);
  measure<2>(name, a, t, reps);
  measure<4>(name, a, t, reps);
  measure<8>(name, a, t, reps);
  return 0;
}
