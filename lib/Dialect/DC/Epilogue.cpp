//===- Epilogue.cpp - Epilogue regions of dc.matvec / dc.matmul -----------===//

#include "dc/Dialect/DC/Epilogue.h"
#include "dc/Dialect/DC/DC.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/IRMapping.h"

using namespace mlir;

ValueRange dc::getEpilogueOperands(Operation *op) {
  return op->getOperands().drop_front(3);
}

bool dc::isPerRowEpilogueOperand(Operation *op, Value v) {
  auto type = cast<ShapedType>(v.getType());
  auto out = cast<ShapedType>(op->getOperand(2).getType());
  return type.getRank() == 1 && out.getRank() == 2;
}

/// `t` (a scalar type) as a vector of `shape`'s shape, or `t` itself when
/// `shape` is null.
static Type widen(Type t, VectorType shape) {
  return shape ? VectorType::get(shape.getShape(), t) : t;
}

Value dc::emitEpilogue(OpBuilder &b, Location loc, Region &region, Value sum,
                       ValueRange args) {
  Block &block = region.front();
  auto shape = dyn_cast<VectorType>(sum.getType());
  IRMapping map;
  map.map(block.getArgument(0), sum);
  for (auto [arg, v] : llvm::zip_equal(block.getArguments().drop_front(), args))
    map.map(arg, v);
  for (Operation &op : block.without_terminator()) {
    if (!shape) {
      b.clone(op, map);
      continue;
    }
    // Constants become splats; every other (elementwise, vectorizable) op
    // is rebuilt with vector operands and results.
    if (auto cst = dyn_cast<arith::ConstantOp>(op)) {
      auto type = cast<VectorType>(widen(cst.getType(), shape));
      Value splat = arith::ConstantOp::create(
          b, loc, type,
          SplatElementsAttr::get(type, cast<TypedAttr>(cst.getValue())));
      map.map(cst.getResult(), splat);
      continue;
    }
    OperationState state(loc, op.getName());
    for (Value operand : op.getOperands())
      state.addOperands(map.lookup(operand));
    for (Type t : op.getResultTypes())
      state.addTypes(widen(t, shape));
    state.addAttributes(op.getAttrs());
    Operation *vec = b.create(state);
    map.map(op.getResults(), vec->getResults());
  }
  return map.lookup(block.getTerminator()->getOperand(0));
}
