//===- KernelEpilogue.cpp - a dc op's epilogue in its kernel --------------===//

#include "KernelEpilogue.h"

#include "dc/Dialect/DC/Epilogue.h"

#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"

using namespace mlir;
using namespace dc::kernels;

SmallVector<Type> KernelEpilogue::argTypes(MLIRContext *ctx,
                                           ArrayRef<int64_t> yShape) const {
  int64_t dyn = ShapedType::kDynamic;
  Type f32 = Float32Type::get(ctx);
  SmallVector<Type> types;
  for (bool row : perRow) {
    if (row || yShape.size() == 1)
      types.push_back(MemRefType::get({yShape[0]}, f32,
                                      StridedLayoutAttr::get(ctx, dyn, {1})));
    else
      types.push_back(MemRefType::get(
          yShape, f32, StridedLayoutAttr::get(ctx, dyn, {dyn, 1})));
  }
  return types;
}

Value KernelEpilogue::atRow(KernelBuilder &bd, Value sum, Value row) const {
  if (empty())
    return sum;
  SmallVector<Value> vals;
  for (Value a : args)
    vals.push_back(memref::LoadOp::create(bd.b, bd.loc, a, row));
  return dc::emitEpilogue(bd.b, bd.loc, *region, sum, vals);
}

/// A vector load of `type` from `buffer` at `at`, masked (zeros past the
/// mask) when `mask` is non-null.
static Value loadVector(KernelBuilder &bd, VectorType type, Value buffer,
                        ValueRange at, Value mask) {
  if (!mask)
    return vector::LoadOp::create(bd.b, bd.loc, type, buffer, at);
  Value zero = arith::ConstantOp::create(
      bd.b, bd.loc, type, DenseElementsAttr::get(type, 0.0f));
  return vector::MaskedLoadOp::create(bd.b, bd.loc, type, buffer, at, mask,
                                      zero);
}

Value KernelEpilogue::atRows(KernelBuilder &bd, Value sum, Value row0,
                             Value mask) const {
  if (empty())
    return sum;
  auto type = cast<VectorType>(sum.getType());
  SmallVector<Value> vals;
  for (Value a : args)
    vals.push_back(loadVector(bd, type, a, ValueRange{row0}, mask));
  return dc::emitEpilogue(bd.b, bd.loc, *region, sum, vals);
}

Value KernelEpilogue::atRowCols(KernelBuilder &bd, Value sum, Value row,
                                Value col, Value mask) const {
  if (empty())
    return sum;
  auto type = cast<VectorType>(sum.getType());
  SmallVector<Value> vals;
  for (auto [a, perRowArg] : llvm::zip_equal(args, perRow)) {
    if (perRowArg) {
      Value s = memref::LoadOp::create(bd.b, bd.loc, a, row);
      vals.push_back(vector::BroadcastOp::create(bd.b, bd.loc, type, s));
    } else {
      vals.push_back(loadVector(bd, type, a, ValueRange{row, col}, mask));
    }
  }
  return dc::emitEpilogue(bd.b, bd.loc, *region, sum, vals);
}
