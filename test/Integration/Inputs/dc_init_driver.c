// Calls the functions of dc-init.mlir through their C interface and reports
// dc_init() / dc_status() (INTERFACE.md: every object from dc-to-llvm
// exports them). `lazy` as argument: no dc_init() call, the payloads decode
// at the first call.
#include <stdint.h>
#include <stdio.h>
#include <string.h>

typedef struct {
  float *allocated, *aligned;
  int64_t offset, sizes[1], strides[1];
} Memref1;
typedef struct {
  float *allocated, *aligned;
  int64_t offset, sizes[2], strides[2];
} Memref2;

int32_t dc_init(void);
int32_t dc_status(void);
void _mlir_ciface_dec(Memref2 *result);
void _mlir_ciface_mv(Memref1 *result, Memref1 *x);

int main(int argc, char **argv) {
  int lazy = argc > 1 && strcmp(argv[1], "lazy") == 0;
  if (!lazy)
    printf("dc_init %d\n", dc_init());
  Memref2 d;
  _mlir_ciface_dec(&d);
  double decSum = 0;
  for (int64_t i = 0; i < d.sizes[0] * d.sizes[1]; ++i)
    decSum += d.aligned[d.offset + i];
  float x[6] = {1, 2, 3, 4, 5, 6};
  Memref1 in = {x, x, 0, {6}, {1}}, out;
  _mlir_ciface_mv(&out, &in);
  double mvSum = 0;
  for (int64_t i = 0; i < out.sizes[0]; ++i)
    mvSum += out.aligned[out.offset + i] * out.aligned[out.offset + i];
  printf("dec %g mv %g\n", decSum, mvSum);
  printf("dc_status %d\n", dc_status());
  return 0;
}
