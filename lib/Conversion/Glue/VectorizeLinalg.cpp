//===- VectorizeLinalg.cpp - dc-vectorize-linalg --------------------------===//
//
// The dense ops of a model around dc's kernels, tiled to registers and
// vectorized on tensors before bufferization. The steps live in
// PrepareGlue.cpp, TileAndVectorize.cpp and VectorLowering.cpp.
//
//===----------------------------------------------------------------------===//

#include "../Kernels/KernelSupport.h"
#include "GlueSupport.h"
#include "dc/Conversion/GluePasses.h"

#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Bufferization/Transforms/Transforms.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace dc {
#define GEN_PASS_DEF_DCVECTORIZELINALG
#include "dc/Conversion/GluePasses.h.inc"
} // namespace dc

using namespace mlir;

namespace {
struct VectorizeLinalgPass
    : public dc::impl::DCVectorizeLinalgBase<VectorizeLinalgPass> {
  using DCVectorizeLinalgBase::DCVectorizeLinalgBase;

  void runOnOperation() override {
    func::FuncOp func = getOperation();
    if (vectorWidth != 0 &&
        (vectorWidth > 64 || (vectorWidth & (vectorWidth - 1)) != 0)) {
      func.emitError("dc-vectorize-linalg: vector-width must be 0 or a "
                     "power of two up to 64, got ")
          << static_cast<unsigned>(vectorWidth);
      return signalPassFailure();
    }
    dc::kernels::Target target =
        dc::kernels::resolveTarget(targetCpu, vectorWidth);
    dc::glue::TileTarget tiles;
    tiles.vw = target.vw;
    // 32 vector registers with AVX-512 (half of them accumulators), 16
    // otherwise.
    tiles.accumulators = target.avx512 ? 16 : 8;
    // Not converging is no error: the IR is valid, tile what is there.
    (void)dc::glue::prepareGlue(func, fuse);
    // Depthwise convolutions after the elementwise fusion (their epilogue is
    // one generic by then); prepareGlue left their input pads alone.
    {
      RewritePatternSet patterns(func.getContext());
      dc::glue::populateDepthwiseConvPatterns(patterns, tiles.vw, fuse);
      (void)applyPatternsGreedily(func, std::move(patterns));
    }
    dc::glue::tileAndVectorize(func, tiles, fuse);
    dc::glue::lowerVectorOps(func);
    // A tile nest that writes a slice of another tensor (a pad's interior)
    // writes it in place instead of into a new tensor copied over later.
    IRRewriter rewriter(func.getContext());
    (void)bufferization::eliminateEmptyTensors(rewriter, func);
  }
};
} // namespace
