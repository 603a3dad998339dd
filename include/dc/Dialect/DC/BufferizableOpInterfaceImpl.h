//===- BufferizableOpInterfaceImpl.h - dc ops and bufferization -*- C++ -*-===//
//
// The BufferizableOpInterface of dc.matvec / dc.matmul, so that upstream
// one-shot-bufferize turns their tensor form into their memref form (which
// dc-lower-compute lowers to kernels). dc::registerDCDialect registers it.
//
//===----------------------------------------------------------------------===//

#ifndef DC_DIALECT_DC_BUFFERIZABLEOPINTERFACEIMPL_H
#define DC_DIALECT_DC_BUFFERIZABLEOPINTERFACEIMPL_H

namespace mlir {
class DialectRegistry;
} // namespace mlir

namespace dc {
void registerBufferizableOpInterfaceExternalModels(
    mlir::DialectRegistry &registry);
} // namespace dc

#endif // DC_DIALECT_DC_BUFFERIZABLEOPINTERFACEIMPL_H
