//===- GluePasses.h - dc lowering of the dense glue -------------*- C++ -*-===//

#ifndef DC_CONVERSION_GLUEPASSES_H
#define DC_CONVERSION_GLUEPASSES_H

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Pass/Pass.h"

namespace dc {
#define GEN_PASS_DECL
#include "dc/Conversion/GluePasses.h.inc"

#define GEN_PASS_REGISTRATION
#include "dc/Conversion/GluePasses.h.inc"
} // namespace dc

#endif // DC_CONVERSION_GLUEPASSES_H
