//===- Layers.h - Find the weight constants of contractions -----*- C++ -*-===//
//
// A *layer* is a constant that reaches a weight operand of a contraction or
// convolution through a weight chain (WeightChain.h: transposes, copying
// generics, broadcasts, reshapes, whole slices; possibly none):
//   - contractions: every input of linalg.matmul and linalg.batch_matmul
//     (any indexing_maps), matvec, vecmat, batch_matvec, batch_vecmat, and of
//     a linalg.generic that is a contraction (any operand order);
//   - convolutions: the filter of any linalg op that
//     linalg::isaConvolutionOpInterface accepts (conv_2d_nchw_fchw,
//     conv_2d_nhwc_hwcf, conv_2d_nhwc_fhwc, grouped conv_2d_ngchw_*,
//     depthwise_conv_2d_*, convolution-shaped generics): input 1 of the named
//     ops, the input whose indexing map is a projected permutation for a
//     generic.
// The constant (the chain's root) is an `arith.constant` (dense or
// dense_resource) or a `dc.constant` reached through `dc.decompress`
// (already compressed). It is one layer however many contractions use it;
// its kind is conv if any use is a convolution. f32, f16 and bf16 weights
// are compressed; other element types are found too, with `unsupported`
// saying why dc leaves them alone (the passes warn).
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
  /// The weights' element type (f32, f16, bf16; anything for unsupported).
  mlir::Type elementType;
  /// Non-empty when dc does not compress this layer: why.
  std::string unsupported;
};

/// If `operand` is a weight operand of a contraction (a non-init input; for
/// convolutions the filter), the kind of that contraction. No chain is
/// followed.
std::optional<LayerKind> getWeightKind(mlir::OpOperand &operand);

/// The name of a layer constant: its `dc.layer` string attribute, else its
/// location (name or file:line:col), else "layer<ordinal>".
std::string getLayerName(mlir::Operation *constant, unsigned ordinal);

/// All layers of `module` (supported or not), in program order.
llvm::SmallVector<Layer> findLayers(mlir::ModuleOp module);

/// Bytes per weight of element type `type` before compression (4 for f32, 2
/// for f16 / bf16).
unsigned getDenseElementBytes(mlir::Type type);

} // namespace dc

#endif // DC_TRANSFORMS_LAYERS_H
