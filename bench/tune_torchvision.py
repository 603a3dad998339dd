"""A torchvision model with random weights (torch seed 0) exported to ONNX at a small
resolution, with random calibration inputs, for the data-driven search (docs/Autotune.md).

usage: /usr/bin/python3 bench/tune_torchvision.py OUT_DIR [--model resnet18] [--size 32]
           [--batch 8] [--calibration 32]

Writes OUT_DIR/<model>.onnx (eval mode, opset 13, BatchNorm left for the importer to fold;
batch fixed to --batch) and OUT_DIR/<model>_calibration.npy (standard normal inputs).
"""

import argparse
import os

import numpy as np
import torch
import torchvision


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("out_dir")
    ap.add_argument("--model", default="resnet18")
    ap.add_argument("--size", type=int, default=32)
    ap.add_argument("--batch", type=int, default=8)
    ap.add_argument("--calibration", type=int, default=32)
    args = ap.parse_args()
    os.makedirs(args.out_dir, exist_ok=True)
    torch.manual_seed(0)
    net = getattr(torchvision.models, args.model)(num_classes=10).eval()
    path = os.path.join(args.out_dir, args.model + ".onnx")
    torch.onnx.export(net, torch.zeros(args.batch, 3, args.size, args.size), path,
                      opset_version=13, input_names=["input"], do_constant_folding=False,
                      training=torch.onnx.TrainingMode.PRESERVE)
    x = np.random.RandomState(0).randn(args.calibration, 3, args.size, args.size)
    np.save(os.path.join(args.out_dir, args.model + "_calibration.npy"), x.astype(np.float32))
    print("wrote", path)


if __name__ == "__main__":
    main()
