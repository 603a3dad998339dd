"""``tune --trials reconstructed``: search trials without compiling the compressed model.

A compiled trial (``tune.trial_job``) runs dc-opt's compression and lowering and clang on
the whole model for every setting it measures; on a model of millions of weights that is
seconds of CPU per trial and hundreds of trials. Here the model is compiled **once**, with
every layer's weight constant turned into an argument of ``@forward`` (the module is
otherwise the same, lowered by the same ``dc-to-llvm``), and a trial is:

1. per compressed layer, the weights dc-compress would reconstruct: ``_dc_core.prune_and_cluster``
   runs the C++ core's magnitude cut and k-means exactly as dc-prune and dc-cluster do
   (same calls, same order: the indices and codebook are the compiler's, checked against
   ``dc-opt --dc-decompress-constants`` in the tests), decoded through the codebook;
2. its encoded size: ``encode_indices`` (CSC, Huffman, the layer's index width) and
   ``measure_storage``, the same core encoder dc-compress ends in (equal ``bytes_pqh``);
3. one run of the compiled dense model on the calibration inputs with those weights.

What differs from a compiled trial is only the arithmetic of the kernels (the dense
kernels on decoded weights instead of the compressed kernels: a different summation
order, relative differences near 1e-7, far below any output-error budget). ``tune``
therefore still compiles the combinations it returns: the best uniform setting and the
searched allocation are verified on the compiled compressed model.

Trials run in batches in a child process (``python -m deep_compression.tune_fast JOB``):
the library is loaded once per batch, and what generated code does not free is returned
to the system when the batch ends.
"""

import json
import os
import re
import subprocess
import sys
import tempfile
import time

import numpy as np

from . import runtime

BATCH = 12   # trials per child process

_FORWARD_RE = re.compile(r"func\.func\s+(?:public\s+)?@forward\(")
_LAYER_LINE_RE = re.compile(
    r'^[ \t]*(%[\w$.\-]+) = arith\.constant \{[^\n]*?__DC_TUNE_SLOT_(\d+)__[^\n]*?\} '
    r'(dense_resource<(?:"[^"]+"|[^>]+)>|dense<[^\n]*>) : (tensor<[^>\n]+>)[ \t]*\n', re.M)
_RESOURCE_KEY_RE = re.compile(r'dense_resource<("[^"]+"|[^>]+)>')
_BLOB_RE = re.compile(r'^[ \t]*("[^"]+"|[\w.$\-]+): "0x([0-9A-Fa-f]*)",?[ \t]*$', re.M)
_TENSOR_F32_RE = re.compile(r"tensor<((?:\d+x)*\d+)xf32>$")


class FastTrialError(Exception):
    """The module cannot be evaluated with weights as arguments (compiled trials still can)."""


def _shape(ttype):
    m = _TENSOR_F32_RE.match(ttype)
    if not m:
        raise FastTrialError("a layer of type %s: --trials reconstructed handles static f32 "
                             "weights only" % ttype)
    return tuple(int(d) for d in m.group(1).split("x"))


def _inline_values(attr, shape):
    """The f32 values of an inline ``dense<...>`` attribute (hex or a splat)."""
    body = attr[len("dense<"):-1].strip()
    n = int(np.prod(shape))
    if body.startswith('"0x'):
        raw = np.frombuffer(bytes.fromhex(body[3:-1]), dtype="<f4")
        return (np.full(n, raw[0], np.float32) if raw.size == 1 else raw).reshape(shape)
    try:
        return np.full(n, float(body), np.float32).reshape(shape)
    except ValueError:
        pass
    try:
        vals = np.array(json.loads(body.replace("\n", " ")), dtype=np.float32)
    except ValueError:
        raise FastTrialError("cannot read a layer's inline dense<...> weights") from None
    return vals.reshape(shape)


def weights_as_arguments(template):
    """Template text (tune.make_template) -> (module text whose @forward takes every layer
    weight as an argument after its input, in slot order; {slot: f32 array}).

    The layer constants are removed (their names become the new arguments' names) and so
    are the resource blobs nothing else refers to."""
    head = _FORWARD_RE.search(template)
    if not head:
        raise FastTrialError("no func.func @forward")
    start = head.end()
    nxt = template.find("func.func", start)
    end = nxt if nxt >= 0 else len(template)
    # The signature: up to the matching ')'.
    depth, i = 1, start
    while depth:
        c = template[i]
        depth += (c == "(") - (c == ")")
        i += 1
    close = i - 1
    blobs = {m.group(1).strip('"'): m.group(2) for m in _BLOB_RE.finditer(template)}
    layers = list(_LAYER_LINE_RE.finditer(template))
    weights, args, removed = {}, [], set()
    for m in layers:
        if not close < m.start() < end:
            raise FastTrialError("layer weight %s is not a constant of @forward" % m.group(1))
        slot = int(m.group(2))
        shape = _shape(m.group(4))
        attr = m.group(3)
        if attr.startswith("dense_resource"):
            key = _RESOURCE_KEY_RE.match(attr).group(1).strip('"')
            if key not in blobs:
                raise FastTrialError("resource %s of a layer weight not found" % key)
            data = bytes.fromhex(blobs[key][8:])  # the first word is the alignment
            w = np.frombuffer(data, dtype="<f4").reshape(shape)
            removed.add(key)
        else:
            w = _inline_values(attr, shape)
        weights[slot] = np.ascontiguousarray(w, dtype=np.float32)
        args.append((slot, "%s: %s" % (m.group(1), m.group(4))))
    slots = {int(k) for k in re.findall(r"__DC_TUNE_SLOT_(\d+)__", template)}
    if not layers or set(weights) != slots or len(weights) != len(layers):
        missing = sorted(slots - set(weights))
        raise FastTrialError("layer #%s is not an f32 weight constant of @forward" % (
            missing[0] if missing else "?") if missing else "no layer weight found in @forward")
    order = [s for s, _ in args]
    if order != sorted(order):
        raise FastTrialError("layer slots out of order")
    out, pos = [template[:close]], close
    for _, a in args:
        out.append(", " + a)
    for m in layers:
        out.append(template[pos:m.start()])
        pos = m.end()
    out.append(template[pos:])
    text = "".join(out)
    # Drop the blobs of the removed constants unless something else still uses them.
    still = {k.strip('"') for k in _RESOURCE_KEY_RE.findall(text.split("{-#")[0])}
    gone = removed - still
    if gone:
        kept = [m.group(0).rstrip().rstrip(",") for m in _BLOB_RE.finditer(text)
                if m.group(1).strip('"') not in gone]
        first = _BLOB_RE.search(text)
        last = list(_BLOB_RE.finditer(text))[-1]
        text = text[:first.start()] + ",\n".join(kept) + text[last.end():]
        if not kept:  # an empty builtin section
            text = re.sub(r"\{-#\s*dialect_resources:\s*\{\s*builtin:\s*\{\s*\}\s*\}\s*#-\}",
                          "", text)
    return text, weights


def prepare(template, workdir, tool, log=print):
    """Compiles the weights-as-arguments module once; writes the dense weights. Returns
    the job fields the trials need ({"fast_so", "fast_head", "fast_weights"})."""
    t = time.time()
    text, weights = weights_as_arguments(template)
    d = os.path.join(workdir, "fast")
    os.makedirs(d, exist_ok=True)
    path = os.path.join(d, "args.mlir")
    with open(path, "w") as f:
        f.write(text)
    paths = {}
    for slot, w in weights.items():
        paths[slot] = os.path.join(d, "w%d.npy" % slot)
        np.save(paths[slot], w)
    so = runtime.compile_mlir(path, d, tool=tool, flags=["--dc-to-llvm"], opt_level="-O1")
    m = _FORWARD_RE.search(text)
    head = text[m.start():text.find("\n", m.start())]
    log("tune: reconstructed trials: @forward with %d weight arguments compiled once "
        "(%.0fs)" % (len(weights), time.time() - t))
    return {"fast_so": so, "fast_head": head,
            "fast_weights": [paths[s] for s in sorted(paths)]}


# ---------------------------------------------------------------------------
# One layer: what dc-compress makes of it


def reconstruct(core, w, setting):
    """(reconstructed f32 weights, bytes_pqh) of one layer under ``(s, bits, index_bits[,
    codebook])`` with init=optimal, CSC, Huffman (tune.config_text); ``codebook``
    ``channel``: one codebook per row of the weight's matrix view."""
    s, b, i = setting[:3]
    rows = 1 if len(setting) > 3 and setting[3] == "channel" else 0
    q = core.prune_and_cluster(w.reshape(-1), list(w.shape), float(s), int(b), "optimal",
                               codebook_rows=rows)
    idx = q["indices"].reshape(-1)
    cb = q["codebook"]
    enc = core.encode_indices(list(w.shape), idx, cb, "csc", int(b), int(i), "huffman",
                              codebook_rows=rows)
    size = core.measure_storage(**enc)["bytes_pqh"]
    if rows:
        groups = len(cb) // q["entries"]
        flat = cb.reshape(groups, q["entries"])[np.repeat(np.arange(groups), idx.size // groups),
                                                idx]
    else:
        flat = cb[idx]
    return flat.reshape(w.shape).astype(np.float32, copy=False), size


def dense_outputs(fields, x):
    """The weights-as-arguments model's outputs on ``x`` with the dense weights (the
    reference of a reconstructed search: no compile of the model with its constants)."""
    from .onnx_import import native
    fn = native.NativeFunction(fields["fast_so"], "forward", *native.signatures(
        fields["fast_head"])["forward"])
    ws = [np.load(p) for p in fields["fast_weights"]]
    return runtime.run_batches(lambda c: fn(c, *ws)[0], x, fn.in_shapes[0])


def evaluate(job):
    """Runs a batch of trials in this process: [{"error", "accuracy"?, "layers",
    "bytes_pqh", "bytes_dense", "seconds"}] for ``job["settings_batch"]``."""
    from . import core, tune
    from .onnx_import import native
    fn = native.NativeFunction(job["fast_so"], "forward", *native.signatures(
        job["fast_head"])["forward"])
    dense = [np.load(p) for p in job["fast_weights"]]
    names = job["names"]
    x = np.load(job["inputs"])
    ref = np.load(job["reference"])
    labels = np.load(job["labels"]) if job.get("labels") else None
    bytes_dense = job["bytes_dense"]
    cache = {}
    out = []
    for settings in job["settings_batch"]:
        t0 = time.time()
        ws, layers = [], {}
        for k, (w, st) in enumerate(zip(dense, settings)):
            if st is None:
                ws.append(w)
                layers[names[k]] = {"bytes_pqh": bytes_dense[k], "bytes_dense": bytes_dense[k],
                                    "shape": list(w.shape)}
                continue
            key = (k, tuple(st))
            if key not in cache:
                cache[key] = reconstruct(core, w, st)
            ws.append(cache[key][0])
            layers[names[k]] = {"bytes_pqh": cache[key][1], "bytes_dense": bytes_dense[k],
                                "shape": list(w.shape)}
        y = runtime.run_batches(lambda c: fn(c, *ws)[0], x, fn.in_shapes[0])
        res = {"error": tune.output_error(y, ref), "layers": layers,
               "bytes_pqh": int(sum(l["bytes_pqh"] for l in layers.values())),
               "bytes_dense": int(sum(bytes_dense)), "seconds": time.time() - t0}
        if labels is not None:
            res["accuracy"] = tune.accuracy(y, labels)
        out.append(res)
    return out


def fast_job(job):
    """A batch of reconstructed trials, in a child process (see the module docstring)."""
    workdir = tempfile.mkdtemp(prefix="fast-", dir=job["workdir"])
    try:
        path = os.path.join(workdir, "job.json")
        with open(path, "w") as f:
            json.dump(job, f)
        out = os.path.join(workdir, "results.json")
        env = dict(os.environ, PYTHONPATH=os.pathsep.join(
            [os.path.dirname(os.path.dirname(os.path.abspath(__file__)))] +
            [p for p in os.environ.get("PYTHONPATH", "").split(os.pathsep) if p]))
        p = subprocess.run([sys.executable, "-m", "deep_compression.tune_fast", path, out],
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
        if p.returncode != 0:
            raise runtime.CompileError("a reconstructed trial failed (%d): %s" % (
                p.returncode, p.stderr[-2000:]))
        with open(out) as f:
            return json.load(f)
    finally:
        import shutil
        shutil.rmtree(workdir, ignore_errors=True)


fast_job.batch = BATCH


if __name__ == "__main__":
    with open(sys.argv[1]) as _f:
        _job = json.load(_f)
    _res = evaluate(_job)
    with open(sys.argv[2], "w") as _f:
        json.dump(_res, _f)
