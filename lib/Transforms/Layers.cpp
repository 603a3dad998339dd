//===- Layers.cpp - Find the weight constants of contractions -------------===//

#include "dc/Transforms/Layers.h"

#include "dc/Dialect/DC/DC.h"
#include "dc/Transforms/WeightChain.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Linalg/IR/LinalgInterfaces.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/MapVector.h"

using namespace mlir;
using namespace dc;

const char *dc::stringifyLayerKind(LayerKind kind) {
  return kind == LayerKind::Conv ? "conv" : "fc";
}

/// The filter input of a convolution: input 1 of a named convolution; for a
/// generic, the only input whose indexing map is a projected permutation (the
/// image is read through window sums).
static OpOperand *getConvolutionFilter(linalg::LinalgOp op) {
  if (op.getNumDpsInputs() != 2)
    return nullptr;
  if (!isa<linalg::GenericOp>(op.getOperation()))
    return op.getDpsInputOperand(1);
  OpOperand *filter = nullptr;
  for (OpOperand *input : op.getDpsInputOperands()) {
    if (!op.getMatchingIndexingMap(input).isProjectedPermutation())
      continue;
    if (filter)
      return nullptr;
    filter = input;
  }
  return filter;
}

std::optional<LayerKind> dc::getWeightKind(OpOperand &operand) {
  auto linalgOp = dyn_cast<linalg::LinalgOp>(operand.getOwner());
  if (!linalgOp || !linalgOp.isDpsInput(&operand))
    return std::nullopt;
  if (linalg::isaConvolutionOpInterface(linalgOp)) {
    if (getConvolutionFilter(linalgOp) == &operand)
      return LayerKind::Conv;
    return std::nullopt;
  }
  if (isa<linalg::MatmulOp, linalg::BatchMatmulOp, linalg::MatvecOp,
          linalg::VecmatOp, linalg::BatchMatvecOp, linalg::BatchVecmatOp>(
          linalgOp.getOperation()) ||
      linalg::isaContractionOpInterface(linalgOp))
    return LayerKind::FC;
  return std::nullopt;
}

static std::string nameFromLocation(Location loc) {
  if (auto nameLoc = dyn_cast<NameLoc>(loc))
    return nameLoc.getName().str();
  if (auto fileLoc = dyn_cast<FileLineColLoc>(loc))
    return (fileLoc.getFilename().getValue() + ":" +
            Twine(fileLoc.getLine()) + ":" + Twine(fileLoc.getColumn()))
        .str();
  if (auto fused = dyn_cast<FusedLoc>(loc))
    for (Location inner : fused.getLocations()) {
      std::string name = nameFromLocation(inner);
      if (!name.empty())
        return name;
    }
  return "";
}

std::string dc::getLayerName(Operation *constant, unsigned ordinal) {
  if (auto name = constant->getAttrOfType<StringAttr>("dc.layer"))
    return name.getValue().str();
  std::string name = nameFromLocation(constant->getLoc());
  if (!name.empty())
    return name;
  return "layer" + std::to_string(ordinal);
}

unsigned dc::getDenseElementBytes(Type type) {
  if (type && type.isIntOrFloat())
    return std::max(1u, type.getIntOrFloatBitWidth() / 8);
  return 4;
}

/// The operation holding the weights of a chain root.
static Operation *getRootConstant(Value root) {
  if (auto dec = root.getDefiningOp<DecompressOp>())
    return dec.getInput().getDefiningOp<ConstantOp>();
  return root.getDefiningOp<arith::ConstantOp>();
}

/// Why dc does not compress weights of element type `type`, or "".
static std::string getUnsupportedReason(Type type) {
  if (type.isF32() || type.isF16() || type.isBF16())
    return "";
  std::string name;
  llvm::raw_string_ostream os(name);
  type.print(os);
  return "element type " + name +
         " is not handled (dc compresses f32, f16 and bf16 weights)";
}

SmallVector<Layer> dc::findLayers(ModuleOp module) {
  // Root constant -> (kind, a root value), in order of first use.
  llvm::DenseMap<Operation *, std::pair<LayerKind, Value>> kinds;
  module.walk([&](linalg::LinalgOp op) {
    for (OpOperand *input : op.getDpsInputOperands()) {
      std::optional<LayerKind> kind = getWeightKind(*input);
      if (!kind)
        continue;
      std::optional<WeightChain> chain = traceAnyWeightChain(input->get());
      if (!chain)
        continue;
      Operation *constant = getRootConstant(chain->root);
      if (!constant)
        continue;
      auto [it, inserted] =
          kinds.try_emplace(constant, std::make_pair(*kind, chain->root));
      if (!inserted && *kind == LayerKind::Conv)
        it->second.first = LayerKind::Conv;
    }
  });
  SmallVector<Layer> layers;
  if (kinds.empty())
    return layers;
  module.walk([&](Operation *op) {
    auto it = kinds.find(op);
    if (it == kinds.end())
      return;
    auto type = cast<ShapedType>(it->second.second.getType());
    Layer layer;
    layer.constant = op;
    layer.kind = it->second.first;
    layer.name = getLayerName(op, layers.size());
    layer.numElements = type.getNumElements();
    layer.elementType = type.getElementType();
    layer.unsupported = getUnsupportedReason(layer.elementType);
    layers.push_back(std::move(layer));
  });
  return layers;
}
