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
    try:
        return Importer(model, input_shapes).run()
    except OnnxImportError:
        raise
    except Exception as e:  # a malformed graph outside any node
        raise OnnxImportError("cannot import the model (%s: %s)" % (type(e).__name__, e))


def export_module(module, example_input, input_names=None):
    """Any ``torch.nn.Module`` to MLIR text: ``torch.onnx.export`` (opset 13)
    to a temporary file, then :func:`import_onnx` with the example's shapes.

    Weights keep their ``state_dict`` names as ``dc.layer`` ("0.weight" in
    an ``nn.Sequential``): the export runs without constant folding and in
    TrainingMode.PRESERVE on the eval-mode module, so torch neither renames
    parameters nor folds BatchNorm itself; the importer folds BatchNorm into
    the preceding Conv/Gemm under the conv's weight name."""
    import os
    import tempfile

    import torch
    inputs = example_input if isinstance(example_input, tuple) else (example_input,)
    names = list(input_names) if input_names else (
        ["input"] if len(inputs) == 1 else ["input%d" % i for i in range(len(inputs))])
    if len(names) != len(inputs):
        raise OnnxImportError("%d input names for %d example inputs" % (len(names), len(inputs)))
    was_training = module.training
    module.eval()
    fd, path = tempfile.mkstemp(suffix=".onnx", prefix="dc-export-")
    os.close(fd)
    try:
        # Not under no_grad: there nn.TransformerEncoderLayer takes its fused
        # fast path, an aten op torch.onnx cannot export.
        try:
            torch.onnx.export(module, inputs, path, opset_version=13, input_names=names,
                              do_constant_folding=False,
                              training=torch.onnx.TrainingMode.PRESERVE)
        except Exception as e:
            msg = str(e).strip().splitlines()
            raise OnnxImportError("torch.onnx.export failed: %s: %s" % (
                type(e).__name__, msg[0] if msg else ""))
        return import_onnx(path, {n: list(t.shape) for n, t in zip(names, inputs)})
    finally:
        os.unlink(path)
        module.train(was_training)


def supported_ops():
    """Op types with a run-time lowering (plus those folded at import)."""
    return sorted(REGISTRY), sorted(set(FOLDERS) - set(REGISTRY))


__all__ = ["OnnxImportError", "export_module", "import_onnx", "supported_ops"]
