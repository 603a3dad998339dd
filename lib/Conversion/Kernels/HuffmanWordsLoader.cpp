//===- HuffmanWordsLoader.cpp - decode-once-at-load of a layout -----------===//

#include "HuffmanWordsLoader.h"

#include "dc/Conversion/DecodeEmitter.h"
#include "dc/Core/Ans.h"
#include "dc/Core/Huffman.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/IR/SymbolTable.h"
#include "llvm/Support/raw_ostream.h"

using namespace mlir;
using namespace dc::kernels;

namespace {
struct StreamGlobals {
  memref::GlobalOp bytes;
  dc::HuffmanTableGlobals tables;
  dc::AnsTableGlobals ans;
  uint64_t bits = 0; // Where the run-time decoder must end (its cursor).
};
} // namespace

/// The decoder shared by every payload of one key (see
/// emitHuffmanWordsLoader): `name(words: memref<?xW>, status: memref<i32>,
/// per stream: bytes memref<?xi8>, checksum i32, end cursor i64, then for
/// Huffman its four tables (memref<?xi32>) and maxLength (i32), for rANS
/// its two tables)`. Sizes come from the memrefs at run time; everything
/// else it depends on is in the key.
static func::FuncOp emitWordsDecoder(ModuleOp module, Location loc,
                                     StringRef name, IntegerType wordType,
                                     unsigned fieldsPerWord, unsigned fieldBits,
                                     ArrayRef<CodedStream> streams,
                                     ArrayRef<StreamGlobals> sg,
                                     bool anySymbols) {
  OpBuilder b(module.getContext());
  int64_t dyn = ShapedType::kDynamic;
  Type i32 = b.getI32Type(), i64 = b.getI64Type();
  auto dynI32 = MemRefType::get({dyn}, i32);
  SmallVector<Type> types{MemRefType::get({dyn}, wordType),
                          MemRefType::get({}, i32)};
  for (auto [s, g] : llvm::zip(streams, sg)) {
    types.append({MemRefType::get({dyn}, b.getI8Type()), i32, i64});
    if (!s.ans)
      types.append({dynI32, dynI32, dynI32, dynI32, i32});
    else if (g.ans.freq)
      types.append({memref::GlobalOp(g.ans.freq).getType(),
                    memref::GlobalOp(g.ans.cum).getType()});
  }
  auto fn = func::FuncOp::create(b, loc, name, b.getFunctionType(types, {}));
  fn.setPrivate();
  module.push_back(fn);
  Block *body = fn.addEntryBlock();
  b.setInsertionPointToStart(body);
  unsigned next = 0;
  auto arg = [&]() { return body->getArgument(next++); };
  Value wordsBuf = arg();
  dc::StatusRef status(arg());
  SmallVector<dc::StreamRef> refs;
  SmallVector<Value> ends;
  SmallVector<dc::HuffmanTables> tables;
  SmallVector<dc::AnsTables> ansTables;
  for (auto [s, g] : llvm::zip(streams, sg)) {
    refs.push_back({arg(), dyn});
    Value checksum = arg();
    ends.push_back(arg());
    dc::HuffmanTables t;
    dc::AnsTables a;
    if (!s.ans) {
      t.firstCode = arg();
      t.firstIndex = arg();
      t.count = arg();
      t.sorted = arg();
      t.maxLengthValue = arg();
    } else if (g.ans.freq) {
      a.freq = arg();
      a.cum = arg();
      a.precision = g.ans.precision;
      a.numSymbols = g.ans.numSymbols;
    }
    tables.push_back(t);
    ansTables.push_back(a);
    dc::emitVerifyChecksum(b, loc, refs.back(), checksum, status);
  }
  Value c0 = arith::ConstantIndexOp::create(b, loc, 0);
  Value c1 = arith::ConstantIndexOp::create(b, loc, 1);
  Value cw = memref::DimOp::create(b, loc, wordsBuf, 0);
  Value cp = arith::ConstantIndexOp::create(b, loc, fieldsPerWord);
  unsigned wordBits = wordType.getWidth();
  auto word = [&](OpBuilder &ob, Location l, int64_t v) -> Value {
    return arith::ConstantIntOp::create(ob, l, wordType, v);
  };
  Value zeroWord = word(b, loc, 0);
  Value zeroCursor = arith::ConstantIntOp::create(b, loc, i64, 0);
  // for each word: for each field: one symbol of each stream (carried bit
  // cursors), word |= (OR of symbol << shift) << (field * fieldBits).
  SmallVector<Value> cursors0;
  for (auto [s, ref] : llvm::zip(streams, refs))
    cursors0.push_back(s.ans && anySymbols
                           ? dc::emitAnsInitialCursor(b, loc, ref)
                           : zeroCursor);
  auto wordLoop = scf::ForOp::create(
      b, loc, c0, cw, c1, cursors0,
      [&](OpBuilder &ob, Location ol, Value w, ValueRange cursors) {
        SmallVector<Value> init{zeroWord};
        init.append(cursors.begin(), cursors.end());
        auto inner = scf::ForOp::create(
            ob, ol, c0, cp, c1, init,
            [&](OpBuilder &ib, Location il, Value f, ValueRange args) {
              Value field = word(ib, il, 0);
              SmallVector<Value> nextArgs{Value()};
              for (size_t s = 0; s < streams.size(); ++s) {
                Value found;
                auto [sym, cursor] =
                    streams[s].ans
                        ? dc::emitReadAnsSymbol(ib, il, refs[s], ansTables[s],
                                                args[1 + s], &found)
                        : dc::emitReadHuffmanSymbol(ib, il, refs[s], tables[s],
                                                    args[1 + s], &found);
                Value missing = arith::XOrIOp::create(
                    ib, il, found,
                    arith::ConstantIntOp::create(ib, il, ib.getI1Type(), 1));
                dc::emitFailIf(ib, il, status, missing,
                               dc::kDecodeCorruptStream);
                Value v = wordBits > 32
                              ? arith::ExtUIOp::create(ib, il, wordType, sym)
                                    .getResult()
                              : sym;
                if (streams[s].shift)
                  v = arith::ShLIOp::create(ib, il, v,
                                            word(ib, il, streams[s].shift));
                field = arith::OrIOp::create(ib, il, field, v);
                nextArgs.push_back(cursor);
              }
              Value fw = arith::IndexCastUIOp::create(ib, il, wordType, f);
              Value shift =
                  arith::MulIOp::create(ib, il, fw, word(ib, il, fieldBits));
              nextArgs[0] = arith::OrIOp::create(
                  ib, il, args[0], arith::ShLIOp::create(ib, il, field, shift));
              scf::YieldOp::create(ib, il, nextArgs);
            });
        memref::StoreOp::create(ob, ol, inner.getResult(0), wordsBuf,
                                ValueRange{w});
        scf::YieldOp::create(ob, ol, inner.getResults().drop_front());
      });
  // Run-time validation: each stream ends where the compiler's decoder
  // ended; otherwise the words are zeroed (index 0, delta 0: zero weights).
  for (auto [s, end] : llvm::enumerate(ends)) {
    Value wrong = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ne,
                                        wordLoop.getResult(s), end);
    dc::emitFailIf(b, loc, status, wrong, dc::kDecodeCorruptStream);
  }
  dc::emitZeroIfFailed(b, loc, status, wordsBuf, dyn);
  func::ReturnOp::create(b, loc);
  return fn;
}

LogicalResult dc::kernels::emitHuffmanWordsLoader(
    ModuleOp module, Location loc, StringRef prefix, unsigned wordBits,
    int64_t numWords, unsigned fieldsPerWord, unsigned fieldBits,
    ArrayRef<CodedStream> streams, SharedFunctions &shared,
    HuffmanWordsLoader &out, std::string &err) {
  // `prefix` is unique per layout (the kernel pass numbers them): no symbol
  // table, which would make lowering N layers O(N^2).
  dc::GlobalEmitter globals(module, /*uniquePrefix=*/true);
  SmallVector<StreamGlobals> sg(streams.size());
  const uint64_t numSymbols = uint64_t(numWords) * fieldsPerWord;
  for (auto [s, g] : llvm::zip(streams, sg)) {
    if (s.ans) {
      // rANS: the compiler's decoder validates; decoding must end at the
      // final cursor (every byte consumed, the initial state reached).
      std::vector<uint32_t> symbols;
      // Each stream's table covers its own field (at most fieldBits wide).
      uint32_t alphabet =
          fieldBits >= 16 ? dc::kMaxAnsAlphabet : uint32_t(1) << fieldBits;
      if (!dc::ansDecode(s.lengths->data(), s.lengths->size(), s.bytes->data(),
                         s.bytes->size(), numSymbols, alphabet, symbols, &err))
        return failure();
      g.bits = uint64_t(dc::ansFinalCursor(s.bytes->size()));
      g.bytes = globals.byteStream(
          loc, (prefix + "_" + s.name + "_stream").str(), *s.bytes);
      if (numSymbols > 0 &&
          !dc::emitAnsTables(globals, loc,
                             (prefix + "_" + s.name + "_ans").str(), *s.lengths,
                             alphabet, g.ans, &err))
        return failure();
      continue;
    }
    dc::HuffmanDecoder decoder;
    std::vector<uint32_t> symbols;
    if (!decoder.init(*s.lengths, &err) ||
        !decoder.decode(s.bytes->data(), s.bytes->size(), numSymbols, symbols,
                        g.bits, &err))
      return failure();
    g.bytes = globals.byteStream(loc, (prefix + "_" + s.name + "_stream").str(),
                                 *s.bytes);
    if (!dc::emitHuffmanTables(globals, loc,
                               (prefix + "_" + s.name + "_code").str(),
                               *s.lengths, g.tables, &err))
      return failure();
  }
  OpBuilder b(module.getContext());
  auto wordType = b.getIntegerType(wordBits);
  memref::GlobalOp words = globals.buffer(
      loc, (prefix + "_words").str(), MemRefType::get({numWords}, wordType));
  out.words = words.getSymName().str();
  out.ready = globals.onceState(loc, (prefix + "_ready").str());
  memref::GlobalOp status = globals.status(loc, (prefix + "_status").str());

  // The decoder: shared by the payloads of the same word and field widths
  // and stream kinds (each payload passes its globals).
  std::string key;
  {
    llvm::raw_string_ostream os(key);
    os << "load_words " << wordBits << " " << fieldsPerWord << "x" << fieldBits
       << (numSymbols > 0 ? "" : " empty");
    for (auto [s, g] : llvm::zip(streams, sg)) {
      os << (s.ans ? " ans" : " huffman") << " <<" << s.shift;
      if (s.ans && g.ans.freq)
        os << " p" << g.ans.precision << " n" << g.ans.numSymbols;
    }
  }
  func::FuncOp decoder = shared.byKey.lookup(key);
  if (!decoder) {
    decoder =
        emitWordsDecoder(module, loc, shared.newName("load_words"), wordType,
                         fieldsPerWord, fieldBits, streams, sg, numSymbols > 0);
    shared.byKey[key] = decoder;
  }

  // This payload's `PREFIX_load_words()`: its globals into the decoder.
  // Created detached, then appended to the module.
  auto fn = func::FuncOp::create(b, loc, (prefix + "_load_words").str(),
                                 b.getFunctionType({}, {}));
  fn.setPrivate();
  globals.insertFunction(fn);
  out.decode = fn;
  Block *body = fn.addEntryBlock();
  b.setInsertionPointToStart(body);
  auto dynamic = [&](memref::GlobalOp global) -> Value {
    auto type = global.getType();
    return memref::CastOp::create(
        b, loc, MemRefType::get({ShapedType::kDynamic}, type.getElementType()),
        dc::getGlobal(b, loc, global));
  };
  auto i32 = [&](int64_t v) -> Value {
    return arith::ConstantIntOp::create(b, loc, b.getI32Type(), v);
  };
  SmallVector<Value> args{dynamic(words), dc::getGlobal(b, loc, status)};
  for (auto [s, g] : llvm::zip(streams, sg)) {
    args.push_back(dynamic(g.bytes));
    args.push_back(i32(int32_t(dc::streamChecksum(*s.bytes))));
    args.push_back(
        arith::ConstantIntOp::create(b, loc, b.getI64Type(), int64_t(g.bits)));
    if (!s.ans) {
      args.append({dynamic(g.tables.firstCode), dynamic(g.tables.firstIndex),
                   dynamic(g.tables.count), dynamic(g.tables.sorted),
                   i32(g.tables.maxLength)});
    } else if (g.ans.freq) {
      args.append({dc::getGlobal(b, loc, g.ans.freq),
                   dc::getGlobal(b, loc, g.ans.cum)});
    }
  }
  func::CallOp::create(b, loc, decoder, args);
  func::ReturnOp::create(b, loc);
  // The decode-once step that the kernels and dc_init() call.
  out.init = dc::emitInitializer(
      globals, loc, (prefix + "_init").str(), out.ready,
      [&](OpBuilder &tb, Location tl) {
        func::CallOp::create(tb, tl, fn, ValueRange{});
      });
  return success();
}
