"""Training and evaluation loops (plain SGD with momentum, cross entropy).

Progress bars (tqdm) show on training, retraining and evaluation when stderr is a
terminal; :data:`PROGRESS` (``None``: auto, ``False``: never, ``True``: always) overrides
that, and the command line's ``--quiet`` sets it to ``False``.
"""

import sys
import time
from typing import Callable, Optional

import numpy as np
import torch
from torch import nn

from . import models


PROGRESS: Optional[bool] = None


def set_threads(n: int = 1) -> None:
    torch.set_num_threads(n)


def progress_enabled() -> bool:
    if PROGRESS is not None:
        return PROGRESS
    return sys.stderr.isatty()


def progress(total: int, desc: str, unit: str = "batch"):
    """A tqdm bar (or a no-op stand-in when progress is off or tqdm is missing)."""
    if progress_enabled():
        try:
            from tqdm import tqdm
            return tqdm(total=total, desc=desc, unit=unit, leave=False, dynamic_ncols=True)
        except ImportError:
            pass
    return _NoBar()


class _NoBar:
    def update(self, n=1):
        pass

    def set_postfix_str(self, s):
        pass

    def close(self):
        pass


def _batches(n, batch_size, rng):
    perm = rng.permutation(n)
    for i in range(0, n, batch_size):
        yield perm[i:i + batch_size]


def train(model: nn.Module, x: torch.Tensor, y: torch.Tensor, epochs: int, lr: float,
          momentum: float = 0.9, weight_decay: float = 5e-4, batch_size: int = 64,
          seed: int = 0, hook: Optional[Callable] = None, optimizer=None,
          lr_decay: bool = True, log: Optional[Callable] = None,
          desc: str = "train") -> nn.Module:
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
    bar = progress(steps, desc)
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
            bar.update()
        bar.set_postfix_str("epoch %d/%d loss %.4f" % (epoch + 1, epochs, total / n))
        if log:
            log("  epoch %d/%d loss %.4f (%.1fs)" % (epoch + 1, epochs, total / n,
                                                     time.time() - t0))
    bar.close()
    model.eval()
    return model


@torch.no_grad()
def predict(model: nn.Module, x: torch.Tensor, batch_size: int = 1000) -> torch.Tensor:
    model.eval()
    bar = progress(x.shape[0], "evaluate", unit="img")
    out = []
    for i in range(0, x.shape[0], batch_size):
        out.append(model(x[i:i + batch_size]).argmax(1))
        bar.update(len(out[-1]))
    bar.close()
    return torch.cat(out)


def error(model: nn.Module, x: torch.Tensor, y: torch.Tensor) -> float:
    """Test error as a fraction in [0, 1]."""
    return float((predict(model, x) != y).float().mean())


# Defaults for the 60,000 training digits, sized for this shared 2-core machine
# (see python/README.md for the measured errors and times).
BASELINE = {
    "lenet300": dict(epochs=10, lr=0.1),
    "lenet5": dict(epochs=6, lr=0.02),
}


def tensors(name: str, split):
    (xtr, ytr), (xte, yte) = split
    return (models.prepare_images(name, xtr), torch.as_tensor(ytr),
            models.prepare_images(name, xte), torch.as_tensor(yte))


def train_baseline(name: str, split, epochs: Optional[int] = None, lr: Optional[float] = None,
                   seed: int = 0, log: Optional[Callable] = None) -> nn.Module:
    cfg = dict(BASELINE[name])
    if epochs is not None:
        cfg["epochs"] = epochs
    if lr is not None:
        cfg["lr"] = lr
    torch.manual_seed(seed)
    model = models.build(name)
    xtr, ytr, _, _ = tensors(name, split)
    return train(model, xtr, ytr, seed=seed, log=log, desc="baseline", **cfg)
