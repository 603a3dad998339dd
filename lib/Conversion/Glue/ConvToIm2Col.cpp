//===- ConvToIm2Col.cpp - Dense convolutions to im2col + a contraction ----===//
//
// The upstream im2col rewrites (linalg::rewriteInIm2Col), one pattern per
// convolution form, with the depthwise form restricted to what it computes
// correctly: upstream collapses the batch and channel dims of the depthwise
// im2col tensor into one batch dim of a linalg.batch_matvec whose filter has
// only the channels, so with a batch N > 1 the matvec of batch b reads filter
// row b (past the C rows for b >= C: an out-of-bounds read of whatever
// follows the filter buffer). A depthwise convolution with N > 1 is split
// into a loop over its images first; each image is then an N = 1 im2col.
//
//===----------------------------------------------------------------------===//

#include "GlueSupport.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
#include "mlir/Dialect/SCF/Transforms/TileUsingInterface.h"
#include "mlir/IR/PatternMatch.h"

using namespace mlir;

namespace {

/// conv_2d_nhwc_hwcf, conv_2d_nhwc_fhwc and conv_2d_nchw_fchw: upstream's
/// im2col, correct for every batch size.
template <typename ConvOp>
struct DenseConvToIm2Col : OpRewritePattern<ConvOp> {
  using OpRewritePattern<ConvOp>::OpRewritePattern;
  LogicalResult matchAndRewrite(ConvOp op,
                                PatternRewriter &rewriter) const override {
    if (failed(linalg::rewriteInIm2Col(rewriter, op)))
      return failure();
    return success();
  }
};

bool allOnes(DenseIntElementsAttr attr) {
  return llvm::all_of(attr.getValues<int64_t>(),
                      [](int64_t v) { return v == 1; });
}

/// depthwise_conv_2d_nhwc_hwc: im2col for one image; a batch of several is
/// tiled to a loop over the images (loops (n, oh, ow, c, kh, kw), tile sizes
/// {1, 0, ...}) whose body is an N = 1 depthwise convolution this pattern
/// then rewrites.
struct DepthwiseConvToIm2Col
    : OpRewritePattern<linalg::DepthwiseConv2DNhwcHwcOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(linalg::DepthwiseConv2DNhwcHwcOp op,
                                PatternRewriter &rewriter) const override {
    if (!op.hasPureTensorSemantics())
      return failure();
    auto input = cast<RankedTensorType>(op.getInputs()[0].getType());
    auto filter = cast<RankedTensorType>(op.getInputs()[1].getType());
    auto output = cast<RankedTensorType>(op.getOutputs()[0].getType());
    if (!input.hasStaticShape() || !filter.hasStaticShape() ||
        !output.hasStaticShape() || !allOnes(op.getDilations()))
      return rewriter.notifyMatchFailure(
          op, "im2col needs static shapes and unit dilations");
    if (output.getDimSize(0) == 1) {
      if (failed(linalg::rewriteInIm2Col(rewriter, op)))
        return failure();
      return success();
    }
    SmallVector<OpFoldResult> tiles(op.getNumLoops(),
                                    rewriter.getIndexAttr(0));
    tiles[0] = rewriter.getIndexAttr(1);
    scf::SCFTilingOptions options;
    options.setTileSizes(tiles);
    options.setLoopType(scf::SCFTilingOptions::LoopType::ForOp);
    FailureOr<scf::SCFTilingResult> tiled = scf::tileUsingSCF(
        rewriter, cast<TilingInterface>(op.getOperation()), options);
    if (failed(tiled))
      return rewriter.notifyMatchFailure(op, "batch loop not tiled");
    rewriter.replaceOp(op, tiled->replacements);
    return success();
  }
};

} // namespace

void dc::glue::populateConvToIm2ColPatterns(RewritePatternSet &patterns) {
  MLIRContext *ctx = patterns.getContext();
  patterns.add<DenseConvToIm2Col<linalg::Conv2DNhwcHwcfOp>,
               DenseConvToIm2Col<linalg::Conv2DNhwcFhwcOp>,
               DenseConvToIm2Col<linalg::Conv2DNchwFchwOp>,
               DepthwiseConvToIm2Col>(ctx);
}
