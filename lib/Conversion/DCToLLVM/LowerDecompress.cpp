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

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Bufferization/IR/Bufferization.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/BuiltinOps.h"
#include "llvm/ADT/DenseMap.h"

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
  /// Decode-once state: the dense buffer and its "decoded" flag.
  memref::GlobalOp dense, ready;
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
};

} // namespace

static Value constIndex(OpBuilder &b, Location loc, int64_t v) {
  return arith::ConstantIndexOp::create(b, loc, v);
}

static Value constI64(OpBuilder &b, Location loc, int64_t v) {
  return arith::ConstantIntOp::create(b, loc, b.getI64Type(), v);
}

FailureOr<Payload *> DCLowerDecompressPass::getPayload(ConstantOp op,
                                                       GlobalEmitter &globals,
                                                       PayloadMap &payloads) {
  auto it = payloads.find(op.getOperation());
  if (it != payloads.end())
    return it->second.get();

  // Validate with the core library first (the verifier skips full decoding
  // of large constants).
  CompressedTensorView view;
  ViewStorage storage;
  if (failed(getView(op, view, storage)))
    return failure();
  std::string error;
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

  Location loc = op.getLoc();
  std::string prefix = "__dc_w" + std::to_string(payloads.size());
  p->values =
      globals.byteStream(loc, prefix + "_values",
                         ArrayRef<uint8_t>(view.values.data, view.values.size));
  p->valuesSize = int64_t(view.values.size) + kStreamPadding;
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
  if (decodeOnce) {
    auto bufferType = MemRefType::get(p->tensorType.getShape(),
                                      Float32Type::get(op.getContext()));
    p->dense = globals.buffer(loc, prefix + "_dense", bufferType);
    p->ready = globals.onceState(loc, prefix + "_ready");
  }
  Payload *result = p.get();
  payloads[op.getOperation()] = std::move(p);
  return result;
}

/// A reader, in the current function, of a payload stream.
static EntryStreamReader makeReader(OpBuilder &b, Location loc,
                                    memref::GlobalOp global, int64_t size,
                                    unsigned width, bool huffman,
                                    const HuffmanTableGlobals &tables) {
  EntryStreamReader reader;
  reader.stream = StreamRef{getGlobal(b, loc, global), size};
  reader.width = width;
  reader.huffman = huffman;
  if (huffman)
    reader.tables = getHuffmanTables(b, loc, tables);
  return reader;
}

/// Emits the loops decoding `p` into `flat`, a 1-D f32 buffer of p.numel
/// elements.
static void emitDecode(OpBuilder &b, Location loc, const Payload &p,
                       Value flat) {
  if (p.numel == 0)
    return;
  const bool huffman = p.params.entropy == EntropyCoding::Huffman;
  const bool raw = p.params.bits == kRawValueBits;
  const bool sparse = p.params.format != StorageFormat::Dense;
  const bool csc = p.params.format == StorageFormat::CSC;
  Value c0 = constIndex(b, loc, 0), c1 = constIndex(b, loc, 1);
  Value cursor0 = constI64(b, loc, 0);

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
                 huffman, p.valueTables);
  Value codebook;
  if (!raw)
    codebook = getGlobal(b, loc, p.codebook);
  auto toF32 = [&](OpBuilder &bb, Location l, Value v) -> Value {
    if (raw)
      return arith::BitcastOp::create(bb, l, bb.getF32Type(), v);
    return emitLoadClamped(bb, l, codebook, p.codebookSize, v);
  };

  if (!sparse) {
    scf::ForOp::create(
        b, loc, c0, constIndex(b, loc, p.numel), c1, ValueRange{cursor0},
        [&](OpBuilder &bb, Location l, Value i, ValueRange args) {
          auto [v, next] = values.read(bb, l, i, args[0]);
          memref::StoreOp::create(bb, l, toF32(bb, l, v), flat, ValueRange{i});
          scf::YieldOp::create(bb, l, ValueRange{next});
        });
    return;
  }

  EntryStreamReader gaps = makeReader(b, loc, p.gaps, p.gapsSize,
                                      p.params.indexBits, huffman, p.gapTables);
  Value pointers = getGlobal(b, loc, p.pointers);
  int64_t numPointers = p.numSlices + 1;
  Value numEntries = constIndex(b, loc, int64_t(p.numEntries));
  Value sliceLength = constI64(b, loc, p.sliceLength);
  Value cols = constI64(b, loc, p.cols);
  // Slices in order; Huffman cursors (values, gaps) carried across slices.
  scf::ForOp::create(
      b, loc, c0, constIndex(b, loc, p.numSlices), c1,
      ValueRange{cursor0, cursor0},
      [&](OpBuilder &bb, Location l, Value s, ValueRange outer) {
        // Entries [start, end) of slice s, clamped to the streams.
        Value sNext = arith::AddIOp::create(bb, l, s, c1);
        Value end = arith::MinUIOp::create(
            bb, l,
            arith::IndexCastUIOp::create(
                bb, l, bb.getIndexType(),
                emitLoadClamped(bb, l, pointers, numPointers, sNext)),
            numEntries);
        Value start = arith::MinUIOp::create(
            bb, l,
            arith::IndexCastUIOp::create(
                bb, l, bb.getIndexType(),
                emitLoadClamped(bb, l, pointers, numPointers, s)),
            end);
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

Value DCLowerDecompressPass::lower(OpBuilder &b, DecompressOp op,
                                   const Payload &p) {
  Location loc = op.getLoc();
  auto tensorType = cast<RankedTensorType>(op.getResult().getType());
  if (!decodeOnce) {
    auto type = MemRefType::get(tensorType.getShape(), b.getF32Type());
    Value buffer = memref::AllocOp::create(b, loc, type);
    emitDecode(b, loc, p, flatten(b, loc, buffer));
    return bufferization::ToTensorOp::create(b, loc, tensorType, buffer,
                                             /*restrict=*/true,
                                             /*writable=*/true);
  }
  emitOnce(b, loc, p.ready, [&](OpBuilder &tb, Location tl) {
    Value buffer = getGlobal(tb, tl, p.dense);
    emitDecode(tb, tl, p, flatten(tb, tl, buffer));
  });
  // Read-only: bufferization copies before any in-place write.
  Value buffer = getGlobal(b, loc, p.dense);
  return bufferization::ToTensorOp::create(b, loc, tensorType, buffer,
                                           /*restrict=*/true,
                                           /*writable=*/false);
}

Value dc::buildDenseContraction(OpBuilder &b, Operation *op) {
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
  auto resultType = cast<RankedTensorType>(op->getResult(0).getType());
  Value zero = arith::ConstantFloatOp::create(b, loc, f32, APFloat(0.0f));
  auto zeros = [&](ArrayRef<int64_t> shape) {
    Value empty = tensor::EmptyOp::create(b, loc, shape, f32);
    return linalg::FillOp::create(b, loc, ValueRange{zero}, ValueRange{empty})
        .getResult(0);
  };
  if (groups == 1 && isMatvec) {
    Value init = zeros(resultType.getShape());
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
                                    ValueRange{w, input},
                                    ValueRange{zeros(resultType.getShape())})
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

/// Rewrites a dc.matvec / dc.matmul left by the kernel passes into a
/// decompression and a linalg contraction.
static void rewriteContraction(Operation *op) {
  OpBuilder b(op);
  Value result = dc::buildDenseContraction(b, op);
  op->getResult(0).replaceAllUsesWith(result);
  op->erase();
}

void DCLowerDecompressPass::runOnOperation() {
  ModuleOp module = getOperation();

  SmallVector<MatvecOp> matvecs;
  SmallVector<MatmulOp> matmuls;
  module.walk([&](Operation *op) {
    if (auto matvec = dyn_cast<MatvecOp>(op))
      matvecs.push_back(matvec);
    else if (auto matmul = dyn_cast<MatmulOp>(op))
      matmuls.push_back(matmul);
  });
  for (MatvecOp op : matvecs)
    rewriteContraction(op);
  for (MatmulOp op : matmuls)
    rewriteContraction(op);

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
}
