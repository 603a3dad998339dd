//===- SparseLayout.cpp - dc's sparse row-group execution layout ----------===//
//
// EXECUTION LAYOUT (built at compile time from the decoded dc.constant)
// --------------------------------------------------------------------
// The contraction computes y = A x with A the effective M x K matrix (W, or
// W^T with transpose_w). The stored entries are decoded with the core
// library and re-laid out for this CPU:
//
//   * rows of A are sorted by their number of entries (descending) and cut
//     into groups of R consecutive sorted rows (R = rows-per-group, 4 by
//     default; the last group may have fewer rows);
//   * each entry is a field of E = b + g bits: the low b bits hold the
//     codebook index (b = the encoding's `bits`; index 0 is zero), the next g
//     bits a *delta*: the column of the entry minus the column of the
//     previous entry of the same row (the first entry's delta is its column).
//     A delta above 2^g - 1 is bridged by filler entries (index 0, delta
//     2^g - 1). g is chosen per layer at compile time (1..16) to minimise
//     the words of the layout; it may differ from the stored `index_bits`;
//   * P = floor(64 / E) fields are packed LSB-first into a u64 word; a row's
//     entries fill ceil(n / P) words, padded with (index 0, delta 0) fields
//     (they re-read x at the current position times 0.0: harmless);
//   * a group of R rows is stored interleaved word by word: word t of row r
//     of the group is at groupOffset[grp] + t * R + r; all rows of a group
//     use the group's maximum word count T;
//   * globals: `words` (u64), `offsets` (i32, groups + 1 word offsets),
//     `rows` (i32, the row of A for each sorted slot), `table` (f32,
//     2^b codebook values, entry 0 = 0.0).
//   * entropy = huffman: the layout stays entropy-coded in the object. The
//     fields of `words` (in word order, padding included) are split into a
//     value-index stream (alphabet 2^b) and a delta stream (alphabet 2^g),
//     each coded with its own canonical Huffman code (core library); the
//     two streams and their decoding tables are constant globals, `words`
//     an uninitialized mutable global filled once at load by
//     `PREFIX_load_words()`, which the kernel calls once at its start
//     (dc::emitOnce on the atomic `PREFIX_ready` state; before the
//     scf.parallel with threads > 1, never inside a task). No dense f32
//     copy is ever made.
//
// KERNELS (generated func.func on memrefs, scf/arith/memref/vector/math IR)
//   batch 1: for each group: R scalar positions and 2 R scalar accumulators
//     (two per row, alternating over the fields of a word); per word of each
//     row: shifts and masks extract (index, delta), pos += delta,
//     acc = fma(table[index], x[pos], acc); finally y[rows[slot]] = sum.
//   batch N (dc.matmul, X: K x N row-major): the same decode; X[pos, :] is
//     contiguous, so each entry broadcasts table[index] and does U vector
//     FMAs of width VW over a block of VW * U columns held in R * U vector
//     accumulators; blocks of columns loop outside (weights are streamed
//     once per block; a single block when N <= VW * U). Column tails use
//     masked loads/stores.
// GROUPS (groups = G > 1: grouped and depthwise convolutions): the layout
//   is that of A (G*Mg x K) exactly as for G = 1; only the kernels differ:
//   x has G*K rows, and a row's position starts at (row / Mg) * K (from the
//   `rows` global, once per row) instead of 0, so no filler or padding
//   entry is added. The cost model never picks the dense-code layout for
//   G > 1 (its kernels read one x slice for all rows).
//
//===----------------------------------------------------------------------===//

#include "SparseLayout.h"
#include "KernelEpilogue.h"

#include "dc/Conversion/DecodeEmitter.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"

#include <algorithm>
#include <numeric>

using namespace mlir;
using namespace dc::kernels;

uint64_t ExecLayout::streamBytes() const {
  return valueBytes.size() + deltaBytes.size() + 2 * dc::kStreamPadding +
         huffmanTableBytes;
}

uint64_t ExecLayout::objectBytes() const {
  return (huffman ? streamBytes() : wordsBytes()) + offsets.size() * 4 +
         std::max<size_t>(rows.size(), 1) * 4 + table.size() * 4;
}

/// Fields (entries incl. fillers) of row `i` with delta width `g`.
static uint64_t rowEntries(const RowLists &rl, int64_t i, unsigned g) {
  uint64_t maxDelta = (uint64_t(1) << g) - 1, n = 0;
  int64_t prev = 0;
  for (uint64_t e = rl.start[i]; e < rl.start[i + 1]; ++e) {
    uint64_t d = uint64_t(int64_t(rl.cols[e]) - prev);
    prev = rl.cols[e];
    n += 1 + (d > maxDelta ? (d - 1) / maxDelta : 0);
  }
  return n;
}

/// Splits the fields of `layout.words` into the value and delta symbol
/// streams and Huffman-codes each with its own canonical code.
static LogicalResult encodeHuffmanLayout(ExecLayout &layout, bool ans,
                                         std::string &err) {
  unsigned b = layout.b, g = layout.g, e = layout.e, p = layout.p;
  uint64_t vMask = (uint64_t(1) << b) - 1, dMask = (uint64_t(1) << g) - 1;
  std::vector<uint32_t> vs, ds;
  vs.reserve(layout.words.size() * p);
  ds.reserve(layout.words.size() * p);
  for (uint64_t w : layout.words)
    for (unsigned f = 0; f < p; ++f) {
      uint64_t field = w >> (f * e);
      vs.push_back(uint32_t(field & vMask));
      ds.push_back(uint32_t((field >> b) & dMask));
    }
  if (failed(huffmanCodeStream(vs, size_t(1) << b, layout.valueLengths,
                               layout.valueBytes, layout.huffmanTableBytes,
                               err, ans)) ||
      failed(huffmanCodeStream(ds, size_t(1) << g, layout.deltaLengths,
                               layout.deltaBytes, layout.huffmanTableBytes,
                               err, ans)))
    return failure();
  layout.huffman = true;
  layout.ans = ans;
  return success();
}

mlir::LogicalResult dc::kernels::buildExecLayout(const LayoutSource &src,
                                                 unsigned r, bool sortRows,
                                                 ExecLayout &layout,
                                                 std::string &err) {
  const RowLists &rl = src.rows;
  layout = ExecLayout();
  layout.m = src.m;
  layout.k = src.k;
  layout.bytesPQ = src.bytesPQ;
  int64_t m = layout.m;
  layout.b = src.b;
  layout.r = r;
  layout.nonzeros = rl.cols.size();
  layout.table = src.table;

  // Choose g: among the widths whose layout has at most 8% more words than
  // the smallest, the one with the fewest entries (fillers and padding cost
  // a decode step at batch 1 and N / VW vector FMAs at batch N).
  unsigned maxG = 1;
  while (maxG < 16 && (int64_t(1) << maxG) - 1 < std::max<int64_t>(layout.k, 1))
    ++maxG;
  std::vector<uint64_t> n(m);
  std::vector<int64_t> order(m);
  std::vector<uint64_t> wordsOf(maxG + 1), entriesOf(maxG + 1);
  uint64_t minWords = ~uint64_t(0);
  for (unsigned g = 1; g <= maxG; ++g) {
    unsigned e = layout.b + g, p = 64 / e;
    std::vector<uint64_t> w(m);
    for (int64_t i = 0; i < m; ++i)
      w[i] = (rowEntries(rl, i, g) + p - 1) / p;
    std::sort(w.begin(), w.end(), std::greater<uint64_t>());
    uint64_t words = 0;
    for (int64_t i = 0; i < m; i += r)
      words += w[i] * std::min<int64_t>(r, m - i);
    wordsOf[g] = words;
    entriesOf[g] = words * p; // fields processed, padding included
    minWords = std::min(minWords, words);
  }
  layout.g = 0;
  for (unsigned g = 1; g <= maxG; ++g)
    if (wordsOf[g] * 100 <= minWords * 108 &&
        (!layout.g || entriesOf[g] < entriesOf[layout.g]))
      layout.g = g;
  unsigned g = layout.g;
  layout.e = layout.b + g;
  layout.p = 64 / layout.e;
  unsigned e = layout.e, p = layout.p;
  for (int64_t i = 0; i < m; ++i)
    n[i] = rowEntries(rl, i, g);
  std::iota(order.begin(), order.end(), 0);
  if (sortRows)
    std::stable_sort(order.begin(), order.end(),
                     [&](int64_t a, int64_t c) { return n[a] > n[c]; });
  layout.rows.assign(order.begin(), order.end());
  layout.offsets.push_back(0);
  uint64_t maxDelta = (uint64_t(1) << g) - 1;
  std::vector<uint64_t> rowWords;
  for (int64_t s = 0; s < m; s += r) {
    int64_t rg = std::min<int64_t>(r, m - s);
    uint64_t t = 0;
    for (int64_t q = 0; q < rg; ++q)
      t = std::max<uint64_t>(t, (n[order[s + q]] + p - 1) / p);
    size_t base = layout.words.size();
    layout.words.resize(base + t * rg, 0);
    for (int64_t q = 0; q < rg; ++q) {
      int64_t i = order[s + q];
      uint64_t field = 0;
      auto put = [&](uint64_t v, uint64_t d) {
        uint64_t word = field / p, slot = field % p;
        layout.words[base + word * rg + q] |= (v | (d << layout.b))
                                              << (slot * e);
        ++field;
      };
      int64_t prev = 0;
      for (uint64_t x = rl.start[i]; x < rl.start[i + 1]; ++x) {
        uint64_t d = uint64_t(int64_t(rl.cols[x]) - prev);
        prev = rl.cols[x];
        while (d > maxDelta) {
          put(0, maxDelta);
          d -= maxDelta;
        }
        put(rl.vals[x], d);
      }
    }
    layout.entries += t * p * rg;
    if (layout.words.size() > size_t(INT32_MAX)) {
      err = "execution layout too large for 32-bit offsets";
      return failure();
    }
    layout.offsets.push_back(int32_t(layout.words.size()));
  }
  if (layout.words.empty())
    layout.words.push_back(0); // memref globals need one element.
  layout.bytesPQH = src.bytesPQH;
  if (src.huffman && failed(encodeHuffmanLayout(layout, src.ans, err)))
    return failure();
  return success();
}

LogicalResult dc::kernels::emitExecLayoutGlobals(
    ModuleOp module, Location loc, StringRef prefix, const ExecLayout &L,
    SharedFunctions &shared, ExecLayoutGlobals &G, std::string &err) {
  OpBuilder b(module.getContext());
  auto add = [&](StringRef suffix, Type elt, ArrayRef<char> raw,
                 int64_t count) {
    std::string name = (prefix + "_" + suffix).str();
    addConstantGlobal(module, loc, name, elt, raw, count);
    return name;
  };
  if (L.huffman) {
    CodedStream streams[] = {
        {"value", &L.valueBytes, &L.valueLengths, 0, L.ans},
        {"delta", &L.deltaBytes, &L.deltaLengths, L.b, L.ans}};
    if (failed(emitHuffmanWordsLoader(module, loc, prefix, 64,
                                      int64_t(L.words.size()), L.p, L.e,
                                      streams, shared, G.loader, err)))
      return failure();
    G.words = G.loader.words;
  } else {
    G.words = add("words", b.getI64Type(), rawBytes(L.words), L.words.size());
  }
  G.offsets =
      add("offsets", b.getI32Type(), rawBytes(L.offsets), L.offsets.size());
  std::vector<int32_t> rowsData = L.rows;
  if (rowsData.empty())
    rowsData.push_back(0);
  G.rows = add("rows", b.getI32Type(), rawBytes(rowsData), rowsData.size());
  G.table = add("table", b.getF32Type(), rawBytes(L.table), L.table.size());
  return success();
}

/// Emits the group loops for the full groups (scf.for) and the last,
/// partial group. `body(bd, rg, w0, w1, groupIndex)` emits one group with
/// `rg` interleaved rows, words [w0, w1). The partial group's offsets are
/// constants, or with `loadOffsets` (a shared body) loaded like the others.
template <typename Fn>
static void forEachGroupKind(KernelBuilder &bd, const ExecLayout &L,
                             Value offsets, const GroupRange &range,
                             bool loadOffsets, Fn body) {
  forEachGroup(
      bd, L.m, L.r, range, [&](unsigned rg, Value gi, int64_t staticIndex) {
        if (staticIndex >= 0 && !loadOffsets) {
          body(rg, bd.idx(L.offsets[staticIndex]),
               bd.idx(L.offsets[staticIndex + 1]), gi);
          return;
        }
        auto offset = [&](Value g) {
          return bd.toIndex(memref::LoadOp::create(bd.b, bd.loc, offsets, g));
        };
        Value gi1 = arith::AddIOp::create(bd.b, bd.loc, gi, bd.idx(1));
        body(rg, offset(gi), offset(gi1), gi);
      });
}

/// Loads the `rg` interleaved words of one step of a group (at word index
/// `w`) and calls `fn(s, q, v, d)` for field s of row q, field-major so the
/// rows' dependency chains interleave: `v` is the codebook index, `d` the
/// column delta (both i64). Both kernels decode through this.
static void
forEachField(KernelBuilder &bd, const ExecLayout &L, Value words, Value w,
             unsigned rg,
             llvm::function_ref<void(unsigned, unsigned, Value, Value)> fn) {
  OpBuilder &b = bd.b;
  Location loc = bd.loc;
  Value vmask = bd.i64((int64_t(1) << L.b) - 1);
  Value dmask = bd.i64((int64_t(1) << L.g) - 1);
  SmallVector<Value> word(rg);
  for (unsigned q = 0; q < rg; ++q) {
    Value at = arith::AddIOp::create(b, loc, w, bd.idx(q));
    word[q] = memref::LoadOp::create(b, loc, words, at);
  }
  for (unsigned s = 0; s < L.p; ++s)
    for (unsigned q = 0; q < rg; ++q) {
      Value f = word[q];
      if (s)
        f = arith::ShRUIOp::create(b, loc, f, bd.i64(s * L.e));
      Value v = arith::AndIOp::create(b, loc, f, vmask);
      Value d = arith::ShRUIOp::create(b, loc, f, bd.i64(L.b));
      if ((s + 1) * L.e < 64)
        d = arith::AndIOp::create(b, loc, d, dmask);
      fn(s, q, v, d);
    }
}

/// The x position before the first entry of each of the `rg` rows of group
/// `gi`: 0, or with `groups` > 1 the start of the row's slice of x,
/// (row / (M / groups)) * K (`rows` maps sorted slots to rows of A). One
/// load and a division by a constant per row, none per entry.
static SmallVector<Value> startPositions(KernelBuilder &bd, const ExecLayout &L,
                                         int64_t groups, Value rows, Value gi,
                                         unsigned rg) {
  SmallVector<Value> pos;
  if (groups <= 1) {
    for (unsigned q = 0; q < rg; ++q)
      pos.push_back(bd.idx(0));
    return pos;
  }
  OpBuilder &b = bd.b;
  Location loc = bd.loc;
  Value base = arith::MulIOp::create(b, loc, gi, bd.idx(L.r));
  for (unsigned q = 0; q < rg; ++q) {
    Value slot = arith::AddIOp::create(b, loc, base, bd.idx(q));
    Value row = bd.toIndex(memref::LoadOp::create(b, loc, rows, slot));
    Value group = arith::DivUIOp::create(b, loc, row, bd.idx(L.m / groups));
    pos.push_back(arith::MulIOp::create(b, loc, group, bd.idx(L.k)));
  }
  return pos;
}

/// Emits a batch-1 kernel: (x: memref<G*K, strided<[1], offset:?>>,
/// y: memref<M>).
static void emitMatvecBody(KernelBuilder &bd, const ExecLayout &L,
                           int64_t groups, const GroupRange &range, Value x,
                           Value y, Value words, Value offsets, Value rows,
                           Value table, bool loadOffsets) {
  OpBuilder &b = bd.b;
  Location loc = bd.loc;
  Value zero = bd.f32(0.0f);
  forEachGroupKind(
      bd, L, offsets, range, loadOffsets,
      [&](unsigned rg, Value w0, Value w1, Value gi) {
        // iter_args: rg positions, then na accumulators per row (enough
        // independent FMA chains to hide the FMA latency: ~8 in all).
        unsigned na = std::max(2u, std::min(L.p, 8u / L.r));
        SmallVector<Value> init =
            startPositions(bd, L, groups, rows, gi, rg);
        for (unsigned q = 0; q < na * rg; ++q)
          init.push_back(zero);
        auto loop = scf::ForOp::create(
            b, loc, w0, w1, bd.idx(rg), init,
            [&](OpBuilder &, Location, Value w, ValueRange args) {
              SmallVector<Value> pos(args.begin(), args.begin() + rg);
              SmallVector<Value> acc(args.begin() + rg, args.end());
              forEachField(
                  bd, L, words, w, rg,
                  [&](unsigned s, unsigned q, Value v, Value d) {
                    pos[q] =
                        arith::AddIOp::create(b, loc, pos[q], bd.toIndex(d));
                    Value xv = memref::LoadOp::create(b, loc, x, pos[q]);
                    Value wv =
                        memref::LoadOp::create(b, loc, table, bd.toIndex(v));
                    Value &a = acc[na * q + s % na];
                    a = math::FmaOp::create(b, loc, wv, xv, a);
                  });
              SmallVector<Value> yield(pos);
              yield.append(acc);
              scf::YieldOp::create(b, loc, yield);
            });
        Value base = arith::MulIOp::create(b, loc, gi, bd.idx(L.r));
        for (unsigned q = 0; q < rg; ++q) {
          Value sum = loop.getResult(rg + na * q);
          for (unsigned a = 1; a < na; ++a)
            sum = arith::AddFOp::create(b, loc, sum,
                                        loop.getResult(rg + na * q + a));
          Value slot = arith::AddIOp::create(b, loc, base, bd.idx(q));
          Value row = bd.toIndex(memref::LoadOp::create(b, loc, rows, slot));
          if (bd.epilogue)
            sum = bd.epilogue->atRow(bd, sum, row);
          memref::StoreOp::create(b, loc, sum, y, row);
        }
      });
}

/// Emits a batch-N kernel: (X: memref<(G*K)xN, strided<[?,1], offset:?>>,
/// Y: memref<MxN>).
static void emitMatmulBody(KernelBuilder &bd, const ExecLayout &L,
                           int64_t groups, const GroupRange &range, int64_t n,
                           unsigned vwMax, unsigned colBlock, Value x, Value y,
                           Value words, Value offsets, Value rows, Value table,
                           bool loadOffsets) {
  OpBuilder &b = bd.b;
  Location loc = bd.loc;
  unsigned vw = vwMax;
  while (vw > 4 && int64_t(vw / 2) >= n)
    vw /= 2;
  // Accumulator budget: R * U vectors within about half the vector regs.
  unsigned regBudget = vwMax >= 16 ? 16 : 8;
  unsigned u = std::max(1u, regBudget / L.r);
  u = std::min<unsigned>(u, unsigned((n + vw - 1) / vw));
  // Narrower column blocks (re-streaming the weights once per block) to keep
  // X's block in L2 measured slower here (fc8, N = 64: 16 columns 2.9x, 32
  // columns 1.4x slower than 64), so by default the block is as wide as the
  // accumulators allow; `col-block` forces a width.
  if (colBlock > 0)
    u = std::max<unsigned>(1, std::min<unsigned>(u, colBlock / vw));
  auto vecType = VectorType::get({vw}, b.getF32Type());
  auto maskType = VectorType::get({vw}, b.getI1Type());

  // Emits every group for the columns [n0, n0 + sum(lens)).
  auto emitBlock = [&](Value n0, ArrayRef<int64_t> lens) {
    unsigned nu = lens.size();
    SmallVector<Value> masks(nu);
    for (unsigned c = 0; c < nu; ++c)
      if (lens[c] < int64_t(vw))
        masks[c] = vector::ConstantMaskOp::create(b, loc, maskType,
                                                  ArrayRef<int64_t>{lens[c]});
    SmallVector<Value> cols(nu);
    for (unsigned c = 0; c < nu; ++c)
      cols[c] = arith::AddIOp::create(b, loc, n0, bd.idx(c * vw));
    Value zeroVec = arith::ConstantOp::create(
        b, loc, vecType, DenseElementsAttr::get(vecType, 0.0f));
    forEachGroupKind(
        bd, L, offsets, range, loadOffsets,
        [&](unsigned rg, Value w0, Value w1, Value gi) {
          SmallVector<Value> init = startPositions(bd, L, groups, rows, gi, rg);
          for (unsigned q = 0; q < rg * nu; ++q)
            init.push_back(zeroVec);
          auto loop = scf::ForOp::create(
              b, loc, w0, w1, bd.idx(rg), init,
              [&](OpBuilder &, Location, Value w, ValueRange args) {
                SmallVector<Value> pos(args.begin(), args.begin() + rg);
                SmallVector<Value> acc(args.begin() + rg, args.end());
                forEachField(
                    bd, L, words, w, rg,
                    [&](unsigned, unsigned q, Value v, Value d) {
                      pos[q] =
                          arith::AddIOp::create(b, loc, pos[q], bd.toIndex(d));
                      Value wv =
                          memref::LoadOp::create(b, loc, table, bd.toIndex(v));
                      Value wb =
                          vector::BroadcastOp::create(b, loc, vecType, wv);
                      for (unsigned c = 0; c < nu; ++c) {
                        Value xv;
                        if (masks[c])
                          xv = vector::MaskedLoadOp::create(
                              b, loc, vecType, x, ValueRange{pos[q], cols[c]},
                              masks[c], zeroVec);
                        else
                          xv = vector::LoadOp::create(
                              b, loc, vecType, x, ValueRange{pos[q], cols[c]});
                        Value &a = acc[q * nu + c];
                        a = vector::FMAOp::create(b, loc, wb, xv, a);
                      }
                    });
                SmallVector<Value> yield(pos);
                yield.append(acc);
                scf::YieldOp::create(b, loc, yield);
              });
          Value base = arith::MulIOp::create(b, loc, gi, bd.idx(L.r));
          for (unsigned q = 0; q < rg; ++q) {
            Value slot = arith::AddIOp::create(b, loc, base, bd.idx(q));
            Value row = bd.toIndex(memref::LoadOp::create(b, loc, rows, slot));
            for (unsigned c = 0; c < nu; ++c) {
              storeRowVector(bd, loop.getResult(rg + q * nu + c), y, row,
                             cols[c], masks[c]);
            }
          }
        });
  };

  forEachColumnBlock(bd, n, vw, u, emitBlock);
}


namespace {

/// Per-entry cycles of the sparse kernels (fitted to bench/density.sh on
/// Zen 4, docs/Kernels.md).
constexpr double kSparseEntryCycles = 1.4;
constexpr double kSparseDecodeCycles = 1.5;
constexpr double kSparseFmaCycles = 1.0;

class SparseKernelLayout final : public KernelLayout {
public:
  ExecLayout L;
  ExecLayoutGlobals G;
  bool emitted = false;

  LayoutKind kind() const override { return LayoutKind::Sparse; }
  uint64_t objectBytes() const override { return L.objectBytes(); }
  uint64_t runtimeBytes() const override {
    return L.wordsBytes() + L.offsets.size() * 4 +
           std::max<size_t>(L.rows.size(), 1) * 4 + L.table.size() * 4;
  }
  double estimatedCycles(int64_t n, const Target &t) const override {
    if (n == 0)
      return std::max(double(L.entries) * kSparseEntryCycles,
                      double(runtimeBytes()) / kMemoryBytesPerCycle);
    double vecs = double((n + t.vw - 1) / t.vw);
    return double(L.entries) * (kSparseDecodeCycles + vecs * kSparseFmaCycles);
  }
  std::vector<int64_t> groupCosts(int64_t, const Target &) const override {
    return std::vector<int64_t>(L.offsets.begin(), L.offsets.end());
  }
  LogicalResult emitGlobals(ModuleOp module, Location loc, StringRef prefix,
                            SharedFunctions &shared,
                            std::string &err) override {
    if (emitted)
      return success();
    emitted = true;
    return emitExecLayoutGlobals(module, loc, prefix, L, shared, G, err);
  }
  func::FuncOp initializer() const override { return G.loader.init; }
  /// The body depends on the shape, the field widths and the rows per
  /// group; the words (any count), offsets, rows and codebook are data.
  std::string kernelKey(const KernelCall &call) const override {
    std::string key;
    llvm::raw_string_ostream os(key);
    os << "sparse m" << L.m << " k" << L.k << " b" << L.b << " g" << L.g << " r"
       << L.r << " n" << call.n << " groups" << call.groups << " vw"
       << call.target.vw << " col" << call.colBlock;
    return key;
  }
  SmallVector<Type> dataTypes(MLIRContext *ctx) const override {
    Builder b(ctx);
    return {MemRefType::get({ShapedType::kDynamic}, b.getI64Type()),
            MemRefType::get({int64_t(L.offsets.size())}, b.getI32Type()),
            MemRefType::get({int64_t(std::max<size_t>(L.rows.size(), 1))},
                            b.getI32Type()),
            MemRefType::get({int64_t(L.table.size())}, b.getF32Type())};
  }
  SmallVector<Value> getData(OpBuilder &b, Location loc) const override {
    SmallVector<Type> types = dataTypes(b.getContext());
    auto global = [&](const std::string &name, int64_t count, Type elt) {
      return memref::GetGlobalOp::create(b, loc, MemRefType::get({count}, elt),
                                         name)
          .getResult();
    };
    Value words = memref::CastOp::create(
        b, loc, types[0], global(G.words, L.words.size(), b.getI64Type()));
    return {words, global(G.offsets, L.offsets.size(), b.getI32Type()),
            global(G.rows, std::max<size_t>(L.rows.size(), 1), b.getI32Type()),
            global(G.table, L.table.size(), b.getF32Type())};
  }
  void emitBody(KernelBuilder &bd, const KernelCall &call,
                const GroupRange &range, Value x, Value y,
                ValueRange data) override {
    SmallVector<Value> d(data.begin(), data.end());
    bool shared = !d.empty();
    if (!shared)
      d = getData(bd.b, bd.loc);
    if (call.n == 0)
      emitMatvecBody(bd, L, call.groups, range, x, y, d[0], d[1], d[2], d[3],
                     shared);
    else
      emitMatmulBody(bd, L, call.groups, range, call.n, call.target.vw,
                     call.colBlock, x, y, d[0], d[1], d[2], d[3], shared);
  }
  void printStats(llvm::raw_ostream &os) const override {
    os << " m=" << L.m << " k=" << L.k << " nonzeros=" << L.nonzeros
       << " entries=" << L.entries << " bits=" << L.b
       << " delta_bits=" << L.g << " per_word=" << L.p
       << " rows_per_group=" << L.r << " object_bytes=" << L.objectBytes()
       << " runtime_bytes=" << runtimeBytes();
    if (L.huffman) // entropy-coded: by Huffman or rANS (L.ans)
      os << " entropy=" << (L.ans ? "ans" : "huffman") << " coded_stream_bytes="
         << L.valueBytes.size() + L.deltaBytes.size() + 2 * dc::kStreamPadding
         << " coded_table_bytes=" << L.huffmanTableBytes
         << " load_words_bytes=" << L.wordsBytes();
    os << " bytes_pq=" << L.bytesPQ << " bytes_pqh=" << L.bytesPQH;
  }
};

} // namespace

std::unique_ptr<KernelLayout>
dc::kernels::makeSparseLayout(const LayoutSource &src, unsigned rowsPerGroup,
                              std::string &err) {
  auto layout = std::make_unique<SparseKernelLayout>();
  if (failed(buildExecLayout(src, rowsPerGroup, /*sortRows=*/true, layout->L,
                             err)))
    return nullptr;
  return layout;
}
