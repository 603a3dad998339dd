//===- DC.h - The dc dialect ------------------------------------*- C++ -*-===//

#ifndef DC_DIALECT_DC_DC_H
#define DC_DIALECT_DC_DC_H

#include "mlir/Bytecode/BytecodeOpInterface.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/Dialect.h"
#include "mlir/IR/OpDefinition.h"
#include "mlir/Interfaces/DestinationStyleOpInterface.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"

#include "dc/Dialect/DC/DCOpsDialect.h.inc"
#include "dc/Dialect/DC/DCOpsEnums.h.inc"

#define GET_ATTRDEF_CLASSES
#include "dc/Dialect/DC/DCOpsAttrs.h.inc"

#define GET_TYPEDEF_CLASSES
#include "dc/Dialect/DC/DCOpsTypes.h.inc"

#define GET_OP_CLASSES
#include "dc/Dialect/DC/DCOps.h.inc"

#endif // DC_DIALECT_DC_DC_H
