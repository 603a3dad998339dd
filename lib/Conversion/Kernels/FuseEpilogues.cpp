//===- FuseEpilogues.cpp - dc-fuse-epilogues ------------------------------===//
//
// Folds elementwise consumers of a dc.matvec / dc.matmul (a bias add, ReLU,
// clip, hard-swish, a residual add, a BatchNorm scale and shift) into the
// op's epilogue region (DCOps.td), so the kernel applies them to each sum
// before storing it instead of a second pass over memory.
//
// A consumer is a linalg.generic on tensors with parallel loops only, one
// result, an `outs` it does not read, and a body of scalar elementwise
// arith/math ops (constants from above are copied in). One input reaches
// the dc op's result R ([M] or [M, N]) through single-use reshapes
// (expand_shape, collapse_shape) and linalg.transposes, the forms
// dc-rewrite-contractions arranges products with. Every other input must be
//   - per row: its elements, in order, are R's rows (a bias, a per-channel
//     scale; e.g. the [C] bias of an NCHW convolution read with (d1)), or
//   - per element: its elements, in order, are R's (a residual laid out
//     like R), or
//   - a splat f32 constant (becomes a constant in the region).
// Then the generic is replaced by the dc op with the extended epilogue,
// followed by the reshapes/transpose that arrange it as the generic's
// result. Chains fuse one generic at a time.
//
// How dimensions are tracked: R's dimensions are cut into "atoms" (the
// parts expand_shape splits them into); each dimension along the chain,
// and each loop of the generic, is a sequence of atoms. An operand is per
// row when its dimensions' atoms, in order, are exactly the atoms of R's
// dimension 0, per element when they are all of R's atoms in order.
//
//===----------------------------------------------------------------------===//

#include "dc/Conversion/KernelPasses.h"
#include "dc/Dialect/DC/Epilogue.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Utils/ReshapeOpsUtils.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/IR/Matchers.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace dc {
#define GEN_PASS_DEF_DCFUSEEPILOGUES
#include "dc/Conversion/KernelPasses.h.inc"
} // namespace dc

using namespace mlir;

namespace {

using Atoms = SmallVector<int>;

/// The atoms of the dimensions of one value of the chain from R.
struct AtomTable {
  SmallVector<int64_t> size; // by atom id
  SmallVector<Atoms> of;     // atoms of R's dimension d, in order
};

/// `v`'s dimensions as atoms, following `v` back to a dc contraction's
/// result through single-use reshapes and transposes; the contraction (and
/// the chain's ops, last first) in `contraction` / `chain`. Fails for
/// anything else.
FailureOr<SmallVector<Atoms>> traceToContraction(Value v, AtomTable &table,
                                                 Operation *&contraction,
                                                 SmallVector<Operation *> &chain) {
  Operation *def = v.getDefiningOp();
  if (!def || !v.hasOneUse())
    return failure();
  auto type = dyn_cast<RankedTensorType>(v.getType());
  if (!type || !type.hasStaticShape())
    return failure();
  if (isa<dc::MatvecOp, dc::MatmulOp>(def)) {
    contraction = def;
    SmallVector<Atoms> dims;
    for (int64_t s : type.getShape()) {
      Atoms a;
      if (s != 1) {
        a.push_back(table.size.size());
        table.size.push_back(s);
      }
      table.of.push_back(a);
      dims.push_back(a);
    }
    return dims;
  }
  chain.push_back(def);
  if (auto expand = dyn_cast<tensor::ExpandShapeOp>(def)) {
    FailureOr<SmallVector<Atoms>> in =
        traceToContraction(expand.getSrc(), table, contraction, chain);
    if (failed(in))
      return failure();
    SmallVector<Atoms> dims(type.getRank());
    for (auto [i, group] : llvm::enumerate(expand.getReassociationIndices())) {
      Atoms &src = (*in)[i];
      SmallVector<int64_t> parts;
      for (int64_t d : group)
        if (type.getDimSize(d) != 1)
          parts.push_back(d);
      if (parts.size() <= 1) {
        if (parts.size() == 1)
          dims[parts[0]] = src;
        continue;
      }
      // A split: only of one whole atom, into new atoms in its place.
      if (src.size() != 1)
        return failure();
      int old = src[0];
      Atoms fresh;
      for (int64_t d : parts) {
        int id = table.size.size();
        table.size.push_back(type.getDimSize(d));
        fresh.push_back(id);
        dims[d] = Atoms{id};
      }
      for (Atoms &of : table.of) {
        auto it = llvm::find(of, old);
        if (it != of.end()) {
          size_t at = it - of.begin();
          of.erase(it);
          of.insert(of.begin() + at, fresh.begin(), fresh.end());
        }
      }
    }
    return dims;
  }
  if (auto collapse = dyn_cast<tensor::CollapseShapeOp>(def)) {
    FailureOr<SmallVector<Atoms>> in =
        traceToContraction(collapse.getSrc(), table, contraction, chain);
    if (failed(in))
      return failure();
    SmallVector<Atoms> dims;
    for (ReassociationIndices group : collapse.getReassociationIndices()) {
      Atoms merged;
      for (int64_t d : group)
        merged.append((*in)[d]);
      dims.push_back(merged);
    }
    return dims;
  }
  if (auto transpose = dyn_cast<linalg::TransposeOp>(def)) {
    if (!transpose.hasPureTensorSemantics())
      return failure();
    FailureOr<SmallVector<Atoms>> in =
        traceToContraction(transpose.getInput(), table, contraction, chain);
    if (failed(in))
      return failure();
    SmallVector<Atoms> dims;
    for (int64_t p : transpose.getPermutation())
      dims.push_back((*in)[p]);
    return dims;
  }
  return failure();
}

/// `v` reshaped to `type` (same elements in the same order).
Value reshapeSameOrder(OpBuilder &b, Location loc, Value v,
                       RankedTensorType type) {
  auto from = cast<RankedTensorType>(v.getType());
  if (from == type)
    return v;
  if (from.getRank() > type.getRank()) {
    if (auto r = getReassociationIndicesForCollapse(from.getShape(),
                                                    type.getShape()))
      return tensor::CollapseShapeOp::create(b, loc, type, v, *r);
  } else if (from.getRank() < type.getRank()) {
    if (auto r = getReassociationIndicesForCollapse(type.getShape(),
                                                    from.getShape()))
      return tensor::ExpandShapeOp::create(b, loc, type, v, *r);
  }
  auto flatType =
      RankedTensorType::get({from.getNumElements()}, from.getElementType());
  Value flat = v;
  if (from.getRank() != 1) {
    ReassociationIndices all;
    for (int64_t d = 0; d < from.getRank(); ++d)
      all.push_back(d);
    flat = tensor::CollapseShapeOp::create(b, loc, flatType, v,
                                           ArrayRef<ReassociationIndices>{all});
  }
  if (type.getRank() == 1)
    return flat;
  ReassociationIndices all;
  for (int64_t d = 0; d < type.getRank(); ++d)
    all.push_back(d);
  return tensor::ExpandShapeOp::create(b, loc, type, flat,
                                       ArrayRef<ReassociationIndices>{all});
}

/// The value of a splat f32 constant tensor, if `v` is one.
std::optional<APFloat> splatConstant(Value v) {
  DenseElementsAttr attr;
  if (!matchPattern(v, m_Constant(&attr)) || !attr.isSplat() ||
      !attr.getElementType().isF32())
    return std::nullopt;
  return attr.getSplatValue<APFloat>();
}

bool isScalarElementwise(Operation *op) {
  auto scalar = [](Type t) { return t.isF32() || t.isInteger(1); };
  return op->getNumRegions() == 0 && isMemoryEffectFree(op) &&
         op->getNumResults() == 1 &&
         llvm::all_of(op->getOperandTypes(), scalar) &&
         llvm::all_of(op->getResultTypes(), scalar) &&
         (op->hasTrait<OpTrait::ConstantLike>() ||
          (op->hasTrait<OpTrait::Elementwise>() &&
           op->hasTrait<OpTrait::Vectorizable>()));
}

struct FuseElementwiseConsumer : OpRewritePattern<linalg::GenericOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(linalg::GenericOp g,
                                PatternRewriter &rewriter) const override {
    if (!g.hasPureTensorSemantics() || g.getNumResults() != 1 ||
        g.getNumDpsInits() != 1 ||
        g.getNumLoops() != g.getNumParallelLoops())
      return failure();
    auto outType = dyn_cast<RankedTensorType>(g.getResult(0).getType());
    if (!outType || !outType.hasStaticShape() ||
        !outType.getElementType().isF32())
      return failure();
    Block &body = g.getRegion().front();
    if (g.payloadUsesValueFromOperand(g.getDpsInitOperand(0)))
      return rewriter.notifyMatchFailure(g, "reads its outs");
    // The body: scalar elementwise ops on block arguments, values of the
    // body and constants from above.
    SmallVector<Operation *> outerConstants;
    for (Operation &op : body.without_terminator()) {
      if (!isScalarElementwise(&op))
        return rewriter.notifyMatchFailure(g, "body op not elementwise");
      for (Value v : op.getOperands()) {
        if (isa<BlockArgument>(v) && cast<BlockArgument>(v).getOwner() == &body)
          continue;
        Operation *def = v.getDefiningOp();
        if (def && def->getBlock() == &body)
          continue;
        if (!def || !def->hasTrait<OpTrait::ConstantLike>() ||
            !isScalarElementwise(def))
          return rewriter.notifyMatchFailure(g, "captures a value");
        if (!llvm::is_contained(outerConstants, def))
          outerConstants.push_back(def);
      }
    }
    Value yielded = body.getTerminator()->getOperand(0);
    if (!yielded.getType().isF32())
      return failure();

    // The input that comes from a dc contraction.
    SmallVector<int64_t> ranges = g.getStaticLoopRanges();
    AtomTable table;
    Operation *contraction = nullptr;
    SmallVector<Operation *> chain;
    SmallVector<Atoms> srcDims;
    int src = -1;
    for (OpOperand *in : g.getDpsInputOperands()) {
      AtomTable t;
      Operation *c = nullptr;
      SmallVector<Operation *> ch;
      FailureOr<SmallVector<Atoms>> dims =
          traceToContraction(in->get(), t, c, ch);
      if (failed(dims) || !c->getOperand(0).getDefiningOp<dc::ConstantOp>())
        continue;
      if (src >= 0)
        return rewriter.notifyMatchFailure(g, "two contraction inputs");
      src = in->getOperandNumber();
      table = std::move(t);
      contraction = c;
      chain = std::move(ch);
      srcDims = std::move(*dims);
    }
    if (src < 0 || contraction->getNumResults() != 1)
      return failure();
    if (table.size.empty())
      return rewriter.notifyMatchFailure(g, "a one-element product");
    // Atoms of each loop, from the contraction input's indexing map.
    AffineMap srcMap = g.getMatchingIndexingMap(g.getDpsInputOperand(src));
    if (!srcMap.isPermutation())
      return rewriter.notifyMatchFailure(g, "contraction input not a "
                                            "permutation");
    SmallVector<Atoms> loopAtoms(g.getNumLoops());
    for (unsigned j = 0; j < srcMap.getNumResults(); ++j)
      loopAtoms[srcMap.getDimPosition(j)] = srcDims[j];
    auto atomsOf = [&](AffineMap map) -> std::optional<Atoms> {
      if (!map.isProjectedPermutation(/*allowZeroInResults=*/false))
        return std::nullopt;
      Atoms r;
      for (unsigned j = 0; j < map.getNumResults(); ++j)
        r.append(loopAtoms[map.getDimPosition(j)]);
      return r;
    };
    Atoms rows = table.of[0];
    Atoms all = rows;
    if (table.of.size() > 1)
      all.append(table.of[1]);

    // The other inputs: per row, per element, or splat constants.
    struct Arg {
      Value value;                  // the operand (null: constant)
      std::optional<APFloat> splat; // the constant
      bool perRow = false;          // read per row of a dc.matmul
    };
    SmallVector<Arg> args(g.getNumDpsInputs());
    auto rType = cast<RankedTensorType>(contraction->getResult(0).getType());
    int64_t m = rType.getDimSize(0);
    for (OpOperand *in : g.getDpsInputOperands()) {
      int i = in->getOperandNumber();
      if (i == src)
        continue;
      if (std::optional<APFloat> c = splatConstant(in->get())) {
        args[i].splat = *c;
        continue;
      }
      auto type = dyn_cast<RankedTensorType>(in->get().getType());
      std::optional<Atoms> atoms = atomsOf(g.getMatchingIndexingMap(in));
      if (!type || !type.hasStaticShape() || !type.getElementType().isF32() ||
          !atoms)
        return rewriter.notifyMatchFailure(g, "operand map or type");
      args[i].value = in->get();
      if (*atoms == rows && rType.getRank() == 2)
        args[i].perRow = true; // reshaped to [M] below
      else if (*atoms != all)
        return rewriter.notifyMatchFailure(g, "operand neither per row nor "
                                              "per element");
    }
    // The result's atoms, in the output's order.
    std::optional<Atoms> outAtoms =
        atomsOf(g.getMatchingIndexingMap(g.getDpsInitOperand(0)));
    if (!outAtoms || outAtoms->size() != all.size())
      return rewriter.notifyMatchFailure(g, "broadcasts the product");
    for (unsigned l = 0; l < g.getNumLoops(); ++l)
      if (ranges[l] != 1 && loopAtoms[l].empty())
        return rewriter.notifyMatchFailure(g, "broadcasts the product");

    // The new contraction, at the generic.
    Location loc = g.getLoc();
    rewriter.setInsertionPoint(g);
    SmallVector<Value> operands(dc::getEpilogueOperands(contraction));
    SmallVector<int> argIndex(g.getNumDpsInputs(), -1);
    for (auto [i, a] : llvm::enumerate(args)) {
      if (!a.value)
        continue;
      RankedTensorType target =
          a.perRow ? RankedTensorType::get({m}, rewriter.getF32Type()) : rType;
      argIndex[i] = operands.size();
      operands.push_back(reshapeSameOrder(rewriter, loc, a.value, target));
    }
    OperationState state(contraction->getLoc(), contraction->getName());
    state.addOperands(contraction->getOperands().take_front(3));
    state.addOperands(operands);
    state.addTypes(rType);
    state.addAttributes(contraction->getAttrs());
    state.propertiesAttr = contraction->getPropertiesAsAttribute();
    state.addRegion();
    Operation *fused = rewriter.create(state);

    // Its epilogue: the old one, then the generic's body on its value.
    Region &newRegion = fused->getRegion(0);
    Block *block = rewriter.createBlock(&newRegion);
    Type f32 = rewriter.getF32Type();
    block->addArgument(f32, loc);
    for (size_t i = 0; i < operands.size(); ++i)
      block->addArgument(f32, loc);
    rewriter.setInsertionPointToStart(block);
    Value sum = block->getArgument(0);
    Region &oldRegion = contraction->getRegion(0);
    if (!oldRegion.empty()) {
      IRMapping oldMap;
      Block &old = oldRegion.front();
      for (unsigned i = 0; i < old.getNumArguments(); ++i)
        oldMap.map(old.getArgument(i), block->getArgument(i));
      for (Operation &op : old.without_terminator())
        rewriter.clone(op, oldMap);
      sum = oldMap.lookup(old.getTerminator()->getOperand(0));
    }
    IRMapping map;
    for (Operation *c : outerConstants)
      map.map(c->getResult(0), rewriter.clone(*c)->getResult(0));
    for (auto [i, a] : llvm::enumerate(args)) {
      BlockArgument arg = body.getArgument(i);
      if (int(i) == src)
        map.map(arg, sum);
      else if (a.splat)
        map.map(arg, arith::ConstantFloatOp::create(rewriter, loc,
                                                    cast<FloatType>(f32),
                                                    *a.splat));
      else
        map.map(arg, block->getArgument(1 + argIndex[i]));
    }
    for (Operation &op : body.without_terminator())
      rewriter.clone(op, map);
    dc::YieldOp::create(rewriter, loc, map.lookupOrDefault(yielded));

    // Arranged as the generic's result: R -> atoms -> (transpose) -> out.
    rewriter.setInsertionPoint(g);
    Value result = fused->getResult(0);
    SmallVector<int64_t> atomShape;
    for (int a : all)
      atomShape.push_back(table.size[a]);
    result = reshapeSameOrder(rewriter, loc, result,
                              RankedTensorType::get(atomShape, f32));
    SmallVector<int64_t> perm;
    SmallVector<int64_t> outAtomShape;
    for (int a : *outAtoms) {
      perm.push_back(llvm::find(all, a) - all.begin());
      outAtomShape.push_back(table.size[a]);
    }
    if (!llvm::equal(perm, llvm::seq<int64_t>(0, perm.size()))) {
      Value empty = tensor::EmptyOp::create(rewriter, loc, outAtomShape, f32);
      result = linalg::TransposeOp::create(rewriter, loc, result, empty, perm)
                   ->getResult(0);
    }
    result = reshapeSameOrder(rewriter, loc, result, outType);
    rewriter.replaceOp(g, result);
    for (Operation *op : chain)
      rewriter.eraseOp(op);
    rewriter.eraseOp(contraction);
    return success();
  }
};

struct FuseEpiloguesPass
    : dc::impl::DCFuseEpiloguesBase<FuseEpiloguesPass> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    patterns.add<FuseElementwiseConsumer>(&getContext());
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      signalPassFailure();
  }
};

} // namespace
