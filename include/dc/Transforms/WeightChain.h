//===- WeightChain.h - Weights reaching an op through layout ops -*- C++ -*-===//
//
// Front ends rarely feed a weight constant straight into its contraction:
// torch-mlir transposes nn.Linear's weight with a copying linalg.generic,
// broadcasts it over the batch for 3-D activations, TOSA reshapes it. A
// *weight chain* is that sequence of pure data movement between the constant
// (the root) and the operand that consumes it. dc follows the chain to find
// the layer, compresses the root once, and replays the chain on the decoded
// elements when a kernel needs the weight in the consumer's view.
//
//===----------------------------------------------------------------------===//

#ifndef DC_TRANSFORMS_WEIGHTCHAIN_H
#define DC_TRANSFORMS_WEIGHTCHAIN_H

#include "mlir/IR/Operation.h"
#include "mlir/IR/Value.h"
#include "mlir/Support/LogicalResult.h"
#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/SmallVector.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace dc {

/// A weight as one consumer operand sees it: the root (the result of an
/// f32/f16/bf16 arith.constant, or of dc.decompress of a dc.constant) and the
/// pure layout ops between them, root first: linalg.transpose,
/// linalg.broadcast, copying linalg.generic whose body only yields its input
/// with projected-permutation maps (transposes, broadcasts over new dims),
/// tensor.expand_shape / collapse_shape / reshape / cast (static),
/// tensor.extract_slice of the whole tensor.
struct WeightChain {
  mlir::Value root;
  llvm::SmallVector<mlir::Operation *> ops;
};

/// Follows `v` back to a root; std::nullopt if `v` is not such a chain (a
/// chain of length 0 is fine).
std::optional<WeightChain> traceWeightChain(mlir::Value v);

/// Like traceWeightChain, but the root may be an arith.constant of any
/// static-shaped ranked tensor type (f64, integers, ...): used to warn about
/// weights dc does not compress.
std::optional<WeightChain> traceAnyWeightChain(mlir::Value v);

/// True if `op` is one of the layout ops a chain may contain.
bool isWeightLayoutOp(mlir::Operation *op);

/// Applies the chain to the row-major elements of the root (any 32-bit
/// payload: codebook indices or f32 bit patterns), giving the row-major
/// elements of the traced value (broadcasts replicate). Fails (with a message
/// in *error) on sizes it will not materialize.
mlir::LogicalResult applyWeightChain(const WeightChain &chain,
                                     llvm::ArrayRef<uint32_t> rootElements,
                                     std::vector<uint32_t> &out,
                                     std::string *error);

/// The most elements applyWeightChain materializes for one step.
constexpr int64_t kMaxChainElements = int64_t(1) << 28;

//===----------------------------------------------------------------------===//
// IR-free core of applyWeightChain (unit-tested directly)
//===----------------------------------------------------------------------===//

/// One layout step on row-major elements: out[o] = in[i] where, for each
/// input dimension d, i[d] = o[sourceDim[d]], or 0 when sourceDim[d] is -1
/// (a unit input dimension). Output dimensions no input dimension reads are
/// broadcast. A reshape is a step with `reshape` set: the elements are
/// unchanged.
struct LayoutStep {
  std::vector<int64_t> inShape, outShape;
  std::vector<int64_t> sourceDim;
  bool reshape = false;
};

/// Applies `step` to `in` (row-major, inShape) into `out` (row-major,
/// outShape). Fails with a message on inconsistent shapes or more than
/// kMaxChainElements output elements.
bool applyLayoutStep(const LayoutStep &step, llvm::ArrayRef<uint32_t> in,
                     std::vector<uint32_t> &out, std::string *error);

/// The layout steps of `chain`, root first; std::nullopt if an op of it is
/// not a layout op.
std::optional<std::vector<LayoutStep>>
getWeightChainSteps(const WeightChain &chain);

/// Maps element indices of a chain's result back to row-major offsets into
/// its root, step by step (reshapes through the linear offset), without
/// materializing any intermediate tensor.
class ChainIndexer {
public:
  /// `resultShape` is the shape of the chain's result (the root's when
  /// `steps` is empty).
  ChainIndexer(std::vector<LayoutStep> steps,
               llvm::ArrayRef<int64_t> resultShape);
  /// The row-major root offset of the element at `index` (in bounds).
  int64_t getRootOffset(llvm::ArrayRef<int64_t> index);

private:
  std::vector<LayoutStep> steps;
  std::vector<int64_t> resultShape;
  std::vector<int64_t> current, next;
};

} // namespace dc

#endif // DC_TRANSFORMS_WEIGHTCHAIN_H
