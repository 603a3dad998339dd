//===- Epilogue.h - Epilogue regions of dc.matvec / dc.matmul ---*- C++ -*-===//
//
// The epilogue of a dc contraction (DCOps.td) is a region applied to each
// sum before it is stored. These helpers verify it and emit it: on scalars
// (the dense lowering, per-row scalar stores) or on vectors of sums (the
// kernels' vector stores).
//
//===----------------------------------------------------------------------===//

#ifndef DC_DIALECT_DC_EPILOGUE_H
#define DC_DIALECT_DC_EPILOGUE_H

#include "mlir/IR/Builders.h"
#include "mlir/IR/Operation.h"

namespace dc {

/// Verifies the epilogue region and operands of a dc.matvec / dc.matmul
/// whose `outs` is `init` (called by their verifiers).
mlir::LogicalResult verifyEpilogue(mlir::Operation *op, mlir::Value init);

/// The epilogue operands of a dc contraction (operands after weight, input,
/// outs).
mlir::ValueRange getEpilogueOperands(mlir::Operation *op);

/// Whether epilogue operand `v` of `op` is read per row (shape [M] on a
/// dc.matmul); otherwise it has the shape of `outs` and is read per element.
/// On a dc.matvec both are the same.
bool isPerRowEpilogueOperand(mlir::Operation *op, mlir::Value v);

/// Emits `region`'s ops at the builder's insertion point on `sum` and one
/// value per epilogue operand (`args`) and returns the yielded value. The
/// values may be f32 scalars or vectors of f32 of one shape: on vectors,
/// every op is emitted on vectors of that shape (constants splatted).
mlir::Value emitEpilogue(mlir::OpBuilder &b, mlir::Location loc,
                         mlir::Region &region, mlir::Value sum,
                         mlir::ValueRange args);

} // namespace dc

#endif // DC_DIALECT_DC_EPILOGUE_H
