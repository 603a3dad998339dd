//===- DCUtils.h - Bridges between dc IR and the core library ---*- C++ -*-===//

#ifndef DC_DIALECT_DC_DCUTILS_H
#define DC_DIALECT_DC_DCUTILS_H

#include "dc/Core/CompressedTensor.h"
#include "dc/Dialect/DC/DC.h"

#include "mlir/IR/Builders.h"
#include "llvm/ADT/SmallVector.h"

namespace dc {

/// Unit attribute on a `dc.decompress` whose weights are decoded once at load
/// by design (dc-rewrite-contractions: an NCHW depthwise filter that the glue
/// runs as dense rows); dc-lower-decompress does not warn about it.
constexpr llvm::StringLiteral kDecodeAtLoadAttr = "dc.decode_at_load";

/// Storage for the parts of a view that could not point into attributes
/// (splat or non-resource dense attributes are expanded here).
struct ViewStorage {
  std::vector<uint8_t> values, gaps, valueCodeLengths, gapCodeLengths;
  std::vector<uint8_t> valueAnsTable, gapAnsTable;
  std::vector<uint32_t> pointers;
  std::vector<float> codebook;
};

/// Core encoding parameters of an encoding attribute.
EncodingParams toParams(EncodingAttr encoding);
/// The encoding attribute for core parameters.
EncodingAttr toAttr(mlir::MLIRContext *ctx, const EncodingParams &params);

/// A view of the payload of `op` (no copy for resource blobs). Fails with a
/// diagnostic on `op` when attributes have the wrong element type or a
/// resource blob is missing.
mlir::LogicalResult getView(ConstantOp op, CompressedTensorView &view,
                            ViewStorage &storage);

/// Fully decodes `op` to a dense row-major tensor, with a diagnostic on
/// failure.
mlir::LogicalResult decompressConstant(ConstantOp op,
                                       std::vector<float> &dense);

/// Builds a `dc.constant` holding `tensor`; payloads larger than a few bytes
/// go into resource blobs named after `blobPrefix`.
ConstantOp buildConstant(mlir::OpBuilder &builder, mlir::Location loc,
                         mlir::RankedTensorType tensorType,
                         const CompressedTensor &tensor,
                         llvm::StringRef blobPrefix);

/// An f32 dense_resource (or dense, when small) elements attribute.
mlir::ElementsAttr makeF32Elements(mlir::RankedTensorType type,
                                   llvm::ArrayRef<float> data,
                                   llvm::StringRef blobName);

/// The f32 contents of a dense or dense_resource elements attribute, without
/// a copy when possible (`storage` holds expanded splats or realigned data).
/// Sizes are computed with overflow checks; on failure `why` (if given)
/// says what is wrong.
mlir::FailureOr<llvm::ArrayRef<float>>
getF32Elements(mlir::ElementsAttr attr, std::vector<float> &storage,
               std::string *why = nullptr);

/// Fails with an error on `op` if a buffer of `type` (a ranked tensor or
/// memref, or a compressed type's tensor) would have more than
/// kMaxDenseElements elements or an element count that overflows; `what`
/// names it in the message ("result", "weight", ...). Called before
/// anything of that size is allocated or emitted.
mlir::LogicalResult checkMaterializable(mlir::Operation *op, mlir::Type type,
                                        llvm::StringRef what);

/// Copies the f32 contents of a dense or dense_resource elements attribute.
mlir::LogicalResult readF32Elements(mlir::ElementsAttr attr,
                                    std::vector<float> &data);

/// Prints the stats line of a layer whose weights run from a dense buffer:
/// "PASS: LAYER layout=LAYOUT consumers=CONSUMERS bytes_dense=N", N the
/// bytes of `constant`'s tensor.
void printDenseLayerStats(llvm::raw_ostream &os, llvm::StringRef pass,
                          llvm::StringRef layer, llvm::StringRef layout,
                          llvm::StringRef consumers, ConstantOp constant);

} // namespace dc

#endif // DC_DIALECT_DC_DCUTILS_H
