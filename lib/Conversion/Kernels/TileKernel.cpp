//===- TileKernel.cpp - the laggard-window tile layout and kernel ---------===//
//
// See TileKernel.h (and dc/Core/TileLayout.h for the format).
//
//===----------------------------------------------------------------------===//

#include "TileKernel.h"
#include "KernelEpilogue.h"

#include "DenseCodeKernel.h" // getIntrinsicDeclaration
#include "SparseLayout.h"

#include "dc/Conversion/DecodeEmitter.h"
#include "dc/Core/TileLayout.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"

using namespace mlir;
using namespace dc::kernels;
using dc::TileExpandLayout;
using dc::TileLayout;

namespace {

constexpr int64_t kLanes = TileLayout::kLanes;
constexpr int64_t kWindow = TileLayout::kWindow;
/// Software prefetch distance of the lane words: 2 KiB (pftest.c of the
/// prototype: best on 2 MiB pages, about neutral on 4 KiB ones).
constexpr int64_t kPrefetchWords = 2048 / 4;
/// Cycles per tile of the kernel when its data is in cache (prototype
/// ablate.c: 8.4 cycles per tile on Zen 4).
constexpr double kTileCycles = 8.4;
/// The vpexpandw variant: 157 us warm over 73k tiles of two steps on fc7 9%
/// (RESULTS.md), 7.7 cycles per tile.
constexpr double kExpandTileCycles = 7.7;
/// Widest dc.matmul the tile kernels serve: the x windows of 8 columns take
/// 16 of the 32 zmm registers (bench/tile_batch.sh measured the batch
/// variant 1.6-2x faster than the sparse layout's kernel at 2..8 columns).
constexpr int64_t kMaxTileBatch = 8;
constexpr int64_t kHugePage = 2 << 20;
constexpr int32_t kMadvHugepage = 14; // MADV_HUGEPAGE (Linux)

class TileKernelLayout final : public KernelLayout {
public:
  bool expand = false;   // the vpexpandw variant (else S = 3)
  TileLayout T;          // S = 3, built here: tile counts, bytes, cost
  TileExpandLayout X;    // the vpexpandw variant
  ExecLayout compact;    // what the object carries (r = 1, row order)
  ExecLayoutGlobals cg;  // its globals
  std::vector<float> table;
  std::string stripsName, stripFieldsName, wordsName, startsName, masksName;
  func::FuncOp init;
  bool emitted = false;
  uint64_t bytesPQ = 0, bytesPQH = 0;

  const std::vector<int32_t> &stripOffsets() const {
    return expand ? X.stripOffsets : T.stripOffsets;
  }
  uint64_t numTiles() const { return expand ? X.numTiles() : T.numTiles(); }
  int64_t numStrips() const { return T.numStrips(); }
  /// Elements of the lane-word (S = 3: i32) or field (expand: i16) buffer,
  /// padded for the prefetch and the 32-field expand load; from 1 MiB on,
  /// rounded up to whole 2 MiB pages (aligned to 2 MiB in emitGlobals), so
  /// that transparent huge pages can back all of it.
  int64_t wordsSize() const {
    int64_t n = expand ? int64_t(X.fields.size()) + 32 + 2 * kPrefetchWords
                       : int64_t(T.words.size()) + kPrefetchWords;
    int64_t bytes = n * wordBytes();
    if (bytes >= kHugePage / 2)
      n = (bytes + kHugePage - 1) / kHugePage * kHugePage / wordBytes();
    return n;
  }
  int64_t wordBytes() const { return expand ? 2 : 4; }
  int64_t startsSize() const {
    return std::max<int64_t>(int64_t(numTiles()), 1);
  }
  static double cycles(uint64_t tiles, double perTile, uint64_t bytes) {
    // Compute-bound in cache, bandwidth-bound cold: the larger of both.
    return std::max(double(tiles) * perTile,
                    double(bytes) / kMemoryBytesPerCycle);
  }
  double cyclesS3() const {
    return cycles(T.numTiles(), kTileCycles, T.runtimeBytes());
  }
  double cyclesExpand() const {
    return cycles(X.numTiles(), kExpandTileCycles, X.runtimeBytes());
  }

  LayoutKind kind() const override { return LayoutKind::Tiles; }
  uint64_t objectBytes() const override {
    return compact.objectBytes() +
           (stripOffsets().size() + (expand ? X.stripFields.size() : 0)) * 4;
  }
  uint64_t runtimeBytes() const override {
    return expand ? X.runtimeBytes() : T.runtimeBytes();
  }
  double estimatedCycles(int64_t n, const Target &) const override {
    if (n <= 0)
      return expand ? cyclesExpand() : cyclesS3();
    // Batch n: a tile's codebook lookups are shared by the columns, its x
    // lookups and FMAs are per column (steps * (1 + n) permutes against
    // 2 * steps at batch 1); plus the transposed copy of x and the
    // scattered stores of y, about a cycle per element.
    double perTile =
        (expand ? kExpandTileCycles : kTileCycles) * double(1 + n) / 2;
    return cycles(numTiles(), perTile, runtimeBytes()) +
           double(n) * double(T.k + T.m);
  }
  bool readsTransposedX(int64_t n) const override { return n > 0; }
  std::vector<int64_t> groupCosts(int64_t, const Target &) const override {
    return std::vector<int64_t>(stripOffsets().begin(), stripOffsets().end());
  }
  LogicalResult emitGlobals(ModuleOp module, Location loc, StringRef prefix,
                            SharedFunctions &shared, std::string &err) override;
  func::FuncOp initializer() const override { return init; }
  /// The kernels and the load-time builder depend on the shape, the
  /// variant and the widths; the tiles (any count), strip offsets and the
  /// codebook are data.
  std::string kernelKey(const KernelCall &call) const override {
    std::string key;
    llvm::raw_string_ostream os(key);
    os << "tiles " << (expand ? "expand" : "s3") << " m" << T.m << " k" << T.k
       << " b" << compact.b << " n" << call.n << " strips"
       << stripOffsets().size() << " fields" << X.stripFields.size()
       << " table" << table.size();
    return key;
  }
  SmallVector<Type> dataTypes(MLIRContext *ctx) const override;
  SmallVector<Value> getData(OpBuilder &b, Location loc) const override;
  void emitBody(KernelBuilder &bd, const KernelCall &call,
                const GroupRange &range, Value x, Value y,
                ValueRange data) override;
  void printStats(llvm::raw_ostream &os) const override {
    os << " m=" << T.m << " k=" << T.k << " nonzeros=" << T.nonzeros
       << " variant=" << (expand ? "expand" : "s3") << " tiles=" << numTiles()
       << " strips=" << numStrips() << " bits=" << compact.b
       << " object_bytes=" << objectBytes()
       << " runtime_bytes=" << runtimeBytes() << " bytes_pq=" << bytesPQ
       << " bytes_pqh=" << bytesPQH;
  }

private:
  /// The builder's data: compact words and offsets, strip offsets, tile
  /// words and starts[, masks and strip fields] (shared builders take
  /// them as arguments).
  SmallVector<Type> builderTypes(MLIRContext *ctx) const;
  SmallVector<Value> getBuilderData(OpBuilder &b, Location loc) const;
  void emitBuilder(OpBuilder &b, Location loc, ModuleOp module,
                   ValueRange data, SharedFunctions &shared);
  MemRefType dynamicType(Type elt) const {
    return MemRefType::get({ShapedType::kDynamic}, elt);
  }
  MemRefType staticType(int64_t size, Type elt) const {
    return MemRefType::get({size}, elt);
  }
};

Value cIdx(OpBuilder &b, Location loc, int64_t v) {
  return arith::ConstantIndexOp::create(b, loc, v);
}
Value cInt(OpBuilder &b, Location loc, Type t, int64_t v) {
  return arith::ConstantIntOp::create(b, loc, t, v);
}
Value getGlobalNamed(OpBuilder &b, Location loc, StringRef name, int64_t size,
                     Type elt) {
  return memref::GetGlobalOp::create(b, loc, MemRefType::get({size}, elt),
                                     name);
}

} // namespace

SmallVector<Type> TileKernelLayout::dataTypes(MLIRContext *ctx) const {
  Builder b(ctx);
  SmallVector<Type> types{
      dynamicType(expand ? Type(b.getI16Type()) : Type(b.getI32Type())),
      dynamicType(b.getI16Type()),
      staticType(stripOffsets().size(), b.getI32Type())};
  if (expand)
    types.append({dynamicType(b.getI32Type()),
                  staticType(X.stripFields.size(), b.getI32Type())});
  types.push_back(staticType(table.size(), b.getF32Type()));
  return types;
}

SmallVector<Value> TileKernelLayout::getData(OpBuilder &b,
                                             Location loc) const {
  Type i32 = b.getI32Type(), i16 = b.getI16Type();
  Type wordType = expand ? i16 : i32;
  auto dynamic = [&](Value v, Type elt) -> Value {
    return memref::CastOp::create(b, loc, dynamicType(elt), v);
  };
  SmallVector<Value> data{
      dynamic(getGlobalNamed(b, loc, wordsName, wordsSize(), wordType),
              wordType),
      dynamic(getGlobalNamed(b, loc, startsName, startsSize(), i16), i16),
      getGlobalNamed(b, loc, stripsName, stripOffsets().size(), i32)};
  if (expand)
    data.append(
        {dynamic(getGlobalNamed(b, loc, masksName, startsSize(), i32), i32),
         getGlobalNamed(b, loc, stripFieldsName, X.stripFields.size(), i32)});
  data.push_back(
      getGlobalNamed(b, loc, cg.table, table.size(), b.getF32Type()));
  return data;
}

SmallVector<Type> TileKernelLayout::builderTypes(MLIRContext *ctx) const {
  Builder b(ctx);
  Type i32 = b.getI32Type(), i16 = b.getI16Type();
  SmallVector<Type> types{dynamicType(b.getI64Type()),
                          staticType(compact.offsets.size(), i32),
                          staticType(stripOffsets().size(), i32),
                          dynamicType(expand ? i16 : i32), dynamicType(i16)};
  if (expand)
    types.append(
        {dynamicType(i32), staticType(X.stripFields.size(), i32)});
  return types;
}

SmallVector<Value> TileKernelLayout::getBuilderData(OpBuilder &b,
                                                    Location loc) const {
  Type i64 = b.getI64Type(), i32 = b.getI32Type(), i16 = b.getI16Type();
  Type wordType = expand ? i16 : i32;
  auto dynamic = [&](Value v, Type elt) -> Value {
    return memref::CastOp::create(b, loc, dynamicType(elt), v);
  };
  SmallVector<Value> data{
      dynamic(getGlobalNamed(b, loc, cg.words, compact.words.size(), i64), i64),
      getGlobalNamed(b, loc, cg.offsets, compact.offsets.size(), i32),
      getGlobalNamed(b, loc, stripsName, stripOffsets().size(), i32),
      dynamic(getGlobalNamed(b, loc, wordsName, wordsSize(), wordType),
              wordType),
      dynamic(getGlobalNamed(b, loc, startsName, startsSize(), i16), i16)};
  if (expand)
    data.append(
        {dynamic(getGlobalNamed(b, loc, masksName, startsSize(), i32), i32),
         getGlobalNamed(b, loc, stripFieldsName, X.stripFields.size(), i32)});
  return data;
}

LogicalResult TileKernelLayout::emitGlobals(ModuleOp module, Location loc,
                                            StringRef prefix,
                                            SharedFunctions &shared,
                                            std::string &err) {
  if (emitted)
    return success();
  emitted = true;
  std::string compactPrefix = (prefix + "_tc").str();
  if (failed(emitExecLayoutGlobals(module, loc, compactPrefix, compact, shared,
                                   cg, err)))
    return failure();
  OpBuilder b(module.getContext());
  stripsName = (prefix + "_tile_strips").str();
  addConstantGlobal(module, loc, stripsName, b.getI32Type(),
                    rawBytes(stripOffsets()), stripOffsets().size());
  if (expand) {
    stripFieldsName = (prefix + "_tile_strip_fields").str();
    addConstantGlobal(module, loc, stripFieldsName, b.getI32Type(),
                      rawBytes(X.stripFields), X.stripFields.size());
  }
  dc::GlobalEmitter globals(module, /*uniquePrefix=*/true);
  memref::GlobalOp words = globals.buffer(
      loc, (prefix + (expand ? "_tile_fields" : "_tile_words")).str(),
      MemRefType::get({wordsSize()},
                      expand ? Type(b.getI16Type()) : Type(b.getI32Type())));
  // Whole 2 MiB pages for large layouts (madvise below asks for huge pages).
  if (wordsSize() * wordBytes() >= kHugePage)
    words.setAlignmentAttr(b.getI64IntegerAttr(kHugePage));
  wordsName = words.getSymName().str();
  startsName = globals
                   .buffer(loc, (prefix + "_tile_starts").str(),
                           MemRefType::get({startsSize()}, b.getI16Type()))
                   .getSymName()
                   .str();
  if (expand)
    masksName = globals
                    .buffer(loc, (prefix + "_tile_masks").str(),
                            MemRefType::get({startsSize()}, b.getI32Type()))
                    .getSymName()
                    .str();
  memref::GlobalOp ready =
      globals.onceState(loc, (prefix + "_tiles_ready").str());
  auto fn = func::FuncOp::create(b, loc, (prefix + "_tiles_build").str(),
                                 b.getFunctionType({}, {}));
  fn.setPrivate();
  globals.insertFunction(fn);
  b.setInsertionPointToStart(fn.addEntryBlock());
  // This layout's globals into the builder shared by the layouts of the
  // same shape, variant and widths.
  std::string key;
  {
    llvm::raw_string_ostream os(key);
    os << "tiles_build " << (expand ? "expand" : "s3") << " m" << T.m << " k"
       << T.k << " b" << compact.b << " g" << compact.g << " offsets"
       << compact.offsets.size() << " strips" << stripOffsets().size()
       << " fields" << X.stripFields.size();
  }
  func::FuncOp builder = shared.byKey.lookup(key);
  if (!builder) {
    OpBuilder sb(module.getContext());
    builder = func::FuncOp::create(
        sb, loc, shared.newName("tiles_build"),
        sb.getFunctionType(builderTypes(module.getContext()), {}));
    builder.setPrivate();
    module.push_back(builder);
    Block *entry = builder.addEntryBlock();
    sb.setInsertionPointToStart(entry);
    emitBuilder(sb, loc, module, entry->getArguments(), shared);
    func::ReturnOp::create(sb, loc);
    shared.byKey[key] = builder;
  }
  func::CallOp::create(b, loc, builder, getBuilderData(b, loc));
  func::ReturnOp::create(b, loc);
  init = dc::emitInitializer(
      globals, loc, (prefix + "_tiles_init").str(), ready,
      [&](OpBuilder &ib, Location il) {
        // entropy = huffman: the compact words are decoded first.
        if (cg.loader.init)
          func::CallOp::create(ib, il, cg.loader.init, ValueRange{});
        func::CallOp::create(ib, il, fn, ValueRange{});
      });
  return success();
}

/// The load-time builder: the same algorithm as dc::buildTileLayout, from
/// the compact words (row r: words [offsets[r], offsets[r + 1]), fields of
/// (codebook index, column delta), index 0 = filler or padding), strip by
/// strip into the tile globals. The tile count of each strip is the
/// compiler's (`strips` global), so the loops never write past the buffers.
void TileKernelLayout::emitBuilder(OpBuilder &b, Location loc,
                                   ModuleOp module, ValueRange data,
                                   SharedFunctions &shared) {
  Type i64 = b.getI64Type(), i32 = b.getI32Type(), i16 = b.getI16Type();
  Type idx = b.getIndexType();
  const int64_t m = T.m, k = T.k, kCap = std::max<int64_t>(k, 1);
  const int64_t maxStart = k >= kWindow ? k - kWindow : 0;
  Value rw = data[0], ro = data[1], so = data[2], tw = data[3], ts = data[4];
  Value tm, sf;
  if (expand) {
    tm = data[5];
    sf = data[6];
  }
  auto toIdx = [&](OpBuilder &ob, Location l, Value v) -> Value {
    return arith::IndexCastUIOp::create(ob, l, idx, v);
  };

  // madvise(MADV_HUGEPAGE) on the whole pages of the lane words, before
  // anything writes them; the result is ignored (silent fallback).
  {
    // Looked up once per pass run (a module-wide lookup per layer would
    // make lowering N layers quadratic).
    func::FuncOp decl = shared.byKey.lookup("decl madvise");
    if (!decl)
      decl = module.lookupSymbol<func::FuncOp>("madvise");
    if (!decl) {
      OpBuilder mb(module.getBodyRegion());
      mb.setInsertionPointToEnd(module.getBody());
      decl = func::FuncOp::create(mb, loc, "madvise",
                                  mb.getFunctionType({i64, i64, i32}, {i32}));
      decl.setPrivate();
    }
    shared.byKey["decl madvise"] = decl;
    Value ptr = arith::IndexCastUIOp::create(
        b, loc, i64,
        memref::ExtractAlignedPointerAsIndexOp::create(b, loc, tw));
    Value page = cInt(b, loc, i64, 4095), notPage = cInt(b, loc, i64, ~4095);
    Value start = arith::AndIOp::create(
        b, loc, arith::AddIOp::create(b, loc, ptr, page), notPage);
    Value bytes = arith::MulIOp::create(
        b, loc,
        arith::IndexCastUIOp::create(b, loc, i64,
                                     memref::DimOp::create(b, loc, tw, 0)),
        cInt(b, loc, i64, wordBytes()));
    Value end = arith::AndIOp::create(
        b, loc, arith::AddIOp::create(b, loc, ptr, bytes), notPage);
    Value any =
        arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ugt, end, start);
    scf::IfOp::create(b, loc, any, [&](OpBuilder &ib, Location il) {
      Value len = arith::SubIOp::create(ib, il, end, start);
      func::CallOp::create(ib, il, decl,
                           ValueRange{start, len,
                                      cInt(ib, il, i32, kMadvHugepage)});
      scf::YieldOp::create(ib, il);
    });
  }

  // Scratch: the decoded entries of one strip's rows, lane l at l * stride,
  // each row closed by a sentinel column past every window (so the tile
  // loop needs no bounds checks: a finished lane keeps reading it).
  const int64_t stride = kCap + 1;
  const int64_t sentinel = k + 2 * kWindow;
  Value scols = memref::AllocOp::create(
      b, loc, MemRefType::get({kLanes * stride}, i32), b.getI64IntegerAttr(64));
  Value scodes = memref::AllocOp::create(
      b, loc, MemRefType::get({kLanes * stride}, i32), b.getI64IntegerAttr(64));

  Value c0 = cIdx(b, loc, 0), c1 = cIdx(b, loc, 1), cL = cIdx(b, loc, kLanes);
  const unsigned bits = compact.b, gbits = compact.g, e = compact.e,
                 p = compact.p;
  scf::ForOp::create(
      b, loc, c0, cIdx(b, loc, T.numStrips()), c1, ValueRange{},
      [&](OpBuilder &sb, Location sl, Value g, ValueRange) {
        // Decode the strip's rows into the scratch (branch-free: every
        // field is stored at the row's next slot, which advances only for
        // an entry, index != 0, inside K; fillers and padding are
        // overwritten).
        scf::ForOp::create(
            sb, sl, c0, cL, c1, ValueRange{},
            [&](OpBuilder &lb, Location ll, Value l, ValueRange) {
              Value r = arith::AddIOp::create(
                  lb, ll, arith::MulIOp::create(lb, ll, g, cL), l);
              // Rows past M (the last strip) decode no words.
              Value rc = arith::MinUIOp::create(lb, ll, r, cIdx(lb, ll, m));
              Value rc1 = arith::MinUIOp::create(
                  lb, ll, arith::AddIOp::create(lb, ll, r, c1),
                  cIdx(lb, ll, m));
              Value w0 = toIdx(lb, ll, memref::LoadOp::create(lb, ll, ro, rc));
              Value w1 =
                  toIdx(lb, ll, memref::LoadOp::create(lb, ll, ro, rc1));
              w1 = arith::MaxUIOp::create(lb, ll, w0, w1);
              Value base =
                  arith::MulIOp::create(lb, ll, l, cIdx(lb, ll, stride));
              auto words = scf::ForOp::create(
                  lb, ll, w0, w1, c1, ValueRange{cInt(lb, ll, i64, 0), c0},
                  [&](OpBuilder &wb, Location wl, Value w, ValueRange args) {
                    Value word = memref::LoadOp::create(wb, wl, rw, w);
                    Value col = args[0], n = args[1];
                    for (unsigned f = 0; f < p; ++f) {
                      Value fld = word;
                      if (f)
                        fld = arith::ShRUIOp::create(
                            wb, wl, word, cInt(wb, wl, i64, f * e));
                      Value v = arith::AndIOp::create(
                          wb, wl, fld,
                          cInt(wb, wl, i64, (int64_t(1) << bits) - 1));
                      Value d = arith::AndIOp::create(
                          wb, wl,
                          arith::ShRUIOp::create(wb, wl, fld,
                                                 cInt(wb, wl, i64, bits)),
                          cInt(wb, wl, i64, (int64_t(1) << gbits) - 1));
                      col = arith::AddIOp::create(wb, wl, col, d);
                      Value keep = arith::AndIOp::create(
                          wb, wl,
                          arith::AndIOp::create(
                              wb, wl,
                              arith::CmpIOp::create(
                                  wb, wl, arith::CmpIPredicate::ne, v,
                                  cInt(wb, wl, i64, 0)),
                              arith::CmpIOp::create(
                                  wb, wl, arith::CmpIPredicate::ult, col,
                                  cInt(wb, wl, i64, k))),
                          arith::CmpIOp::create(wb, wl,
                                                arith::CmpIPredicate::ult, n,
                                                cIdx(wb, wl, kCap)));
                      Value at = arith::AddIOp::create(wb, wl, base, n);
                      memref::StoreOp::create(
                          wb, wl, arith::TruncIOp::create(wb, wl, i32, col),
                          scols, at);
                      memref::StoreOp::create(
                          wb, wl, arith::TruncIOp::create(wb, wl, i32, v),
                          scodes, at);
                      n = arith::AddIOp::create(
                          wb, wl, n,
                          arith::SelectOp::create(wb, wl, keep, c1, c0));
                    }
                    scf::YieldOp::create(wb, wl, ValueRange{col, n});
                  });
              Value end = arith::AddIOp::create(lb, ll, base,
                                                words.getResult(1));
              memref::StoreOp::create(lb, ll, cInt(lb, ll, i32, sentinel),
                                      scols, end);
              scf::YieldOp::create(lb, ll);
            });
        // The tiles of the strip; the 16 lanes' next entries are carried.
        Value g1 = arith::AddIOp::create(sb, sl, g, c1);
        Value t0 = toIdx(sb, sl, memref::LoadOp::create(sb, sl, so, g));
        Value t1 = toIdx(sb, sl, memref::LoadOp::create(sb, sl, so, g1));
        // The expand variant also carries the next field slot.
        SmallVector<Value> next0(kLanes, c0);
        if (expand)
          next0.push_back(toIdx(sb, sl, memref::LoadOp::create(sb, sl, sf, g)));
        const unsigned steps = expand ? TileExpandLayout::kSteps
                                      : TileLayout::kSteps;
        scf::ForOp::create(
            sb, sl, t0, t1, c1, next0,
            [&](OpBuilder &tb, Location tl, Value t, ValueRange next) {
              auto i32c = [&](int64_t v) { return cInt(tb, tl, i32, v); };
              SmallVector<Value> at(kLanes), col(kLanes);
              // Window start: the next column of the most-behind lane.
              Value s = i32c(sentinel);
              for (int64_t l = 0; l < kLanes; ++l) {
                at[l] = arith::AddIOp::create(tb, tl, cIdx(tb, tl, l * stride),
                                              next[l]);
                col[l] = memref::LoadOp::create(tb, tl, scols, at[l]);
                s = arith::MinUIOp::create(tb, tl, s, col[l]);
              }
              s = arith::MinUIOp::create(tb, tl, s, i32c(maxStart));
              memref::StoreOp::create(
                  tb, tl, arith::TruncIOp::create(tb, tl, i16, s), ts, t);
              Value end = arith::AddIOp::create(tb, tl, s, i32c(kWindow));
              Value wbase = arith::MulIOp::create(tb, tl, t, cL);
              Value ep = expand ? next[kLanes] : Value();
              Value mask = i32c(0);
              SmallVector<Value> yield;
              for (int64_t l = 0; l < kLanes; ++l) {
                Value q = next[l], word = i32c(0), a = at[l], c = col[l];
                for (unsigned j = 0; j < steps; ++j) {
                  if (j) {
                    a = arith::AddIOp::create(tb, tl, cIdx(tb, tl, l * stride),
                                              q);
                    c = memref::LoadOp::create(tb, tl, scols, a);
                  }
                  Value code = memref::LoadOp::create(tb, tl, scodes, a);
                  Value take = arith::CmpIOp::create(
                      tb, tl, arith::CmpIPredicate::ult, c, end);
                  Value fld = arith::OrIOp::create(
                      tb, tl, arith::SubIOp::create(tb, tl, c, s),
                      arith::ShLIOp::create(tb, tl, code, i32c(5)));
                  Value takeIdx = arith::SelectOp::create(tb, tl, take, c1, c0);
                  if (expand) {
                    // Stored at the next slot, kept only when taken.
                    memref::StoreOp::create(
                        tb, tl, arith::TruncIOp::create(tb, tl, i16, fld), tw,
                        ep);
                    ep = arith::AddIOp::create(tb, tl, ep, takeIdx);
                    mask = arith::OrIOp::create(
                        tb, tl, mask,
                        arith::SelectOp::create(tb, tl, take,
                                                i32c(int64_t(1) << (2 * l + j)),
                                                i32c(0)));
                  } else {
                    if (j)
                      fld = arith::ShLIOp::create(
                          tb, tl, fld, i32c(TileLayout::kFieldBits * j));
                    word = arith::OrIOp::create(
                        tb, tl, word,
                        arith::SelectOp::create(tb, tl, take, fld, i32c(0)));
                  }
                  q = arith::AddIOp::create(tb, tl, q, takeIdx);
                }
                if (!expand)
                  memref::StoreOp::create(
                      tb, tl, word, tw,
                      ValueRange{arith::AddIOp::create(tb, tl, wbase,
                                                       cIdx(tb, tl, l))});
                yield.push_back(q);
              }
              if (expand) {
                memref::StoreOp::create(tb, tl, mask, tm, t);
                yield.push_back(ep);
              }
              scf::YieldOp::create(tb, tl, yield);
            });
        scf::YieldOp::create(sb, sl);
      });
}

void TileKernelLayout::emitBody(KernelBuilder &bd, const KernelCall &call,
                                const GroupRange &range, Value x, Value y,
                                ValueRange data) {
  OpBuilder &b = bd.b;
  Location loc = bd.loc;
  Type i32 = b.getI32Type(), i16 = b.getI16Type(), f32 = b.getF32Type();
  auto fv = VectorType::get({kLanes}, f32);
  auto iv = VectorType::get({kLanes}, i32);
  auto maskType = VectorType::get({kLanes}, b.getI1Type());
  func::FuncOp perm = getIntrinsicDeclaration(
      b, "llvm.x86.avx512.vpermi2var.ps.512", {fv, iv, fv}, fv, bd.shared);
  // A shared body reads its layout's data from its arguments (the offsets
  // of the last, partial strip too).
  SmallVector<Value> d(data.begin(), data.end());
  const bool shared = !d.empty();
  if (!shared)
    d = getData(b, loc);
  Value tw = d[0], ts = d[1], so = d[2], tm, sf;
  if (expand) {
    tm = d[3];
    sf = d[4];
  }
  Value tableBuf = d.back();
  Value zero = arith::ConstantOp::create(b, loc, fv,
                                         DenseElementsAttr::get(fv, 0.0f));
  // The codebook (2^b <= 32 entries) in two registers, zero-padded.
  auto tableHalf = [&](unsigned h) -> Value {
    int64_t lanes =
        std::min<int64_t>(kLanes, int64_t(table.size()) - h * kLanes);
    if (lanes <= 0)
      return zero;
    Value at = bd.idx(h * kLanes);
    if (lanes == kLanes)
      return vector::LoadOp::create(b, loc, fv, tableBuf, ValueRange{at});
    Value mask = vector::ConstantMaskOp::create(b, loc, maskType,
                                                ArrayRef<int64_t>{lanes});
    return vector::MaskedLoadOp::create(b, loc, fv, tableBuf, ValueRange{at},
                                        mask, zero);
  };
  Value cb0 = tableHalf(0), cb1 = tableHalf(1);
  auto splat = [&](int32_t v) -> Value {
    return arith::ConstantOp::create(b, loc, iv, DenseElementsAttr::get(iv, v));
  };
  // Field j of a lane: its window column at bit colShift[j], its codebook
  // index at codeShift[j] (vpermi2ps reads the low 5 bits of each lane).
  const unsigned steps = expand ? TileExpandLayout::kSteps : TileLayout::kSteps;
  const unsigned fieldBits = expand ? 16 : TileLayout::kFieldBits;
  SmallVector<Value> colShift, codeShift;
  for (unsigned j = 0; j < steps; ++j) {
    colShift.push_back(j ? splat(fieldBits * j) : Value());
    codeShift.push_back(splat(fieldBits * j + 5));
  }
  auto fieldVec = VectorType::get({2 * kLanes}, i16);
  Value zeroFields;
  if (expand)
    zeroFields = arith::ConstantOp::create(
        b, loc, fieldVec, DenseElementsAttr::get(fieldVec, int16_t(0)));
  // K < 32: the only window is x[0, K), read with masked loads.
  const int64_t k = T.k;
  Value xMask0, xMask1;
  if (k < kWindow) {
    xMask0 = vector::ConstantMaskOp::create(
        b, loc, maskType, ArrayRef<int64_t>{std::min<int64_t>(k, kLanes)});
    if (k > kLanes)
      xMask1 = vector::ConstantMaskOp::create(b, loc, maskType,
                                              ArrayRef<int64_t>{k - kLanes});
  }
  // Batch n > 0 (dc.matmul of n <= kMaxTileBatch columns): x is the
  // transposed copy (n x K), y is M x n. Accumulators: one per (column,
  // step) while they are few, else one per column (registers: 2n for the
  // windows, 2 for the codebook).
  const int64_t cols = std::max<int64_t>(call.n, 1);
  const bool perStep = int64_t(steps) * cols <= 8;
  const unsigned numAcc = perStep ? unsigned(steps * cols) : unsigned(cols);
  auto accIndex = [&](int64_t c, unsigned j) -> unsigned {
    return perStep ? unsigned(c * steps + j) : unsigned(c);
  };
  // Column c's result: the sum of its accumulators (batch 1: column 0).
  auto columnSum = [&](scf::ForOp loop, int64_t c) -> Value {
    Value sum = loop.getResult(accIndex(c, 0));
    for (unsigned j = 1; perStep && j < steps; ++j)
      sum = arith::AddFOp::create(b, loc, sum, loop.getResult(accIndex(c, j)));
    return sum;
  };
  SmallVector<Value> colIndex;
  Value rowStride;
  if (call.n > 0) {
    for (int64_t c = 0; c < cols; ++c)
      colIndex.push_back(bd.idx(c));
    SmallVector<int32_t> strides;
    for (int64_t l = 0; l < kLanes; ++l)
      strides.push_back(int32_t(l * call.n));
    rowStride = arith::ConstantOp::create(
        b, loc, iv, DenseElementsAttr::get(iv, ArrayRef<int32_t>(strides)));
  }
  const std::vector<int32_t> &offsets = stripOffsets();
  forEachGroup(
      bd, T.m, kLanes, range, [&](unsigned rg, Value gi, int64_t staticIndex) {
        Value t0, t1, f0;
        if (staticIndex >= 0 && !shared) {
          t0 = bd.idx(offsets[staticIndex]);
          t1 = bd.idx(offsets[staticIndex + 1]);
          if (expand)
            f0 = bd.idx(X.stripFields[staticIndex]);
        } else {
          Value gi1 = arith::AddIOp::create(b, loc, gi, bd.idx(1));
          t0 = bd.toIndex(memref::LoadOp::create(b, loc, so, gi));
          t1 = bd.toIndex(memref::LoadOp::create(b, loc, so, gi1));
          if (expand)
            f0 = bd.toIndex(memref::LoadOp::create(b, loc, sf, gi));
        }
        SmallVector<Value> init(numAcc, zero);
        if (expand)
          init.push_back(f0); // the next field
        auto loop = scf::ForOp::create(
            b, loc, t0, t1, bd.idx(1), init,
            [&](OpBuilder &, Location, Value t, ValueRange acc) {
              Value s = bd.toIndex(arith::ExtUIOp::create(
                  b, loc, i32, memref::LoadOp::create(b, loc, ts, t)));
              Value s16 = arith::AddIOp::create(b, loc, s, bd.idx(kLanes));
              // The window of each column in two registers (batch n: row c
              // of the transposed x).
              SmallVector<Value> xa(cols), xb(cols);
              for (int64_t c = 0; c < cols; ++c) {
                auto at = [&](Value col) -> SmallVector<Value> {
                  if (call.n == 0)
                    return {col};
                  return {colIndex[c], col};
                };
                if (k >= kWindow) {
                  xa[c] = vector::LoadOp::create(b, loc, fv, x, at(s));
                  xb[c] = vector::LoadOp::create(b, loc, fv, x, at(s16));
                } else {
                  xa[c] = vector::MaskedLoadOp::create(b, loc, fv, x, at(s),
                                                       xMask0, zero);
                  xb[c] = xMask1 ? vector::MaskedLoadOp::create(
                                       b, loc, fv, x, at(s16), xMask1, zero)
                                       .getResult()
                                 : zero;
                }
              }
              Value w, nextField;
              if (expand) {
                // vpexpandw: the present fields of the tile into their
                // 16-bit halves (absent ones 0: index 0, the exact zero).
                Value ep = acc[numAcc];
                Value m32 = memref::LoadOp::create(b, loc, tm, t);
                Value mv = vector::BitCastOp::create(
                    b, loc, VectorType::get({2 * kLanes}, b.getI1Type()),
                    vector::BroadcastOp::create(
                        b, loc, VectorType::get({1}, i32), m32));
                memref::PrefetchOp::create(
                    b, loc, tw,
                    ValueRange{arith::AddIOp::create(
                        b, loc, ep, bd.idx(2 * kPrefetchWords))},
                    /*isWrite=*/false, /*localityHint=*/3,
                    /*isDataCache=*/true);
                Value f16 = vector::ExpandLoadOp::create(
                    b, loc, fieldVec, tw, ValueRange{ep}, mv, zeroFields);
                w = vector::BitCastOp::create(b, loc, iv, f16);
                Value count = math::CtPopOp::create(b, loc, m32);
                nextField =
                    arith::AddIOp::create(b, loc, ep, bd.toIndex(count));
              } else {
                Value wi = arith::MulIOp::create(b, loc, t, bd.idx(kLanes));
                w = vector::LoadOp::create(b, loc, iv, tw, ValueRange{wi});
                memref::PrefetchOp::create(
                    b, loc, tw,
                    ValueRange{arith::AddIOp::create(b, loc, wi,
                                                     bd.idx(kPrefetchWords))},
                    /*isWrite=*/false, /*localityHint=*/3,
                    /*isDataCache=*/true);
              }
              SmallVector<Value> next(acc.begin(), acc.begin() + numAcc);
              for (unsigned j = 0; j < steps; ++j) {
                Value fx = j ? arith::ShRUIOp::create(b, loc, w, colShift[j])
                                   .getResult()
                             : w;
                Value fc = arith::ShRUIOp::create(b, loc, w, codeShift[j]);
                // The codebook lookup is shared by every column.
                Value wv = func::CallOp::create(b, loc, perm,
                                                ValueRange{cb0, fc, cb1})
                               .getResult(0);
                for (int64_t c = 0; c < cols; ++c) {
                  Value xv = func::CallOp::create(b, loc, perm,
                                                  ValueRange{xa[c], fx, xb[c]})
                                 .getResult(0);
                  unsigned a = accIndex(c, j);
                  next[a] = vector::FMAOp::create(b, loc, wv, xv, next[a])
                                .getResult();
                }
              }
              if (expand)
                next.push_back(nextField);
              scf::YieldOp::create(b, loc, next);
            });
        Value row0 = arith::MulIOp::create(b, loc, gi, bd.idx(kLanes));
        if (call.n > 0) {
          // Column c of the strip's 16 rows: y[row0 + l][c], a scatter at
          // stride n (the last strip's missing rows masked off).
          Value mask = vector::ConstantMaskOp::create(
              b, loc, maskType, ArrayRef<int64_t>{int64_t(rg)});
          for (int64_t c = 0; c < cols; ++c) {
            Value sum = columnSum(loop, c);
            vector::ScatterOp::create(b, loc, Type(), y,
                                      ValueRange{row0, colIndex[c]}, rowStride,
                                      mask, sum);
          }
          // The epilogue on the strip's rows, now in cache: one row of n
          // columns at a time.
          if (bd.epilogue) {
            auto rowType = VectorType::get({call.n}, f32);
            scf::ForOp::create(
                b, loc, bd.idx(0), bd.idx(rg), bd.idx(1), ValueRange{},
                [&](OpBuilder &, Location, Value l, ValueRange) {
                  Value row = arith::AddIOp::create(b, loc, row0, l);
                  Value v = vector::LoadOp::create(b, loc, rowType, y,
                                                   ValueRange{row, colIndex[0]});
                  v = bd.epilogue->atRowCols(bd, v, row, colIndex[0], Value());
                  vector::StoreOp::create(b, loc, v, y,
                                          ValueRange{row, colIndex[0]});
                  scf::YieldOp::create(b, loc);
                });
          }
          return;
        }
        Value sum = columnSum(loop, 0);
        if (rg == kLanes) {
          if (bd.epilogue)
            sum = bd.epilogue->atRows(bd, sum, row0, Value());
          vector::StoreOp::create(b, loc, sum, y, ValueRange{row0});
        } else {
          Value mask = vector::ConstantMaskOp::create(
              b, loc, maskType, ArrayRef<int64_t>{int64_t(rg)});
          if (bd.epilogue)
            sum = bd.epilogue->atRows(bd, sum, row0, mask);
          vector::MaskedStoreOp::create(b, loc, y, ValueRange{row0}, mask,
                                        sum);
        }
      });
}

std::string dc::kernels::tileLayoutUnsupported(const LayoutSource &src,
                                               int64_t n, int64_t groups,
                                               const Target &t) {
  if (!t.avx512 || t.vw != 16)
    return "needs AVX-512 with 16 lanes";
  if (n > kMaxTileBatch)
    return "dc.matmul of at most " + std::to_string(kMaxTileBatch) +
           " batch columns only";
  if (groups > 1)
    return "no grouped products";
  if (src.b > 5)
    return "codebooks of at most 5 bits only";
  if (src.k > TileLayout::kMaxK)
    return "K above " + std::to_string(TileLayout::kMaxK);
  return "";
}

std::unique_ptr<KernelLayout>
dc::kernels::makeTileLayout(const LayoutSource &src, TileVariant variant,
                            std::string &err) {
  auto layout = std::make_unique<TileKernelLayout>();
  if (failed(buildExecLayout(src, /*r=*/1, /*sortRows=*/false,
                             layout->compact, err)))
    return nullptr;
  if (!dc::buildTileLayout(src.m, src.k, src.rows.start.data(),
                           src.rows.cols.data(), src.rows.vals.data(),
                           layout->T, err) ||
      !dc::buildTileExpandLayout(src.m, src.k, src.rows.start.data(),
                                 src.rows.cols.data(), src.rows.vals.data(),
                                 layout->X, err))
    return nullptr;
  // The variant: the one asked for, else the cheaper estimate (S = 3 on a
  // tie: fewer instructions per entry in cache).
  layout->expand = variant == TileVariant::Expand ||
                   (variant == TileVariant::Auto &&
                    layout->cyclesExpand() < layout->cyclesS3());
  if (layout->expand)
    layout->T.words.clear(), layout->T.words.shrink_to_fit();
  else
    layout->X.fields.clear(), layout->X.fields.shrink_to_fit();
  layout->table = src.table;
  layout->bytesPQ = src.bytesPQ;
  layout->bytesPQH = src.bytesPQH;
  return layout;
}
