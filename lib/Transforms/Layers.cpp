//===- Layers.cpp - Find the weight constants of contractions -------------===//

#include "dc/Transforms/Layers.h"

#include "dc/Dialect/DC/DC.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Linalg/IR/LinalgInterfaces.h"
#include "llvm/ADT/DenseMap.h"

using namespace mlir;
using namespace dc;

const char *dc::stringifyLayerKind(LayerKind kind) {
  return kind == LayerKind::Conv ? "conv" : "fc";
}

/// Kind of `operand` as a direct weight input of a contraction.
static std::optional<LayerKind> getDirectWeightKind(OpOperand &operand) {
  Operation *owner = operand.getOwner();
  auto convOp = dyn_cast<linalg::LinalgOp>(owner);
  if (isa<linalg::Conv2DNchwFchwOp, linalg::Conv2DNhwcHwcfOp>(owner) ||
      (convOp && convOp.getNumDpsInputs() == 2 &&
       linalg::isaConvolutionOpInterface(convOp))) {
    // Operand 1 is the filter.
    if (operand.getOperandNumber() == 1)
      return LayerKind::Conv;
    return std::nullopt;
  }
  auto linalgOp = dyn_cast<linalg::LinalgOp>(owner);
  if (!linalgOp || !linalgOp.isDpsInput(&operand))
    return std::nullopt;
  if (isa<linalg::MatmulOp, linalg::MatvecOp, linalg::BatchMatmulOp>(owner) ||
      linalg::isaContractionOpInterface(linalgOp))
    return LayerKind::FC;
  return std::nullopt;
}

std::optional<LayerKind> dc::getWeightKind(OpOperand &operand) {
  if (std::optional<LayerKind> kind = getDirectWeightKind(operand))
    return kind;
  // torch-mlir's nn.Linear: the weight is transposed, then multiplied.
  auto transpose = dyn_cast<linalg::TransposeOp>(operand.getOwner());
  if (!transpose || &operand != &transpose.getInputMutable())
    return std::nullopt;
  std::optional<LayerKind> result;
  for (OpOperand &use : transpose->getResult(0).getUses())
    if (std::optional<LayerKind> kind = getDirectWeightKind(use))
      if (!result || *kind == LayerKind::Conv)
        result = kind;
  return result;
}

std::optional<LayerKind> dc::getLayerKind(Value value) {
  std::optional<LayerKind> result;
  for (OpOperand &use : value.getUses())
    if (std::optional<LayerKind> kind = getWeightKind(use))
      if (!result || *kind == LayerKind::Conv)
        result = kind;
  return result;
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

static bool isF32StaticTensor(Type type) {
  auto tensor = dyn_cast<RankedTensorType>(type);
  return tensor && tensor.hasStaticShape() && tensor.getElementType().isF32();
}

SmallVector<Layer> dc::findLayers(ModuleOp module) {
  SmallVector<Layer> layers;
  llvm::DenseMap<Operation *, size_t> seen;
  module.walk([&](Operation *op) {
    Operation *constant = nullptr;
    Value value;
    if (auto arithConst = dyn_cast<arith::ConstantOp>(op)) {
      if (!isF32StaticTensor(arithConst.getType()) ||
          !isa<DenseElementsAttr, DenseResourceElementsAttr>(
              arithConst.getValue()))
        return;
      constant = op;
      value = arithConst.getResult();
    } else if (auto decompress = dyn_cast<DecompressOp>(op)) {
      constant = decompress.getInput().getDefiningOp<ConstantOp>();
      value = decompress.getResult();
    }
    if (!constant)
      return;
    std::optional<LayerKind> kind = getLayerKind(value);
    if (!kind)
      return;
    auto [it, inserted] = seen.try_emplace(constant, layers.size());
    if (!inserted) {
      // Another decompression of the same constant: conv wins.
      if (*kind == LayerKind::Conv)
        layers[it->second].kind = LayerKind::Conv;
      return;
    }
    Layer layer;
    layer.constant = constant;
    layer.kind = *kind;
    layer.name = getLayerName(constant, layers.size());
    layer.numElements = cast<ShapedType>(value.getType()).getNumElements();
    layers.push_back(std::move(layer));
  });
  return layers;
}
