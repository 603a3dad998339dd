//===- RewriteSupport.h - Helpers of the contraction rewrites ---*- C++ -*-===//
//
// Shared by the rewrites of dc-rewrite-contractions (RewriteContractions.cpp,
// RewriteConvolutions.cpp): views of a compressed constant as the matrix a
// dc compute op needs, and the construction of those ops.
//
//===----------------------------------------------------------------------===//

#ifndef DC_LIB_CONVERSION_KERNELS_REWRITESUPPORT_H
#define DC_LIB_CONVERSION_KERNELS_REWRITESUPPORT_H

#include "dc/Core/CompressedTensor.h"
#include "dc/Dialect/DC/DC.h"
#include "dc/Transforms/WeightChain.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/PatternMatch.h"

#include <map>
#include <tuple>
#include <vector>

namespace dc::kernels {

/// 2-D views of compressed constants already built, by (constant, the last
/// op of the weight chain or null, dimension permutation, rows), so that
/// several consumers of one filter share one.
class MatrixViewCache {
public:
  using Key = std::tuple<mlir::Operation *, mlir::Operation *,
                         std::vector<int64_t>, int64_t>;
  mlir::Value lookup(const Key &key) const;
  void insert(const Key &key, mlir::Value view) { views[key] = view; }
  /// Drops the entries of `op` (a constant or chain op, before it is
  /// erased).
  void forget(mlir::Operation *op);

private:
  std::map<Key, mlir::Value> views;
};

/// A `dc.constant` whose matrix is `constant`'s tensor (or, with a non-empty
/// `chain` rooted at dc.decompress of `constant`, the tensor the chain of
/// layout ops makes of it) with its dimensions permuted by `permutation`
/// (result dimension i is dimension permutation[i]), its elements in
/// row-major order viewed as rows x cols;
/// null when that cannot be done exactly. Without a permutation, and when
/// the storage's own matrix view is the same (the same rows, or the dense
/// format, which stores row-major elements), it is the same payload under
/// the 2-D type; otherwise the elements are re-encoded with the same
/// parameters and codebook. Either way the new constant is checked to decode
/// to the same codebook indices (or raw values) as the permuted original.
/// The new constant is inserted right after `constant`.
mlir::Value getMatrixView(dc::ConstantOp constant, const dc::WeightChain &chain,
                          llvm::ArrayRef<int64_t> permutation, int64_t rows,
                          int64_t cols, MatrixViewCache &cache);

/// Every element of `view`, row-major: codebook indices, or raw f32 bit
/// patterns when there is no codebook. False on any invalid payload.
bool decodeAllElements(const dc::CompressedTensorView &view,
                       std::vector<uint32_t> &elements);

/// A new `dc.constant` right after `constant` holding `elements` (codebook
/// indices, or raw f32 bit patterns without a codebook) as a rows x cols
/// matrix of `elementType`, encoded with `view`'s parameters and codebook
/// and checked to decode to exactly `elements`; null when that fails.
mlir::Value buildReencodedMatrix(dc::ConstantOp constant,
                                 const dc::CompressedTensorView &view,
                                 const std::vector<uint32_t> &elements,
                                 int64_t rows, int64_t cols,
                                 mlir::Type elementType);

/// True if `init` is known to be all zeros.
bool isZeroInit(mlir::Value init);

/// The element types the rewrites take: f32, f16 and bf16 (the kernels
/// compute in f32; f16 / bf16 operands are extended on the way in and the
/// result truncated once).
bool isSupportedFloat(mlir::Type t);

/// A ranked tensor of static shape and a supported float element type.
bool isStaticFloatTensor(mlir::Value v);

/// `v` converted to element type `to` (extf / truncf), or `v`.
mlir::Value castFloat(mlir::OpBuilder &b, mlir::Location loc, mlir::Value v,
                      mlir::Type to);

/// `result` (f32, the shape of `init`) plus `init` unless it is zero, in
/// `init`'s element type: linalg.add for f32; for f16 / bf16 the sum is
/// formed in f32 and truncated once (one linalg.generic).
mlir::Value addInit(mlir::OpBuilder &b, mlir::Location loc, mlir::Value result,
                    mlir::Value init);

/// The 2-D transpose of `v` (linalg.transpose).
mlir::Value transpose2D(mlir::OpBuilder &b, mlir::Location loc, mlir::Value v);

/// Y = A X with A = W (or W^T with `transposeW`), Y: M x N, the rows of A
/// split into `groups` groups (dc.matmul's `groups`). Uses dc.matvec when
/// N == 1.
mlir::Value buildGroupedWX(mlir::OpBuilder &b, mlir::Location loc,
                           mlir::Value w, mlir::Value x, bool transposeW,
                           int64_t groups);

/// Adds the patterns that rewrite linalg convolutions on a compressed filter
/// into im2col + dc.matmul (RewriteConvolutions.cpp). A convolution whose
/// filter's dc.decompress carries kDecodeAtLoadAttr is left alone.
void populateConvolutionRewritePatterns(mlir::RewritePatternSet &patterns);

/// Marks kDecodeAtLoadAttr on the dc.decompress of every compressed filter
/// of an NCHW depthwise convolution (static f32) under `root`: the glue runs
/// those as dense vectorized rows on the filter decoded once at load.
void markDepthwiseDecodeAtLoad(mlir::Operation *root);

} // namespace dc::kernels

#endif // DC_LIB_CONVERSION_KERNELS_REWRITESUPPORT_H
