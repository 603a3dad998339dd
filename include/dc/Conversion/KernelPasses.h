//===- KernelPasses.h - dc compute kernels ----------------------*- C++ -*-===//

#ifndef DC_CONVERSION_KERNELPASSES_H
#define DC_CONVERSION_KERNELPASSES_H

#include "dc/Dialect/DC/DC.h"
#include "mlir/Pass/Pass.h"

namespace dc {
#define GEN_PASS_DECL
#include "dc/Conversion/KernelPasses.h.inc"

#define GEN_PASS_REGISTRATION
#include "dc/Conversion/KernelPasses.h.inc"
} // namespace dc

#endif // DC_CONVERSION_KERNELPASSES_H
