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
//     `PREFIX_load_words()`, which the kernel calls at its start when the
//     `PREFIX_ready` flag is false (before the scf.parallel with threads >
//     1, never inside a task). No dense f32 copy is ever made.
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
// THREADS (threads > 1, kernels with at least parallel-min-words words x
//   column vectors): the body becomes `NAME_part(x, y, g0, g1)` over groups
//   [g0, g1), and the kernel an scf.parallel over 1000 x threads sub-chunks
//   of about equal words (boundaries computed here into a `chunks` global),
//   each calling the part. dc-to-llvm's async-parallel-for (min-task-size
//   1000) cuts it into `threads` blocks on MLIR's async runtime; lowered
//   without the async passes it runs serially. Each group writes only its
//   own rows of y, so the chunks are independent.
//
// The call site (still on tensors, before bufferization) passes
// bufferization.to_buffer of the activations (read-only) and a fresh
// memref.alloc for the result, wrapped back with bufferization.to_tensor
// {restrict, writable}.
//
//===----------------------------------------------------------------------===//

#include "dc/Conversion/DecodeEmitter.h"
#include "dc/Conversion/KernelPasses.h"
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
#include "llvm/ADT/StringMap.h"
#include "llvm/Support/raw_ostream.h"
#include "llvm/TargetParser/Host.h"

#include <algorithm>
#include <numeric>

namespace dc {
#define GEN_PASS_DEF_DCLOWERCOMPUTE
#include "dc/Conversion/KernelPasses.h.inc"
} // namespace dc

using namespace mlir;

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

/// Rows of A as (column, codebook index) lists, in CSR form.
struct RowLists {
  std::vector<uint64_t> start; // m + 1
  std::vector<uint32_t> cols, vals;
};

static LogicalResult buildRowLists(const dc::CompressedTensorView &view,
                                   bool transposeW, RowLists &rl,
                                   int64_t &m, int64_t &k, std::string &err) {
  dc::DecodedEntries dec;
  if (!dc::decodeEntries(view, dec, &err))
    return failure();
  int64_t wr, wc;
  dc::matrixDims(view.shape, wr, wc);
  m = transposeW ? wc : wr;
  k = transposeW ? wr : wc;
  // Visit every non-zero entry (wrow, wcol, value) in storage order.
  auto forEach = [&](auto &&fn) {
    if (view.params.format == dc::StorageFormat::Dense) {
      for (uint64_t i = 0, e = dec.values.size(); i < e; ++i)
        if (dec.values[i])
          fn(int64_t(i / wc), int64_t(i % wc), dec.values[i]);
      return;
    }
    bool csc = view.params.format == dc::StorageFormat::CSC;
    size_t numSlices = view.pointers.size - 1;
    for (size_t s = 0; s < numSlices; ++s) {
      int64_t pos = -1;
      for (uint32_t e = view.pointers[s]; e < view.pointers[s + 1]; ++e) {
        pos += int64_t(dec.gaps[e]) + 1;
        if (dec.values[e])
          fn(csc ? pos : int64_t(s), csc ? int64_t(s) : pos, dec.values[e]);
      }
    }
  };
  rl.start.assign(m + 1, 0);
  forEach([&](int64_t r, int64_t c, uint32_t) {
    ++rl.start[(transposeW ? c : r) + 1];
  });
  for (int64_t i = 0; i < m; ++i)
    rl.start[i + 1] += rl.start[i];
  rl.cols.resize(rl.start[m]);
  rl.vals.resize(rl.start[m]);
  std::vector<uint64_t> fill(rl.start.begin(), rl.start.end() - 1);
  forEach([&](int64_t r, int64_t c, uint32_t v) {
    int64_t ar = transposeW ? c : r, ac = transposeW ? r : c;
    uint64_t at = fill[ar]++;
    rl.cols[at] = uint32_t(ac);
    rl.vals[at] = v;
  });
  return success();
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
static LogicalResult encodeHuffmanLayout(ExecLayout &layout,
                                         std::string &err) {
  unsigned b = layout.b, g = layout.g, e = layout.e, p = layout.p;
  uint64_t vMask = (uint64_t(1) << b) - 1, dMask = (uint64_t(1) << g) - 1;
  std::vector<uint32_t> vs, ds;
  vs.reserve(layout.words.size() * p);
  ds.reserve(layout.words.size() * p);
  std::vector<uint64_t> vFreq(size_t(1) << b), dFreq(size_t(1) << g);
  for (uint64_t w : layout.words)
    for (unsigned f = 0; f < p; ++f) {
      uint64_t field = w >> (f * e);
      vs.push_back(uint32_t(field & vMask));
      ds.push_back(uint32_t((field >> b) & dMask));
      ++vFreq[vs.back()];
      ++dFreq[ds.back()];
    }
  auto code = [&](const std::vector<uint32_t> &symbols,
                  const std::vector<uint64_t> &freq,
                  std::vector<uint8_t> &lengths,
                  std::vector<uint8_t> &bytes) -> bool {
    lengths = dc::buildHuffmanCodeLengths(freq);
    uint64_t bits = 0;
    if (!dc::verifyHuffmanCodeLengths(lengths, &err))
      return false;
    if (!dc::huffmanEncode(symbols, lengths, bytes, bits)) {
      err = "huffman encoding of the execution layout failed";
      return false;
    }
    dc::HuffmanDecoder decoder;
    if (!decoder.init(lengths, &err))
      return false;
    layout.huffmanTableBytes +=
        4 * (std::max<size_t>(decoder.firstCode.size(), 1) +
             std::max<size_t>(decoder.firstIndex.size(), 1) +
             std::max<size_t>(decoder.countPerLength.size(), 1) +
             std::max<size_t>(decoder.sortedSymbols.size(), 1));
    return true;
  };
  if (!code(vs, vFreq, layout.valueLengths, layout.valueBytes) ||
      !code(ds, dFreq, layout.deltaLengths, layout.deltaBytes))
    return failure();
  layout.huffman = true;
  return success();
}

static LogicalResult buildLayout(dc::ConstantOp constant, bool transposeW,
                                 unsigned r, ExecLayout &layout,
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
  RowLists rl;
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

struct Target {
  std::string cpu;      // resolved CPU name
  unsigned vw = 4;      // f32 lanes
  SmallVector<std::string> features;
};

static Target resolveTarget(StringRef cpu, unsigned vectorWidth) {
  Target t;
  bool avx512 = false, avx2 = false;
  if (cpu.empty() || cpu == "host" || cpu == "native") {
    t.cpu = llvm::sys::getHostCPUName().str();
    llvm::StringMap<bool> feats = llvm::sys::getHostCPUFeatures();
    avx512 = feats.lookup("avx512f");
    avx2 = feats.lookup("avx2");
    for (auto &f : feats)
      // Disabled features too: the host CPU name may imply features that
      // this (virtual) machine does not expose.
      t.features.push_back((f.second ? "+" : "-") + f.first().str());
    llvm::sort(t.features);
  } else {
    t.cpu = cpu.str();
    static const char *avx512Cpus[] = {
        "znver4", "znver5", "skylake-avx512", "cascadelake", "cooperlake",
        "cannonlake", "icelake-client", "icelake-server", "tigerlake",
        "sapphirerapids", "emeraldrapids", "graniterapids", "rocketlake",
        "x86-64-v4", "knl", "knm", "diamondrapids"};
    static const char *avx2Cpus[] = {
        "haswell", "broadwell", "skylake", "znver1", "znver2", "znver3",
        "alderlake", "raptorlake", "meteorlake", "arrowlake", "x86-64-v3",
        "gracemont", "sierraforest", "grandridge", "bdver4", "lunarlake",
        "pantherlake"};
    for (const char *c : avx512Cpus)
      avx512 |= cpu == c;
    for (const char *c : avx2Cpus)
      avx2 |= cpu == c;
  }
  t.vw = vectorWidth ? vectorWidth : avx512 ? 16 : avx2 ? 8 : 4;
  return t;
}

struct Builder {
  OpBuilder &b;
  Location loc;
  Value idx(int64_t v) { return arith::ConstantIndexOp::create(b, loc, v); }
  Value i64(int64_t v) {
    return arith::ConstantIntOp::create(b, loc, b.getI64Type(), v);
  }
  Value f32(float v) {
    return arith::ConstantFloatOp::create(b, loc, b.getF32Type(),
                                          APFloat(v));
  }
  Value toIndex(Value v) {
    return arith::IndexCastUIOp::create(b, loc, b.getIndexType(), v);
  }
};

struct KernelInfo {
  std::string words, offsets, rows, table;
  const ExecLayout *layout;
};

static std::string sanitize(StringRef s) {
  std::string out;
  for (char c : s)
    out.push_back(isalnum(c) ? c : '_');
  return out;
}

/// The groups a kernel (part) processes: [g0, g1). Static bounds (the
/// whole layout on one thread) emit exactly the loops of the serial kernel;
/// dynamic ones (a thread's chunk, function arguments) clamp the loop over
/// full groups and guard the last, partial group with an scf.if.
struct GroupRange {
  Value g0, g1;
  bool isStatic = true;
};

/// Emits the group loops for the full groups (scf.for) and the last,
/// partial group. `body(bd, rg, w0, w1, groupIndex)` emits one group with
/// `rg` interleaved rows, words [w0, w1).
template <typename Fn>
static void forEachGroupKind(Builder &bd, const ExecLayout &L,
                             Value offsets, const GroupRange &range,
                             Fn body) {
  int64_t full = L.m / L.r, rest = L.m % L.r;
  if (full > 0) {
    Value lo = range.isStatic ? bd.idx(0) : range.g0;
    Value hi = range.isStatic
                   ? bd.idx(full)
                   : arith::MinUIOp::create(bd.b, bd.loc, range.g1,
                                            bd.idx(full))
                         .getResult();
    auto loop = scf::ForOp::create(bd.b, bd.loc, lo, hi, bd.idx(1));
    OpBuilder::InsertionGuard guard(bd.b);
    bd.b.setInsertionPoint(loop.getBody()->getTerminator());
    Value gi = loop.getInductionVar();
    Value w0 = bd.toIndex(memref::LoadOp::create(bd.b, bd.loc, offsets, gi));
    Value gi1 = arith::AddIOp::create(bd.b, bd.loc, gi, bd.idx(1));
    Value w1 = bd.toIndex(memref::LoadOp::create(bd.b, bd.loc, offsets, gi1));
    body(L.r, w0, w1, gi);
  }
  if (rest > 0) {
    int64_t g = full;
    auto emitRest = [&] {
      body(unsigned(rest), bd.idx(L.offsets[g]), bd.idx(L.offsets[g + 1]),
           bd.idx(g));
    };
    if (range.isStatic) {
      emitRest();
    } else {
      // The partial group (index `full`, the last) is in [g0, g1).
      Value after = arith::CmpIOp::create(
          bd.b, bd.loc, arith::CmpIPredicate::ugt, range.g1, bd.idx(full));
      Value before = arith::CmpIOp::create(
          bd.b, bd.loc, arith::CmpIPredicate::ule, range.g0, bd.idx(full));
      Value has = arith::AndIOp::create(bd.b, bd.loc, after, before);
      auto ifOp = scf::IfOp::create(bd.b, bd.loc, has, /*withElse=*/false);
      OpBuilder::InsertionGuard guard(bd.b);
      bd.b.setInsertionPoint(ifOp.thenBlock()->getTerminator());
      emitRest();
    }
  }
}

/// Loads the `rg` interleaved words of one step of a group (at word index
/// `w`) and calls `fn(s, q, v, d)` for field s of row q, field-major so the
/// rows' dependency chains interleave: `v` is the codebook index, `d` the
/// column delta (both i64). Both kernels decode through this.
static void
forEachField(Builder &bd, const ExecLayout &L, Value words, Value w,
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

/// Emits a batch-1 kernel: (x: memref<K, strided<[1], offset:?>>,
/// y: memref<M>).
static void emitMatvecBody(Builder &bd, const ExecLayout &L,
                           const GroupRange &range, Value x, Value y,
                           Value words, Value offsets, Value rows,
                           Value table) {
  OpBuilder &b = bd.b;
  Location loc = bd.loc;
  Value zero = bd.f32(0.0f);
  forEachGroupKind(bd, L, offsets, range, [&](unsigned rg, Value w0,
                                              Value w1, Value gi) {
    // iter_args: rg positions, then na accumulators per row (enough
    // independent FMA chains to hide the FMA latency: ~8 in all).
    unsigned na = std::max(2u, std::min(L.p, 8u / L.r));
    SmallVector<Value> init;
    for (unsigned q = 0; q < rg; ++q)
      init.push_back(bd.idx(0));
    for (unsigned q = 0; q < na * rg; ++q)
      init.push_back(zero);
    auto loop = scf::ForOp::create(
        b, loc, w0, w1, bd.idx(rg), init,
        [&](OpBuilder &, Location, Value w, ValueRange args) {
          SmallVector<Value> pos(args.begin(), args.begin() + rg);
          SmallVector<Value> acc(args.begin() + rg, args.end());
          forEachField(bd, L, words, w, rg,
                       [&](unsigned s, unsigned q, Value v, Value d) {
                         pos[q] = arith::AddIOp::create(b, loc, pos[q],
                                                        bd.toIndex(d));
                         Value xv = memref::LoadOp::create(b, loc, x, pos[q]);
                         Value wv = memref::LoadOp::create(b, loc, table,
                                                           bd.toIndex(v));
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

/// Emits a batch-N kernel: (X: memref<KxN, strided<[?,1], offset:?>>,
/// Y: memref<MxN>).
static void emitMatmulBody(Builder &bd, const ExecLayout &L,
                           const GroupRange &range, int64_t n, unsigned vwMax,
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
  int64_t block = int64_t(vw) * u;
  int64_t fullBlocks = n / block, tail = n % block;
  auto vecType = VectorType::get({vw}, b.getF32Type());
  auto maskType = VectorType::get({vw}, b.getI1Type());

  // Emits every group for the columns [n0, n0 + sum(lens)).
  auto emitBlock = [&](Value n0, ArrayRef<int64_t> lens) {
    unsigned nu = lens.size();
    SmallVector<Value> masks(nu);
    for (unsigned c = 0; c < nu; ++c)
      if (lens[c] < int64_t(vw))
        masks[c] = vector::ConstantMaskOp::create(
            b, loc, maskType, ArrayRef<int64_t>{lens[c]});
    SmallVector<Value> cols(nu);
    for (unsigned c = 0; c < nu; ++c)
      cols[c] = arith::AddIOp::create(b, loc, n0, bd.idx(c * vw));
    Value zeroVec = arith::ConstantOp::create(
        b, loc, vecType, DenseElementsAttr::get(vecType, 0.0f));
    forEachGroupKind(bd, L, offsets, range, [&](unsigned rg, Value w0,
                                                Value w1, Value gi) {
      SmallVector<Value> init;
      for (unsigned q = 0; q < rg; ++q)
        init.push_back(bd.idx(0));
      for (unsigned q = 0; q < rg * nu; ++q)
        init.push_back(zeroVec);
      auto loop = scf::ForOp::create(
          b, loc, w0, w1, bd.idx(rg), init,
          [&](OpBuilder &, Location, Value w, ValueRange args) {
            SmallVector<Value> pos(args.begin(), args.begin() + rg);
            SmallVector<Value> acc(args.begin() + rg, args.end());
            forEachField(bd, L, words, w, rg,
                         [&](unsigned, unsigned q, Value v, Value d) {
              pos[q] = arith::AddIOp::create(b, loc, pos[q], bd.toIndex(d));
              Value wv = memref::LoadOp::create(b, loc, table, bd.toIndex(v));
              Value wb = vector::BroadcastOp::create(b, loc, vecType, wv);
              for (unsigned c = 0; c < nu; ++c) {
                Value xv;
                if (masks[c])
                  xv = vector::MaskedLoadOp::create(
                      b, loc, vecType, x, ValueRange{pos[q], cols[c]},
                      masks[c], zeroVec);
                else
                  xv = vector::LoadOp::create(b, loc, vecType, x,
                                              ValueRange{pos[q], cols[c]});
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
          Value a = loop.getResult(rg + q * nu + c);
          if (masks[c])
            vector::MaskedStoreOp::create(b, loc, y, ValueRange{row, cols[c]},
                                          masks[c], a);
          else
            vector::StoreOp::create(b, loc, a, y, ValueRange{row, cols[c]});
        }
      }
    });
  };

  if (fullBlocks > 0) {
    SmallVector<int64_t> lens(u, vw);
    if (fullBlocks == 1) {
      emitBlock(bd.idx(0), lens);
    } else {
      auto loop = scf::ForOp::create(b, loc, bd.idx(0),
                                     bd.idx(fullBlocks * block),
                                     bd.idx(block));
      OpBuilder::InsertionGuard guard(b);
      b.setInsertionPoint(loop.getBody()->getTerminator());
      emitBlock(loop.getInductionVar(), lens);
    }
  }
  if (tail > 0) {
    SmallVector<int64_t> lens;
    for (int64_t left = tail; left > 0; left -= vw)
      lens.push_back(std::min<int64_t>(left, vw));
    emitBlock(bd.idx(fullBlocks * block), lens);
  }
}

//===----------------------------------------------------------------------===//
// The pass
//===----------------------------------------------------------------------===//

struct LowerComputePass : dc::impl::DCLowerComputeBase<LowerComputePass> {
  using Base::Base;

  struct LayoutEntry {
    ExecLayout layout;
    std::string prefix;
    std::string words, offsets, rows, table;
    std::string chunks; // threads > 1: sub-chunk boundaries (lazily)
    int64_t numChunks = 0;
    /// entropy = huffman: `words` is a mutable global filled once at load
    /// by `decode` (guarded by the `ready` flag).
    memref::GlobalOp ready;
    func::FuncOp decode;
  };

  /// entropy = huffman: emits the coded streams, their decoding tables, the
  /// uninitialized `words` buffer, the `ready` flag and the decode function
  /// `PREFIX_load_words()` that fills `words` with the execution layout.
  LogicalResult emitHuffmanLoad(LayoutEntry &entry, Location loc,
                                std::string &err) {
    const ExecLayout &L = entry.layout;
    dc::GlobalEmitter globals(module);
    std::string prefix = entry.prefix;
    memref::GlobalOp vStream =
        globals.byteStream(loc, prefix + "_value_stream", L.valueBytes);
    memref::GlobalOp dStream =
        globals.byteStream(loc, prefix + "_delta_stream", L.deltaBytes);
    dc::HuffmanTableGlobals vTables, dTables;
    if (!dc::emitHuffmanTables(globals, loc, prefix + "_value_code",
                               L.valueLengths, vTables, &err) ||
        !dc::emitHuffmanTables(globals, loc, prefix + "_delta_code",
                               L.deltaLengths, dTables, &err))
      return failure();
    OpBuilder b(module.getContext());
    int64_t numWords = int64_t(L.words.size());
    memref::GlobalOp words = globals.buffer(
        loc, prefix + "_words", MemRefType::get({numWords}, b.getI64Type()));
    entry.words = words.getSymName().str();
    entry.ready = globals.flag(loc, prefix + "_ready");

    // Created detached, then appended to the module under a unique name.
    auto fn = func::FuncOp::create(b, loc, prefix + "_load_words",
                                   b.getFunctionType({}, {}));
    fn.setPrivate();
    SymbolTable(module).insert(fn);
    entry.decode = fn;
    Block *body = fn.addEntryBlock();
    b.setInsertionPointToStart(body);
    auto i64 = [&](OpBuilder &ob, Location l, int64_t v) -> Value {
      return arith::ConstantIntOp::create(ob, l, ob.getI64Type(), v);
    };
    dc::StreamRef vs{dc::getGlobal(b, loc, vStream),
                     vStream.getType().getDimSize(0)};
    dc::StreamRef ds{dc::getGlobal(b, loc, dStream),
                     dStream.getType().getDimSize(0)};
    dc::HuffmanTables vt = dc::getHuffmanTables(b, loc, vTables);
    dc::HuffmanTables dt = dc::getHuffmanTables(b, loc, dTables);
    Value wordsBuf = dc::getGlobal(b, loc, words);
    Value c0 = arith::ConstantIndexOp::create(b, loc, 0);
    Value c1 = arith::ConstantIndexOp::create(b, loc, 1);
    Value cw = arith::ConstantIndexOp::create(b, loc, numWords);
    Value cp = arith::ConstantIndexOp::create(b, loc, L.p);
    Value zero = i64(b, loc, 0);
    unsigned bBits = L.b, eBits = L.e;
    // for each word: for each of P fields: v, d from the streams (carried
    // bit cursors), word |= (v | d << b) << (field * E); store the word.
    scf::ForOp::create(
        b, loc, c0, cw, c1, ValueRange{zero, zero},
        [&](OpBuilder &ob, Location ol, Value w, ValueRange cursors) {
          auto inner = scf::ForOp::create(
              ob, ol, c0, cp, c1, ValueRange{zero, cursors[0], cursors[1]},
              [&](OpBuilder &ib, Location il, Value f, ValueRange args) {
                auto [v, vNext] =
                    dc::emitReadHuffmanSymbol(ib, il, vs, vt, args[1]);
                auto [d, dNext] =
                    dc::emitReadHuffmanSymbol(ib, il, ds, dt, args[2]);
                Value v64 =
                    arith::ExtUIOp::create(ib, il, ib.getI64Type(), v);
                Value d64 =
                    arith::ExtUIOp::create(ib, il, ib.getI64Type(), d);
                Value field = arith::OrIOp::create(
                    ib, il, v64,
                    arith::ShLIOp::create(ib, il, d64, i64(ib, il, bBits)));
                Value f64 =
                    arith::IndexCastUIOp::create(ib, il, ib.getI64Type(), f);
                Value shift =
                    arith::MulIOp::create(ib, il, f64, i64(ib, il, eBits));
                Value word = arith::OrIOp::create(
                    ib, il, args[0],
                    arith::ShLIOp::create(ib, il, field, shift));
                scf::YieldOp::create(ib, il, ValueRange{word, vNext, dNext});
              });
          memref::StoreOp::create(ob, ol, inner.getResult(0), wordsBuf,
                                  ValueRange{w});
          scf::YieldOp::create(
              ob, ol, ValueRange{inner.getResult(1), inner.getResult(2)});
        });
    memref::StoreOp::create(
        b, loc, arith::ConstantIntOp::create(b, loc, b.getI1Type(), 1),
        dc::getGlobal(b, loc, entry.ready), ValueRange{});
    func::ReturnOp::create(b, loc);
    return success();
  }

  /// entropy = huffman: `if (!ready) PREFIX_load_words()` at the start of
  /// `fn` (before any parallel loop).
  void emitLoadCheck(LayoutEntry &entry, func::FuncOp fn) {
    if (!entry.decode)
      return;
    OpBuilder b(module.getContext());
    Location loc = fn.getLoc();
    b.setInsertionPointToStart(&fn.getBody().front());
    Value isReady = memref::LoadOp::create(
        b, loc, dc::getGlobal(b, loc, entry.ready), ValueRange{});
    Value notReady = arith::XOrIOp::create(
        b, loc, isReady, arith::ConstantIntOp::create(b, loc, b.getI1Type(), 1));
    scf::IfOp::create(b, loc, notReady, [&](OpBuilder &tb, Location tl) {
      func::CallOp::create(tb, tl, entry.decode, ValueRange{});
      scf::YieldOp::create(tb, tl);
    });
  }

  ModuleOp module;
  Target target;
  /// Keyed by the constant's (uniqued) attributes and type, so identical
  /// payloads in several functions share one layout and one set of globals.
  std::map<std::tuple<const void *, const void *, bool>,
           std::shared_ptr<LayoutEntry>>
      layouts;
  std::map<std::pair<LayoutEntry *, int64_t>, func::FuncOp> kernels;
  unsigned counter = 0;

  LayoutEntry *getLayout(dc::ConstantOp constant, bool transposeW,
                         Operation *user) {
    auto &slot = layouts[{constant->getRawDictionaryAttrs().getAsOpaquePointer(),
                          constant.getType().getAsOpaquePointer(), transposeW}];
    if (slot)
      return slot.get();
    auto entry = std::make_shared<LayoutEntry>();
    std::string err;
    unsigned r = std::clamp<unsigned>(rowsPerGroup, 1, 8);
    if (failed(buildLayout(constant, transposeW, r, entry->layout, err))) {
      if (!err.empty())
        user->emitRemark() << "dc-lower-compute: decoding to dense: " << err;
      return nullptr;
    }
    std::string name = "w";
    if (auto layer = constant->getAttrOfType<StringAttr>("dc.layer"))
      name = sanitize(layer.getValue());
    entry->prefix = "__dc_" + name + "_" + std::to_string(counter++) +
                    (transposeW ? "_t" : "");
    // Globals.
    OpBuilder b(module.getBodyRegion());
    b.setInsertionPointToStart(module.getBody());
    Location loc = constant.getLoc();
    const ExecLayout &L = entry->layout;
    auto addGlobal = [&](StringRef suffix, Type elt, ArrayRef<char> raw,
                         int64_t count, std::string &nameOut) {
      nameOut = (entry->prefix + "_" + suffix).str();
      auto memrefType = MemRefType::get({count}, elt);
      auto tensorType = RankedTensorType::get({count}, elt);
      auto attr = DenseElementsAttr::getFromRawBuffer(tensorType, raw);
      memref::GlobalOp::create(b, loc, b.getStringAttr(nameOut),
                               b.getStringAttr("private"),
                               TypeAttr::get(memrefType), attr,
                               b.getUnitAttr(), b.getI64IntegerAttr(64));
    };
    if (L.huffman) {
      if (failed(emitHuffmanLoad(*entry, loc, err))) {
        user->emitRemark() << "dc-lower-compute: decoding to dense: " << err;
        return nullptr;
      }
    } else {
      addGlobal("words", b.getI64Type(),
                ArrayRef<char>((const char *)L.words.data(),
                               L.words.size() * 8),
                L.words.size(), entry->words);
    }
    addGlobal("offsets", b.getI32Type(),
              ArrayRef<char>((const char *)L.offsets.data(),
                             L.offsets.size() * 4),
              L.offsets.size(), entry->offsets);
    std::vector<int32_t> rowsData = L.rows;
    if (rowsData.empty())
      rowsData.push_back(0);
    addGlobal("rows", b.getI32Type(),
              ArrayRef<char>((const char *)rowsData.data(),
                             rowsData.size() * 4),
              rowsData.size(), entry->rows);
    addGlobal("table", b.getF32Type(),
              ArrayRef<char>((const char *)L.table.data(), L.table.size() * 4),
              L.table.size(), entry->table);
    if (stats) {
      llvm::errs() << "dc-lower-compute: " << entry->prefix << " m=" << L.m
                   << " k=" << L.k << " nonzeros=" << L.nonzeros
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
    slot = std::move(entry);
    return slot.get();
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

  /// The kernel for `entry` with batch `n` (0: matvec).
  func::FuncOp getKernel(LayoutEntry *entry, int64_t n) {
    func::FuncOp &slot = kernels[{entry, n}];
    if (slot)
      return slot;
    const ExecLayout &L = entry->layout;
    MLIRContext *ctx = module.getContext();
    OpBuilder b(ctx);
    b.setInsertionPointToEnd(module.getBody());
    Location loc = module.getLoc();
    Type f32 = b.getF32Type();
    int64_t dyn = ShapedType::kDynamic;
    Type xType, yType;
    if (n == 0) {
      xType = MemRefType::get({L.k}, f32,
                              StridedLayoutAttr::get(ctx, dyn, {1}));
      yType = MemRefType::get({L.m}, f32);
    } else {
      xType = MemRefType::get({L.k, n}, f32,
                              StridedLayoutAttr::get(ctx, dyn, {dyn, 1}));
      yType = MemRefType::get({L.m, n}, f32);
    }
    std::string name =
        entry->prefix + (n == 0 ? "_matvec" : "_matmul" + std::to_string(n));
    auto makeFunc = [&](StringRef fname, ArrayRef<Type> argTypes) {
      OpBuilder::InsertionGuard guard(b);
      auto f = func::FuncOp::create(b, loc, fname,
                                    b.getFunctionType(argTypes, {}));
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
      Builder bd{b, loc};
      auto global = [&](const std::string &gname, int64_t count, Type elt) {
        return memref::GetGlobalOp::create(
                   b, loc, MemRefType::get({count}, elt), gname)
            .getResult();
      };
      Value words = global(entry->words, L.words.size(), b.getI64Type());
      Value offsets = global(entry->offsets, L.offsets.size(), b.getI32Type());
      Value rows = global(entry->rows, std::max<size_t>(L.rows.size(), 1),
                          b.getI32Type());
      Value table = global(entry->table, L.table.size(), f32);
      Value x = body->getArgument(0), y = body->getArgument(1);
      if (n == 0)
        emitMatvecBody(bd, L, range, x, y, words, offsets, rows, table);
      else
        emitMatmulBody(bd, L, range, n, target.vw, colBlock, x, y, words,
                       offsets, rows, table);
      func::ReturnOp::create(b, loc);
    };

    std::vector<int32_t> chunks = chunkBounds(L, n);
    if (chunks.empty()) {
      // One thread: the whole layout, static loop bounds.
      func::FuncOp fn = makeFunc(name, {xType, yType});
      emitBody(fn, GroupRange{});
      emitLoadCheck(*entry, fn);
      slot = fn;
      return fn;
    }
    // Several threads: `NAME_part(x, y, g0, g1)` computes the groups
    // [g0, g1); the kernel is an scf.parallel over the sub-chunks of the
    // `chunks` global (group boundaries, computed here), which dc-to-llvm
    // lowers with async-parallel-for to MLIR's async runtime. Without the
    // async passes the loop simply runs serially.
    Type indexType = b.getIndexType();
    func::FuncOp part =
        makeFunc(name + "_part", {xType, yType, indexType, indexType});
    {
      Block *pb = &part.getBody().front();
      emitBody(part, GroupRange{pb->getArgument(2), pb->getArgument(3),
                                /*isStatic=*/false});
    }
    if (entry->chunks.empty()) {
      OpBuilder gb(module.getBodyRegion());
      gb.setInsertionPointToStart(module.getBody());
      entry->chunks = entry->prefix + "_chunks";
      auto type = MemRefType::get({int64_t(chunks.size())}, b.getI32Type());
      auto attr = DenseElementsAttr::getFromRawBuffer(
          RankedTensorType::get({int64_t(chunks.size())}, b.getI32Type()),
          ArrayRef<char>((const char *)chunks.data(), chunks.size() * 4));
      memref::GlobalOp::create(gb, loc, gb.getStringAttr(entry->chunks),
                               gb.getStringAttr("private"),
                               TypeAttr::get(type), attr, gb.getUnitAttr(),
                               gb.getI64IntegerAttr(64));
      entry->numChunks = int64_t(chunks.size()) - 1;
    }
    func::FuncOp fn = makeFunc(name, {xType, yType});
    {
      OpBuilder::InsertionGuard guard(b);
      Block *body = &fn.getBody().front();
      b.setInsertionPointToStart(body);
      Value x = body->getArgument(0), y = body->getArgument(1);
      int64_t numChunks = entry->numChunks;
      Value table = memref::GetGlobalOp::create(
          b, loc, MemRefType::get({numChunks + 1}, b.getI32Type()),
          entry->chunks);
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
              return arith::IndexCastUIOp::create(nb, l, nb.getIndexType(),
                                                  v)
                  .getResult();
            };
            func::CallOp::create(nb, l, part,
                                 ValueRange{x, y, load(i), load(i1)});
            scf::ReduceOp::create(nb, l);
          });
      func::ReturnOp::create(b, loc);
    }
    // Decode once before the parallel loop, never inside a task.
    emitLoadCheck(*entry, fn);
    slot = fn;
    return fn;
  }

  /// Sub-chunk boundaries (group indices, nondecreasing, from 0 to
  /// numGroups) for `threads` > 1, or empty for one thread (threads <= 1,
  /// or a kernel too small to be worth the tasks: words x column vectors
  /// below parallel-min-words). There are kSubChunks per thread, each with
  /// about the same number of words (the layout is sorted by entry count,
  /// so equal group counts would not balance). Why so many: dc-to-llvm's
  /// async-parallel-for cuts an scf.parallel of I iterations into blocks of
  /// max(ceil(I / (8 x threads)), min-task-size = 1000) consecutive
  /// iterations; with I = 1000 x threads that is exactly `threads` blocks,
  /// and any other contiguous split of equal-word sub-chunks still balances.
  static constexpr int64_t kSubChunks = 1000;
  std::vector<int32_t> chunkBounds(const ExecLayout &L, int64_t n) {
    int64_t numGroups = L.numGroups();
    uint64_t totalWords = L.offsets.empty() ? 0 : uint64_t(L.offsets.back());
    uint64_t colVectors =
        n == 0 ? 1 : uint64_t((n + target.vw - 1) / target.vw);
    if (threads <= 1 || numGroups < 2 ||
        totalWords * colVectors < uint64_t(parallelMinWords))
      return {};
    int64_t numChunks = int64_t(std::min<unsigned>(threads, 256)) * kSubChunks;
    std::vector<int32_t> bounds(numChunks + 1);
    bounds[0] = 0;
    for (int64_t c = 1; c < numChunks; ++c) {
      uint64_t goal = totalWords * uint64_t(c) / uint64_t(numChunks);
      // First group boundary at or past the goal, or the one before it if
      // that is closer.
      auto it = std::lower_bound(L.offsets.begin(), L.offsets.end(),
                                 int64_t(goal),
                                 [](int32_t o, int64_t v) { return o < v; });
      int64_t g = std::min<int64_t>(it - L.offsets.begin(), numGroups);
      if (g > 0 &&
          goal - uint64_t(L.offsets[g - 1]) < uint64_t(L.offsets[g]) - goal)
        --g;
      bounds[c] = int32_t(std::max<int64_t>(g, bounds[c - 1]));
    }
    bounds[numChunks] = int32_t(numGroups);
    return bounds;
  }

  /// Replaces `op` with dc.decompress + dense linalg.
  void lowerDense(Operation *op, Value w, Value input, bool transposeW) {
    OpBuilder b(op);
    Location loc = op->getLoc();
    auto resultType = cast<RankedTensorType>(op->getResult(0).getType());
    auto wTensor = cast<dc::CompressedType>(w.getType()).getTensorType();
    Value dense = dc::DecompressOp::create(b, loc, wTensor, w);
    Value zero = arith::ConstantFloatOp::create(b, loc, b.getF32Type(),
                                                APFloat(0.0f));
    Value empty = tensor::EmptyOp::create(b, loc, resultType.getShape(),
                                          b.getF32Type());
    Value init =
        linalg::FillOp::create(b, loc, ValueRange{zero}, ValueRange{empty})
            ->getResult(0);
    Value result;
    if (isa<dc::MatvecOp>(op)) {
      if (transposeW)
        result = linalg::VecmatOp::create(b, loc, TypeRange{resultType},
                                          ValueRange{input, dense},
                                          ValueRange{init})
                     ->getResult(0);
      else
        result = linalg::MatvecOp::create(b, loc, TypeRange{resultType},
                                          ValueRange{dense, input},
                                          ValueRange{init})
                     ->getResult(0);
    } else {
      if (transposeW) {
        Value tInit = tensor::EmptyOp::create(
            b, loc, {wTensor.getDimSize(1), wTensor.getDimSize(0)},
            b.getF32Type());
        dense = linalg::TransposeOp::create(b, loc, dense, tInit,
                                            b.getDenseI64ArrayAttr({1, 0}))
                    ->getResult(0);
      }
      result = linalg::MatmulOp::create(b, loc, TypeRange{resultType},
                                        ValueRange{dense, input},
                                        ValueRange{init})
                   ->getResult(0);
    }
    op->getResult(0).replaceAllUsesWith(result);
    op->erase();
  }

  void runOnOperation() override {
    module = getOperation();
    layouts.clear();
    kernels.clear();
    target = resolveTarget(targetCpu, vectorWidth);
    SmallVector<Operation *> ops;
    module.walk([&](Operation *op) {
      if (isa<dc::MatvecOp, dc::MatmulOp>(op))
        ops.push_back(op);
    });
    for (Operation *op : ops) {
      Value w = op->getOperand(0), input = op->getOperand(1);
      bool transposeW = op->hasAttr("transpose_w");
      auto constant = w.getDefiningOp<dc::ConstantOp>();
      auto inType = cast<RankedTensorType>(input.getType());
      auto resultType = cast<RankedTensorType>(op->getResult(0).getType());
      bool isMatmul = isa<dc::MatmulOp>(op);
      if (!constant || !inType.hasStaticShape()) {
        lowerDense(op, w, input, transposeW);
        continue;
      }
      int64_t n = isMatmul ? inType.getDimSize(1) : 0;
      LayoutEntry *entry = getLayout(constant, transposeW, op);
      if (!entry) {
        // Errors in the payload are reported by getView / decodeEntries.
        lowerDense(op, w, input, transposeW);
        continue;
      }
      const ExecLayout &L = entry->layout;
      double density =
          (L.m * L.k) != 0 ? double(L.nonzeros) / double(L.m * L.k) : 0.0;
      if (isMatmul && n >= int64_t(target.vw) && density >= denseDensity) {
        lowerDense(op, w, input, transposeW);
        continue;
      }
      func::FuncOp kernel = getKernel(entry, n);
      OpBuilder b(op);
      Location loc = op->getLoc();
      MLIRContext *ctx = op->getContext();
      int64_t dyn = ShapedType::kDynamic;
      auto kernelType = kernel.getFunctionType();
      SmallVector<int64_t> dynStrides(inType.getRank(), dyn);
      auto anyLayout = MemRefType::get(
          inType.getShape(), inType.getElementType(),
          StridedLayoutAttr::get(ctx, dyn, dynStrides));
      Value xBuf = bufferization::ToBufferOp::create(b, loc, anyLayout, input,
                                                     /*read_only=*/true);
      xBuf = memref::CastOp::create(b, loc, kernelType.getInput(0), xBuf);
      auto yType = cast<MemRefType>(kernelType.getInput(1));
      Value yBuf = memref::AllocOp::create(b, loc, yType, ValueRange{},
                                           b.getI64IntegerAttr(64));
      func::CallOp::create(b, loc, kernel, ValueRange{xBuf, yBuf});
      Value result = bufferization::ToTensorOp::create(
          b, loc, resultType, yBuf, /*restrict=*/true, /*writable=*/true);
      op->getResult(0).replaceAllUsesWith(result);
      op->erase();
    }
    // Compressed constants used only by the lowered ops are dead now.
    SmallVector<dc::ConstantOp> dead;
    module.walk([&](dc::ConstantOp c) {
      if (c->use_empty())
        dead.push_back(c);
    });
    for (dc::ConstantOp c : dead)
      c->erase();
  }
};

} // namespace
