//===- RewriteSupport.cpp - Helpers of the contraction rewrites -----------===//

#include "RewriteSupport.h"

#include "dc/Core/CompressedTensor.h"
#include "dc/Dialect/DC/DCUtils.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Utils/IndexingUtils.h"
#include "mlir/IR/Matchers.h"

#include <cstring>

using namespace mlir;

namespace dc::kernels {

Value MatrixViewCache::lookup(const Key &key) const {
  auto it = views.find(key);
  return it == views.end() ? Value() : it->second;
}

void MatrixViewCache::forget(Operation *op) {
  for (auto it = views.begin(); it != views.end();) {
    if (std::get<0>(it->first) == op || std::get<1>(it->first) == op)
      it = views.erase(it);
    else
      ++it;
  }
}

bool decodeAllElements(const dc::CompressedTensorView &view,
                              std::vector<uint32_t> &elements) {
  std::string error;
  if (!dc::verifyCompressedTensor(view, &error))
    return false;
  // Per-group indices mean nothing once the chain moves elements to other
  // rows: such a weight (one that expandGroupedCodebooks could not turn
  // into one codebook) keeps its dc.decompress.
  if (view.params.codebookRows != 0)
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

/// `elements` (row-major over `shape`) with the dimensions permuted:
/// result dimension i is dimension permutation[i] of `shape`.
static std::vector<uint32_t> permuteElements(ArrayRef<uint32_t> elements,
                                             ArrayRef<int64_t> shape,
                                             ArrayRef<int64_t> permutation) {
  size_t rank = shape.size();
  SmallVector<int64_t> strides(rank, 1);
  for (size_t d = rank; d-- > 1;)
    strides[d - 1] = strides[d] * shape[d];
  SmallVector<int64_t> outShape, outStrides;
  for (int64_t p : permutation) {
    outShape.push_back(shape[p]);
    outStrides.push_back(strides[p]);
  }
  std::vector<uint32_t> result;
  result.reserve(elements.size());
  // Odometer over the result's indices; `at` is the source offset.
  SmallVector<int64_t> index(rank, 0);
  int64_t at = 0;
  for (size_t i = 0; i < elements.size(); ++i) {
    result.push_back(elements[at]);
    for (size_t d = rank; d-- > 0;) {
      if (++index[d] < outShape[d]) {
        at += outStrides[d];
        break;
      }
      at -= (outShape[d] - 1) * outStrides[d];
      index[d] = 0;
    }
  }
  return result;
}

Value getMatrixView(dc::ConstantOp constant, const dc::WeightChain &chain,
                    ArrayRef<int64_t> permutation, int64_t rows, int64_t cols,
                    MatrixViewCache &cache) {
  Operation *chainEnd = chain.ops.empty() ? nullptr : chain.ops.back();
  MatrixViewCache::Key key{
      constant.getOperation(), chainEnd,
      std::vector<int64_t>(permutation.begin(), permutation.end()), rows};
  if (Value cached = cache.lookup(key))
    return cached;
  dc::CompressedType type = constant.getType();
  RankedTensorType tensorType = type.getTensorType();
  // The tensor the permutation applies to: the chain's result, else the
  // constant's.
  auto viewedType =
      chainEnd ? dyn_cast<RankedTensorType>(chainEnd->getResult(0).getType())
               : tensorType;
  if (!viewedType || !viewedType.hasStaticShape())
    return {};
  ArrayRef<int64_t> shape = viewedType.getShape();
  if (tensorType.getRank() < 1 || !tensorType.hasStaticShape() || rows < 1 ||
      cols < 0 || viewedType.getNumElements() != rows * cols ||
      permutation.size() != shape.size() || !isPermutationVector(permutation))
    return {};
  bool identity =
      !chainEnd && llvm::all_of(llvm::enumerate(permutation), [](auto p) {
        return int64_t(p.index()) == p.value();
      });
  dc::CompressedTensorView view;
  dc::ViewStorage storage;
  if (failed(dc::getView(constant, view, storage)))
    return {};
  std::vector<uint32_t> expected, actual;
  if (!decodeAllElements(view, expected))
    return {};
  if (chainEnd) {
    std::vector<uint32_t> traced;
    std::string error;
    if (failed(dc::applyWeightChain(chain, expected, traced, &error)) ||
        int64_t(traced.size()) != rows * cols)
      return {};
    expected = std::move(traced);
  }
  if (!llvm::all_of(llvm::enumerate(permutation),
                    [](auto p) { return int64_t(p.index()) == p.value(); }))
    expected = permuteElements(expected, shape, permutation);

  MLIRContext *ctx = constant.getContext();
  // Kernels read f32 codebooks; an f16 / bf16 weight's codebook is f32.
  auto matrixType = RankedTensorType::get({rows, cols}, Float32Type::get(ctx));
  OpBuilder b(ctx);
  b.setInsertionPointAfter(constant);
  Value result;
  int64_t storageRows, storageCols;
  dc::matrixDims(view.shape, storageRows, storageCols);
  if (identity && (view.params.format == dc::StorageFormat::Dense ||
                   rows == storageRows)) {
    dc::CompressedTensorView matrixView = view;
    matrixView.shape = {rows, cols};
    if (!decodeAllElements(matrixView, actual) || actual != expected)
      return {};
    Operation *clone = b.clone(*constant);
    clone->getResult(0).setType(
        dc::CompressedType::get(ctx, matrixType, type.getEncoding()));
    result = clone->getResult(0);
  } else {
    result = buildReencodedMatrix(constant, view, expected, rows, cols,
                                  matrixType.getElementType());
    if (!result)
      return {};
  }
  cache.insert(key, result);
  return result;
}

Value buildReencodedMatrix(dc::ConstantOp constant,
                           const dc::CompressedTensorView &view,
                           const std::vector<uint32_t> &elements,
                           int64_t rows,
                           int64_t cols, Type elementType) {
  dc::CompressedTensor tensor;
  std::string error;
  std::vector<int64_t> shape = {rows, cols};
  bool encoded;
  if (view.params.bits == dc::kRawValueBits) {
    std::vector<float> values(elements.size());
    if (!values.empty())
      std::memcpy(values.data(), elements.data(),
                  values.size() * sizeof(float));
    encoded = dc::encodeRaw(shape, values, view.params, tensor, &error);
  } else {
    std::vector<float> codebook(view.codebook.begin(), view.codebook.end());
    encoded = dc::encodeIndices(shape, elements, codebook, view.params, tensor,
                                &error);
  }
  std::vector<uint32_t> actual;
  if (!encoded || !decodeAllElements(tensor.view(), actual) ||
      actual != elements)
    return {};
  std::string prefix = "w";
  if (auto layer = constant->getAttrOfType<StringAttr>("dc.layer"))
    prefix = layer.getValue().str();
  OpBuilder b(constant->getContext());
  b.setInsertionPointAfter(constant);
  dc::ConstantOp matrix = dc::buildConstant(
      b, constant.getLoc(), RankedTensorType::get({rows, cols}, elementType),
      tensor, prefix + "_matrix");
  matrix->setDiscardableAttrs(constant->getDiscardableAttrDictionary());
  return matrix.getResult();
}

bool isZeroInit(Value init) {
  if (auto fill = init.getDefiningOp<linalg::FillOp>())
    return matchPattern(fill.getInputs()[0], m_AnyZeroFloat());
  DenseElementsAttr attr;
  if (matchPattern(init, m_Constant(&attr)) && attr.isSplat() &&
      isa<FloatType>(attr.getElementType()))
    return attr.getSplatValue<APFloat>().isZero();
  return false;
}

bool isSupportedFloat(Type t) { return t.isF32() || t.isF16() || t.isBF16(); }

bool isStaticFloatTensor(Value v) {
  auto t = dyn_cast<RankedTensorType>(v.getType());
  return t && t.hasStaticShape() && isSupportedFloat(t.getElementType());
}

Value castFloat(OpBuilder &b, Location loc, Value v, Type to) {
  Type from = v.getType();
  if (from == to)
    return v;
  if (from.getIntOrFloatBitWidth() < to.getIntOrFloatBitWidth())
    return arith::ExtFOp::create(b, loc, to, v);
  return arith::TruncFOp::create(b, loc, to, v);
}

Value addInit(OpBuilder &b, Location loc, Value result, Value init) {
  bool zeroInit = isZeroInit(init);
  auto initType = cast<RankedTensorType>(init.getType());
  Type element = initType.getElementType();
  if (element.isF32()) {
    if (zeroInit)
      return result;
    return linalg::AddOp::create(b, loc, TypeRange{initType},
                                 ValueRange{result, init}, ValueRange{init})
        ->getResult(0);
  }
  Type f32 = b.getF32Type();
  AffineMap identity =
      AffineMap::getMultiDimIdentityMap(initType.getRank(), b.getContext());
  SmallVector<Value> inputs = {result};
  if (!zeroInit)
    inputs.push_back(init);
  SmallVector<AffineMap> maps(inputs.size() + 1, identity);
  Value empty =
      tensor::EmptyOp::create(b, loc, initType.getShape(), element);
  return linalg::GenericOp::create(
             b, loc, TypeRange{initType}, inputs, ValueRange{empty}, maps,
             SmallVector<utils::IteratorType>(initType.getRank(),
                                              utils::IteratorType::parallel),
             [&](OpBuilder &nb, Location nl, ValueRange args) {
               Value sum = args[0];
               if (!zeroInit)
                 sum = arith::AddFOp::create(nb, nl, sum,
                                             castFloat(nb, nl, args[1], f32));
               linalg::YieldOp::create(nb, nl, castFloat(nb, nl, sum, element));
             })
      ->getResult(0);
}

Value transpose2D(OpBuilder &b, Location loc, Value v) {
  auto t = cast<RankedTensorType>(v.getType());
  Value init = tensor::EmptyOp::create(
      b, loc, ArrayRef<int64_t>{t.getDimSize(1), t.getDimSize(0)},
      t.getElementType());
  return linalg::TransposeOp::create(b, loc, v, init,
                                     b.getDenseI64ArrayAttr({1, 0}))
      ->getResult(0);
}

Value buildGroupedWX(OpBuilder &b, Location loc, Value w, Value x,
                     bool transposeW, int64_t groups) {
  auto xt = cast<RankedTensorType>(x.getType());
  auto wt = cast<dc::CompressedType>(w.getType()).getTensorType();
  int64_t m = transposeW ? wt.getDimSize(1) : wt.getDimSize(0);
  int64_t n = xt.getDimSize(1);
  Type f32 = b.getF32Type();
  if (n == 1) {
    Value xv = tensor::CollapseShapeOp::create(
        b, loc, RankedTensorType::get({xt.getDimSize(0)}, f32), x,
        ArrayRef<ReassociationIndices>{{0, 1}});
    Value out = tensor::EmptyOp::create(b, loc, ArrayRef<int64_t>{m}, f32);
    auto mv = dc::MatvecOp::create(b, loc, w, xv, out, transposeW, groups);
    return tensor::ExpandShapeOp::create(
        b, loc, RankedTensorType::get({m, 1}, f32), mv.getTensorResult(),
        ArrayRef<ReassociationIndices>{{0, 1}});
  }
  Value out = tensor::EmptyOp::create(b, loc, ArrayRef<int64_t>{m, n}, f32);
  return dc::MatmulOp::create(b, loc, w, x, out, transposeW, groups)
      .getTensorResult();
}

} // namespace dc::kernels
