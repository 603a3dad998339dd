//===- Passes.h - dc lowering passes ----------------------------*- C++ -*-===//

#ifndef DC_CONVERSION_PASSES_H
#define DC_CONVERSION_PASSES_H

#include "dc/Dialect/DC/DC.h"
#include "mlir/IR/Builders.h"
#include "mlir/Pass/Pass.h"

namespace dc {
/// The dense computation a dc.matvec / dc.matmul `op` on tensors stands
/// for, built at `b`'s insertion point: dc.decompress of its weight and a
/// linalg contraction (per group, as a batch_matvec / batch_matmul, with
/// `groups` > 1). Returns the value replacing op's result, or null after an
/// error on `op` (groups > 1 with dynamic shapes).
mlir::Value buildDenseContraction(mlir::OpBuilder &b, mlir::Operation *op);

/// True if dc-lower-compute can lower the dc.matvec / dc.matmul `op` to a
/// kernel: its weight is a dc.constant with a codebook (bits <= 16) and its
/// input and outs have static shapes. (A payload that does not decode is
/// diagnosed by the pass that decodes it.)
bool hasKernelLowering(mlir::Operation *op);

#define GEN_PASS_DECL
#include "dc/Conversion/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "dc/Conversion/Passes.h.inc"
} // namespace dc

#endif // DC_CONVERSION_PASSES_H
