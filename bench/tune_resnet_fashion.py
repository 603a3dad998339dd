"""A small ResNet-style net with BatchNorm trained on Fashion-MNIST, exported to ONNX, for
the data-driven search (docs/Autotune.md, "Real weights").

usage: /usr/bin/python3 bench/tune_resnet_fashion.py OUT_DIR [--epochs 2] [--calibration 1000]

Writes OUT_DIR/resnet_fashion.onnx (eval mode, BatchNorm left for the importer to fold
into the convolutions), calibration inputs and labels (random training images) and the
10,000 test images and labels as .npy, and prints the PyTorch test accuracy.
Architecture: conv3x3 1->16 + BN + ReLU; two basic blocks at 16 channels (28x28); a
stride-2 block to 32 channels (14x14, 1x1 projection shortcut with BN) and one more block;
global average pooling; fc 32->10 (about 48k weights, 11 layers).
"""

import argparse
import os
import sys
import time

import numpy as np
import torch
from torch import nn

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "python"))


class Block(nn.Module):
    def __init__(self, cin, cout, stride):
        super().__init__()
        self.conv1 = nn.Conv2d(cin, cout, 3, stride, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(cout)
        self.conv2 = nn.Conv2d(cout, cout, 3, 1, 1, bias=False)
        self.bn2 = nn.BatchNorm2d(cout)
        self.short = None
        if stride != 1 or cin != cout:
            self.short = nn.Sequential(nn.Conv2d(cin, cout, 1, stride, bias=False),
                                       nn.BatchNorm2d(cout))

    def forward(self, x):
        y = torch.relu(self.bn1(self.conv1(x)))
        y = self.bn2(self.conv2(y))
        return torch.relu(y + (x if self.short is None else self.short(x)))


class ResNetFashion(nn.Module):
    def __init__(self):
        super().__init__()
        self.stem = nn.Conv2d(1, 16, 3, 1, 1, bias=False)
        self.bn = nn.BatchNorm2d(16)
        self.layer1 = nn.Sequential(Block(16, 16, 1), Block(16, 16, 1))
        self.layer2 = nn.Sequential(Block(16, 32, 2), Block(32, 32, 1))
        self.fc = nn.Linear(32, 10)

    def forward(self, x):
        x = torch.relu(self.bn(self.stem(x)))
        x = self.layer2(self.layer1(x))
        return self.fc(x.mean((2, 3)))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("out_dir")
    ap.add_argument("--epochs", type=int, default=2)
    ap.add_argument("--calibration", type=int, default=1000)
    ap.add_argument("--threads", type=int, default=1)
    args = ap.parse_args()
    from deep_compression import data
    torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    os.makedirs(args.out_dir, exist_ok=True)
    (xtr, ytr), (xte, yte) = data.load_split("fashion-mnist")
    mean, std = 0.286, 0.353
    xtr = ((torch.as_tensor(xtr, dtype=torch.float32) - mean) / std).reshape(-1, 1, 28, 28)
    xte = ((torch.as_tensor(xte, dtype=torch.float32) - mean) / std).reshape(-1, 1, 28, 28)
    ytr, yte = torch.as_tensor(ytr).long(), torch.as_tensor(yte).long()
    net = ResNetFashion()
    opt = torch.optim.SGD(net.parameters(), lr=0.05, momentum=0.9, weight_decay=5e-4)
    steps = args.epochs * ((len(xtr) + 127) // 128)
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, 0.1, total_steps=steps)
    t = time.time()
    rng = np.random.RandomState(0)
    for ep in range(args.epochs):
        net.train()
        perm = torch.as_tensor(rng.permutation(len(xtr)))
        for i in range(0, len(xtr), 128):
            idx = perm[i:i + 128]
            loss = nn.functional.cross_entropy(net(xtr[idx]), ytr[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
            sched.step()
        print("epoch %d: loss %.3f (%.0fs)" % (ep + 1, loss.item(), time.time() - t), flush=True)
    net.eval()
    with torch.no_grad():
        acc = float(torch.cat([net(xte[i:i + 1000]).argmax(1) for i in range(0, len(xte), 1000)])
                    .eq(yte).float().mean())
    print("test accuracy %.2f%% (PyTorch, %d test images, %.0fs training)" % (
        100 * acc, len(yte), time.time() - t))
    path = os.path.join(args.out_dir, "resnet_fashion.onnx")
    torch.onnx.export(net, torch.zeros(100, 1, 28, 28), path, opset_version=13,
                      input_names=["input"], do_constant_folding=False,
                      training=torch.onnx.TrainingMode.PRESERVE,
                      dynamic_axes={"input": {0: "batch"}})
    idx = rng.choice(len(xtr), args.calibration, replace=False)
    np.save(os.path.join(args.out_dir, "calibration.npy"), xtr[idx].numpy())
    np.save(os.path.join(args.out_dir, "calibration_labels.npy"), ytr[idx].numpy())
    np.save(os.path.join(args.out_dir, "test.npy"), xte.numpy())
    np.save(os.path.join(args.out_dir, "test_labels.npy"), yte.numpy())
    torch.save(net.state_dict(), os.path.join(args.out_dir, "resnet_fashion.pt"))
    # Heavy tails after folding: max |w| / std per folded conv.
    for name, m in net.named_modules():
        if isinstance(m, nn.BatchNorm2d):
            scale = (m.weight / torch.sqrt(m.running_var + m.eps)).detach()
            print("  %s: BN scale %.3g..%.3g" % (name, scale.min(), scale.max()))
    print("wrote", path)


if __name__ == "__main__":
    main()
