//===- SplitDeallocs.cpp - dc-split-deallocs ------------------------------===//
//
// The buffers of one `bufferization.dealloc` that provably alias nothing else
// it names, each moved to its own `bufferization.dealloc` (GluePasses.td).
// Upstream's simplification finds the same splits with an alias query per
// pair of operands; knowing each operand's allocation makes it one pass.
//
//===----------------------------------------------------------------------===//

#include "dc/Conversion/GluePasses.h"

#include "mlir/Dialect/Bufferization/IR/Bufferization.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Interfaces/ViewLikeInterface.h"
#include "mlir/Transforms/WalkPatternRewriteDriver.h"

namespace dc {
#define GEN_PASS_DEF_DCSPLITDEALLOCS
#include "dc/Conversion/GluePasses.h.inc"
} // namespace dc

using namespace mlir;

namespace {
/// Where a buffer comes from: the allocation (an alloc, alloca or
/// get_global op, or a block argument of the function) that `value` is a
/// view of, or a null value when that is not known (a call result, a load,
/// a block argument of an inner block, ...).
Value findOrigin(Value value) {
  while (true) {
    if (auto arg = dyn_cast<BlockArgument>(value)) {
      Block *block = arg.getOwner();
      bool entry = block->isEntryBlock() &&
                   isa<FunctionOpInterface>(block->getParentOp());
      return entry ? value : Value();
    }
    Operation *def = value.getDefiningOp();
    if (isa<memref::AllocOp, memref::AllocaOp, memref::GetGlobalOp>(def))
      return value;
    // The ownership-based deallocation frees base buffers it extracts.
    if (auto metadata = dyn_cast<memref::ExtractStridedMetadataOp>(def)) {
      if (metadata.getBaseBuffer() != value)
        return Value();
      value = metadata.getSource();
      continue;
    }
    auto view = dyn_cast<ViewLikeOpInterface>(def);
    if (!view || view.getViewDest() != value)
      return Value();
    value = view.getViewSource();
  }
}

/// Moves each operand of a `bufferization.dealloc` that is an allocation of
/// this function no other operand is derived from into a dealloc of its own.
struct SplitIndependentDeallocs
    : public OpRewritePattern<bufferization::DeallocOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(bufferization::DeallocOp op,
                                PatternRewriter &rewriter) const override {
    if (op.getMemrefs().size() < 2)
      return failure();
    // How many operands (freed or retained) derive from each allocation.
    DenseMap<Value, unsigned> uses;
    SmallVector<Value> origins;
    for (Value v : op.getMemrefs()) {
      Value origin = findOrigin(v);
      if (!origin)
        return failure();
      origins.push_back(origin);
      ++uses[origin];
    }
    for (Value v : op.getRetained()) {
      Value origin = findOrigin(v);
      if (!origin)
        return failure();
      ++uses[origin];
    }

    SmallVector<Value> keptMemrefs, keptConditions;
    SmallVector<std::pair<Value, Value>> split;
    for (auto [memref, condition, origin] :
         llvm::zip_equal(op.getMemrefs(), op.getConditions(), origins)) {
      bool own = isa_and_present<memref::AllocOp, memref::AllocaOp>(
          origin.getDefiningOp());
      if (own && uses[origin] == 1) {
        split.push_back({memref, condition});
      } else {
        keptMemrefs.push_back(memref);
        keptConditions.push_back(condition);
      }
    }
    if (split.empty())
      return failure();

    for (auto [memref, condition] : split)
      bufferization::DeallocOp::create(rewriter, op.getLoc(), memref, condition,
                                       ValueRange{});
    rewriter.modifyOpInPlace(op, [&] {
      op.getMemrefsMutable().assign(keptMemrefs);
      op.getConditionsMutable().assign(keptConditions);
    });
    return success();
  }
};

} // namespace

void dc::populateSplitDeallocsPatterns(RewritePatternSet &patterns) {
  patterns.add<SplitIndependentDeallocs>(patterns.getContext());
}

namespace {
struct DCSplitDeallocsPass
    : public dc::impl::DCSplitDeallocsBase<DCSplitDeallocsPass> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    dc::populateSplitDeallocsPatterns(patterns);
    // One visit per op: the split leaves nothing for a second round.
    walkAndApplyPatterns(getOperation(), std::move(patterns));
  }
};
} // namespace
