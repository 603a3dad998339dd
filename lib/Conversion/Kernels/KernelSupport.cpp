//===- KernelSupport.cpp - shared pieces of dc's kernel generators --------===//

#include "KernelSupport.h"
#include "KernelEpilogue.h"

#include "dc/Core/Ans.h"
#include "dc/Core/Huffman.h"

#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/TargetParser/Host.h"

using namespace mlir;
using namespace dc::kernels;

Target dc::kernels::resolveTarget(StringRef cpu, unsigned vectorWidth) {
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
    static const char *avx512Cpus[] = {"znver4",
                                       "znver5",
                                       "skylake-avx512",
                                       "cascadelake",
                                       "cooperlake",
                                       "cannonlake",
                                       "icelake-client",
                                       "icelake-server",
                                       "tigerlake",
                                       "sapphirerapids",
                                       "emeraldrapids",
                                       "graniterapids",
                                       "rocketlake",
                                       "x86-64-v4",
                                       "knl",
                                       "knm",
                                       "diamondrapids"};
    static const char *avx2Cpus[] = {
        "haswell",   "broadwell",  "skylake",      "znver1",     "znver2",
        "znver3",    "alderlake",  "raptorlake",   "meteorlake", "arrowlake",
        "x86-64-v3", "gracemont",  "sierraforest", "grandridge", "bdver4",
        "lunarlake", "pantherlake"};
    for (const char *c : avx512Cpus)
      avx512 |= cpu == c;
    for (const char *c : avx2Cpus)
      avx2 |= cpu == c;
  }
  t.avx512 = avx512;
  t.avx2 = avx2 || avx512;
  t.vw = vectorWidth ? vectorWidth : avx512 ? 16 : avx2 ? 8 : 4;
  return t;
}

LogicalResult dc::kernels::buildRowLists(const dc::CompressedTensorView &view,
                                         bool transposeW, RowLists &rl,
                                         int64_t &m, int64_t &k,
                                         std::string &err) {
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

LogicalResult dc::kernels::huffmanCodeStream(
    const std::vector<uint32_t> &symbols, size_t alphabetSize,
    std::vector<uint8_t> &lengths, std::vector<uint8_t> &bytes,
    uint64_t &tableBytes, std::string &err, bool ans) {
  if (ans) {
    if (!dc::ansEncode(symbols, uint32_t(alphabetSize), lengths, bytes, &err))
      return failure();
    dc::AnsTable table;
    if (!symbols.empty() &&
        !dc::readAnsTable(lengths.data(), lengths.size(),
                          uint32_t(alphabetSize), table, &err))
      return failure();
    // The loader's frequency and cumulative-frequency i32 globals.
    tableBytes += 4 * (2 * table.freqs.size() + 1);
    return success();
  }
  std::vector<uint64_t> freq(alphabetSize, 0);
  for (uint32_t s : symbols) {
    if (s >= alphabetSize) {
      err = "symbol outside the alphabet of the execution layout";
      return failure();
    }
    ++freq[s];
  }
  lengths = dc::buildHuffmanCodeLengths(freq);
  uint64_t bits = 0;
  if (!dc::verifyHuffmanCodeLengths(lengths, &err))
    return failure();
  if (!dc::huffmanEncode(symbols, lengths, bytes, bits)) {
    err = "huffman encoding of the execution layout failed";
    return failure();
  }
  dc::HuffmanDecoder decoder;
  if (!decoder.init(lengths, &err))
    return failure();
  tableBytes += 4 * (std::max<size_t>(decoder.firstCode.size(), 1) +
                     std::max<size_t>(decoder.firstIndex.size(), 1) +
                     std::max<size_t>(decoder.countPerLength.size(), 1) +
                     std::max<size_t>(decoder.sortedSymbols.size(), 1));
  return success();
}

void dc::kernels::forEachGroup(
    KernelBuilder &bd, int64_t m, unsigned r, const GroupRange &range,
    llvm::function_ref<void(unsigned, Value, int64_t)> body) {
  OpBuilder &b = bd.b;
  int64_t full = m / r, rest = m % r;
  if (full > 0) {
    Value lo = range.isStatic ? bd.idx(0) : range.g0;
    Value hi = range.isStatic
                   ? bd.idx(full)
                   : arith::MinUIOp::create(b, bd.loc, range.g1, bd.idx(full))
                         .getResult();
    auto loop = scf::ForOp::create(b, bd.loc, lo, hi, bd.idx(1));
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPoint(loop.getBody()->getTerminator());
    body(r, loop.getInductionVar(), -1);
  }
  if (rest == 0)
    return;
  if (range.isStatic) {
    body(unsigned(rest), bd.idx(full), full);
    return;
  }
  // The partial group (index `full`, the last) is in [g0, g1).
  Value after = arith::CmpIOp::create(b, bd.loc, arith::CmpIPredicate::ugt,
                                      range.g1, bd.idx(full));
  Value before = arith::CmpIOp::create(b, bd.loc, arith::CmpIPredicate::ule,
                                       range.g0, bd.idx(full));
  Value has = arith::AndIOp::create(b, bd.loc, after, before);
  auto ifOp = scf::IfOp::create(b, bd.loc, has, /*withElse=*/false);
  OpBuilder::InsertionGuard guard(b);
  b.setInsertionPoint(ifOp.thenBlock()->getTerminator());
  body(unsigned(rest), bd.idx(full), full);
}

void dc::kernels::forEachColumnBlock(
    KernelBuilder &bd, int64_t n, unsigned vw, unsigned u,
    llvm::function_ref<void(Value, ArrayRef<int64_t>)> emitBlock) {
  int64_t block = int64_t(vw) * u;
  int64_t fullBlocks = n / block, tail = n % block;
  if (fullBlocks > 0) {
    SmallVector<int64_t> lens(u, vw);
    if (fullBlocks == 1) {
      emitBlock(bd.idx(0), lens);
    } else {
      auto loop = scf::ForOp::create(bd.b, bd.loc, bd.idx(0),
                                     bd.idx(fullBlocks * block), bd.idx(block));
      OpBuilder::InsertionGuard guard(bd.b);
      bd.b.setInsertionPoint(loop.getBody()->getTerminator());
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

void dc::kernels::storeRowVector(KernelBuilder &bd, Value v, Value y, Value row,
                                 Value col, Value mask) {
  if (bd.epilogue)
    v = bd.epilogue->atRowCols(bd, v, row, col, mask);
  if (mask)
    vector::MaskedStoreOp::create(bd.b, bd.loc, y, ValueRange{row, col}, mask,
                                  v);
  else
    vector::StoreOp::create(bd.b, bd.loc, v, y, ValueRange{row, col});
}
