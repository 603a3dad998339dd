// gemv_driver.c - times one layer: dc kernels (AOT, _mlir_ciface_dc_gemv /
// dc_gemm), OpenBLAS sgemv/sgemm on the decoded dense weights, and the MLIR
// sparsifier's CSR kernels (_mlir_ciface_spmv / spmm) on the same weights.
// Usage: gemv_driver M K N dense.f32 reps [kinds]
// Prints one line per kernel: "name batch median_us min_us max_us max_rel_err
// first_call_us"; for dc's kernels at batch 1 also "NAME_warm batch
// median_us min_us max_us" (back-to-back calls, no flush). Optional objects
// (weak): dd_* (decompress-then-dense), dt_* (dc with layout=tiles), ds_*
// (dc with layout=sparse), linked when bench/gemv.sh builds them.
#define _GNU_SOURCE
#include <cblas.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

typedef struct { float *alloc, *aligned; int64_t off, size[1], stride[1]; } D1f;
typedef struct { float *alloc, *aligned; int64_t off, size[2], stride[2]; } D2f;
typedef struct { int64_t *alloc, *aligned; int64_t off, size[1], stride[1]; } D1x;
typedef struct { int16_t *alloc, *aligned; int64_t off, size[1], stride[1]; } D1s;

void _mlir_ciface_dc_gemv(D1f *res, D1f *x);
void _mlir_ciface_dc_gemm(D2f *res, D2f *x);
// Optional (only layers small enough for dc-lower-decompress's dense buffer).
__attribute__((weak)) void _mlir_ciface_dd_gemv(D1f *res, D1f *x);
__attribute__((weak)) void _mlir_ciface_dt_gemv(D1f *res, D1f *x);
__attribute__((weak)) void _mlir_ciface_dt_gemm(D2f *res, D2f *x);
__attribute__((weak)) void _mlir_ciface_ds_gemv(D1f *res, D1f *x);
__attribute__((weak)) void _mlir_ciface_ds_gemm(D2f *res, D2f *x);
void _mlir_ciface_spmv(D1f *res, D1x *pos, D1s *crd, D1f *val, D1f *x);
void _mlir_ciface_spmm(D2f *res, D1x *pos, D1s *crd, D1f *val, D2f *x);

static double now_us(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec * 1e6 + ts.tv_nsec * 1e-3;
}
static char *flushBuf;
static const size_t flushSize = 96u << 20; // > L3 (32 MiB)
static void flush(void) {
  for (size_t i = 0; i < flushSize; i += 64)
    flushBuf[i]++;
}
static int cmpd(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return x < y ? -1 : x > y;
}
static D1f d1(float *p, int64_t n) { D1f d = {p, p, 0, {n}, {1}}; return d; }
static D2f d2(float *p, int64_t r, int64_t c) {
  D2f d = {p, p, 0, {r, c}, {c, 1}};
  return d;
}
static double relErr(const float *a, const float *ref, int64_t n) {
  double d = 0, s = 0;
  for (int64_t i = 0; i < n; ++i) {
    d = fmax(d, fabs((double)a[i] - ref[i]));
    s = fmax(s, fabs((double)ref[i]));
  }
  return s > 0 ? d / s : d;
}

int main(int argc, char **argv) {
  if (argc < 6) return 2;
  int64_t M = atoll(argv[1]), K = atoll(argv[2]), N = atoll(argv[3]);
  int reps = atoi(argv[5]);
  float *W = malloc(sizeof(float) * M * K);
  FILE *f = fopen(argv[4], "rb");
  if (!f || fread(W, 4, M * K, f) != (size_t)(M * K)) { fprintf(stderr, "read\n"); return 1; }
  fclose(f);
  flushBuf = malloc(flushSize);
  memset(flushBuf, 1, flushSize);
  // CSR with 16-bit coordinates for the sparsifier.
  int64_t nnz = 0;
  for (int64_t i = 0; i < M * K; ++i) nnz += W[i] != 0.0f;
  int64_t *pos = malloc(8 * (M + 1));
  int16_t *crd = malloc(2 * (nnz ? nnz : 1));
  float *val = malloc(4 * (nnz ? nnz : 1));
  nnz = 0;
  for (int64_t r = 0; r < M; ++r) {
    pos[r] = nnz;
    for (int64_t c = 0; c < K; ++c)
      if (W[r * K + c] != 0.0f) { crd[nnz] = (int16_t)c; val[nnz++] = W[r * K + c]; }
  }
  pos[M] = nnz;
  D1x dpos = {pos, pos, 0, {M + 1}, {1}};
  D1s dcrd = {crd, crd, 0, {nnz}, {1}};
  D1f dval = d1(val, nnz);
  srand(1);
  float *x = malloc(4 * K * N), *yref = malloc(4 * M * N), *yb = malloc(4 * M * N);
  for (int64_t i = 0; i < K * N; ++i) x[i] = (float)((double)rand() / RAND_MAX * 2 - 1);
  double *t = malloc(sizeof(double) * reps);
  printf("# nnz %lld csr_i16_bytes %lld dense_bytes %lld\n", (long long)nnz,
         (long long)(nnz * 6 + (M + 1) * 8), (long long)(M * K * 4));
  // Reference: OpenBLAS.
  if (N == 1)
    cblas_sgemv(CblasRowMajor, CblasNoTrans, M, K, 1.0f, W, K, x, 1, 0.0f, yref, 1);
  else
    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, M, N, K, 1.0f, W, K, x, N, 0.0f, yref, N);
  for (int kind = 0; kind < 6; ++kind) {
    double err = 0, first = 0;
    // kind 3, decompress-then-dense (MLIR's dense loops): batch 1 only, few
    // calls (its scalar loops are slow on the big layers).
    if (kind == 3 && (N != 1 || !_mlir_ciface_dd_gemv)) continue;
    if (kind == 4 && !_mlir_ciface_dt_gemv) continue;
    if (kind == 5 && !_mlir_ciface_ds_gemv) continue;
    // Optional 6th argument: the kinds to run, as digits ("01": OpenBLAS
    // and dc only; used for the 2-thread column).
    if (argc > 6 && !strchr(argv[6], '0' + kind)) continue;
    int kreps = kind == 3 && reps > 5 ? 5 : reps;
    // dc's kernels at batch 1: a second pass of back-to-back calls (warm).
    int isDc = kind == 1 || kind == 4 || kind == 5;
    int passes = isDc && N == 1 ? 2 : 1;
    for (int pass = 0; pass < passes; ++pass) {
    for (int r = pass ? 0 : -1; r < kreps; ++r) { // r = -1: warm-up + check
      if (!pass) flush();
      double t0 = now_us();
      const float *out = NULL;
      void *toFree = NULL;
      D1f r1; D2f r2;
      if (kind == 0) {
        if (N == 1) cblas_sgemv(CblasRowMajor, CblasNoTrans, M, K, 1.0f, W, K, x, 1, 0.0f, yb, 1);
        else cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, M, N, K, 1.0f, W, K, x, N, 0.0f, yb, N);
        out = yb;
      } else if (kind == 1) {
        if (N == 1) { D1f dx = d1(x, K); _mlir_ciface_dc_gemv(&r1, &dx); out = r1.aligned + r1.off; toFree = r1.alloc; }
        else { D2f dx = d2(x, K, N); _mlir_ciface_dc_gemm(&r2, &dx); out = r2.aligned + r2.off; toFree = r2.alloc; }
      } else if (kind == 4 || kind == 5) {
        void (*gv)(D1f *, D1f *) = kind == 4 ? _mlir_ciface_dt_gemv : _mlir_ciface_ds_gemv;
        void (*gm)(D2f *, D2f *) = kind == 4 ? _mlir_ciface_dt_gemm : _mlir_ciface_ds_gemm;
        if (N == 1) { D1f dx = d1(x, K); gv(&r1, &dx); out = r1.aligned + r1.off; toFree = r1.alloc; }
        else { D2f dx = d2(x, K, N); gm(&r2, &dx); out = r2.aligned + r2.off; toFree = r2.alloc; }
      } else if (kind == 3) {
        D1f dx = d1(x, K); _mlir_ciface_dd_gemv(&r1, &dx); out = r1.aligned + r1.off; toFree = r1.alloc;
      } else {
        if (N == 1) { D1f dx = d1(x, K); _mlir_ciface_spmv(&r1, &dpos, &dcrd, &dval, &dx); out = r1.aligned + r1.off; toFree = r1.alloc; }
        else { D2f dx = d2(x, K, N); _mlir_ciface_spmm(&r2, &dpos, &dcrd, &dval, &dx); out = r2.aligned + r2.off; toFree = r2.alloc; }
      }
      double t1 = now_us();
      if (r < 0) { err = relErr(out, yref, M * N); first = t1 - t0; }
      else t[r] = t1 - t0;
      free(toFree);
    }
    qsort(t, kreps, sizeof(double), cmpd);
    static const char *names[] = {"openblas", "dc", "sparsifier", "decomp_dense", "dc_tiles", "dc_sparse"};
    if (pass)
      printf("%s_warm %lld %.1f %.1f %.1f\n", names[kind], (long long)N, t[kreps / 2], t[0], t[kreps - 1]);
    else
      printf("%s %lld %.1f %.1f %.1f %.2e %.1f\n", names[kind], (long long)N, t[kreps / 2], t[0], t[kreps - 1], err, first);
    }
  }
  return 0;
}
