//===- LayoutPlanner.h - which execution layout each dc op gets -*- C++ -*-===//
//
// Shared by dc-choose-layout (writes the decision onto each dc.matvec /
// dc.matmul as `dc.layout`) and dc-lower-compute (builds and emits the
// layout an op names, choosing itself where no attribute is set): decodes
// each compressed constant once, builds the layouts a decision needs and
// compares their estimated cost (KernelLayout::estimatedCycles).
//
// The choice (`layout=auto`):
//   * sparse: always possible, the fallback;
//   * dense-code: as before (`dense-density` negative: the cost model, only
//     while its bytes are at most 1.25x bytes_pq; d in [0, 1]: exactly when
//     kept / weights >= d; above 1: never); no grouped products;
//   * tiles: batch 1 on AVX-512 (TileKernel.h), when its run-time bytes are
//     at most `max-runtime-ratio` x bytes_pq and its cost is the lowest.
// A requested layout (`layout=NAME`, or the op's `dc.layout`) is taken as
// is where it applies (the cost model and the ratio are not consulted);
// where it cannot serve the op, a warning names why and auto decides.
//
//===----------------------------------------------------------------------===//

#ifndef DC_LIB_CONVERSION_KERNELS_LAYOUTPLANNER_H
#define DC_LIB_CONVERSION_KERNELS_LAYOUTPLANNER_H

#include "KernelLayout.h"
#include "TileKernel.h"

#include "dc/Dialect/DC/DC.h"

#include <array>
#include <map>
#include <memory>

namespace dc::kernels {

struct LayoutOptions {
  std::optional<LayoutKind> layout; // none: auto
  double maxRuntimeRatio = 2.0;
  double denseDensity = -1.0;
  unsigned rowsPerGroup = 4;
  TileVariant tileVariant = TileVariant::Auto;
};

/// Parses the `layout` option (auto, sparse, dense-code, tiles); false on
/// another value.
bool parseLayoutOption(llvm::StringRef value, std::optional<LayoutKind> &out);

class LayoutPlanner {
public:
  struct Entry {
    dc::ConstantOp constant;
    bool transposeW = false;
    std::string prefix;
    LayoutSource src;
    std::array<std::unique_ptr<KernelLayout>, 3> layouts;
    std::array<bool, 3> failed{};
  };

  LayoutPlanner(const Target &target, const LayoutOptions &options)
      : target(target), options(options) {}

  /// The entry of (constant, transposeW), decoded on first use; null when
  /// the payload cannot be used by the kernels (a remark on `user` says
  /// why; payload errors are reported by the decoder).
  Entry *getEntry(dc::ConstantOp constant, bool transposeW,
                  mlir::Operation *user);

  /// The layout `kind` of `entry`, built on first use; null if it cannot be
  /// built (a remark on the constant says why).
  KernelLayout *getLayout(Entry &entry, LayoutKind kind);

  /// The layout of `op` (a dc.matvec / dc.matmul at batch n with `groups`):
  /// `requested` if it applies, else the cost model's choice (a warning on
  /// `op` when a request is overridden).
  LayoutKind choose(Entry &entry, int64_t n, int64_t groups,
                    std::optional<LayoutKind> requested, mlir::Operation *op);

  /// The layout requested for `op`: its `dc.layout` attribute, else the
  /// `layout` option. Fails (error on `op`) on an invalid attribute.
  mlir::FailureOr<std::optional<LayoutKind>> requested(mlir::Operation *op);

  const Target &getTarget() const { return target; }

private:
  /// Why `kind` cannot serve the call, or empty.
  std::string unsupported(Entry &entry, LayoutKind kind, int64_t n,
                          int64_t groups);
  LayoutKind chooseAuto(Entry &entry, int64_t n, int64_t groups);

  Target target;
  LayoutOptions options;
  std::map<std::tuple<const void *, const void *, bool>, std::unique_ptr<Entry>>
      entries;
  unsigned counter = 0;
};

} // namespace dc::kernels

#endif // DC_LIB_CONVERSION_KERNELS_LAYOUTPLANNER_H
