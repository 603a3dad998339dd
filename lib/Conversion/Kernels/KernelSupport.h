//===- KernelSupport.h - shared pieces of dc's kernel generators -*- C++
//-*-===//
//
// Internal to lib/Conversion/Kernels: the target description, a small IR
// builder helper, the row lists both execution layouts are built from, and
// the group range a (possibly multi-threaded) kernel part covers.
//
//===----------------------------------------------------------------------===//

#ifndef DC_LIB_CONVERSION_KERNELS_KERNELSUPPORT_H
#define DC_LIB_CONVERSION_KERNELS_KERNELSUPPORT_H

#include "dc/Core/CompressedTensor.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Builders.h"
#include "mlir/Support/LogicalResult.h"
#include "llvm/ADT/STLFunctionalExtras.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/StringRef.h"

#include <cstdint>
#include <string>
#include <vector>

namespace dc::kernels {

/// The CPU the kernels are generated for.
struct Target {
  std::string cpu; // resolved CPU name
  unsigned vw = 4; // f32 lanes
  bool avx512 = false, avx2 = false;
  llvm::SmallVector<std::string> features;
};

/// `cpu` = host/native/empty: this machine (name and features); otherwise a
/// CPU name whose AVX-512 / AVX2 support is known. `vectorWidth` 0 picks 16,
/// 8 or 4 lanes from the target.
Target resolveTarget(llvm::StringRef cpu, unsigned vectorWidth);

struct KernelEpilogue;

/// Functions shared between layers in one run of dc-lower-compute: a kernel
/// body or a decoder whose code depends only on a key (shapes, widths,
/// batch; not on the weights) is emitted once and takes each layer's
/// globals as arguments, so N equal layers cost one function and N calls.
struct SharedFunctions {
  llvm::StringMap<mlir::func::FuncOp> byKey;
  unsigned counter = 0;
  /// A new function name `__dc_shared<N>_<what>`.
  std::string newName(llvm::StringRef what) {
    return "__dc_shared" + std::to_string(counter++) + "_" + what.str();
  }
};

struct KernelBuilder {
  mlir::OpBuilder &b;
  mlir::Location loc;
  /// The epilogue applied to every value stored into y (null: none;
  /// KernelEpilogue.h).
  const KernelEpilogue *epilogue = nullptr;
  /// The pass's shared functions and declarations (null: none).
  SharedFunctions *shared = nullptr;
  mlir::Value idx(int64_t v) {
    return mlir::arith::ConstantIndexOp::create(b, loc, v);
  }
  mlir::Value i64(int64_t v) {
    return mlir::arith::ConstantIntOp::create(b, loc, b.getI64Type(), v);
  }
  mlir::Value f32(float v) {
    return mlir::arith::ConstantFloatOp::create(b, loc, b.getF32Type(),
                                                llvm::APFloat(v));
  }
  mlir::Value toIndex(mlir::Value v) {
    return mlir::arith::IndexCastUIOp::create(b, loc, b.getIndexType(), v);
  }
};

/// Rows of A (W, or W^T with transposeW) as (column, codebook index) lists,
/// in CSR form; only non-zero codebook indices are listed.
struct RowLists {
  std::vector<uint64_t> start; // m + 1
  std::vector<uint32_t> cols, vals;
};

mlir::LogicalResult buildRowLists(const dc::CompressedTensorView &view,
                                  bool transposeW, RowLists &rl, int64_t &m,
                                  int64_t &k, std::string &err);

/// The groups a kernel (part) processes: [g0, g1). Static bounds (the
/// whole layout on one thread) emit exactly the loops of the serial kernel;
/// dynamic ones (a thread's chunk, function arguments) clamp the loop over
/// full groups and guard the last, partial group with an scf.if.
struct GroupRange {
  mlir::Value g0, g1;
  bool isStatic = true;
};

/// Calls `body(rg, gi, staticIndex)` for each group of `r` rows of an m-row
/// matrix in `range` (group g = rows [g r, min(m, g r + r))): the full
/// groups in an scf.for (gi its induction variable, staticIndex -1), then
/// the last, partial group (gi a constant, staticIndex its index), guarded
/// by an scf.if when the range is dynamic.
void forEachGroup(
    KernelBuilder &bd, int64_t m, unsigned r, const GroupRange &range,
    llvm::function_ref<void(unsigned, mlir::Value, int64_t)> body);

/// Batch-N kernels cover the N columns of X/Y in blocks of `u` vectors of
/// `vw` lanes: calls `emitBlock(n0, lens)` for each full block (once, or in
/// an scf.for when there are several), then for the tail, whose vector
/// lengths `lens` end with a partial one (to be masked).
void forEachColumnBlock(
    KernelBuilder &bd, int64_t n, unsigned vw, unsigned u,
    llvm::function_ref<void(mlir::Value, llvm::ArrayRef<int64_t>)> emitBlock);

/// Stores vector `v` at y[row, col], masked when `mask` is non-null, after
/// the builder's epilogue (if any).
void storeRowVector(KernelBuilder &bd, mlir::Value v, mlir::Value y,
                    mlir::Value row, mlir::Value col, mlir::Value mask);

/// Huffman-codes `symbols` (alphabet `alphabetSize`) with a canonical code
/// of their frequencies (core library): fills the code `lengths` and the
/// coded `bytes`, and adds the bytes of the decoding tables the generated
/// loader carries to `tableBytes`. With `ans`, codes them with static rANS
/// instead (dc/Core/Ans.h): `lengths` receives the serialized rANS table.
mlir::LogicalResult huffmanCodeStream(const std::vector<uint32_t> &symbols,
                                      size_t alphabetSize,
                                      std::vector<uint8_t> &lengths,
                                      std::vector<uint8_t> &bytes,
                                      uint64_t &tableBytes, std::string &err,
                                      bool ans = false);

} // namespace dc::kernels

#endif // DC_LIB_CONVERSION_KERNELS_KERNELSUPPORT_H
