//===- VectorLowering.cpp - Vector cleanups after tiling the glue ---------===//
//
// After dc-vectorize-linalg's tiles are vectors (still on tensors): the
// accumulator tile of each K loop is hoisted into the loop's iter_args (one
// read before, one write after the loop instead of one per K step), then
// vector.contract becomes outer products (broadcast x row FMAs), reductions
// become vector.reduction, and n-D transfers are unrolled to 1-D ones.
//
//===----------------------------------------------------------------------===//

#include "GlueSupport.h"

#include "mlir/Conversion/VectorToSCF/VectorToSCF.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/Transforms/Transforms.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/Dialect/Vector/Transforms/LoweringPatterns.h"
#include "mlir/Dialect/Vector/Transforms/VectorRewritePatterns.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"
#include "mlir/Transforms/LoopInvariantCodeMotionUtils.h"

using namespace mlir;

void dc::glue::lowerVectorOps(func::FuncOp func) {
  MLIRContext *ctx = func.getContext();
  IRRewriter rewriter(ctx);
  // Innermost loops first (post-order), so a hoisted pair can move again.
  SmallVector<scf::ForOp> loops;
  func.walk([&](scf::ForOp loop) { loops.push_back(loop); });
  // Constants and index math first, so the accumulator's transfer indices
  // are loop invariant.
  for (scf::ForOp loop : loops) {
    moveLoopInvariantCode(loop);
    (void)hoistLoopInvariantSubsets(rewriter, loop);
  }

  // Transfers with broadcast or permuted dims to minor-identity ones first
  // (the unrolling below mis-offsets the unrolled pieces of a broadcasting
  // transfer_read), and mul + multi_reduction to vector.contract.
  {
    RewritePatternSet first(ctx);
    vector::populateVectorReductionToContractPatterns(first);
    vector::populateVectorTransferPermutationMapLoweringPatterns(first);
    (void)applyPatternsGreedily(func, std::move(first));
  }

  RewritePatternSet unrollPatterns(ctx);
  // n-D elementwise ops and transfers to rows of the innermost dim (1-D
  // vectors, what the LLVM lowering handles without shuffles).
  vector::UnrollVectorOptions unroll;
  unroll.setNativeShapeFn(
      [](Operation *op) -> std::optional<SmallVector<int64_t>> {
        VectorType type;
        if (auto write = dyn_cast<vector::TransferWriteOp>(op))
          type = write.getVectorType();
        else if (isa<vector::TransferReadOp>(op) ||
                 OpTrait::hasElementwiseMappableTraits(op))
          type = op->getNumResults() == 1
                     ? dyn_cast<VectorType>(op->getResult(0).getType())
                     : VectorType();
        if (!type || type.getRank() < 2 || type.isScalable())
          return std::nullopt;
        SmallVector<int64_t> shape(type.getRank(), 1);
        shape.back() = type.getShape().back();
        return shape;
      });
  vector::populateVectorUnrollPatterns(unrollPatterns, unroll);
  (void)applyPatternsGreedily(func, std::move(unrollPatterns));

  RewritePatternSet patterns(ctx);
  vector::populateVectorReductionToContractPatterns(patterns);
  vector::populateVectorContractLoweringPatterns(
      patterns, vector::VectorContractLowering::OuterProduct);
  vector::populateVectorOuterProductLoweringPatterns(patterns);
  vector::populateVectorMultiReductionLoweringPatterns(
      patterns, vector::VectorMultiReductionLowering::InnerReduction);
  vector::populateVectorTransposeLoweringPatterns(
      patterns, vector::VectorTransposeLowering::EltWise);
  vector::populateVectorShapeCastLoweringPatterns(patterns);
  vector::populateVectorTransferPermutationMapLoweringPatterns(patterns);
  // Broadcasts: left to convert-vector-to-llvm (their lowering and the
  // broadcast canonicalizations undo each other).
  vector::populateVectorMaskOpLoweringPatterns(patterns);
  vector::populateCastAwayVectorLeadingOneDimPatterns(patterns);
  // Transfers on tensor slices read/write the sliced tensor directly, so
  // bufferization sees no slice copies.
  tensor::populateFoldTensorSubsetIntoVectorTransferPatterns(patterns);
  tensor::populateFoldTensorSubsetOpPatterns(patterns);
  tensor::populateMergeConsecutiveInsertExtractSlicePatterns(patterns);
  VectorTransferToSCFOptions transfers;
  transfers.enableFullUnroll().enableLowerTensors();
  populateVectorToSCFConversionPatterns(patterns, transfers);
  for (StringRef name :
       {tensor::ExtractSliceOp::getOperationName(),
        tensor::InsertSliceOp::getOperationName(),
        scf::ForOp::getOperationName(),
        vector::TransferReadOp::getOperationName(),
        vector::TransferWriteOp::getOperationName(),
        vector::BroadcastOp::getOperationName(),
        vector::ExtractOp::getOperationName(),
        vector::InsertOp::getOperationName(),
        vector::ShapeCastOp::getOperationName()})
    if (auto op = RegisteredOperationName::lookup(name, ctx))
      op->getCanonicalizationPatterns(patterns, ctx);
  // Bounded: a pattern pair that undoes each other must not hang the
  // compiler (the IR is valid after any number of rewrites).
  GreedyRewriteConfig config;
  config.setMaxIterations(8);
  config.setMaxNumRewrites(1 << 20);
  (void)applyPatternsGreedily(func, std::move(patterns), config);
}
