import copy

import numpy as np
import torch

from deep_compression import compress, models, train


def _tiny_data(name, n=256, seed=0):
    g = torch.Generator().manual_seed(seed)
    x = torch.rand((n,) + models.input_shape(name), generator=g)
    y = torch.randint(0, 10, (n,), generator=g)
    return x, y


def test_pruning_masks_respected_after_retraining():
    torch.manual_seed(0)
    model = models.build("lenet300")
    x, y = _tiny_data("lenet300")
    keep = models.KEEP_RATIOS["lenet300"]
    pruner = compress.prune_and_retrain(model, x, y, keep, stages=2, epochs=1,
                                        final_epochs=2, lr=0.05)
    for name, layer in models.layers(model).items():
        mask = pruner.masks[name]
        w = layer.weight.detach()
        assert torch.all(w[~mask] == 0), name
        # Exactly the requested fraction survives (and is nonzero: it trained).
        assert int(mask.sum()) == max(1, int(round(keep[name] * w.numel())))
        assert float((w != 0).float().mean()) <= keep[name] + 1e-6


def test_pruning_keeps_largest_magnitudes():
    torch.manual_seed(0)
    model = models.build("lenet300")
    before = model.ip1.weight.detach().abs().clone()
    p = compress.Pruner(model)
    p.prune({"ip1": 0.1})
    thr = before[p.masks["ip1"]].min()
    assert torch.all(before[~p.masks["ip1"]] <= thr)


def test_centroid_finetuning_keeps_weights_tied(dc_core):
    torch.manual_seed(0)
    model = models.build("lenet5")
    x, y = _tiny_data("lenet5", n=128)
    pruner = compress.Pruner(model)
    pruner.prune(models.KEEP_RATIOS["lenet5"])
    q = compress.quantize(model, models.BITS["lenet5"], pruner.masks)
    before = {n: qq.codebook.copy() for n, qq in q.items()}
    for n, qq in q.items():
        assert qq.codebook[0] == 0.0 and len(qq.codebook) <= 2 ** qq.bits
        assert np.array_equal(qq.indices == 0, ~pruner.masks[n].numpy())
    q = compress.finetune_centroids(model, q, x, y, epochs=1, lr=0.01, centroid_lr=1e-3)
    for name, layer in models.layers(model).items():
        qq = q[name]
        w = layer.weight.detach().numpy()
        assert np.array_equal(w, qq.codebook[qq.indices]), name
        assert qq.codebook[0] == 0.0
        assert np.all(w[~pruner.masks[name].numpy()] == 0)
        assert len(np.unique(w)) <= 2 ** qq.bits
        assert not np.array_equal(before[name], qq.codebook), "centroids did not move"


def test_centroid_gradient_is_sum_of_weight_gradients(dc_core):
    torch.manual_seed(0)
    model = models.build("lenet300")
    q = compress.quantize(model, {"ip1": 2, "ip2": 2, "ip3": 2})
    tuner = compress.CentroidTuner(model, q)
    x, y = _tiny_data("lenet300", n=16)
    torch.nn.functional.cross_entropy(model(x), y).backward()
    wgrad = model.ip2.weight.grad.clone()
    tuner.grad_hook()
    idx = q["ip2"].indices
    for k in range(1, len(q["ip2"].codebook)):
        expect = wgrad.numpy()[idx == k].sum()
        assert np.isclose(float(tuner.codebooks["ip2"].grad[k]), expect, rtol=1e-4, atol=1e-6)
    assert float(tuner.codebooks["ip2"].grad[0]) == 0.0


def test_quantize_uses_linear_kmeans_of_core(dc_core):
    torch.manual_seed(0)
    model = models.build("lenet300")
    w = model.ip3.weight.detach().numpy().copy()
    q = compress.quantize(model, {"ip3": 3})
    expect = dc_core.kmeans1d(w.ravel(), 7, init="linear", seed=0)
    assert np.array_equal(q["ip3"].codebook[1:], expect)


def test_save_load_roundtrip(tmp_path, dc_core):
    torch.manual_seed(0)
    model = models.build("lenet300")
    q = compress.quantize(model, models.BITS["lenet300"])
    path = str(tmp_path / "m.pt")
    compress.save(path, "lenet300", model, q)
    name, m2, q2, _ = compress.load(path)
    assert name == "lenet300"
    for n in q:
        assert np.array_equal(q[n].codebook, q2[n].codebook)
        assert np.array_equal(q[n].indices, q2[n].indices)
        assert torch.equal(models.layers(model)[n].weight, models.layers(m2)[n].weight)
