//===- DepthwiseConv.cpp - NCHW depthwise convolutions as vector rows -----===//
//
// linalg.depthwise_conv_2d_nchw_chw (what the ONNX importer emits for a Conv
// with group = C) as a direct convolution along output rows: NCHW makes each
// channel a contiguous H x W plane, so an output row chunk of `vw` pixels is
// KH * KW FMAs of a broadcast filter tap with a unit-stride read of an input
// row (stride s > 1: a read of about len * s pixels and a shuffle that keeps
// every s-th). No im2col: the upstream vectorizer handles only the NHWC
// depthwise form, and an NCHW im2col + batch_vecmat was 1.3-2x slower than
// plain loops (docs/Benchmarks.md).
//
// The same rows serve NCHW pooling (linalg.pooling_nchw_max / _sum, the
// importer's MaxPool and AveragePool): a max or a sum of the row reads
// instead of the FMAs, the pad -inf or zero.
//
// A zero tensor.pad of the input (the ONNX pads) is not materialized: the
// rows are read from the unpadded source, the taps that fall into the pad
// are skipped (border rows are emitted separately with their valid taps, the
// interior rows are one loop with all taps), and the left/right border
// columns are read short and shifted in with zeros by the same shuffle.
// A constant linalg.fill init starts the accumulators from a splat instead
// of reading the filled tensor. With `fuse`, the single elementwise consumer
// of the convolution (after the glue's elementwise fusion: BatchNorm's scale
// and shift, the bias, ReLU/ReLU6) is applied to each chunk in registers
// before its one store.
//
//===----------------------------------------------------------------------===//

#include "GlueSupport.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Utils/StaticValueUtils.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/IR/Matchers.h"
#include "mlir/IR/PatternMatch.h"
#include "llvm/Support/MathExtras.h"

using namespace mlir;

namespace {

/// What a window combines: the FMAs of a depthwise convolution's taps, or
/// the max / sum of an NCHW pooling (linalg.pooling_nchw_max / _sum).
enum class RowKind { Conv, Max, Sum };

RowKind kindOf(Operation *op) {
  if (isa<linalg::PoolingNchwMaxOp>(op))
    return RowKind::Max;
  if (isa<linalg::PoolingNchwSumOp>(op))
    return RowKind::Sum;
  return RowKind::Conv;
}

/// The shape facts of one depthwise convolution (all static).
struct DepthwiseShape {
  int64_t n, c, oh, ow, kh, kw;
  int64_t sh, sw, dh, dw;
  /// The source actually read (the pad's source when the pad is fused) and
  /// the low padding in front of it.
  int64_t h, w, padTop, padLeft;
};

/// `v` as a static tensor of f32.
RankedTensorType staticF32(Value v) {
  auto t = dyn_cast<RankedTensorType>(v.getType());
  if (!t || !t.hasStaticShape() || !t.getElementType().isF32())
    return {};
  return t;
}

/// `pad` when it pads only the two spatial dims with the constant a skipped
/// tap stands for: zero (convolution, sum pooling) or -inf (max pooling).
bool isSpatialNeutralPad(tensor::PadOp pad, RowKind kind) {
  if (!pad || !staticF32(pad.getSource()) || pad.getNofold() ||
      pad.getSourceType().getRank() != 4)
    return false;
  Value value = pad.getConstantPaddingValue();
  APFloat v(0.0f);
  if (!value || !matchPattern(value, m_ConstantFloat(&v)) ||
      !(kind == RowKind::Max ? v.isInfinity() && v.isNegative() : v.isZero()))
    return false;
  for (auto [i, l, h] :
       llvm::enumerate(pad.getMixedLowPad(), pad.getMixedHighPad())) {
    std::optional<int64_t> lo = getConstantIntValue(l);
    std::optional<int64_t> hi = getConstantIntValue(h);
    if (!lo || !hi || *lo < 0 || *hi < 0 || (i < 2 && (*lo || *hi)))
      return false;
  }
  return true;
}

/// The shape of a convolution this file rewrites, or nothing.
std::optional<DepthwiseShape> rowShape(linalg::LinalgOp op) {
  if (!isa<linalg::DepthwiseConv2DNchwChwOp, linalg::PoolingNchwMaxOp,
           linalg::PoolingNchwSumOp>(op.getOperation()) ||
      !op.hasPureTensorSemantics() || op->getNumResults() != 1)
    return std::nullopt;
  RowKind kind = kindOf(op);
  RankedTensorType inType = staticF32(op.getDpsInputs()[0]);
  auto fType = dyn_cast<RankedTensorType>(op.getDpsInputs()[1].getType());
  RankedTensorType oType = staticF32(op.getDpsInits()[0]);
  if (!inType || !fType || !fType.hasStaticShape() || !oType ||
      oType.getNumElements() == 0 || fType.getNumElements() == 0 ||
      (kind == RowKind::Conv && !fType.getElementType().isF32()))
    return std::nullopt;
  // The filter [C, KH, KW] or the pooling window [KH, KW].
  unsigned k0 = kind == RowKind::Conv ? 1 : 0;
  DepthwiseShape s;
  s.n = oType.getDimSize(0);
  s.c = oType.getDimSize(1);
  s.oh = oType.getDimSize(2);
  s.ow = oType.getDimSize(3);
  s.kh = fType.getDimSize(k0);
  s.kw = fType.getDimSize(k0 + 1);
  auto strideAttr = op->getAttrOfType<DenseIntElementsAttr>("strides");
  auto dilationAttr = op->getAttrOfType<DenseIntElementsAttr>("dilations");
  if (!strideAttr || !dilationAttr || strideAttr.getNumElements() != 2 ||
      dilationAttr.getNumElements() != 2)
    return std::nullopt;
  SmallVector<int64_t> strides =
      llvm::to_vector(strideAttr.getValues<int64_t>());
  SmallVector<int64_t> dilations =
      llvm::to_vector(dilationAttr.getValues<int64_t>());
  s.sh = strides[0];
  s.sw = strides[1];
  s.dh = dilations[0];
  s.dw = dilations[1];
  if (s.sh < 1 || s.sw < 1 || s.dh < 1 || s.dw < 1)
    return std::nullopt;
  Value source = op.getDpsInputs()[0];
  s.padTop = s.padLeft = 0;
  auto pad = source.getDefiningOp<tensor::PadOp>();
  if (isSpatialNeutralPad(pad, kind)) {
    source = pad.getSource();
    s.padTop = *getConstantIntValue(pad.getMixedLowPad()[2]);
    s.padLeft = *getConstantIntValue(pad.getMixedLowPad()[3]);
  }
  auto srcType = cast<RankedTensorType>(source.getType());
  s.h = srcType.getDimSize(2);
  s.w = srcType.getDimSize(3);
  return s;
}

/// The elementwise consumer of `op` that can be applied to its chunks: the
/// only user, all-parallel over the output's 4 dims, reading the
/// convolution through the identity, every other input either constant
/// along W (one scalar per row) or read along its innermost dim by W, a
/// body of elementwise scalar ops, its init only a shape.
linalg::GenericOp fusableEpilogue(linalg::LinalgOp op) {
  Value y = op->getResult(0);
  if (!y.hasOneUse())
    return {};
  auto g = dyn_cast<linalg::GenericOp>(*y.getUsers().begin());
  if (!g || !g.hasPureTensorSemantics() || g.getNumLoops() != 4 ||
      g.getNumParallelLoops() != 4 || g.getNumDpsInits() != 1 ||
      g->getNumResults() != 1)
    return {};
  OpOperand *init = g.getDpsInitOperand(0);
  if (!g.getMatchingIndexingMap(init).isIdentity() ||
      g.payloadUsesValueFromOperand(init) || !staticF32(init->get()) ||
      init->get().getType() != y.getType())
    return {};
  bool readsY = false;
  for (OpOperand *in : g.getDpsInputOperands()) {
    AffineMap map = g.getMatchingIndexingMap(in);
    if (in->get() == y) {
      if (!map.isIdentity())
        return {};
      readsY = true;
      continue;
    }
    auto t = dyn_cast<RankedTensorType>(in->get().getType());
    if (!t || !t.hasStaticShape() || !t.getElementType().isIntOrFloat() ||
        !map.isProjectedPermutation(/*allowZeroInResults=*/true) ||
        map.getNumSymbols() != 0)
      return {};
    // W only as the innermost dim of the operand.
    for (auto [i, e] : llvm::enumerate(map.getResults()))
      if (auto d = dyn_cast<AffineDimExpr>(e);
          d && d.getPosition() == 3 && i + 1 != map.getNumResults())
        return {};
  }
  if (!readsY)
    return {};
  for (Operation &o : g.getRegion().front().without_terminator())
    if (o.getNumRegions() != 0 ||
        !(isa<arith::ConstantOp>(o) ||
          OpTrait::hasElementwiseMappableTraits(&o)) ||
        llvm::any_of(o.getResultTypes(),
                     [](Type t) { return !t.isIntOrIndexOrFloat(); }))
      return {};
  return g;
}

/// Builds the row convolution of one depthwise op (and its fused epilogue).
struct RowEmitter {
  const DepthwiseShape &s;
  RowKind kind;
  Location loc;
  Value source, filter, init;
  linalg::GenericOp epilogue;
  /// The convolution's result (the epilogue input it replaces).
  Value convolutionResult;
  int64_t vwLanes;
  SmallVector<std::pair<int64_t, int64_t>> chunks; // (ow0, len)

  Value idx(OpBuilder &b, int64_t v) const {
    return arith::ConstantIndexOp::create(b, loc, v);
  }
  Value zeroF32(OpBuilder &b) const {
    return arith::ConstantFloatOp::create(b, loc, b.getF32Type(),
                                          APFloat(0.0f));
  }
  /// The value of a pad pixel: 0, or -inf for max pooling.
  Value neutral(OpBuilder &b) const {
    if (kind == RowKind::Max)
      return arith::ConstantFloatOp::create(
          b, loc, b.getF32Type(),
          APFloat::getInf(APFloat::IEEEsingle(), /*Negative=*/true));
    return zeroF32(b);
  }

  /// The `len` input pixels base, base + sw, ... of row `ih` (columns of
  /// the unpadded source; those outside [0, w) are the zero pad), or null
  /// when all of them are pad.
  Value readTaps(OpBuilder &b, Value n, Value c, Value ih, int64_t base,
                 int64_t len) const {
    Type f32 = b.getF32Type();
    int64_t span = (len - 1) * s.sw + 1;
    int64_t lo = std::max<int64_t>(base, 0);
    int64_t hi = std::min<int64_t>(base + span, s.w);
    int64_t m = hi - lo;
    if (m <= 0)
      return {};
    // Read len * sw pixels from lo when they exist: whole registers (a
    // left border chunk of 16 lanes reads 16, not 15; stride 2 reads 2 x 16,
    // not 31 = 16 + 8 + 4 + 2 + 1 loads).
    int64_t read = std::max(m, std::min<int64_t>(lo + len * s.sw, s.w) - lo);
    Value zero = neutral(b);
    Value x = vector::TransferReadOp::create(
        b, loc, VectorType::get({read}, f32), source,
        ValueRange{n, c, ih, idx(b, lo)}, zero, ArrayRef<bool>{true});
    if (base == lo && m == span && s.sw == 1)
      return x;
    // Lane i takes column base + i * sw: from x when inside [lo, hi), else
    // a zero (lane `read`: the first of a zero vector of x's type; equal
    // operand types lower to one llvm.shufflevector).
    SmallVector<int64_t> mask;
    bool padded = false;
    for (int64_t i = 0; i < len; ++i) {
      int64_t col = base + i * s.sw;
      bool inside = col >= lo && col < hi;
      padded |= !inside;
      mask.push_back(inside ? col - lo : read);
    }
    Value other = x;
    if (padded)
      other = vector::BroadcastOp::create(b, loc, VectorType::get({read}, f32),
                                          zero);
    return vector::ShuffleOp::create(b, loc, x, other, mask);
  }

  /// The epilogue's body on chunk `acc` (the convolution's values at
  /// [n, c, oh, ow0 ..]): its other inputs read at the same place (a
  /// scalar broadcast when constant along W), its scalar ops cloned on
  /// vectors of `len`.
  Value applyEpilogue(OpBuilder &b, Value acc, ValueRange at, int64_t len) {
    Block &body = epilogue.getRegion().front();
    IRMapping map;
    auto splat = [&](Value scalar) -> Value {
      return vector::BroadcastOp::create(
          b, loc, VectorType::get({len}, scalar.getType()), scalar);
    };
    for (OpOperand *in : epilogue.getDpsInputOperands()) {
      BlockArgument arg = body.getArgument(in->getOperandNumber());
      if (in->get() == convolutionResult) {
        map.map(arg, acc);
        continue;
      }
      AffineMap m = epilogue.getMatchingIndexingMap(in);
      SmallVector<Value> indices;
      bool alongW = false;
      for (AffineExpr e : m.getResults()) {
        auto d = dyn_cast<AffineDimExpr>(e);
        if (!d) { // A broadcast dim of size 1 (projected permutation: 0).
          indices.push_back(idx(b, 0));
          continue;
        }
        alongW |= d.getPosition() == 3;
        indices.push_back(at[d.getPosition()]);
      }
      Value v;
      if (alongW) {
        Type et = cast<RankedTensorType>(in->get().getType()).getElementType();
        Value pad = arith::ConstantOp::create(
            b, loc, cast<TypedAttr>(b.getZeroAttr(et)));
        v = vector::TransferReadOp::create(b, loc, VectorType::get({len}, et),
                                           in->get(), indices, pad,
                                           ArrayRef<bool>{true});
      } else {
        v = splat(tensor::ExtractOp::create(b, loc, in->get(), indices));
      }
      map.map(arg, v);
    }
    for (Operation &o : body.without_terminator()) {
      if (isa<arith::ConstantOp>(o)) {
        map.map(o.getResult(0), splat(b.clone(o)->getResult(0)));
        continue;
      }
      SmallVector<Value> operands;
      for (Value v : o.getOperands())
        operands.push_back(map.contains(v) ? map.lookup(v) : splat(v));
      OperationState state(o.getLoc(), o.getName());
      state.addOperands(operands);
      state.addAttributes(o.getAttrs());
      for (Type t : o.getResultTypes())
        state.addTypes(VectorType::get({len}, t));
      Operation *vop = b.create(state);
      map.map(o.getResults(), vop->getResults());
    }
    Value out = body.getTerminator()->getOperand(0);
    return map.contains(out) ? map.lookup(out) : splat(out);
  }

  Value emit(OpBuilder &b) {
    Type f32 = b.getF32Type();
    for (int64_t ow0 = 0; ow0 < s.ow; ow0 += vwLanes)
      chunks.push_back({ow0, std::min<int64_t>(vwLanes, s.ow - ow0)});
    auto outType = cast<RankedTensorType>(init.getType());
    // A constant fill init: accumulators start from its value. The loop
    // writes every output element, into an empty tensor when nothing is
    // read from its destination.
    Value start;
    if (auto fill = init.getDefiningOp<linalg::FillOp>())
      if (fill.getInputs()[0].getType() == f32)
        start = fill.getInputs()[0]; // Dominates the fill, hence the op.
    Value dest = init;
    if (start || epilogue)
      dest = tensor::EmptyOp::create(b, loc, outType.getShape(), f32);

    // Interior rows: every tap inside the source rows.
    int64_t lastTap = (s.kh - 1) * s.dh;
    int64_t ohLo =
        std::clamp<int64_t>(llvm::divideCeilSigned(s.padTop, s.sh), 0, s.oh);
    int64_t ohHi = std::clamp<int64_t>(
        llvm::divideFloorSigned(s.h - 1 - lastTap + s.padTop, s.sh) + 1, ohLo,
        s.oh);

    auto nLoop = scf::ForOp::create(
        b, loc, idx(b, 0), idx(b, s.n), idx(b, 1), ValueRange{dest},
        [&](OpBuilder &nb, Location, Value n, ValueRange nArgs) {
          auto cLoop = scf::ForOp::create(
              nb, loc, idx(nb, 0), idx(nb, s.c), idx(nb, 1), nArgs,
              [&](OpBuilder &cb, Location, Value c, ValueRange cArgs) {
                scf::YieldOp::create(
                    cb, loc, channel(cb, n, c, cArgs[0], start, ohLo, ohHi));
              });
          scf::YieldOp::create(nb, loc, cLoop.getResult(0));
        });
    return nLoop.getResult(0);
  }

  /// One channel plane: border rows with their valid taps, the interior
  /// rows as one loop.
  Value channel(OpBuilder &cb, Value n, Value c, Value t, Value start,
                int64_t ohLo, int64_t ohHi) {
    Type f32 = cb.getF32Type();
    // A convolution channel's taps, broadcast once per chunk length.
    llvm::DenseMap<std::pair<int64_t, int64_t>, Value> splats;
    if (kind == RowKind::Conv) {
      SmallVector<Value> taps;
      for (int64_t i = 0; i < s.kh; ++i)
        for (int64_t j = 0; j < s.kw; ++j)
          taps.push_back(tensor::ExtractOp::create(
              cb, loc, filter, ValueRange{c, idx(cb, i), idx(cb, j)}));
      for (auto chunk : chunks)
        for (int64_t k = 0; k < s.kh * s.kw; ++k) {
          Value &v = splats[{k, chunk.second}];
          if (!v)
            v = vector::BroadcastOp::create(
                cb, loc, VectorType::get({chunk.second}, f32), taps[k]);
        }
    }

    // One output row: `oh` static (border rows) or a loop value.
    auto row = [&](OpBuilder &rb, Value t, Value oh,
                   std::optional<int64_t> ohStatic) -> Value {
      for (auto chunk : chunks) {
        int64_t ow0 = chunk.first, len = chunk.second;
        auto vt = VectorType::get({len}, f32);
        SmallVector<Value> at = {n, c, oh, idx(rb, ow0)};
        Value acc;
        if (start)
          acc = vector::BroadcastOp::create(rb, loc, vt, start);
        else
          acc = vector::TransferReadOp::create(rb, loc, vt, epilogue ? init : t,
                                               at, zeroF32(rb),
                                               ArrayRef<bool>{true});
        for (int64_t i = 0; i < s.kh; ++i) {
          Value ih;
          int64_t off = i * s.dh - s.padTop;
          if (ohStatic) {
            int64_t r = *ohStatic * s.sh + off;
            if (r < 0 || r >= s.h)
              continue; // In the pad (0, or -inf for a max).
            ih = idx(rb, r);
          } else {
            ih = arith::AddIOp::create(
                rb, loc, arith::MulIOp::create(rb, loc, oh, idx(rb, s.sh)),
                idx(rb, off));
          }
          for (int64_t j = 0; j < s.kw; ++j) {
            Value x =
                readTaps(rb, n, c, ih, ow0 * s.sw + j * s.dw - s.padLeft, len);
            if (!x)
              continue;
            if (kind == RowKind::Conv)
              acc = vector::FMAOp::create(rb, loc, x,
                                          splats[{i * s.kw + j, len}], acc);
            else if (kind == RowKind::Max)
              acc = arith::MaximumFOp::create(rb, loc, acc, x);
            else
              acc = arith::AddFOp::create(rb, loc, acc, x);
          }
        }
        if (epilogue)
          acc = applyEpilogue(rb, acc, at, len);
        t = vector::TransferWriteOp::create(rb, loc, acc, t, at,
                                            ArrayRef<bool>{true})
                .getResult();
      }
      return t;
    };

    for (int64_t r = 0; r < ohLo; ++r)
      t = row(cb, t, idx(cb, r), r);
    if (ohHi > ohLo) {
      auto rows = scf::ForOp::create(
          cb, loc, idx(cb, ohLo), idx(cb, ohHi), idx(cb, 1), ValueRange{t},
          [&](OpBuilder &rb, Location, Value oh, ValueRange args) {
            scf::YieldOp::create(rb, loc, row(rb, args[0], oh, std::nullopt));
          });
      t = rows.getResult(0);
    }
    for (int64_t r = ohHi; r < s.oh; ++r)
      t = row(cb, t, idx(cb, r), r);
    return t;
  }
};

/// depthwise_conv_2d_nchw_chw, pooling_nchw_max and pooling_nchw_sum.
template <typename OpTy> struct NchwWindowToRows : OpRewritePattern<OpTy> {
  NchwWindowToRows(MLIRContext *ctx, int64_t vw, bool fuse)
      : OpRewritePattern<OpTy>(ctx), vw(vw), fuse(fuse) {}

  LogicalResult matchAndRewrite(OpTy op,
                                PatternRewriter &rewriter) const override {
    auto lin = cast<linalg::LinalgOp>(op.getOperation());
    std::optional<DepthwiseShape> s = rowShape(lin);
    if (!s)
      return rewriter.notifyMatchFailure(op, "needs static f32 operands");
    RowKind kind = kindOf(op);
    Value input = lin.getDpsInputs()[0];
    auto pad = input.getDefiningOp<tensor::PadOp>();
    RowEmitter e{*s,
                 kind,
                 op.getLoc(),
                 isSpatialNeutralPad(pad, kind) ? pad.getSource() : input,
                 lin.getDpsInputs()[1],
                 lin.getDpsInits()[0],
                 fuse ? fusableEpilogue(lin) : linalg::GenericOp(),
                 op->getResult(0),
                 vw,
                 {}};
    Operation *replaced =
        e.epilogue ? e.epilogue.getOperation() : op.getOperation();
    rewriter.setInsertionPoint(replaced);
    Value result = e.emit(rewriter);
    rewriter.replaceOp(replaced, result);
    if (e.epilogue)
      rewriter.eraseOp(op.getOperation());
    if (pad && pad->use_empty())
      rewriter.eraseOp(pad);
    return success();
  }

private:
  int64_t vw;
  bool fuse;
};

} // namespace

bool dc::glue::isReadInPlaceByDepthwise(tensor::PadOp pad) {
  if (!pad || pad->use_empty())
    return false;
  return llvm::all_of(pad->getUses(), [&](OpOperand &use) {
    auto op = dyn_cast<linalg::LinalgOp>(use.getOwner());
    return op && use.getOperandNumber() == 0 && rowShape(op).has_value() &&
           isSpatialNeutralPad(pad, kindOf(op));
  });
}

void dc::glue::populateDepthwiseConvPatterns(RewritePatternSet &patterns,
                                             int64_t vw, bool fuse) {
  MLIRContext *ctx = patterns.getContext();
  patterns.add<NchwWindowToRows<linalg::DepthwiseConv2DNchwChwOp>,
               NchwWindowToRows<linalg::PoolingNchwMaxOp>,
               NchwWindowToRows<linalg::PoolingNchwSumOp>>(ctx, vw, fuse);
}
