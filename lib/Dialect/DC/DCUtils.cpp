//===- DCUtils.cpp - Bridges between dc IR and the core library -----------===//

#include "dc/Dialect/DC/DCUtils.h"

#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/DialectResourceBlobManager.h"

#include <cstring>

using namespace mlir;
using namespace dc;

EncodingParams dc::toParams(EncodingAttr encoding) {
  EncodingParams params;
  switch (encoding.getFormat()) {
  case Format::Dense:
    params.format = StorageFormat::Dense;
    break;
  case Format::CSC:
    params.format = StorageFormat::CSC;
    break;
  case Format::CSR:
    params.format = StorageFormat::CSR;
    break;
  }
  params.bits = encoding.getBits();
  params.indexBits = encoding.getIndexBits();
  switch (encoding.getEntropy()) {
  case Entropy::None:
    params.entropy = EntropyCoding::None;
    break;
  case Entropy::Huffman:
    params.entropy = EntropyCoding::Huffman;
    break;
  case Entropy::Ans:
    params.entropy = EntropyCoding::Ans;
    break;
  }
  params.codebookRows = encoding.getCodebookRows();
  return params;
}

EncodingAttr dc::toAttr(MLIRContext *ctx, const EncodingParams &params) {
  Format format = params.format == StorageFormat::Dense ? Format::Dense
                  : params.format == StorageFormat::CSC ? Format::CSC
                                                        : Format::CSR;
  Entropy entropy = params.entropy == EntropyCoding::Huffman ? Entropy::Huffman
                    : params.entropy == EntropyCoding::Ans   ? Entropy::Ans
                                                             : Entropy::None;
  return EncodingAttr::get(ctx, format, params.bits, params.indexBits,
                           entropy, params.codebookRows);
}

/// Points `span` at the contents of `attr` (rank 1, element type `elementType`
/// of sizeof(T) bytes), copying into `storage` only when it cannot alias.
template <typename T>
static LogicalResult readElements(Operation *op, StringRef name,
                                  ElementsAttr attr, Type elementType,
                                  Span<T> &span, std::vector<T> &storage,
                                  int64_t rank = 1) {
  auto type = cast<ShapedType>(attr.getType());
  if (type.getElementType() != elementType || type.getRank() != rank)
    return op->emitOpError()
           << "'" << name << "' must be a " << rank << "-D tensor of "
           << elementType << ", got " << type;
  // The element count and byte size of a declared type are computed with
  // overflow checks: a 1-D tensor of 2^62 + 1 i32 "holds" 4 bytes when the
  // product wraps around.
  uint64_t count = 0, byteSize = 0;
  if (!checkedNumElements(type.getShape().data(), type.getRank(), count) ||
      __builtin_mul_overflow(count, uint64_t(sizeof(T)), &byteSize))
    return op->emitOpError() << "'" << name << "' has a type " << type
                             << " whose size in bytes overflows";
  size_t numElements = count;
  ArrayRef<char> raw;
  bool splat = false;
  if (auto resource = dyn_cast<DenseResourceElementsAttr>(attr)) {
    AsmResourceBlob *blob = resource.getRawHandle().getBlob();
    if (!blob)
      return op->emitOpError() << "resource blob of '" << name
                               << "' is missing";
    raw = blob->getData();
  } else if (auto dense = dyn_cast<DenseElementsAttr>(attr)) {
    raw = dense.getRawData();
    splat = dense.isSplat();
  } else {
    return op->emitOpError() << "'" << name
                             << "' must be a dense or dense_resource attribute";
  }
  if (splat) {
    if (raw.size() < sizeof(T))
      return op->emitOpError() << "'" << name << "' has a malformed splat";
    if (count > kMaxDenseElements)
      return op->emitOpError()
             << "'" << name << "' is a splat of " << count
             << " elements, more than dc materializes (" << kMaxDenseElements
             << ")";
    T value;
    std::memcpy(&value, raw.data(), sizeof(T));
    storage.assign(numElements, value);
    span = Span<T>(storage);
    return success();
  }
  if (raw.size() != byteSize)
    return op->emitOpError() << "'" << name << "' holds " << raw.size()
                             << " bytes, expected " << byteSize;
  if (reinterpret_cast<uintptr_t>(raw.data()) % alignof(T) != 0) {
    storage.resize(numElements);
    std::memcpy(storage.data(), raw.data(), raw.size());
    span = Span<T>(storage);
    return success();
  }
  span = Span<T>(reinterpret_cast<const T *>(raw.data()), numElements);
  return success();
}

LogicalResult dc::getView(ConstantOp op, CompressedTensorView &view,
                          ViewStorage &storage) {
  Builder b(op.getContext());
  CompressedType type = op.getType();
  view.shape.assign(type.getTensorType().getShape().begin(),
                    type.getTensorType().getShape().end());
  view.params = toParams(type.getEncoding());
  view.numEntries = op.getNumEntries();
  Operation *o = op.getOperation();
  if (failed(readElements(o, "values", op.getValues(), b.getI8Type(),
                          view.values, storage.values)))
    return failure();
  // Per-group codebooks are [groups, E]; the view holds them group-major.
  if (auto attr = op.getCodebookAttr())
    if (failed(readElements(o, "codebook", attr, b.getF32Type(), view.codebook,
                            storage.codebook,
                            view.params.codebookRows ? 2 : 1)))
      return failure();
  if (auto attr = op.getPointersAttr())
    if (failed(readElements(o, "pointers", attr, b.getI32Type(), view.pointers,
                            storage.pointers)))
      return failure();
  if (auto attr = op.getGapsAttr())
    if (failed(readElements(o, "gaps", attr, b.getI8Type(), view.gaps,
                            storage.gaps)))
      return failure();
  if (auto attr = op.getValueCodeLengthsAttr())
    if (failed(readElements(o, "value_code_lengths", attr, b.getI8Type(),
                            view.valueCodeLengths, storage.valueCodeLengths)))
      return failure();
  if (auto attr = op.getGapCodeLengthsAttr())
    if (failed(readElements(o, "gap_code_lengths", attr, b.getI8Type(),
                            view.gapCodeLengths, storage.gapCodeLengths)))
      return failure();
  if (auto attr = op.getValueAnsTableAttr())
    if (failed(readElements(o, "value_ans_table", attr, b.getI8Type(),
                            view.valueAnsTable, storage.valueAnsTable)))
      return failure();
  if (auto attr = op.getGapAnsTableAttr())
    if (failed(readElements(o, "gap_ans_table", attr, b.getI8Type(),
                            view.gapAnsTable, storage.gapAnsTable)))
      return failure();
  return success();
}

LogicalResult dc::checkMaterializable(Operation *op, Type type,
                                      StringRef what) {
  ShapedType shaped;
  if (auto compressed = dyn_cast<CompressedType>(type))
    shaped = compressed.getTensorType();
  else
    shaped = dyn_cast<ShapedType>(type);
  if (!shaped || !shaped.hasRank() || !shaped.hasStaticShape())
    return success();
  uint64_t count = 0;
  if (!checkedNumElements(shaped.getShape().data(), shaped.getRank(), count))
    return op->emitOpError() << what << " " << type
                             << " has an element count that overflows";
  if (count > kMaxDenseElements)
    return op->emitOpError()
           << what << " has " << count
           << " elements, more than dc materializes (kMaxDenseElements = "
           << kMaxDenseElements << ")";
  return success();
}

LogicalResult dc::decompressConstant(ConstantOp op, std::vector<float> &dense) {
  CompressedTensorView view;
  ViewStorage storage;
  if (failed(getView(op, view, storage)))
    return failure();
  std::string error;
  if (!decompressToDense(view, dense, &error))
    return op.emitOpError(error);
  return success();
}

/// Payloads up to this many bytes stay readable inline attributes.
static constexpr size_t kInlineLimit = 64;

template <typename T>
static ElementsAttr makeElements(MLIRContext *ctx, Type elementType,
                                 ArrayRef<T> data, StringRef blobName) {
  auto type = RankedTensorType::get({int64_t(data.size())}, elementType);
  ArrayRef<char> raw(reinterpret_cast<const char *>(data.data()),
                     data.size() * sizeof(T));
  if (raw.size() <= kInlineLimit)
    return DenseElementsAttr::getFromRawBuffer(type, raw);
  return DenseResourceElementsAttr::get(
      type, blobName,
      HeapAsmResourceBlob::allocateAndCopyWithAlign(raw, alignof(uint64_t),
                                                    /*dataIsMutable=*/false));
}

ElementsAttr dc::makeF32Elements(RankedTensorType type, ArrayRef<float> data,
                                 StringRef blobName) {
  ArrayRef<char> raw(reinterpret_cast<const char *>(data.data()),
                     data.size() * sizeof(float));
  if (raw.size() <= kInlineLimit)
    return DenseElementsAttr::getFromRawBuffer(type, raw);
  return DenseResourceElementsAttr::get(
      type, blobName,
      HeapAsmResourceBlob::allocateAndCopyWithAlign(raw, alignof(uint64_t),
                                                    /*dataIsMutable=*/false));
}

FailureOr<ArrayRef<float>> dc::getF32Elements(ElementsAttr attr,
                                              std::vector<float> &storage,
                                              std::string *why) {
  auto fail = [&](const Twine &message) -> FailureOr<ArrayRef<float>> {
    if (why)
      *why = message.str();
    return failure();
  };
  auto type = cast<ShapedType>(attr.getType());
  if (!type.getElementType().isF32() || !type.hasStaticShape())
    return fail("the weights are not a static f32 tensor");
  // Checked: 5 x 2^62 f32 must not wrap around to a 0-byte payload.
  uint64_t count = 0, byteSize = 0;
  if (!checkedNumElements(type.getShape().data(), type.getRank(), count) ||
      __builtin_mul_overflow(count, uint64_t(sizeof(float)), &byteSize))
    return fail("the size in bytes of the weight type overflows");
  size_t n = count;
  ArrayRef<char> raw;
  if (auto resource = dyn_cast<DenseResourceElementsAttr>(attr)) {
    AsmResourceBlob *blob = resource.getRawHandle().getBlob();
    if (!blob)
      return fail("the weights' resource blob is missing");
    raw = blob->getData();
  } else if (auto dense = dyn_cast<DenseElementsAttr>(attr)) {
    raw = dense.getRawData();
    if (dense.isSplat()) {
      if (raw.size() < sizeof(float))
        return fail("the weights are a malformed splat");
      if (count > kMaxDenseElements)
        return fail("the weights are a splat of " + Twine(count) +
                    " elements, more than dc materializes (" +
                    Twine(kMaxDenseElements) + ")");
      float v;
      std::memcpy(&v, raw.data(), sizeof(float));
      storage.assign(n, v);
      return ArrayRef<float>(storage);
    }
  } else {
    return fail("the weights are neither dense nor dense_resource");
  }
  if (raw.size() != byteSize)
    return fail("the weights hold " + Twine(raw.size()) +
                " bytes, but their type needs " + Twine(byteSize));
  if (reinterpret_cast<uintptr_t>(raw.data()) % alignof(float) != 0) {
    storage.resize(n);
    std::memcpy(storage.data(), raw.data(), raw.size());
    return ArrayRef<float>(storage);
  }
  return ArrayRef<float>(reinterpret_cast<const float *>(raw.data()), n);
}

LogicalResult dc::readF32Elements(ElementsAttr attr, std::vector<float> &data) {
  std::vector<float> storage;
  FailureOr<ArrayRef<float>> values = getF32Elements(attr, storage);
  if (failed(values))
    return failure();
  if (values->data() == storage.data())
    data = std::move(storage);
  else
    data.assign(values->begin(), values->end());
  return success();
}

ConstantOp dc::buildConstant(OpBuilder &builder, Location loc,
                             RankedTensorType tensorType,
                             const CompressedTensor &tensor,
                             StringRef blobPrefix) {
  MLIRContext *ctx = builder.getContext();
  auto type = CompressedType::get(ctx, tensorType, toAttr(ctx, tensor.params));
  std::string prefix = blobPrefix.str();
  auto i8 = builder.getI8Type();
  ElementsAttr values = makeElements<uint8_t>(ctx, i8, tensor.values,
                                              prefix + "_values");
  ElementsAttr codebook, pointers, gaps, valueLengths, gapLengths;
  ElementsAttr valueAnsTable, gapAnsTable;
  uint64_t groups = 1;
  if (!tensor.codebook.empty() && tensor.params.codebookRows != 0 &&
      numCodebooks(tensor.shape, tensor.params.codebookRows, groups,
                   nullptr) &&
      groups != 0) {
    auto type = RankedTensorType::get(
        {int64_t(groups), int64_t(tensor.codebook.size() / groups)},
        builder.getF32Type());
    codebook = makeF32Elements(type, tensor.codebook, prefix + "_codebook");
  } else if (!tensor.codebook.empty()) {
    codebook = makeElements<float>(ctx, builder.getF32Type(), tensor.codebook,
                                   prefix + "_codebook");
  }
  if (tensor.params.format != StorageFormat::Dense) {
    pointers = makeElements<uint32_t>(ctx, builder.getI32Type(),
                                      tensor.pointers, prefix + "_pointers");
    gaps = makeElements<uint8_t>(ctx, i8, tensor.gaps, prefix + "_gaps");
  }
  if (tensor.params.entropy == EntropyCoding::Huffman) {
    valueLengths = makeElements<uint8_t>(ctx, i8, tensor.valueCodeLengths,
                                         prefix + "_value_code_lengths");
    if (tensor.params.format != StorageFormat::Dense)
      gapLengths = makeElements<uint8_t>(ctx, i8, tensor.gapCodeLengths,
                                         prefix + "_gap_code_lengths");
  }
  if (tensor.params.entropy == EntropyCoding::Ans) {
    valueAnsTable = makeElements<uint8_t>(ctx, i8, tensor.valueAnsTable,
                                          prefix + "_value_ans_table");
    if (tensor.params.format != StorageFormat::Dense)
      gapAnsTable = makeElements<uint8_t>(ctx, i8, tensor.gapAnsTable,
                                          prefix + "_gap_ans_table");
  }
  return ConstantOp::create(builder, loc, type, values, codebook, pointers,
                            gaps, valueLengths, gapLengths, valueAnsTable,
                            gapAnsTable, builder.getI64IntegerAttr(tensor.numEntries));
}

void dc::printDenseLayerStats(llvm::raw_ostream &os, StringRef pass,
                              StringRef layer, StringRef layout,
                              StringRef consumers, ConstantOp constant) {
  RankedTensorType type = constant.getType().getTensorType();
  os << pass << ": " << layer << " layout=" << layout
     << " consumers=" << consumers << " bytes_dense="
     << type.getNumElements() *
            (type.getElementType().getIntOrFloatBitWidth() / 8)
     << "\n";
}
