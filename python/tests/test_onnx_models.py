"""torchvision architectures and a transformer encoder through the ONNX
importer, compiled by dc dense and compressed, vs onnxruntime (see
deep_compression/onnx_import/models_check.py). `make check` runs the small
squeezenet1_1; `make check-models` (DC_CHECK_MODELS=all) runs every model."""

import os

import pytest

from deep_compression.onnx_import import models_check

SELECTED = (list(models_check.MODELS) if os.environ.get("DC_CHECK_MODELS") == "all"
            else ["squeezenet1_1"])


@pytest.mark.parametrize("name", SELECTED)
def test_model_dense_and_compressed_match_onnxruntime(tmp_path, name):
    r = models_check.check(name, str(tmp_path))
    assert r["layers"] > 0 and r["ratio"] > 1.5
    assert r["dense_rel_error"] <= models_check.TOLERANCE, r
    assert r["compressed_rel_error"] <= models_check.TOLERANCE, r
    # The compressed weights do change the outputs (the check is not vacuous).
    assert r["compression_effect"] > 10 * models_check.TOLERANCE, r
