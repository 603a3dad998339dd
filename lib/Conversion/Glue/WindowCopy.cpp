//===- WindowCopy.cpp - Vector rows of a windowed copy --------------------===//
//
// The im2col copy of a convolution on compressed weights (the Kernels'
// RewriteConvolutions) reads its input through the convolution's window map,
// e.g. X[g, kh, kw, n, oh, ow] = I[n, g, oh * s + kh, ow * s + kw]. That map is
// no projected permutation, so linalg::vectorize leaves the copy to scalar
// loops (LLVM then gathers). After the row tiling of dc-vectorize-linalg every
// loop of a tile is 1 except the innermost, and in the NCHW layout the
// innermost loop walks the input's innermost dim at a constant stride s: the
// tile is one vector read of (L - 1) * s + 1 contiguous elements (a shuffle
// keeps every s-th) and one vector write of L.
//
//===----------------------------------------------------------------------===//

#include "GlueSupport.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/IR/AffineMap.h"

using namespace mlir;

LogicalResult dc::glue::vectorizeWindowCopy(RewriterBase &rewriter,
                                            linalg::GenericOp op) {
  if (!op.hasPureTensorSemantics() || op.getNumDpsInputs() != 1 ||
      op.getNumDpsInits() != 1 || op->getNumResults() != 1 ||
      op.getNumLoops() == 0 || op.getNumLoops() != op.getNumParallelLoops())
    return failure();
  Block &body = op.getRegion().front();
  auto yield = cast<linalg::YieldOp>(body.getTerminator());
  if (body.getOperations().size() != 1 || yield.getNumOperands() != 1 ||
      yield.getOperand(0) != body.getArgument(0))
    return failure();
  OpOperand *in = op.getDpsInputOperand(0);
  OpOperand *out = op.getDpsInitOperand(0);
  auto inType = dyn_cast<RankedTensorType>(in->get().getType());
  auto outType = dyn_cast<RankedTensorType>(out->get().getType());
  if (!inType || !outType || !inType.hasStaticShape() ||
      !outType.hasStaticShape() || inType.getRank() == 0 ||
      inType.getElementType() != outType.getElementType())
    return failure();
  AffineMap inMap = op.getMatchingIndexingMap(in);
  if (!op.getMatchingIndexingMap(out).isIdentity() ||
      inMap.getNumSymbols() != 0 || inMap.isProjectedPermutation())
    return failure();

  // Every loop 1 but the innermost (L iterations), which only the input's
  // innermost index depends on, linearly.
  SmallVector<int64_t> ranges = op.getStaticLoopRanges();
  unsigned last = ranges.size() - 1;
  for (unsigned d = 0; d < last; ++d)
    if (ranges[d] != 1)
      return failure();
  int64_t len = ranges[last];
  ArrayRef<AffineExpr> results = inMap.getResults();
  for (AffineExpr e : results.drop_back())
    if (e.isFunctionOfDim(last))
      return failure();
  if (!results.back().isFunctionOfDim(last) || !results.back().isPureAffine())
    return failure();
  SmallVector<int64_t> at0(ranges.size(), 0), at1(ranges.size(), 0);
  at1[last] = 1;
  SmallVector<int64_t> first = inMap.compose(at0);
  int64_t stride = inMap.compose(at1).back() - first.back();
  if (len < 1 || stride < 1)
    return failure();
  int64_t span = (len - 1) * stride + 1;
  for (auto [i, c] : llvm::enumerate(first)) {
    int64_t end = c + (i + 1 == first.size() ? span : 1);
    if (c < 0 || end > inType.getDimSize(i))
      return failure();
  }

  // Strided: read len * stride elements when they exist (whole registers).
  int64_t read = span;
  if (stride > 1 &&
      first.back() + len * stride <= inType.getDimSize(first.size() - 1))
    read = len * stride;

  Location loc = op.getLoc();
  rewriter.setInsertionPoint(op);
  Type et = inType.getElementType();
  SmallVector<Value> indices;
  for (int64_t c : first)
    indices.push_back(arith::ConstantIndexOp::create(rewriter, loc, c));
  Value pad = arith::ConstantOp::create(
      rewriter, loc, et, cast<TypedAttr>(rewriter.getZeroAttr(et)));
  Value x = vector::TransferReadOp::create(
      rewriter, loc, VectorType::get({read}, et), in->get(), indices, pad,
      ArrayRef<bool>{true});
  if (stride > 1) {
    SmallVector<int64_t> mask;
    for (int64_t i = 0; i < len; ++i)
      mask.push_back(i * stride);
    x = vector::ShuffleOp::create(rewriter, loc, x, x, mask);
  }
  Value zero = arith::ConstantIndexOp::create(rewriter, loc, 0);
  SmallVector<Value> outIndices(outType.getRank(), zero);
  auto write = vector::TransferWriteOp::create(
      rewriter, loc, x, out->get(), outIndices, ArrayRef<bool>{true});
  rewriter.replaceOp(op, write.getResult());
  return success();
}
