//===- TileAndVectorize.cpp - Register tiles of the dense glue ------------===//
//
// Tiling (scf::tileUsingSCF / tileConsumerAndFuseProducersUsingSCF on
// tensors), peeling of the tile loops to static tile shapes, and
// linalg::vectorize of the tiles. See GluePasses.td (dc-vectorize-linalg).
//
//===----------------------------------------------------------------------===//

#include "GlueSupport.h"

#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/SCF/Transforms/TileUsingInterface.h"
#include "mlir/Dialect/SCF/Transforms/Transforms.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

using namespace mlir;
using namespace dc::glue;

namespace {
/// Marks the parallel tile loops to peel (removed after peeling).
constexpr StringLiteral kTileLoop = "dc.tile_loop";

/// Largest iteration space vectorized as one tile (f32 elements): tiles are
/// at most a few registers; an op left bigger (tiling failed) stays scalar
/// rather than becoming one huge vector.
constexpr int64_t kMaxTileElements = 4096;

/// A contraction with M and N dims (the register tile is M x N): a matvec
/// (no N dim, e.g. the batch_matvec of a depthwise im2col) is tiled as a
/// row reduction instead.
bool isContraction(linalg::LinalgOp op) {
  if (op.getNumReductionLoops() == 0 || !linalg::isaContractionOpInterface(op))
    return false;
  FailureOr<linalg::ContractionDimensions> dims =
      linalg::inferContractionDims(op);
  return succeeded(dims) && !dims->m.empty() && !dims->n.empty();
}

bool isPooling(Operation *op) {
  return isa<linalg::PoolingNchwMaxOp, linalg::PoolingNchwSumOp,
             linalg::PoolingNhwcMaxOp, linalg::PoolingNhwcSumOp,
             linalg::PoolingNhwcMinOp>(op);
}

/// Tiling computes the slice an operand needs from its indexing map; with
/// mod or floordiv in a map (an im2col copy) or a dimension read backwards
/// (`2 - d3`, a flipped ConvTranspose filter) that slice comes out too
/// small, so such ops are not tiled (they lower to loops).
bool hasUntileableMap(linalg::LinalgOp op) {
  auto isNegative = [](AffineExpr e) {
    auto c = dyn_cast<AffineConstantExpr>(e);
    return c && c.getValue() < 0;
  };
  for (AffineMap map : op.getIndexingMapsArray())
    for (AffineExpr e : map.getResults()) {
      bool found = false;
      e.walk([&](AffineExpr sub) {
        found |= sub.getKind() == AffineExprKind::Mod ||
                 sub.getKind() == AffineExprKind::FloorDiv ||
                 sub.getKind() == AffineExprKind::CeilDiv;
        if (auto mul = dyn_cast<AffineBinaryOpExpr>(sub);
            mul && sub.getKind() == AffineExprKind::Mul)
          found |= isNegative(mul.getLHS()) || isNegative(mul.getRHS());
      });
      if (found)
        return true;
    }
  return false;
}

bool allStatic(ArrayRef<int64_t> ranges) {
  return llvm::none_of(ranges, ShapedType::isDynamic);
}

/// Register tile of a contraction: batch and outer M/N dims 1, the innermost
/// M dim up to 8 rows and the innermost N dim as many vectors as the
/// accumulator budget leaves; `kTile`: the K dims tiled by 1 (second level,
/// parallel dims untouched), else K untiled.
SmallVector<OpFoldResult> contractionTiles(OpBuilder &b, linalg::LinalgOp op,
                                           const TileTarget &t, bool kTile) {
  linalg::ContractionDimensions dims = *linalg::inferContractionDims(op);
  SmallVector<int64_t> ranges = op.getStaticLoopRanges();
  SmallVector<int64_t> tiles(op.getNumLoops(), 0);
  if (kTile) {
    for (unsigned d : dims.k)
      tiles[d] = 1;
  } else {
    for (unsigned d : dims.batch)
      tiles[d] = 1;
    for (unsigned d : dims.m)
      tiles[d] = 1;
    for (unsigned d : dims.n)
      tiles[d] = 1;
    unsigned m = dims.m.back(), n = dims.n.back();
    int64_t mt = std::min<int64_t>(ranges[m], 8);
    int64_t nt = std::min<int64_t>(
        ranges[n], (int64_t)t.vw * std::max<int64_t>(1, t.accumulators / mt));
    tiles[m] = mt;
    tiles[n] = nt;
  }
  return getAsIndexOpFoldResult(b.getContext(), tiles);
}

/// Elementwise ops and reductions: one row of up to 4 vectors along the
/// innermost loop, reductions whole when they fit a tile.
SmallVector<OpFoldResult> rowTiles(OpBuilder &b, linalg::LinalgOp op,
                                   const TileTarget &t) {
  SmallVector<int64_t> ranges = op.getStaticLoopRanges();
  SmallVector<utils::IteratorType> iters = op.getIteratorTypesArray();
  unsigned n = ranges.size();
  SmallVector<int64_t> tiles(n, 1);
  int64_t reduced = 1;
  for (unsigned d = 0; d < n; ++d)
    if (iters[d] == utils::IteratorType::reduction)
      reduced *= ranges[d];
  bool wholeReduction = reduced <= 64 * (int64_t)t.vw;
  for (unsigned d = 0; d < n; ++d)
    if (iters[d] == utils::IteratorType::reduction && wholeReduction)
      tiles[d] = 0;
  if (n > 0 && tiles[n - 1] != 0)
    tiles[n - 1] = std::min<int64_t>(ranges[n - 1], 4 * t.vw);
  return getAsIndexOpFoldResult(b.getContext(), tiles);
}

/// Pooling: one output row per window row (the 2-D window decomposes to a
/// 1-D pooling that the convolution vectorizer handles).
SmallVector<OpFoldResult> poolingTiles(OpBuilder &b, Operation *op,
                                       const TileTarget &t) {
  auto lin = cast<linalg::LinalgOp>(op);
  SmallVector<int64_t> r = lin.getStaticLoopRanges();
  SmallVector<int64_t> tiles;
  if (isa<linalg::PoolingNchwMaxOp, linalg::PoolingNchwSumOp>(op))
    // (n, c, oh, ow, kh, kw): channels as the vector lanes after the
    // decomposition's NCW -> NWC transposes.
    tiles = {1, std::min<int64_t>(r[1], t.vw), 1, std::min<int64_t>(r[3], 8),
             1, 0};
  else
    // (n, oh, ow, c, kh, kw): channels contiguous.
    tiles = {1, 1, std::min<int64_t>(r[2], 8),
             std::min<int64_t>(r[3], 4 * t.vw), 1, 0};
  return getAsIndexOpFoldResult(b.getContext(), tiles);
}

void markLoops(ArrayRef<LoopLikeOpInterface> loops, OpBuilder &b) {
  for (LoopLikeOpInterface loop : loops)
    loop->setAttr(kTileLoop, b.getUnitAttr());
}

scf::SCFTilingOptions tilingOptions(ArrayRef<OpFoldResult> tiles) {
  scf::SCFTilingOptions options;
  options.setTileSizes(tiles);
  options.setLoopType(scf::SCFTilingOptions::LoopType::ForOp);
  return options;
}

/// Tiles `op` with `tiles` and replaces it; returns the tiled op.
FailureOr<Operation *> tileAndReplace(RewriterBase &rewriter, Operation *op,
                                      ArrayRef<OpFoldResult> tiles,
                                      bool mark) {
  rewriter.setInsertionPoint(op);
  FailureOr<scf::SCFTilingResult> tiled = scf::tileUsingSCF(
      rewriter, cast<TilingInterface>(op), tilingOptions(tiles));
  if (failed(tiled))
    return failure();
  if (mark)
    markLoops(tiled->loops, rewriter);
  rewriter.replaceOp(op, tiled->replacements);
  return tiled->tiledOps.back();
}

/// The contraction feeding `consumer` (an all-parallel generic) that can be
/// computed tile by tile inside the consumer's tile loop: single use,
/// identity read by the consumer, output written by a permutation.
linalg::LinalgOp fusableContraction(linalg::GenericOp consumer) {
  if (consumer.getNumLoops() != consumer.getNumParallelLoops() ||
      consumer.getNumDpsInits() != 1)
    return {};
  for (OpOperand *in : consumer.getDpsInputOperands()) {
    auto producer = in->get().getDefiningOp<linalg::LinalgOp>();
    if (!producer || !producer->hasOneUse() || !isContraction(producer) ||
        !producer.hasPureTensorSemantics() ||
        !allStatic(producer.getStaticLoopRanges()) ||
        !consumer.getMatchingIndexingMap(in).isIdentity())
      continue;
    return producer;
  }
  return {};
}

/// Contraction `root`, or elementwise `root` consuming `contraction`: tile
/// the parallel dims and fuse the contraction's fill (and the contraction
/// itself under an elementwise root) into the tile loop, then tile the
/// fused contraction's K dims by 1.
LogicalResult tileContractionNest(RewriterBase &rewriter, Operation *root,
                                  linalg::LinalgOp contraction,
                                  const TileTarget &t,
                                  llvm::DenseSet<Operation *> &done) {
  SmallVector<OpFoldResult> ctiles =
      contractionTiles(rewriter, contraction, t, /*kTile=*/false);
  SmallVector<OpFoldResult> tiles;
  if (root == contraction.getOperation()) {
    tiles = ctiles;
  } else {
    AffineMap out =
        contraction.getIndexingMapMatchingResult(contraction->getResult(0));
    for (unsigned i = 0; i < out.getNumResults(); ++i)
      tiles.push_back(ctiles[out.getDimPosition(i)]);
  }
  scf::SCFTileAndFuseOptions options;
  options.setTilingOptions(tilingOptions(tiles));
  Operation *contractionOp = contraction.getOperation();
  options.setFusionControlFn(
      [&](tensor::ExtractSliceOp, OpResult producer,
          bool) -> std::optional<scf::SCFTileAndFuseOptions::ControlFnResult> {
        Operation *p = producer.getOwner();
        if (isa<linalg::FillOp>(p) || p == contractionOp)
          return scf::SCFTileAndFuseOptions::ControlFnResult{};
        return std::nullopt;
      });
  rewriter.setInsertionPoint(root);
  FailureOr<scf::SCFTileAndFuseResult> fused =
      scf::tileConsumerAndFuseProducersUsingSCF(
          rewriter, cast<TilingInterface>(root), options);
  if (failed(fused))
    return failure();
  markLoops(fused->loops, rewriter);
  for (OpResult r : root->getResults())
    if (Value v = fused->replacements.lookup(r))
      rewriter.replaceAllUsesWith(r, v);
  // The untiled ops are dead now (each had one use, inside the nest).
  done.insert(root);
  rewriter.eraseOp(root);
  for (Operation *p : fused->fusedProducers) {
    if (!p->use_empty())
      continue; // Also used elsewhere: tiled on its own later.
    done.insert(p);
    rewriter.eraseOp(p);
  }
  for (Operation *op : fused->tiledAndFusedOps) {
    auto lin = dyn_cast<linalg::LinalgOp>(op);
    if (!lin || !isContraction(lin))
      continue;
    if (failed(tileAndReplace(rewriter, op,
                              contractionTiles(rewriter, lin, t, true),
                              /*mark=*/false)))
      return failure();
  }
  return success();
}

/// Peels every marked tile loop whose trip does not divide by its step, so
/// both the main loop and the remainder see static tile shapes.
void peelTileLoops(func::FuncOp func, RewriterBase &rewriter) {
  bool changed = true;
  while (changed) {
    changed = false;
    SmallVector<scf::ForOp> loops;
    func.walk([&](scf::ForOp loop) {
      if (loop->hasAttr(kTileLoop))
        loops.push_back(loop);
    });
    for (scf::ForOp loop : loops) {
      loop->removeAttr(kTileLoop);
      scf::ForOp partial;
      rewriter.setInsertionPoint(loop);
      if (succeeded(scf::peelForLoopAndSimplifyBounds(rewriter, loop,
                                                      partial)) &&
          partial)
        partial->removeAttr(kTileLoop);
      changed = true;
    }
  }
}

void canonicalize(func::FuncOp func) {
  MLIRContext *ctx = func.getContext();
  RewritePatternSet patterns(ctx);
  for (Dialect *d : ctx->getLoadedDialects())
    d->getCanonicalizationPatterns(patterns);
  for (RegisteredOperationName op : ctx->getRegisteredOperations())
    op.getCanonicalizationPatterns(patterns, ctx);
  (void)applyPatternsGreedily(func, std::move(patterns));
}

/// Vectorizes every linalg op (and tensor.pad) with static shapes and a tile
/// sized iteration space; 2-D pooling windows are decomposed to 1-D first.
void vectorizeTiles(func::FuncOp func, RewriterBase &rewriter) {
  {
    RewritePatternSet patterns(func.getContext());
    linalg::populateDecomposeConvolutionPatterns(patterns);
    (void)applyPatternsGreedily(func, std::move(patterns));
  }
  SmallVector<Operation *> ops;
  func.walk([&](linalg::LinalgOp op) {
    if (!op.hasPureTensorSemantics())
      return;
    SmallVector<int64_t> ranges = op.getStaticLoopRanges();
    if (!allStatic(ranges))
      return;
    int64_t size = 1;
    for (int64_t r : ranges)
      size *= r;
    if (size <= kMaxTileElements)
      ops.push_back(op);
  });
  for (Operation *op : ops) {
    // Window copies (im2col rows): linalg::vectorize rejects their maps.
    if (auto generic = dyn_cast<linalg::GenericOp>(op);
        generic && succeeded(vectorizeWindowCopy(rewriter, generic)))
      continue;
    if (!linalg::hasVectorizationImpl(op))
      continue;
    rewriter.setInsertionPoint(op);
    FailureOr<linalg::VectorizationResult> v = linalg::vectorize(
        rewriter, op, /*inputVectorSizes=*/{}, /*inputScalableVecDims=*/{},
        /*vectorizeNDExtract=*/true, /*flatten1DDepthwiseConv=*/false,
        /*assumeDynamicDimsMatchVecSizes=*/false,
        /*createNamedContraction=*/true);
    if (failed(v))
      continue; // Stays a linalg op: lowered to loops later.
    if (op->getNumResults())
      rewriter.replaceOp(op, v->replacements);
    else
      rewriter.eraseOp(op);
  }
}
} // namespace

void dc::glue::tileAndVectorize(func::FuncOp func, const TileTarget &t,
                                bool fuse) {
  IRRewriter rewriter(func.getContext());
  SmallVector<Operation *> ops;
  func.walk([&](linalg::LinalgOp op) {
    if (op.hasPureTensorSemantics() && allStatic(op.getStaticLoopRanges()) &&
        !hasUntileableMap(op))
      ops.push_back(op);
  });
  llvm::DenseSet<Operation *> done;
  // Consumers first, so a contraction can be fused into its epilogue.
  for (Operation *op : llvm::reverse(ops)) {
    if (done.contains(op))
      continue;
    auto lin = cast<linalg::LinalgOp>(op);
    if (lin.getNumLoops() == 0)
      continue;
    if (auto generic = dyn_cast<linalg::GenericOp>(op); generic && fuse) {
      if (linalg::LinalgOp c = fusableContraction(generic)) {
        if (succeeded(tileContractionNest(rewriter, op, c, t, done)))
          continue;
      }
    }
    if (isContraction(lin)) {
      (void)tileContractionNest(rewriter, op, lin, t, done);
      continue;
    }
    if (isPooling(op)) {
      (void)tileAndReplace(rewriter, op, poolingTiles(rewriter, op, t),
                           /*mark=*/true);
      continue;
    }
    if (isa<linalg::ConvolutionOpInterface>(op))
      continue; // Dense convolutions were rewritten to im2col before.
    (void)tileAndReplace(rewriter, op, rowTiles(rewriter, lin, t),
                         /*mark=*/true);
  }
  peelTileLoops(func, rewriter);
  canonicalize(func);
  vectorizeTiles(func, rewriter);
}
