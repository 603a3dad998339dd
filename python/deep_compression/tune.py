"""Data-driven search of per-layer compression settings under a budget (``tune``).

``tune(MODEL, calibration, max_output_error=E)`` finds, for every layer of the model, a
sparsity, a codebook width and a relative-index width such that the compiled,
compressed model's outputs on the calibration inputs stay within E of the uncompressed
model's (relative L2 error over the whole batch, ``||y - y_ref|| / ||y_ref||``, both
compiled through dc), or, with labels, that its accuracy drops by at most P points; and
the total encoded size (dc's storage report, ``bytes_pqh``) is as small as it can find.

Steps (every trial is an independent job of a ``concurrent.futures`` executor: local
processes, or a dask.distributed cluster through ``Client.get_executor()``):

1. tag: ``dc-opt --dc-autotune`` marks every layer the compiler compresses with a
   ``dc.config``; those dictionaries become the slots the search fills in;
2. size tables (compression only, no lowering): per layer, its ``bytes_pqh`` for each
   sparsity x index width (at ``REF_BITS``) and for each sparsity x codebook width (with
   that sparsity's best index width), from dc's storage report;
3. sensitivity curves: one layer compressed at a time, the others left dense; output
   error (and accuracy) against sparsity (at the widest codebook) and against codebook
   width (unpruned), each a compiled trial; plotted;
4. the smallest uniform setting (one sparsity, width, index width for every layer) that
   meets the budget: per width, bisection over the sparsities (compiled trials);
5. allocation: per-layer squared errors are assumed to add (e_l(s, b)^2 = e_l(s)^2 +
   e_l(b)^2 - e_l(b_max)^2), a Lagrangian over the size tables plus a greedy refinement
   gives the smallest predicted model under a predicted target t; verification trials
   of the combinations for several t (bracketing the largest t whose real, compiled
   error meets the budget) back off when the prediction misses;
6. result: the smallest verified combination (or the best uniform setting if that is
   smaller); its ``dc.config`` on every layer of the written module, a JSON summary and
   a PNG of the curves beside it.

``trials="reconstructed"`` (``--trials reconstructed``) evaluates the curves, the uniform
bisection and the allocation rounds without compiling the compressed model
(``tune_fast``: one compiled model with the weights as arguments, weights reconstructed
by the C++ core exactly as dc-compress does); the best uniform setting and the result are
then verified on the compiled compressed model, smallest first.
"""

import concurrent.futures
import json
import math
import os
import re
import shutil
import tempfile
import time

import numpy as np

from . import build_dir, runtime

SPARSITIES = (0.0, 0.3, 0.5, 0.6, 0.7, 0.8, 0.85, 0.9, 0.93, 0.95, 0.97)
BITS = (2, 3, 4, 5, 6, 8)
INDEX_BITS = (2, 3, 4, 5, 6, 8)
REF_BITS = 5            # codebook width at which the index widths are compared
VERIFY_ROUNDS = 4
FAST_VERIFY_ROUNDS = 8   # allocation rounds with reconstructed trials (cheap)
FAST_COMPILED_CHECKS = 4  # compiled checks of the smallest reconstructed results
TRIALS = ("compiled", "reconstructed")
CODEBOOKS = ("layer", "channel")
SKIP = "{skip = true}"
_SLOT = "__DC_TUNE_SLOT_%d__"
_SLOT_RE = re.compile(r"__DC_TUNE_SLOT_(\d+)__")


class TuneError(Exception):
    """A bad argument or model: reported as its text alone."""


def dc_opt_path():
    return os.environ.get("DC_OPT", os.path.join(build_dir(), "bin", "dc-opt"))


# ---------------------------------------------------------------------------
# Settings and the module template


def config_text(setting):
    """A layer's ``dc.config`` dictionary for ``(sparsity, bits, index_bits[, codebook])``
    (None: skip; codebook ``layer`` when not given)."""
    if setting is None:
        return SKIP
    s, b, i = setting[:3]
    cb = setting[3] if len(setting) > 3 else "layer"
    return ('{bits = %d : i64, %sentropy = "huffman", format = "csc", index_bits = %d : i64, '
            'init = "optimal", sparsity = %.6e : f64}' % (
                b, "" if cb == "layer" else 'codebook = "%s", ' % cb, i, s))


def max_channel_bits(shape):
    """The widest codebook ``codebook=channel`` can execute on a weight of ``shape``: the
    kernels expand per-channel codebooks to one of channels x 2^bits entries, at most 2^16
    (docs/Autotune.md, "Finer codebooks")."""
    dims = list(shape)
    while len(dims) > 1 and dims[0] == 1:
        dims = dims[1:]
    rows = max(1, dims[0] if dims else 1)
    return int(math.floor(math.log2(65536 / rows))) if rows <= 65536 else 0


def fill(template, settings):
    """The module text with each layer's slot replaced by its setting's dc.config."""
    return _SLOT_RE.sub(lambda m: config_text(settings[int(m.group(1))]), template)


_CONFIG_RE = re.compile(r"dc\.config = \{[^{}]*\}")
_LAYER_RE = re.compile(r'dc\.layer = "((?:[^"\\]|\\.)*)"')
_AUTOTUNE_RE = re.compile(r"dc\.autotune = \{[^{}]*\}(, )?")


def tag_layers(text, workdir, tool):
    """Writes `text` to WORKDIR/model.mlir, tags its layers (dc-autotune) and
    writes the trial template (make_template) to WORKDIR/template.mlir.
    Returns (template, layer names, template path)."""
    src = os.path.join(workdir, "model.mlir")
    with open(src, "w") as f:
        f.write(text)
    tagged_path = os.path.join(workdir, "tagged.mlir")
    runtime.run_opt(src, tagged_path, tool, ["--dc-autotune=max-rel-error=0.5"])
    with open(tagged_path) as f:
        template, names = make_template(f.read())
    tpath = os.path.join(workdir, "template.mlir")
    with open(tpath, "w") as f:
        f.write(template)
    return template, names, tpath


def make_template(tagged):
    """Text of ``dc-opt --dc-autotune`` output -> (template with slots, layer names).

    A layer without ``dc.layer`` gets ``dc.layer = "layerK"`` (K its position) so that
    the storage report names it the same in every trial."""
    names, out, pos = [], [], 0
    for m in _CONFIG_RE.finditer(tagged):
        k = len(names)
        line_end = tagged.find("\n", m.end())
        line = tagged[m.end():line_end if line_end >= 0 else len(tagged)]
        lm = _LAYER_RE.search(line.split(" dense")[0])
        out.append(tagged[pos:m.start()])
        if lm:
            name = lm.group(1)
            out.append("dc.config = " + _SLOT % k)
        else:
            name = "layer%d" % k
            out.append('dc.config = %s, dc.layer = "%s"' % (_SLOT % k, name))
        if name in names:
            raise TuneError("two layers are named %r: give each weight its own dc.layer" % name)
        names.append(name)
        pos = m.end()
    out.append(tagged[pos:])
    text = "".join(out)
    # The tagging run's module attribute is not a result of this search.
    text = _AUTOTUNE_RE.sub("", text, count=1).replace("module attributes {} {", "module {", 1)
    return text, names


# ---------------------------------------------------------------------------
# Jobs (top-level functions: they run in other processes or on dask workers)


def _write_filled(job, workdir):
    with open(job["template"]) as f:
        template = f.read()
    path = os.path.join(workdir, "trial.mlir")
    with open(path, "w") as f:
        f.write(fill(template, job["settings"]))
    return path


def _read_report(path):
    with open(path) as f:
        rep = json.load(f)
    return {l["name"]: {"bytes_pqh": l["bytes_pqh"], "bytes_dense": l["bytes_dense"],
                        "shape": l["shape"]}
            for l in rep["layers"]}, rep["total"]


def size_job(job):
    """Compression only: the storage report of the module with ``job["settings"]``."""
    workdir = tempfile.mkdtemp(prefix="size-", dir=job["workdir"])
    try:
        path = _write_filled(job, workdir)
        report = os.path.join(workdir, "report.json")
        runtime.run_opt(path, os.devnull, job["dc_opt"], ["--dc-compress=report=%s" % report])
        layers, total = _read_report(report)
        return {"layers": layers, "bytes_pqh": total["bytes_pqh"]}
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


def output_error(y, ref):
    return float(np.linalg.norm((y - ref).ravel()) / max(np.linalg.norm(ref.ravel()), 1e-30))


def trial_job(job):
    """Compile the module with ``job["settings"]`` through dc, run it on the calibration
    inputs; the output error against the reference, accuracy, sizes."""
    t0 = time.time()
    workdir = tempfile.mkdtemp(prefix="trial-", dir=job["workdir"])
    try:
        path = _write_filled(job, workdir)
        report = os.path.join(workdir, "report.json")
        flags = ["--dc-compress=report=%s" % report, "--dc-to-llvm"]
        so = runtime.compile_mlir(path, workdir, tool=job["dc_opt"], flags=flags,
                                  opt_level="-O1")
        y = _run_isolated(so, job["head"], job["inputs"], workdir)
        layers, total = _read_report(report)
        res = {"error": output_error(y, np.load(job["reference"])), "layers": layers,
               "bytes_pqh": total["bytes_pqh"], "bytes_dense": total["bytes_dense"],
               "seconds": time.time() - t0}
        if job.get("labels"):
            res["accuracy"] = accuracy(y, np.load(job["labels"]))
        return res
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


def _run_isolated(so, head, inputs, workdir):
    """The compiled model's outputs on ``inputs``, computed in a child process: generated
    code does not free every intermediate buffer, and a worker that loaded hundreds of
    trials' libraries would grow without bound (one was OOM-killed at 11 GB)."""
    import subprocess
    import sys
    head_path = os.path.join(workdir, "head.mlir")
    with open(head_path, "w") as f:
        f.write(head)
    out = os.path.join(workdir, "outputs.npy")
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(
        [os.path.dirname(os.path.dirname(os.path.abspath(__file__)))] +
        [p for p in os.environ.get("PYTHONPATH", "").split(os.pathsep) if p]))
    p = subprocess.run([sys.executable, "-m", "deep_compression.tune", so, head_path, inputs,
                        out], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    if p.returncode != 0:
        raise runtime.CompileError("running the compiled trial failed (%d): %s" % (
            p.returncode, p.stderr[-2000:]))
    return np.load(out)


def _run_compiled(so, head, x):
    model = runtime.load_compiled(so, head)
    return model.predict(x.reshape((-1,) + model.input_shape[1:]))


def accuracy(y, labels):
    return float(np.mean(y.reshape(len(labels), -1).argmax(1) == labels))


# ---------------------------------------------------------------------------
# Executors


class Runner:
    """Submits jobs to a concurrent.futures executor, caching results by settings."""

    def __init__(self, executor, base_job, log, parallel=1):
        self.ex = executor
        self.base = base_job
        self.cache = {}
        self.counts = {}
        self.log = log
        self.parallel = max(1, parallel)

    def run(self, fn, settings_list, phase):
        """Results of ``fn`` for each settings list, in order. A function with a ``batch``
        attribute takes ``settings_batch`` (up to that many, spread over the workers) and
        returns a list of results."""
        keys = [(fn.__name__, tuple(tuple(x) if isinstance(x, list) else x for x in s))
                for s in settings_list]
        pending = {}
        for k, s in zip(keys, settings_list):
            if k not in self.cache and k not in pending:
                pending[k] = list(s)
        batch = getattr(fn, "batch", 0)
        if batch:
            items = list(pending.items())
            n = max(1, min(batch, -(-len(items) // self.parallel)))
            chunks = [items[i:i + n] for i in range(0, len(items), n)]
            futs = {self.ex.submit(fn, dict(self.base, settings_batch=[s for _, s in ch])): ch
                    for ch in chunks}
        else:
            futs = {self.ex.submit(fn, dict(self.base, settings=s)): [(k, s)]
                    for k, s in pending.items()}
        done, step = 0, max(10, len(pending) // 5)
        for fut in concurrent.futures.as_completed(futs):
            res = fut.result()  # the first failure ends the search
            for (k, _), r in zip(futs[fut], res if batch else [res]):
                self.cache[k] = r
            before, done = done, done + len(futs[fut])
            if done // step > before // step and done < len(pending):
                self.log("  %s: %d of %d done" % (phase, done, len(pending)))
        self.counts[phase] = self.counts.get(phase, 0) + len(pending)
        return [self.cache[k] for k in keys]


def make_executor(scheduler=None, workers=None):
    """(executor, closer, parallel jobs): a dask.distributed cluster's executor, or local
    processes."""
    if scheduler:
        try:
            import distributed
        except ImportError as e:
            raise TuneError("--scheduler needs dask.distributed (Debian python3-distributed): "
                            "%s" % e) from None
        try:
            client = distributed.Client(scheduler, timeout=5, set_as_default=False)
        except (OSError, TimeoutError, ValueError) as e:
            raise TuneError("cannot reach the dask scheduler at %s: %s" % (
                scheduler, " ".join(str(e).split()) or type(e).__name__)) from None
        threads = max(1, sum(client.nthreads().values()))
        return client.get_executor(pure=False), client.close, threads
    n = workers or os.cpu_count() or 1
    ex = concurrent.futures.ProcessPoolExecutor(max_workers=n)
    return ex, ex.shutdown, n


# ---------------------------------------------------------------------------
# Loading the model


def load_module(model, calibration, batch=None, weights=None):
    """MODEL (.mlir, .onnx or a built-in name) -> MLIR text with func.func @forward."""
    from . import models as builtin
    if model in builtin.MODELS:
        from . import export, experiment
        path = weights or os.path.join(experiment.default_out_dir(), "%s_baseline.pt" % model)
        if not os.path.isfile(path):
            raise TuneError("%s: no trained weights at %s (train them with `train --model %s "
                            "--out %s`, or give --weights)" % (model, path, model, path))
        net = experiment.load_baseline(path, model)
        shape = builtin.input_shape(model)
        if int(np.prod(calibration.shape[1:])) != int(np.prod(shape)):
            raise TuneError("--calibration: inputs of shape %s do not fit %s (input %s)" % (
                list(calibration.shape[1:]), model, list(shape)))
        return export.export_mlir(net, shape, batch=batch or min(len(calibration), 100))
    if not os.path.isfile(model):
        raise TuneError("%s: no such file (MODEL: a .mlir or .onnx file, or one of %s)" % (
            model, ", ".join(builtin.MODELS)))
    if model.endswith(".onnx"):
        return _import_onnx(model, calibration, batch)
    with open(model) as f:
        return f.read()


def _import_onnx(path, calibration, batch):
    try:
        import onnx
        from . import onnx_import
    except ImportError as e:
        raise TuneError("an .onnx model needs the ONNX importer: %s" % e) from None
    try:
        m = onnx.load(path, load_external_data=False)
    except Exception as e:  # noqa: BLE001 - onnx raises several types on a bad file
        raise TuneError("%s: not an ONNX model (%s)" % (path, e)) from None
    inits = {i.name for i in m.graph.initializer}
    inputs = [i for i in m.graph.input if i.name not in inits]
    if len(inputs) != 1:
        raise TuneError("%s: tune needs a model with one input (it has %d)" % (path, len(inputs)))
    dims = [d.dim_value if d.HasField("dim_value") and d.dim_value > 0 else None
            for d in inputs[0].type.tensor_type.shape.dim]
    shape = [batch or min(len(calibration), 100)] + list(calibration.shape[1:])
    if len(dims) != len(shape) or any(d is not None and d != s for d, s in zip(dims[1:],
                                                                           shape[1:])):
        raise TuneError("--calibration: inputs of shape %s do not fit %s's input %s" % (
            list(calibration.shape[1:]), path, ["?" if d is None else d for d in dims]))
    if dims[0] is not None:
        shape[0] = dims[0]
    try:
        return onnx_import.import_onnx(path, {inputs[0].name: shape})
    except onnx_import.OnnxImportError as e:
        raise TuneError("%s: %s" % (path, e)) from None


# ---------------------------------------------------------------------------
# The search


def _check_budget(name, value, allow_zero):
    if value is None:
        return
    if not math.isfinite(value) or value < 0 or (value == 0 and not allow_zero):
        raise TuneError("%s must be a finite number %s 0, not %r" % (
            name, ">=" if allow_zero else ">", value))


def _load_array(path, what):
    if not os.path.isfile(path):
        raise TuneError("%s %s: no such file" % (what, path))
    try:
        a = np.load(path, allow_pickle=False)
    except Exception as e:  # noqa: BLE001
        raise TuneError("%s %s: not a .npy array (%s)" % (what, path, e)) from None
    if not isinstance(a, np.ndarray) or a.ndim < 1 or len(a) == 0:
        raise TuneError("%s %s: expected a non-empty array" % (what, path))
    return a


def tune(model, calibration, max_output_error=None, max_accuracy_drop=None, labels=None,
         out=None, scheduler=None, workers=None, sparsities=SPARSITIES, bits=BITS,
         index_bits=INDEX_BITS, weights=None, batch=None, workdir=None, plot=True,
         log=print, trials="compiled", codebooks=("layer",)):
    """Runs the search; writes ``out`` (default ``<model stem>.tuned.mlir``), its
    ``.tune.json`` summary and ``.sensitivity.png``; returns the summary. ``trials``:
    ``compiled`` (every trial compiled through dc) or ``reconstructed`` (see the module
    docstring). ``codebooks``: the codebook granularities searched per layer (``layer``,
    ``channel``); the uniform baseline uses ``layer``."""
    t_start = time.time()
    if trials not in TRIALS:
        raise TuneError("--trials: %r is not one of %s" % (trials, ", ".join(TRIALS)))
    codebooks = list(dict.fromkeys(codebooks))
    if not codebooks or any(c not in CODEBOOKS for c in codebooks):
        raise TuneError("--codebooks: values among %s, not %s" % (
            ", ".join(CODEBOOKS), ",".join(map(str, codebooks)) or "nothing"))
    if (max_output_error is None) == (max_accuracy_drop is None):
        raise TuneError("give exactly one of --max-output-error and --max-accuracy-drop")
    _check_budget("--max-output-error", max_output_error, allow_zero=False)
    _check_budget("--max-accuracy-drop", max_accuracy_drop, allow_zero=True)
    if max_accuracy_drop is not None and labels is None:
        raise TuneError("--max-accuracy-drop needs --labels LABELS.npy")
    sparsities = sorted(set(float(s) for s in sparsities))
    bits = sorted(set(int(b) for b in bits))
    index_bits = sorted(set(int(i) for i in index_bits))
    if not sparsities or any(not 0 <= s < 1 for s in sparsities):
        raise TuneError("--sparsities: values in [0, 1)")
    if not bits or any(not 1 <= b <= 8 for b in bits) or \
            not index_bits or any(not 1 <= i <= 8 for i in index_bits):
        raise TuneError("--bits / --index-bits: values in 1..8")
    x = _load_array(calibration, "--calibration").astype(np.float32)
    y_labels = None
    if labels is not None:
        y_labels = _load_array(labels, "--labels")
        if y_labels.ndim != 1 or len(y_labels) != len(x) or \
                not np.issubdtype(y_labels.dtype, np.integer):
            raise TuneError("--labels %s: expected %d integer class labels, one per "
                            "calibration input (got %s %s)" % (labels, len(x),
                                                               y_labels.dtype, y_labels.shape))
    if not np.all(np.isfinite(x)):
        raise TuneError("--calibration %s: NaN or Inf in the inputs" % calibration)
    tool = dc_opt_path()
    if not os.path.exists(tool):
        raise TuneError("dc-opt not found at %s (build it, set DC_BUILD_DIR or DC_OPT)" % tool)
    text = load_module(model, x, batch, weights)
    if not re.search(r"func\.func\s+(public\s+)?@forward\(", text):
        raise TuneError("%s: no func.func @forward in the module" % model)
    try:
        head_sig = runtime.signature(text[:1 << 20] if len(text) > 1 << 20 else text)
    except ValueError:
        raise TuneError("%s: tune needs func.func @forward(tensor) -> tensor (one f32 input, "
                        "one f32 result)" % model) from None
    if int(np.prod(x.shape[1:])) != int(np.prod(head_sig[0][1:])):
        raise TuneError("--calibration: inputs of shape %s do not fit @forward's input %s" % (
            list(x.shape[1:]), list(head_sig[0][1:])))
    stem = os.path.splitext(os.path.basename(model))[0]
    out = out or "%s.tuned.mlir" % stem
    out_base = out[:-5] if out.endswith(".mlir") else out

    executor, close, parallel = make_executor(scheduler, workers)
    own_workdir = workdir is None
    workdir = workdir or tempfile.mkdtemp(prefix="dc-tune-")
    os.makedirs(workdir, exist_ok=True)
    try:
        # 1. Tag the layers.
        template, names, tpath = tag_layers(text, workdir, tool)
        if not names:
            raise TuneError("%s: no layer to compress (no weight constant feeding a "
                            "contraction)" % model)
        head = template[:1 << 20]
        inputs = os.path.join(workdir, "inputs.npy")
        np.save(inputs, x)
        L = len(names)
        log("tune: %d layers (%s); %d calibration inputs" % (
            L, ", ".join(names[:8]) + (", ..." if L > 8 else ""), len(x)))

        # Reference: the uncompressed model compiled through dc (reconstructed trials: the
        # weights-as-arguments model with the dense weights, compiled once for the trials).
        fast_fields = None
        if trials == "reconstructed":
            from . import tune_fast
            try:
                fast_fields = tune_fast.prepare(template, workdir, tool, log)
            except tune_fast.FastTrialError as e:
                raise TuneError("--trials reconstructed: %s (--trials compiled works on any "
                                "module)" % e) from None
            y_ref = tune_fast.dense_outputs(fast_fields, x)
        else:
            ref_dir = os.path.join(workdir, "reference")
            os.makedirs(ref_dir, exist_ok=True)
            ref_mlir = os.path.join(ref_dir, "reference.mlir")
            with open(ref_mlir, "w") as f:
                f.write(fill(template, [None] * L))
            so = runtime.compile_mlir(ref_mlir, ref_dir, tool=tool, flags=["--dc-to-llvm"],
                                      opt_level="-O1")
            y_ref = _run_compiled(so, head, x)
        reference = os.path.join(workdir, "reference.npy")
        np.save(reference, y_ref)
        base_acc = None
        job = {"template": tpath, "workdir": workdir, "dc_opt": tool, "head": head,
               "inputs": inputs, "reference": reference}
        if y_labels is not None:
            base_acc = accuracy(y_ref, y_labels)
            lpath = os.path.join(workdir, "labels.npy")
            np.save(lpath, y_labels.astype(np.int64))
            job["labels"] = lpath
            log("tune: reference accuracy %.2f%%" % (100 * base_acc))

        def meets(r):
            if max_output_error is not None:
                return r["error"] <= max_output_error
            return 100 * (base_acc - r["accuracy"]) <= max_accuracy_drop + 1e-9

        if fast_fields is not None:
            job.update(fast_fields)
            evaluate = tune_fast.fast_job
        else:
            evaluate = trial_job
        runner = Runner(executor, job, log, parallel)

        # 2. Size tables.
        t = time.time()
        dense = runner.run(size_job, [[None] * L], "size")[0]["layers"]
        bytes_dense = {n: dense[n]["bytes_dense"] for n in names}
        job["names"] = names
        job["bytes_dense"] = [bytes_dense[n] for n in names]
        grid = [(s, i) for s in sparsities for i in index_bits]
        res = runner.run(size_job, [[(s, REF_BITS, i)] * L for s, i in grid], "size")
        best_ib, uni_ib = {}, {}
        for s in sparsities:
            rows = [(i, r) for (s2, i), r in zip(grid, res) if s2 == s]
            for n in names:
                best_ib[n, s] = min(rows, key=lambda ir: ir[1]["layers"][n]["bytes_pqh"])[0]
            uni_ib[s] = min(rows, key=lambda ir: ir[1]["bytes_pqh"])[0]
        grid2 = [(s, b) for s in sparsities for b in bits]
        res = runner.run(size_job, [[(s, b, best_ib[n, s]) for n in names] for s, b in grid2],
                         "size")
        size = {(n, s, b): r["layers"][n]["bytes_pqh"] for (s, b), r in zip(grid2, res)
                for n in names}
        shapes = {n: dense[n]["shape"] for n in names}
        ch_bits = {n: max_channel_bits(shapes[n]) if "channel" in codebooks else 0
                   for n in names}
        if "channel" in codebooks:
            res = runner.run(size_job, [[(s, b, best_ib[n, s], "channel") if b <= ch_bits[n]
                                         else None for n in names] for s, b in grid2], "size")
            for (s, b), r in zip(grid2, res):
                for n in names:
                    if b <= ch_bits[n]:
                        size[n, s, b, "channel"] = r["layers"][n]["bytes_pqh"]
        log("tune: size tables, %d compression runs (%.0fs)" % (runner.counts["size"],
                                                                time.time() - t))

        # 3. Sensitivity curves, one layer at a time.
        t = time.time()
        bmax = bits[-1]
        jobs, keys = [], []
        for k, n in enumerate(names):
            for s in sparsities:
                jobs.append([None] * k + [(s, bmax, best_ib[n, s])] + [None] * (L - k - 1))
                keys.append((n, "sparsity", s))
            for b in bits:
                jobs.append([None] * k + [(0.0, b, best_ib[n, 0.0] if 0.0 in sparsities
                                           else index_bits[0])] + [None] * (L - k - 1))
                keys.append((n, "bits", b))
                if "channel" in codebooks and b <= ch_bits[n]:
                    jobs.append([None] * k + [jobs[-1][k] + ("channel",)] + [None] * (L - k - 1))
                    keys.append((n, "bits_channel", b))
        res = runner.run(evaluate, jobs, "sensitivity")
        curves = {n: dict({"sparsity": [], "bits": []},
                          **({"bits_channel": []} if "channel" in codebooks else {}))
                  for n in names}
        for (n, kind, v), r in zip(keys, res):
            point = {"value": v, "error": r["error"], "bytes_pqh": r["layers"][n]["bytes_pqh"]}
            if base_acc is not None:
                point["accuracy_drop"] = 100 * (base_acc - r["accuracy"])
            curves[n][kind].append(point)
        log("tune: sensitivity curves, %d trials (%.0fs)" % (runner.counts["sensitivity"],
                                                             time.time() - t))

        # 4. The smallest uniform setting meeting the budget.
        t = time.time()
        found = _best_uniform(runner, names, sparsities, bits, uni_ib, meets, evaluate)
        uniform = found[0] if found else None
        log("tune: best uniform setting %s (%d trials, %.0fs)%s" % (
            _uniform_text(uniform), runner.counts.get("uniform", 0), time.time() - t,
            "" if evaluate is trial_job else "; reconstructed, compiled below"))

        # 5. Allocation + verification.
        t = time.time()
        model_err = _error_model(names, curves, sparsities, bits)
        cands = {n: [(bytes_dense[n], 0.0, None)] +
                 ([(size[n, s, b], model_err[n, s, b], (s, b, best_ib[n, s]))
                   for s in sparsities for b in bits] if "layer" in codebooks else []) +
                 [(size[n, s, b, "channel"], model_err[n, s, b, "channel"],
                   (s, b, best_ib[n, s], "channel"))
                  for s in sparsities for b in bits if (n, s, b, "channel") in size]
                 for n in names}
        target = max_output_error or _initial_target(curves)
        if evaluate is trial_job:
            met = _verify(runner, names, cands, target, meets, log)
        else:
            met = _verify(runner, names, cands, target, meets, log, fn=evaluate,
                          phase="verify_reconstructed", rounds=FAST_VERIFY_ROUNDS)
            # The compiled model decides, smallest first: the next uniform candidate and
            # the next allocation are compiled together (two jobs in parallel).
            checked, uniform = [], None
            uq, vq = list(found[:FAST_COMPILED_CHECKS]), list(met[:FAST_COMPILED_CHECKS])
            while (uq and uniform is None) or (vq and not checked):
                batch = ([("uniform_compiled", uq.pop(0))] if uq and uniform is None else []) + \
                        ([("verify", vq.pop(0))] if vq and not checked else [])
                res = [runner.run(trial_job, [c["settings"]], ph)[0] for ph, c in batch] \
                    if len(batch) == 1 else _run_phases(runner, batch)
                for (ph, c), r in zip(batch, res):
                    log("  compiled check (%s): %d bytes error %.4g%s" % (
                        "uniform" if ph == "uniform_compiled" else "search", r["bytes_pqh"],
                        r["error"], "" if meets(r) else " (misses)"))
                    if meets(r) and ph == "uniform_compiled":
                        uniform = dict(r, settings=c["settings"])
                    elif meets(r):
                        checked.append(dict(r, settings=c["settings"]))
            log("tune: best uniform setting, compiled: %s" % _uniform_text(uniform))
            met = checked or _verify(runner, names, cands, target, meets, log)
        best = met[0] if met else None
        log("tune: allocation + verification, %d trials (%.0fs)" % (
            runner.counts.get("verify", 0), time.time() - t))

        chosen = "search"
        final = best
        if final is None or (uniform is not None and uniform["bytes_pqh"] < final["bytes_pqh"]):
            chosen = "uniform" if uniform is not None else "dense"
            final = uniform
        if final is None:  # nothing met the budget: leave every layer dense
            settings = [None] * L
            final = dict(runner.run(trial_job, [settings], "verify")[0], settings=settings)
        settings = final["settings"]
        with open(out, "w") as f:
            f.write(fill(template, settings))
        total_dense = sum(bytes_dense.values())
        summary = {
            "model": model, "output": out, "layers_count": L,
            "calibration_inputs": int(len(x)),
            "budget": ({"max_output_error": max_output_error} if max_output_error is not None
                       else {"max_accuracy_drop": max_accuracy_drop}),
            "chosen": chosen,
            "output_error": final["error"],
            "bytes_dense": total_dense, "bytes_pqh": final["bytes_pqh"],
            "ratio": total_dense / max(1, final["bytes_pqh"]),
            "layers": [dict(name=n, bytes_dense=bytes_dense[n],
                            bytes_pqh=final["layers"][n]["bytes_pqh"],
                            **_setting_dict(settings[k])) for k, n in enumerate(names)],
            "uniform": uniform and dict(_setting_dict(uniform["settings"][0]),
                                        bytes_pqh=uniform["bytes_pqh"], error=uniform["error"],
                                        ratio=total_dense / max(1, uniform["bytes_pqh"]),
                                        **({"accuracy_drop": 100 * (base_acc -
                                                                    uniform["accuracy"])}
                                           if base_acc is not None else {})),
            "trials": dict(runner.counts, total=sum(runner.counts.values())),
            "wall_seconds": None,
            "executor": "dask.distributed %s" % scheduler if scheduler else
                        "local processes (%d)" % (workers or os.cpu_count() or 1),
            "trials_mode": trials,
            "codebooks": codebooks,
            "grid": {"sparsities": sparsities, "bits": bits, "index_bits": index_bits,
                     "codebooks": codebooks},
            "curves": curves,
        }
        if base_acc is not None:
            summary["reference_accuracy"] = base_acc
            summary["accuracy"] = final["accuracy"]
            summary["accuracy_drop"] = 100 * (base_acc - final["accuracy"])
        if plot:
            summary["plot"] = plot_curves(curves, out_base + ".sensitivity.png",
                                          base_acc is not None, model)
        summary["wall_seconds"] = time.time() - t_start
        with open(out_base + ".tune.json", "w") as f:
            json.dump(summary, f, indent=1)
        log(format_summary(summary))
        return summary
    except runtime.CompileError as e:
        raise TuneError("compiling a trial failed: %s" % e) from None
    finally:
        close()
        if own_workdir:
            shutil.rmtree(workdir, ignore_errors=True)


def _run_phases(runner, batch):
    """Compiled trials of several phases submitted at once: [(phase, candidate)] -> results."""
    futs = [runner.ex.submit(trial_job, dict(runner.base, settings=list(c["settings"])))
            for _, c in batch]
    out = []
    for (ph, c), fut in zip(batch, futs):
        r = fut.result()
        runner.cache[("trial_job", tuple(c["settings"]))] = r
        runner.counts[ph] = runner.counts.get(ph, 0) + 1
        out.append(r)
    return out


def _setting_dict(setting):
    if setting is None:
        return {"skip": True}
    s, b, i = setting[:3]
    d = {"sparsity": s, "bits": b, "index_bits": i}
    if len(setting) > 3 and setting[3] != "layer":
        d["codebook"] = setting[3]
    return d


def _uniform_text(u):
    if u is None:
        return "none meets the budget"
    s, b, i = u["settings"][0]
    return "sparsity=%g bits=%d index-bits=%d: %d bytes, error %.4g" % (
        s, b, i, u["bytes_pqh"], u["error"])


def _best_uniform(runner, names, sparsities, bits, uni_ib, meets, fn=trial_job):
    """Per codebook width, bisection for the largest sparsity meeting the budget (errors
    grow with sparsity); every setting found to meet it, smallest first, as trial results
    with ``settings``."""
    L = len(names)
    lo = {b: -1 for b in bits}            # index of the largest sparsity known to meet
    hi = {b: len(sparsities) for b in bits}  # index of the smallest known to miss
    found = []
    while True:
        probe = {b: (lo[b] + hi[b] + 1) // 2 for b in bits if hi[b] - lo[b] > 1}
        if not probe:
            break
        settings = {b: [(sparsities[j], b, uni_ib[sparsities[j]])] * L for b, j in probe.items()}
        res = runner.run(fn, list(settings.values()), "uniform")
        for (b, j), r in zip(probe.items(), res):
            if meets(r):
                lo[b] = j
                found.append(dict(r, settings=settings[b]))
            else:
                hi[b] = j
    return sorted(found, key=lambda r: r["bytes_pqh"])


def _error_model(names, curves, sparsities, bits):
    """Predicted squared output error of layer n at (s, b), from its two curves (and at
    (s, b, "channel") from the per-channel codebook curve, when measured)."""
    out = {}
    for n in names:
        es = {p["value"]: p["error"] for p in curves[n]["sparsity"]}
        eb = {p["value"]: p["error"] for p in curves[n]["bits"]}
        ebc = {p["value"]: p["error"] for p in curves[n].get("bits_channel", [])}
        base = eb[bits[-1]]
        for s in sparsities:
            for b in bits:
                out[n, s, b] = max(es[s] ** 2 + eb[b] ** 2 - base ** 2, es[s] ** 2, eb[b] ** 2)
                if b in ebc:  # es includes the layer codebook's error at b_max: not here
                    out[n, s, b, "channel"] = max(es[s] ** 2 + ebc[b] ** 2 - base ** 2,
                                                  ebc[b] ** 2)
    return out


def _initial_target(curves):
    """A first predicted output-error target for --max-accuracy-drop: the median error of
    the curve points that kept the accuracy drop under 1 point."""
    errs = [p["error"] for c in curves.values() for kind in c.values() for p in kind
            if p.get("accuracy_drop", 0) <= 1.0 and p["error"] > 0]
    return float(np.median(errs)) if errs else 0.01


def allocate(names, cands, target):
    """Smallest predicted total size with sum of squared errors <= target^2: Lagrangian
    (bisection on the multiplier) then a greedy pass over single-layer moves."""
    budget = target ** 2

    def pick(lam):
        ch = [min(cands[n], key=lambda c: c[0] + lam * c[1]) for n in names]
        return ch, sum(c[1] for c in ch)

    lo, hi = 0.0, 1.0
    ch, err = pick(hi)
    while err > budget and hi < 1e30:
        hi *= 16
        ch, err = pick(hi)
    best = ch if err <= budget else [min(cands[n], key=lambda c: c[1]) for n in names]
    for _ in range(60):
        mid = math.sqrt(max(lo, 1e-30) * hi) if lo > 0 else hi / 16
        ch, err = pick(mid)
        if err <= budget:
            hi, best = mid, ch
        else:
            lo = mid
        if hi / max(lo, 1e-30) < 1.001:
            break
    # Greedy: take the move that saves the most bytes and still fits, until none does.
    best = list(best)
    err = sum(c[1] for c in best)
    while True:
        move = None
        for k, n in enumerate(names):
            for c in cands[n]:
                saved = best[k][0] - c[0]
                if saved > 0 and err - best[k][1] + c[1] <= budget and \
                        (move is None or saved > move[0]):
                    move = (saved, k, c)
        if move is None:
            break
        _, k, c = move
        err += c[1] - best[k][1]
        best[k] = c
    return [c[2] for c in best], sum(c[0] for c in best), math.sqrt(err)


def _verify(runner, names, cands, target, meets, log, width=None, fn=trial_job,
            phase="verify", rounds=VERIFY_ROUNDS):
    """Verification trials (``fn``) of allocations for predicted targets around
    ``target``, bracketing the largest one whose measured result meets the budget. Every
    combination that met it, smallest first (trial results with ``settings``)."""
    width = width or max(2, min(4, os.cpu_count() or 2))
    good, bad = None, None        # largest target that met, smallest that missed
    met = {}
    factors = [0.5, 0.75, 1.0, 1.5][:width] if width >= 4 else [0.75, 1.0][:width]
    targets = [target * f for f in factors]
    tried = set()
    for rnd in range(rounds):
        allocs = [allocate(names, cands, t) for t in targets]
        keys = {tuple(a[0]) for a in allocs}
        if keys <= tried:
            break  # the targets left map to combinations already verified
        tried |= keys
        res = runner.run(fn, [a[0] for a in allocs], phase)
        for t, a, r in zip(targets, allocs, res):
            ok = meets(r)
            log("  verify t=%.4g: predicted %d bytes error %.4g -> %d bytes error %.4g%s" % (
                t, a[1], a[2], r["bytes_pqh"], r["error"], "" if ok else " (misses)"))
            if ok:
                good = t if good is None else max(good, t)
                met[tuple(a[0])] = dict(r, settings=a[0])
            else:
                bad = t if bad is None else min(bad, t)
        if good is None:
            targets = [bad * f for f in (0.15, 0.3, 0.5, 0.7)[:max(width, 2)]]
        elif bad is None:
            targets = [good * f for f in (1.3, 1.7, 2.2, 3.0)[:max(width, 2)]]
        elif bad / good < 1.05:
            break
        else:
            r = bad / good
            targets = [good * r ** ((j + 1) / (width + 1)) for j in range(width)]
    return sorted(met.values(), key=lambda r: r["bytes_pqh"])


# ---------------------------------------------------------------------------
# Output


def plot_curves(curves, path, with_accuracy, title):
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    rows = 2 if with_accuracy else 1
    fig, axes = plt.subplots(rows, 2, figsize=(11, 4.2 * rows), squeeze=False)
    for n, c in curves.items():
        for col, kind in ((0, "sparsity"), (1, "bits"), (1, "bits_channel")):
            pts = c.get(kind)
            if not pts:
                continue
            xs = [p["value"] for p in pts]
            style, label = ("o--", n + " (channel)") if kind == "bits_channel" else ("o-", n)
            axes[0][col].plot(xs, [max(p["error"], 1e-7) for p in pts], style, ms=3,
                              label=label)
            if with_accuracy:
                axes[1][col].plot(xs, [p["accuracy_drop"] for p in pts], style, ms=3,
                                  label=label)
    for col, kind in enumerate(("sparsity (codebook at its widest)", "codebook bits (unpruned)")):
        axes[0][col].set_yscale("log")
        axes[0][col].set_ylabel("relative output error")
        axes[-1][col].set_xlabel(kind)
        if with_accuracy:
            axes[1][col].set_ylabel("accuracy drop (points)")
    axes[0][0].legend(fontsize=7, ncol=2 if len(curves) > 6 else 1)
    fig.suptitle("%s: one layer compressed at a time, the others dense" % os.path.basename(
        str(title)))
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)
    return path


def format_summary(s):
    lines = ["%-24s %9s %6s %5s %5s %11s %11s" % ("layer", "sparsity", "bits", "index",
                                                 "cb", "bytes_dense", "bytes_pqh")]
    for l in s["layers"]:
        if l.get("skip"):
            lines.append("%-24s %9s %6s %5s %5s %11d %11d" % (l["name"][:24], "dense", "-", "-",
                                                             "", l["bytes_dense"],
                                                             l["bytes_pqh"]))
        else:
            lines.append("%-24s %9.3f %6d %5d %5s %11d %11d" % (
                l["name"][:24], l["sparsity"], l["bits"], l["index_bits"],
                "ch" if l.get("codebook") == "channel" else "", l["bytes_dense"],
                l["bytes_pqh"]))
    lines.append("total: %d -> %d bytes (%.1fx), output error %.4g%s; chosen: %s" % (
        s["bytes_dense"], s["bytes_pqh"], s["ratio"], s["output_error"],
        ", accuracy drop %.2f points" % s["accuracy_drop"] if "accuracy_drop" in s else "",
        s["chosen"]))
    if s["uniform"]:
        u = s["uniform"]
        lines.append("best uniform: sparsity=%g bits=%d index-bits=%d: %d bytes (%.1fx), "
                     "error %.4g" % (u["sparsity"], u["bits"], u["index_bits"], u["bytes_pqh"],
                                     u["ratio"], u["error"]))
    else:
        lines.append("best uniform: none of the grid meets the budget")
    lines.append("trials: %s; %.0f s; wrote %s" % (
        ", ".join("%s %d" % kv for kv in s["trials"].items()), s["wall_seconds"], s["output"]))
    return "\n".join(lines)


if __name__ == "__main__":  # a trial's evaluation, in its own process (_run_isolated)
    import sys
    _so, _head, _inputs, _out = sys.argv[1:5]
    with open(_head) as _f:
        np.save(_out, _run_compiled(_so, _f.read(), np.load(_inputs)))
