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
// conv_2d_nchw_fchw of one image has its own rewrite (NchwConvToMatmul): a
// matmul on the collapsed input (1x1) or on an im2col without floordiv/mod.
//
//===----------------------------------------------------------------------===//

#include "GlueSupport.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
#include "mlir/Dialect/SCF/Transforms/TileUsingInterface.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
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

/// conv_2d_nchw_fchw of one image (static f32) as linalg.matmul
/// W[F, C*KH*KW] X[C*KH*KW, OH*OW]: X is the input itself, collapsed, for a
/// 1x1 convolution with unit strides, else an im2col over separate loops
/// (c, kh, kw, oh, ow) reading I[0, c, oh*sh + kh*dh, ow*sw + kw*dw], no
/// floordiv/mod: its rows are unit-stride (or strided) input rows, which
/// tile and vectorize as window copies (WindowCopy.cpp), where upstream's
/// im2col (below) recovers the pixel with floordiv/mod and stays scalar.
struct NchwConvToMatmul : OpRewritePattern<linalg::Conv2DNchwFchwOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(linalg::Conv2DNchwFchwOp op,
                                PatternRewriter &rewriter) const override {
    if (!op.hasPureTensorSemantics() || op->getNumResults() != 1)
      return failure();
    auto input = cast<RankedTensorType>(op.getInputs()[0].getType());
    auto filter = cast<RankedTensorType>(op.getInputs()[1].getType());
    auto output = cast<RankedTensorType>(op.getOutputs()[0].getType());
    Type f32 = rewriter.getF32Type();
    if (!input.hasStaticShape() || !filter.hasStaticShape() ||
        !output.hasStaticShape() || input.getElementType() != f32 ||
        filter.getElementType() != f32 || output.getElementType() != f32 ||
        output.getDimSize(0) != 1 || output.getNumElements() == 0)
      return rewriter.notifyMatchFailure(op, "needs one static f32 image");
    int64_t c = input.getDimSize(1), h = input.getDimSize(2),
            w = input.getDimSize(3);
    int64_t f = filter.getDimSize(0), kh = filter.getDimSize(2),
            kw = filter.getDimSize(3);
    int64_t oh = output.getDimSize(2), ow = output.getDimSize(3);
    SmallVector<int64_t> st =
        llvm::to_vector(op.getStrides().getValues<int64_t>());
    SmallVector<int64_t> dl =
        llvm::to_vector(op.getDilations().getValues<int64_t>());
    Location loc = op.getLoc();
    MLIRContext *ctx = op.getContext();
    Value x;
    if (kh == 1 && kw == 1 && st[0] == 1 && st[1] == 1 && h == oh && w == ow) {
      x = tensor::CollapseShapeOp::create(
          rewriter, loc, RankedTensorType::get({c, h * w}, f32),
          op.getInputs()[0], ArrayRef<ReassociationIndices>{{0, 1}, {2, 3}});
    } else {
      AffineExpr dc, dkh, dkw, doh, dow;
      bindDims(ctx, dc, dkh, dkw, doh, dow);
      AffineMap inMap =
          AffineMap::get(5, 0,
                         {getAffineConstantExpr(0, ctx), dc,
                          doh * st[0] + dkh * dl[0], dow * st[1] + dkw * dl[1]},
                         ctx);
      SmallVector<int64_t> shape = {c, kh, kw, oh, ow};
      Value empty = tensor::EmptyOp::create(rewriter, loc, shape, f32);
      auto copy = linalg::GenericOp::create(
          rewriter, loc, TypeRange{empty.getType()},
          ValueRange{op.getInputs()[0]}, ValueRange{empty},
          ArrayRef<AffineMap>{inMap, AffineMap::getMultiDimIdentityMap(5, ctx)},
          SmallVector<utils::IteratorType>(5, utils::IteratorType::parallel),
          [](OpBuilder &b, Location l, ValueRange args) {
            linalg::YieldOp::create(b, l, args[0]);
          });
      x = tensor::CollapseShapeOp::create(
          rewriter, loc, RankedTensorType::get({c * kh * kw, oh * ow}, f32),
          copy->getResult(0),
          ArrayRef<ReassociationIndices>{{0, 1, 2}, {3, 4}});
    }
    Value wm = tensor::CollapseShapeOp::create(
        rewriter, loc, RankedTensorType::get({f, c * kh * kw}, f32),
        op.getInputs()[1], ArrayRef<ReassociationIndices>{{0}, {1, 2, 3}});
    auto yType = RankedTensorType::get({f, oh * ow}, f32);
    Value init = op.getOutputs()[0];
    Value y;
    // A filled init is filled again in the matmul's shape (the tiler fuses a
    // fill into the contraction tiles; not through a reshape).
    if (auto fill = init.getDefiningOp<linalg::FillOp>()) {
      Value empty =
          tensor::EmptyOp::create(rewriter, loc, yType.getShape(), f32);
      y = linalg::FillOp::create(rewriter, loc, fill.getInputs()[0], empty)
              .getResult(0);
    } else {
      y = tensor::CollapseShapeOp::create(
          rewriter, loc, yType, init,
          ArrayRef<ReassociationIndices>{{0, 1}, {2, 3}});
    }
    Value mm = linalg::MatmulOp::create(rewriter, loc, TypeRange{yType},
                                        ValueRange{wm, x}, ValueRange{y})
                   .getResult(0);
    rewriter.replaceOpWithNewOp<tensor::ExpandShapeOp>(
        op, output, mm, ArrayRef<ReassociationIndices>{{0, 1}, {2, 3}});
    return success();
  }
};

} // namespace

void dc::glue::populateConvToIm2ColPatterns(RewritePatternSet &patterns) {
  MLIRContext *ctx = patterns.getContext();
  patterns.add<NchwConvToMatmul>(ctx, /*benefit=*/2);
  patterns.add<DenseConvToIm2Col<linalg::Conv2DNhwcHwcfOp>,
               DenseConvToIm2Col<linalg::Conv2DNhwcFhwcOp>,
               DenseConvToIm2Col<linalg::Conv2DNchwFchwOp>,
               DepthwiseConvToIm2Col>(ctx);
}
