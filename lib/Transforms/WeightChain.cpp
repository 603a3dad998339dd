//===- WeightChain.cpp - Weights reaching an op through layout ops --------===//

#include "dc/Transforms/WeightChain.h"

#include "dc/Dialect/DC/DC.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/Support/CheckedArithmetic.h"

using namespace mlir;
using namespace dc;

//===----------------------------------------------------------------------===//
// IR-free layout steps
//===----------------------------------------------------------------------===//

static std::optional<int64_t> checkedNumElements(ArrayRef<int64_t> shape) {
  int64_t n = 1;
  for (int64_t d : shape) {
    if (d < 0)
      return std::nullopt;
    std::optional<int64_t> m = llvm::checkedMul(n, d);
    if (!m)
      return std::nullopt;
    n = *m;
  }
  return n;
}

static bool fail(std::string *error, const Twine &message) {
  if (error)
    *error = message.str();
  return false;
}

bool dc::applyLayoutStep(const LayoutStep &step, ArrayRef<uint32_t> in,
                         std::vector<uint32_t> &out, std::string *error) {
  std::optional<int64_t> numIn = checkedNumElements(step.inShape);
  std::optional<int64_t> numOut = checkedNumElements(step.outShape);
  if (!numIn || !numOut)
    return fail(error, "invalid shape in a weight layout chain");
  if (*numIn != int64_t(in.size()))
    return fail(error, "weight layout chain: " + Twine(in.size()) +
                           " elements for a shape of " + Twine(*numIn));
  if (*numOut > kMaxChainElements)
    return fail(error, "weight layout chain: " + Twine(*numOut) +
                           " elements exceed the limit of " +
                           Twine(kMaxChainElements));
  if (step.reshape) {
    if (*numIn != *numOut)
      return fail(error, "weight layout chain: a reshape from " +
                             Twine(*numIn) + " to " + Twine(*numOut) +
                             " elements");
    out.assign(in.begin(), in.end());
    return true;
  }
  size_t inRank = step.inShape.size(), outRank = step.outShape.size();
  if (step.sourceDim.size() != inRank)
    return fail(error, "weight layout chain: source dimensions do not match "
                       "the input rank");
  // Stride in the input of one step along each output dimension.
  std::vector<int64_t> inStrides(inRank, 1), outStep(outRank, 0);
  for (size_t d = inRank; d-- > 1;)
    inStrides[d - 1] = inStrides[d] * step.inShape[d];
  for (size_t d = 0; d < inRank; ++d) {
    int64_t src = step.sourceDim[d];
    if (src == -1) {
      if (step.inShape[d] != 1)
        return fail(error, "weight layout chain: a constant index into a "
                           "non-unit dimension");
      continue;
    }
    if (src < 0 || size_t(src) >= outRank ||
        step.outShape[src] != step.inShape[d] || outStep[src] != 0)
      return fail(error, "weight layout chain: inconsistent dimension map");
    outStep[src] = inStrides[d];
  }
  out.resize(*numOut);
  if (*numOut == 0)
    return true;
  // Odometer over the output, row-major.
  std::vector<int64_t> index(outRank, 0);
  int64_t offset = 0;
  for (int64_t o = 0; o < *numOut; ++o) {
    out[o] = in[offset];
    for (size_t d = outRank; d-- > 0;) {
      offset += outStep[d];
      if (++index[d] < step.outShape[d])
        break;
      offset -= outStep[d] * index[d];
      index[d] = 0;
    }
  }
  return true;
}

//===----------------------------------------------------------------------===//
// Chains in the IR
//===----------------------------------------------------------------------===//

static RankedTensorType getStaticTensorType(Value v) {
  auto type = dyn_cast<RankedTensorType>(v.getType());
  if (!type || !type.hasStaticShape())
    return {};
  return type;
}

/// The dimension map of a copying linalg.generic (see LayoutStep), or
/// nullopt if `op` is not one.
static std::optional<std::vector<int64_t>>
getCopySourceDims(linalg::GenericOp op) {
  if (op.getNumDpsInputs() != 1 || op.getNumDpsInits() != 1 ||
      op->getNumResults() != 1 || !op.hasPureTensorSemantics())
    return std::nullopt;
  if (!llvm::all_of(op.getIteratorTypesArray(), [](utils::IteratorType t) {
        return t == utils::IteratorType::parallel;
      }))
    return std::nullopt;
  Block &body = op.getRegion().front();
  if (!llvm::hasSingleElement(body))
    return std::nullopt;
  auto yield = dyn_cast<linalg::YieldOp>(body.getTerminator());
  if (!yield || yield.getNumOperands() != 1 ||
      yield.getOperand(0) != body.getArgument(0))
    return std::nullopt;
  Value input = op.getDpsInputOperand(0)->get();
  RankedTensorType inType = getStaticTensorType(input);
  RankedTensorType outType = getStaticTensorType(op->getResult(0));
  if (!inType || !outType || inType.getElementType() != outType.getElementType())
    return std::nullopt;
  SmallVector<AffineMap> maps = op.getIndexingMapsArray();
  AffineMap inMap = maps[0], outMap = maps[1];
  if (!outMap.isPermutation() ||
      !inMap.isProjectedPermutation(/*allowZeroInResults=*/true))
    return std::nullopt;
  std::vector<int64_t> sourceDims;
  for (AffineExpr expr : inMap.getResults()) {
    if (auto dim = dyn_cast<AffineDimExpr>(expr)) {
      std::optional<unsigned> pos =
          outMap.getResultPosition(getAffineDimExpr(dim.getPosition(),
                                                    op.getContext()));
      if (!pos)
        return std::nullopt;
      sourceDims.push_back(*pos);
    } else {
      sourceDims.push_back(-1);
    }
  }
  return sourceDims;
}

/// True if `op` is an extract_slice taking the whole of its source.
static bool isWholeSlice(tensor::ExtractSliceOp op) {
  RankedTensorType source = getStaticTensorType(op.getSource());
  if (!source || !getStaticTensorType(op.getResult()))
    return false;
  return llvm::all_of(op.getStaticOffsets(),
                      [](int64_t o) { return o == 0; }) &&
         llvm::all_of(op.getStaticStrides(),
                      [](int64_t s) { return s == 1; }) &&
         llvm::equal(op.getStaticSizes(), source.getShape());
}

/// The layout step `op` performs, or nullopt if it is not a layout op.
static std::optional<LayoutStep> getLayoutStep(Operation *op) {
  if (op->getNumResults() != 1 || op->getNumOperands() < 1)
    return std::nullopt;
  Value input = op->getOperand(0);
  RankedTensorType inType = getStaticTensorType(input);
  RankedTensorType outType = getStaticTensorType(op->getResult(0));
  if (!inType || !outType ||
      inType.getElementType() != outType.getElementType())
    return std::nullopt;
  LayoutStep step;
  step.inShape.assign(inType.getShape().begin(), inType.getShape().end());
  step.outShape.assign(outType.getShape().begin(), outType.getShape().end());
  if (isa<tensor::ExpandShapeOp, tensor::CollapseShapeOp, tensor::ReshapeOp,
          tensor::CastOp>(op)) {
    step.reshape = true;
    return step;
  }
  if (auto slice = dyn_cast<tensor::ExtractSliceOp>(op)) {
    if (!isWholeSlice(slice))
      return std::nullopt;
    step.reshape = true;
    return step;
  }
  if (auto transpose = dyn_cast<linalg::TransposeOp>(op)) {
    if (!transpose.hasPureTensorSemantics() ||
        input != transpose.getInput())
      return std::nullopt;
    ArrayRef<int64_t> perm = transpose.getPermutation();
    step.sourceDim.assign(perm.size(), 0);
    for (auto [i, p] : llvm::enumerate(perm))
      step.sourceDim[p] = i;
    return step;
  }
  if (auto broadcast = dyn_cast<linalg::BroadcastOp>(op)) {
    if (!broadcast.hasPureTensorSemantics() ||
        input != broadcast.getInput())
      return std::nullopt;
    ArrayRef<int64_t> added = broadcast.getDimensions();
    for (int64_t d = 0, e = outType.getRank(); d < e; ++d)
      if (!llvm::is_contained(added, d))
        step.sourceDim.push_back(d);
    if (step.sourceDim.size() != size_t(inType.getRank()))
      return std::nullopt;
    return step;
  }
  if (auto generic = dyn_cast<linalg::GenericOp>(op)) {
    std::optional<std::vector<int64_t>> dims = getCopySourceDims(generic);
    if (!dims)
      return std::nullopt;
    step.sourceDim = std::move(*dims);
    return step;
  }
  return std::nullopt;
}

bool dc::isWeightLayoutOp(Operation *op) {
  return getLayoutStep(op).has_value();
}

/// True if `v` is a chain root; any element type when `anyType`.
static bool isRoot(Value v, bool anyType) {
  Operation *def = v.getDefiningOp();
  if (!def)
    return false;
  if (auto dec = dyn_cast<DecompressOp>(def))
    return static_cast<bool>(dec.getInput().getDefiningOp<ConstantOp>());
  auto constant = dyn_cast<arith::ConstantOp>(def);
  if (!constant ||
      !isa<DenseElementsAttr, DenseResourceElementsAttr>(constant.getValue()))
    return false;
  RankedTensorType type = getStaticTensorType(constant.getResult());
  if (!type)
    return false;
  Type element = type.getElementType();
  return anyType || element.isF32() || element.isF16() || element.isBF16();
}

static std::optional<WeightChain> trace(Value v, bool anyType) {
  WeightChain chain;
  // Chains are short; the bound only guards against pathological IR.
  for (int depth = 0; depth < 64; ++depth) {
    if (isRoot(v, anyType)) {
      chain.root = v;
      std::reverse(chain.ops.begin(), chain.ops.end());
      return chain;
    }
    Operation *def = v.getDefiningOp();
    if (!def || !getLayoutStep(def))
      return std::nullopt;
    chain.ops.push_back(def);
    v = def->getOperand(0);
  }
  return std::nullopt;
}

std::optional<WeightChain> dc::traceWeightChain(Value v) {
  return trace(v, /*anyType=*/false);
}

std::optional<WeightChain> dc::traceAnyWeightChain(Value v) {
  return trace(v, /*anyType=*/true);
}

std::optional<std::vector<LayoutStep>>
dc::getWeightChainSteps(const WeightChain &chain) {
  std::vector<LayoutStep> steps;
  for (Operation *op : chain.ops) {
    std::optional<LayoutStep> step = getLayoutStep(op);
    if (!step)
      return std::nullopt;
    steps.push_back(std::move(*step));
  }
  return steps;
}

ChainIndexer::ChainIndexer(std::vector<LayoutStep> steps,
                           ArrayRef<int64_t> resultShape)
    : steps(std::move(steps)),
      resultShape(resultShape.begin(), resultShape.end()) {}

static int64_t linearize(ArrayRef<int64_t> index, ArrayRef<int64_t> shape) {
  int64_t offset = 0;
  for (auto [i, d] : llvm::zip(index, shape))
    offset = offset * d + i;
  return offset;
}

static void delinearize(int64_t offset, ArrayRef<int64_t> shape,
                        std::vector<int64_t> &index) {
  index.resize(shape.size());
  for (size_t d = shape.size(); d-- > 0;) {
    index[d] = shape[d] ? offset % shape[d] : 0;
    offset = shape[d] ? offset / shape[d] : 0;
  }
}

int64_t ChainIndexer::getRootOffset(ArrayRef<int64_t> index) {
  current.assign(index.begin(), index.end());
  for (size_t s = steps.size(); s-- > 0;) {
    const LayoutStep &step = steps[s];
    if (step.reshape) {
      delinearize(linearize(current, step.outShape), step.inShape, next);
    } else {
      next.resize(step.inShape.size());
      for (size_t d = 0; d < next.size(); ++d)
        next[d] = step.sourceDim[d] < 0 ? 0 : current[step.sourceDim[d]];
    }
    current.swap(next);
  }
  return linearize(current, steps.empty() ? ArrayRef<int64_t>(resultShape)
                                          : ArrayRef<int64_t>(
                                                steps.front().inShape));
}

LogicalResult dc::applyWeightChain(const WeightChain &chain,
                                   ArrayRef<uint32_t> rootElements,
                                   std::vector<uint32_t> &out,
                                   std::string *error) {
  std::vector<uint32_t> current(rootElements.begin(), rootElements.end());
  for (Operation *op : chain.ops) {
    std::optional<LayoutStep> step = getLayoutStep(op);
    if (!step) {
      if (error)
        *error = ("'" + op->getName().getStringRef() +
                  "' is not a weight layout op")
                     .str();
      return failure();
    }
    std::vector<uint32_t> next;
    if (!applyLayoutStep(*step, current, next, error))
      return failure();
    current.swap(next);
  }
  out = std::move(current);
  return success();
}
