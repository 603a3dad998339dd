//===- KernelPasses.td - dc compute kernels -----------------*- tablegen -*-===//

#ifndef DC_CONVERSION_KERNELPASSES_TD
#define DC_CONVERSION_KERNELPASSES_TD

include "mlir/Pass/PassBase.td"

#endif // DC_CONVERSION_KERNELPASSES_TD
