"""The paper's MNIST networks, as ``nn.Sequential`` with the paper's layer names.

LeNet-300-100: ip1 784->300, ReLU, ip2 300->100, ReLU, ip3 100->10; input [N, 784].
LeNet-5 (Caffe variant): conv1 20x1x5x5, maxpool 2, conv2 50x20x5x5, maxpool 2,
flatten (800), ip1 800->500, ReLU, ip2 500->10; input [N, 1, 28, 28].
Both return logits; softmax is a separate (optional) export step.
"""

from collections import OrderedDict

import torch
from torch import nn

# Paper (Table 1/2, Han et al. 2015/2016): fraction of weights kept per layer.
KEEP_RATIOS = {
    "lenet300": {"ip1": 0.08, "ip2": 0.09, "ip3": 0.26},
    "lenet5": {"conv1": 0.66, "conv2": 0.12, "ip1": 0.08, "ip2": 0.19},
}
# Codebook index width per layer (paper: LeNet-300-100 6 bits; LeNet-5 conv 8, fc 5).
BITS = {
    "lenet300": {"ip1": 6, "ip2": 6, "ip3": 6},
    "lenet5": {"conv1": 8, "conv2": 8, "ip1": 5, "ip2": 5},
}
MODELS = ("lenet300", "lenet5")


def lenet300():
    return nn.Sequential(OrderedDict([
        ("ip1", nn.Linear(784, 300)), ("relu1", nn.ReLU()),
        ("ip2", nn.Linear(300, 100)), ("relu2", nn.ReLU()),
        ("ip3", nn.Linear(100, 10)),
    ]))


def lenet5():
    return nn.Sequential(OrderedDict([
        ("conv1", nn.Conv2d(1, 20, 5)), ("pool1", nn.MaxPool2d(2)),
        ("conv2", nn.Conv2d(20, 50, 5)), ("pool2", nn.MaxPool2d(2)),
        ("flatten", nn.Flatten()),
        ("ip1", nn.Linear(800, 500)), ("relu1", nn.ReLU()),
        ("ip2", nn.Linear(500, 10)),
    ]))


def build(name):
    if name == "lenet300":
        return lenet300()
    if name == "lenet5":
        return lenet5()
    raise ValueError("unknown model %r (expected one of %s)" % (name, ", ".join(MODELS)))


def input_shape(name):
    """Shape of one input image for the model (without the batch dimension)."""
    return (784,) if name == "lenet300" else (1, 28, 28)


def prepare_images(name, images):
    """[N, 28, 28] float images -> the model's input layout, as a float32 tensor."""
    x = torch.as_tensor(images, dtype=torch.float32)
    return x.reshape((x.shape[0],) + input_shape(name))


def layers(model: nn.Module) -> "OrderedDict[str, nn.Module]":
    """OrderedDict name -> Linear/Conv2d module: the layers that get compressed.

    The one naming scheme of quantize, compress and export: a layer's name is its module
    path (``ip1``; ``0`` in an unnamed nn.Sequential; ``features.3`` when nested), its
    weight the parameter ``<name>.weight`` (the ONNX initializer name)."""
    return OrderedDict((n, m) for n, m in model.named_modules()
                       if isinstance(m, (nn.Linear, nn.Conv2d)))
