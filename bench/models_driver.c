// Times `_mlir_ciface_forward` of a model compiled by dc (bench/models.py).
// usage: models_driver LIB.so IN_RANK D0 .. OUT_RANK WARM COLD
// One f32 input of shape D0.. (deterministic values), one f32 result of rank
// OUT_RANK (freed after every call, as a caller must). Prints one line:
//   warm_us cold_us maxrss_kb out0 baseline_kb
// warm: median of WARM back-to-back calls after 3 untimed ones; maxrss: the
// process's peak RSS after them (library, weights, temporaries); cold: median
// of COLD calls each preceded by writing a 64 MiB buffer (the caches hold
// none of the weights or activations); out0: the result's first element;
// baseline_kb: the peak RSS with only the MLIR C runner utils loaded.
#include <dlfcn.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

typedef void (*Forward)(int64_t *result, int64_t *input);

static double nowUs(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec * 1e6 + t.tv_nsec / 1e3;
}

/// VmHWM of /proc/self/status: the peak RSS of this program (getrusage's
/// ru_maxrss also counts the process image before exec, here a Python).
static long peakRssKb(void) {
  FILE *f = fopen("/proc/self/status", "r");
  char line[256];
  long kb = -1;
  while (f && fgets(line, sizeof line, f))
    if (sscanf(line, "VmHWM: %ld", &kb) == 1)
      break;
  if (f)
    fclose(f);
  return kb;
}

static int cmp(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return x < y ? -1 : x > y;
}

static double median(double *v, int n) {
  qsort(v, n, sizeof(double), cmp);
  return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

int main(int argc, char **argv) {
  if (argc < 4) {
    fprintf(stderr, "usage: %s LIB.so IN_RANK D0.. OUT_RANK WARM COLD\n", argv[0]);
    return 2;
  }
  // The MLIR C runner utils (memrefCopy) bring libMLIR and libLLVM: their
  // pages are the baseline, printed apart.
  dlopen("libmlir_c_runner_utils.so", RTLD_NOW | RTLD_GLOBAL);
  long baseline = peakRssKb();
  void *lib = dlopen(argv[1], RTLD_NOW);
  if (!lib) {
    fprintf(stderr, "models_driver: %s\n", dlerror());
    return 1;
  }
  Forward forward = (Forward)dlsym(lib, "_mlir_ciface_forward");
  if (!forward) {
    fprintf(stderr, "models_driver: no _mlir_ciface_forward in %s\n", argv[1]);
    return 1;
  }
  int rank = atoi(argv[2]);
  if (rank < 1 || rank > 8 || argc != 3 + rank + 3) {
    fprintf(stderr, "models_driver: bad arguments\n");
    return 2;
  }
  int64_t sizes[8], n = 1;
  for (int i = 0; i < rank; ++i)
    n *= sizes[i] = atoll(argv[3 + i]);
  int outRank = atoi(argv[3 + rank]);
  int warm = atoi(argv[4 + rank]), cold = atoi(argv[5 + rank]);
  if (outRank < 0 || outRank > 8 || warm < 1 || cold < 1) {
    fprintf(stderr, "models_driver: bad arguments\n");
    return 2;
  }
  float *x = aligned_alloc(64, ((n * 4 + 63) / 64) * 64);
  for (int64_t i = 0; i < n; ++i)
    x[i] = (float)((i * 7919) % 2001) / 1000.0f - 1.0f;
  // A memref descriptor: allocated, aligned, offset, sizes[rank], strides[rank].
  int64_t in[3 + 16], out[3 + 16];
  in[0] = in[1] = (int64_t)(intptr_t)x;
  in[2] = 0;
  for (int i = 0; i < rank; ++i)
    in[3 + i] = sizes[i];
  int64_t stride = 1;
  for (int i = rank - 1; i >= 0; --i) {
    in[3 + rank + i] = stride;
    stride *= sizes[i];
  }
  double *t = malloc(sizeof(double) * (warm > cold ? warm : cold));
  float out0 = 0;
  for (int i = 0; i < 3; ++i) {
    forward(out, in);
    out0 = ((float *)(intptr_t)out[1])[out[2]];
    free((void *)(intptr_t)out[0]);
  }
  for (int i = 0; i < warm; ++i) {
    double t0 = nowUs();
    forward(out, in);
    t[i] = nowUs() - t0;
    free((void *)(intptr_t)out[0]);
  }
  double warmUs = median(t, warm);
  long hwm = peakRssKb();
  size_t flushBytes = 64u << 20;
  volatile char *flush = malloc(flushBytes);
  for (int i = 0; i < cold; ++i) {
    // Ordinary stores, one per cache line (memset of this size uses
    // non-temporal stores, which leave the caches as they are).
    for (size_t b = 0; b < flushBytes; b += 64)
      flush[b] = (char)(i + b);
    double t0 = nowUs();
    forward(out, in);
    t[i] = nowUs() - t0;
    free((void *)(intptr_t)out[0]);
  }
  double coldUs = median(t, cold);
  printf("%.2f %.2f %ld %.6g %ld\n", warmUs, coldUs, hwm, out0, baseline);
  return 0;
}
