//===- DCOps.cpp - dc operations --------------------------------*- C++ -*-===//

#include "dc/Dialect/DC/DC.h"
#include "dc/Dialect/DC/DCUtils.h"
#include "dc/Dialect/DC/Epilogue.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/OpImplementation.h"
#include "llvm/Support/CheckedArithmetic.h"

using namespace mlir;
using namespace dc;

#define GET_OP_CLASSES
#include "dc/Dialect/DC/DCOps.cpp.inc"

/// Full stream decoding in the verifier is linear in the payload; beyond this
/// many entries it is left to the passes that decode (they diagnose too), so
/// that verifying a model of hundreds of MB after every pass stays cheap.
static constexpr uint64_t kVerifierDecodeLimit = uint64_t(1) << 22;

LogicalResult ConstantOp::verify() {
  CompressedTensorView view;
  ViewStorage storage;
  if (failed(getView(*this, view, storage)))
    return failure();
  std::string error;
  if (auto codebook = getCodebookAttr()) {
    // [groups, E] with per-group codebooks: the groups must be the encoding's.
    auto type = cast<ShapedType>(codebook.getType());
    uint64_t groups = 1;
    if (view.params.codebookRows != 0 &&
        numCodebooks(view.shape, view.params.codebookRows, groups, nullptr) &&
        type.getDimSize(0) != int64_t(groups))
      return emitOpError("'codebook' has ")
             << type.getDimSize(0) << " groups, but codebook_rows = "
             << view.params.codebookRows << " gives " << groups
             << " codebooks for the " << groups * view.params.codebookRows
             << " rows";
  }
  if (!verifyCompressedTensor(view, &error))
    return emitOpError(error);
  if (view.numEntries <= kVerifierDecodeLimit) {
    DecodedEntries entries;
    if (!decodeEntries(view, entries, &error))
      return emitOpError(error);
  }
  return success();
}

/// Whether `op` may appear in an epilogue: a scalar elementwise op without
/// memory effects or regions (arith, math), which the kernels also apply on
/// vectors, or a scalar constant.
static bool isEpilogueOp(Operation *op) {
  auto scalar = [](Type t) { return t.isF32() || t.isInteger(1); };
  if (op->getNumRegions() != 0 || !isMemoryEffectFree(op))
    return false;
  if (!llvm::all_of(op->getOperandTypes(), scalar) ||
      !llvm::all_of(op->getResultTypes(), scalar) || op->getNumResults() != 1)
    return false;
  if (op->hasTrait<OpTrait::ConstantLike>())
    return true;
  return op->hasTrait<OpTrait::Elementwise>() &&
         op->hasTrait<OpTrait::Vectorizable>();
}

LogicalResult dc::verifyEpilogue(Operation *op, Value init) {
  Region &region = op->getRegion(0);
  ValueRange operands = op->getOperands().drop_front(3);
  auto out = cast<ShapedType>(init.getType());
  for (auto [i, v] : llvm::enumerate(operands)) {
    auto type = cast<ShapedType>(v.getType());
    if (isa<MemRefType>(type) != isa<MemRefType>(out))
      return op->emitOpError("epilogue operand ")
             << i << " must be a " << (isa<MemRefType>(out) ? "memref" : "tensor")
             << " like outs, got " << type;
    if (!type.getElementType().isF32())
      return op->emitOpError("epilogue operand ")
             << i << " must have f32 elements, got " << type;
    bool perRow =
        type.getRank() == 1 && type.getDimSize(0) == out.getDimSize(0);
    if (!perRow && type.getShape() != out.getShape())
      return op->emitOpError("epilogue operand ")
             << i << " must have shape [" << out.getDimSize(0)
             << "] (per row) or the shape of outs, got " << type;
  }
  if (region.empty()) {
    if (!operands.empty())
      return op->emitOpError("has epilogue operands but no epilogue region");
    return success();
  }
  Block &block = region.front();
  if (block.getNumArguments() != operands.size() + 1 ||
      !llvm::all_of(block.getArgumentTypes(),
                    [](Type t) { return t.isF32(); }))
    return op->emitOpError("epilogue block must take ")
           << operands.size() + 1
           << " f32 arguments (the sum, then one per epilogue operand)";
  if (block.empty() || !isa<YieldOp>(block.back()))
    return op->emitOpError("epilogue must end with dc.yield");
  for (Operation &inner : block.without_terminator())
    if (!isEpilogueOp(&inner))
      return inner.emitOpError("is not allowed in a dc epilogue (only scalar "
                               "elementwise arith/math ops on f32 and i1 "
                               "without memory effects)");
  return success();
}

template <typename OpTy> static LogicalResult verifyContraction(OpTy op) {
  RankedTensorType weight = op.getWeight().getType().getTensorType();
  auto input = cast<ShapedType>(op.getInput().getType());
  auto init = cast<ShapedType>(op.getInit().getType());
  if (isa<MemRefType>(input) != isa<MemRefType>(init))
    return op.emitOpError("input and outs must both be tensors or both be "
                          "memrefs, got ")
           << input << " and " << init;
  if (weight.getRank() != 2)
    return op.emitOpError("weight must be a compressed matrix, got rank ")
           << weight.getRank();
  if (!input.getElementType().isF32() || !init.getElementType().isF32())
    return op.emitOpError("input and outs must have f32 elements");
  int64_t m = weight.getDimSize(0), k = weight.getDimSize(1);
  if (op.getTransposeW())
    std::swap(m, k);
  constexpr bool isMatvec = std::is_same_v<OpTy, MatvecOp>;
  int64_t rank = isMatvec ? 1 : 2;
  if (input.getRank() != rank || init.getRank() != rank)
    return op.emitOpError("input and outs must have rank ") << rank;
  // groups = G: G blocks of M / G rows, each on its own K rows of the input.
  int64_t groups = op.getGroups();
  if (groups < 1)
    return op.emitOpError("groups must be at least 1, got ") << groups;
  if (groups > 1 && !ShapedType::isDynamic(m) && m % groups != 0)
    return op.emitOpError("the weight's ")
           << m << " rows do not split into " << groups << " groups";
  if (groups > 1 && !ShapedType::isDynamic(k)) {
    std::optional<int64_t> gk = llvm::checkedMul(groups, k);
    if (!gk)
      return op.emitOpError("groups x weight columns overflows");
    k = *gk;
  }
  if (input.getDimSize(0) != k)
    return op.emitOpError("input has ")
           << input.getDimSize(0) << " rows but the weight has " << k
           << (groups > 1 ? " columns in all groups" : " columns");
  if (init.getDimSize(0) != m)
    return op.emitOpError("outs has ")
           << init.getDimSize(0) << " rows but the weight has " << m << " rows";
  if (!isMatvec && input.getDimSize(1) != init.getDimSize(1))
    return op.emitOpError("input and outs must have the same number of "
                          "columns, got ")
           << input.getDimSize(1) << " and " << init.getDimSize(1);
  return verifyEpilogue(op.getOperation(), op.getInit());
}

LogicalResult MatvecOp::verify() { return verifyContraction(*this); }
LogicalResult MatmulOp::verify() { return verifyContraction(*this); }

/// On memrefs: reads the input, writes every element of `outs` (without
/// reading it). On tensors: no memory effects.
template <typename OpTy>
static void getContractionEffects(
    OpTy op, SmallVectorImpl<SideEffects::EffectInstance<MemoryEffects::Effect>>
                 &effects) {
  if (isa<MemRefType>(op.getInput().getType()))
    effects.emplace_back(MemoryEffects::Read::get(), &op.getInputMutable(),
                         /*stage=*/0, /*effectOnFullRegion=*/true,
                         SideEffects::DefaultResource::get());
  for (OpOperand &operand : op.getEpilogueOperandsMutable())
    if (isa<MemRefType>(operand.get().getType()))
      effects.emplace_back(MemoryEffects::Read::get(), &operand, /*stage=*/0,
                           /*effectOnFullRegion=*/true,
                           SideEffects::DefaultResource::get());
  if (isa<MemRefType>(op.getInit().getType()))
    effects.emplace_back(MemoryEffects::Write::get(), &op.getInitMutable(),
                         /*stage=*/1, /*effectOnFullRegion=*/true,
                         SideEffects::DefaultResource::get());
}

void MatvecOp::getEffects(
    SmallVectorImpl<SideEffects::EffectInstance<MemoryEffects::Effect>>
        &effects) {
  getContractionEffects(*this, effects);
}
void MatmulOp::getEffects(
    SmallVectorImpl<SideEffects::EffectInstance<MemoryEffects::Effect>>
        &effects) {
  getContractionEffects(*this, effects);
}

Speculation::Speculatability MatvecOp::getSpeculatability() {
  return hasPureTensorSemantics() ? Speculation::Speculatable
                                  : Speculation::NotSpeculatable;
}
Speculation::Speculatability MatmulOp::getSpeculatability() {
  return hasPureTensorSemantics() ? Speculation::Speculatable
                                  : Speculation::NotSpeculatable;
}
