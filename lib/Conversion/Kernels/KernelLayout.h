//===- KernelLayout.h - execution layouts of dc's compute kernels -*- C++
//-*-===//
//
// An execution layout is how one compressed weight matrix A (M x K) is laid
// out for a kernel, and the kernel that reads it. dc-lower-compute builds
// the layout a call site asks for (its `dc.layout` attribute, written by
// dc-choose-layout or by the user), emits its globals once and a kernel per
// batch size; everything layout-specific sits behind this interface, one
// file per layout:
//
//   sparse      SparseLayout.{h,cpp}: rows sorted by entry count, R rows
//               interleaved, (codebook index, column delta) fields in u64
//               words; every target, every batch, grouped products.
//   dense-code  DenseCodeKernel.{h,cpp}: every weight's codebook index in
//               vector lane words, looked up with vector permutes.
//   tiles       TileKernel.{h,cpp}: laggard-window tiles (dc/Core/
//               TileLayout.h) for batch 1 on AVX-512, built at load from
//               the compact form the object carries.
//
// Each layout answers its bytes (in the object, and streamed at run time),
// its estimated cost for a batch and target, how its kernels split across
// threads, and emits its globals and kernel bodies.
//
//===----------------------------------------------------------------------===//

#ifndef DC_LIB_CONVERSION_KERNELS_KERNELLAYOUT_H
#define DC_LIB_CONVERSION_KERNELS_KERNELLAYOUT_H

#include "KernelSupport.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinOps.h"
#include "llvm/Support/raw_ostream.h"

#include <optional>

namespace dc::kernels {

enum class LayoutKind { Sparse, DenseCode, Tiles };

/// `sparse`, `dense-code`, `tiles`: the names of the `layout` option and
/// the `dc.layout` attribute.
llvm::StringRef layoutKindName(LayoutKind kind);
std::optional<LayoutKind> parseLayoutKind(llvm::StringRef name);

/// The attribute on dc.matvec / dc.matmul naming the layout of that op.
constexpr llvm::StringLiteral kLayoutAttrName = "dc.layout";

/// A compressed constant decoded at compile time: what every layout is
/// built from.
struct LayoutSource {
  int64_t m = 0, k = 0;      // A is M x K (W, or W^T with transpose_w)
  unsigned b = 0;            // codebook index bits
  std::vector<float> table;  // 2^b codebook values, entry 0 = 0.0
  RowLists rows;             // A's entries by row
  uint64_t bytesPQ = 0, bytesPQH = 0;
  bool huffman = false;      // entropy = huffman or ans: keep it coded
  bool ans = false;          // entropy = ans: coded with rANS, not Huffman
  uint64_t nonzeros() const { return rows.cols.size(); }
  double density() const {
    double total = double(m) * double(k);
    return total > 0 ? double(nonzeros()) / total : 0.0;
  }
};

/// What a kernel of a layout is generated for.
struct KernelCall {
  const Target &target;
  int64_t n = 0;      // batch columns; 0: matvec
  int64_t groups = 1; // grouped products (sparse layout only)
  unsigned colBlock = 0;
};

class KernelLayout {
public:
  virtual ~KernelLayout();
  virtual LayoutKind kind() const = 0;
  /// Bytes of constant data the layout puts into the compiled object.
  virtual uint64_t objectBytes() const = 0;
  /// Bytes of the layout in memory that each call streams.
  virtual uint64_t runtimeBytes() const = 0;
  /// Estimated cycles of one call at batch `n` (0: matvec) on `target`.
  virtual double estimatedCycles(int64_t n, const Target &target) const = 0;
  /// The kernels' row groups (what threads split) and their cumulative
  /// cost, groups + 1 values from 0.
  virtual std::vector<int64_t> groupCosts(int64_t n,
                                          const Target &target) const = 0;
  /// Whether its kernels at batch `n` > 0 read x transposed: the body's x
  /// is then a `memref<N x G*K>` (one row per batch column), which the
  /// kernel entry copies from its x before any parallel loop.
  virtual bool readsTransposedX(int64_t n) const { return false; }
  /// Emits the layout's globals into `module` (names PREFIX_...), once;
  /// functions that do not depend on this layout's data (decoders) go to
  /// `shared`.
  virtual mlir::LogicalResult
  emitGlobals(mlir::ModuleOp module, mlir::Location loc, llvm::StringRef prefix,
              SharedFunctions &shared, std::string &err) = 0;
  /// A decode-once initializer every kernel calls first (null: none).
  virtual mlir::func::FuncOp initializer() const = 0;
  /// SHARED KERNELS. Everything the kernel body for `call` depends on
  /// besides the layout's data globals (sizes, widths, the target), as a
  /// string: layouts of equal keys share one body function that takes the
  /// data as arguments (dataTypes, getData). Empty: the body is not shared
  /// and reads the globals itself.
  virtual std::string kernelKey(const KernelCall &call) const { return {}; }
  /// The types of the data arguments of a shared body (after emitGlobals).
  virtual llvm::SmallVector<mlir::Type>
  dataTypes(mlir::MLIRContext *ctx) const {
    return {};
  }
  /// This layout's data as values of dataTypes, at the builder's insertion
  /// point (after emitGlobals).
  virtual llvm::SmallVector<mlir::Value> getData(mlir::OpBuilder &b,
                                                 mlir::Location loc) const {
    return {};
  }
  /// Emits a kernel body over the groups of `range`: x, y are the kernel's
  /// first two arguments (x: memref<G*K[xN], strided>, y: memref<M[xN]>);
  /// `data`: the body's data arguments (a shared body), or empty (the
  /// body reads the globals).
  virtual void emitBody(KernelBuilder &bd, const KernelCall &call,
                        const GroupRange &range, mlir::Value x, mlir::Value y,
                        mlir::ValueRange data) = 0;
  /// The layout's `stats` fields (after `layout=NAME`).
  virtual void printStats(llvm::raw_ostream &os) const = 0;
};

/// A private constant `memref.global` NAME of `count` elements of `elt`
/// holding `raw`, at the start of `module`.
void addConstantGlobal(mlir::ModuleOp module, mlir::Location loc,
                       llvm::StringRef name, mlir::Type elt,
                       llvm::ArrayRef<char> raw, int64_t count,
                       int64_t alignment = 64);

template <typename T>
llvm::ArrayRef<char> rawBytes(const std::vector<T> &v) {
  return llvm::ArrayRef<char>((const char *)v.data(), v.size() * sizeof(T));
}

/// Bytes streamed per cycle by one core from memory (cold calls): ~16 GB/s
/// at 3.6 GHz on Zen 4 (../shared/proto/batch1-tiles bwprobe.c).
constexpr double kMemoryBytesPerCycle = 4.5;

} // namespace dc::kernels

#endif // DC_LIB_CONVERSION_KERNELS_KERNELLAYOUT_H
