//===- DCDialect.cpp - The dc dialect ---------------------------*- C++ -*-===//

#include "dc/Dialect/DC/DC.h"

#include "dc/Core/CompressedTensor.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/DialectImplementation.h"
#include "llvm/ADT/TypeSwitch.h"

using namespace mlir;
using namespace dc;

#include "dc/Dialect/DC/DCOpsDialect.cpp.inc"
#include "dc/Dialect/DC/DCOpsEnums.cpp.inc"

#define GET_ATTRDEF_CLASSES
#include "dc/Dialect/DC/DCOpsAttrs.cpp.inc"

#define GET_TYPEDEF_CLASSES
#include "dc/Dialect/DC/DCOpsTypes.cpp.inc"

void DCDialect::initialize() {
  addAttributes<
#define GET_ATTRDEF_LIST
#include "dc/Dialect/DC/DCOpsAttrs.cpp.inc"
      >();
  addTypes<
#define GET_TYPEDEF_LIST
#include "dc/Dialect/DC/DCOpsTypes.cpp.inc"
      >();
  addOperations<
#define GET_OP_LIST
#include "dc/Dialect/DC/DCOps.cpp.inc"
      >();
}

LogicalResult
EncodingAttr::verify(function_ref<InFlightDiagnostic()> emitError,
                     Format format, unsigned bits, unsigned indexBits,
                     Entropy entropy, unsigned codebookRows) {
  if (!((bits >= 1 && bits <= 16) || bits == 32))
    return emitError() << "bits must be in 1..16 (codebook index width) or "
                          "32 (raw f32 values), got "
                       << bits;
  if (indexBits < 1 || indexBits > 16)
    return emitError() << "index_bits must be in 1..16, got " << indexBits;
  if (bits == 32 && entropy != Entropy::None)
    return emitError() << "entropy coding needs a codebook (bits <= 16)";
  if (bits == 32 && codebookRows != 0)
    return emitError() << "codebook_rows needs a codebook (bits <= 16), got "
                          "bits = 32";
  return success();
}

LogicalResult
CompressedType::verify(function_ref<InFlightDiagnostic()> emitError,
                       RankedTensorType tensorType, EncodingAttr encoding) {
  if (!tensorType.hasStaticShape())
    return emitError() << "compressed tensor must have a static shape";
  Type element = tensorType.getElementType();
  if (!element.isF32() && !element.isF16() && !element.isBF16())
    return emitError() << "compressed tensor must have f32, f16 or bf16 "
                          "elements";
  if (tensorType.getEncoding())
    return emitError() << "compressed tensor type must not carry a tensor "
                          "encoding";
  if (encoding.isSparse() && tensorType.getRank() < 1)
    return emitError() << "sparse formats need a tensor of rank >= 1";
  if (unsigned r = encoding.getCodebookRows()) {
    int64_t rows, cols;
    std::vector<int64_t> shape(tensorType.getShape().begin(),
                               tensorType.getShape().end());
    matrixDims(shape, rows, cols);
    if (rows <= 0 || rows % r != 0)
      return emitError() << "codebook_rows = " << r << " does not divide the "
                         << rows << " rows of the matrix view of "
                         << tensorType;
  }
  return success();
}
