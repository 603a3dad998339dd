//===- TileLayout.h - laggard-window tiles for batch-1 kernels --*- C++ -*-===//
//
// The execution layout of dc's AVX-512 batch-1 kernel ("laggard-window
// tiles", the S = 3 layout of ../shared/proto/batch1-tiles, `k_lag32s3`):
//
//   * the rows of A (M x K, codebook indices 1..31 of a 5-bit codebook) are
//     cut into strips of 16 consecutive rows, one vector lane per row (the
//     last strip may have fewer rows: its missing lanes are empty);
//   * a strip is a sequence of tiles. A tile is a window of 32 columns of
//     x, x[start, start + 32), starting at the next column of the strip's
//     most-behind row (clamped to K - 32; 0 when K < 32), and one u32 lane
//     word per lane holding that row's next (up to) three entries inside
//     the window, as three 10-bit fields at bits 0, 10, 20: the column in
//     the window (5 bits) | the codebook index << 5. An unused field is 0
//     (index 0 is the exact zero, read at the window's first column);
//   * the kernel does a fixed three steps per tile: two `vpermi2ps` look up
//     x and the codebook in registers, one FMA accumulates 16 rows.
//
// IR-free: the compiler builds it to count tiles and check it, and the
// generated code builds the same layout again at load from the compact form
// the object carries (LowerCompute / TileKernel).
//
//===----------------------------------------------------------------------===//

#ifndef DC_CORE_TILELAYOUT_H
#define DC_CORE_TILELAYOUT_H

#include <cstdint>
#include <string>
#include <vector>

namespace dc {

struct TileLayout {
  static constexpr unsigned kLanes = 16;     // rows per strip
  static constexpr unsigned kWindow = 32;    // columns per tile
  static constexpr unsigned kSteps = 3;      // entries per lane and tile
  static constexpr unsigned kFieldBits = 10; // column (5) | code (5) << 5
  static constexpr unsigned kMaxCode = 31;   // 5-bit codebook indices
  /// Largest K whose window starts fit the u16 `starts`.
  static constexpr int64_t kMaxK = 65535 + kWindow;

  int64_t m = 0, k = 0;
  uint64_t nonzeros = 0;
  std::vector<int32_t> stripOffsets; // numStrips() + 1 tile offsets
  std::vector<uint16_t> starts;      // one per tile
  std::vector<uint32_t> words;       // kLanes per tile, lane l = row 16 g + l

  int64_t numStrips() const { return (m + kLanes - 1) / kLanes; }
  uint64_t numTiles() const { return starts.size(); }
  /// Bytes of the layout in memory (what the kernel streams).
  uint64_t runtimeBytes() const {
    return words.size() * 4 + starts.size() * 2 + stripOffsets.size() * 4;
  }
};

/// Builds the tile layout of the M x K matrix given as CSR: row i's entries
/// are cols[e], codes[e] for e in [rowStart[i], rowStart[i + 1]), columns
/// strictly increasing, codes in 1..31. Returns false with `err` set on
/// input it cannot lay out (codes out of range, columns not increasing or
/// past K, K above kMaxK).
bool buildTileLayout(int64_t m, int64_t k, const uint64_t *rowStart,
                     const uint32_t *cols, const uint32_t *codes,
                     TileLayout &out, std::string &err);

/// One entry of A as the layout holds it.
struct TileEntry {
  int64_t row, col;
  uint32_t code;
};

/// The entries of A the layout holds (unused fields skipped), in strip,
/// tile, lane, step order: a reference decode for tests.
std::vector<TileEntry> decodeTileLayout(const TileLayout &layout);

/// y = A x computed from the layout exactly as the kernel does (three
/// fields per lane word; unused fields add codebook[0] * x[start] = 0), in
/// f32 with one accumulator per step: the scalar model of the kernel.
void tileLayoutMatvec(const TileLayout &layout, const float *codebook32,
                      const float *x, float *y);

/// The vpexpandw variant (prototype `k_lag32s2x`): the same laggard
/// windows of 32 columns over strips of 16 rows, but two entries per lane
/// and tile as 16-bit fields (column in the window | codebook index << 5),
/// stored without padding: per tile a u32 mask (bit 2 l + j: lane l has a
/// j-th entry), the window start, and the present fields in (lane, step)
/// order, which `vpexpandw` spreads back into 16 u32 lanes (field j of lane
/// l in its 16-bit half j). Cheaper than the S = 3 layout where windows are
/// sparsely filled (about 4% kept).
struct TileExpandLayout {
  static constexpr unsigned kLanes = TileLayout::kLanes;
  static constexpr unsigned kWindow = TileLayout::kWindow;
  static constexpr unsigned kSteps = 2;
  static constexpr int64_t kMaxK = TileLayout::kMaxK;

  int64_t m = 0, k = 0;
  uint64_t nonzeros = 0;
  std::vector<int32_t> stripOffsets; // numStrips() + 1 tile offsets
  std::vector<int32_t> stripFields;  // numStrips() + 1 field offsets
  std::vector<uint16_t> starts;      // one per tile
  std::vector<uint32_t> masks;       // one per tile
  std::vector<uint16_t> fields;      // the present fields

  int64_t numStrips() const { return (m + kLanes - 1) / kLanes; }
  uint64_t numTiles() const { return starts.size(); }
  uint64_t runtimeBytes() const {
    return masks.size() * 4 + starts.size() * 2 + fields.size() * 2 +
           (stripOffsets.size() + stripFields.size()) * 4;
  }
};

/// Builds the vpexpandw variant of the same CSR (see buildTileLayout).
bool buildTileExpandLayout(int64_t m, int64_t k, const uint64_t *rowStart,
                           const uint32_t *cols, const uint32_t *codes,
                           TileExpandLayout &out, std::string &err);

/// Reference decode and scalar kernel model of the vpexpandw variant.
std::vector<TileEntry> decodeTileExpandLayout(const TileExpandLayout &layout);
void tileExpandMatvec(const TileExpandLayout &layout, const float *codebook32,
                      const float *x, float *y);

} // namespace dc

#endif // DC_CORE_TILELAYOUT_H
