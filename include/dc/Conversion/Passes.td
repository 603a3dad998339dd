//===- Passes.td - dc lowering passes -----------------------*- tablegen -*-===//

#ifndef DC_CONVERSION_PASSES_TD
#define DC_CONVERSION_PASSES_TD

include "mlir/Pass/PassBase.td"

#endif // DC_CONVERSION_PASSES_TD
