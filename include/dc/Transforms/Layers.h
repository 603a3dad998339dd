//===- Layers.h - Find the weight constants of contractions -----*- C++ -*-===//
//
// A *layer* is a constant that is the weight operand of a contraction:
// linalg.matmul (plain or with indexing_maps), matvec, batch_matmul, a
// linalg.transpose feeding one of those (torch-mlir's nn.Linear), a
// contraction linalg.generic, conv_2d_nchw_fchw or conv_2d_nhwc_hwcf. The
// constant is either an f32 `arith.constant` (dense or dense_resource) or a
// `dc.constant` reached through `dc.decompress` (already compressed).
//
//===----------------------------------------------------------------------===//

#ifndef DC_TRANSFORMS_LAYERS_H
#define DC_TRANSFORMS_LAYERS_H

#include "mlir/IR/BuiltinOps.h"
#include "llvm/ADT/SmallVector.h"

#include <optional>
#include <string>

namespace dc {

enum class LayerKind { FC, Conv };

const char *stringifyLayerKind(LayerKind kind);

struct Layer {
  /// The `arith.constant` or `dc.constant` holding the weights.
  mlir::Operation *constant = nullptr;
  LayerKind kind = LayerKind::FC;
  std::string name;
  /// Number of weights.
  int64_t numElements = 0;
};

/// If `operand` is a weight operand of a contraction (a non-init input;
/// for convolutions the filter), looking through one linalg.transpose, the
/// kind of that contraction.
std::optional<LayerKind> getWeightKind(mlir::OpOperand &operand);

/// If `value` (the result of a constant or dc.decompress) is the weight of at
/// least one contraction, its kind (conv if any use is a convolution).
std::optional<LayerKind> getLayerKind(mlir::Value value);

/// The name of a layer constant: its `dc.layer` string attribute, else its
/// location (name or file:line:col), else "layer<ordinal>".
std::string getLayerName(mlir::Operation *constant, unsigned ordinal);

/// All layers of `module`, in program order.
llvm::SmallVector<Layer> findLayers(mlir::ModuleOp module);

} // namespace dc

#endif // DC_TRANSFORMS_LAYERS_H
