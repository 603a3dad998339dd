"""The command line: every bad input is one error line and exit 1, never a traceback."""
import os
import subprocess
import sys

import pytest
import torch
from torch import nn

from deep_compression import models

PYDIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def run(*args, cwd=None):
    p = subprocess.run([sys.executable, "-m", "deep_compression"] + list(args), cwd=PYDIR,
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                       env=dict(os.environ, PYTHONPATH=PYDIR))
    return p


def assert_one_error(p, *needles):
    assert p.returncode == 1, (p.returncode, p.stderr)
    assert "Traceback" not in p.stderr, p.stderr
    lines = [l for l in p.stderr.splitlines() if l.strip()]
    assert len(lines) == 1, p.stderr
    assert lines[0].startswith("python3 -m deep_compression export: error: "), lines[0]
    for n in needles:
        assert n in lines[0], (n, lines[0])


class Unpicklable(nn.Module):  # defined in the test module: not importable by the CLI
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(4, 2)

    def forward(self, x):
        return self.fc(x)


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    d = tmp_path_factory.mktemp("cli")
    torch.manual_seed(0)
    f = {}
    f["garbage"] = d / "garbage.pt"
    f["garbage"].write_bytes(b"\x00\x01not a torch file at all")
    f["text"] = d / "text.pt"
    f["text"].write_text("hello\n")
    f["empty"] = d / "empty.pt"
    f["empty"].write_bytes(b"")
    f["tensor"] = d / "tensor.pt"
    torch.save(torch.zeros(3), f["tensor"])
    f["dict"] = d / "dict.pt"
    torch.save({"a": 1}, f["dict"])
    f["sd300"] = d / "sd300.pt"
    torch.save(models.lenet300().state_dict(), f["sd300"])
    f["ckpt5"] = d / "ckpt5.pt"
    torch.save({"model": "lenet5", "state_dict": models.lenet5().state_dict()}, f["ckpt5"])
    f["full"] = d / "full.pt"
    torch.save(nn.Sequential(nn.Linear(4, 3), nn.ReLU(), nn.Linear(3, 2)), f["full"])
    f["unpicklable"] = d / "unpicklable.pt"
    torch.save(Unpicklable(), f["unpicklable"])
    f["onnx_garbage"] = d / "bad.onnx"
    f["onnx_garbage"].write_bytes(b"\x00garbage")
    return {k: str(v) for k, v in f.items()}


def test_good_inputs(files, tmp_path):
    out = str(tmp_path / "a.mlir")
    p = run("export", files["sd300"], "--model", "lenet300", "--batch", "2", "-o", out)
    assert p.returncode == 0, p.stderr
    assert "tensor<2x784xf32>" in open(out).read()
    p = run("export", files["ckpt5"], "--batch", "3")
    assert p.returncode == 0, p.stderr
    assert "func.func @forward(%arg0: tensor<3x1x28x28xf32>) -> tensor<3x10xf32>" in p.stdout
    p = run("export", files["full"], "--input-shape", "5,4")
    assert p.returncode == 0, p.stderr
    assert "func.func @forward(%arg0: tensor<5x4xf32>) -> tensor<5x2xf32>" in p.stdout
    assert 'dc.layer = "0"' in p.stdout and 'dc.layer = "2"' in p.stdout


@pytest.mark.parametrize("case,args,needles", [
    ("missing", ["/nonexistent/m.pt"], ["/nonexistent/m.pt: no such file"]),
    ("dir", ["{tmp}"], ["is a directory"]),
    ("garbage", ["{garbage}"], ["not a PyTorch file"]),
    ("text", ["{text}"], ["not a PyTorch file"]),
    ("empty", ["{empty}"], ["not a PyTorch file"]),
    ("tensor", ["{tensor}"], ["holds a Tensor, not a model"]),
    ("dict", ["{dict}"], ["not a state_dict"]),
    ("state_dict without --model", ["{sd300}"], ["is a state_dict", "--model"]),
    ("state_dict of another model", ["{sd300}", "--model", "lenet5"],
     ["does not fit lenet5"]),
    ("checkpoint of another model", ["{ckpt5}", "--model", "lenet300"],
     ["is a lenet5 checkpoint, not lenet300"]),
    ("whole model without shape", ["{full}"], ["--input-shape"]),
    ("whole model with --model", ["{full}", "--model", "lenet300"], ["only for state_dicts"]),
    ("wrong input shape", ["{full}", "--input-shape", "5,7"],
     ["input shape [5, 7] does not fit the model"]),
    ("wrong input shape of a built-in", ["{ckpt5}", "--input-shape", "1,3,28,28"],
     ["input shape [1, 3, 28, 28] does not fit the model"]),
    ("bad shape syntax", ["{full}", "--input-shape", "5,x"], ["bad --input-shape"]),
    ("negative shape", ["{full}", "--input-shape", "0,4"], ["bad --input-shape"]),
    ("class not importable", ["{unpicklable}"], ["cannot be imported here"]),
    ("onnx flags", ["{onnx_garbage}", "--softmax"], ["--softmax does not apply"]),
])
def test_bad_inputs(files, tmp_path, case, args, needles):
    args = [a.format(tmp=str(tmp_path), **files) for a in args]
    assert_one_error(run("export", *args), *needles)


def test_bad_onnx_file(files):
    # Either the importer rejects the file or it is not there yet: one line, exit 1.
    assert_one_error(run("export", files["onnx_garbage"]))


def test_argparse_errors_are_usage_errors():
    p = run("export")
    assert p.returncode == 2 and "Traceback" not in p.stderr


@pytest.mark.parametrize("value,needle", [
    ("foo=1", "'foo=1' is not KEY=VALUE"),
    ("final_epochs", "'final_epochs' is not KEY=VALUE"),
    ("ft_epochs=1.5", "ft_epochs='1.5' is not an int"),
    ("ft_lr=fast", "ft_lr='fast' is not a float"),
    ("lr=-0.1", "lr must not be negative"),
])
def test_experiment_bad_schedule(value, needle):
    # Checked before any training: one error line, exit 1.
    p = run("experiment", "--model", "lenet5", "--schedule", value)
    assert p.returncode == 1, (p.returncode, p.stderr)
    assert "Traceback" not in p.stderr, p.stderr
    lines = [l for l in p.stderr.splitlines() if l.strip()]
    assert len(lines) == 1, p.stderr
    assert lines[0].startswith("python3 -m deep_compression experiment: error: --schedule: ")
    assert needle in lines[0], (needle, lines[0])
