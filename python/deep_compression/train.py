"""Training and evaluation loops (plain SGD with momentum, cross entropy)."""

import time

import numpy as np
import torch
from torch import nn

from . import models


def set_threads(n=1):
    torch.set_num_threads(n)


def _batches(n, batch_size, rng):
    perm = rng.permutation(n)
    for i in range(0, n, batch_size):
        yield perm[i:i + batch_size]


def train(model, x, y, epochs, lr, momentum=0.9, weight_decay=5e-4, batch_size=64,
          seed=0, hook=None, optimizer=None, lr_decay=True, log=None):
    """Trains ``model`` on tensors ``x``/``y``.

    ``hook(model)`` runs after every optimizer step (pruning masks use it);
    gradients are masked by ``model._dc_grad_hook`` if present (set by
    compress.Pruner). Learning rate decays linearly to 10% when ``lr_decay``.
    """
    torch.manual_seed(seed)
    rng = np.random.RandomState(seed)
    opt = optimizer or torch.optim.SGD(model.parameters(), lr=lr, momentum=momentum,
                                       weight_decay=weight_decay)
    loss_fn = nn.CrossEntropyLoss()
    n = x.shape[0]
    steps = epochs * ((n + batch_size - 1) // batch_size)
    step = 0
    model.train()
    t0 = time.time()
    for epoch in range(epochs):
        total = 0.0
        for idx in _batches(n, batch_size, rng):
            if lr_decay:
                for g in opt.param_groups:
                    g.setdefault("base_lr", g["lr"])
                    g["lr"] = g["base_lr"] * (1.0 - 0.9 * step / max(1, steps))
            idx = torch.from_numpy(idx)
            opt.zero_grad()
            loss = loss_fn(model(x[idx]), y[idx])
            loss.backward()
            grad_hook = getattr(model, "_dc_grad_hook", None)
            if grad_hook is not None:
                grad_hook(model)
            opt.step()
            if hook is not None:
                hook(model)
            total += float(loss) * len(idx)
            step += 1
        if log:
            log("  epoch %d/%d loss %.4f (%.1fs)" % (epoch + 1, epochs, total / n,
                                                     time.time() - t0))
    model.eval()
    return model


@torch.no_grad()
def predict(model, x, batch_size=1000):
    model.eval()
    out = [model(x[i:i + batch_size]).argmax(1) for i in range(0, x.shape[0], batch_size)]
    return torch.cat(out)


def error(model, x, y):
    """Test error as a fraction in [0, 1]."""
    return float((predict(model, x) != y).float().mean())


# Defaults tuned on this machine (see README in python/).
BASELINE = {
    "lenet300": dict(epochs=15, lr=0.1),
    "lenet5": dict(epochs=15, lr=0.02),
}


def tensors(name, split):
    (xtr, ytr), (xte, yte) = split
    return (models.prepare_images(name, xtr), torch.as_tensor(ytr),
            models.prepare_images(name, xte), torch.as_tensor(yte))


def train_baseline(name, split, epochs=None, lr=None, seed=0, log=None):
    cfg = dict(BASELINE[name])
    if epochs is not None:
        cfg["epochs"] = epochs
    if lr is not None:
        cfg["lr"] = lr
    torch.manual_seed(seed)
    model = models.build(name)
    xtr, ytr, _, _ = tensors(name, split)
    return train(model, xtr, ytr, seed=seed, log=log, **cfg)
