//===- PrepareGlue.cpp - Rewrites before tiling the dense glue ------------===//
//
// Tensor-level rewrites that put the dense ops of a model into the forms the
// tiler and vectorizer handle well (see GluePasses.td, dc-vectorize-linalg):
// weights read transposed become transposed constants, dense convolutions
// become im2col + a contraction, elementwise named ops become generics and
// chains of elementwise generics fuse into one.
//
//===----------------------------------------------------------------------===//

#include "GlueSupport.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Utils/StaticValueUtils.h"
#include "mlir/IR/AsmState.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

using namespace mlir;

namespace {

/// The f32 elements of a constant (dense or dense_resource), or nothing.
std::optional<SmallVector<float>> constantF32(Value v) {
  auto cst = v.getDefiningOp<arith::ConstantOp>();
  if (!cst)
    return std::nullopt;
  auto type = dyn_cast<RankedTensorType>(cst.getType());
  if (!type || !type.hasStaticShape() || !type.getElementType().isF32())
    return std::nullopt;
  if (auto dense = dyn_cast<DenseElementsAttr>(cst.getValue())) {
    auto values = dense.getValues<float>();
    return SmallVector<float>(values.begin(), values.end());
  }
  if (auto res = dyn_cast<DenseF32ResourceElementsAttr>(cst.getValue())) {
    std::optional<ArrayRef<float>> data = res.tryGetAsArrayRef();
    if (!data || (int64_t)data->size() != type.getNumElements())
      return std::nullopt;
    return SmallVector<float>(data->begin(), data->end());
  }
  return std::nullopt;
}

/// A [cols, rows] f32 constant holding the transpose of `rows` x `cols`
/// row-major `data`, as a resource blob (weights can be large).
Value transposedConstant(PatternRewriter &rewriter, Location loc,
                         ArrayRef<float> data, int64_t rows, int64_t cols) {
  SmallVector<float> t(data.size());
  for (int64_t r = 0; r < rows; ++r)
    for (int64_t c = 0; c < cols; ++c)
      t[c * rows + r] = data[r * cols + c];
  auto type = RankedTensorType::get({cols, rows}, rewriter.getF32Type());
  auto attr = DenseResourceElementsAttr::get(
      type, "dc_transposed",
      HeapAsmResourceBlob::allocateAndCopyInferAlign(ArrayRef<float>(t)));
  return arith::ConstantOp::create(rewriter, loc, type, attr);
}

/// linalg.transpose of a 2-D f32 constant -> the transposed constant (the
/// `matmul(x, transpose(W))` form of nn.Linear transposes W at every call
/// otherwise).
struct FoldTransposeOfConstant : OpRewritePattern<linalg::TransposeOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(linalg::TransposeOp op,
                                PatternRewriter &rewriter) const override {
    if (!op.hasPureTensorSemantics() || op.getPermutation().size() != 2 ||
        op.getPermutation()[0] != 1)
      return failure();
    Value in = op.getInput();
    std::optional<SmallVector<float>> data = constantF32(in);
    if (!data)
      return rewriter.notifyMatchFailure(op, "input is not an f32 constant");
    auto type = cast<RankedTensorType>(in.getType());
    rewriter.replaceOp(op, transposedConstant(rewriter, op.getLoc(), *data,
                                              type.getDimSize(0),
                                              type.getDimSize(1)));
    return success();
  }
};

/// matmul(A, B) with B read transposed (indexing map (m, n, k) -> (n, k),
/// LLVM 22's form of `matmul_transpose_b`) and B a constant -> a plain
/// matmul on the transposed constant, so the vectorized K loop reads B
/// along N (contiguous) instead of gathering a column per lane.
struct TransposeConstantB : OpRewritePattern<linalg::MatmulOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(linalg::MatmulOp op,
                                PatternRewriter &rewriter) const override {
    if (!op.hasPureTensorSemantics())
      return failure();
    MLIRContext *ctx = op.getContext();
    AffineExpr m, n, k;
    bindDims(ctx, m, n, k);
    auto map = [&](ArrayRef<AffineExpr> r) {
      return AffineMap::get(3, 0, r, ctx);
    };
    SmallVector<AffineMap> maps = op.getIndexingMapsArray();
    if (maps != SmallVector<AffineMap>{map({m, k}), map({n, k}), map({m, n})})
      return failure();
    Value b = op.getDpsInputs()[1];
    std::optional<SmallVector<float>> data = constantF32(b);
    if (!data)
      return rewriter.notifyMatchFailure(op, "B is not an f32 constant");
    auto type = cast<RankedTensorType>(b.getType());
    Value bt = transposedConstant(rewriter, op.getLoc(), *data,
                                  type.getDimSize(0), type.getDimSize(1));
    auto mm = linalg::MatmulOp::create(
        rewriter, op.getLoc(), op.getResultTypes(),
        ValueRange{op.getDpsInputs()[0], bt}, op.getDpsInits());
    rewriter.replaceOp(op, mm->getResults());
    return success();
  }
};

/// Named ops whose loops are all parallel (linalg.add, linalg.transpose,
/// linalg.broadcast, ...) -> linalg.generic, so the elementwise fusion sees
/// them. Fills stay (the tiler fuses them into contraction tiles).
struct GeneralizeElementwise
    : OpInterfaceRewritePattern<linalg::LinalgOp> {
  using OpInterfaceRewritePattern::OpInterfaceRewritePattern;
  LogicalResult matchAndRewrite(linalg::LinalgOp op,
                                PatternRewriter &rewriter) const override {
    if (isa<linalg::GenericOp, linalg::FillOp>(op) ||
        !op.hasPureTensorSemantics() ||
        op.getNumLoops() != op.getNumParallelLoops() ||
        isa<linalg::ConvolutionOpInterface>(op.getOperation()))
      return failure();
    return linalg::generalizeNamedOp(rewriter, op);
  }
};

/// tensor.pad (static shapes, a constant padding value) -> a fill of the
/// padded shape and a copy of the source into its interior, both linalg ops
/// the tiler vectorizes; bufferized in place (no memref.copy, no runtime
/// copy call).
struct DecomposePad : OpRewritePattern<tensor::PadOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(tensor::PadOp pad,
                                PatternRewriter &rewriter) const override {
    // Read in place by the depthwise row convolutions (DepthwiseConv.cpp).
    if (dc::glue::isReadInPlaceByDepthwise(pad))
      return failure();
    RankedTensorType type = pad.getResultType();
    Value value = pad.getConstantPaddingValue();
    if (!type.hasStaticShape() || !pad.getSourceType().hasStaticShape() ||
        !value || !pad.getMixedLowPad().size())
      return failure();
    SmallVector<int64_t> low;
    for (OpFoldResult l : pad.getMixedLowPad()) {
      std::optional<int64_t> c = getConstantIntValue(l);
      if (!c)
        return failure();
      low.push_back(*c);
    }
    Location loc = pad.getLoc();
    Value empty = tensor::EmptyOp::create(rewriter, loc, type.getShape(),
                                          type.getElementType());
    Value filled =
        linalg::FillOp::create(rewriter, loc, value, empty).getResult(0);
    SmallVector<OpFoldResult> offsets =
        getAsIndexOpFoldResult(rewriter.getContext(), low);
    SmallVector<OpFoldResult> sizes = getAsIndexOpFoldResult(
        rewriter.getContext(), pad.getSourceType().getShape());
    SmallVector<OpFoldResult> strides(type.getRank(),
                                      rewriter.getIndexAttr(1));
    Value interior = tensor::ExtractSliceOp::create(rewriter, loc, filled,
                                                    offsets, sizes, strides);
    Value copied = linalg::CopyOp::create(rewriter, loc, pad.getSource(),
                                          interior)
                       .getResult(0);
    rewriter.replaceOpWithNewOp<tensor::InsertSliceOp>(pad, copied, filled,
                                                       offsets, sizes,
                                                       strides);
    return success();
  }
};

} // namespace

LogicalResult dc::glue::prepareGlue(func::FuncOp func, bool fuse) {
  MLIRContext *ctx = func.getContext();
  RewritePatternSet patterns(ctx);
  patterns.add<FoldTransposeOfConstant>(ctx, /*benefit=*/2);
  patterns.add<TransposeConstantB, DecomposePad>(ctx);
  dc::glue::populateConvToIm2ColPatterns(patterns);
  if (fuse) {
    patterns.add<GeneralizeElementwise>(ctx);
    // Fuse a producer only into its single user: with several users the
    // producer would be recomputed in each (softmax's exp has two).
    linalg::populateElementwiseOpsFusionPatterns(
        patterns, [](OpOperand *operand) {
          Operation *producer = operand->get().getDefiningOp();
          // Only into elementwise consumers: an im2col copy fused into its
          // contraction would read the input through a non-permutation
          // map, which no longer vectorizes as a contraction.
          auto consumer = dyn_cast<linalg::LinalgOp>(operand->getOwner());
          return producer && producer->hasOneUse() && consumer &&
                 consumer.getNumLoops() == consumer.getNumParallelLoops();
        });
  }
  return applyPatternsGreedily(func, std::move(patterns));
}
