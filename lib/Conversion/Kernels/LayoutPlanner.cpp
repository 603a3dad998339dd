//===- LayoutPlanner.cpp - which execution layout each dc op gets ---------===//
//
// See LayoutPlanner.h.
//
//===----------------------------------------------------------------------===//

#include "LayoutPlanner.h"

#include "DenseCodeKernel.h"
#include "SparseLayout.h"
#include "TileKernel.h"

#include "dc/Core/CompressedTensor.h"
#include "dc/Dialect/DC/DCUtils.h"

#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "llvm/ADT/StringSwitch.h"

using namespace mlir;
using namespace dc::kernels;

KernelLayout::~KernelLayout() = default;

StringRef dc::kernels::layoutKindName(LayoutKind kind) {
  switch (kind) {
  case LayoutKind::Sparse:
    return "sparse";
  case LayoutKind::DenseCode:
    return "dense-code";
  case LayoutKind::Tiles:
    return "tiles";
  }
  return "sparse";
}

std::optional<LayoutKind> dc::kernels::parseLayoutKind(StringRef name) {
  return llvm::StringSwitch<std::optional<LayoutKind>>(name)
      .Case("sparse", LayoutKind::Sparse)
      .Case("dense-code", LayoutKind::DenseCode)
      .Case("tiles", LayoutKind::Tiles)
      .Default(std::nullopt);
}

bool dc::kernels::parseLayoutOption(StringRef value,
                                    std::optional<LayoutKind> &out) {
  if (value == "auto") {
    out = std::nullopt;
    return true;
  }
  out = parseLayoutKind(value);
  return out.has_value();
}

void dc::kernels::addConstantGlobal(ModuleOp module, Location loc,
                                    StringRef name, Type elt,
                                    ArrayRef<char> raw, int64_t count,
                                    int64_t alignment) {
  OpBuilder b(module.getBodyRegion());
  b.setInsertionPointToStart(module.getBody());
  auto memrefType = MemRefType::get({count}, elt);
  auto tensorType = RankedTensorType::get({count}, elt);
  auto attr = DenseElementsAttr::getFromRawBuffer(tensorType, raw);
  memref::GlobalOp::create(b, loc, b.getStringAttr(name),
                           b.getStringAttr("private"),
                           TypeAttr::get(memrefType), attr, b.getUnitAttr(),
                           b.getI64IntegerAttr(alignment));
}

static std::string sanitize(StringRef s) {
  std::string out;
  for (char c : s)
    out.push_back(isalnum(c) ? c : '_');
  return out;
}

/// Decodes `constant` (transposed with `transposeW`) into `src`.
static LogicalResult decodeLayoutSource(dc::ConstantOp constant,
                                        bool transposeW, LayoutSource &src,
                                        std::string &err) {
  dc::CompressedTensorView view;
  dc::ViewStorage storage;
  if (failed(dc::getView(constant, view, storage)))
    return failure();
  // Per-group codebooks: the layouts run on one codebook of global indices
  // (a codebook lookup like any other, in wider index fields).
  dc::CompressedTensor expanded;
  if (view.params.codebookRows != 0) {
    if (!dc::expandToLayerCodebook(view, expanded, &err))
      return failure();
    view = expanded.view();
  }
  if (view.params.bits == dc::kRawValueBits || view.params.bits > 16) {
    err = "raw f32 values (no codebook) are not supported by the kernels";
    return failure();
  }
  dc::StorageStats stats;
  if (!dc::measureStorage(view, stats, &err))
    return failure();
  src.bytesPQ = stats.bytesPQ();
  src.bytesPQH = stats.bytesPQH();
  if (failed(buildRowLists(view, transposeW, src.rows, src.m, src.k, err)))
    return failure();
  src.b = view.params.bits;
  src.table.assign(size_t(1) << src.b, 0.0f);
  for (size_t i = 0; i < view.codebook.size && i < src.table.size(); ++i)
    src.table[i] = view.codebook[i];
  src.table[0] = 0.0f;
  src.huffman = view.params.entropy != dc::EntropyCoding::None;
  src.ans = view.params.entropy == dc::EntropyCoding::Ans;
  return success();
}

LayoutPlanner::Entry *LayoutPlanner::getEntry(dc::ConstantOp constant,
                                              bool transposeW,
                                              Operation *user) {
  // All attributes, the inherent ones (the payload, stored as properties)
  // included: the raw dictionary holds only discardable attributes, so two
  // different payloads of one type would share a layout.
  auto &slot = entries[{constant->getAttrDictionary().getAsOpaquePointer(),
                        constant.getType().getAsOpaquePointer(), transposeW}];
  if (slot)
    return slot.get();
  auto entry = std::make_unique<Entry>();
  std::string err;
  if (failed(decodeLayoutSource(constant, transposeW, entry->src, err))) {
    if (!err.empty())
      user->emitRemark() << "dc-lower-compute: decoding to dense: " << err;
    return nullptr;
  }
  // The sparse layout is the fallback of every op: built now, so a payload
  // it cannot lay out is also lowered to dense.
  entry->layouts[size_t(LayoutKind::Sparse)] = makeSparseLayout(
      entry->src, std::clamp<unsigned>(options.rowsPerGroup, 1, 8), err);
  if (!entry->layouts[size_t(LayoutKind::Sparse)]) {
    if (!err.empty())
      user->emitRemark() << "dc-lower-compute: decoding to dense: " << err;
    return nullptr;
  }
  entry->constant = constant;
  entry->transposeW = transposeW;
  std::string name = "w";
  if (auto layer = constant->getAttrOfType<StringAttr>("dc.layer"))
    name = sanitize(layer.getValue());
  entry->prefix = "__dc_" + name + "_" + std::to_string(counter++) +
                  (transposeW ? "_t" : "");
  slot = std::move(entry);
  return slot.get();
}

KernelLayout *LayoutPlanner::getLayout(Entry &entry, LayoutKind kind) {
  size_t i = size_t(kind);
  if (entry.layouts[i] || entry.failed[i])
    return entry.layouts[i].get();
  std::string err;
  if (kind == LayoutKind::DenseCode)
    entry.layouts[i] = makeDenseCodeLayout(entry.src, target, err);
  else if (kind == LayoutKind::Tiles)
    entry.layouts[i] = makeTileLayout(entry.src, options.tileVariant, err);
  if (!entry.layouts[i]) {
    entry.constant->emitRemark() << "dc-lower-compute: no "
                                 << layoutKindName(kind) << " layout: " << err;
    entry.failed[i] = true;
  }
  return entry.layouts[i].get();
}

std::string LayoutPlanner::unsupported(Entry &entry, LayoutKind kind,
                                       int64_t n, int64_t groups) {
  switch (kind) {
  case LayoutKind::Sparse:
    return "";
  case LayoutKind::DenseCode:
    // Its kernels read one x slice for all rows.
    return groups > 1 ? "no grouped products" : "";
  case LayoutKind::Tiles:
    return tileLayoutUnsupported(entry.src, n, groups, target);
  }
  return "";
}

LayoutKind LayoutPlanner::chooseAuto(Entry &entry, int64_t n, int64_t groups) {
  const LayoutSource &S = entry.src;
  KernelLayout *sparse = getLayout(entry, LayoutKind::Sparse);
  LayoutKind best = LayoutKind::Sparse;
  double bestCycles = sparse->estimatedCycles(n, target);
  if (groups <= 1) {
    if (options.denseDensity >= 0.0) {
      if (S.density() >= options.denseDensity &&
          getLayout(entry, LayoutKind::DenseCode))
        return LayoutKind::DenseCode; // forced by the density threshold
    } else {
      uint64_t denseBytes =
          DenseCodeLayout::wordsBytesFor(S.m, S.k, S.b, target.vw);
      double denseCycles = denseCodeCycles(S.m, S.k, S.b, n, target);
      if (double(denseBytes) <= 1.25 * double(S.bytesPQ) &&
          denseCycles < bestCycles &&
          getLayout(entry, LayoutKind::DenseCode)) {
        best = LayoutKind::DenseCode;
        bestCycles = denseCycles;
      }
    }
  }
  if (unsupported(entry, LayoutKind::Tiles, n, groups).empty()) {
    // The tile count is known only from the layout: built to decide.
    if (KernelLayout *tiles = getLayout(entry, LayoutKind::Tiles))
      if (double(tiles->runtimeBytes()) <=
              options.maxRuntimeRatio * double(S.bytesPQ) &&
          tiles->estimatedCycles(n, target) < bestCycles)
        best = LayoutKind::Tiles;
  }
  return best;
}

LayoutKind LayoutPlanner::choose(Entry &entry, int64_t n, int64_t groups,
                                 std::optional<LayoutKind> requested,
                                 Operation *op) {
  if (requested) {
    std::string why = unsupported(entry, *requested, n, groups);
    if (why.empty() && getLayout(entry, *requested))
      return *requested;
    LayoutKind fallback = chooseAuto(entry, n, groups);
    op->emitWarning() << "layout '" << layoutKindName(*requested)
                      << "' does not apply here"
                      << (why.empty() ? "" : " (" + why + ")") << "; using '"
                      << layoutKindName(fallback) << "'";
    return fallback;
  }
  return chooseAuto(entry, n, groups);
}

FailureOr<std::optional<LayoutKind>>
LayoutPlanner::requested(Operation *op) {
  Attribute attr = op->getAttr(kLayoutAttrName);
  if (!attr)
    return options.layout;
  auto str = dyn_cast<StringAttr>(attr);
  std::optional<LayoutKind> kind;
  if (!str || !(kind = parseLayoutKind(str.getValue()))) {
    op->emitOpError() << "'" << kLayoutAttrName
                      << "' must be \"sparse\", \"dense-code\" or \"tiles\", "
                         "got "
                      << attr;
    return failure();
  }
  return kind;
}
