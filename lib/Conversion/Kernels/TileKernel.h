//===- TileKernel.h - the laggard-window tile layout and kernel -*- C++ -*-===//
//
// The batch-1 layout for AVX-512 (dc/Core/TileLayout.h for the format):
// strips of 16 rows, one zmm lane per row, tiles of a 32-column window of x
// in two zmm registers and three 10-bit (column, code) fields per lane;
// per tile and step two `vpermi2ps` look up x and the codebook in registers
// and one FMA accumulates 16 rows (../shared/proto/batch1-tiles,
// `k_lag32s3`).
//
// The object stays compact: it carries the sparse layout with one row per
// group in row order (`ExecLayout`, r = 1, Huffman-coded with entropy =
// huffman) and the tile count of each strip (computed here with the core
// builder). The generated initializer `PREFIX_tiles_init()` (decode-once,
// dc::emitOnce; dc_init() runs it too) decodes that form and builds the
// tiles into mutable globals (the lane words aligned to 2 MiB when they
// span more, advised with madvise(MADV_HUGEPAGE) before they are first
// written; a refusal is ignored). The kernel prefetches the lane words 2 KiB
// ahead. Threads split the strips (cost: tiles).
//
//===----------------------------------------------------------------------===//

#ifndef DC_LIB_CONVERSION_KERNELS_TILEKERNEL_H
#define DC_LIB_CONVERSION_KERNELS_TILEKERNEL_H

#include "KernelLayout.h"

#include <memory>

namespace dc::kernels {

/// Why the tile layout cannot serve a call at batch `n` with `groups` on
/// `t` for `src`, or empty when it can.
std::string tileLayoutUnsupported(const LayoutSource &src, int64_t n,
                                  int64_t groups, const Target &t);

/// The two tile layouts: S = 3 (three 10-bit fields per lane word, padding
/// stored) and the vpexpandw one (two 16-bit fields per lane, no padding
/// stored: per tile a mask and the present fields; cheaper where windows
/// are sparsely filled, ~4% kept). Auto takes the lower estimate.
enum class TileVariant { Auto, S3, Expand };

/// The tile layout of `src` behind KernelLayout, or null (`err` set).
std::unique_ptr<KernelLayout> makeTileLayout(const LayoutSource &src,
                                             TileVariant variant,
                                             std::string &err);

} // namespace dc::kernels

#endif // DC_LIB_CONVERSION_KERNELS_TILEKERNEL_H
