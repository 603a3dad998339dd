//===- DenseCodeKernel.h - kernels on a dense grid of codebook indices -*- C++
//-*-===//
//
// The second execution layout of dc-lower-compute, for dense enough
// weights: every element of A (M x K) keeps its b-bit codebook index (0 for
// pruned weights), with no column indices at all, packed so that one vector
// load brings the codes of VW consecutive columns per field:
//
//   * K is cut into strips of S = VW * P columns, P = floor(32 / b);
//   * strip s of row i is VW u32 lane words at words[(i * strips + s) * VW];
//     lane l holds the codes of columns s * S + j * VW + l for j = 0..P-1 at
//     bits [j * b, (j + 1) * b); columns past K hold code 0.
//
// Decoding field j of a strip is one shift and one mask of the lane vector,
// then a codebook lookup in registers: `vpermps` (b <= 4) or `vpermi2ps`
// (b = 5; b = 6 with a select) on AVX-512, 1-4 `vpermps` + selects on AVX2,
// `vector.gather` from the table otherwise. Storage is M * strips * VW * 4
// bytes: b bits per weight plus 32 - P * b bits per lane word.
//
// Kernels:
//   batch 1: groups of R rows, 2 vector accumulators per row; per strip and
//     field: one x vector load shared by the R rows, per row shift, mask,
//     lookup and FMA; a horizontal add per row at the end.
//   batch N: groups of R rows x U column vectors of accumulators (a
//     register tile); per strip the R rows are decoded into a small stack
//     tile of f32 (R x S, L1-resident), then for each of its columns k:
//     U vector loads of X[k, :], R broadcasts of the tile, R x U FMAs.
//
//===----------------------------------------------------------------------===//

#ifndef DC_LIB_CONVERSION_KERNELS_DENSECODEKERNEL_H
#define DC_LIB_CONVERSION_KERNELS_DENSECODEKERNEL_H

#include "KernelLayout.h"

#include <memory>

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Value.h"

namespace dc::kernels {

/// Columns per strip of the layout: VW lanes x floor(32 / b) fields.
inline int64_t denseStripWidth(unsigned b, unsigned vw) {
  return int64_t(vw) * (32 / b);
}

/// Whether codebook lookups of b-bit codes in VW lanes are register
/// permutes on target `t` (else a gather from the table, ~1 cycle a lane).
inline bool hasPermuteLookup(const Target &t, unsigned b, unsigned vw) {
  return (t.avx512 && vw == 16 && b <= 6) || (t.avx2 && vw == 8 && b <= 5);
}

struct DenseCodeLayout {
  int64_t m = 0, k = 0;
  unsigned b = 0, vw = 0, p = 0;
  int64_t strips = 0;
  uint64_t nonzeros = 0;
  std::vector<uint32_t> words; // m * strips * vw
  std::vector<float> table;    // 2^b, entry 0 = 0.0
  /// entropy = huffman: the fields of `words` (word order, padding
  /// included) as one canonical Huffman stream, decoded at load.
  bool huffman = false;
  bool ans = false; // entropy = ans: a rANS stream, codeLengths its table
  std::vector<uint8_t> codeBytes, codeLengths;
  uint64_t huffmanTableBytes = 0;

  int64_t stripWidth() const { return denseStripWidth(b, vw); }
  static uint64_t wordsBytesFor(int64_t m, int64_t k, unsigned b, unsigned vw) {
    int64_t s = denseStripWidth(b, vw);
    return uint64_t(m) * uint64_t((k + s - 1) / s) * vw * 4;
  }
  uint64_t wordsBytes() const { return words.size() * 4; }
  /// Bytes of constant data in the compiled object.
  uint64_t objectBytes() const;
};

/// Builds the layout of the M x K matrix `rl` with codebook `table` (2^b
/// entries, entry 0 = 0.0) for `vw` lanes; Huffman-codes it when `huffman`.
mlir::LogicalResult
buildDenseCodeLayout(const RowLists &rl, int64_t m, int64_t k, unsigned b,
                     llvm::ArrayRef<float> table, unsigned vw, bool huffman,
                     DenseCodeLayout &layout, std::string &err,
                     bool ans = false);

/// LLVM intrinsics (the x86 permutes) are called through private function
/// declarations carrying this attribute, `func.call`s until bufferization's
/// deallocation (which rejects ops with unknown memory effects) is done;
/// `dc-expand-intrinsic-calls` then turns them into `llvm.call_intrinsic`.
constexpr llvm::StringLiteral kIntrinsicAttr = "dc.llvm_intrinsic";

/// The declaration standing for `intrinsic` in the builder's module
/// (remembered in `shared`, if given: one module lookup per pass run).
mlir::func::FuncOp getIntrinsicDeclaration(mlir::OpBuilder &b,
                                           llvm::StringRef intrinsic,
                                           mlir::TypeRange args,
                                           mlir::Type result,
                                           SharedFunctions *shared = nullptr);

/// Rows per group of the batch-1 kernel and, for batch n, the rows and
/// column vectors of the batch-N register tile.
unsigned denseMatvecRows();
void denseMatmulTile(const Target &t, int64_t n, unsigned &rows,
                     unsigned &colVectors);

/// Emits the body of a batch-1 kernel over the row groups of `range`
/// (groups of denseMatvecRows() rows): x: memref<K, strided<[1], offset:?>>,
/// y: memref<M>, words: memref<W x i32>, table: memref<2^b x f32>.
void emitDenseMatvecBody(KernelBuilder &bd, const Target &t,
                         const DenseCodeLayout &L, const GroupRange &range,
                         mlir::Value x, mlir::Value y, mlir::Value words,
                         mlir::Value table);

/// Emits the body of a batch-N kernel over the row groups of `range`
/// (groups of `rows` of denseMatmulTile): X: memref<K x N, strided<[?,1],
/// offset:?>>, Y: memref<M x N>.
void emitDenseMatmulBody(KernelBuilder &bd, const Target &t,
                         const DenseCodeLayout &L, const GroupRange &range,
                         int64_t n, mlir::Value x, mlir::Value y,
                         mlir::Value words, mlir::Value table);

/// Estimated cycles of the dense-code kernel on an M x K matrix of b-bit
/// codes at batch `n` (0: matvec) on `t` (fitted to bench/density.sh on
/// Zen 4, docs/Kernels.md); computed without building the layout.
double denseCodeCycles(int64_t m, int64_t k, unsigned b, int64_t n,
                       const Target &t);

/// The dense-code layout of `src` for `t` behind KernelLayout, or null
/// (`err` set).
std::unique_ptr<KernelLayout> makeDenseCodeLayout(const LayoutSource &src,
                                                  const Target &t,
                                                  std::string &err);

} // namespace dc::kernels

#endif // DC_LIB_CONVERSION_KERNELS_DENSECODEKERNEL_H
