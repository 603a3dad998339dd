// Calls @model of model_ops.mlir through its C interface.
#include <stdint.h>
#include <stdio.h>

typedef struct {
  float *allocated, *aligned;
  int64_t offset, sizes[4], strides[4];
} Memref4;
typedef struct {
  float *allocated, *aligned;
  int64_t offset, sizes[2], strides[2];
} Memref2;

void _mlir_ciface_model(Memref2 *result, Memref4 *input);

// @run of the module prints through the runner utils; not called here.
void printMemrefF32(int64_t rank, void *descriptor) {
  (void)rank;
  (void)descriptor;
}

int main(void) {
  float x[36];
  for (int i = 0; i < 36; ++i)
    x[i] = 1.0f;
  Memref4 in = {x, x, 0, {1, 1, 6, 6}, {36, 36, 6, 1}};
  Memref2 out;
  _mlir_ciface_model(&out, &in);
  for (int i = 0; i < 4; ++i)
    printf("%s%g", i ? " " : "", out.aligned[out.offset + i]);
  printf("\n");
  return 0;
}
