//===- DecodeEmitter.cpp - IR emission of dc stream decoders --------------===//

#include "dc/Conversion/DecodeEmitter.h"

#include "dc/Core/Ans.h"
#include "dc/Core/Huffman.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/BuiltinTypes.h"

#include <algorithm>
#include <vector>

using namespace mlir;
using namespace dc;

//===----------------------------------------------------------------------===//
// Globals
//===----------------------------------------------------------------------===//

memref::GlobalOp GlobalEmitter::insert(Location loc, StringRef name,
                                       MemRefType type, Attribute initialValue,
                                       bool constant) {
  OpBuilder b(module.getContext());
  auto global = memref::GlobalOp::create(
      b, loc, name, b.getStringAttr("private"), type, initialValue, constant,
      /*alignment=*/b.getI64IntegerAttr(64));
  // Renames on conflict and inserts into the module, in creation order.
  Block::iterator where = lastGlobal ? std::next(lastGlobal->getIterator())
                                     : module.getBody()->begin();
  if (symbolTable)
    symbolTable->insert(global, where);
  else
    module.getBody()->getOperations().insert(where, global);
  lastGlobal = global;
  return global;
}

memref::GlobalOp GlobalEmitter::status(Location loc, StringRef name) {
  memref::GlobalOp global = onceState(loc, name);
  global->setAttr(kStatusAttrName, UnitAttr::get(module.getContext()));
  return global;
}

void GlobalEmitter::insertFunction(func::FuncOp fn) {
  if (symbolTable)
    symbolTable->insert(fn);
  else
    module.push_back(fn);
}

Value StatusRef::get(OpBuilder &b, Location loc) const {
  return global ? getGlobal(b, loc, global) : value;
}

static Value atomicI32(OpBuilder &b, Location loc, const StatusRef &status,
                       arith::AtomicRMWKind kind, int32_t v) {
  Value c = arith::ConstantIntOp::create(b, loc, b.getI32Type(), v);
  return memref::AtomicRMWOp::create(b, loc, kind, c, status.get(b, loc),
                                     ValueRange{})
      .getResult();
}

/// The size of dimension 0 of the 1-D `memref`: `size` when static, else
/// its run-time size.
static Value dimSize(OpBuilder &b, Location loc, Value memref, int64_t size) {
  if (cast<MemRefType>(memref.getType()).isDynamicDim(0))
    return memref::DimOp::create(b, loc, memref, 0);
  return arith::ConstantIndexOp::create(b, loc, size);
}

void dc::emitFailIf(OpBuilder &b, Location loc, const StatusRef &status,
                    Value failed, DecodeError code) {
  scf::IfOp::create(b, loc, failed, [&](OpBuilder &tb, Location tl) {
    atomicI32(tb, tl, status, arith::AtomicRMWKind::maxs, code);
    scf::YieldOp::create(tb, tl);
  });
}

Value dc::emitReadStatus(OpBuilder &b, Location loc, const StatusRef &status) {
  return atomicI32(b, loc, status, arith::AtomicRMWKind::maxs, 0);
}

void dc::emitZeroIfFailed(OpBuilder &b, Location loc, const StatusRef &status,
                          Value buffer, int64_t size) {
  Value bad = arith::CmpIOp::create(
      b, loc, arith::CmpIPredicate::ne, emitReadStatus(b, loc, status),
      arith::ConstantIntOp::create(b, loc, b.getI32Type(), 0));
  scf::IfOp::create(b, loc, bad, [&](OpBuilder &tb, Location tl) {
    Type elt = cast<MemRefType>(buffer.getType()).getElementType();
    Value zero = isa<FloatType>(elt)
                     ? Value(arith::ConstantFloatOp::create(
                           tb, tl, cast<FloatType>(elt), APFloat(0.0f)))
                     : Value(arith::ConstantIntOp::create(tb, tl, elt, 0));
    scf::ForOp::create(
        tb, tl, arith::ConstantIndexOp::create(tb, tl, 0),
        dimSize(tb, tl, buffer, size),
        arith::ConstantIndexOp::create(tb, tl, 1), ValueRange{},
        [&](OpBuilder &lb, Location ll, Value i, ValueRange) {
          memref::StoreOp::create(lb, ll, zero, buffer, ValueRange{i});
          scf::YieldOp::create(lb, ll);
        });
    scf::YieldOp::create(tb, tl);
  });
}

static constexpr uint32_t kFnvOffset = 2166136261u, kFnvPrime = 16777619u;

uint32_t dc::streamChecksum(ArrayRef<uint8_t> bytes) {
  uint32_t h = kFnvOffset;
  for (uint8_t byte : bytes)
    h = (h ^ byte) * kFnvPrime;
  for (unsigned i = 0; i < kStreamPadding; ++i)
    h = h * kFnvPrime;
  return h;
}

/// The checksum loop of emitVerifyChecksum; `expected` gives the i32 to
/// compare with.
static void verifyChecksum(OpBuilder &b, Location loc, const StreamRef &stream,
                           function_ref<Value(OpBuilder &, Location)> expected,
                           const StatusRef &status) {
  Type i32 = b.getI32Type();
  auto c32 = [&](OpBuilder &ob, Location l, uint32_t v) -> Value {
    return arith::ConstantIntOp::create(ob, l, i32, int64_t(int32_t(v)));
  };
  auto loop = scf::ForOp::create(
      b, loc, arith::ConstantIndexOp::create(b, loc, 0),
      dimSize(b, loc, stream.bytes, stream.size),
      arith::ConstantIndexOp::create(b, loc, 1),
      ValueRange{c32(b, loc, kFnvOffset)},
      [&](OpBuilder &lb, Location l, Value i, ValueRange args) {
        Value byte = memref::LoadOp::create(lb, l, stream.bytes, ValueRange{i});
        Value x = arith::XOrIOp::create(
            lb, l, args[0], arith::ExtUIOp::create(lb, l, i32, byte));
        Value h = arith::MulIOp::create(lb, l, x, c32(lb, l, kFnvPrime));
        scf::YieldOp::create(lb, l, ValueRange{h});
      });
  Value wrong = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ne,
                                      loop.getResult(0), expected(b, loc));
  emitFailIf(b, loc, status, wrong, kDecodeCorruptStream);
}

void dc::emitVerifyChecksum(OpBuilder &b, Location loc, const StreamRef &stream,
                            uint32_t expected, const StatusRef &status) {
  verifyChecksum(
      b, loc, stream,
      [&](OpBuilder &ob, Location l) -> Value {
        return arith::ConstantIntOp::create(ob, l, ob.getI32Type(),
                                            int64_t(int32_t(expected)));
      },
      status);
}

void dc::emitVerifyChecksum(OpBuilder &b, Location loc, const StreamRef &stream,
                            Value expected, const StatusRef &status) {
  verifyChecksum(
      b, loc, stream, [&](OpBuilder &, Location) { return expected; }, status);
}

func::FuncOp dc::emitInitializer(GlobalEmitter &globals, Location loc,
                                 StringRef name, memref::GlobalOp state,
                                 function_ref<void(OpBuilder &, Location)> body) {
  OpBuilder b(globals.getModule().getContext());
  auto fn = func::FuncOp::create(b, loc, name, b.getFunctionType({}, {}));
  fn.setPrivate();
  fn->setAttr(kInitializerAttrName, b.getUnitAttr());
  globals.insertFunction(fn);
  b.setInsertionPointToStart(fn.addEntryBlock());
  emitOnce(b, loc, state, body);
  func::ReturnOp::create(b, loc);
  return fn;
}

LogicalResult dc::emitInitEntryPoints(ModuleOp module) {
  MLIRContext *ctx = module.getContext();
  OpBuilder b(ctx);
  Location loc = module.getLoc();
  for (StringRef name : {"dc_init", "dc_status"}) {
    Operation *existing = SymbolTable::lookupSymbolIn(module, name);
    if (!existing)
      continue;
    if (!existing->hasAttr("dc_entry_point"))
      return existing->emitOpError()
             << "'" << name
             << "' is reserved for dc's generated entry point (INTERFACE.md)";
    existing->erase();
  }
  SmallVector<func::FuncOp> initializers;
  SmallVector<memref::GlobalOp> statuses;
  for (Operation &op : module.getBody()->getOperations()) {
    if (auto fn = dyn_cast<func::FuncOp>(op);
        fn && fn->hasAttr(kInitializerAttrName))
      initializers.push_back(fn);
    if (auto global = dyn_cast<memref::GlobalOp>(op);
        global && global->hasAttr(kStatusAttrName))
      statuses.push_back(global);
  }
  auto i32 = b.getI32Type();
  auto makeEntry = [&](StringRef name) {
    // Created detached (`b` points into the previous entry point).
    OpBuilder detached(ctx);
    auto fn = func::FuncOp::create(detached, loc, name,
                                   b.getFunctionType({}, {i32}));
    fn->setAttr("dc_entry_point", b.getUnitAttr());
    module.push_back(fn);
    b.setInsertionPointToStart(fn.addEntryBlock());
    return fn;
  };
  auto maxStatus = [&]() {
    Value result = arith::ConstantIntOp::create(b, loc, i32, 0);
    for (memref::GlobalOp status : statuses)
      result = arith::MaxSIOp::create(b, loc, result,
                                      emitReadStatus(b, loc, status));
    return result;
  };
  makeEntry("dc_status");
  func::ReturnOp::create(b, loc, maxStatus());
  makeEntry("dc_init");
  for (func::FuncOp fn : initializers)
    func::CallOp::create(b, loc, fn, ValueRange{});
  func::ReturnOp::create(b, loc, maxStatus());
  return success();
}

template <typename T>
static DenseElementsAttr rawElements(Type elementType, ArrayRef<T> data) {
  auto type = RankedTensorType::get({int64_t(data.size())}, elementType);
  ArrayRef<char> raw(reinterpret_cast<const char *>(data.data()),
                     data.size() * sizeof(T));
  return DenseElementsAttr::getFromRawBuffer(type, raw);
}

memref::GlobalOp GlobalEmitter::byteStream(Location loc, StringRef name,
                                           ArrayRef<uint8_t> bytes) {
  std::vector<uint8_t> padded(bytes.begin(), bytes.end());
  padded.resize(padded.size() + kStreamPadding, 0);
  auto i8 = IntegerType::get(module.getContext(), 8);
  return insert(loc, name, MemRefType::get({int64_t(padded.size())}, i8),
                rawElements<uint8_t>(i8, padded), /*constant=*/true);
}

memref::GlobalOp GlobalEmitter::i32Table(Location loc, StringRef name,
                                         ArrayRef<uint32_t> data) {
  std::vector<uint32_t> values(data.begin(), data.end());
  if (values.empty())
    values.push_back(0);
  auto i32 = IntegerType::get(module.getContext(), 32);
  return insert(loc, name, MemRefType::get({int64_t(values.size())}, i32),
                rawElements<uint32_t>(i32, values), /*constant=*/true);
}

memref::GlobalOp GlobalEmitter::f32Table(Location loc, StringRef name,
                                         ArrayRef<float> data) {
  std::vector<float> values(data.begin(), data.end());
  if (values.empty())
    values.push_back(0.0f);
  auto f32 = Float32Type::get(module.getContext());
  return insert(loc, name, MemRefType::get({int64_t(values.size())}, f32),
                rawElements<float>(f32, values), /*constant=*/true);
}

memref::GlobalOp GlobalEmitter::buffer(Location loc, StringRef name,
                                       MemRefType type) {
  return insert(loc, name, type, UnitAttr::get(module.getContext()),
                /*constant=*/false);
}

memref::GlobalOp GlobalEmitter::onceState(Location loc, StringRef name) {
  auto i32 = IntegerType::get(module.getContext(), 32);
  auto init = DenseElementsAttr::get(RankedTensorType::get({}, i32), 0);
  return insert(loc, name, MemRefType::get({}, i32), init, /*constant=*/false);
}

void dc::emitOnce(OpBuilder &b, Location loc, memref::GlobalOp state,
                  function_ref<void(OpBuilder &, Location)> body) {
  auto i32 = [&](OpBuilder &ob, Location l, int32_t v) -> Value {
    return arith::ConstantIntOp::create(ob, l, ob.getI32Type(), v);
  };
  auto atomic = [&](OpBuilder &ob, Location l, arith::AtomicRMWKind kind,
                    int32_t v) -> Value {
    return memref::AtomicRMWOp::create(ob, l, kind, i32(ob, l, v),
                                       getGlobal(ob, l, state), ValueRange{})
        .getResult();
  };
  // 0 -> 1 for the first thread only; everyone learns the previous state.
  Value old = atomic(b, loc, arith::AtomicRMWKind::maxs, 1);
  Value first = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::eq, old,
                                      i32(b, loc, 0));
  scf::IfOp::create(
      b, loc, first,
      [&](OpBuilder &tb, Location tl) {
        body(tb, tl);
        atomic(tb, tl, arith::AtomicRMWKind::assign, 2);
        scf::YieldOp::create(tb, tl);
      },
      [&](OpBuilder &eb, Location el) {
        // Another thread is decoding (state 1): wait for 2.
        Value busy = arith::CmpIOp::create(eb, el, arith::CmpIPredicate::ne,
                                           old, i32(eb, el, 2));
        scf::IfOp::create(eb, el, busy, [&](OpBuilder &wb, Location wl) {
          scf::WhileOp::create(
              wb, wl, TypeRange{}, ValueRange{},
              [&](OpBuilder &cb, Location cl, ValueRange) {
                Value now = atomic(cb, cl, arith::AtomicRMWKind::maxs, 0);
                Value wait = arith::CmpIOp::create(
                    cb, cl, arith::CmpIPredicate::ne, now, i32(cb, cl, 2));
                scf::ConditionOp::create(cb, cl, wait, ValueRange{});
              },
              [&](OpBuilder &db, Location dl, ValueRange) {
                scf::YieldOp::create(db, dl);
              });
          scf::YieldOp::create(wb, wl);
        });
        scf::YieldOp::create(eb, el);
      });
}

Value dc::getGlobal(OpBuilder &b, Location loc, memref::GlobalOp global) {
  return memref::GetGlobalOp::create(b, loc, global.getType(),
                                     global.getSymName());
}

//===----------------------------------------------------------------------===//
// Readers
//===----------------------------------------------------------------------===//

static Value constI64(OpBuilder &b, Location loc, int64_t v) {
  return arith::ConstantIntOp::create(b, loc, b.getI64Type(), v);
}

static Value constI32(OpBuilder &b, Location loc, int64_t v) {
  return arith::ConstantIntOp::create(b, loc, b.getI32Type(), v);
}

Value dc::emitLoadClamped(OpBuilder &b, Location loc, Value table, int64_t size,
                          Value i) {
  if (!i.getType().isIndex())
    i = arith::IndexCastUIOp::create(b, loc, b.getIndexType(), i);
  Value last;
  if (cast<MemRefType>(table.getType()).isDynamicDim(0))
    last =
        arith::SubIOp::create(b, loc, memref::DimOp::create(b, loc, table, 0),
                              arith::ConstantIndexOp::create(b, loc, 1));
  else
    last =
        arith::ConstantIndexOp::create(b, loc, std::max<int64_t>(size, 1) - 1);
  Value clamped = arith::MinUIOp::create(b, loc, i, last);
  return memref::LoadOp::create(b, loc, table, ValueRange{clamped});
}

Value dc::emitLoadByte(OpBuilder &b, Location loc, const StreamRef &stream,
                       Value byteIndex) {
  Value byte = emitLoadClamped(b, loc, stream.bytes, stream.size, byteIndex);
  return arith::ExtUIOp::create(b, loc, b.getI64Type(), byte);
}

Value dc::emitReadBits(OpBuilder &b, Location loc, const StreamRef &stream,
                       Value bitPos, unsigned width) {
  // Up to 7 bits of offset + `width` bits: gather the bytes into an i64.
  Value byteIndex = arith::ShRUIOp::create(b, loc, bitPos, constI64(b, loc, 3));
  Value shift = arith::AndIOp::create(b, loc, bitPos, constI64(b, loc, 7));
  unsigned numBytes = (7 + width + 7) / 8;
  Value word;
  for (unsigned k = 0; k < numBytes; ++k) {
    Value idx = byteIndex;
    if (k)
      idx = arith::AddIOp::create(b, loc, byteIndex, constI64(b, loc, k));
    Value byte = emitLoadByte(b, loc, stream, idx);
    if (k)
      byte = arith::ShLIOp::create(b, loc, byte, constI64(b, loc, 8 * k));
    word = k ? Value(arith::OrIOp::create(b, loc, word, byte)) : byte;
  }
  word = arith::ShRUIOp::create(b, loc, word, shift);
  if (width < 32)
    word = arith::AndIOp::create(b, loc, word,
                                 constI64(b, loc, (int64_t(1) << width) - 1));
  return arith::TruncIOp::create(b, loc, b.getI32Type(), word);
}

Value dc::emitReadFixedWidth(OpBuilder &b, Location loc,
                             const StreamRef &stream, Value index,
                             unsigned width) {
  Value i = index;
  if (i.getType().isIndex())
    i = arith::IndexCastUIOp::create(b, loc, b.getI64Type(), i);
  Value bitPos = arith::MulIOp::create(b, loc, i, constI64(b, loc, width));
  return emitReadBits(b, loc, stream, bitPos, width);
}

bool dc::emitHuffmanTables(GlobalEmitter &globals, Location loc, StringRef name,
                           ArrayRef<uint8_t> lengths,
                           HuffmanTableGlobals &tables, std::string *error) {
  HuffmanDecoder decoder;
  if (!decoder.init(std::vector<uint8_t>(lengths.begin(), lengths.end()),
                    error))
    return false;
  std::string prefix = name.str();
  tables.maxLength = decoder.maxLength;
  tables.numSymbols = decoder.sortedSymbols.size();
  tables.firstCode =
      globals.i32Table(loc, prefix + "_first_code", decoder.firstCode);
  tables.firstIndex =
      globals.i32Table(loc, prefix + "_first_index", decoder.firstIndex);
  tables.count =
      globals.i32Table(loc, prefix + "_count", decoder.countPerLength);
  tables.sorted =
      globals.i32Table(loc, prefix + "_symbols", decoder.sortedSymbols);
  return true;
}

HuffmanTables dc::getHuffmanTables(OpBuilder &b, Location loc,
                                   const HuffmanTableGlobals &globals) {
  HuffmanTables t;
  t.firstCode = getGlobal(b, loc, globals.firstCode);
  t.firstIndex = getGlobal(b, loc, globals.firstIndex);
  t.count = getGlobal(b, loc, globals.count);
  t.sorted = getGlobal(b, loc, globals.sorted);
  t.maxLength = globals.maxLength;
  t.numSymbols = globals.numSymbols;
  return t;
}

std::pair<Value, Value> dc::emitReadHuffmanSymbol(OpBuilder &b, Location loc,
                                                  const StreamRef &stream,
                                                  const HuffmanTables &tables,
                                                  Value bitPos, Value *found) {
  // scf.while over code lengths; state (len, code, symbol, done):
  //   before: continue while !done && len < maxLength;
  //   after: read bit pos + len, code = code << 1 | bit, len += 1,
  //          hit if code - firstCode[len] < count[len] (unsigned).
  Type i32 = b.getI32Type(), i1 = b.getI1Type();
  int64_t tableSize = int64_t(tables.maxLength) + 1;
  Value zero32 = constI32(b, loc, 0);
  Value falseV = arith::ConstantIntOp::create(b, loc, i1, 0);
  Value maxLen = tables.maxLengthValue ? tables.maxLengthValue
                                       : constI32(b, loc, tables.maxLength);
  SmallVector<Value> init = {zero32, zero32, zero32, falseV};
  SmallVector<Type> types = {i32, i32, i32, i1};
  auto loop = scf::WhileOp::create(
      b, loc, types, init,
      [&](OpBuilder &bb, Location l, ValueRange args) {
        Value notDone = arith::XOrIOp::create(
            bb, l, args[3], arith::ConstantIntOp::create(bb, l, i1, 1));
        Value more = arith::CmpIOp::create(bb, l, arith::CmpIPredicate::ult,
                                           args[0], maxLen);
        Value cond = arith::AndIOp::create(bb, l, notDone, more);
        scf::ConditionOp::create(bb, l, cond, args);
      },
      [&](OpBuilder &bb, Location l, ValueRange args) {
        Value len = args[0], code = args[1];
        Value pos = arith::AddIOp::create(
            bb, l, bitPos, arith::ExtUIOp::create(bb, l, bb.getI64Type(), len));
        Value byteIndex =
            arith::ShRUIOp::create(bb, l, pos, constI64(bb, l, 3));
        Value shift = arith::AndIOp::create(bb, l, pos, constI64(bb, l, 7));
        Value byte = emitLoadByte(bb, l, stream, byteIndex);
        Value bit64 = arith::AndIOp::create(
            bb, l, arith::ShRUIOp::create(bb, l, byte, shift),
            constI64(bb, l, 1));
        Value bit = arith::TruncIOp::create(bb, l, i32, bit64);
        Value newCode = arith::OrIOp::create(
            bb, l, arith::ShLIOp::create(bb, l, code, constI32(bb, l, 1)), bit);
        Value newLen = arith::AddIOp::create(bb, l, len, constI32(bb, l, 1));
        Value first =
            emitLoadClamped(bb, l, tables.firstCode, tableSize, newLen);
        Value count = emitLoadClamped(bb, l, tables.count, tableSize, newLen);
        Value offset = arith::SubIOp::create(bb, l, newCode, first);
        Value hit = arith::CmpIOp::create(bb, l, arith::CmpIPredicate::ult,
                                          offset, count);
        Value firstIndex =
            emitLoadClamped(bb, l, tables.firstIndex, tableSize, newLen);
        Value sortedIndex = arith::AddIOp::create(bb, l, firstIndex, offset);
        Value sym = emitLoadClamped(bb, l, tables.sorted, tables.numSymbols,
                                    sortedIndex);
        Value symbol = arith::SelectOp::create(bb, l, hit, sym, args[2]);
        scf::YieldOp::create(bb, l, ValueRange{newLen, newCode, symbol, hit});
      });
  Value len = loop.getResult(0);
  Value symbol = loop.getResult(2);
  if (found)
    *found = loop.getResult(3);
  Value next = arith::AddIOp::create(
      b, loc, bitPos, arith::ExtUIOp::create(b, loc, b.getI64Type(), len));
  return {symbol, next};
}

bool dc::emitAnsTables(GlobalEmitter &globals, Location loc, StringRef name,
                       ArrayRef<uint8_t> table, uint32_t alphabet,
                       AnsTableGlobals &tables, std::string *error) {
  AnsTable parsed;
  if (!readAnsTable(table.data(), table.size(), alphabet, parsed, error))
    return false;
  std::vector<uint32_t> cum(parsed.freqs.size() + 1, 0);
  for (size_t s = 0; s < parsed.freqs.size(); ++s)
    cum[s + 1] = cum[s] + parsed.freqs[s];
  std::string prefix = name.str();
  tables.precision = parsed.precision;
  tables.numSymbols = int64_t(parsed.freqs.size());
  tables.freq = globals.i32Table(loc, prefix + "_freq", parsed.freqs);
  tables.cum = globals.i32Table(loc, prefix + "_cum", cum);
  return true;
}

AnsTables dc::getAnsTables(OpBuilder &b, Location loc,
                           const AnsTableGlobals &globals) {
  AnsTables t;
  t.freq = getGlobal(b, loc, globals.freq);
  t.cum = getGlobal(b, loc, globals.cum);
  t.precision = globals.precision;
  t.numSymbols = globals.numSymbols;
  return t;
}

/// The rANS renormalization bound L (dc/Core/Ans.cpp): states live in
/// [L, 256 L).
static constexpr int64_t kAnsStateLow = int64_t(1) << 23;

Value dc::emitAnsInitialCursor(OpBuilder &b, Location loc,
                               const StreamRef &stream) {
  Value state;
  for (int k = 0; k < 4; ++k) {
    Value byte = emitLoadByte(b, loc, stream, constI64(b, loc, k));
    if (k)
      byte = arith::ShLIOp::create(b, loc, byte, constI64(b, loc, 8 * k));
    state = k ? Value(arith::OrIOp::create(b, loc, state, byte)) : byte;
  }
  return arith::OrIOp::create(b, loc, state,
                              constI64(b, loc, int64_t(4) << 32));
}

int64_t dc::ansFinalCursor(uint64_t streamBytes) {
  return int64_t(streamBytes << 32) | kAnsStateLow;
}

std::pair<Value, Value> dc::emitReadAnsSymbol(OpBuilder &b, Location loc,
                                              const StreamRef &stream,
                                              const AnsTables &tables,
                                              Value cursor, Value *ok) {
  // i64 arithmetic throughout: a corrupt table cannot overflow it (state <
  // 2^32, frequencies <= 2^20), and the state is masked back to 32 bits.
  Type i64 = b.getI64Type(), i32 = b.getI32Type();
  const unsigned p = tables.precision;
  Value x = arith::AndIOp::create(b, loc, cursor, constI64(b, loc, 0xFFFFFFFF));
  Value pos = arith::ShRUIOp::create(b, loc, cursor, constI64(b, loc, 32));
  Value slot = arith::AndIOp::create(b, loc, x,
                                     constI64(b, loc, (int64_t(1) << p) - 1));
  // Largest s < numSymbols with cum[s] <= slot (a used symbol: the last
  // entry is used, and an unused s has cum[s + 1] = cum[s]).
  Value s = constI64(b, loc, 0);
  int64_t step = 1;
  while (step * 2 < tables.numSymbols)
    step *= 2;
  for (; step >= 1 && tables.numSymbols > 1; step /= 2) {
    Value cand = arith::AddIOp::create(b, loc, s, constI64(b, loc, step));
    Value inRange = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::slt,
                                          cand,
                                          constI64(b, loc, tables.numSymbols));
    Value c = arith::ExtUIOp::create(
        b, loc, i64,
        emitLoadClamped(b, loc, tables.cum, tables.numSymbols + 1, cand));
    Value le = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ule, c,
                                     slot);
    Value take = arith::AndIOp::create(b, loc, inRange, le);
    s = arith::SelectOp::create(b, loc, take, cand, s);
  }
  Value f = arith::ExtUIOp::create(
      b, loc, i64, emitLoadClamped(b, loc, tables.freq, tables.numSymbols, s));
  Value c = arith::ExtUIOp::create(
      b, loc, i64, emitLoadClamped(b, loc, tables.cum, tables.numSymbols + 1, s));
  // x = f * (x >> p) + slot - cum[s], then renormalize.
  Value next = arith::SubIOp::create(
      b, loc,
      arith::AddIOp::create(
          b, loc,
          arith::MulIOp::create(
              b, loc, f,
              arith::ShRUIOp::create(b, loc, x, constI64(b, loc, p))),
          slot),
      c);
  next = arith::AndIOp::create(b, loc, next, constI64(b, loc, 0xFFFFFFFF));
  Value low = constI64(b, loc, kAnsStateLow);
  for (unsigned k = 0; k < (p + 7) / 8; ++k) {
    Value need =
        arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ult, next, low);
    Value byte = emitLoadByte(b, loc, stream, pos);
    Value shifted = arith::OrIOp::create(
        b, loc, arith::ShLIOp::create(b, loc, next, constI64(b, loc, 8)),
        byte);
    next = arith::SelectOp::create(b, loc, need, shifted, next);
    pos = arith::SelectOp::create(
        b, loc, need, arith::AddIOp::create(b, loc, pos, constI64(b, loc, 1)),
        pos);
  }
  if (ok)
    *ok = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::uge, next, low);
  Value packed = arith::OrIOp::create(
      b, loc, arith::ShLIOp::create(b, loc, pos, constI64(b, loc, 32)), next);
  return {arith::TruncIOp::create(b, loc, i32, s), packed};
}

Value EntryStreamReader::initialCursor(OpBuilder &b, Location loc) const {
  if (ans)
    return emitAnsInitialCursor(b, loc, stream);
  return constI64(b, loc, 0);
}

std::pair<Value, Value> EntryStreamReader::read(OpBuilder &b, Location loc,
                                                Value index,
                                                Value cursor) const {
  if (ans) {
    if (!status)
      return emitReadAnsSymbol(b, loc, stream, ansTables, cursor);
    Value ok;
    auto result = emitReadAnsSymbol(b, loc, stream, ansTables, cursor, &ok);
    Value bad = arith::XOrIOp::create(
        b, loc, ok, arith::ConstantIntOp::create(b, loc, b.getI1Type(), 1));
    emitFailIf(b, loc, status, bad, kDecodeCorruptStream);
    return result;
  }
  if (!huffman)
    return {emitReadFixedWidth(b, loc, stream, index, width), cursor};
  if (!status)
    return emitReadHuffmanSymbol(b, loc, stream, tables, cursor);
  Value found;
  auto result = emitReadHuffmanSymbol(b, loc, stream, tables, cursor, &found);
  Value missing = arith::XOrIOp::create(
      b, loc, found, arith::ConstantIntOp::create(b, loc, b.getI1Type(), 1));
  emitFailIf(b, loc, status, missing, kDecodeCorruptStream);
  return result;
}
