// bench/membw.sh's probe: what two threads can gain on this machine at all.
// Read bandwidth (sum of a 256 MiB f32 array, AVX-512 loads) and FMA
// throughput (8 independent chains per thread), each with one and two
// OpenMP threads doing the same total work; best of 7 / 5 runs. A kernel
// whose one-thread run already streams at the one-thread bandwidth cannot
// scale past the two-thread bandwidth ratio printed here.
#include <immintrin.h>
#include <omp.h>
#include <stdio.h>
#include <stdlib.h>

static double readSeconds(const float *a, size_t n, int threads) {
  double best = 1e30;
  for (int r = 0; r < 7; ++r) {
    double t0 = omp_get_wtime();
    float s = 0;
#pragma omp parallel for num_threads(threads) reduction(+ : s)
    for (size_t i = 0; i < n; i += 16)
      s += _mm512_reduce_add_ps(_mm512_load_ps(a + i));
    double dt = omp_get_wtime() - t0;
    if (dt < best)
      best = dt;
    if (s == -1.0f)
      puts("");
  }
  return best;
}

static double fmaSeconds(int threads) {
  const long steps = 200000000L;
  double best = 1e30;
  for (int r = 0; r < 5; ++r) {
    double t0 = omp_get_wtime();
    float out = 0;
#pragma omp parallel num_threads(threads) reduction(+ : out)
    {
      __m512 m = _mm512_set1_ps(0.999999f), c = _mm512_set1_ps(1e-7f);
      __m512 a[8];
      for (int j = 0; j < 8; ++j)
        a[j] = _mm512_set1_ps(1.0f);
      for (long i = 0; i < steps / threads; ++i)
        for (int j = 0; j < 8; ++j)
          a[j] = _mm512_fmadd_ps(a[j], m, c);
      for (int j = 1; j < 8; ++j)
        a[0] = _mm512_add_ps(a[0], a[j]);
      out += _mm512_reduce_add_ps(a[0]);
    }
    double dt = omp_get_wtime() - t0;
    if (dt < best)
      best = dt;
    if (out == -1.0f)
      puts("");
  }
  return best;
}

int main(void) {
  size_t n = (size_t)64 << 20;
  float *a = aligned_alloc(64, n * sizeof(float));
  if (!a)
    return 1;
  for (size_t i = 0; i < n; ++i)
    a[i] = (float)(i & 7);
  double r1 = readSeconds(a, n, 1), r2 = readSeconds(a, n, 2);
  double f1 = fmaSeconds(1), f2 = fmaSeconds(2);
  printf("| probe | 1 thread | 2 threads | 2T / 1T |\n|---|---|---|---|\n");
  printf("| read bandwidth, 256 MiB | %.1f GB/s | %.1f GB/s | %.2fx |\n",
         n * 4 / r1 / 1e9, n * 4 / r2 / 1e9, r1 / r2);
  printf("| FMA throughput | %.3f s | %.3f s | %.2fx |\n", f1, f2, f1 / f2);
  free(a);
  return 0;
}
