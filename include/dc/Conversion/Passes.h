//===- Passes.h - dc lowering passes ----------------------------*- C++ -*-===//

#ifndef DC_CONVERSION_PASSES_H
#define DC_CONVERSION_PASSES_H

#include "dc/Dialect/DC/DC.h"
#include "mlir/Pass/Pass.h"

namespace dc {
#define GEN_PASS_DECL
#include "dc/Conversion/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "dc/Conversion/Passes.h.inc"
} // namespace dc

#endif // DC_CONVERSION_PASSES_H
