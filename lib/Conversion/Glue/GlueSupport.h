//===- GlueSupport.h - Steps of dc-vectorize-linalg -------------*- C++ -*-===//

#ifndef DC_LIB_CONVERSION_GLUE_GLUESUPPORT_H
#define DC_LIB_CONVERSION_GLUE_GLUESUPPORT_H

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
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
/// depthwise_conv_2d_nhwc_hwc) to im2col + a contraction; conv_2d_nchw_fchw
/// of one image to a matmul on its input rows (ConvToIm2Col.cpp).
void populateConvToIm2ColPatterns(mlir::RewritePatternSet &patterns);

/// depthwise_conv_2d_nchw_chw (static f32) to a direct convolution along
/// output rows of up to `vw` lanes, pooling_nchw_max/sum to the same rows
/// with a max/sum; a zero (max: -inf) input pad read in place instead of
/// materialized; with `fuse`, its elementwise consumer applied to the
/// rows before they are stored (DepthwiseConv.cpp).
void populateDepthwiseConvPatterns(mlir::RewritePatternSet &patterns,
                                   int64_t vw, bool fuse);

/// True when every user of `pad` is a depthwise convolution that the
/// patterns above rewrite reading the pad's source in place (so the pad is
/// left for them, not decomposed).
bool isReadInPlaceByDepthwise(mlir::tensor::PadOp pad);

/// A copying linalg.generic tile whose loops are 1 except the innermost,
/// which its input reads at a constant stride along the input's innermost
/// dim (an im2col row of an NCHW convolution): one unit-stride (or strided
/// and shuffled) vector read and one vector write (WindowCopy.cpp). Fails,
/// changing nothing, on any other op.
mlir::LogicalResult vectorizeWindowCopy(mlir::RewriterBase &rewriter,
                                        mlir::linalg::GenericOp op);

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
