"""The five-line path: a model in, a compiled, compressed callable and its report out.

    import torch, deep_compression as dc
    model = torch.nn.Sequential(torch.nn.Linear(784, 300), torch.nn.ReLU(),
                                torch.nn.Linear(300, 10))
    cm = dc.compile(model, torch.zeros(1, 784), sparsity=0.9, bits=5)
    y = cm(torch.rand(8, 784))            # numpy float32 [8, 10]
    print(cm.ratio, cm.report["layers"])  # dense bytes / compressed bytes; per layer

``compile`` is data-free (dc-opt prunes by magnitude and clusters the weights). For
the paper's training-aware compression, prune and quantize with
:func:`deep_compression.compress.compress` (or ``prune_and_retrain`` +
``quantize`` + ``finetune_centroids``) first and pass the result as ``quantized=``:
those layers keep their trained codebooks.
"""

import json
import os
import tempfile
from typing import Dict, Optional, Sequence

import numpy as np

from . import build_dir, runtime


class CompiledModel(runtime.CompiledModel):
    """A model compiled by dc-opt, callable on numpy arrays or torch tensors of any batch
    size (inputs are run in batches of the compiled size). ``report``: the compiler's
    storage report (INTERFACE.md "Storage report"); ``ratio``: total ``bytes_dense`` /
    ``bytes_pqh``; ``mlir_path``: the module that was compiled."""

    def __init__(self, so_path: str, mlir_path: str, report: dict):
        with open(mlir_path) as f:
            head = f.read(1 << 16)
        try:
            ins, outs = runtime.signature(head)
        except ValueError:
            raise ValueError("%s: compile() runs models with one tensor input and one tensor "
                             "output (func.func @forward(tensor) -> tensor)" % mlir_path) from None
        super().__init__(so_path, ins, outs)
        self.mlir_path = mlir_path
        self.report = report
        total = report.get("total") or {}
        self.ratio = total.get("bytes_dense", 0) / max(1, total.get("bytes_pqh", 0)) \
            if total else float("nan")

    def __call__(self, x) -> np.ndarray:
        if hasattr(x, "detach"):
            x = x.detach().cpu().numpy()
        x = np.ascontiguousarray(x, dtype=np.float32)
        if x.shape[1:] != self.input_shape[1:]:
            raise ValueError("input shape %s: the model was compiled for [N, %s]" % (
                list(x.shape), ", ".join(map(str, self.input_shape[1:]))))
        if x.shape[0] == self.input_shape[0]:
            return super().__call__(x)
        return self.predict(x)


#: dc-compress's entropy coders: Huffman (the paper's), none (fixed width), rANS.
ENTROPY_CODERS = ("huffman", "none", "ans")


def dc_opt_path() -> str:
    return os.environ.get("DC_OPT", os.path.join(build_dir(), "bin", "dc-opt"))


def compress_flags(report_path: str, sparsity: Optional[float] = None,
                   bits: Optional[int] = None, index_bits: Optional[int] = None,
                   format: str = "csr", entropy: str = "huffman",
                   options: Sequence[str] = ()) -> str:
    """The ``--dc-compress=...`` flag (INTERFACE.md "dc-compress options")."""
    if entropy not in ENTROPY_CODERS:
        raise ValueError("entropy %r: one of %s" % (entropy, ", ".join(ENTROPY_CODERS)))
    opts = ["report=%s" % report_path, "format=%s" % format, "entropy=%s" % entropy]
    if sparsity is not None:
        if not 0.0 <= sparsity < 1.0:
            raise ValueError("sparsity %r: the fraction pruned, in [0, 1)" % sparsity)
        opts.append("sparsity=%r" % float(sparsity))
    if bits is not None:
        opts.append("bits=%d" % bits)
    if index_bits is not None:
        opts.append("index-bits=%d" % index_bits)
    return "--dc-compress=" + " ".join(opts + list(options))


def to_mlir(model, example_input=None, quantized: Optional[dict] = None,
            input_shapes: Optional[Dict[str, Sequence[int]]] = None) -> str:
    """MLIR text of ``model``: an ``nn.Module`` (with ``example_input``), a ``.onnx`` file
    (dc's importer; ``input_shapes`` fixes dynamic dims) or a ``.mlir`` file."""
    from . import export
    if isinstance(model, (str, os.PathLike)):
        path = os.fspath(model)
        if not os.path.isfile(path):
            raise export.ExportError("%s: no such file" % path)
        if path.endswith(".mlir"):
            with open(path) as f:
                return f.read()
        if path.endswith(".onnx"):
            try:
                from . import onnx_import
            except ImportError as e:
                raise export.ExportError("compiling an .onnx model needs "
                                         "deep_compression.onnx_import: %s" % e) from None
            return onnx_import.import_onnx(path, input_shapes=input_shapes)
        raise export.ExportError("%s: expected an .onnx or .mlir file, or an nn.Module" % path)
    if example_input is None:
        raise export.ExportError("compiling an nn.Module needs an example input (batch first)")
    return export.export(model, example_input, quantized=quantized)


def compile(model, example_input=None, *, sparsity: Optional[float] = None,
            bits: Optional[int] = None, index_bits: Optional[int] = None,
            format: str = "csr", entropy: str = "huffman",
            quantized: Optional[dict] = None, options: Sequence[str] = (),
            input_shapes: Optional[Dict[str, Sequence[int]]] = None,
            workdir: Optional[str] = None, dc_opt: Optional[str] = None,
            threads: int = 1) -> CompiledModel:
    """Compresses and compiles ``model`` with ``dc-opt --dc-compress=... --dc-to-llvm``.

    ``model``: a ``torch.nn.Module`` (``example_input``: a tensor of the input shape,
    batch first), or the path of an ``.onnx`` or ``.mlir`` file. ``sparsity``: fraction of
    each layer's weights pruned by magnitude (None: no pruning); ``bits``: codebook index
    width (None: dc's defaults, fc 5 / conv 8); ``index_bits``, ``format`` (csr/csc),
    ``entropy`` (huffman, none or ans: static rANS, docs/Autotune.md) and ``options`` (more ``key=value`` of dc-compress) as in
    INTERFACE.md. ``quantized``: layer name -> compress.Quantized from training-aware
    compression. Returns a :class:`CompiledModel` with ``.report`` and ``.ratio``.
    """
    workdir = workdir or tempfile.mkdtemp(prefix="dc-compile-")
    report_path = os.path.join(workdir, "report.json")
    compress_flag = compress_flags(report_path, sparsity, bits, index_bits, format, entropy,
                                   options)
    text = to_mlir(model, example_input, quantized, input_shapes)
    os.makedirs(workdir, exist_ok=True)
    mlir_path = os.path.join(workdir, "model.mlir")
    with open(mlir_path, "w") as f:
        f.write(text)
    tool = dc_opt or dc_opt_path()
    if not os.path.exists(tool):
        raise FileNotFoundError("dc-opt not found at %s (build it, set DC_BUILD_DIR or DC_OPT)"
                                % tool)
    flags = [compress_flag, "--dc-to-llvm" + ("=threads=%d" % threads if threads > 1 else "")]
    so = runtime.compile_mlir(mlir_path, workdir, tool=tool, flags=flags)
    report = {}
    if os.path.exists(report_path):
        with open(report_path) as f:
            report = json.load(f)
    return CompiledModel(so, mlir_path, report)
