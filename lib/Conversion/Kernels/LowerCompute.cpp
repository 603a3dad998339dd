//===- LowerCompute.cpp - dc.matvec / dc.matmul -> generated kernels ------===//
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
//   Cost model (batch > 1): when density >= dense-density and N >= VW, the
//   op is instead rewritten to dc.decompress + dense linalg (decode to a
//   dense tile; left to dc-lower-decompress and the dense lowering). The
//   default threshold (2.0) disables it: the dense path is lowered to scalar
//   loops today, while the kernel costs one decode step + N / VW vector FMAs
//   per stored entry, i.e. at most ~1 decode step per weight over a dense
//   vectorized loop even at density 1.
//
// GROUPS (groups = G > 1: grouped and depthwise convolutions): the layout
//   is that of A (G*Mg x K) exactly as for G = 1; only the kernels differ:
//   x has G*K rows, and a row's position starts at (row / Mg) * K (from the
//   `rows` global, once per row) instead of 0, so no filler or padding
//   entry is added. The cost model never picks the dense-code layout for
//   G > 1 (its kernels read one x slice for all rows).
//
// THREADS (threads > 1, kernels with at least parallel-min-words words x
//   column vectors): the body becomes `NAME_part(x, y, g0, g1)` over groups
//   [g0, g1), and the kernel an scf.parallel over 1000 x threads sub-chunks
//   of about equal words (boundaries computed here into a `chunks` global),
//   each calling the part. dc-to-llvm lowers it to OpenMP (static schedule:
//   `threads` contiguous blocks) or to MLIR's async runtime
//   (async-parallel-for, min-task-size 1000: also `threads` blocks); lowered
//   without either it runs serially. Each group writes only its own rows of
//   y, so the chunks are independent. The dense-code kernels
//   (DenseCodeKernel.h) are split the same way over their row groups.
//
// The call site on memrefs (after one-shot-bufferize, as in dc-to-llvm)
// passes the input buffer (copied only if its layout does not fit the
// kernel) and the `outs` buffer, written in place. On tensors it passes
// bufferization.to_buffer of the activations (read-only) and a fresh
// memref.alloc for the result, wrapped back with bufferization.to_tensor
// {restrict, writable}.
//
//===----------------------------------------------------------------------===//

#include "DenseCodeKernel.h"
#include "HuffmanWordsLoader.h"
#include "KernelSupport.h"

#include "dc/Conversion/DecodeEmitter.h"
#include "dc/Conversion/KernelPasses.h"
#include "dc/Conversion/Passes.h"
#include "dc/Core/CompressedTensor.h"
#include "dc/Core/Huffman.h"
#include "dc/Dialect/DC/DCUtils.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Bufferization/IR/Bufferization.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/LLVMIR/LLVMAttrs.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/SymbolTable.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/Support/MathExtras.h"
#include "llvm/Support/raw_ostream.h"
#include "llvm/TargetParser/Host.h"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace dc {
#define GEN_PASS_DEF_DCLOWERCOMPUTE
#include "dc/Conversion/KernelPasses.h.inc"
} // namespace dc

using namespace mlir;
using namespace dc::kernels;

namespace {

//===----------------------------------------------------------------------===//
// Execution layout (C++, compile time)
//===----------------------------------------------------------------------===//

struct ExecLayout {
  int64_t m = 0, k = 0;
  unsigned b = 0, g = 0, e = 0, p = 0, r = 0;
  uint64_t nonzeros = 0, entries = 0; // entries include fillers + padding
  std::vector<uint64_t> words;
  std::vector<int32_t> offsets; // numGroups + 1
  std::vector<int32_t> rows;    // m
  std::vector<float> table;     // 2^b
  uint64_t bytesPQ = 0, bytesPQH = 0;
  /// entropy = huffman: `words` is not stored in the object but decoded at
  /// load from two canonical Huffman streams over the fields of the words
  /// (in word order, padding included): the value indices (alphabet 2^b)
  /// and the deltas (alphabet 2^g).
  bool huffman = false;
  std::vector<uint8_t> valueBytes, deltaBytes;     // coded streams
  std::vector<uint8_t> valueLengths, deltaLengths; // code lengths
  uint64_t huffmanTableBytes = 0; // decoding tables (i32 globals)
  uint64_t wordsBytes() const { return words.size() * 8; }
  uint64_t streamBytes() const {
    return valueBytes.size() + deltaBytes.size() + 2 * dc::kStreamPadding +
           huffmanTableBytes;
  }
  /// Bytes of constant data in the compiled object.
  uint64_t objectBytes() const {
    return (huffman ? streamBytes() : wordsBytes()) + offsets.size() * 4 +
           std::max<size_t>(rows.size(), 1) * 4 + table.size() * 4;
  }
  int64_t numGroups() const { return int64_t(offsets.size()) - 1; }
};

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
static LogicalResult encodeHuffmanLayout(ExecLayout &layout, std::string &err) {
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
                               err)) ||
      failed(huffmanCodeStream(ds, size_t(1) << g, layout.deltaLengths,
                               layout.deltaBytes, layout.huffmanTableBytes,
                               err)))
    return failure();
  layout.huffman = true;
  return success();
}

/// Builds the (sparse) execution layout of `constant`; `rl` receives the
/// rows of A it was built from.
static LogicalResult buildLayout(dc::ConstantOp constant, bool transposeW,
                                 unsigned r, ExecLayout &layout, RowLists &rl,
                                 std::string &err) {
  dc::CompressedTensorView view;
  dc::ViewStorage storage;
  if (failed(dc::getView(constant, view, storage)))
    return failure();
  if (view.params.bits == dc::kRawValueBits || view.params.bits > 16) {
    err = "raw f32 values (no codebook) are not supported by the kernels";
    return failure();
  }
  dc::StorageStats stats;
  if (!dc::measureStorage(view, stats, &err))
    return failure();
  layout.bytesPQ = stats.bytesPQ();
  if (failed(buildRowLists(view, transposeW, rl, layout.m, layout.k, err)))
    return failure();
  int64_t m = layout.m;
  layout.b = view.params.bits;
  layout.r = r;
  layout.nonzeros = rl.cols.size();
  layout.table.assign(size_t(1) << layout.b, 0.0f);
  for (size_t i = 0; i < view.codebook.size && i < layout.table.size(); ++i)
    layout.table[i] = view.codebook[i];
  layout.table[0] = 0.0f;

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
  layout.bytesPQH = stats.bytesPQH();
  if (view.params.entropy == dc::EntropyCoding::Huffman &&
      failed(encodeHuffmanLayout(layout, err)))
    return failure();
  return success();
}

//===----------------------------------------------------------------------===//
// IR emission
//===----------------------------------------------------------------------===//

static std::string sanitize(StringRef s) {
  std::string out;
  for (char c : s)
    out.push_back(isalnum(c) ? c : '_');
  return out;
}

/// Emits the group loops for the full groups (scf.for) and the last,
/// partial group. `body(bd, rg, w0, w1, groupIndex)` emits one group with
/// `rg` interleaved rows, words [w0, w1).
template <typename Fn>
static void forEachGroupKind(KernelBuilder &bd, const ExecLayout &L,
                             Value offsets, const GroupRange &range, Fn body) {
  forEachGroup(
      bd, L.m, L.r, range, [&](unsigned rg, Value gi, int64_t staticIndex) {
        if (staticIndex >= 0) {
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
                           Value table) {
  OpBuilder &b = bd.b;
  Location loc = bd.loc;
  Value zero = bd.f32(0.0f);
  forEachGroupKind(
      bd, L, offsets, range, [&](unsigned rg, Value w0, Value w1, Value gi) {
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
          memref::StoreOp::create(b, loc, sum, y, row);
        }
      });
}

/// Emits a batch-N kernel: (X: memref<(G*K)xN, strided<[?,1], offset:?>>,
/// Y: memref<MxN>).
static void emitMatmulBody(KernelBuilder &bd, const ExecLayout &L,
                           int64_t groups, const GroupRange &range, int64_t n,
                           unsigned vwMax,
                           unsigned colBlock, Value x, Value y, Value words,
                           Value offsets, Value rows, Value table) {
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
        bd, L, offsets, range, [&](unsigned rg, Value w0, Value w1, Value gi) {
          SmallVector<Value> init =
              startPositions(bd, L, groups, rows, gi, rg);
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

//===----------------------------------------------------------------------===//
// The pass
//===----------------------------------------------------------------------===//

struct LowerComputePass : dc::impl::DCLowerComputeBase<LowerComputePass> {
  using Base::Base;

  /// The first invalid option value, as a message, or empty.
  std::string validateOptions() {
    std::string msg;
    llvm::raw_string_ostream os(msg);
    if (std::isnan(double(denseDensity)))
      os << "dc-lower-compute: option 'dense-density' must be a number "
            "(negative: cost model; [0, 1]: density threshold; above 1: "
            "never)";
    else if (rowsPerGroup < 1 || rowsPerGroup > 8)
      os << "dc-lower-compute: option 'rows-per-group' must be in 1..8, got "
         << rowsPerGroup;
    else if (vectorWidth != 0 &&
             (vectorWidth > 64 || !llvm::isPowerOf2_32(vectorWidth)))
      os << "dc-lower-compute: option 'vector-width' must be 0 (from the "
            "target) or a power of two up to 64, got "
         << vectorWidth;
    return msg;
  }

  /// Rejects bad option values as soon as they are parsed (options set
  /// programmatically, e.g. by dc-to-llvm, are checked when the pass runs).
  LogicalResult initializeOptions(
      StringRef options,
      function_ref<LogicalResult(const Twine &)> errorHandler) override {
    if (failed(Base::initializeOptions(options, errorHandler)))
      return failure();
    std::string msg = validateOptions();
    return msg.empty() ? success() : errorHandler(msg);
  }

  /// The module globals of one execution layout (emitted on first use).
  struct LayoutGlobals {
    bool emitted = false;
    std::string words, offsets, rows, table;
    /// entropy = huffman: `words` is a mutable global filled once at load.
    HuffmanWordsLoader loader;
  };

  /// One compressed constant (and transposition): its sparse execution
  /// layout, built first, and its dense-code layout, built when a call
  /// site picks it.
  struct LayoutEntry {
    dc::ConstantOp constant;
    bool transposeW = false;
    std::string prefix;
    ExecLayout sparse;
    RowLists rowLists;
    LayoutGlobals sparseGlobals;
    std::unique_ptr<DenseCodeLayout> dense;
    bool denseFailed = false;
    LayoutGlobals denseGlobals;
    double density() const {
      double total = double(sparse.m) * double(sparse.k);
      return total > 0 ? double(sparse.nonzeros) / total : 0.0;
    }
  };

  ModuleOp module;
  Target target;
  /// Keyed by the constant's (uniqued) attributes and type, so identical
  /// payloads in several functions share one layout and one set of globals.
  std::map<std::tuple<const void *, const void *, bool>,
           std::shared_ptr<LayoutEntry>>
      layouts;
  /// Kernels by (layout, batch, dense-code, groups).
  std::map<std::tuple<LayoutEntry *, int64_t, bool, int64_t>, func::FuncOp>
      kernels;
  unsigned counter = 0;

  LayoutEntry *getEntry(dc::ConstantOp constant, bool transposeW,
                        Operation *user) {
    // All attributes, the inherent ones (the payload, stored as properties)
    // included: the raw dictionary holds only discardable attributes, so
    // two different payloads of one type would share a layout.
    auto &slot = layouts[{constant->getAttrDictionary().getAsOpaquePointer(),
                          constant.getType().getAsOpaquePointer(), transposeW}];
    if (slot)
      return slot.get();
    auto entry = std::make_shared<LayoutEntry>();
    std::string err;
    unsigned r = std::clamp<unsigned>(rowsPerGroup, 1, 8);
    if (failed(buildLayout(constant, transposeW, r, entry->sparse,
                           entry->rowLists, err))) {
      if (!err.empty())
        user->emitRemark() << "dc-lower-compute: decoding to dense: " << err;
      return nullptr;
    }
    entry->constant = constant;
    entry->transposeW = transposeW;
    std::string name = "w";
    if (auto layer = constant->getAttrOfType<StringAttr>("dc.layer"))
      name = sanitize(layer.getValue());
    entry->prefix = "__dc_" + name + "_" + std::to_string(counter++) +
                    (transposeW ? "_t" : "");
    slot = std::move(entry);
    return slot.get();
  }

  /// Adds a private constant `memref.global` named PREFIX_SUFFIX.
  std::string addGlobal(LayoutEntry &entry, StringRef suffix, Type elt,
                        ArrayRef<char> raw, int64_t count) {
    OpBuilder b(module.getBodyRegion());
    b.setInsertionPointToStart(module.getBody());
    std::string name = (entry.prefix + "_" + suffix).str();
    auto memrefType = MemRefType::get({count}, elt);
    auto tensorType = RankedTensorType::get({count}, elt);
    auto attr = DenseElementsAttr::getFromRawBuffer(tensorType, raw);
    memref::GlobalOp::create(b, entry.constant.getLoc(), b.getStringAttr(name),
                             b.getStringAttr("private"),
                             TypeAttr::get(memrefType), attr, b.getUnitAttr(),
                             b.getI64IntegerAttr(64));
    return name;
  }

  template <typename T>
  static ArrayRef<char> rawBytes(const std::vector<T> &v) {
    return ArrayRef<char>((const char *)v.data(), v.size() * sizeof(T));
  }

  LogicalResult emitSparseGlobals(LayoutEntry &entry, std::string &err) {
    LayoutGlobals &G = entry.sparseGlobals;
    if (G.emitted)
      return success();
    const ExecLayout &L = entry.sparse;
    OpBuilder b(module.getContext());
    if (L.huffman) {
      CodedStream streams[] = {{"value", &L.valueBytes, &L.valueLengths, 0},
                               {"delta", &L.deltaBytes, &L.deltaLengths, L.b}};
      if (failed(emitHuffmanWordsLoader(
              module, entry.constant.getLoc(), entry.prefix, 64,
              int64_t(L.words.size()), L.p, L.e, streams, G.loader, err)))
        return failure();
      G.words = G.loader.words;
    } else {
      G.words = addGlobal(entry, "words", b.getI64Type(), rawBytes(L.words),
                          L.words.size());
    }
    G.offsets = addGlobal(entry, "offsets", b.getI32Type(), rawBytes(L.offsets),
                          L.offsets.size());
    std::vector<int32_t> rowsData = L.rows;
    if (rowsData.empty())
      rowsData.push_back(0);
    G.rows = addGlobal(entry, "rows", b.getI32Type(), rawBytes(rowsData),
                       rowsData.size());
    G.table = addGlobal(entry, "table", b.getF32Type(), rawBytes(L.table),
                        L.table.size());
    G.emitted = true;
    if (stats) {
      llvm::errs() << "dc-lower-compute: " << entry.prefix << " layout=sparse"
                   << " m=" << L.m << " k=" << L.k << " nonzeros=" << L.nonzeros
                   << " entries=" << L.entries << " bits=" << L.b
                   << " delta_bits=" << L.g << " per_word=" << L.p
                   << " rows_per_group=" << L.r
                   << " object_bytes=" << L.objectBytes();
      if (L.huffman)
        llvm::errs() << " huffman_stream_bytes="
                     << L.valueBytes.size() + L.deltaBytes.size() +
                            2 * dc::kStreamPadding
                     << " huffman_table_bytes=" << L.huffmanTableBytes
                     << " load_words_bytes=" << L.wordsBytes();
      llvm::errs() << " bytes_pq=" << L.bytesPQ << " bytes_pqh=" << L.bytesPQH
                   << "\n";
    }
    return success();
  }

  /// The dense-code layout of `entry` (built on first use), or null.
  DenseCodeLayout *getDense(LayoutEntry &entry) {
    if (entry.dense || entry.denseFailed)
      return entry.dense.get();
    const ExecLayout &S = entry.sparse;
    auto dense = std::make_unique<DenseCodeLayout>();
    std::string err;
    if (failed(buildDenseCodeLayout(entry.rowLists, S.m, S.k, S.b, S.table,
                                    target.vw, S.huffman, *dense, err))) {
      entry.constant->emitRemark()
          << "dc-lower-compute: no dense-code layout: " << err;
      entry.denseFailed = true;
      return nullptr;
    }
    entry.dense = std::move(dense);
    return entry.dense.get();
  }

  LogicalResult emitDenseGlobals(LayoutEntry &entry, std::string &err) {
    LayoutGlobals &G = entry.denseGlobals;
    if (G.emitted)
      return success();
    const DenseCodeLayout &D = *entry.dense;
    OpBuilder b(module.getContext());
    std::string prefix = entry.prefix + "_dense";
    if (D.huffman) {
      CodedStream streams[] = {{"code", &D.codeBytes, &D.codeLengths, 0}};
      if (failed(emitHuffmanWordsLoader(module, entry.constant.getLoc(), prefix,
                                        32, int64_t(D.words.size()), D.p, D.b,
                                        streams, G.loader, err)))
        return failure();
      G.words = G.loader.words;
    } else {
      G.words = addGlobal(entry, "dense_words", b.getI32Type(),
                          rawBytes(D.words), D.words.size());
    }
    G.table = addGlobal(entry, "dense_table", b.getF32Type(), rawBytes(D.table),
                        D.table.size());
    G.emitted = true;
    if (stats)
      llvm::errs() << "dc-lower-compute: " << entry.prefix
                   << " layout=dense-code m=" << D.m << " k=" << D.k
                   << " nonzeros=" << D.nonzeros << " bits=" << D.b
                   << " lanes=" << D.vw << " per_lane_word=" << D.p
                   << " object_bytes=" << D.objectBytes()
                   << " bytes_pq=" << entry.sparse.bytesPQ
                   << " bytes_pqh=" << entry.sparse.bytesPQH << "\n";
    return success();
  }

  void setTargetAttrs(func::FuncOp f) {
    MLIRContext *ctx = f.getContext();
    f->setAttr("target_cpu", StringAttr::get(ctx, target.cpu));
    if (!target.features.empty()) {
      SmallVector<StringRef> feats(target.features.begin(),
                                   target.features.end());
      f->setAttr("target_features", LLVM::TargetFeaturesAttr::get(ctx, feats));
    }
  }

  /// Row groups of a kernel and their cumulative cost (words for the sparse
  /// layout, rows for the dense one): what threads split.
  std::vector<int64_t> groupCosts(const LayoutEntry &entry, int64_t n,
                                  bool dense) {
    if (!dense)
      return std::vector<int64_t>(entry.sparse.offsets.begin(),
                                  entry.sparse.offsets.end());
    unsigned r = denseMatvecRows(), u = 0;
    if (n > 0)
      denseMatmulTile(target, n, r, u);
    int64_t m = entry.sparse.m, groups = (m + r - 1) / r;
    std::vector<int64_t> cum(groups + 1);
    for (int64_t g = 0; g <= groups; ++g)
      cum[g] = std::min<int64_t>(g * r, m) * entry.dense->strips;
    return cum;
  }

  /// The kernel of `entry` for batch `n` (0: matvec) on the sparse or the
  /// dense-code layout (sparse only with `groups` > 1).
  func::FuncOp getKernel(LayoutEntry *entry, int64_t n, bool dense,
                         int64_t groups) {
    assert((!dense || groups == 1) && "no grouped dense-code kernel");
    func::FuncOp &slot = kernels[{entry, n, dense, groups}];
    if (slot)
      return slot;
    std::string err;
    if (failed(dense ? emitDenseGlobals(*entry, err)
                     : emitSparseGlobals(*entry, err))) {
      entry->constant->emitError() << "dc-lower-compute: " << err;
      return nullptr;
    }
    const LayoutGlobals &G = dense ? entry->denseGlobals : entry->sparseGlobals;
    const ExecLayout &L = entry->sparse;
    MLIRContext *ctx = module.getContext();
    OpBuilder b(ctx);
    b.setInsertionPointToEnd(module.getBody());
    Location loc = module.getLoc();
    Type f32 = b.getF32Type();
    int64_t dyn = ShapedType::kDynamic;
    Type xType, yType;
    // groups = G: x holds one K slice per group.
    int64_t xRows = L.k * groups;
    if (n == 0) {
      xType =
          MemRefType::get({xRows}, f32, StridedLayoutAttr::get(ctx, dyn, {1}));
      yType = MemRefType::get({L.m}, f32);
    } else {
      xType = MemRefType::get({xRows, n}, f32,
                              StridedLayoutAttr::get(ctx, dyn, {dyn, 1}));
      yType = MemRefType::get({L.m, n}, f32);
    }
    std::string name = entry->prefix + (dense ? "_dense" : "") +
                       (n == 0 ? "_matvec" : "_matmul" + std::to_string(n)) +
                       (groups > 1 ? "_g" + std::to_string(groups) : "");
    auto makeFunc = [&](StringRef fname, ArrayRef<Type> argTypes) {
      OpBuilder::InsertionGuard guard(b);
      auto f =
          func::FuncOp::create(b, loc, fname, b.getFunctionType(argTypes, {}));
      f.setPrivate();
      setTargetAttrs(f);
      // The kernels are already laid out for the CPU: LLVM's SLP vectorizer
      // would otherwise turn the independent per-row / per-accumulator
      // chains of the batch-1 kernel into 4-8 lane gathers, about 2x slower
      // here (gathers cost ~1.1 cycles per element vs ~0.8 for scalar
      // loads). `noimplicitfloat` makes the SLP and loop vectorizers skip
      // the function while explicit vector ops (batch N) are still compiled
      // as written.
      f->setAttr("passthrough",
                 b.getArrayAttr({b.getStringAttr("noimplicitfloat")}));
      f.addEntryBlock();
      return f;
    };
    // Emits the kernel body for `range` into `f` (x, y: its first two
    // arguments).
    auto emitBody = [&](func::FuncOp f, const GroupRange &range) {
      OpBuilder::InsertionGuard guard(b);
      Block *body = &f.getBody().front();
      b.setInsertionPointToStart(body);
      KernelBuilder bd{b, loc};
      auto global = [&](const std::string &gname, int64_t count, Type elt) {
        return memref::GetGlobalOp::create(b, loc,
                                           MemRefType::get({count}, elt), gname)
            .getResult();
      };
      Value x = body->getArgument(0), y = body->getArgument(1);
      if (dense) {
        const DenseCodeLayout &D = *entry->dense;
        Value words = global(G.words, D.words.size(), b.getI32Type());
        Value table = global(G.table, D.table.size(), f32);
        if (n == 0)
          emitDenseMatvecBody(bd, target, D, range, x, y, words, table);
        else
          emitDenseMatmulBody(bd, target, D, range, n, x, y, words, table);
      } else {
        Value words = global(G.words, L.words.size(), b.getI64Type());
        Value offsets = global(G.offsets, L.offsets.size(), b.getI32Type());
        Value rows =
            global(G.rows, std::max<size_t>(L.rows.size(), 1), b.getI32Type());
        Value table = global(G.table, L.table.size(), f32);
        if (n == 0)
          emitMatvecBody(bd, L, groups, range, x, y, words, offsets, rows,
                         table);
        else
          emitMatmulBody(bd, L, groups, range, n, target.vw, colBlock, x, y,
                         words, offsets, rows, table);
      }
      func::ReturnOp::create(b, loc);
    };

    std::vector<int32_t> chunks = chunkBounds(groupCosts(*entry, n, dense), n);
    if (chunks.empty()) {
      // One thread: the whole layout, static loop bounds.
      func::FuncOp fn = makeFunc(name, {xType, yType});
      emitBody(fn, GroupRange{});
      emitLoadCheck(G.loader, fn);
      slot = fn;
      return fn;
    }
    // Several threads: `NAME_part(x, y, g0, g1)` computes the groups
    // [g0, g1); the kernel is an scf.parallel over the sub-chunks of the
    // `chunks` global (group boundaries, computed here), which dc-to-llvm
    // lowers to OpenMP or MLIR's async runtime (thread-runtime). Lowered
    // without either, the loop simply runs serially.
    Type indexType = b.getIndexType();
    func::FuncOp part =
        makeFunc(name + "_part", {xType, yType, indexType, indexType});
    {
      Block *pb = &part.getBody().front();
      emitBody(part, GroupRange{pb->getArgument(2), pb->getArgument(3),
                                /*isStatic=*/false});
    }
    std::string chunksName = name + "_chunks";
    {
      OpBuilder gb(module.getBodyRegion());
      gb.setInsertionPointToStart(module.getBody());
      auto type = MemRefType::get({int64_t(chunks.size())}, b.getI32Type());
      auto attr = DenseElementsAttr::getFromRawBuffer(
          RankedTensorType::get({int64_t(chunks.size())}, b.getI32Type()),
          rawBytes(chunks));
      memref::GlobalOp::create(gb, loc, gb.getStringAttr(chunksName),
                               gb.getStringAttr("private"), TypeAttr::get(type),
                               attr, gb.getUnitAttr(),
                               gb.getI64IntegerAttr(64));
    }
    int64_t numChunks = int64_t(chunks.size()) - 1;
    func::FuncOp fn = makeFunc(name, {xType, yType});
    {
      OpBuilder::InsertionGuard guard(b);
      Block *body = &fn.getBody().front();
      b.setInsertionPointToStart(body);
      Value x = body->getArgument(0), y = body->getArgument(1);
      Value table = memref::GetGlobalOp::create(
          b, loc, MemRefType::get({numChunks + 1}, b.getI32Type()), chunksName);
      Value c0 = arith::ConstantIndexOp::create(b, loc, 0);
      Value c1 = arith::ConstantIndexOp::create(b, loc, 1);
      Value cn = arith::ConstantIndexOp::create(b, loc, numChunks);
      scf::ParallelOp::create(
          b, loc, ValueRange{c0}, ValueRange{cn}, ValueRange{c1},
          [&](OpBuilder &nb, Location l, ValueRange ivs) {
            Value i = ivs[0];
            Value i1 = arith::AddIOp::create(nb, l, i, c1);
            auto load = [&](Value at) {
              Value v = memref::LoadOp::create(nb, l, table, at);
              return arith::IndexCastUIOp::create(nb, l, nb.getIndexType(), v)
                  .getResult();
            };
            func::CallOp::create(nb, l, part,
                                 ValueRange{x, y, load(i), load(i1)});
            scf::ReduceOp::create(nb, l);
          });
      func::ReturnOp::create(b, loc);
    }
    // Decode once before the parallel loop, never inside a task.
    emitLoadCheck(G.loader, fn);
    slot = fn;
    return fn;
  }

  /// Sub-chunk boundaries (group indices, nondecreasing, from 0 to the
  /// number of groups) for `threads` > 1, or empty for one thread (threads
  /// <= 1, or a kernel too small to be worth the tasks: cost x column
  /// vectors below parallel-min-words). `cum` holds the cumulative cost of
  /// the groups (size groups + 1). There are kSubChunks per thread, each
  /// with about the same cost (the sparse layout is sorted by entry count,
  /// so equal group counts would not balance). Why so many: with
  /// dc-to-llvm's default OpenMP lowering (static schedule) the 1000 x T
  /// sub-chunks become T contiguous blocks of 1000; its async-parallel-for
  /// (thread-runtime=async) cuts an scf.parallel of I iterations into blocks
  /// of max(ceil(I / (8 x threads)), min-task-size = 1000) consecutive
  /// iterations, with I = 1000 x threads exactly `threads` blocks. Any
  /// other contiguous split of equal-cost sub-chunks still balances.
  static constexpr int64_t kSubChunks = 1000;
  std::vector<int32_t> chunkBounds(const std::vector<int64_t> &cum, int64_t n) {
    int64_t numGroups = int64_t(cum.size()) - 1;
    uint64_t total = numGroups > 0 ? uint64_t(cum.back()) : 0;
    uint64_t colVectors =
        n == 0 ? 1 : uint64_t((n + target.vw - 1) / target.vw);
    if (threads <= 1 || numGroups < 2 ||
        total * colVectors < uint64_t(parallelMinWords))
      return {};
    int64_t numChunks = int64_t(std::min<unsigned>(threads, 256)) * kSubChunks;
    std::vector<int32_t> bounds(numChunks + 1);
    bounds[0] = 0;
    for (int64_t c = 1; c < numChunks; ++c) {
      uint64_t goal = total * uint64_t(c) / uint64_t(numChunks);
      // First group boundary at or past the goal, or the one before it if
      // that is closer.
      auto it = std::lower_bound(cum.begin(), cum.end(), int64_t(goal));
      int64_t g = std::min<int64_t>(it - cum.begin(), numGroups);
      if (g > 0 && goal - uint64_t(cum[g - 1]) < uint64_t(cum[g]) - goal)
        --g;
      bounds[c] = int32_t(std::max<int64_t>(g, bounds[c - 1]));
    }
    bounds[numChunks] = int32_t(numGroups);
    return bounds;
  }

  /// Cost model: estimated cycles per call of each kernel on this target
  /// (constants fitted to bench/density.sh on Zen 4, docs/Kernels.md), so
  /// that a call site takes the dense-code kernel only where it is faster.
  /// The dense-code layout must also stay compact: at most 1.25x the
  /// layer's bytes_pq.
  bool preferDense(LayoutEntry &entry, int64_t n, int64_t groups) {
    // The dense-code kernels have no groups: a grouped product would need
    // its own x slice per row strip.
    if (groups > 1)
      return false;
    const ExecLayout &S = entry.sparse;
    double density = entry.density();
    if (denseDensity >= 0.0)
      return density >= denseDensity && getDense(entry);
    uint64_t denseBytes =
        DenseCodeLayout::wordsBytesFor(S.m, S.k, S.b, target.vw);
    if (double(denseBytes) > 1.25 * double(S.bytesPQ))
      return false;
    unsigned vw = target.vw;
    bool permute = hasPermuteLookup(target, S.b, vw);
    // Decoding one lane vector: load share, shift, mask, lookup (a permute,
    // or a gather at ~1 cycle per lane).
    double decodeVector = kDenseFieldCycles + (permute ? 1.0 : double(vw));
    int64_t strip = denseStripWidth(S.b, vw);
    double kPad = double((S.k + strip - 1) / strip * strip);
    double sparseCost, denseCost;
    if (n == 0) {
      unsigned r = denseMatvecRows();
      double mPad = double((S.m + r - 1) / r * r);
      sparseCost = double(S.entries) * kSparseEntryCycles;
      denseCost = mPad * kPad / vw * decodeVector;
    } else {
      unsigned r, u;
      denseMatmulTile(target, n, r, u);
      double vecs = double((n + vw - 1) / vw);
      double blocks = double((n + int64_t(vw) * u - 1) / (int64_t(vw) * u));
      double mPad = double((S.m + r - 1) / r * r);
      sparseCost =
          double(S.entries) * (kSparseDecodeCycles + vecs * kSparseFmaCycles);
      // FMAs over the K real columns; the strips are decoded again for
      // every block of U column vectors.
      denseCost = mPad * double(S.k) * vecs * kDenseFmaCycles +
                  mPad * kPad / vw * decodeVector * blocks;
    }
    return denseCost < sparseCost && getDense(entry);
  }
  static constexpr double kSparseEntryCycles = 1.4;
  static constexpr double kSparseDecodeCycles = 1.5;
  static constexpr double kSparseFmaCycles = 1.0;
  static constexpr double kDenseFieldCycles = 1.5;
  static constexpr double kDenseFmaCycles = 0.45;

  /// The `stats` line of every layer still decoded to a dense buffer (no
  /// kernel reads it compressed): layout=dense and its consumers.
  void printDenseLayers() {
    module.walk([&](dc::DecompressOp op) {
      auto constant = op.getInput().getDefiningOp<dc::ConstantOp>();
      if (!constant || op->use_empty())
        return;
      std::string name = "w";
      if (auto layer = constant->getAttrOfType<StringAttr>("dc.layer"))
        name = layer.getValue().str();
      SmallVector<StringRef> consumers;
      for (Operation *user : op->getUsers())
        if (!llvm::is_contained(consumers, user->getName().getStringRef()))
          consumers.push_back(user->getName().getStringRef());
      RankedTensorType type = constant.getType().getTensorType();
      llvm::errs() << "dc-lower-compute: " << name << " layout=dense"
                   << " consumers=" << llvm::join(consumers, ",")
                   << " bytes_dense="
                   << type.getNumElements() *
                          (type.getElementType().getIntOrFloatBitWidth() / 8)
                   << "\n";
    });
  }

  /// Replaces `op` (on tensors) with dc.decompress + dense linalg; on
  /// memrefs, where that needs tensors, fails with an error saying `why`
  /// there is no kernel.
  LogicalResult lowerDense(Operation *op, StringRef why) {
    if (op->getNumResults() == 0)
      return op->emitOpError("on memrefs needs a kernel, but ")
             << why
             << "; lower it before bufferization "
                "(dc-lower-decompress{keep-compute=1} lowers such ops to "
                "dense linalg)";
    OpBuilder b(op);
    Value result = dc::buildDenseContraction(b, op);
    if (!result)
      return failure();
    op->getResult(0).replaceAllUsesWith(result);
    op->erase();
    return success();
  }

  /// `buffer` as a value of the kernel operand type `type`: a memref.cast
  /// when every static stride and offset of `type` is statically the same
  /// in `buffer` (a cast cannot change the layout), else a copy into a
  /// fresh allocation of `type`'s shape (freed by the buffer deallocation
  /// that follows bufferization).
  static Value castOrCopy(OpBuilder &b, Location loc, Value buffer,
                          MemRefType type) {
    auto from = cast<MemRefType>(buffer.getType());
    if (from == type)
      return buffer;
    SmallVector<int64_t> fromStrides, toStrides;
    int64_t fromOffset, toOffset;
    bool same = succeeded(from.getStridesAndOffset(fromStrides, fromOffset)) &&
                succeeded(type.getStridesAndOffset(toStrides, toOffset)) &&
                (ShapedType::isDynamic(toOffset) || fromOffset == toOffset);
    for (auto [f, t] : llvm::zip_equal(fromStrides, toStrides))
      same &= ShapedType::isDynamic(t) || f == t;
    if (same && memref::CastOp::areCastCompatible(from, type))
      return memref::CastOp::create(b, loc, type, buffer);
    Value copy = memref::AllocOp::create(
        b, loc, MemRefType::get(type.getShape(), type.getElementType()),
        ValueRange{}, b.getI64IntegerAttr(64));
    memref::CopyOp::create(b, loc, buffer, copy);
    // The kernels' operand types (unit innermost stride, any offset and
    // outer strides) accept an identity buffer.
    return copy.getType() == type
               ? copy
               : memref::CastOp::create(b, loc, type, copy).getResult();
  }

  void runOnOperation() override {
    module = getOperation();
    layouts.clear();
    kernels.clear();
    if (std::string msg = validateOptions(); !msg.empty()) {
      emitError(UnknownLoc::get(&getContext())) << msg;
      return signalPassFailure();
    }
    target = resolveTarget(targetCpu, vectorWidth);
    SmallVector<Operation *> ops;
    module.walk([&](Operation *op) {
      if (isa<dc::MatvecOp, dc::MatmulOp>(op))
        ops.push_back(op);
    });
    for (Operation *op : ops) {
      // Tensors (result = the kernel's fresh buffer) or, after
      // bufferization, memrefs (the kernel writes `outs` in place).
      Value w = op->getOperand(0), input = op->getOperand(1),
            init = op->getOperand(2);
      bool onBuffers = op->getNumResults() == 0;
      bool transposeW = op->hasAttr("transpose_w");
      auto constant = w.getDefiningOp<dc::ConstantOp>();
      auto inType = cast<ShapedType>(input.getType());
      auto outType = cast<ShapedType>(init.getType());
      bool isMatmul = isa<dc::MatmulOp>(op);
      // Declared sizes are checked before any layout or buffer of that size
      // is built (a tiny payload may declare 2^40 rows).
      if (failed(dc::checkMaterializable(op, w.getType(), "weight")) ||
          failed(dc::checkMaterializable(op, inType, "input")) ||
          failed(dc::checkMaterializable(op, outType, "result")))
        return signalPassFailure();
      if (!constant || !inType.hasStaticShape() || !outType.hasStaticShape()) {
        if (failed(lowerDense(op, "its weight is not a dc.constant or its "
                                  "shapes are not static")))
          return signalPassFailure();
        continue;
      }
      int64_t n = isMatmul ? inType.getDimSize(1) : 0;
      LayoutEntry *entry = getEntry(constant, transposeW, op);
      if (!entry) {
        // Errors in the payload are reported by getView / decodeEntries.
        if (failed(lowerDense(op, "no execution layout can be built for its "
                                  "weight (see the remark)")))
          return signalPassFailure();
        continue;
      }
      int64_t groups = 1;
      if (auto attr = op->getAttrOfType<IntegerAttr>("groups"))
        groups = attr.getInt();
      bool dense = preferDense(*entry, n, groups);
      func::FuncOp kernel = getKernel(entry, n, dense, groups);
      if (!kernel)
        return signalPassFailure();
      OpBuilder b(op);
      Location loc = op->getLoc();
      MLIRContext *ctx = op->getContext();
      int64_t dyn = ShapedType::kDynamic;
      auto kernelType = kernel.getFunctionType();
      auto xType = cast<MemRefType>(kernelType.getInput(0));
      auto yType = cast<MemRefType>(kernelType.getInput(1));
      if (onBuffers) {
        Value xBuf = castOrCopy(b, loc, input, xType);
        // `outs` itself when it has the kernel's (identity) layout.
        Value yBuf = init.getType() == yType
                         ? init
                         : memref::AllocOp::create(b, loc, yType, ValueRange{},
                                                   b.getI64IntegerAttr(64))
                               .getResult();
        func::CallOp::create(b, loc, kernel, ValueRange{xBuf, yBuf});
        if (yBuf != init)
          memref::CopyOp::create(b, loc, yBuf, init);
        op->erase();
        continue;
      }
      SmallVector<int64_t> dynStrides(inType.getRank(), dyn);
      auto anyLayout =
          MemRefType::get(inType.getShape(), inType.getElementType(),
                          StridedLayoutAttr::get(ctx, dyn, dynStrides));
      Value xBuf = bufferization::ToBufferOp::create(b, loc, anyLayout, input,
                                                     /*read_only=*/true);
      xBuf = memref::CastOp::create(b, loc, xType, xBuf);
      Value yBuf = memref::AllocOp::create(b, loc, yType, ValueRange{},
                                           b.getI64IntegerAttr(64));
      func::CallOp::create(b, loc, kernel, ValueRange{xBuf, yBuf});
      Value result = bufferization::ToTensorOp::create(
          b, loc, op->getResult(0).getType(), yBuf, /*restrict=*/true,
          /*writable=*/true);
      op->getResult(0).replaceAllUsesWith(result);
      op->erase();
    }
    if (stats)
      printDenseLayers();
    // Compressed constants used only by the lowered ops are dead now.
    SmallVector<dc::ConstantOp> dead;
    module.walk([&](dc::ConstantOp c) {
      if (c->use_empty())
        dead.push_back(c);
    });
    for (dc::ConstantOp c : dead)
      c->erase();
    // dc_init() / dc_status() over the kernels' load-time initializers too
    // (dc-lower-decompress emits them first when this pass runs after
    // bufferization; emitting again replaces them).
    if (!ops.empty() && failed(dc::emitInitEntryPoints(module)))
      return signalPassFailure();
  }
};

} // namespace
