//===- Register.h - Register dc with an MLIR tool ---------------*- C++ -*-===//

#ifndef DC_REGISTER_H
#define DC_REGISTER_H

namespace mlir {
class DialectRegistry;
} // namespace mlir

namespace dc {
/// Registers the dc dialect, and the upstream interface models (bufferization,
/// convert-to-llvm) that dc-compress and dc-to-llvm need, so a compiler that
/// registers only its own dialects can run them.
void registerDCDialect(mlir::DialectRegistry &registry);
/// Registers every dc pass (`dc-prune`, `dc-cluster`, ...).
void registerDCPasses();
/// Registers the `dc-compress` and `dc-to-llvm` pipelines.
void registerDCPipelines();
} // namespace dc

#endif // DC_REGISTER_H
