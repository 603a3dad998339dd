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
// 2-D convolutions on a compressed filter become im2col + dc.matmul:
//   linalg.conv_2d_nchw_fchw(I, W) (W: F x C x KH x KW)
//     -> X = im2col(I): [C*KH*KW, N*OH*OW] (a copying linalg.generic whose
//        input map is the convolution's window arithmetic),
//        Y = dc.matmul W2, X with W2 the filter as the [F, C*KH*KW] matrix,
//        O = transpose(expand(Y)) to N x F x OH x OW;
//   linalg.conv_2d_nhwc_hwcf(I, W) (W: KH x KW x C x F)
//     -> X = im2col(I): [KH*KW*C, N*OH*OW],
//        Y = dc.matmul W2, X {transpose_w} with W2: [KH*KW*C, F],
//        O = expand(transpose(Y)) to N x OH x OW x F.
// The compressed storage views an N-D tensor as the matrix
// [shape[0], prod(shape[1:])] (dense: row-major elements). W2 is then the
// same payload under a 2-D type when its rows are shape[0] (FCHW) or the
// format is dense; otherwise (HWCF in CSC/CSR) the filter is re-encoded at
// compile time with the same parameters and codebook (identical element
// values, checked by decoding both). Anything else keeps dc.decompress.
//
//===----------------------------------------------------------------------===//

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

//===----------------------------------------------------------------------===//
// Convolutions: im2col + dc.matmul
//===----------------------------------------------------------------------===//

/// Every element of `view`, row-major: codebook indices, or raw f32 bit
/// patterns when there is no codebook. False on any invalid payload.
static bool decodeAllElements(const dc::CompressedTensorView &view,
                              std::vector<uint32_t> &elements) {
  std::string error;
  if (!dc::verifyCompressedTensor(view, &error))
    return false;
  if (view.params.bits != dc::kRawValueBits)
    return dc::decompressToIndices(view, elements, &error);
  std::vector<float> dense;
  if (!dc::decompressToDense(view, dense, &error))
    return false;
  elements.resize(dense.size());
  if (!dense.empty())
    std::memcpy(elements.data(), dense.data(), dense.size() * sizeof(float));
  return true;
}

/// 2-D views of compressed filters already built, by (constant, rows).
using MatrixCache = DenseMap<std::pair<Operation *, int64_t>, Value>;

/// A `dc.constant` holding the elements of `constant` in row-major order as
/// a rows x cols matrix, or null when that cannot be done exactly. When the
/// storage's matrix view is the same (rows == shape[0], or the dense format,
/// which stores row-major elements), it is the same payload under the 2-D
/// type; otherwise the elements are re-encoded with the same parameters and
/// codebook. Either way the new constant must decode to the same elements.
static Value getMatrixView(dc::ConstantOp constant, int64_t rows, int64_t cols,
                           MatrixCache &cache) {
  auto key = std::make_pair(constant.getOperation(), rows);
  if (auto it = cache.find(key); it != cache.end())
    return it->second;
  dc::CompressedType type = constant.getType();
  RankedTensorType tensorType = type.getTensorType();
  if (tensorType.getRank() < 1 || tensorType.getNumElements() != rows * cols)
    return {};
  dc::CompressedTensorView view;
  dc::ViewStorage storage;
  if (failed(dc::getView(constant, view, storage)))
    return {};
  std::vector<uint32_t> expected, actual;
  if (!decodeAllElements(view, expected))
    return {};

  MLIRContext *ctx = constant.getContext();
  auto matrixType =
      RankedTensorType::get({rows, cols}, tensorType.getElementType());
  OpBuilder b(ctx);
  b.setInsertionPointAfter(constant);
  Value result;
  if (view.params.format == dc::StorageFormat::Dense ||
      rows == tensorType.getDimSize(0)) {
    dc::CompressedTensorView matrixView = view;
    matrixView.shape = {rows, cols};
    if (!decodeAllElements(matrixView, actual) || actual != expected)
      return {};
    Operation *clone = b.clone(*constant);
    clone->getResult(0).setType(
        dc::CompressedType::get(ctx, matrixType, type.getEncoding()));
    result = clone->getResult(0);
  } else {
    dc::CompressedTensor tensor;
    std::string error;
    std::vector<int64_t> shape = {rows, cols};
    bool encoded;
    if (view.params.bits == dc::kRawValueBits) {
      std::vector<float> values(expected.size());
      if (!values.empty())
        std::memcpy(values.data(), expected.data(),
                    values.size() * sizeof(float));
      encoded = dc::encodeRaw(shape, values, view.params, tensor, &error);
    } else {
      std::vector<float> codebook(view.codebook.begin(), view.codebook.end());
      encoded = dc::encodeIndices(shape, expected, codebook, view.params,
                                  tensor, &error);
    }
    if (!encoded || !decodeAllElements(tensor.view(), actual) ||
        actual != expected)
      return {};
    std::string prefix = "w";
    if (auto layer = constant->getAttrOfType<StringAttr>("dc.layer"))
      prefix = layer.getValue().str();
    dc::ConstantOp matrix = dc::buildConstant(b, constant.getLoc(), matrixType,
                                              tensor, prefix + "_matrix");
    matrix->setDiscardableAttrs(constant->getDiscardableAttrDictionary());
    result = matrix.getResult();
  }
  cache[key] = result;
  return result;
}

/// The `dc.constant` behind a 4-D f32 `v = dc.decompress(dc.constant)`.
static dc::ConstantOp getCompressedFilter(Value v) {
  auto dec = v.getDefiningOp<dc::DecompressOp>();
  if (!dec)
    return {};
  auto constant = dec.getInput().getDefiningOp<dc::ConstantOp>();
  auto type = dyn_cast<RankedTensorType>(dec.getType());
  if (!constant || !type || type.getRank() != 4 ||
      !type.getElementType().isF32() || !type.hasStaticShape())
    return {};
  return constant;
}

/// The two values of a strides / dilations attribute, each >= 1.
static bool getPair(DenseIntElementsAttr attr, int64_t &first,
                    int64_t &second) {
  if (!attr || attr.getNumElements() != 2)
    return false;
  auto values = attr.getValues<APInt>();
  first = values[0].getSExtValue();
  second = values[1].getSExtValue();
  return first >= 1 && second >= 1;
}

/// Rewrites conv_2d_nchw_fchw / conv_2d_nhwc_hwcf on a compressed filter
/// into im2col + dc.matmul (see the file comment); null if not handled.
static Value rewriteConv(OpBuilder &b, Operation *op, MatrixCache &cache) {
  auto linalgOp = cast<linalg::LinalgOp>(op);
  bool nchw = isa<linalg::Conv2DNchwFchwOp>(op);
  DenseIntElementsAttr strides, dilations;
  if (auto conv = dyn_cast<linalg::Conv2DNchwFchwOp>(op)) {
    strides = conv.getStrides();
    dilations = conv.getDilations();
  } else if (auto conv = dyn_cast<linalg::Conv2DNhwcHwcfOp>(op)) {
    strides = conv.getStrides();
    dilations = conv.getDilations();
  }
  int64_t sh, sw, dh, dw;
  if (!getPair(strides, sh, sw) || !getPair(dilations, dh, dw))
    return {};
  Value input = linalgOp.getDpsInputOperand(0)->get();
  Value filter = linalgOp.getDpsInputOperand(1)->get();
  Value init = linalgOp.getDpsInitOperand(0)->get();
  dc::ConstantOp constant = getCompressedFilter(filter);
  if (!constant)
    return {};
  auto inType = cast<RankedTensorType>(input.getType());
  auto outType = cast<RankedTensorType>(init.getType());
  ArrayRef<int64_t> in = inType.getShape();
  ArrayRef<int64_t> fil = cast<RankedTensorType>(filter.getType()).getShape();
  ArrayRef<int64_t> out = outType.getShape();
  if (in.size() != 4 || out.size() != 4 || fil.size() != 4)
    return {};
  // NCHW / FCHW / NFHW or NHWC / HWCF / NHWF.
  int64_t n = in[0], c = nchw ? in[1] : in[3], h = nchw ? in[2] : in[1],
          w = nchw ? in[3] : in[2];
  int64_t f = nchw ? fil[0] : fil[3], fc = nchw ? fil[1] : fil[2],
          kh = nchw ? fil[2] : fil[0], kw = nchw ? fil[3] : fil[1];
  int64_t on = out[0], of = nchw ? out[1] : out[3], oh = nchw ? out[2] : out[1],
          ow = nchw ? out[3] : out[2];
  for (int64_t d : {n, c, h, w, f, kh, kw, oh, ow})
    if (d < 1)
      return {};
  if (fc != c || on != n || of != f)
    return {};
  // Every window must lie inside the input (the op's verifier checks this
  // too; out-of-range reads must never be generated).
  auto lastIndex = [](int64_t o, int64_t s, int64_t k, int64_t d) {
    std::optional<int64_t> a = llvm::checkedMul(o - 1, s);
    std::optional<int64_t> bb = llvm::checkedMul(k - 1, d);
    if (!a || !bb)
      return std::optional<int64_t>();
    return llvm::checkedAdd(*a, *bb);
  };
  std::optional<int64_t> lastH = lastIndex(oh, sh, kh, dh);
  std::optional<int64_t> lastW = lastIndex(ow, sw, kw, dw);
  if (!lastH || !lastW || *lastH >= h || *lastW >= w)
    return {};
  std::optional<int64_t> kk = llvm::checkedMul(kh, kw);
  kk = kk ? llvm::checkedMul(*kk, c) : kk;
  std::optional<int64_t> p = llvm::checkedMul(n, oh);
  p = p ? llvm::checkedMul(*p, ow) : p;
  if (!kk || !p || !llvm::checkedMul(*kk, *p))
    return {};
  int64_t k = *kk, cols = *p;

  // The filter as a matrix: [F, C*KH*KW] (FCHW) or [KH*KW*C, F] (HWCF).
  Value wm = nchw ? getMatrixView(constant, f, k, cache)
                  : getMatrixView(constant, k, f, cache);
  if (!wm)
    return {};

  MLIRContext *ctx = op->getContext();
  Location loc = op->getLoc();
  Type f32 = b.getF32Type();
  // im2col: loops (c, kh, kw, n, oh, ow) for NCHW, (kh, kw, c, n, oh, ow) for
  // NHWC, the output their identity; the input is read through the window.
  AffineExpr ec, ekh, ekw, en, eoh, eow;
  if (nchw)
    bindDims(ctx, ec, ekh, ekw, en, eoh, eow);
  else
    bindDims(ctx, ekh, ekw, ec, en, eoh, eow);
  AffineExpr eh = eoh * sh + ekh * dh, ew = eow * sw + ekw * dw;
  AffineMap inMap = nchw ? AffineMap::get(6, 0, {en, ec, eh, ew}, ctx)
                         : AffineMap::get(6, 0, {en, eh, ew, ec}, ctx);
  AffineMap outMap = AffineMap::getMultiDimIdentityMap(6, ctx);
  SmallVector<int64_t> colShape =
      nchw ? SmallVector<int64_t>{c, kh, kw, n, oh, ow}
           : SmallVector<int64_t>{kh, kw, c, n, oh, ow};
  auto colType = RankedTensorType::get(colShape, f32);
  Value colInit = tensor::EmptyOp::create(b, loc, colShape, f32);
  auto im2col = linalg::GenericOp::create(
      b, loc, TypeRange{colType}, ValueRange{input}, ValueRange{colInit},
      ArrayRef<AffineMap>{inMap, outMap},
      SmallVector<utils::IteratorType>(6, utils::IteratorType::parallel),
      [](OpBuilder &nb, Location nl, ValueRange args) {
        linalg::YieldOp::create(nb, nl, args[0]);
      });
  Value x = tensor::CollapseShapeOp::create(
      b, loc, RankedTensorType::get({k, cols}, f32), im2col->getResult(0),
      ArrayRef<ReassociationIndices>{{0, 1, 2}, {3, 4, 5}});

  // Y = W2 X (FCHW) or W2^T X (HWCF): F x (N*OH*OW).
  Value y = buildWX(b, loc, wm, x, /*transposeW=*/!nchw);

  if (!nchw) {
    // (N*OH*OW) x F, then N x OH x OW x F.
    Value yt = transpose2D(b, loc, y);
    return tensor::ExpandShapeOp::create(
        b, loc, outType, yt, ArrayRef<ReassociationIndices>{{0, 1, 2}, {3}});
  }
  if (n == 1)
    return tensor::ExpandShapeOp::create(
        b, loc, outType, y, ArrayRef<ReassociationIndices>{{0, 1}, {2, 3}});
  Value y4 = tensor::ExpandShapeOp::create(
      b, loc, RankedTensorType::get({f, n, oh, ow}, f32), y,
      ArrayRef<ReassociationIndices>{{0}, {1, 2, 3}});
  Value empty =
      tensor::EmptyOp::create(b, loc, ArrayRef<int64_t>{n, f, oh, ow}, f32);
  return linalg::TransposeOp::create(b, loc, y4, empty,
                                     b.getDenseI64ArrayAttr({1, 0, 2, 3}))
      ->getResult(0);
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
    SmallVector<Operation *> candidates;
    getOperation().walk([&](Operation *op) {
      if (isa<linalg::MatvecOp, linalg::VecmatOp, linalg::MatmulOp,
              linalg::Conv2DNchwFchwOp, linalg::Conv2DNhwcHwcfOp>(op))
        candidates.push_back(op);
    });
    MLIRContext *ctx = &getContext();
    AffineExpr d0, d1, d2;
    bindDims(ctx, d0, d1, d2);
    SmallVector<AffineMap> defaultMaps = {AffineMap::get(3, 0, {d0, d2}, ctx),
                                          AffineMap::get(3, 0, {d2, d1}, ctx),
                                          AffineMap::get(3, 0, {d0, d1}, ctx)};
    SmallVector<AffineMap> transposedB = {AffineMap::get(3, 0, {d0, d2}, ctx),
                                          AffineMap::get(3, 0, {d1, d2}, ctx),
                                          AffineMap::get(3, 0, {d0, d1}, ctx)};

    SmallVector<Operation *> maybeDead;
    MatrixCache matrices;
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
      } else if (isa<linalg::Conv2DNchwFchwOp, linalg::Conv2DNhwcHwcfOp>(op)) {
        result = rewriteConv(b, op, matrices);
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
