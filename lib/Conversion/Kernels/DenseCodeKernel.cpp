//===- DenseCodeKernel.cpp - kernels on a dense grid of codebook indices --===//
//
// See DenseCodeKernel.h for the layout and the kernels.
//
//===----------------------------------------------------------------------===//

#include "DenseCodeKernel.h"
#include "KernelEpilogue.h"
#include "HuffmanWordsLoader.h"

#include "dc/Conversion/DecodeEmitter.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"

#include <algorithm>

using namespace mlir;
using namespace dc::kernels;

uint64_t DenseCodeLayout::objectBytes() const {
  uint64_t data =
      huffman ? codeBytes.size() + dc::kStreamPadding + huffmanTableBytes
              : wordsBytes();
  return data + table.size() * 4;
}

LogicalResult dc::kernels::buildDenseCodeLayout(
    const RowLists &rl, int64_t m, int64_t k, unsigned b, ArrayRef<float> table,
    unsigned vw, bool huffman, DenseCodeLayout &L, std::string &err,
    bool ans) {
  if (b < 1 || b > 16 || vw < 1) {
    err = "dense-code layout: unsupported bits or vector width";
    return failure();
  }
  L.m = m;
  L.k = k;
  L.b = b;
  L.vw = vw;
  L.p = 32 / b;
  int64_t s = L.stripWidth();
  L.strips = (k + s - 1) / s;
  L.nonzeros = rl.cols.size();
  L.table.assign(table.begin(), table.end());
  uint64_t numWords = uint64_t(m) * uint64_t(L.strips) * vw;
  if (numWords > uint64_t(INT32_MAX)) {
    err = "dense-code layout too large";
    return failure();
  }
  L.words.assign(std::max<uint64_t>(numWords, 1), 0);
  for (int64_t i = 0; i < m; ++i)
    for (uint64_t e = rl.start[i]; e < rl.start[i + 1]; ++e) {
      int64_t c = rl.cols[e];
      int64_t strip = c / s, inStrip = c % s;
      int64_t field = inStrip / vw, lane = inStrip % vw;
      L.words[(uint64_t(i) * L.strips + strip) * vw + lane] |=
          uint32_t(rl.vals[e]) << (field * b);
    }
  if (!huffman)
    return success();
  std::vector<uint32_t> symbols;
  symbols.reserve(L.words.size() * L.p);
  uint32_t mask = (uint32_t(1) << b) - 1;
  for (uint32_t w : L.words)
    for (unsigned f = 0; f < L.p; ++f)
      symbols.push_back((w >> (f * b)) & mask);
  if (failed(huffmanCodeStream(symbols, size_t(1) << b, L.codeLengths,
                               L.codeBytes, L.huffmanTableBytes, err, ans)))
    return failure();
  L.huffman = true;
  L.ans = ans;
  return success();
}

unsigned dc::kernels::denseMatvecRows() { return 4; }

void dc::kernels::denseMatmulTile(const Target &t, int64_t n, unsigned &rows,
                                  unsigned &colVectors) {
  // Accumulators R x U within the vector registers, leaving room for U
  // loads of X and a broadcast: 24 of 32 zmm, 12 of 16 ymm/xmm.
  unsigned budget = t.vw >= 16 ? 24 : 12;
  unsigned maxU = t.vw >= 16 ? 4 : 2;
  unsigned vecs = unsigned(std::max<int64_t>(1, (n + t.vw - 1) / t.vw));
  colVectors = std::min(maxU, vecs);
  rows = std::min(8u, budget / colVectors);
}

func::FuncOp dc::kernels::getIntrinsicDeclaration(OpBuilder &b,
                                                  StringRef intrinsic,
                                                  TypeRange args, Type result,
                                                  SharedFunctions *shared) {
  auto module =
      b.getInsertionBlock()->getParentOp()->getParentOfType<ModuleOp>();
  std::string name = "__dc_intrinsic_";
  for (char c : intrinsic)
    name.push_back(c == '.' ? '_' : c);
  std::string key = "decl " + name;
  if (shared)
    if (func::FuncOp f = shared->byKey.lookup(key))
      return f;
  auto f = module.lookupSymbol<func::FuncOp>(name);
  if (!f) {
    OpBuilder mb(module.getBodyRegion());
    mb.setInsertionPointToStart(module.getBody());
    f = func::FuncOp::create(mb, module.getLoc(), name,
                             mb.getFunctionType(args, result));
    f.setPrivate();
    f->setAttr(kIntrinsicAttr, mb.getStringAttr(intrinsic));
  }
  if (shared)
    shared->byKey[key] = f;
  return f;
}

namespace {

/// How a vector of codebook indices becomes a vector of weights.
struct Lookup {
  enum Kind { Perm512, Perm256, Gather } kind = Gather;
  SmallVector<Value> chunks; // table chunks as vector constants
  Value table;               // memref (Gather)
  func::FuncOp permute;      // intrinsic declaration (Perm*)

  Lookup(KernelBuilder &bd, const Target &t, const DenseCodeLayout &L,
         Value tableRef)
      : table(tableRef) {
    unsigned chunk = 0;
    if (hasPermuteLookup(t, L.b, L.vw)) {
      kind = L.vw == 16 ? Perm512 : Perm256;
      chunk = L.vw;
    }
    if (kind == Gather)
      return;
    // Declared here, at the function's top level: the lookups themselves
    // are emitted inside loops still being built (not yet in the module).
    auto idxType = VectorType::get({int64_t(chunk)}, bd.b.getI32Type());
    auto fType = VectorType::get({int64_t(chunk)}, bd.b.getF32Type());
    if (kind == Perm256)
      permute = getIntrinsicDeclaration(bd.b, "llvm.x86.avx2.permps",
                                        {fType, idxType}, fType, bd.shared);
    else if (L.b <= 4)
      permute = getIntrinsicDeclaration(bd.b, "llvm.x86.avx512.permvar.sf.512",
                                        {fType, idxType}, fType, bd.shared);
    else
      permute =
          getIntrinsicDeclaration(bd.b, "llvm.x86.avx512.vpermi2var.ps.512",
                                  {fType, idxType, fType}, fType, bd.shared);
    size_t entries = std::max<size_t>(L.table.size(), chunk);
    auto vt = VectorType::get({int64_t(chunk)}, bd.b.getF32Type());
    for (size_t c = 0; c < entries; c += chunk) {
      SmallVector<float> vals(chunk, 0.0f);
      for (size_t i = 0; i < chunk && c + i < L.table.size(); ++i)
        vals[i] = L.table[c + i];
      chunks.push_back(arith::ConstantOp::create(
          bd.b, bd.loc, vt, DenseElementsAttr::get(vt, ArrayRef<float>(vals))));
    }
  }

  /// Weights for the indices `idx` (vector<VW x i32>, values < 2^b).
  Value operator()(KernelBuilder &bd, Value idx) const {
    OpBuilder &b = bd.b;
    Location loc = bd.loc;
    auto idxType = cast<VectorType>(idx.getType());
    auto fType = VectorType::get(idxType.getShape(), b.getF32Type());
    auto call = [&](ValueRange args) -> Value {
      return func::CallOp::create(b, loc, permute, args).getResult(0);
    };
    // Picks hi where bit `bit` of idx is set, lo elsewhere.
    auto selectOnBit = [&](Value lo, Value hi, unsigned bit) -> Value {
      auto splat = [&](int64_t v) -> Value {
        return arith::ConstantOp::create(
            b, loc, idxType, DenseElementsAttr::get(idxType, int32_t(v)));
      };
      Value masked = arith::AndIOp::create(b, loc, idx, splat(1 << bit));
      Value set = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ne,
                                        masked, splat(0));
      return arith::SelectOp::create(b, loc, set, hi, lo);
    };
    SmallVector<Value> level;
    unsigned bit = 0;
    switch (kind) {
    case Perm512:
      if (chunks.size() == 1)
        return call({chunks[0], idx});
      // vpermi2ps: 32 entries per instruction (index bits 0..4).
      for (size_t c = 0; c + 1 < chunks.size(); c += 2)
        level.push_back(call({chunks[c], idx, chunks[c + 1]}));
      bit = 5;
      break;
    case Perm256:
      for (Value c : chunks)
        level.push_back(call({c, idx}));
      bit = 3;
      break;
    case Gather: {
      auto maskType = VectorType::get(idxType.getShape(), b.getI1Type());
      Value all = vector::ConstantMaskOp::create(
          b, loc, maskType, ArrayRef<int64_t>{idxType.getDimSize(0)});
      Value zero = arith::ConstantOp::create(
          b, loc, fType, DenseElementsAttr::get(fType, 0.0f));
      return vector::GatherOp::create(b, loc, fType, table,
                                      ValueRange{bd.idx(0)}, idx, all, zero);
    }
    }
    // A tree of selects on the index bits above the permute's range.
    for (; level.size() > 1; ++bit) {
      SmallVector<Value> next;
      for (size_t i = 0; i + 1 < level.size(); i += 2)
        next.push_back(selectOnBit(level[i], level[i + 1], bit));
      level = std::move(next);
    }
    return level[0];
  }
};

/// Calls `body(rg, row0)` for each group of `r` rows in `range`.
template <typename Fn>
void forEachRowGroup(KernelBuilder &bd, int64_t m, unsigned r,
                     const GroupRange &range, Fn body) {
  forEachGroup(bd, m, r, range, [&](unsigned rg, Value gi, int64_t) {
    body(rg, arith::MulIOp::create(bd.b, bd.loc, gi, bd.idx(r)).getResult());
  });
}

/// Field j of a lane-word vector: (codes >> j * b) & (2^b - 1).
Value fieldOf(KernelBuilder &bd, const DenseCodeLayout &L, Value codes,
              unsigned j) {
  auto type = cast<VectorType>(codes.getType());
  auto splat = [&](int64_t v) -> Value {
    return arith::ConstantOp::create(bd.b, bd.loc, type,
                                     DenseElementsAttr::get(type, int32_t(v)));
  };
  Value f = codes;
  if (j)
    f = arith::ShRUIOp::create(bd.b, bd.loc, f, splat(j * L.b));
  if ((j + 1) * L.b < 32)
    f = arith::AndIOp::create(bd.b, bd.loc, f, splat((1 << L.b) - 1));
  return f;
}

/// Valid lanes of field j of strip `strip` (columns past K are not read).
int64_t validLanes(const DenseCodeLayout &L, int64_t strip, unsigned j) {
  int64_t c0 = strip * L.stripWidth() + int64_t(j) * L.vw;
  return std::clamp<int64_t>(L.k - c0, 0, L.vw);
}

} // namespace

void dc::kernels::emitDenseMatvecBody(KernelBuilder &bd, const Target &t,
                                      const DenseCodeLayout &L,
                                      const GroupRange &range, Value x, Value y,
                                      Value words, Value table) {
  OpBuilder &b = bd.b;
  Location loc = bd.loc;
  auto fType = VectorType::get({int64_t(L.vw)}, b.getF32Type());
  auto iType = VectorType::get({int64_t(L.vw)}, b.getI32Type());
  auto maskType = VectorType::get({int64_t(L.vw)}, b.getI1Type());
  Lookup lookup(bd, t, L, table);
  Value zeroVec = arith::ConstantOp::create(
      b, loc, fType, DenseElementsAttr::get(fType, 0.0f));
  int64_t s = L.stripWidth();
  int64_t fullStrips = L.k / s;
  bool partial = L.k % s != 0;
  int64_t rowWords = L.strips * L.vw;

  forEachRowGroup(
      bd, L.m, denseMatvecRows(), range, [&](unsigned rg, Value row0) {
        SmallVector<Value> base(rg);
        for (unsigned q = 0; q < rg; ++q) {
          Value row = arith::AddIOp::create(b, loc, row0, bd.idx(q));
          base[q] = arith::MulIOp::create(b, loc, row, bd.idx(rowWords));
        }
        // One strip: codes of the rg rows, then per field one x vector (masked
        // past K) and per row a lookup and an FMA; 2 accumulators per row.
        auto emitStrip = [&](Value strip, int64_t staticStrip,
                             SmallVector<Value> &acc) {
          Value wOff = arith::MulIOp::create(b, loc, strip, bd.idx(L.vw));
          SmallVector<Value> codes(rg);
          for (unsigned q = 0; q < rg; ++q) {
            Value at = arith::AddIOp::create(b, loc, base[q], wOff);
            codes[q] = vector::LoadOp::create(b, loc, iType, words, at);
          }
          Value col0 = arith::MulIOp::create(b, loc, strip, bd.idx(s));
          for (unsigned j = 0; j < L.p; ++j) {
            int64_t lanes =
                staticStrip < 0 ? L.vw : validLanes(L, staticStrip, j);
            if (lanes == 0)
              continue;
            Value col = arith::AddIOp::create(b, loc, col0, bd.idx(j * L.vw));
            Value xv;
            if (lanes < int64_t(L.vw))
              xv = vector::MaskedLoadOp::create(
                  b, loc, fType, x, ValueRange{col},
                  vector::ConstantMaskOp::create(b, loc, maskType,
                                                 ArrayRef<int64_t>{lanes}),
                  zeroVec);
            else
              xv = vector::LoadOp::create(b, loc, fType, x, ValueRange{col});
            for (unsigned q = 0; q < rg; ++q) {
              Value w = lookup(bd, fieldOf(bd, L, codes[q], j));
              Value &a = acc[2 * q + j % 2];
              a = vector::FMAOp::create(b, loc, w, xv, a);
            }
          }
        };
        SmallVector<Value> acc(2 * rg, zeroVec);
        if (fullStrips > 0) {
          auto loop = scf::ForOp::create(
              b, loc, bd.idx(0), bd.idx(fullStrips), bd.idx(1), acc,
              [&](OpBuilder &, Location, Value strip, ValueRange args) {
                SmallVector<Value> a(args.begin(), args.end());
                emitStrip(strip, -1, a);
                scf::YieldOp::create(b, loc, a);
              });
          acc.assign(loop.getResults().begin(), loop.getResults().end());
        }
        if (partial)
          emitStrip(bd.idx(fullStrips), fullStrips, acc);
        for (unsigned q = 0; q < rg; ++q) {
          Value v = arith::AddFOp::create(b, loc, acc[2 * q], acc[2 * q + 1]);
          Value sum = vector::ReductionOp::create(
              b, loc, vector::CombiningKind::ADD, v);
          Value row = arith::AddIOp::create(b, loc, row0, bd.idx(q));
          if (bd.epilogue)
            sum = bd.epilogue->atRow(bd, sum, row);
          memref::StoreOp::create(b, loc, sum, y, row);
        }
      });
}

void dc::kernels::emitDenseMatmulBody(KernelBuilder &bd, const Target &t,
                                      const DenseCodeLayout &L,
                                      const GroupRange &range, int64_t n,
                                      Value x, Value y, Value words,
                                      Value table) {
  OpBuilder &b = bd.b;
  Location loc = bd.loc;
  unsigned r, u;
  denseMatmulTile(t, n, r, u);
  unsigned vw = L.vw;
  auto fType = VectorType::get({int64_t(vw)}, b.getF32Type());
  auto iType = VectorType::get({int64_t(vw)}, b.getI32Type());
  auto maskType = VectorType::get({int64_t(vw)}, b.getI1Type());
  Lookup lookup(bd, t, L, table);
  Value zeroVec = arith::ConstantOp::create(
      b, loc, fType, DenseElementsAttr::get(fType, 0.0f));
  int64_t s = L.stripWidth();
  int64_t fullStrips = L.k / s;
  int64_t rowWords = L.strips * vw;
  // The decoded strip of the group's rows: R x S f32 on the stack.
  Value tile = memref::AllocaOp::create(
      b, loc, MemRefType::get({int64_t(r), s}, b.getF32Type()), ValueRange{},
      b.getI64IntegerAttr(64));

  forEachRowGroup(bd, L.m, r, range, [&](unsigned rg, Value row0) {
    SmallVector<Value> base(rg);
    for (unsigned q = 0; q < rg; ++q) {
      Value row = arith::AddIOp::create(b, loc, row0, bd.idx(q));
      base[q] = arith::MulIOp::create(b, loc, row, bd.idx(rowWords));
    }
    // Columns [n0, n0 + sum(lens)) of Y for the group's rows.
    auto emitBlock = [&](Value n0, ArrayRef<int64_t> lens) {
      unsigned nu = lens.size();
      SmallVector<Value> masks(nu), cols(nu);
      for (unsigned c = 0; c < nu; ++c) {
        if (lens[c] < int64_t(vw))
          masks[c] = vector::ConstantMaskOp::create(b, loc, maskType,
                                                    ArrayRef<int64_t>{lens[c]});
        cols[c] = arith::AddIOp::create(b, loc, n0, bd.idx(c * vw));
      }
      // Decodes the strip, then runs the register tile over its `kLen`
      // columns.
      auto emitStrip = [&](Value strip, Value kLen, ValueRange accIn) {
        Value wOff = arith::MulIOp::create(b, loc, strip, bd.idx(vw));
        for (unsigned q = 0; q < rg; ++q) {
          Value at = arith::AddIOp::create(b, loc, base[q], wOff);
          Value codes = vector::LoadOp::create(b, loc, iType, words, at);
          for (unsigned j = 0; j < L.p; ++j)
            vector::StoreOp::create(b, loc,
                                    lookup(bd, fieldOf(bd, L, codes, j)), tile,
                                    ValueRange{bd.idx(q), bd.idx(j * vw)});
        }
        Value k0 = arith::MulIOp::create(b, loc, strip, bd.idx(s));
        auto loop = scf::ForOp::create(
            b, loc, bd.idx(0), kLen, bd.idx(1), accIn,
            [&](OpBuilder &, Location, Value kk, ValueRange args) {
              SmallVector<Value> acc(args.begin(), args.end());
              Value kRow = arith::AddIOp::create(b, loc, k0, kk);
              SmallVector<Value> xv(nu);
              for (unsigned c = 0; c < nu; ++c)
                xv[c] = masks[c]
                            ? vector::MaskedLoadOp::create(
                                  b, loc, fType, x, ValueRange{kRow, cols[c]},
                                  masks[c], zeroVec)
                                  .getResult()
                            : vector::LoadOp::create(b, loc, fType, x,
                                                     ValueRange{kRow, cols[c]})
                                  .getResult();
              for (unsigned q = 0; q < rg; ++q) {
                Value w = memref::LoadOp::create(b, loc, tile,
                                                 ValueRange{bd.idx(q), kk});
                Value wb = vector::BroadcastOp::create(b, loc, fType, w);
                for (unsigned c = 0; c < nu; ++c) {
                  Value &a = acc[q * nu + c];
                  a = vector::FMAOp::create(b, loc, wb, xv[c], a);
                }
              }
              scf::YieldOp::create(b, loc, acc);
            });
        return SmallVector<Value>(loop.getResults());
      };
      SmallVector<Value> acc(rg * nu, zeroVec);
      if (fullStrips > 0) {
        auto loop = scf::ForOp::create(
            b, loc, bd.idx(0), bd.idx(fullStrips), bd.idx(1), acc,
            [&](OpBuilder &, Location, Value strip, ValueRange args) {
              scf::YieldOp::create(b, loc, emitStrip(strip, bd.idx(s), args));
            });
        acc.assign(loop.getResults().begin(), loop.getResults().end());
      }
      if (L.k % s)
        acc = emitStrip(bd.idx(fullStrips), bd.idx(L.k % s), acc);
      for (unsigned q = 0; q < rg; ++q) {
        Value row = arith::AddIOp::create(b, loc, row0, bd.idx(q));
        for (unsigned c = 0; c < nu; ++c) {
          storeRowVector(bd, acc[q * nu + c], y, row, cols[c], masks[c]);
        }
      }
    };
    forEachColumnBlock(bd, n, vw, u, emitBlock);
  });
}

//===----------------------------------------------------------------------===//
// The dense-code layout behind KernelLayout
//===----------------------------------------------------------------------===//

namespace {
constexpr double kDenseFieldCycles = 1.5;
constexpr double kDenseFmaCycles = 0.45;
} // namespace

double dc::kernels::denseCodeCycles(int64_t m, int64_t k, unsigned b,
                                    int64_t n, const Target &t) {
  unsigned vw = t.vw;
  bool permute = hasPermuteLookup(t, b, vw);
  // Decoding one lane vector: load share, shift, mask, lookup (a permute,
  // or a gather at ~1 cycle per lane).
  double decodeVector = kDenseFieldCycles + (permute ? 1.0 : double(vw));
  int64_t strip = denseStripWidth(b, vw);
  double kPad = double((k + strip - 1) / strip * strip);
  if (n == 0) {
    unsigned r = denseMatvecRows();
    double mPad = double((m + r - 1) / r * r);
    return mPad * kPad / vw * decodeVector;
  }
  unsigned r, u;
  denseMatmulTile(t, n, r, u);
  double vecs = double((n + vw - 1) / vw);
  double blocks = double((n + int64_t(vw) * u - 1) / (int64_t(vw) * u));
  double mPad = double((m + r - 1) / r * r);
  // FMAs over the K real columns; the strips are decoded again for every
  // block of U column vectors.
  return mPad * double(k) * vecs * kDenseFmaCycles +
         mPad * kPad / vw * decodeVector * blocks;
}

namespace {
class DenseCodeKernelLayout final : public KernelLayout {
public:
  DenseCodeLayout D;
  uint64_t bytesPQ = 0, bytesPQH = 0;
  std::string wordsName, tableName;
  HuffmanWordsLoader loader;
  bool emitted = false;

  LayoutKind kind() const override { return LayoutKind::DenseCode; }
  uint64_t objectBytes() const override { return D.objectBytes(); }
  uint64_t runtimeBytes() const override {
    return D.wordsBytes() + D.table.size() * 4;
  }
  double estimatedCycles(int64_t n, const Target &t) const override {
    return denseCodeCycles(D.m, D.k, D.b, n, t);
  }
  std::vector<int64_t> groupCosts(int64_t n, const Target &t) const override {
    unsigned r = denseMatvecRows(), u = 0;
    if (n > 0)
      denseMatmulTile(t, n, r, u);
    int64_t groups = (D.m + r - 1) / r;
    std::vector<int64_t> cum(groups + 1);
    for (int64_t g = 0; g <= groups; ++g)
      cum[g] = std::min<int64_t>(g * r, D.m) * D.strips;
    return cum;
  }
  LogicalResult emitGlobals(ModuleOp module, Location loc, StringRef prefix,
                            SharedFunctions &shared,
                            std::string &err) override {
    if (emitted)
      return success();
    emitted = true;
    OpBuilder b(module.getContext());
    std::string densePrefix = (prefix + "_dense").str();
    if (D.huffman) {
      CodedStream streams[] = {
          {"code", &D.codeBytes, &D.codeLengths, 0, D.ans}};
      if (failed(emitHuffmanWordsLoader(module, loc, densePrefix, 32,
                                        int64_t(D.words.size()), D.p, D.b,
                                        streams, shared, loader, err)))
        return failure();
      wordsName = loader.words;
    } else {
      wordsName = (prefix + "_dense_words").str();
      addConstantGlobal(module, loc, wordsName, b.getI32Type(),
                        rawBytes(D.words), D.words.size());
    }
    tableName = (prefix + "_dense_table").str();
    addConstantGlobal(module, loc, tableName, b.getF32Type(),
                      rawBytes(D.table), D.table.size());
    return success();
  }
  func::FuncOp initializer() const override { return loader.init; }
  // Not shared: the lookups hold the codebook as vector constants.
  void emitBody(KernelBuilder &bd, const KernelCall &call,
                const GroupRange &range, Value x, Value y,
                ValueRange) override {
    OpBuilder &b = bd.b;
    Value words = memref::GetGlobalOp::create(
        b, bd.loc,
        MemRefType::get({int64_t(D.words.size())}, b.getI32Type()), wordsName);
    Value table = memref::GetGlobalOp::create(
        b, bd.loc, MemRefType::get({int64_t(D.table.size())}, b.getF32Type()),
        tableName);
    if (call.n == 0)
      emitDenseMatvecBody(bd, call.target, D, range, x, y, words, table);
    else
      emitDenseMatmulBody(bd, call.target, D, range, call.n, x, y, words,
                          table);
  }
  void printStats(llvm::raw_ostream &os) const override {
    os << " m=" << D.m << " k=" << D.k << " nonzeros=" << D.nonzeros
       << " bits=" << D.b << " lanes=" << D.vw << " per_lane_word=" << D.p
       << " object_bytes=" << D.objectBytes()
       << " runtime_bytes=" << runtimeBytes() << " bytes_pq=" << bytesPQ
       << " bytes_pqh=" << bytesPQH;
  }
};
} // namespace

std::unique_ptr<KernelLayout>
dc::kernels::makeDenseCodeLayout(const LayoutSource &src, const Target &t,
                                 std::string &err) {
  auto layout = std::make_unique<DenseCodeKernelLayout>();
  if (failed(buildDenseCodeLayout(src.rows, src.m, src.k, src.b, src.table,
                                  t.vw, src.huffman, layout->D, err,
                                  src.ans)))
    return nullptr;
  layout->bytesPQ = src.bytesPQ;
  layout->bytesPQH = src.bytesPQH;
  return layout;
}
