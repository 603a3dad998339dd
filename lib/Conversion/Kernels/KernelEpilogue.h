//===- KernelEpilogue.h - a dc op's epilogue in its kernel ------*- C++ -*-===//
//
// The epilogue region of a dc.matvec / dc.matmul (DCOps.td), applied by a
// kernel to each sum, or vector of sums, before it stores it. Its operands
// are the kernel's arguments after x and y: [M] vectors read per row, or
// buffers of y's shape read per element.
//
//===----------------------------------------------------------------------===//

#ifndef DC_LIB_CONVERSION_KERNELS_KERNELEPILOGUE_H
#define DC_LIB_CONVERSION_KERNELS_KERNELEPILOGUE_H

#include "KernelSupport.h"

#include "mlir/IR/Region.h"

namespace dc::kernels {

struct KernelEpilogue {
  mlir::Region *region = nullptr; // null: none (store the sum)
  llvm::SmallVector<bool> perRow; // per operand: an [M] vector on a matmul
  /// The operands in the kernel being emitted (its arguments 2..).
  llvm::SmallVector<mlir::Value> args;

  bool empty() const { return !region; }
  /// The kernel argument types of the operands for y of `yShape`.
  llvm::SmallVector<mlir::Type> argTypes(mlir::MLIRContext *ctx,
                                         llvm::ArrayRef<int64_t> yShape) const;

  /// The value to store at y[row] for the scalar `sum`.
  mlir::Value atRow(KernelBuilder &bd, mlir::Value sum, mlir::Value row) const;
  /// The vector to store at y[row0, row0 + lanes) for a vector of sums of
  /// consecutive rows (lanes past `mask`'s are not stored).
  mlir::Value atRows(KernelBuilder &bd, mlir::Value sum, mlir::Value row0,
                     mlir::Value mask) const;
  /// The vector to store at y[row, col, col + lanes) (a matmul row).
  mlir::Value atRowCols(KernelBuilder &bd, mlir::Value sum, mlir::Value row,
                        mlir::Value col, mlir::Value mask) const;
};

} // namespace dc::kernels

#endif // DC_LIB_CONVERSION_KERNELS_KERNELEPILOGUE_H
