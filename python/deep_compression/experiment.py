"""The end-to-end experiment: baseline, compression, dc IR, compiled evaluation, report.

Steps: train the baseline on the 60,000 training images (or load one); prune +
retrain, quantize (C++ k-means) + fine-tune; export the compressed network as dc
IR; compile it with ``dc-opt --dc-compress=report=FILE --dc-to-llvm``,
mlir-translate and clang; evaluate the compiled model on the 10,000 test images;
write ``build/demo/report.json`` and print a table side by side with the paper.

``preset`` (compress.PRESETS): "paper" uses the paper's kept fractions and widths and one
encoding for every layer (``dc_opt_flags``); "beyond" uses compress.BEYOND's and picks each
layer's encoding by dc-opt's storage report (:func:`choose_encoding`), written onto the
layer's ``dc.constant`` as its ``dc.config``.
"""

import copy
import json
import os
import time
from typing import Callable, Optional

import numpy as np
import torch

from . import build_dir, compress, data, export, models, report, runtime, train


def default_out_dir():
    return os.path.join(build_dir(), "demo")


def dc_opt_path():
    return os.environ.get("DC_OPT", os.path.join(build_dir(), "bin", "dc-opt"))


def dc_opt_flags(report_path, model_name=None, configured=False):
    """The dc-opt pipeline flags that compress (sparse + Huffman, reusing the
    dc IR's codebooks) and lower to LLVM. One place to adapt the invocation.
    ``configured``: every layer carries its own encoding in a ``dc.config``
    (preset beyond), so only the report is asked for."""
    if configured:
        return ["--dc-compress=report=%s" % report_path, "--dc-to-llvm"]
    return ["--dc-compress=report=%s format=%s index-bits=%d"
            % (report_path, report.FORMAT, report.INDEX_BITS),
            "--dc-to-llvm"]


def compile_with_dc_opt(mlir_path, workdir, report_path, tool=None, log=None,
                        configured=False):
    tool = tool or dc_opt_path()
    return runtime.compile_and_load(mlir_path, workdir, tool=tool,
                                    flags=dc_opt_flags(report_path, configured=configured),
                                    log=log)


# The encodings choose_encoding measures: every combination, each layer then takes its
# smallest. dc-compress re-encodes the exported codebook indices, so a combination costs
# one dc-opt run without lowering (well under a second for a LeNet).
ENCODING_GRID = dict(format=("csr", "csc"), index_bits=(3, 4, 5, 6, 7, 8),
                     entropy=("huffman", "ans"))


def choose_encoding(mlir_path: str, workdir: str, tool: Optional[str] = None,
                    grid: Optional[dict] = None, log: Optional[Callable] = None):
    """Per layer of the dc IR ``mlir_path``, the (format, index_bits, entropy) of ``grid``
    (default ENCODING_GRID) with the fewest ``bytes_pqh`` in dc-opt's storage report.

    A layer's encoded bytes do not depend on the other layers' settings, so one dc-opt run
    per combination (all layers at once) measures every layer. Ties keep the earlier
    combination of the grid. Returns (choice: layer -> {"format", "index_bits", "entropy",
    "bytes_pqh"}, table: one {"format", "index_bits", "entropy", "bytes_pqh": {layer: n},
    "total": n} per combination).
    """
    tool = tool or dc_opt_path()
    grid = dict(ENCODING_GRID, **(grid or {}))
    os.makedirs(workdir, exist_ok=True)
    path = os.path.join(workdir, "encoding_trial.json")
    table, choice = [], {}
    t0 = time.time()
    for fmt in grid["format"]:
        for ib in grid["index_bits"]:
            for ent in grid["entropy"]:
                runtime.run_opt(mlir_path, os.devnull, tool,
                                ["--dc-compress=report=%s format=%s index-bits=%d entropy=%s"
                                 % (path, fmt, ib, ent)])
                with open(path) as f:
                    rep = json.load(f)
                sizes = {l["name"]: int(l["bytes_pqh"]) for l in rep["layers"]}
                table.append({"format": fmt, "index_bits": ib, "entropy": ent,
                              "bytes_pqh": sizes, "total": sum(sizes.values())})
                for layer, n in sizes.items():
                    if layer not in choice or n < choice[layer]["bytes_pqh"]:
                        choice[layer] = {"format": fmt, "index_bits": ib, "entropy": ent,
                                         "bytes_pqh": n}
    if log:
        log("  encoding search: %d dc-opt runs (%.1fs); per layer: %s" % (
            len(table), time.time() - t0, ", ".join(
                "%s %s/%d %s %d B" % (n, c["format"], c["index_bits"], c["entropy"],
                                       c["bytes_pqh"]) for n, c in choice.items())))
    return choice, table


def compiled_error(compiled, name, images, labels):
    x = models.prepare_images(name, images).numpy()
    logits = compiled.predict(x)
    return float(np.mean(logits.argmax(1) != labels)), logits


def tag(name: str, dataset: str = "mnist") -> str:
    """The prefix of an experiment's files: the model name, plus the data set unless MNIST."""
    return name if dataset == "mnist" else "%s_%s" % (name, dataset)


def load_baseline(path: str, name: str) -> torch.nn.Module:
    """A baseline checkpoint ({"model", "state_dict"}) of the built-in model ``name``."""
    ckpt = torch.load(path)
    if not isinstance(ckpt, dict) or "state_dict" not in ckpt:
        raise ValueError("%s: not a baseline checkpoint (expected a dict with state_dict)"
                         % path)
    if ckpt.get("model", name) != name:
        raise ValueError("%s holds a %s baseline, not %s" % (path, ckpt["model"], name))
    model = models.build(name)
    model.load_state_dict(ckpt["state_dict"])
    return model.eval()


def run(name: str = "lenet300", out_dir: Optional[str] = None, use_dc_opt: str = "auto",
        dc_opt: Optional[str] = None, batch: int = 100, plots: bool = True, seed: int = 0,
        log: Callable = print, schedule: Optional[dict] = None,
        baseline_epochs: Optional[int] = None, fig6: bool = True, dataset: str = "mnist",
        baseline: Optional[str] = None, split=None, threads: int = 1,
        preset: str = "paper", keep: Optional[dict] = None, bits: Optional[dict] = None,
        encoding_grid: Optional[dict] = None) -> dict:
    """Runs the experiment for the built-in model ``name`` on ``dataset``; returns the
    report (also written to ``out_dir``/report.json and report_<tag>.json).

    ``baseline``: a baseline checkpoint to start from instead of training one;
    ``split``: ((train_x, train_y), (test_x, test_y)) instead of ``dataset``'s own.
    ``preset``: one of compress.PRESETS; ``keep``, ``bits`` (layer -> value) and
    ``schedule`` override the preset's entries; ``encoding_grid`` narrows the encodings
    that preset beyond searches (keys of ENCODING_GRID).
    """
    settings = compress.preset(preset, name)
    layer_names = list(models.layers(models.build(name)))
    for what, given in (("keep", keep), ("bits", bits)):
        unknown = [n for n in (given or {}) if n not in layer_names]
        if unknown:
            raise ValueError("%s: no layer named %s in %s (its layers: %s)" % (
                what, ", ".join(unknown), name, ", ".join(layer_names)))
    keep = dict(settings["keep"], **(keep or {}))
    bits = dict(settings["bits"], **(bits or {}))
    schedule = dict(settings["schedule"], **(schedule or {}))
    search = settings["search_encoding"]
    tool = dc_opt or dc_opt_path()
    if search and (use_dc_opt == "no" or not os.path.exists(tool)):
        raise FileNotFoundError("preset %s chooses each layer's encoding from dc-opt's storage "
                                "report: it needs dc-opt (%s)" % (
                                    preset, "--no-dc-opt given" if use_dc_opt == "no"
                                    else "not found at %s" % tool))
    torch.set_num_threads(threads)
    out_dir = out_dir or default_out_dir()
    os.makedirs(out_dir, exist_ok=True)
    work = os.path.join(out_dir, "work")
    os.makedirs(work, exist_ok=True)
    timings = {}
    t_all = time.time()
    prefix = tag(name, dataset) + ("" if preset == "paper" else "_" + preset)

    split = split or data.load_split(dataset)
    (train_x, _), (test_x, test_y) = split
    xtr, ytr, xte, yte = train.tensors(name, split)

    t = time.time()
    if baseline:
        log("[1/5] baseline %s from %s" % (name, baseline))
        baseline_model = load_baseline(baseline, name)
    else:
        log("[1/5] training baseline %s on %d %s images" % (name, len(train_x), dataset))
        baseline_model = train.train_baseline(name, split, seed=seed, epochs=baseline_epochs,
                                              log=log)
    baseline = baseline_model
    baseline_error = train.error(baseline, xte, yte)
    timings["baseline_train_s"] = time.time() - t
    log("  baseline test error %.2f%% (%.1fs)" % (100 * baseline_error,
                                                  timings["baseline_train_s"]))
    torch.save({"model": name, "state_dict": baseline.state_dict()},
               os.path.join(out_dir, "%s_baseline.pt" % prefix))

    t = time.time()
    log("[2/5] compressing: prune + retrain, k-means (C++ core) + centroid fine-tuning")
    model = copy.deepcopy(baseline)
    if preset != "paper":
        log("  preset %s: keep %s; bits %s" % (
            preset, ", ".join("%s %.1f%%" % (n, 100 * k) for n, k in keep.items()),
            ", ".join("%s %d" % (n, b) for n, b in bits.items())))
    pruner, quantized = compress.compress(name, model, split, keep=keep, bits=bits, seed=seed,
                                          log=log, schedule=schedule)
    torch_error = train.error(model, xte, yte)
    timings["compress_s"] = time.time() - t
    log("  compressed (PyTorch) test error %.2f%% (%.1fs)" % (100 * torch_error,
                                                              timings["compress_s"]))
    compress.save(os.path.join(out_dir, "%s_compressed.pt" % prefix), name, model, quantized)

    t = time.time()
    log("[3/5] exporting MLIR")
    shape = models.input_shape(name)
    dc_path = export.write(os.path.join(out_dir, "%s.dc.mlir" % prefix),
                           export.export_mlir(model, shape, batch=batch, quantized=quantized))
    encoding, encoding_table = None, None
    if search:
        t_search = time.time()
        choice, encoding_table = choose_encoding(dc_path, work, tool, encoding_grid, log=log)
        timings["encoding_search_s"] = time.time() - t_search
        encoding = {n: {k: c[k] for k in ("format", "index_bits", "entropy")}
                    for n, c in choice.items()}
        # The module as compiled: each layer's dc.constant carries its chosen encoding.
        dc_path = export.write(os.path.join(out_dir, "%s.dc.mlir" % prefix),
                               export.export_mlir(model, shape, batch=batch,
                                                  quantized=quantized, configs=encoding))
    base_path = export.write(os.path.join(work, "%s_baseline.mlir" % prefix),
                             export.export_mlir(baseline, shape, batch=batch))
    timings["export_s"] = time.time() - t

    t = time.time()
    log("[4/5] compiling and evaluating on %d test images" % len(test_y))
    cm = runtime.compile_and_load(base_path, work, log=log)
    baseline_error_compiled, _ = compiled_error(cm, name, test_x, test_y)
    log("  baseline (compiled, stock mlir-opt) test error %.2f%%" % (
        100 * baseline_error_compiled))
    have_dc_opt = os.path.exists(tool)
    if use_dc_opt == "yes" and not have_dc_opt:
        raise FileNotFoundError("dc-opt not found at %s (build it, or set DC_OPT)" % tool)
    compiler_json = os.path.join(out_dir, "%s_compiler_report.json" % prefix)
    cm = None
    if have_dc_opt and use_dc_opt != "no":
        compiler = "dc-opt"
        try:
            cm = compile_with_dc_opt(dc_path, work, compiler_json, tool, log=log,
                                     configured=search)
            with open(compiler_json) as f:
                storage = json.load(f)
        except (runtime.CompileError, OSError, ValueError) as e:
            if use_dc_opt == "yes" or search:
                raise
            log("  WARNING: dc-opt failed, using the fallback:\n    " +
                str(e).replace("\n", "\n    ")[:3000])
            cm = None
    if cm is None:
        # Development fallback: the decompressed weights as plain f32 MLIR through
        # stock mlir-opt; storage measured by the C++ core through the binding.
        compiler = "mlir-opt (fallback: dc-opt not used; storage from the C++ core binding)"
        log("  dc-opt not used: fallback to stock mlir-opt + binding storage report")
        fpath = export.write(os.path.join(work, "%s_compressed_float.mlir" % prefix),
                             export.export_mlir(model, shape, batch=batch))
        cm = runtime.compile_and_load(fpath, work, log=log)
        storage = report.python_storage_report(model, quantized)
        with open(compiler_json, "w") as f:
            json.dump(storage, f, indent=1)
    compressed_error, _ = compiled_error(cm, name, test_x, test_y)
    timings["compile_eval_s"] = time.time() - t
    log("  compressed (compiled) test error %.2f%%" % (100 * compressed_error))

    result = {
        "model": name,
        "dataset": dataset,
        "train_images": int(len(train_x)),
        "baseline_error": baseline_error,
        "compressed_error": compressed_error,
        "test_images": int(len(test_y)),
        "ratio": report.ratio(storage),
        "layers": storage["layers"],
        "total": storage.get("total"),
        "baseline_error_compiled": baseline_error_compiled,
        "compressed_error_pytorch": torch_error,
        "compiler": compiler,
        "preset": preset,
        "keep_ratios": keep,
        "bits": bits,
        "schedule": schedule,
        "encoding": encoding or {n: {"format": report.FORMAT, "index_bits": report.INDEX_BITS,
                                     "entropy": "huffman"} for n in quantized},
        "timings": timings,
    }
    if encoding_table is not None:
        result["encoding_search"] = encoding_table
        if compiler.startswith("dc-opt"):
            sizes = {l["name"]: int(l["bytes_pqh"]) for l in storage["layers"]}
            chosen = {n: c["bytes_pqh"] for n, c in choice.items()}
            if sizes != chosen:  # the compiled module must be the one measured
                raise RuntimeError("compiled sizes %s differ from the searched ones %s" % (
                    sizes, chosen))
    t = time.time()
    if plots:
        log("[5/5] plots")
        from . import plots as plots_mod
        result["plots"] = plots_mod.make_all(name, baseline, model, pruner, quantized,
                                             split, out_dir, fig6=fig6, log=log, tag=prefix)
        timings["plots_s"] = time.time() - t
    timings["total_s"] = time.time() - t_all
    for path in (os.path.join(out_dir, "report.json"),
                 os.path.join(out_dir, "report_%s.json" % prefix)):
        with open(path, "w") as f:
            json.dump(result, f, indent=1)
    log("")
    log(report.format_table(name, result))
    log("report: %s (%.0fs total)" % (os.path.join(out_dir, "report.json"),
                                      timings["total_s"]))
    return result
