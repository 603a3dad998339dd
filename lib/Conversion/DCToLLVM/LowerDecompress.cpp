//===- LowerDecompress.cpp - dc.decompress to run-time decoding loops -----===//
//
// Lowers `dc.decompress` of a `dc.constant` to scf/arith/memref loops that
// decode the payload at run time (see Passes.td for the IR it produces).
//
//===----------------------------------------------------------------------===//

#include "dc/Conversion/DecodeEmitter.h"
#include "dc/Conversion/Passes.h"
#include "dc/Core/CompressedTensor.h"
#include "dc/Dialect/DC/DCUtils.h"
#include "dc/Dialect/DC/Epilogue.h"
#include "dc/Transforms/WeightChain.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Bufferization/IR/Bufferization.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/BuiltinOps.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/StringExtras.h"

#include <memory>

namespace dc {
#define GEN_PASS_DEF_DCLOWERDECOMPRESS
#include "dc/Conversion/Passes.h.inc"
} // namespace dc

using namespace mlir;
using namespace dc;

namespace {

/// The globals and geometry of one `dc.constant`, created once per constant.
struct Payload {
  EncodingParams params;
  RankedTensorType tensorType;
  uint64_t numEntries = 0;
  int64_t cols = 1, numel = 0;
  int64_t numSlices = 0, sliceLength = 0;
  int64_t codebookSize = 0;
  memref::GlobalOp values, gaps, pointers, codebook;
  int64_t valuesSize = 0, gapsSize = 0;
  HuffmanTableGlobals valueTables, gapTables;
  AnsTableGlobals valueAns, gapAns;
  /// Where the run-time decoder of an entropy-coded stream must end: the
  /// bits of a Huffman stream (what the compiler's decoder consumed), the
  /// final cursor of a rANS stream (ansFinalCursor).
  uint64_t valueBits = 0, gapBits = 0;
  /// Checksums of the value and gap streams (streamChecksum).
  uint32_t valuesChecksum = 0, gapsChecksum = 0;
  /// Run-time validation status (DecodeEmitter.h).
  memref::GlobalOp status;
  /// Decode-once state: the dense buffer and its "decoded" flag, and the
  /// initializer function that dc_init() calls.
  memref::GlobalOp dense, ready;
  func::FuncOp init;
};

using PayloadMap = llvm::DenseMap<Operation *, std::unique_ptr<Payload>>;

struct DCLowerDecompressPass
    : dc::impl::DCLowerDecompressBase<DCLowerDecompressPass> {
  using Base::Base;
  void runOnOperation() override;

private:
  FailureOr<Payload *> getPayload(ConstantOp op, GlobalEmitter &globals,
                                  PayloadMap &payloads);
  Value lower(OpBuilder &b, DecompressOp op, const Payload &p);
  Value lowerF32(mlir::OpBuilder &b, mlir::Location loc,
                 mlir::RankedTensorType tensorType, const Payload &p);
};

} // namespace

static Value constIndex(OpBuilder &b, Location loc, int64_t v) {
  return arith::ConstantIndexOp::create(b, loc, v);
}

static Value constI64(OpBuilder &b, Location loc, int64_t v) {
  return arith::ConstantIntOp::create(b, loc, b.getI64Type(), v);
}

static void emitDecode(OpBuilder &b, Location loc, const Payload &p,
                       Value flat);
static Value flatten(OpBuilder &b, Location loc, Value buffer);

FailureOr<Payload *> DCLowerDecompressPass::getPayload(ConstantOp op,
                                                       GlobalEmitter &globals,
                                                       PayloadMap &payloads) {
  auto it = payloads.find(op.getOperation());
  if (it != payloads.end())
    return it->second.get();

  // Nothing of the declared size is emitted before the size is known to be
  // materializable (a tiny payload can declare a huge shape).
  if (failed(checkMaterializable(op, op.getType(), "compressed constant")))
    return failure();
  // Validate with the core library first (the verifier skips full decoding
  // of large constants).
  CompressedTensorView view;
  ViewStorage storage;
  if (failed(getView(op, view, storage)))
    return failure();
  std::string error;
  // Per-group codebooks decode through one codebook of global indices
  // (CompressedTensor.h: expandToLayerCodebook).
  CompressedTensor expanded;
  if (view.params.codebookRows != 0) {
    if (!expandToLayerCodebook(view, expanded, &error)) {
      op.emitOpError("cannot be lowered: ") << error;
      return failure();
    }
    view = expanded.view();
  }
  DecodedEntries entries;
  if (!decodeEntries(view, entries, &error)) {
    op.emitOpError("cannot be lowered: ") << error;
    return failure();
  }

  auto p = std::make_unique<Payload>();
  p->params = view.params;
  p->tensorType = op.getType().getTensorType();
  p->numEntries = view.numEntries;
  int64_t rows, cols;
  matrixDims(view.shape, rows, cols);
  p->cols = cols;
  p->numel = rows * cols;
  bool csc = view.params.format == StorageFormat::CSC;
  p->numSlices = csc ? cols : rows;
  p->sliceLength = csc ? rows : cols;
  bool sparse = view.params.format != StorageFormat::Dense;
  bool huffman = view.params.entropy == EntropyCoding::Huffman;
  bool ans = view.params.entropy == EntropyCoding::Ans;

  if (huffman) {
    for (uint32_t v : entries.values)
      p->valueBits += view.valueCodeLengths[v];
    for (uint32_t g : entries.gaps)
      p->gapBits += view.gapCodeLengths[g];
  }
  if (ans) {
    p->valueBits = uint64_t(ansFinalCursor(view.values.size));
    p->gapBits = uint64_t(ansFinalCursor(view.gaps.size));
  }

  Location loc = op.getLoc();
  std::string prefix = "__dc_w" + std::to_string(payloads.size());
  p->status = globals.status(loc, prefix + "_status");
  p->values =
      globals.byteStream(loc, prefix + "_values",
                         ArrayRef<uint8_t>(view.values.data, view.values.size));
  p->valuesSize = int64_t(view.values.size) + kStreamPadding;
  p->valuesChecksum = streamChecksum(
      ArrayRef<uint8_t>(view.values.data, view.values.size));
  if (view.params.bits != kRawValueBits) {
    p->codebook = globals.f32Table(
        loc, prefix + "_codebook",
        ArrayRef<float>(view.codebook.data, view.codebook.size));
    p->codebookSize = std::max<int64_t>(view.codebook.size, 1);
  }
  if (sparse) {
    p->gaps =
        globals.byteStream(loc, prefix + "_gaps",
                           ArrayRef<uint8_t>(view.gaps.data, view.gaps.size));
    p->gapsSize = int64_t(view.gaps.size) + kStreamPadding;
    p->gapsChecksum =
        streamChecksum(ArrayRef<uint8_t>(view.gaps.data, view.gaps.size));
    p->pointers = globals.i32Table(
        loc, prefix + "_pointers",
        ArrayRef<uint32_t>(view.pointers.data, view.pointers.size));
  }
  if (huffman && view.numEntries > 0) {
    ArrayRef<uint8_t> valueLengths(view.valueCodeLengths.data,
                                   view.valueCodeLengths.size);
    if (!emitHuffmanTables(globals, loc, prefix + "_value_code", valueLengths,
                           p->valueTables, &error)) {
      op.emitOpError("invalid value code table: ") << error;
      return failure();
    }
    if (sparse) {
      ArrayRef<uint8_t> gapLengths(view.gapCodeLengths.data,
                                   view.gapCodeLengths.size);
      if (!emitHuffmanTables(globals, loc, prefix + "_gap_code", gapLengths,
                             p->gapTables, &error)) {
        op.emitOpError("invalid gap code table: ") << error;
        return failure();
      }
    }
  }
  if (ans && view.numEntries > 0) {
    if (!emitAnsTables(globals, loc, prefix + "_value_ans",
                       ArrayRef<uint8_t>(view.valueAnsTable.data,
                                         view.valueAnsTable.size),
                       uint32_t(1) << view.params.bits, p->valueAns, &error)) {
      op.emitOpError("invalid value rANS table: ") << error;
      return failure();
    }
    if (sparse &&
        !emitAnsTables(globals, loc, prefix + "_gap_ans",
                       ArrayRef<uint8_t>(view.gapAnsTable.data,
                                         view.gapAnsTable.size),
                       uint32_t(1) << view.params.indexBits, p->gapAns,
                       &error)) {
      op.emitOpError("invalid gap rANS table: ") << error;
      return failure();
    }
  }
  if (decodeOnce) {
    auto bufferType = MemRefType::get(p->tensorType.getShape(),
                                      Float32Type::get(op.getContext()));
    p->dense = globals.buffer(loc, prefix + "_dense", bufferType);
    p->ready = globals.onceState(loc, prefix + "_ready");
    Payload *raw = p.get();
    p->init = emitInitializer(
        globals, loc, prefix + "_init", p->ready,
        [&](OpBuilder &b, Location l) {
          Value buffer = getGlobal(b, l, raw->dense);
          emitDecode(b, l, *raw, flatten(b, l, buffer));
        });
  }
  Payload *result = p.get();
  payloads[op.getOperation()] = std::move(p);
  return result;
}

/// A reader, in the current function, of a payload stream.
static EntryStreamReader makeReader(OpBuilder &b, Location loc,
                                    memref::GlobalOp global, int64_t size,
                                    unsigned width, EntropyCoding entropy,
                                    const HuffmanTableGlobals &tables,
                                    const AnsTableGlobals &ansTables,
                                    memref::GlobalOp status) {
  EntryStreamReader reader;
  reader.status = status;
  reader.stream = StreamRef{getGlobal(b, loc, global), size};
  reader.width = width;
  reader.huffman = entropy == EntropyCoding::Huffman;
  reader.ans = entropy == EntropyCoding::Ans;
  if (reader.huffman)
    reader.tables = getHuffmanTables(b, loc, tables);
  if (reader.ans)
    reader.ansTables = getAnsTables(b, loc, ansTables);
  return reader;
}

/// Fails the status when the i64 cursor `end` is not `expected`.
static void checkCursor(OpBuilder &b, Location loc, const Payload &p,
                        Value end, uint64_t expected) {
  Value wrong = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ne, end,
                                      constI64(b, loc, int64_t(expected)));
  emitFailIf(b, loc, p.status, wrong, kDecodeCorruptStream);
}

static void emitDecodeEntries(OpBuilder &b, Location loc, const Payload &p,
                              Value flat);

/// Emits the loops decoding `p` into `flat`, a 1-D f32 buffer of p.numel
/// elements. The payload was validated at compile time; what the object
/// holds is validated again while decoding (it may have been corrupted
/// since): a failure sets the payload's status and the buffer is zeroed.
static void emitDecode(OpBuilder &b, Location loc, const Payload &p,
                       Value flat) {
  if (p.numel == 0)
    return;
  if (p.numEntries > 0) {
    emitVerifyChecksum(b, loc, {getGlobal(b, loc, p.values), p.valuesSize},
                       p.valuesChecksum, p.status);
    if (p.params.format != StorageFormat::Dense)
      emitVerifyChecksum(b, loc, {getGlobal(b, loc, p.gaps), p.gapsSize},
                         p.gapsChecksum, p.status);
  }
  emitDecodeEntries(b, loc, p, flat);
  emitZeroIfFailed(b, loc, p.status, flat, p.numel);
}

static void emitDecodeEntries(OpBuilder &b, Location loc, const Payload &p,
                              Value flat) {
  // Entropy-coded streams end at a known cursor.
  const bool huffman = p.params.entropy != EntropyCoding::None;
  const bool raw = p.params.bits == kRawValueBits;
  const bool sparse = p.params.format != StorageFormat::Dense;
  const bool csc = p.params.format == StorageFormat::CSC;
  Value c0 = constIndex(b, loc, 0), c1 = constIndex(b, loc, 1);

  if (sparse || p.numEntries == 0) {
    // Pruned elements are exact zeros.
    Value zero =
        arith::ConstantFloatOp::create(b, loc, b.getF32Type(), APFloat(0.0f));
    scf::ForOp::create(
        b, loc, c0, constIndex(b, loc, p.numel), c1, ValueRange{},
        [&](OpBuilder &bb, Location l, Value i, ValueRange) {
          memref::StoreOp::create(bb, l, zero, flat, ValueRange{i});
          scf::YieldOp::create(bb, l);
        });
  }
  if (p.numEntries == 0)
    return;

  EntryStreamReader values =
      makeReader(b, loc, p.values, p.valuesSize, raw ? 32 : p.params.bits,
                 p.params.entropy, p.valueTables, p.valueAns, p.status);
  Value codebook;
  if (!raw)
    codebook = getGlobal(b, loc, p.codebook);
  // Indices past the codebook fail the status (and are clamped meanwhile).
  const bool checkIndex =
      !raw && uint64_t(p.codebookSize) < (uint64_t(1) << p.params.bits);
  auto toF32 = [&](OpBuilder &bb, Location l, Value v) -> Value {
    if (raw)
      return arith::BitcastOp::create(bb, l, bb.getF32Type(), v);
    if (checkIndex) {
      Value past = arith::CmpIOp::create(
          bb, l, arith::CmpIPredicate::uge, v,
          arith::ConstantIntOp::create(bb, l, bb.getI32Type(),
                                       p.codebookSize));
      emitFailIf(bb, l, p.status, past, kDecodeIndexOutOfRange);
    }
    return emitLoadClamped(bb, l, codebook, p.codebookSize, v);
  };

  if (!sparse) {
    auto loop = scf::ForOp::create(
        b, loc, c0, constIndex(b, loc, p.numel), c1,
        ValueRange{values.initialCursor(b, loc)},
        [&](OpBuilder &bb, Location l, Value i, ValueRange args) {
          auto [v, next] = values.read(bb, l, i, args[0]);
          memref::StoreOp::create(bb, l, toF32(bb, l, v), flat, ValueRange{i});
          scf::YieldOp::create(bb, l, ValueRange{next});
        });
    if (huffman)
      checkCursor(b, loc, p, loop.getResult(0), p.valueBits);
    return;
  }

  EntryStreamReader gaps =
      makeReader(b, loc, p.gaps, p.gapsSize, p.params.indexBits,
                 p.params.entropy, p.gapTables, p.gapAns, p.status);
  Value cursor0 = constI64(b, loc, 0);
  Value pointers = getGlobal(b, loc, p.pointers);
  int64_t numPointers = p.numSlices + 1;
  Value numEntries = constIndex(b, loc, int64_t(p.numEntries));
  Value sliceLength = constI64(b, loc, p.sliceLength);
  Value cols = constI64(b, loc, p.cols);
  // Slices in order; Huffman cursors (values, gaps) carried across slices.
  auto slices = scf::ForOp::create(
      b, loc, c0, constIndex(b, loc, p.numSlices), c1,
      ValueRange{values.initialCursor(b, loc), gaps.initialCursor(b, loc)},
      [&](OpBuilder &bb, Location l, Value s, ValueRange outer) {
        // Entries [start, end) of slice s, clamped to the streams; pointers
        // that decrease or run past the entries fail the status.
        Value sNext = arith::AddIOp::create(bb, l, s, c1);
        Value rawEnd = arith::IndexCastUIOp::create(
            bb, l, bb.getIndexType(),
            emitLoadClamped(bb, l, pointers, numPointers, sNext));
        Value rawStart = arith::IndexCastUIOp::create(
            bb, l, bb.getIndexType(),
            emitLoadClamped(bb, l, pointers, numPointers, s));
        Value badPointers = arith::OrIOp::create(
            bb, l,
            arith::CmpIOp::create(bb, l, arith::CmpIPredicate::ugt, rawEnd,
                                  numEntries),
            arith::CmpIOp::create(bb, l, arith::CmpIPredicate::ugt, rawStart,
                                  rawEnd));
        emitFailIf(bb, l, p.status, badPointers, kDecodeEntryOutOfRange);
        Value end = arith::MinUIOp::create(bb, l, rawEnd, numEntries);
        Value start = arith::MinUIOp::create(bb, l, rawStart, end);
        Value slice = arith::IndexCastUIOp::create(bb, l, bb.getI64Type(), s);
        auto inner = scf::ForOp::create(
            bb, l, start, end, c1, ValueRange{cursor0, outer[0], outer[1]},
            [&](OpBuilder &ib, Location il, Value e, ValueRange args) {
              auto [g, gNext] = gaps.read(ib, il, e, args[2]);
              auto [v, vNext] = values.read(ib, il, e, args[1]);
              // Position in the slice: previous position + 1 + gap.
              Value pos = arith::AddIOp::create(
                  ib, il, args[0],
                  arith::ExtUIOp::create(ib, il, ib.getI64Type(), g));
              Value inside = arith::CmpIOp::create(
                  ib, il, arith::CmpIPredicate::ult, pos, sliceLength);
              Value outside = arith::XOrIOp::create(
                  ib, il, inside,
                  arith::ConstantIntOp::create(ib, il, ib.getI1Type(), 1));
              emitFailIf(ib, il, p.status, outside, kDecodeEntryOutOfRange);
              scf::IfOp::create(
                  ib, il, inside, [&](OpBuilder &tb, Location tl) {
                    Value element =
                        csc ? arith::AddIOp::create(
                                  tb, tl,
                                  arith::MulIOp::create(tb, tl, pos, cols),
                                  slice)
                            : arith::AddIOp::create(
                                  tb, tl,
                                  arith::MulIOp::create(tb, tl, slice, cols),
                                  pos);
                    Value index = arith::IndexCastUIOp::create(
                        tb, tl, tb.getIndexType(), element);
                    memref::StoreOp::create(tb, tl, toF32(tb, tl, v), flat,
                                            ValueRange{index});
                    scf::YieldOp::create(tb, tl);
                  });
              Value nextPos =
                  arith::AddIOp::create(ib, il, pos, constI64(ib, il, 1));
              scf::YieldOp::create(ib, il, ValueRange{nextPos, vNext, gNext});
            });
        scf::YieldOp::create(
            bb, l, ValueRange{inner.getResult(1), inner.getResult(2)});
      });
  if (huffman) {
    checkCursor(b, loc, p, slices.getResult(0), p.valueBits);
    checkCursor(b, loc, p, slices.getResult(1), p.gapBits);
  }
  // The last pointer must be the number of entries.
  Value last = arith::IndexCastUIOp::create(
      b, loc, b.getIndexType(),
      emitLoadClamped(b, loc, pointers, numPointers,
                      constIndex(b, loc, p.numSlices)));
  Value short_ = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ne, last,
                                       numEntries);
  emitFailIf(b, loc, p.status, short_, kDecodeEntryOutOfRange);
}

/// A 1-D view of a contiguous buffer of any rank.
static Value flatten(OpBuilder &b, Location loc, Value buffer) {
  auto type = cast<MemRefType>(buffer.getType());
  if (type.getRank() == 1)
    return buffer;
  if (type.getRank() == 0)
    return memref::ExpandShapeOp::create(
        b, loc, MemRefType::get({1}, type.getElementType()), buffer,
        ArrayRef<ReassociationIndices>{});
  ReassociationIndices all;
  for (int64_t i = 0; i < type.getRank(); ++i)
    all.push_back(i);
  return memref::CollapseShapeOp::create(b, loc, buffer,
                                         ArrayRef<ReassociationIndices>{all});
}

/// `v` (f32) truncated to `type`'s element type by an elementwise generic.
static Value truncateTo(OpBuilder &b, Location loc, Value v,
                        RankedTensorType type) {
  Value init = tensor::EmptyOp::create(b, loc, type.getShape(),
                                       type.getElementType());
  AffineMap id =
      AffineMap::getMultiDimIdentityMap(type.getRank(), b.getContext());
  return linalg::GenericOp::create(
             b, loc, TypeRange{type}, ValueRange{v}, ValueRange{init},
             ArrayRef<AffineMap>{id, id},
             SmallVector<utils::IteratorType>(type.getRank(),
                                              utils::IteratorType::parallel),
             [&](OpBuilder &nb, Location nl, ValueRange args) {
               Value t = arith::TruncFOp::create(nb, nl, type.getElementType(),
                                                 args[0]);
               linalg::YieldOp::create(nb, nl, t);
             })
      ->getResult(0);
}

Value DCLowerDecompressPass::lower(OpBuilder &b, DecompressOp op,
                                   const Payload &p) {
  Location loc = op.getLoc();
  auto resultType = cast<RankedTensorType>(op.getResult().getType());
  if (!resultType.getElementType().isF32()) {
    // f16 / bf16 layers: the codebook holds values of that type, decoded as
    // f32 and truncated exactly.
    auto f32Type = resultType.clone(b.getF32Type());
    Value decoded = lowerF32(b, loc, f32Type, p);
    return truncateTo(b, loc, decoded, resultType);
  }
  return lowerF32(b, loc, resultType, p);
}

Value DCLowerDecompressPass::lowerF32(OpBuilder &b, Location loc,
                                      RankedTensorType tensorType,
                                      const Payload &p) {
  if (!decodeOnce) {
    auto type = MemRefType::get(tensorType.getShape(), b.getF32Type());
    Value buffer = memref::AllocOp::create(b, loc, type);
    emitDecode(b, loc, p, flatten(b, loc, buffer));
    return bufferization::ToTensorOp::create(b, loc, tensorType, buffer,
                                             /*restrict=*/true,
                                             /*writable=*/true);
  }
  func::CallOp::create(b, loc, p.init, ValueRange{});
  // Read-only: bufferization copies before any in-place write.
  Value buffer = getGlobal(b, loc, p.dense);
  return bufferization::ToTensorOp::create(b, loc, tensorType, buffer,
                                           /*restrict=*/true,
                                           /*writable=*/false);
}

static Value buildDenseProduct(OpBuilder &b, Operation *op);

/// The dense contraction of `op`, then its epilogue (if any) as one
/// elementwise linalg.generic.
Value dc::buildDenseContraction(OpBuilder &b, Operation *op) {
  Value y = buildDenseProduct(b, op);
  Region &epilogue = op->getRegion(0);
  if (!y || epilogue.empty())
    return y;
  Location loc = op->getLoc();
  auto type = cast<RankedTensorType>(y.getType());
  int64_t rank = type.getRank();
  MLIRContext *ctx = b.getContext();
  AffineMap identity = AffineMap::getMultiDimIdentityMap(rank, ctx);
  SmallVector<Value> ins{y};
  SmallVector<AffineMap> maps{identity};
  for (Value v : getEpilogueOperands(op)) {
    ins.push_back(v);
    maps.push_back(isPerRowEpilogueOperand(op, v)
                       ? AffineMap::get(rank, 0, b.getAffineDimExpr(0), ctx)
                       : identity);
  }
  maps.push_back(identity);
  SmallVector<OpFoldResult> sizes = tensor::getMixedSizes(b, loc, y);
  Value empty = tensor::EmptyOp::create(b, loc, sizes, type.getElementType());
  SmallVector<utils::IteratorType> iterators(rank,
                                             utils::IteratorType::parallel);
  return linalg::GenericOp::create(
             b, loc, TypeRange{type}, ins, ValueRange{empty}, maps, iterators,
             [&](OpBuilder &nb, Location l, ValueRange args) {
               Value v = emitEpilogue(nb, l, epilogue, args[0],
                                      args.drop_front().drop_back());
               linalg::YieldOp::create(nb, l, v);
             })
      .getResult(0);
}

static Value buildDenseProduct(OpBuilder &b, Operation *op) {
  Location loc = op->getLoc();
  Value weight = op->getOperand(0), input = op->getOperand(1);
  bool transposeW = op->hasAttr("transpose_w");
  int64_t groups = 1;
  if (auto attr = op->getAttrOfType<IntegerAttr>("groups"))
    groups = attr.getInt();
  bool isMatvec = isa<MatvecOp>(op);
  RankedTensorType weightType =
      cast<CompressedType>(weight.getType()).getTensorType();
  FloatType f32 = b.getF32Type();
  Value w = DecompressOp::create(b, loc, weightType, weight);
  // `outs` is overwritten: the linalg contraction accumulates into it
  // zero-filled (its own value, so dynamic sizes carry over).
  Value out = op->getOperand(2);
  auto resultType = cast<RankedTensorType>(out.getType());
  Value zero = arith::ConstantFloatOp::create(b, loc, f32, APFloat(0.0f));
  auto zeros = [&](ArrayRef<int64_t> shape) {
    Value empty = tensor::EmptyOp::create(b, loc, shape, f32);
    return linalg::FillOp::create(b, loc, ValueRange{zero}, ValueRange{empty})
        .getResult(0);
  };
  auto zeroOut = [&] {
    return linalg::FillOp::create(b, loc, ValueRange{zero}, ValueRange{out})
        .getResult(0);
  };
  if (groups > 1 && !resultType.hasStaticShape()) {
    op->emitOpError("with groups > 1 needs static shapes to be lowered "
                    "densely");
    return {};
  }
  if (groups == 1 && isMatvec) {
    Value init = zeroOut();
    if (transposeW)
      return linalg::VecmatOp::create(b, loc, TypeRange{resultType},
                                      ValueRange{input, w}, ValueRange{init})
          .getResult(0);
    return linalg::MatvecOp::create(b, loc, TypeRange{resultType},
                                    ValueRange{w, input}, ValueRange{init})
        .getResult(0);
  }
  // A: the effective M x K matrix.
  int64_t m = weightType.getDimSize(0), k = weightType.getDimSize(1);
  if (transposeW) {
    std::swap(m, k);
    Value transposedInit =
        tensor::EmptyOp::create(b, loc, ArrayRef<int64_t>{m, k}, f32);
    w = linalg::TransposeOp::create(b, loc, w, transposedInit,
                                    ArrayRef<int64_t>{1, 0})
            .getResult()[0];
  }
  if (groups == 1)
    return linalg::MatmulOp::create(b, loc, TypeRange{resultType},
                                    ValueRange{w, input}, ValueRange{zeroOut()})
        .getResult(0);
  // groups = G: A as [G, M/G, K], the input as [G, K(, N)], one batch entry
  // per group.
  int64_t mg = m / groups;
  Value a = tensor::ExpandShapeOp::create(
      b, loc, RankedTensorType::get({groups, mg, k}, f32), w,
      ArrayRef<ReassociationIndices>{{0, 1}, {2}});
  if (isMatvec) {
    Value x = tensor::ExpandShapeOp::create(
        b, loc, RankedTensorType::get({groups, k}, f32), input,
        ArrayRef<ReassociationIndices>{{0, 1}});
    auto type = RankedTensorType::get({groups, mg}, f32);
    Value y = linalg::BatchMatvecOp::create(b, loc, TypeRange{type},
                                            ValueRange{a, x},
                                            ValueRange{zeros(type.getShape())})
                  .getResult(0);
    return tensor::CollapseShapeOp::create(
        b, loc, resultType, y, ArrayRef<ReassociationIndices>{{0, 1}});
  }
  int64_t n = resultType.getDimSize(1);
  Value x = tensor::ExpandShapeOp::create(
      b, loc, RankedTensorType::get({groups, k, n}, f32), input,
      ArrayRef<ReassociationIndices>{{0, 1}, {2}});
  auto type = RankedTensorType::get({groups, mg, n}, f32);
  Value y = linalg::BatchMatmulOp::create(b, loc, TypeRange{type},
                                          ValueRange{a, x},
                                          ValueRange{zeros(type.getShape())})
                .getResult(0);
  return tensor::CollapseShapeOp::create(
      b, loc, resultType, y, ArrayRef<ReassociationIndices>{{0, 1}, {2}});
}

bool dc::hasKernelLowering(Operation *op) {
  auto constant = op->getOperand(0).getDefiningOp<ConstantOp>();
  if (!constant)
    return false;
  return constant.getType().getEncoding().hasCodebook() &&
         cast<ShapedType>(op->getOperand(1).getType()).hasStaticShape() &&
         cast<ShapedType>(op->getOperand(2).getType()).hasStaticShape();
}

/// Rewrites a dc.matvec / dc.matmul left by the kernel passes into a
/// decompression and a linalg contraction.
static LogicalResult rewriteContraction(Operation *op) {
  OpBuilder b(op);
  Value result = dc::buildDenseContraction(b, op);
  if (!result)
    return failure();
  op->getResult(0).replaceAllUsesWith(result);
  op->erase();
  return success();
}

/// The ops that read the decoded weights of `op`, looking through the pure
/// layout ops of weight chains: the consumers no kernel runs on.
static SmallVector<std::string> getDenseConsumers(DecompressOp op) {
  SmallVector<std::string> names;
  SmallVector<Operation *> worklist(op->getUsers().begin(),
                                    op->getUsers().end());
  DenseSet<Operation *> seen;
  while (!worklist.empty()) {
    Operation *user = worklist.pop_back_val();
    if (!seen.insert(user).second)
      continue;
    if (isWeightLayoutOp(user)) {
      worklist.append(user->getUsers().begin(), user->getUsers().end());
      continue;
    }
    std::string name = user->getName().getStringRef().str();
    if (!llvm::is_contained(names, name))
      names.push_back(name);
  }
  llvm::sort(names);
  return names;
}

void DCLowerDecompressPass::runOnOperation() {
  ModuleOp module = getOperation();

  // Compute ops on tensors to lower densely (on memrefs they are
  // dc-lower-compute's).
  SmallVector<Operation *> contractions;
  module.walk([&](Operation *op) {
    if (isa<MatvecOp, MatmulOp>(op) && op->getNumResults() == 1 &&
        !(keepCompute && hasKernelLowering(op)))
      contractions.push_back(op);
  });
  // The dense fallback materializes the weights and the result.
  bool tooLarge = false;
  for (Operation *op : contractions)
    tooLarge |=
        failed(checkMaterializable(op, op->getResult(0).getType(), "result"));
  if (tooLarge)
    return signalPassFailure();
  for (Operation *op : contractions)
    if (failed(rewriteContraction(op)))
      return signalPassFailure();

  SmallVector<DecompressOp> decompresses;
  module.walk([&](DecompressOp op) { decompresses.push_back(op); });
  GlobalEmitter globals(module);
  PayloadMap payloads;
  bool anyFailed = false;
  for (DecompressOp op : decompresses) {
    auto constant = op.getInput().getDefiningOp<ConstantOp>();
    if (!constant) {
      op.emitOpError("can only be lowered when its input is a dc.constant");
      anyFailed = true;
      continue;
    }
    FailureOr<Payload *> payload = getPayload(constant, globals, payloads);
    if (failed(payload)) {
      anyFailed = true;
      continue;
    }
    // Never silently dense: a layer decoded here runs on a dense copy. An
    // NCHW depthwise filter marked dc.decode_at_load does so by design (the
    // glue's vectorized rows): listed in the stats, no warning.
    SmallVector<std::string> consumers = getDenseConsumers(op);
    std::string layer = "w";
    if (auto name = constant->getAttrOfType<StringAttr>("dc.layer"))
      layer = name.getValue().str();
    if (op->hasAttr(kDecodeAtLoadAttr)) {
      constexpr llvm::StringLiteral rows = "linalg.depthwise_conv_2d_nchw_chw";
      if (stats && llvm::is_contained(consumers, rows))
        printDenseLayerStats(llvm::errs(), "dc-lower-decompress", layer,
                             "decoded-at-load", rows, constant);
      llvm::erase(consumers, rows);
    }
    if (!consumers.empty()) {
      op.emitWarning() << "layer '" << layer
                       << "' is decoded to a dense buffer: no kernel reads it "
                          "compressed in its consumer"
                       << (consumers.size() > 1 ? "s" : "") << " '"
                       << llvm::join(consumers, "', '") << "'";
      if (stats)
        printDenseLayerStats(llvm::errs(), "dc-lower-decompress", layer,
                             "dense", llvm::join(consumers, ","), constant);
    }
    OpBuilder b(op);
    Value result = lower(b, op, **payload);
    op.getResult().replaceAllUsesWith(result);
    op.erase();
  }
  if (anyFailed)
    return signalPassFailure();

  SmallVector<ConstantOp> constants;
  module.walk([&](ConstantOp op) { constants.push_back(op); });
  for (ConstantOp op : constants)
    if (op->use_empty())
      op.erase();
  // dc_init() / dc_status() over this pass's initializers and those of the
  // kernel passes before it.
  if (failed(emitInitEntryPoints(module)))
    return signalPassFailure();
}
