"""The paper's figures for one model, one PNG per plot (matplotlib, Agg).

- ``<model>_weights_<layer>.png``: weight distribution before pruning and after
  pruning + retraining, with the k-means centroids (initial linear and
  fine-tuned) marked (paper Fig. 5);
- ``<model>_huffman_weights.png`` / ``<model>_huffman_gaps.png``: distribution of
  the codebook indices and of the relative-index gaps in the sparse streams
  (``report.FORMAT``, CSR), with the Huffman code length of each symbol (encoded
  by the C++ core);
- ``<model>_storage.png``: per-layer storage split into weights, indices and
  codebook (CSR + Huffman, measured on the core's streams);
- ``<model>_accuracy_vs_compression.png``: accuracy loss vs size for pruning
  only, quantization only and both (paper Fig. 6; short retraining per point, on
  the first ``FIG6_TRAIN_IMAGES`` training images, tested on the whole test set).

``<model>`` is the experiment's tag: the model name, plus the data set unless MNIST.
"""

import copy
import os
from collections import OrderedDict

import matplotlib

matplotlib.use("Agg")
import matplotlib.ticker  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import torch  # noqa: E402

from . import compress, core, models, report, train  # noqa: E402


def _save(fig, path, log=None):
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    if log:
        log("  wrote %s" % path)
    return path


def weight_distributions(name, baseline, pruned_weights, quantized, out_dir, log=None, tag=None):
    paths = []
    for layer, mod in models.layers(baseline).items():
        before = mod.weight.detach().numpy().ravel()
        fig, axes = plt.subplots(1, 2, figsize=(11, 3.6), sharex=True)
        axes[0].hist(before, bins=200, color="tab:blue")
        axes[0].set_title("%s %s: before pruning (%d weights)" % (tag or name, layer,
                                                                 before.size))
        axes[0].set_xlabel("weight value")
        axes[0].set_ylabel("count")
        if pruned_weights is not None and layer in pruned_weights:
            w = pruned_weights[layer].numpy().ravel()
        else:
            w = before
        survivors = w[w != 0]
        axes[1].hist(survivors, bins=200, color="tab:green")
        q = quantized.get(layer)
        if q is not None:
            init = core.kmeans1d(survivors.astype(np.float32), (1 << q.bits) - 1,
                                 init="linear", max_iter=0)
            final = q.codebook[1:]
            ymax = axes[1].get_ylim()[1]
            axes[1].plot(init, np.full(len(init), 0.03 * ymax), "x", color="tab:gray",
                         label="linear init")
            axes[1].plot(final, np.full(len(final), 0.08 * ymax), "o", color="tab:red",
                         ms=3.5, label="fine-tuned centroids")
            axes[1].legend(fontsize=8)
        axes[1].set_title("after pruning + retraining (%d kept, %.1f%%)" % (
            survivors.size, 100.0 * survivors.size / max(1, w.size)))
        axes[1].set_xlabel("weight value")
        # One x range for both panels (sharex): the union of both distributions.
        lo = min(before.min(), survivors.min() if survivors.size else before.min())
        hi = max(before.max(), survivors.max() if survivors.size else before.max())
        pad = 0.03 * (hi - lo)
        axes[0].set_xlim(lo - pad, hi + pad)
        axes[1].tick_params(labelbottom=True)
        paths.append(_save(fig, os.path.join(out_dir, "%s_weights_%s.png" % (tag or name, layer)), log))
    return paths


def _unpack(stream, count, bits):
    """Fixed-width LSB-first unpacking (what the core's packFixedWidth does)."""
    b = np.unpackbits(np.asarray(stream, np.uint8), bitorder="little")[:count * bits]
    return (b.reshape(count, bits).astype(np.int64) << np.arange(bits, dtype=np.int64)).sum(1)


def huffman_plots(name, baseline, quantized, out_dir, index_bits=report.INDEX_BITS, log=None,
                  tag=None):
    layers = [n for n in models.layers(baseline) if n in quantized]
    figs = {"weights": plt.subplots(1, len(layers), figsize=(4.2 * len(layers), 3.4),
                                    squeeze=False),
            "gaps": plt.subplots(1, len(layers), figsize=(4.2 * len(layers), 3.4),
                                 squeeze=False)}
    for i, layer in enumerate(layers):
        q = quantized[layer]
        shape = list(q.indices.shape)
        flat = q.indices.reshape(-1).astype(np.uint32)
        fixed = core.encode_indices(shape, flat, q.codebook, report.FORMAT, q.bits, index_bits, "none")
        huff = core.encode_indices(shape, flat, q.codebook, report.FORMAT, q.bits, index_bits,
                                   "huffman")
        n = int(fixed["num_entries"])
        streams = {"weights": (_unpack(fixed["values"], n, q.bits), 1 << q.bits,
                               huff["value_code_lengths"], "codebook index"),
                   "gaps": (_unpack(fixed["gaps"], n, index_bits), 1 << index_bits,
                            huff["gap_code_lengths"], "relative index (gap)")}
        for kind, (symbols, nsym, lengths, xlabel) in streams.items():
            ax = figs[kind][1][0][i]
            counts = np.bincount(symbols, minlength=nsym)
            ax.bar(np.arange(nsym), counts, color="tab:blue", width=0.9)
            ax.set_title("%s %s (%d entries)" % (name, layer, n))
            ax.set_xlabel(xlabel)
            ax.set_ylabel("count")
            ax2 = ax.twinx()
            lengths = np.asarray(lengths)
            used = np.nonzero(lengths)[0]
            ax2.plot(used, lengths[used], ".-", color="tab:red", ms=3)
            ax2.set_ylabel("Huffman code length (bits)", color="tab:red")
            avg = (counts * np.pad(lengths, (0, max(0, nsym - len(lengths))))[:nsym]).sum() \
                / max(1, n)
            ax.text(0.98, 0.95, "avg %.2f bits" % avg, transform=ax.transAxes, ha="right",
                    va="top", fontsize=8)
    paths = []
    for kind, (fig, _) in figs.items():
        paths.append(_save(fig, os.path.join(out_dir, "%s_huffman_%s.png" % (tag or name, kind)), log))
    return paths


def storage_plot(name, baseline, quantized, out_dir, index_bits=report.INDEX_BITS, log=None,
                 tag=None):
    rows = OrderedDict()
    for layer in models.layers(baseline):
        if layer not in quantized:
            continue
        q = quantized[layer]
        enc = core.encode_indices(list(q.indices.shape), q.indices.reshape(-1).astype(np.uint32),
                                  q.codebook, report.FORMAT, q.bits, index_bits, "huffman")
        st = core.measure_storage(**enc)
        rows[layer] = (st["value_bytes_coded"],
                       st["gap_bytes_coded"] + st["pointer_bytes"],
                       st["codebook_bytes"] + st["code_table_bytes"], st["bytes_dense"])
    fig, ax = plt.subplots(figsize=(7, 4))
    x = np.arange(len(rows))
    vals = np.array(list(rows.values()), dtype=float) / 1024.0
    bottom = np.zeros(len(rows))
    for j, (label, color) in enumerate([("weights (Huffman)", "tab:blue"),
                                        ("indices (gaps + pointers)", "tab:orange"),
                                        ("codebook + code tables", "tab:green")]):
        ax.bar(x, vals[:, j], bottom=bottom, label=label, color=color)
        bottom += vals[:, j]
    for i, total in enumerate(bottom):
        ax.text(i, total, "%.1f KB\n(%.0fx)" % (total, vals[i, 3] / max(total, 1e-9)),
                ha="center", va="bottom", fontsize=8)
    ax.set_xticks(x)
    ax.set_xticklabels(list(rows))
    ax.set_ylabel("KB")
    ax.set_ylim(0, bottom.max() * 1.25)
    ax.set_title("%s: compressed storage per layer (%s, %d-bit gaps, Huffman)" % (
        tag or name, report.FORMAT.upper(), index_bits))
    ax.legend(fontsize=8)
    return _save(fig, os.path.join(out_dir, "%s_storage.png" % (tag or name)), log)


def _size_pq(model, quantized=None, fmt=report.FORMAT, index_bits=report.INDEX_BITS):
    """Bytes of the fixed-width streams (no Huffman) for all layers, measured by the core."""
    total = 0
    for layer, mod in models.layers(model).items():
        w = mod.weight.detach().numpy().astype(np.float32)
        if quantized is not None and layer in quantized:
            q = quantized[layer]
            enc = core.encode_indices(list(w.shape), q.indices.reshape(-1).astype(np.uint32),
                                      q.codebook, fmt, q.bits, index_bits, "none")
        else:
            enc = core.encode_raw(list(w.shape), w.reshape(-1), fmt, index_bits)
        total += core.measure_storage(**enc)["bytes_pq"]
    return total


FIG6_TRAIN_IMAGES = 10000


def accuracy_vs_compression(name, baseline, split, out_dir, epochs=None, log=None, tag=None,
                            train_images=FIG6_TRAIN_IMAGES):
    """Paper Fig. 6, cheaply: a few points per curve, short retraining each on the first
    ``train_images`` training images (the test error on the whole test set)."""
    xtr, ytr, xte, yte = train.tensors(name, split)
    xtr, ytr = xtr[:train_images], ytr[:train_images]
    epochs = epochs if epochs is not None else (2 if name == "lenet300" else 1)
    base_err = train.error(baseline, xte, yte)
    dense_bytes = sum(m.weight.numel() * 4 for m in models.layers(baseline).values())
    keep = models.KEEP_RATIOS[name]
    bits = models.BITS[name]
    sch = compress.SCHEDULE[name]
    curves = {"pruning only": [], "quantization only": [], "pruning + quantization": []}

    pruned_models = {}
    for scale in (4.0, 2.0, 1.0, 0.5):
        m = copy.deepcopy(baseline)
        k = {n: min(1.0, r * scale) for n, r in keep.items()}
        pr = compress.prune_and_retrain(m, xtr, ytr, k, stages=2, epochs=epochs,
                                        final_epochs=epochs, lr=sch["lr"])
        pruned_models[scale] = (m, pr)
        curves["pruning only"].append((_size_pq(m) / dense_bytes,
                                       train.error(m, xte, yte) - base_err))
    for b in (2, 3, 4, 6, 8):
        m = copy.deepcopy(baseline)
        q = compress.quantize(m, {n: b for n in bits})
        q = compress.finetune_centroids(m, q, xtr, ytr, epochs=1, lr=sch["ft_lr"],
                                        centroid_lr=sch["centroid_lr"])
        curves["quantization only"].append((_size_pq(m, q, fmt="dense") / dense_bytes,
                                            train.error(m, xte, yte) - base_err))
    for scale, b_delta in ((2.0, 0), (1.0, 0), (1.0, -2), (1.0, -3), (0.5, -2)):
        src, pr = pruned_models[scale]
        m = copy.deepcopy(src)
        q = compress.quantize(m, {n: max(2, v + b_delta) for n, v in bits.items()}, pr.masks)
        q = compress.finetune_centroids(m, q, xtr, ytr, epochs=1, lr=sch["ft_lr"],
                                        centroid_lr=sch["centroid_lr"])
        curves["pruning + quantization"].append((_size_pq(m, q) / dense_bytes,
                                                 train.error(m, xte, yte) - base_err))
    fig, ax = plt.subplots(figsize=(7, 4.2))
    styles = {"pruning only": "s-", "quantization only": "^-", "pruning + quantization": "o-"}
    for label, pts in curves.items():
        pts = sorted(pts)
        ax.plot([100 * s for s, _ in pts], [100 * e for _, e in pts], styles[label], label=label)
    ax.axhline(0, color="gray", lw=0.8)
    # Fit the y range to the points (at most 8 points; larger losses marked at the top).
    losses = [100 * e for pts in curves.values() for _, e in pts]
    top = min(8.0, max(1.0, 1.2 * max(losses)))
    for label, pts in curves.items():
        for sz, e in pts:
            if 100 * e > top:  # off the scale: mark at the top edge
                ax.annotate("%.0f" % (100 * e), (100 * sz, top), fontsize=7, ha="center",
                            va="top", color="tab:red")
    ax.set_ylim(min(-0.2, 1.2 * min(losses)), top)
    ax.set_xscale("log")
    # A log axis over less than a decade gets one major label: label 1-2-5 steps.
    sizes = [100 * sz for pts in curves.values() for sz, _ in pts]
    ticks = [t for t in (0.5, 1, 2, 3, 5, 10, 20, 30, 50, 100)
             if min(sizes) / 1.5 <= t <= max(sizes) * 1.5]
    ax.set_xticks(ticks)
    ax.set_xticklabels(["%g%%" % t for t in ticks])
    ax.xaxis.set_minor_formatter(matplotlib.ticker.NullFormatter())
    ax.set_xlabel("model size ratio after compression (%, fixed-width streams, no Huffman)")
    ax.set_ylabel("accuracy loss (points)")
    ax.set_title("%s: accuracy vs compression (baseline error %.2f%%)" % (tag or name,
                                                                         100 * base_err))
    ax.legend(fontsize=8)
    path = _save(fig, os.path.join(out_dir, "%s_accuracy_vs_compression.png" % (tag or name)), log)
    return path, {k: [list(p) for p in sorted(v)] for k, v in curves.items()}


def make_all(name, baseline, model, pruner, quantized, split, out_dir, fig6=True, log=None,
             tag=None):
    torch.set_num_threads(1)
    paths = []
    pruned = getattr(pruner, "pruned_weights", None) if pruner is not None else None
    if pruned is None:  # no pruning step recorded: show the compressed weights
        pruned = OrderedDict((n, m.weight.detach()) for n, m in models.layers(model).items())
    paths += weight_distributions(name, baseline, pruned, quantized, out_dir, log, tag=tag)
    if quantized:
        paths += huffman_plots(name, baseline, quantized, out_dir, log=log, tag=tag)
        paths.append(storage_plot(name, baseline, quantized, out_dir, log=log, tag=tag))
    if fig6:
        p, _ = accuracy_vs_compression(name, baseline, split, out_dir, log=log, tag=tag)
        paths.append(p)
    return [os.path.basename(p) for p in paths]
