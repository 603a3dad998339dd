//===- GlueSupport.h - Steps of dc-vectorize-linalg -------------*- C++ -*-===//

#ifndef DC_LIB_CONVERSION_GLUE_GLUESUPPORT_H
#define DC_LIB_CONVERSION_GLUE_GLUESUPPORT_H

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Support/LLVM.h"

namespace dc::glue {

/// Register budget of the tiles: f32 lanes of a vector register and how many
/// registers a contraction tile may hold as accumulators.
struct TileTarget {
  unsigned vw = 16;
  unsigned accumulators = 16;
};

/// Dense convolutions (conv_2d_nhwc_hwcf/nhwc_fhwc/nchw_fchw,
/// depthwise_conv_2d_nhwc_hwc) to im2col + a contraction (ConvToIm2Col.cpp).
void populateConvToIm2ColPatterns(mlir::RewritePatternSet &patterns);

/// Tensor-level rewrites before tiling (transposed constant weights, im2col
/// for dense convolutions; with `fuse`, generalization and fusion of
/// elementwise chains).
mlir::LogicalResult prepareGlue(mlir::func::FuncOp func, bool fuse);

/// Tiles every linalg op on tensors in `func` to register tiles (fusing fills
/// and, with `fuse`, a contraction into its elementwise consumer), peels the
/// tile loops to static tile shapes and vectorizes the tiles. Ops that do not
/// tile or vectorize are left unchanged.
void tileAndVectorize(mlir::func::FuncOp func, const TileTarget &target,
                      bool fuse);

/// Vector-level cleanups and lowerings after vectorization: accumulator
/// hoisting out of K loops, contraction to outer products (FMAs),
/// multi-reductions, transposes, n-D transfers to 1-D.
void lowerVectorOps(mlir::func::FuncOp func);

} // namespace dc::glue

#endif // DC_LIB_CONVERSION_GLUE_GLUESUPPORT_H
