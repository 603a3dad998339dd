//===- RewriteConvolutions.cpp - linalg convolutions -> im2col + dc.matmul ===//
//
// A convolution whose filter is `dc.decompress` of a `dc.constant` becomes
// im2col + one dc.matmul on the compressed filter. One pattern serves every
// form: it reads the structure from the op's indexing maps
// (linalg::inferConvolutionDims), so the named ops (conv_2d_nchw_fchw,
// conv_2d_nhwc_hwcf, conv_2d_nhwc_fhwc, conv_2d_ngchw_fgchw,
// conv_2d_ngchw_gfchw, conv_2d_nhwgc_gfhwc, depthwise_conv_2d_nhwc_hwc,
// depthwise_conv_2d_nchw_chw, depthwise_conv_2d_nhwc_hwcm, their 1-D and
// 3-D variants) and a convolution written as a linalg.generic are the same
// case. The loops of a convolution fall into
//   depth (G: in input, filter and output: the group / depthwise channel),
//   output channel (F: filter and output), input channel (C: input and
//   filter), filter loop (KH, KW: filter, and input through the window),
//   batch and output image (N, OH, OW: input and output).
// With R = G*F rows, K = C*KH*KW and P = N*OH*OW:
//   X = im2col(I): [G*K, P], a copying linalg.generic over the loops
//       (depth, K loops, P loops) whose input map is the convolution's own
//       input map (strides, dilations and any padding already materialized
//       as a tensor.pad of I are simply part of what it reads);
//   Y = dc.matmul A, X {groups = G}: [R, P], A the filter as the [R, K]
//       matrix (rows: depth then output channel, columns: the K loops in
//       the filter's order); group g of A multiplies rows g*K.. of X;
//   O = Y reshaped (and transposed where the layouts differ) to the output,
//       plus the `outs` value unless it is zero.
// The filter matrix: when the filter's dimensions are already (rows, K)
// in order, A is the constant itself (the same payload under a 2-D type when
// its storage rows are the same, else re-encoded); when they are (K, rows)
// (HWCF, HWC, HWCM), A^T is and dc.matmul gets `transpose_w`; otherwise
// (FGCHW: F before G) the filter is re-encoded in the permuted order, with
// the same codebook and parameters, checked to decode to the same elements.
// The filter may reach the convolution through pure layout ops
// (dc::traceWeightChain: e.g. an ONNX [G*F, C, KH, KW] weight expanded to
// [G, F, C, KH, KW]); the chain is replayed on the decoded codebook indices
// and the result re-encoded; the dead chain is erased with the
// decompression. f16 / bf16 operands are extended to f32 by im2col and the
// result truncated once. Anything not handled (dynamic shapes, other element types,
// a filter that is not a dc.decompress behind such a chain) keeps its
// dc.decompress: it is decoded once at load and runs densely.
//
// NCHW depthwise convolutions (depthwise_conv_2d_nchw_chw, static f32: what
// the glue's DepthwiseConv.cpp runs as vectorized rows) are not rewritten
// unless asked: markDepthwiseDecodeAtLoad tags their dc.decompress
// `dc.decode_at_load` and the pattern leaves them. A row of their filter
// matrix has KH*KW (9) weights, so the grouped dc.matmul spends its time on
// the im2col copy and per-row overhead: 1.7-20x the time of the dense rows
// in the per-op table of docs/Benchmarks.md.
//
//===----------------------------------------------------------------------===//

#include "RewriteSupport.h"

#include "dc/Dialect/DC/DC.h"
#include "dc/Dialect/DC/DCUtils.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Linalg/IR/LinalgInterfaces.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/AffineExpr.h"
#include "mlir/IR/PatternMatch.h"
#include "llvm/ADT/SetVector.h"
#include "llvm/Support/CheckedArithmetic.h"

#include <memory>

using namespace mlir;

namespace dc::kernels {
namespace {

/// The `dc.constant` behind a static float filter `v`: dc.decompress of it,
/// directly or through the layout ops of `chain` (dc::traceWeightChain).
static dc::ConstantOp getCompressedFilter(Value v, dc::WeightChain &chain) {
  std::optional<dc::WeightChain> traced = dc::traceWeightChain(v);
  if (!traced)
    return {};
  chain = std::move(*traced);
  auto dec = chain.root.getDefiningOp<dc::DecompressOp>();
  if (!dec || !isStaticFloatTensor(v))
    return {};
  auto constant = dec.getInput().getDefiningOp<dc::ConstantOp>();
  auto type = dyn_cast<RankedTensorType>(dec.getType());
  if (!constant || !type || !isSupportedFloat(type.getElementType()) ||
      !type.hasStaticShape())
    return {};
  return constant;
}

/// True for sums of dimensions times non-negative constants and
/// non-negative constants: such an index is smallest at the first iteration
/// and largest at the last.
static bool isNonDecreasing(AffineExpr e) {
  if (isa<AffineDimExpr>(e))
    return true;
  if (auto c = dyn_cast<AffineConstantExpr>(e))
    return c.getValue() >= 0;
  auto bin = dyn_cast<AffineBinaryOpExpr>(e);
  if (!bin)
    return false;
  if (e.getKind() == AffineExprKind::Add)
    return isNonDecreasing(bin.getLHS()) && isNonDecreasing(bin.getRHS());
  if (e.getKind() == AffineExprKind::Mul) {
    if (auto c = dyn_cast<AffineConstantExpr>(bin.getRHS()))
      return c.getValue() >= 0 && isNonDecreasing(bin.getLHS());
    if (auto c = dyn_cast<AffineConstantExpr>(bin.getLHS()))
      return c.getValue() >= 0 && isNonDecreasing(bin.getRHS());
  }
  return false;
}

/// The value of a non-decreasing `e` at `dims`, or nullopt on overflow.
static std::optional<int64_t> evaluate(AffineExpr e, ArrayRef<int64_t> dims) {
  if (auto d = dyn_cast<AffineDimExpr>(e))
    return dims[d.getPosition()];
  if (auto c = dyn_cast<AffineConstantExpr>(e))
    return c.getValue();
  auto bin = cast<AffineBinaryOpExpr>(e);
  std::optional<int64_t> l = evaluate(bin.getLHS(), dims);
  std::optional<int64_t> r = evaluate(bin.getRHS(), dims);
  if (!l || !r)
    return std::nullopt;
  return e.getKind() == AffineExprKind::Add ? llvm::checkedAdd(*l, *r)
                                            : llvm::checkedMul(*l, *r);
}

/// The product of `sizes[d]` over `dims`, or nullopt on overflow.
static std::optional<int64_t> product(ArrayRef<unsigned> dims,
                                      ArrayRef<int64_t> sizes) {
  int64_t p = 1;
  for (unsigned d : dims) {
    std::optional<int64_t> q = llvm::checkedMul(p, sizes[d]);
    if (!q)
      return std::nullopt;
    p = *q;
  }
  return p;
}

/// The im2col of a convolution: the copying generic over the loops
/// `loops` (depth, K loops, column loops; positions in the convolution's
/// loops) that reads `input` through the convolution's input map `inMap`
/// (`map`: the same map on the im2col loops). Its first `rowLoops` loops
/// are the rows of X ([xRows, columns]).
struct Im2Col {
  Value input;
  AffineMap inMap;
  AffineMap map;
  SmallVector<unsigned> loops;
  size_t rowLoops;
  int64_t xRows;
};

/// Largest im2col buffer built at once (bytes). A bigger one (a VGG-sized
/// layer: 64 channels x 3x3 x 224x224 pixels is 115 MB) is built and
/// multiplied a chunk of output pixels (columns of X and Y) at a time.
constexpr int64_t kMaxIm2ColBytes = 2 << 20;

/// Chunks of the columns of X and Y: the column loops before `split` (in
/// output order) are iterated one index at a time, loop `split` by `tile`,
/// the later ones whole; `tile` divides the size of loop `split`, so every
/// chunk has the same static shape.
struct ColumnChunks {
  unsigned split;
  int64_t tile;
};

/// The chunks for a [xRows, P] im2col (P the product of the column loops'
/// `sizes`), or nothing when it fits kMaxIm2ColBytes.
static std::optional<ColumnChunks>
planColumnChunks(ArrayRef<unsigned> colDims, ArrayRef<int64_t> sizes,
                 int64_t xRows) {
  int64_t budget = std::max<int64_t>(1, kMaxIm2ColBytes / (4 * xRows));
  std::optional<int64_t> cols = product(colDims, sizes);
  if (colDims.empty() || (cols && *cols <= budget))
    return std::nullopt;
  // The innermost loop whose suffix (it and the loops after it) exceeds the
  // budget; the loops after it fit as a whole.
  int64_t inner = 1;
  unsigned split = colDims.size() - 1;
  for (unsigned i = colDims.size(); i-- > 0;) {
    if (inner * sizes[colDims[i]] > budget) {
      split = i;
      break;
    }
    inner *= sizes[colDims[i]];
  }
  int64_t size = sizes[colDims[split]];
  int64_t tile = 1;
  for (int64_t t = std::min(size, budget / inner); t >= 1; --t)
    if (size % t == 0) {
      tile = t;
      break;
    }
  return ColumnChunks{split, tile};
}

/// `e` (a non-decreasing input index, see isNonDecreasing) with loop `d` at
/// `values[d]` (null: 0), as index arithmetic.
static Value emitIndex(OpBuilder &b, Location loc, AffineExpr e,
                       ArrayRef<Value> values) {
  auto cst = [&](int64_t v) -> Value {
    return arith::ConstantIndexOp::create(b, loc, v);
  };
  if (auto d = dyn_cast<AffineDimExpr>(e))
    return values[d.getPosition()] ? values[d.getPosition()] : cst(0);
  if (auto c = dyn_cast<AffineConstantExpr>(e))
    return cst(c.getValue());
  auto bin = cast<AffineBinaryOpExpr>(e);
  Value l = emitIndex(b, loc, bin.getLHS(), values);
  Value r = emitIndex(b, loc, bin.getRHS(), values);
  if (e.getKind() == AffineExprKind::Add)
    return arith::AddIOp::create(b, loc, l, r);
  return arith::MulIOp::create(b, loc, l, r);
}

/// X ([xRows, columns]) for the loop ranges `tiles` (per convolution loop)
/// starting at `offsets` (per convolution loop, null: 0; empty: the whole
/// im2col, reading `input` directly). With offsets, the input is sliced to
/// the window the chunk reads (an input index is linear in the loops, so
/// the chunk's index is its offset plus the index at the local loops).
static Value buildIm2Col(OpBuilder &b, Location loc, const Im2Col &im2col,
                         ArrayRef<int64_t> tiles, ArrayRef<Value> offsets) {
  Type f32 = b.getF32Type();
  Value input = im2col.input;
  if (!offsets.empty()) {
    SmallVector<int64_t> zero(tiles.size(), 0), localLast;
    for (int64_t t : tiles)
      localLast.push_back(t - 1);
    SmallVector<OpFoldResult> sliceOffsets, sliceSizes;
    for (AffineExpr e : im2col.inMap.getResults()) {
      Value at = emitIndex(b, loc, e, offsets);
      Value base = arith::ConstantIndexOp::create(b, loc, *evaluate(e, zero));
      sliceOffsets.push_back(
          arith::SubIOp::create(b, loc, at, base).getResult());
      sliceSizes.push_back(b.getIndexAttr(*evaluate(e, localLast) + 1));
    }
    SmallVector<OpFoldResult> strides(sliceSizes.size(), b.getIndexAttr(1));
    input = tensor::ExtractSliceOp::create(b, loc, input, sliceOffsets,
                                           sliceSizes, strides);
  }
  SmallVector<int64_t> colShape;
  int64_t numCols = 1;
  for (auto [i, d] : llvm::enumerate(im2col.loops)) {
    colShape.push_back(tiles[d]);
    if (i >= im2col.rowLoops)
      numCols *= tiles[d];
  }
  unsigned n = colShape.size();
  Value colInit = tensor::EmptyOp::create(b, loc, colShape, f32);
  auto generic = linalg::GenericOp::create(
      b, loc, TypeRange{RankedTensorType::get(colShape, f32)},
      ValueRange{input}, ValueRange{colInit},
      ArrayRef<AffineMap>{im2col.map,
                          AffineMap::getMultiDimIdentityMap(n, b.getContext())},
      SmallVector<utils::IteratorType>(n, utils::IteratorType::parallel),
      [&](OpBuilder &nb, Location l, ValueRange args) {
        // f16 / bf16 activations are extended here, once per element.
        linalg::YieldOp::create(nb, l, castFloat(nb, l, args[0], f32));
      });
  ReassociationIndices xRows, xCols;
  for (unsigned i = 0; i < n; ++i)
    (i < im2col.rowLoops ? xRows : xCols).push_back(i);
  return tensor::CollapseShapeOp::create(
      b, loc, RankedTensorType::get({im2col.xRows, numCols}, f32),
      generic->getResult(0), ArrayRef<ReassociationIndices>{xRows, xCols});
}

/// Y = W X ([rows, cols]) a chunk of columns at a time: a loop nest over the
/// column loops up to `chunks.split`; each iteration builds the im2col of
/// its columns, multiplies it and inserts the [rows, chunk] result into Y
/// (the chunk's columns are contiguous in Y: the loops after the split are
/// whole).
static Value buildChunkedWX(OpBuilder &b, Location loc, const Im2Col &im2col,
                            const ColumnChunks &chunks,
                            ArrayRef<unsigned> colDims,
                            ArrayRef<int64_t> sizes, Value w, bool transposeW,
                            int64_t groups, int64_t rows, int64_t cols) {
  Type f32 = b.getF32Type();
  SmallVector<Value> lbs, ubs, steps;
  SmallVector<int64_t> strides(colDims.size(), 1), tiles(sizes);
  for (unsigned i = colDims.size() - 1; i > 0; --i)
    strides[i - 1] = strides[i] * sizes[colDims[i]];
  for (unsigned i = 0; i <= chunks.split; ++i) {
    int64_t step = i == chunks.split ? chunks.tile : 1;
    lbs.push_back(arith::ConstantIndexOp::create(b, loc, 0));
    ubs.push_back(arith::ConstantIndexOp::create(b, loc, sizes[colDims[i]]));
    steps.push_back(arith::ConstantIndexOp::create(b, loc, step));
    tiles[colDims[i]] = step;
  }
  int64_t chunkCols = chunks.tile * strides[chunks.split];
  Value yInit = tensor::EmptyOp::create(b, loc, {rows, cols}, f32);
  scf::LoopNest nest = scf::buildLoopNest(
      b, loc, lbs, ubs, steps, ValueRange{yInit},
      [&](OpBuilder &nb, Location l, ValueRange ivs,
          ValueRange iterArgs) -> scf::ValueVector {
        SmallVector<Value> offsets(sizes.size());
        Value column = arith::ConstantIndexOp::create(nb, l, 0);
        for (auto [i, iv] : llvm::enumerate(ivs)) {
          offsets[colDims[i]] = iv;
          Value stride = arith::ConstantIndexOp::create(nb, l, strides[i]);
          column = arith::AddIOp::create(
              nb, l, column, arith::MulIOp::create(nb, l, iv, stride));
        }
        Value x = buildIm2Col(nb, l, im2col, tiles, offsets);
        Value yChunk = buildGroupedWX(nb, l, w, x, transposeW, groups);
        SmallVector<OpFoldResult> at = {nb.getIndexAttr(0), column};
        SmallVector<OpFoldResult> shape = {nb.getIndexAttr(rows),
                                           nb.getIndexAttr(chunkCols)};
        SmallVector<OpFoldResult> unit(2, nb.getIndexAttr(1));
        return {tensor::InsertSliceOp::create(nb, l, yChunk, iterArgs[0], at,
                                              shape, unit)
                    .getResult()};
      });
  return nest.results[0];
}

/// The loop dimension of each result of `map`, if every result is a
/// distinct dimension.
static std::optional<SmallVector<unsigned>> resultDims(AffineMap map) {
  SmallVector<unsigned> dims;
  for (AffineExpr e : map.getResults()) {
    auto d = dyn_cast<AffineDimExpr>(e);
    if (!d || llvm::is_contained(dims, d.getPosition()))
      return std::nullopt;
    dims.push_back(d.getPosition());
  }
  return dims;
}

static bool isIdentity(ArrayRef<int64_t> permutation) {
  for (auto [i, p] : llvm::enumerate(permutation))
    if (p != int64_t(i))
      return false;
  return true;
}

/// `y` ([A, B]) reshaped to `type`, whose elements are in the same order:
/// one expand_shape when the dimensions split into a prefix of A elements
/// and a suffix of B, else through a 1-D collapse.
static Value reshapeMatrix(OpBuilder &b, Location loc, Value y,
                           RankedTensorType type) {
  auto yType = cast<RankedTensorType>(y.getType());
  if (yType == type)
    return y;
  ArrayRef<int64_t> shape = type.getShape();
  int64_t rows = yType.getDimSize(0);
  int64_t prefix = 1;
  for (size_t i = 1; i < shape.size(); ++i) {
    prefix *= shape[i - 1];
    if (prefix == rows) {
      ReassociationIndices first, second;
      for (size_t j = 0; j < shape.size(); ++j)
        (j < i ? first : second).push_back(j);
      return tensor::ExpandShapeOp::create(
          b, loc, type, y, ArrayRef<ReassociationIndices>{first, second});
    }
    if (prefix > rows)
      break;
  }
  auto flatType =
      RankedTensorType::get({yType.getNumElements()}, yType.getElementType());
  Value flat = tensor::CollapseShapeOp::create(
      b, loc, flatType, y, ArrayRef<ReassociationIndices>{{0, 1}});
  if (type.getRank() == 1)
    return flat;
  ReassociationIndices all;
  for (int64_t j = 0; j < type.getRank(); ++j)
    all.push_back(j);
  return tensor::ExpandShapeOp::create(b, loc, type, flat,
                                       ArrayRef<ReassociationIndices>{all});
}

/// Erases `v`'s defining op and, recursively, its operands' defining ops
/// when they are left without users and are ones this rewrite makes dead
/// (the filter's layout ops, decompression and constant, the init's fill
/// and empty), so that no dead dc.decompress is decoded at load.
static void eraseDeadProducers(PatternRewriter &rewriter, Value v,
                               MatrixViewCache &cache) {
  SmallVector<Operation *> worklist;
  if (Operation *def = v.getDefiningOp())
    worklist.push_back(def);
  while (!worklist.empty()) {
    Operation *op = worklist.pop_back_val();
    if (!op->use_empty() || !(isa<dc::DecompressOp, dc::ConstantOp,
                                  linalg::FillOp, tensor::EmptyOp>(op) ||
                              dc::isWeightLayoutOp(op)))
      continue;
    for (Value operand : op->getOperands())
      if (Operation *def = operand.getDefiningOp())
        worklist.push_back(def);
    cache.forget(op);
    rewriter.eraseOp(op);
  }
}

/// The dc.decompress behind the filter of `op` when the convolution is one
/// the glue runs as dense vectorized rows (DepthwiseConv.cpp): an NCHW
/// depthwise convolution with static f32 input, filter and init.
static dc::DecompressOp getRowsDepthwiseFilter(linalg::LinalgOp op) {
  if (!isa<linalg::DepthwiseConv2DNchwChwOp>(op.getOperation()) ||
      !op.hasPureTensorSemantics() || op->getNumResults() != 1)
    return {};
  auto isStaticF32 = [](Value v) {
    auto t = dyn_cast<RankedTensorType>(v.getType());
    return t && t.hasStaticShape() && t.getElementType().isF32();
  };
  Value input = op.getDpsInputOperand(0)->get();
  Value filter = op.getDpsInputOperand(1)->get();
  Value init = op.getDpsInitOperand(0)->get();
  dc::WeightChain chain;
  if (!getCompressedFilter(filter, chain) || !isStaticF32(input) ||
      !isStaticF32(filter) || !isStaticF32(init))
    return {};
  return chain.root.getDefiningOp<dc::DecompressOp>();
}

struct RewriteConvolution : public OpInterfaceRewritePattern<linalg::LinalgOp> {
  RewriteConvolution(MLIRContext *ctx, std::shared_ptr<MatrixViewCache> cache)
      : OpInterfaceRewritePattern(ctx), cache(std::move(cache)) {}

  LogicalResult matchAndRewrite(linalg::LinalgOp op,
                                PatternRewriter &rewriter) const override {
    if (!op.hasPureTensorSemantics() || op.getNumDpsInputs() != 2 ||
        op.getNumDpsInits() != 1 || op->getNumResults() != 1)
      return failure();
    Value input = op.getDpsInputOperand(0)->get();
    Value filter = op.getDpsInputOperand(1)->get();
    Value init = op.getDpsInitOperand(0)->get();
    dc::WeightChain chain;
    dc::ConstantOp constant = getCompressedFilter(filter, chain);
    if (!constant || !isStaticFloatTensor(input) || !isStaticFloatTensor(init))
      return failure();
    if (dc::DecompressOp dec = getRowsDepthwiseFilter(op);
        dec && dec->hasAttr(dc::kDecodeAtLoadAttr))
      return rewriter.notifyMatchFailure(
          op, "depthwise filter kept decoded at load for the glue's rows");
    // The body is a multiply-accumulate (casts between float types allowed).
    if (!linalg::isaConvolutionOpInterface(op))
      return failure();
    FailureOr<linalg::ConvolutionDimensions> dims =
        linalg::inferConvolutionDims(op);
    if (failed(dims))
      return failure();

    SmallVector<int64_t> sizes = op.getStaticLoopRanges();
    if (llvm::any_of(sizes, [](int64_t s) { return s < 1; }))
      return failure();
    SmallVector<AffineMap> maps = op.getIndexingMapsArray();
    AffineMap inMap = maps[0], filterMap = maps[1], outMap = maps[2];
    std::optional<SmallVector<unsigned>> filterDims = resultDims(filterMap);
    std::optional<SmallVector<unsigned>> outDims = resultDims(outMap);
    if (!filterDims || !outDims)
      return failure();

    // Every loop in exactly one class; the filter indexed by depth, output
    // channel, input channel and filter loops, the output by batch, image,
    // depth and output channel.
    unsigned numLoops = op.getNumLoops();
    SmallVector<int> cls(numLoops, -1);
    enum { Batch, Image, OutChannel, FilterLoop, InChannel, Depth };
    auto assign = [&](ArrayRef<unsigned> ds, int c) {
      for (unsigned d : ds) {
        if (d >= numLoops || cls[d] != -1)
          return false;
        cls[d] = c;
      }
      return true;
    };
    if (!assign(dims->batch, Batch) || !assign(dims->outputImage, Image) ||
        !assign(dims->outputChannel, OutChannel) ||
        !assign(dims->filterLoop, FilterLoop) ||
        !assign(dims->inputChannel, InChannel) || !assign(dims->depth, Depth) ||
        llvm::is_contained(cls, -1))
      return failure();
    for (unsigned d : *filterDims)
      if (cls[d] == Batch || cls[d] == Image)
        return failure();
    if (filterDims->size() !=
        dims->outputChannel.size() + dims->filterLoop.size() +
            dims->inputChannel.size() + dims->depth.size())
      return failure();
    for (unsigned d : *outDims)
      if (cls[d] == FilterLoop || cls[d] == InChannel)
        return failure();
    if (outDims->size() != dims->batch.size() + dims->outputImage.size() +
                               dims->outputChannel.size() + dims->depth.size())
      return failure();

    // Loop orders: rows of A (depth, then output channels, each in filter
    // order), its columns (the K loops in filter order), the columns of X
    // and Y (batch and image loops in output order).
    SmallVector<unsigned> depthDims, rowDims, kDims, colDims;
    for (unsigned d : *filterDims)
      if (cls[d] == Depth)
        depthDims.push_back(d);
    rowDims = depthDims;
    for (unsigned d : *filterDims)
      if (cls[d] == OutChannel)
        rowDims.push_back(d);
    for (unsigned d : *filterDims)
      if (cls[d] == FilterLoop || cls[d] == InChannel)
        kDims.push_back(d);
    for (unsigned d : *outDims)
      if (cls[d] == Batch || cls[d] == Image)
        colDims.push_back(d);
    std::optional<int64_t> groups = product(depthDims, sizes);
    std::optional<int64_t> rows = product(rowDims, sizes);
    std::optional<int64_t> k = product(kDims, sizes);
    std::optional<int64_t> cols = product(colDims, sizes);
    if (!groups || !rows || !k || !cols || !llvm::checkedMul(*groups, *k) ||
        !llvm::checkedMul(*rows, *cols) ||
        !llvm::checkedMul(*groups * *k, *cols))
      return failure();

    // The input map must not use output channels, and every window must
    // lie inside the input (the op's verifier checks this too; out-of-range
    // reads must never be generated).
    auto inType = cast<RankedTensorType>(input.getType());
    SmallVector<int64_t> last(numLoops), first(numLoops, 0);
    for (unsigned d = 0; d < numLoops; ++d)
      last[d] = sizes[d] - 1;
    for (auto [i, e] : llvm::enumerate(inMap.getResults())) {
      if (!isNonDecreasing(e))
        return failure();
      for (unsigned d : dims->outputChannel)
        if (e.isFunctionOfDim(d))
          return failure();
      std::optional<int64_t> hi = evaluate(e, last);
      std::optional<int64_t> lo = evaluate(e, first);
      if (!hi || !lo || *lo < 0 || *hi >= inType.getDimSize(i))
        return failure();
    }

    // The filter as A ([R, K]) or A^T ([K, R], transpose_w).
    auto positionsIn = [&](ArrayRef<unsigned> loops) {
      SmallVector<int64_t> p;
      for (unsigned d : loops)
        p.push_back(llvm::find(*filterDims, d) - filterDims->begin());
      return p;
    };
    SmallVector<int64_t> permA = positionsIn(rowDims);
    permA.append(positionsIn(kDims));
    SmallVector<int64_t> permAT = positionsIn(kDims);
    permAT.append(positionsIn(rowDims));
    bool transposeW =
        chain.ops.empty() && !isIdentity(permA) && isIdentity(permAT);
    Value w = transposeW
                  ? getMatrixView(constant, chain, permAT, *k, *rows, *cache)
                  : getMatrixView(constant, chain, permA, *rows, *k, *cache);
    if (!w)
      return rewriter.notifyMatchFailure(
          op, "the filter could not be viewed as a matrix");

    // im2col: loops (depth, K loops, column loops), output their identity,
    // the input read through the convolution's input map.
    Location loc = op.getLoc();
    MLIRContext *ctx = op.getContext();
    Type f32 = rewriter.getF32Type();
    SmallVector<unsigned> colLoops = depthDims;
    colLoops.append(kDims);
    colLoops.append(colDims);
    SmallVector<AffineExpr> replacement(numLoops,
                                        getAffineConstantExpr(0, ctx));
    for (auto [i, d] : llvm::enumerate(colLoops))
      replacement[d] = getAffineDimExpr(i, ctx);
    Im2Col im2col{input, inMap,
                  inMap.replaceDimsAndSymbols(replacement, {}, colLoops.size(),
                                              0),
                  colLoops, depthDims.size() + kDims.size(), *groups * *k};

    Value y;
    std::optional<ColumnChunks> chunks =
        planColumnChunks(colDims, sizes, *groups * *k);
    if (!chunks) {
      Value x = buildIm2Col(rewriter, loc, im2col, sizes, {});
      y = buildGroupedWX(rewriter, loc, w, x, transposeW, *groups);
    } else {
      y = buildChunkedWX(rewriter, loc, im2col, *chunks, colDims, sizes, w,
                         transposeW, *groups, *rows, *cols);
    }

    // Y's dimensions are (rows loops, column loops); the output's are
    // `outDims`. Equal up to unit dimensions: a reshape; columns before
    // rows: a 2-D transpose and a reshape; otherwise an N-D transpose.
    // Y, in f32, is arranged to the output's shape; addInit then converts to
    // the output's element type.
    auto outType = cast<RankedTensorType>(init.getType()).clone(f32);
    SmallVector<unsigned> yDims = rowDims;
    yDims.append(colDims);
    auto nonUnit = [&](ArrayRef<unsigned> ds) {
      SmallVector<unsigned> r;
      for (unsigned d : ds)
        if (sizes[d] != 1)
          r.push_back(d);
      return r;
    };
    SmallVector<unsigned> colsThenRows = colDims;
    colsThenRows.append(rowDims);
    Value result;
    if (nonUnit(*outDims) == nonUnit(yDims)) {
      result = reshapeMatrix(rewriter, loc, y, outType);
    } else if (nonUnit(*outDims) == nonUnit(colsThenRows)) {
      result =
          reshapeMatrix(rewriter, loc, transpose2D(rewriter, loc, y), outType);
    } else {
      SmallVector<int64_t> yShape;
      for (unsigned d : yDims)
        yShape.push_back(sizes[d]);
      Value yn =
          reshapeMatrix(rewriter, loc, y, RankedTensorType::get(yShape, f32));
      SmallVector<int64_t> permutation;
      for (unsigned d : *outDims)
        permutation.push_back(llvm::find(yDims, d) - yDims.begin());
      Value empty =
          tensor::EmptyOp::create(rewriter, loc, outType.getShape(), f32);
      result = linalg::TransposeOp::create(
                   rewriter, loc, yn, empty,
                   rewriter.getDenseI64ArrayAttr(permutation))
                   ->getResult(0);
    }
    result = addInit(rewriter, loc, result, init);
    rewriter.replaceOp(op, result);
    eraseDeadProducers(rewriter, filter, *cache);
    eraseDeadProducers(rewriter, init, *cache);
    return success();
  }

  std::shared_ptr<MatrixViewCache> cache;
};

} // namespace

void markDepthwiseDecodeAtLoad(Operation *root) {
  root->walk([](linalg::LinalgOp op) {
    if (dc::DecompressOp dec = getRowsDepthwiseFilter(op))
      dec->setAttr(dc::kDecodeAtLoadAttr, UnitAttr::get(op->getContext()));
  });
}

void populateConvolutionRewritePatterns(RewritePatternSet &patterns) {
  patterns.add<RewriteConvolution>(patterns.getContext(),
                                   std::make_shared<MatrixViewCache>());
}

} // namespace dc::kernels
