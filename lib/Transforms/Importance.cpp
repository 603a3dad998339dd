//===- Importance.cpp - Per-weight importance -----------------------------===//

#include "Importance.h"

#include "dc/Dialect/DC/DCUtils.h"

#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/BuiltinTypes.h"

#include <cmath>

using namespace mlir;
using namespace dc;

std::string dc::readImportance(Operation *constant, StringRef layerName,
                               std::vector<float> &importance) {
  importance.clear();
  Attribute raw = constant->getAttr(kImportanceAttr);
  if (!raw)
    return "";
  std::string prefix = ("layer '" + layerName + "': dc.importance ").str();
  auto elements = dyn_cast<ElementsAttr>(raw);
  auto weightType =
      dyn_cast<RankedTensorType>(constant->getResult(0).getType());
  if (!elements)
    return prefix + "must be an f32 dense or dense_resource tensor";
  auto type = dyn_cast<RankedTensorType>(elements.getType());
  if (!type || !type.getElementType().isF32())
    return prefix + "must have element type f32";
  if (!weightType || type.getShape() != weightType.getShape()) {
    std::string got, want;
    llvm::raw_string_ostream g(got), w(want);
    g << type;
    if (weightType)
      w << weightType.clone(type.getElementType());
    return prefix + "must have the weight's shape (" + want + "), got " + got;
  }
  if (failed(readF32Elements(elements, importance)))
    return prefix + "cannot be read";
  double sum = 0;
  for (auto [i, v] : llvm::enumerate(importance)) {
    if (!std::isfinite(v) || v < 0)
      return prefix + "must be finite and >= 0, got " +
             (std::isnan(v) ? std::string("NaN") : std::to_string(v)) +
             " at element " + std::to_string(i);
    sum += v;
  }
  if (!(sum > 0))
    return prefix + "is zero everywhere";
  float floor = float(1e-6 * sum / double(importance.size()));
  for (float &v : importance)
    v = std::max(v, floor);
  return "";
}

SortedSample dc::survivorSample(ArrayRef<float> w,
                                const std::vector<float> &importance) {
  std::vector<float> survivors, weights;
  size_t n = 0;
  for (float v : w)
    n += v != 0.0f;
  survivors.reserve(n);
  if (!importance.empty())
    weights.reserve(n);
  for (size_t i = 0; i < w.size(); ++i) {
    if (w[i] == 0.0f)
      continue;
    survivors.push_back(w[i]);
    if (!importance.empty())
      weights.push_back(importance[i]);
  }
  return SortedSample::fromValues(survivors,
                                  importance.empty() ? nullptr : &weights);
}
