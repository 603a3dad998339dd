//===- RewriteContractions.cpp - linalg contractions -> dc compute ops ----===//
//
// Rewrites contractions whose weight operand is `dc.decompress` of a
// `dc.constant` into `dc.matvec` / `dc.matmul` on the compressed value.
// Forms (W compressed M x K unless noted, all f32, static shapes):
//   linalg.matvec(W, x)                      -> dc.matvec W, x
//   linalg.vecmat(x, W) (W: K x M)           -> dc.matvec W, x {transpose_w}
//   linalg.matmul(W, X)                      -> dc.matmul W, X
//   linalg.matmul(X, W) (W: K x M)           -> (dc.matmul W, X^T
//   {transpose_w})^T linalg.matmul(X, W) with B transposed by indexing_maps, or
//   linalg.matmul(X, linalg.transpose(W))    -> (dc.matmul W, X^T)^T
//   linalg.matmul(linalg.transpose(W), X)    -> dc.matmul W, X {transpose_w}
// With one activation row (X: 1 x K) the "X W" forms become dc.matvec on
// collapsed/expanded operands. A non-zero `outs` value is added back.
//
// Convolutions on a compressed filter: RewriteConvolutions.cpp (patterns
// added by populateConvolutionRewritePatterns, applied first).
//
//===----------------------------------------------------------------------===//

#include "RewriteSupport.h"

#include "dc/Conversion/KernelPasses.h"
#include "dc/Core/CompressedTensor.h"
#include "dc/Dialect/DC/DCUtils.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Bufferization/IR/Bufferization.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/Matchers.h"
#include "mlir/Transforms/WalkPatternRewriteDriver.h"
#include "llvm/Support/CheckedArithmetic.h"

#include <cstring>

namespace dc {
#define GEN_PASS_DEF_DCREWRITECONTRACTIONS
#include "dc/Conversion/KernelPasses.h.inc"
} // namespace dc

using namespace mlir;

namespace {

/// The compressed value behind `v` when `v = dc.decompress(dc.constant)`.
static Value getCompressed(Value v) {
  auto dec = v.getDefiningOp<dc::DecompressOp>();
  if (!dec || !dec.getInput().getDefiningOp<dc::ConstantOp>())
    return {};
  auto type = dyn_cast<RankedTensorType>(dec.getType());
  if (!type || type.getRank() != 2 || !type.getElementType().isF32())
    return {};
  return dec.getInput();
}

/// The compressed value behind `v = linalg.transpose(dc.decompress(...))`.
static Value getTransposedCompressed(Value v) {
  auto tr = v.getDefiningOp<linalg::TransposeOp>();
  if (!tr || tr.getPermutation().size() != 2 || tr.getPermutation()[0] != 1)
    return {};
  return getCompressed(tr.getInput());
}

static bool isStaticF32(Value v) {
  auto t = dyn_cast<RankedTensorType>(v.getType());
  return t && t.hasStaticShape() && t.getElementType().isF32();
}

/// True if `init` is known to be all zeros.
static bool isZeroInit(Value init) {
  if (auto fill = init.getDefiningOp<linalg::FillOp>())
    return matchPattern(fill.getInputs()[0], m_AnyZeroFloat());
  DenseElementsAttr attr;
  if (matchPattern(init, m_Constant(&attr)) && attr.isSplat() &&
      isa<FloatType>(attr.getElementType()))
    return attr.getSplatValue<APFloat>().isZero();
  return false;
}

static Value transpose2D(OpBuilder &b, Location loc, Value v) {
  auto t = cast<RankedTensorType>(v.getType());
  Value init = tensor::EmptyOp::create(
      b, loc, ArrayRef<int64_t>{t.getDimSize(1), t.getDimSize(0)},
      t.getElementType());
  return linalg::TransposeOp::create(b, loc, v, init,
                                     b.getDenseI64ArrayAttr({1, 0}))
      ->getResult(0);
}

/// Adds `init` to `result` unless it is zero.
static Value addInit(OpBuilder &b, Location loc, Value result, Value init) {
  if (isZeroInit(init))
    return result;
  return linalg::AddOp::create(b, loc, TypeRange{init.getType()},
                               ValueRange{result, init}, ValueRange{init})
      ->getResult(0);
}

/// Y = W X (transposeW: W^T X); Y: M x N. Uses dc.matvec when N == 1.
static Value buildWX(OpBuilder &b, Location loc, Value w, Value x,
                     bool transposeW) {
  auto xt = cast<RankedTensorType>(x.getType());
  auto wt = cast<dc::CompressedType>(w.getType()).getTensorType();
  int64_t m = transposeW ? wt.getDimSize(1) : wt.getDimSize(0);
  int64_t n = xt.getDimSize(1);
  Type f32 = b.getF32Type();
  if (n == 1) {
    Value xv = tensor::CollapseShapeOp::create(
        b, loc, RankedTensorType::get({xt.getDimSize(0)}, f32), x,
        ArrayRef<ReassociationIndices>{{0, 1}});
    auto mv = dc::MatvecOp::create(b, loc, RankedTensorType::get({m}, f32), w,
                                   xv, transposeW);
    return tensor::ExpandShapeOp::create(
        b, loc, RankedTensorType::get({m, 1}, f32), mv.getResult(),
        ArrayRef<ReassociationIndices>{{0, 1}});
  }
  return dc::MatmulOp::create(b, loc, RankedTensorType::get({m, n}, f32), w, x,
                              transposeW)
      .getResult();
}

/// Y = X W' where W' is W (transposeW = true, W: K x M) or W^T (W: M x K):
/// Y = (W'^T X^T)^T. One row of X: dc.matvec with reshapes.
static Value buildXW(OpBuilder &b, Location loc, Value x, Value w,
                     bool wIsKxM) {
  auto xt = cast<RankedTensorType>(x.getType());
  auto wt = cast<dc::CompressedType>(w.getType()).getTensorType();
  int64_t m = wIsKxM ? wt.getDimSize(1) : wt.getDimSize(0);
  Type f32 = b.getF32Type();
  if (xt.getDimSize(0) == 1) {
    Value xv = tensor::CollapseShapeOp::create(
        b, loc, RankedTensorType::get({xt.getDimSize(1)}, f32), x,
        ArrayRef<ReassociationIndices>{{0, 1}});
    auto mv = dc::MatvecOp::create(b, loc, RankedTensorType::get({m}, f32), w,
                                   xv, wIsKxM);
    return tensor::ExpandShapeOp::create(
        b, loc, RankedTensorType::get({1, m}, f32), mv.getResult(),
        ArrayRef<ReassociationIndices>{{0, 1}});
  }
  Value yt = buildWX(b, loc, w, transpose2D(b, loc, x), wIsKxM);
  return transpose2D(b, loc, yt);
}

static bool mapsEqual(ArrayRef<AffineMap> maps, ArrayRef<AffineMap> expected) {
  if (maps.size() != expected.size())
    return false;
  for (auto [a, e] : llvm::zip(maps, expected))
    if (a != e)
      return false;
  return true;
}

struct RewriteContractionsPass
    : dc::impl::DCRewriteContractionsBase<RewriteContractionsPass> {
  void runOnOperation() override {
    MLIRContext *ctx = &getContext();
    {
      RewritePatternSet patterns(ctx);
      dc::kernels::populateConvolutionRewritePatterns(patterns);
      walkAndApplyPatterns(getOperation(), std::move(patterns));
    }
    SmallVector<Operation *> candidates;
    getOperation().walk([&](Operation *op) {
      if (isa<linalg::MatvecOp, linalg::VecmatOp, linalg::MatmulOp>(op))
        candidates.push_back(op);
    });
    AffineExpr d0, d1, d2;
    bindDims(ctx, d0, d1, d2);
    SmallVector<AffineMap> defaultMaps = {AffineMap::get(3, 0, {d0, d2}, ctx),
                                          AffineMap::get(3, 0, {d2, d1}, ctx),
                                          AffineMap::get(3, 0, {d0, d1}, ctx)};
    SmallVector<AffineMap> transposedB = {AffineMap::get(3, 0, {d0, d2}, ctx),
                                          AffineMap::get(3, 0, {d1, d2}, ctx),
                                          AffineMap::get(3, 0, {d0, d1}, ctx)};

    SmallVector<Operation *> maybeDead;
    for (Operation *op : candidates) {
      auto linalgOp = cast<linalg::LinalgOp>(op);
      if (!linalgOp.hasPureTensorSemantics() || op->getNumResults() != 1)
        continue;
      Value a = linalgOp.getDpsInputOperand(0)->get();
      Value bv = linalgOp.getDpsInputOperand(1)->get();
      Value init = linalgOp.getDpsInitOperand(0)->get();
      if (!isStaticF32(a) || !isStaticF32(bv) || !isStaticF32(init))
        continue;
      // Only plain multiply-add bodies (no casts of other element types).
      OpBuilder b(op);
      Location loc = op->getLoc();
      Value result;
      if (isa<linalg::MatvecOp>(op)) {
        if (Value w = getCompressed(a))
          result = dc::MatvecOp::create(b, loc, init.getType(), w, bv, false);
      } else if (isa<linalg::VecmatOp>(op)) {
        if (Value w = getCompressed(bv))
          result = dc::MatvecOp::create(b, loc, init.getType(), w, a, true);
      } else {
        auto mm = cast<linalg::MatmulOp>(op);
        SmallVector<AffineMap> maps = mm.getIndexingMapsArray();
        if (mapsEqual(maps, defaultMaps)) {
          if (Value w = getCompressed(a))
            result = buildWX(b, loc, w, bv, false);
          else if (Value w = getTransposedCompressed(a))
            result = buildWX(b, loc, w, bv, true);
          else if (Value w = getCompressed(bv))
            result = buildXW(b, loc, a, w, /*wIsKxM=*/true);
          else if (Value w = getTransposedCompressed(bv))
            result = buildXW(b, loc, a, w, /*wIsKxM=*/false);
        } else if (mapsEqual(maps, transposedB)) {
          if (Value w = getCompressed(bv))
            result = buildXW(b, loc, a, w, /*wIsKxM=*/false);
        }
      }
      if (!result)
        continue;
      result = addInit(b, loc, result, init);
      op->getResult(0).replaceAllUsesWith(result);
      if (Operation *def = a.getDefiningOp())
        maybeDead.push_back(def);
      if (Operation *def = bv.getDefiningOp())
        maybeDead.push_back(def);
      if (Operation *def = init.getDefiningOp())
        maybeDead.push_back(def);
      op->erase();
    }
    // Drop transposes / decompressions / fills left without users.
    DenseSet<Operation *> erased;
    while (!maybeDead.empty()) {
      Operation *op = maybeDead.pop_back_val();
      if (erased.contains(op) || !op->use_empty() ||
          !isa<linalg::TransposeOp, dc::DecompressOp, dc::ConstantOp,
               linalg::FillOp, tensor::EmptyOp>(op))
        continue;
      for (Value operand : op->getOperands())
        if (Operation *def = operand.getDefiningOp())
          maybeDead.push_back(def);
      erased.insert(op);
      op->erase();
    }
  }
};

} // namespace
