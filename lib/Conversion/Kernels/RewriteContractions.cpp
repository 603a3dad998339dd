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
#include "dc/Transforms/WeightChain.h"

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
#include "mlir/Dialect/Utils/ReshapeOpsUtils.h"
#include "mlir/IR/Matchers.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"
#include "mlir/Transforms/WalkPatternRewriteDriver.h"
#include "llvm/Support/CheckedArithmetic.h"

#include <cstring>

namespace dc {
#define GEN_PASS_DEF_DCREWRITECONTRACTIONS
#include "dc/Conversion/KernelPasses.h.inc"
} // namespace dc

using namespace mlir;

namespace {

//===----------------------------------------------------------------------===//
// Contractions: one dc.matvec / dc.matmul per contraction
//===----------------------------------------------------------------------===//

/// `v` with extf / truncf ops peeled off.
static Value stripCasts(Value v) {
  while (Operation *def = v.getDefiningOp()) {
    if (!isa<arith::ExtFOp, arith::TruncFOp>(def))
      break;
    v = def->getOperand(0);
  }
  return v;
}

/// True if the body of `op` yields acc + a * b for its two inputs a, b and
/// accumulator acc, with only float extensions / truncations besides (the
/// bodies of linalg.matmul & co., including mixed-precision ones, and of
/// contraction generics in either operand order).
static bool hasMulAddBody(linalg::LinalgOp op) {
  Block *body = op.getBlock();
  if (!body || body->getNumArguments() != 3)
    return false;
  for (Operation &inner : body->without_terminator())
    if (!isa<arith::ExtFOp, arith::TruncFOp, arith::MulFOp, arith::AddFOp>(
            inner))
      return false;
  auto yield = dyn_cast<linalg::YieldOp>(body->getTerminator());
  if (!yield || yield.getNumOperands() != 1)
    return false;
  auto add = stripCasts(yield.getOperand(0)).getDefiningOp<arith::AddFOp>();
  if (!add)
    return false;
  Value acc = body->getArgument(2);
  Value lhs = stripCasts(add.getLhs()), rhs = stripCasts(add.getRhs());
  Value product = lhs == acc ? rhs : rhs == acc ? lhs : Value();
  auto mul = product ? product.getDefiningOp<arith::MulFOp>() : nullptr;
  if (!mul)
    return false;
  Value a = stripCasts(mul.getLhs()), b = stripCasts(mul.getRhs());
  Value arg0 = body->getArgument(0), arg1 = body->getArgument(1);
  return (a == arg0 && b == arg1) || (a == arg1 && b == arg0);
}

/// `v` reshaped to `shape` by one collapse_shape or expand_shape (or as is);
/// null if the two shapes are not related that way.
static Value reshapeTo(OpBuilder &b, Location loc, Value v,
                       ArrayRef<int64_t> shape) {
  auto type = cast<RankedTensorType>(v.getType());
  if (type.getShape() == shape)
    return v;
  auto target = RankedTensorType::get(shape, type.getElementType());
  if (shape.size() < size_t(type.getRank())) {
    std::optional<SmallVector<ReassociationIndices>> groups =
        getReassociationIndicesForCollapse(type.getShape(), shape);
    if (!groups)
      return {};
    return tensor::CollapseShapeOp::create(b, loc, target, v, *groups);
  }
  if (shape.size() > size_t(type.getRank())) {
    std::optional<SmallVector<ReassociationIndices>> groups =
        getReassociationIndicesForCollapse(shape, type.getShape());
    if (!groups)
      return {};
    return tensor::ExpandShapeOp::create(b, loc, target, v, *groups);
  }
  return {};
}

/// True if reading `source` through `map` (target dims -> source dims) into
/// `targetShape` is a plain reshape: the dims appear in increasing order, the
/// target dims not read have size 1, and constant indices only address unit
/// source dims.
static bool isReshapeMap(AffineMap map, ArrayRef<int64_t> sourceShape,
                         ArrayRef<int64_t> targetShape) {
  int64_t next = 0;
  for (auto [r, expr] : llvm::enumerate(map.getResults())) {
    if (auto dim = dyn_cast<AffineDimExpr>(expr)) {
      int64_t pos = dim.getPosition();
      if (pos < next)
        return false;
      for (; next < pos; ++next)
        if (targetShape[next] != 1)
          return false;
      ++next;
    } else if (sourceShape[r] != 1) {
      return false;
    }
  }
  for (; next < int64_t(targetShape.size()); ++next)
    if (targetShape[next] != 1)
      return false;
  return true;
}

/// The tensor of shape `shape` and element type `element` whose element at
/// index i is `source[map(i)]` (converted): a reshape, a linalg.transpose or
/// a copying linalg.generic.
static Value arrange(OpBuilder &b, Location loc, Value source, AffineMap map,
                     ArrayRef<int64_t> shape, Type element) {
  auto type = cast<RankedTensorType>(source.getType());
  if (type.getElementType() == element) {
    if (isReshapeMap(map, type.getShape(), shape))
      if (Value v = reshapeTo(b, loc, source, shape))
        return v;
    if (map.isPermutation() && map.getNumDims() > 1) {
      // Result dim i is source dim perm[i].
      SmallVector<int64_t> perm(map.getNumDims());
      for (auto [r, expr] : llvm::enumerate(map.getResults()))
        perm[cast<AffineDimExpr>(expr).getPosition()] = r;
      Value init = tensor::EmptyOp::create(b, loc, shape, element);
      return linalg::TransposeOp::create(b, loc, source, init,
                                         b.getDenseI64ArrayAttr(perm))
          ->getResult(0);
    }
  }
  Value init = tensor::EmptyOp::create(b, loc, shape, element);
  auto resultType = RankedTensorType::get(shape, element);
  AffineMap identity =
      AffineMap::getMultiDimIdentityMap(shape.size(), b.getContext());
  return linalg::GenericOp::create(
             b, loc, TypeRange{resultType}, ValueRange{source},
             ValueRange{init}, ArrayRef<AffineMap>{map, identity},
             SmallVector<utils::IteratorType>(shape.size(),
                                              utils::IteratorType::parallel),
             [&](OpBuilder &nb, Location nl, ValueRange args) {
               linalg::YieldOp::create(nb, nl,
                                       dc::kernels::castFloat(nb, nl, args[0], element));
             })
      ->getResult(0);
}

/// The row-major offsets into a chain's root of a weight read as an M x K
/// matrix; fails if the chain cannot be followed or the weight differs along
/// the batch loop.
static LogicalResult
getWeightOffsets(const dc::WeightChain &chain, RankedTensorType tracedType,
                 AffineMap weightMap, int64_t numLoops, int64_t mLoop,
                 int64_t kLoop, int64_t batchLoop, int64_t m, int64_t k,
                 int64_t batch, std::vector<uint32_t> &offsets) {
  std::optional<std::vector<dc::LayoutStep>> steps =
      dc::getWeightChainSteps(chain);
  if (!steps)
    return failure();
  std::optional<int64_t> mk = llvm::checkedMul(m, k);
  if (!mk || *mk > dc::kMaxChainElements)
    return failure();
  bool usesBatch = batchLoop >= 0 && weightMap.isFunctionOfDim(batchLoop);
  if (usesBatch && !llvm::checkedMul(*mk, batch).has_value())
    return failure();
  dc::ChainIndexer indexer(std::move(*steps), tracedType.getShape());
  SmallVector<int64_t> loops(numLoops, 0), index(weightMap.getNumResults());
  auto offsetAt = [&]() {
    for (auto [r, expr] : llvm::enumerate(weightMap.getResults())) {
      if (auto dim = dyn_cast<AffineDimExpr>(expr))
        index[r] = loops[dim.getPosition()];
      else
        index[r] = cast<AffineConstantExpr>(expr).getValue();
    }
    return indexer.getRootOffset(index);
  };
  offsets.resize(*mk);
  for (int64_t b = 0, nb = usesBatch ? batch : 1; b < nb; ++b) {
    if (batchLoop >= 0)
      loops[batchLoop] = b;
    for (int64_t i = 0; i < m; ++i) {
      loops[mLoop] = i;
      for (int64_t j = 0; j < k; ++j) {
        loops[kLoop] = j;
        int64_t offset = offsetAt();
        if (b == 0)
          offsets[i * k + j] = uint32_t(offset);
        else if (offsets[i * k + j] != uint32_t(offset))
          return failure(); // A different weight per batch entry.
      }
    }
  }
  return success();
}

/// Re-encoded matrices of permuted weights, by constant.
using PermutedCache =
    DenseMap<Operation *, SmallVector<std::pair<std::vector<uint32_t>, Value>>>;

/// A `dc.constant` holding the M x K matrix whose element (i, j) is element
/// offsets[i * K + j] of `constant` (row-major), re-encoded with the same
/// parameters and codebook and checked to decode to exactly those elements.
static Value buildPermutedMatrix(dc::ConstantOp constant,
                                 ArrayRef<uint32_t> offsets, int64_t m,
                                 int64_t k, PermutedCache &cache) {
  auto &entries = cache[constant.getOperation()];
  for (auto &[known, value] : entries)
    if (ArrayRef<uint32_t>(known) == offsets)
      return value;
  dc::CompressedTensorView view;
  dc::ViewStorage storage;
  if (failed(dc::getView(constant, view, storage)))
    return {};
  std::vector<uint32_t> root, expected(offsets.size());
  if (!dc::kernels::decodeAllElements(view, root))
    return {};
  for (auto [i, offset] : llvm::enumerate(offsets)) {
    if (offset >= root.size())
      return {};
    expected[i] = root[offset];
  }
  Value matrix = dc::kernels::buildReencodedMatrix(
      constant, view, expected, m, k, Float32Type::get(constant.getContext()));
  if (!matrix)
    return {};
  entries.emplace_back(std::vector<uint32_t>(offsets.begin(), offsets.end()),
                       matrix);
  return matrix;
}

/// Compressed matrices built for contractions, shared by all of them.
struct WeightViews {
  dc::kernels::MatrixViewCache matrices;
  PermutedCache permuted;
};

/// The compressed weight of a contraction as a 2-D f32 `dc.constant` W and
/// whether it is used transposed: W (M x K) or W^T (W: K x M). Same payload
/// when the weight is the root's elements read row-major in either
/// orientation, otherwise re-encoded (see getMatrixView and
/// buildPermutedMatrix).
static std::pair<Value, bool>
getWeightMatrix(dc::ConstantOp constant, ArrayRef<uint32_t> offsets, int64_t m,
                int64_t k, WeightViews &views) {
  bool rowMajor = true, transposed = true;
  for (int64_t i = 0; i < m && (rowMajor || transposed); ++i)
    for (int64_t j = 0; j < k; ++j) {
      uint32_t offset = offsets[i * k + j];
      rowMajor &= offset == uint32_t(i * k + j);
      transposed &= offset == uint32_t(j * m + i);
    }
  // The root's own dimensions, unpermuted, viewed as rows x cols.
  SmallVector<int64_t> identity = llvm::to_vector(
      llvm::seq<int64_t>(0, constant.getType().getTensorType().getRank()));
  if (rowMajor)
    if (Value w = dc::kernels::getMatrixView(constant, {}, identity, m, k,
                                             views.matrices))
      return {w, false};
  if (transposed)
    if (Value w = dc::kernels::getMatrixView(constant, {}, identity, k, m,
                                             views.matrices))
      return {w, true};
  return {buildPermutedMatrix(constant, offsets, m, k, views.permuted), false};
}

/// Rewrites a contraction (linalg.matmul / batch_matmul with any indexing
/// maps, matvec, vecmat, batch_matvec, batch_vecmat, a contraction
/// linalg.generic) one of whose inputs is a compressed weight, possibly
/// reached through a weight chain, into one dc.matvec / dc.matmul:
///   - the weight becomes an M x K matrix (M: its free loop, K: the
///     reduction), the same payload or re-encoded;
///   - the activation is arranged as K x (B * N) (B: the batch loop, N: its
///     free loop), so that a weight shared by every batch entry streams
///     once for the whole batch; this needs the weight to be the same for
///     every batch entry (a broadcast, or a batch of 1);
///   - the M x (B * N) product is arranged into the op's result, f16 / bf16
///     operands extended to f32 before and the result truncated after (the
///     sum is accumulated in f32), the `outs` value added unless zero.
/// Fails (leaving the op alone) on anything else.
static FailureOr<Value> rewriteContraction(OpBuilder &b, linalg::LinalgOp op,
                                           WeightViews &views) {
  if (!op.hasPureTensorSemantics() || op->getNumResults() != 1 ||
      op.getNumDpsInputs() != 2 || op.getNumDpsInits() != 1)
    return failure();
  Value init = op.getDpsInitOperand(0)->get();
  if (!dc::kernels::isStaticFloatTensor(op.getDpsInputOperand(0)->get()) ||
      !dc::kernels::isStaticFloatTensor(op.getDpsInputOperand(1)->get()) ||
      !dc::kernels::isStaticFloatTensor(init) || !hasMulAddBody(op))
    return failure();
  FailureOr<linalg::ContractionDimensions> dims =
      linalg::inferContractionDims(op);
  if (failed(dims) || dims->k.size() != 1 || dims->batch.size() > 1)
    return failure();

  // The weight: an input whose chain starts at dc.decompress(dc.constant).
  int64_t weightInput = -1;
  dc::ConstantOp constant;
  std::optional<dc::WeightChain> chain;
  for (int64_t i = 0; i < 2 && weightInput < 0; ++i) {
    chain = dc::traceWeightChain(op.getDpsInputOperand(i)->get());
    if (!chain)
      continue;
    auto dec = chain->root.getDefiningOp<dc::DecompressOp>();
    if (!dec)
      continue;
    constant = dec.getInput().getDefiningOp<dc::ConstantOp>();
    if (constant)
      weightInput = i;
  }
  if (weightInput < 0)
    return failure();
  OpOperand *weightOperand = op.getDpsInputOperand(weightInput);
  OpOperand *xOperand = op.getDpsInputOperand(1 - weightInput);
  auto loopOf = [](const SmallVector<unsigned, 2> &d) {
    return d.empty() ? int64_t(-1) : int64_t(d.front());
  };
  int64_t batchLoop = loopOf(dims->batch), kLoop = loopOf(dims->k);
  // The weight's free loop (exactly one) and the activation's (any number:
  // a 2-D weight read for every batch entry by batch_matmul's maps leaves
  // the batch among them).
  const SmallVector<unsigned, 2> &wFree = weightInput == 0 ? dims->m : dims->n;
  const SmallVector<unsigned, 2> &xFree = weightInput == 0 ? dims->n : dims->m;
  if (wFree.size() != 1)
    return failure(); // A weight vector or tensor: no matrix kernel.
  int64_t mLoop = wFree.front();
  SmallVector<int64_t> ranges = op.getStaticLoopRanges();
  int64_t numLoops = ranges.size();
  int64_t m = ranges[mLoop], k = ranges[kLoop];
  int64_t batch = batchLoop >= 0 ? ranges[batchLoop] : 1;
  std::optional<int64_t> cols = batch;
  for (unsigned l : xFree)
    cols = cols ? llvm::checkedMul(*cols, ranges[l]) : cols;
  if (!cols || m < 1 || k < 1 || *cols < 1)
    return failure();

  std::vector<uint32_t> offsets;
  if (failed(getWeightOffsets(
          *chain, cast<RankedTensorType>(weightOperand->get().getType()),
          op.getMatchingIndexingMap(weightOperand), numLoops, mLoop, kLoop,
          batchLoop, m, k, batch, offsets)))
    return failure();
  MLIRContext *ctx = op->getContext();
  // The loops the kernel's columns run over, of size > 1: batch, then the
  // activation's free loops.
  SmallVector<int64_t> colLoops;
  if (batchLoop >= 0 && batch > 1)
    colLoops.push_back(batchLoop);
  for (unsigned l : xFree)
    if (ranges[l] > 1)
      colLoops.push_back(l);
  // The result reads Y3 [M, colLoops...] through the output map.
  AffineMap outMap = op.getMatchingIndexingMap(op.getDpsInitOperand(0));
  auto resultType = cast<RankedTensorType>(op->getResult(0).getType());
  SmallVector<int64_t> yLoops = {mLoop};
  yLoops.append(colLoops.begin(), colLoops.end());
  SmallVector<AffineExpr> yExprs;
  for (int64_t l : yLoops) {
    std::optional<unsigned> pos =
        outMap.getResultPosition(getAffineDimExpr(l, ctx));
    if (!pos)
      return failure();
    yExprs.push_back(getAffineDimExpr(*pos, ctx));
  }
  AffineMap yMap = AffineMap::get(resultType.getRank(), 0, yExprs, ctx);

  auto [w, transposeW] = getWeightMatrix(constant, offsets, m, k, views);
  if (!w)
    return failure();

  Location loc = op->getLoc();
  Type f32 = b.getF32Type();

  // X3 [K, colLoops...] from the activation.
  SmallVector<AffineExpr> embed(numLoops, getAffineConstantExpr(0, ctx));
  SmallVector<int64_t> xShape = {k};
  embed[kLoop] = getAffineDimExpr(0, ctx);
  for (auto [i, l] : llvm::enumerate(colLoops)) {
    embed[l] = getAffineDimExpr(i + 1, ctx);
    xShape.push_back(ranges[l]);
  }
  AffineMap xMap = op.getMatchingIndexingMap(xOperand).compose(
      AffineMap::get(xShape.size(), 0, embed, ctx));
  Value x3 = arrange(b, loc, xOperand->get(), xMap, xShape, f32);

  // Y3 [M, colLoops...] = W X3.
  SmallVector<int64_t> yShape = {m};
  yShape.append(xShape.begin() + 1, xShape.end());
  Value y3;
  // The dc op overwrites its `outs` (a tensor.empty): the kernels store each
  // sum once, so a non-zero init is added after the arrangement below.
  if (*cols == 1) {
    Value xv = reshapeTo(b, loc, x3, {k});
    Value out = tensor::EmptyOp::create(b, loc, ArrayRef<int64_t>{m}, f32);
    Value yv =
        dc::MatvecOp::create(b, loc, w, xv, out, transposeW).getTensorResult();
    y3 = reshapeTo(b, loc, yv, yShape);
  } else {
    Value x2 = reshapeTo(b, loc, x3, {k, *cols});
    Value out =
        tensor::EmptyOp::create(b, loc, ArrayRef<int64_t>{m, *cols}, f32);
    Value y2 =
        dc::MatmulOp::create(b, loc, w, x2, out, transposeW).getTensorResult();
    y3 = reshapeTo(b, loc, y2, yShape);
  }
  assert(y3 && "M x cols reshapes to M x colLoops");

  Value y = arrange(b, loc, y3, yMap, resultType.getShape(), f32);
  return dc::kernels::addInit(b, loc, y, init);
}

/// The contraction rewrite as a pattern (see rewriteContraction).
struct ContractionOnCompressedWeight
    : OpInterfaceRewritePattern<linalg::LinalgOp> {
  ContractionOnCompressedWeight(MLIRContext *ctx,
                                std::shared_ptr<WeightViews> views)
      : OpInterfaceRewritePattern(ctx), views(std::move(views)) {}
  LogicalResult matchAndRewrite(linalg::LinalgOp op,
                                PatternRewriter &rewriter) const override {
    if (linalg::isaConvolutionOpInterface(op))
      return failure();
    FailureOr<Value> result = rewriteContraction(rewriter, op, *views);
    if (failed(result))
      return failure();
    rewriter.replaceOp(op, *result);
    return success();
  }
  /// Matrices built so far, shared by every contraction of one run.
  std::shared_ptr<WeightViews> views;
};

struct RewriteContractionsPass
    : dc::impl::DCRewriteContractionsBase<RewriteContractionsPass> {
  using Base::Base;
  /// Replaces every dc.constant with per-group codebooks by the same tensor
  /// with one codebook of global indices (expandToLayerCodebook), so that
  /// the rewrites (which replay weight chains on codebook indices) and the
  /// layouts see a layer codebook. One that needs more than 16-bit indices
  /// stays (and is decoded at load).
  void expandGroupedCodebooks() {
    SmallVector<dc::ConstantOp> grouped;
    getOperation().walk([&](dc::ConstantOp op) {
      if (op.getType().getEncoding().getCodebookRows() != 0)
        grouped.push_back(op);
    });
    for (dc::ConstantOp op : grouped) {
      dc::CompressedTensorView view;
      dc::ViewStorage storage;
      if (failed(dc::getView(op, view, storage)))
        continue;
      dc::CompressedTensor expanded;
      std::string error;
      if (!dc::expandToLayerCodebook(view, expanded, &error)) {
        op->emitRemark() << "dc-rewrite-contractions: decoding to dense: "
                         << error;
        continue;
      }
      std::string prefix = "w";
      if (auto layer = op->getAttrOfType<StringAttr>("dc.layer"))
        prefix = layer.getValue().str();
      OpBuilder b(op);
      dc::ConstantOp replacement = dc::buildConstant(
          b, op.getLoc(), op.getType().getTensorType(), expanded,
          prefix + "_global");
      replacement->setDiscardableAttrs(op->getDiscardableAttrDictionary());
      op->replaceAllUsesWith(replacement);
      op->erase();
    }
  }

  void runOnOperation() override {
    expandGroupedCodebooks();
    // Dead before the rewrites: not ours to clean up.
    DenseSet<Operation *> deadBefore;
    getOperation().walk([&](Operation *op) {
      if (isOpTriviallyDead(op))
        deadBefore.insert(op);
    });

    // Convolutions (im2col + dc.matmul, RewriteConvolutions.cpp), but for
    // the NCHW depthwise ones the glue runs as rows on the decoded filter.
    if (depthwiseRows)
      dc::kernels::markDepthwiseDecodeAtLoad(getOperation());
    {
      RewritePatternSet patterns(&getContext());
      dc::kernels::populateConvolutionRewritePatterns(patterns);
      walkAndApplyPatterns(getOperation(), std::move(patterns));
    }

    // Contractions, through their weight chains.
    RewritePatternSet patterns(&getContext());
    dc::populateContractionRewritePatterns(patterns);
    walkAndApplyPatterns(getOperation(), std::move(patterns));

    // Drop what the rewrites left without users: weight chains,
    // decompressions, fills, constants whose matrices were re-encoded.
    SmallVector<Operation *> maybeDead;
    getOperation().walk([&](Operation *op) {
      if (!deadBefore.contains(op) && isOpTriviallyDead(op) &&
          !isa<linalg::LinalgOp>(op->getParentOp()))
        maybeDead.push_back(op);
    });
    DenseSet<Operation *> erased;
    while (!maybeDead.empty()) {
      Operation *op = maybeDead.pop_back_val();
      if (erased.contains(op) || !isOpTriviallyDead(op))
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

void dc::populateContractionRewritePatterns(RewritePatternSet &patterns) {
  patterns.add<ContractionOnCompressedWeight>(patterns.getContext(),
                                              std::make_shared<WeightViews>());
}
