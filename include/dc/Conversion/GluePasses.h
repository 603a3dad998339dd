//===- GluePasses.h - dc lowering of the dense glue -------------*- C++ -*-===//

#ifndef DC_CONVERSION_GLUEPASSES_H
#define DC_CONVERSION_GLUEPASSES_H

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Pass/Pass.h"

namespace mlir {
class RewritePatternSet;
} // namespace mlir

namespace dc {
#define GEN_PASS_DECL
#include "dc/Conversion/GluePasses.h.inc"

#define GEN_PASS_REGISTRATION
#include "dc/Conversion/GluePasses.h.inc"

/// dc-split-deallocs' pattern: the independent buffers of a
/// `bufferization.dealloc`, each in a dealloc of its own.
void populateSplitDeallocsPatterns(mlir::RewritePatternSet &patterns);
} // namespace dc

#endif // DC_CONVERSION_GLUEPASSES_H
