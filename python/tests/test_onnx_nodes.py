"""Every ONNX node test case (libonnx-testdata) whose ops the importer
supports: imported, compiled by dc-opt --dc-to-llvm + clang, run, and compared
with the expected outputs and with onnxruntime (tolerance: |got - ref| <=
1e-5 + 1e-4 |ref|). The cases left out (another data type, an attribute value
not supported) are exactly the ones docs/ONNX.md lists."""

import os
import re

import pytest

from deep_compression import REPO_ROOT
from deep_compression.onnx_import import nodetests

CASES = sorted(c.name for c in map(nodetests.Case, nodetests.case_dirs()) if c.supported_ops)


@pytest.fixture(scope="module")
def results(tmp_path_factory):
    return nodetests.run(str(tmp_path_factory.mktemp("onnx-nodes")))


def test_many_cases_considered():
    assert len(CASES) > 400


@pytest.mark.parametrize("case", CASES)
def test_node_case(results, case):
    status, detail = results[case]
    assert status in ("pass", "left out"), detail


def test_left_out_cases_are_documented(results):
    with open(os.path.join(REPO_ROOT, "docs", "ONNX.md")) as f:
        doc = f.read()
    section = doc.split("<!-- node-tests-left-out -->")[1]
    documented = set(re.findall(r"^\| (test_\w+) \|", section, re.M))
    left_out = {n for n, (s, _) in results.items() if s == "left out"}
    assert documented == left_out
    passed = sum(1 for s, _ in results.values() if s == "pass")
    assert passed > 300
