"""ONNX models to dc's MLIR input (linalg on tensors, dense_resource weights).

``import_onnx(model, input_shapes=None) -> str``: MLIR text with one
``func.func @forward`` (see docs/ONNX.md). ``export_module(module,
example_input, input_names=None) -> str``: any ``torch.nn.Module`` through
``torch.onnx.export`` and the importer, with layers named by state_dict keys.
"""

from .emitter import OnnxImportError
from . import fold, ops_elementwise, ops_nn, ops_shape  # noqa: F401  (register ops)
from .registry import FOLDERS, REGISTRY


def import_onnx(model, input_shapes=None):
    """``model``: a path or an ``onnx.ModelProto``; ``input_shapes``: {input
    name: dims} fixing dynamic dimensions. Returns MLIR text; raises
    :class:`OnnxImportError` (one line) on anything it cannot translate."""
    from .graph import Importer
    return Importer(model, input_shapes).run()


def supported_ops():
    """Op types with a run-time lowering (plus those folded at import)."""
    return sorted(REGISTRY), sorted(set(FOLDERS) - set(REGISTRY))


__all__ = ["OnnxImportError", "import_onnx", "supported_ops"]
