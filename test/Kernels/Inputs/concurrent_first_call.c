// Calls a compiled dc kernel whose weights are decoded once at load from
// 8 threads at the same time (the first call of the process), then once
// more alone, and checks that every thread got the same, non-zero result.
// Usage: concurrent_first_call   (links the object exporting
// _mlir_ciface_dc_gemv(memref<96xf32> *out, memref<200xf32> *in)).
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { K = 200, M = 96, T = 8 };
typedef struct { float *alloc, *aligned; long offset, size, stride; } D1;
void _mlir_ciface_dc_gemv(D1 *out, D1 *in);

static float x[K], y[T][M];
static pthread_barrier_t barrier;

static void call(float *dst) {
  D1 in = {x, x, 0, K, 1}, out;
  _mlir_ciface_dc_gemv(&out, &in);
  memcpy(dst, out.aligned + out.offset, sizeof(float) * M);
  free(out.alloc);
}

static void *worker(void *arg) {
  pthread_barrier_wait(&barrier);
  call(y[(long)arg]);
  return NULL;
}

int main(void) {
  for (int k = 0; k < K; ++k)
    x[k] = (float)((k * 37) % 19) / 9.0f - 1.0f;
  pthread_barrier_init(&barrier, NULL, T);
  pthread_t th[T];
  for (long t = 0; t < T; ++t)
    pthread_create(&th[t], NULL, worker, (void *)t);
  for (int t = 0; t < T; ++t)
    pthread_join(th[t], NULL);
  float ref[M];
  call(ref);
  int bad = 0, nonzero = 0;
  for (int i = 0; i < M; ++i) {
    nonzero += ref[i] != 0.0f;
    for (int t = 0; t < T; ++t)
      bad += y[t][i] != ref[i];
  }
  printf("mismatches %d nonzero %d\n", bad, nonzero);
  return bad != 0 || nonzero == 0;
}
