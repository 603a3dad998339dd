//===- HuffmanWordsLoader.cpp - decode-once-at-load of a layout -----------===//

#include "HuffmanWordsLoader.h"

#include "dc/Conversion/DecodeEmitter.h"
#include "dc/Core/Ans.h"
#include "dc/Core/Huffman.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/IR/SymbolTable.h"

using namespace mlir;
using namespace dc::kernels;

LogicalResult dc::kernels::emitHuffmanWordsLoader(
    ModuleOp module, Location loc, StringRef prefix, unsigned wordBits,
    int64_t numWords, unsigned fieldsPerWord, unsigned fieldBits,
    ArrayRef<CodedStream> streams, HuffmanWordsLoader &out, std::string &err) {
  // `prefix` is unique per layout (the kernel pass numbers them): no symbol
  // table, which would make lowering N layers O(N^2).
  dc::GlobalEmitter globals(module, /*uniquePrefix=*/true);
  struct StreamGlobals {
    memref::GlobalOp bytes;
    dc::HuffmanTableGlobals tables;
    dc::AnsTableGlobals ans;
    uint64_t bits = 0; // Where the run-time decoder must end (its cursor).
  };
  SmallVector<StreamGlobals> sg(streams.size());
  const uint64_t numSymbols = uint64_t(numWords) * fieldsPerWord;
  for (auto [s, g] : llvm::zip(streams, sg)) {
    if (s.ans) {
      // rANS: the compiler's decoder validates; decoding must end at the
      // final cursor (every byte consumed, the initial state reached).
      std::vector<uint32_t> symbols;
      // Each stream's table covers its own field (at most fieldBits wide).
      uint32_t alphabet = fieldBits >= 16 ? dc::kMaxAnsAlphabet
                                          : uint32_t(1) << fieldBits;
      if (!dc::ansDecode(s.lengths->data(), s.lengths->size(),
                         s.bytes->data(), s.bytes->size(), numSymbols,
                         alphabet, symbols, &err))
        return failure();
      g.bits = uint64_t(dc::ansFinalCursor(s.bytes->size()));
      g.bytes = globals.byteStream(
          loc, (prefix + "_" + s.name + "_stream").str(), *s.bytes);
      if (numSymbols > 0 &&
          !dc::emitAnsTables(globals, loc,
                             (prefix + "_" + s.name + "_ans").str(),
                             *s.lengths, alphabet, g.ans, &err))
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
  Type wordType = b.getIntegerType(wordBits);
  memref::GlobalOp words = globals.buffer(
      loc, (prefix + "_words").str(), MemRefType::get({numWords}, wordType));
  out.words = words.getSymName().str();
  out.ready = globals.onceState(loc, (prefix + "_ready").str());
  memref::GlobalOp status = globals.status(loc, (prefix + "_status").str());

  // Created detached, then appended to the module.
  auto fn = func::FuncOp::create(b, loc, (prefix + "_load_words").str(),
                                 b.getFunctionType({}, {}));
  fn.setPrivate();
  globals.insertFunction(fn);
  out.decode = fn;
  Block *body = fn.addEntryBlock();
  b.setInsertionPointToStart(body);
  SmallVector<dc::StreamRef> refs;
  SmallVector<dc::HuffmanTables> tables;
  SmallVector<dc::AnsTables> ansTables;
  for (auto [s, g] : llvm::zip(streams, sg)) {
    refs.push_back(
        {dc::getGlobal(b, loc, g.bytes), g.bytes.getType().getDimSize(0)});
    tables.push_back(s.ans ? dc::HuffmanTables()
                           : dc::getHuffmanTables(b, loc, g.tables));
    ansTables.push_back(s.ans && g.ans.freq
                            ? dc::getAnsTables(b, loc, g.ans)
                            : dc::AnsTables());
    dc::emitVerifyChecksum(b, loc, refs.back(), dc::streamChecksum(*s.bytes),
                           status);
  }
  Value wordsBuf = dc::getGlobal(b, loc, words);
  Value c0 = arith::ConstantIndexOp::create(b, loc, 0);
  Value c1 = arith::ConstantIndexOp::create(b, loc, 1);
  Value cw = arith::ConstantIndexOp::create(b, loc, numWords);
  Value cp = arith::ConstantIndexOp::create(b, loc, fieldsPerWord);
  auto word = [&](OpBuilder &ob, Location l, int64_t v) -> Value {
    return arith::ConstantIntOp::create(ob, l, wordType, v);
  };
  Value zeroWord = word(b, loc, 0);
  Value zeroCursor = arith::ConstantIntOp::create(b, loc, b.getI64Type(), 0);
  // for each word: for each field: one symbol of each stream (carried bit
  // cursors), word |= (OR of symbol << shift) << (field * fieldBits).
  SmallVector<Value> cursors0;
  for (auto [s, ref] : llvm::zip(streams, refs))
    cursors0.push_back(s.ans && numSymbols > 0
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
              SmallVector<Value> next{Value()};
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
                next.push_back(cursor);
              }
              Value fw = arith::IndexCastUIOp::create(ib, il, wordType, f);
              Value shift =
                  arith::MulIOp::create(ib, il, fw, word(ib, il, fieldBits));
              next[0] = arith::OrIOp::create(
                  ib, il, args[0], arith::ShLIOp::create(ib, il, field, shift));
              scf::YieldOp::create(ib, il, next);
            });
        memref::StoreOp::create(ob, ol, inner.getResult(0), wordsBuf,
                                ValueRange{w});
        scf::YieldOp::create(ob, ol, inner.getResults().drop_front());
      });
  // Run-time validation: each stream ends where the compiler's decoder
  // ended; otherwise the words are zeroed (index 0, delta 0: zero weights).
  for (auto [s, g] : llvm::enumerate(sg)) {
    Value wrong = arith::CmpIOp::create(
        b, loc, arith::CmpIPredicate::ne, wordLoop.getResult(s),
        arith::ConstantIntOp::create(b, loc, b.getI64Type(), int64_t(g.bits)));
    dc::emitFailIf(b, loc, status, wrong, dc::kDecodeCorruptStream);
  }
  dc::emitZeroIfFailed(b, loc, status, wordsBuf, numWords);
  func::ReturnOp::create(b, loc);
  // The decode-once step that the kernels and dc_init() call.
  out.init = dc::emitInitializer(
      globals, loc, (prefix + "_init").str(), out.ready,
      [&](OpBuilder &tb, Location tl) {
        func::CallOp::create(tb, tl, fn, ValueRange{});
      });
  return success();
}
