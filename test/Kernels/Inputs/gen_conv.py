#!/usr/bin/env python3
"""Prints an MLIR module that checks one convolution form on a compressed
filter against the same convolution computed densely.

@main holds the input and the filter as constants (the filter carries a
`dc.layer` name, so dc-compress finds it) and runs the convolution on them:
that is the op dc-rewrite-contractions rewrites onto dc.matmul. @conv is the
same convolution (with its own padding) on function arguments: called with
the filter constant, it sees the decoded (pruned, quantized) filter through
dc.decompress and runs densely. @main prints

  rel_err = max|O - O_ref| / max conv(|X|, |W|)  and  ok = rel_err < 1e-4,
  nonzero = (max conv(|X|, |W|) > 0)

Forms (--op): the linalg named convolutions below, `generic_grouped` (a
grouped convolution as a linalg.generic: input NHWGC, filter HWGCF, output
NHWGF), `tosa_conv2d` and `tosa_depthwise_conv2d` (to be lowered with stock
mlir-opt's tosa-to-linalg-named, tosa-to-linalg and tosa-to-arith).
Data: numpy uniform(-1, 1) with --seed. With --dtype f16 or bf16 (not the
TOSA forms) every tensor has that element type and the tolerance is that of
Inputs/gen_forms.py (2e-2 for f16, 6e-2 for bf16): the dense reference
accumulates in its own type, dc in f32 with one rounding at the end.
"""

import argparse
import sys

import numpy as np

# Per form: input, filter and output layouts. Letters: N batch, G groups,
# C input channels (per group), F output channels (per group) or M channel
# multiplier, H W input image, K L filter window, P Q output image.
FORMS = {
    "conv_2d_nchw_fchw": ("NCHW", "FCKL", "NFPQ"),
    "conv_2d_nhwc_hwcf": ("NHWC", "KLCF", "NPQF"),
    "conv_2d_nhwc_fhwc": ("NHWC", "FKLC", "NPQF"),
    "conv_2d_ngchw_fgchw": ("NGCHW", "FGCKL", "NGFPQ"),
    "conv_2d_ngchw_gfchw": ("NGCHW", "GFCKL", "NGFPQ"),
    "conv_2d_nhwgc_gfhwc": ("NHWGC", "GFKLC", "NPQGF"),
    "depthwise_conv_2d_nhwc_hwc": ("NHWC", "KLC", "NPQC"),
    "depthwise_conv_2d_nchw_chw": ("NCHW", "CKL", "NCPQ"),
    "depthwise_conv_2d_nhwc_hwcm": ("NHWC", "KLCM", "NPQCM"),
    "generic_grouped": ("NHWGC", "KLGCF", "NPQGF"),
    "tosa_conv2d": ("NHWC", "FKLC", "NPQF"),
    "tosa_depthwise_conv2d": ("NHWC", "KLCM", "NPQX"),
}


def ints(s):
    return [int(v) for v in s.split(",")]


def tensor_type(shape):
    return "tensor<" + "x".join(str(d) for d in shape) + "xf32>"


# The element type (--dtype): the module is written in f32 and retyped at
# the end; dense() encodes payloads in this type.
DTYPE = "f32"


def dense(a):
    """A dense attribute (hex, exact in DTYPE) for numpy array `a`."""
    a = np.ascontiguousarray(a, dtype="<f4")
    if DTYPE == "f16":
        raw = a.astype("<f2").tobytes()
    elif DTYPE == "bf16":
        bits = a.view("<u4").astype(np.uint64)
        rounded = (bits + 0x7FFF + ((bits >> 16) & 1)) >> 16
        raw = rounded.astype("<u2").tobytes()
    else:
        raw = a.tobytes()
    return 'dense<"0x%s"> : %s' % (raw.hex().upper(), tensor_type(a.shape))


def main():
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--op", required=True, choices=sorted(FORMS))
    p.add_argument("--n", type=int, default=1)
    p.add_argument("--g", type=int, default=1, help="groups")
    p.add_argument("--c", type=int, default=3, help="input channels per group")
    p.add_argument("--f", type=int, default=4,
                   help="output channels per group (channel multiplier M "
                   "for depthwise forms)")
    p.add_argument("--h", type=int, default=9)
    p.add_argument("--w", type=int, default=9)
    p.add_argument("--kh", type=int, default=3)
    p.add_argument("--kw", type=int, default=3)
    p.add_argument("--strides", type=ints, default=[1, 1])
    p.add_argument("--dilations", type=ints, default=[1, 1])
    p.add_argument("--pad", type=ints, default=[0, 0, 0, 0],
                   help="top,bottom,left,right")
    p.add_argument("--bias", action="store_true",
                   help="a per-output-channel bias as the outs value")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--layer", default="conv")
    p.add_argument("--expand-filter", action="store_true",
                   help="the filter constant is [G*F, ...] (as ONNX stores a "
                   "grouped weight) and reaches the op through a "
                   "tensor.expand_shape (forms whose filter starts with G, F)")
    p.add_argument("--dynamic-batch", action="store_true",
                   help="@main's convolution on a dynamic batch dimension "
                   "(tensor.cast to ? and back): a form dc does not rewrite")
    p.add_argument("--dtype", default="f32", choices=["f32", "f16", "bf16"])
    a = p.parse_args()
    global DTYPE
    DTYPE = a.dtype
    if DTYPE != "f32" and a.op.startswith("tosa"):
        sys.exit("gen_conv.py: --dtype applies to the linalg forms only")
    tol = {"f32": "0.0001", "f16": "0.02", "bf16": "0.06"}[DTYPE]
    tiny = "1.0e-30" if DTYPE != "f16" else "1.0e-6"

    in_l, fil_l, out_l = FORMS[a.op]
    depthwise = a.op.startswith("depthwise") or a.op == "tosa_depthwise_conv2d"
    g = a.g
    if depthwise:
        g = 1
    c = a.c
    f = a.f
    if depthwise and "M" not in fil_l:
        f = 1
    top, bottom, left, right = a.pad
    hp, wp = a.h + top + bottom, a.w + left + right
    sh, sw = a.strides
    dh, dw = a.dilations
    oh = (hp - (a.kh - 1) * dh - 1) // sh + 1
    ow = (wp - (a.kw - 1) * dw - 1) // sw + 1
    if oh < 1 or ow < 1:
        sys.exit("gen_conv.py: the window does not fit the input")
    size = {"N": a.n, "G": g, "C": c, "F": f, "M": f, "H": a.h, "W": a.w,
            "K": a.kh, "L": a.kw, "P": oh, "Q": ow, "X": c * f}
    in_shape = [size[d] for d in in_l]
    fil_shape = [size[d] for d in fil_l]
    out_shape = [size[d] for d in out_l]
    padded = list(in_shape)
    padded[in_l.index("H")] = hp
    padded[in_l.index("W")] = wp
    # The output channel dimension(s) the bias runs along.
    chan = [i for i, d in enumerate(out_l) if d in "GFCMX"]
    bias_shape = [out_shape[i] for i in chan]

    rng = np.random.default_rng(a.seed)
    x = rng.uniform(-1, 1, in_shape).astype(np.float32)
    w = rng.uniform(-1, 1, fil_shape).astype(np.float32)
    bias = rng.uniform(-1, 1, bias_shape).astype(np.float32)

    X, XP, W, O = (tensor_type(s) for s in (in_shape, padded, fil_shape,
                                            out_shape))
    B = tensor_type(bias_shape)
    rank = len(out_shape)
    tosa = a.op.startswith("tosa")
    lines = ["module {"]
    attrs = ("{dilations = dense<[%d, %d]> : tensor<2xi64>, strides = "
             "dense<[%d, %d]> : tensor<2xi64>}" % (dh, dw, sh, sw))

    def pad_op(src, dst):
        low = [0] * len(in_shape)
        high = [0] * len(in_shape)
        low[in_l.index("H")], high[in_l.index("H")] = top, bottom
        low[in_l.index("W")], high[in_l.index("W")] = left, right
        idx = ", ".join("%%i%d: index" % i for i in range(len(in_shape)))
        return [
            "    %pz = arith.constant 0.0 : f32",
            "    %s = tensor.pad %s low[%s] high[%s] {" % (
                dst, src, ", ".join(map(str, low)), ", ".join(map(str, high))),
            "    ^bb0(%s):" % idx,
            "      tensor.yield %pz : f32",
            "    } : %s to %s" % (X, XP),
        ]

    def conv_op(res, xin, win, init, XP=XP, O=O):
        if a.op == "generic_grouped":
            # (n, p, q, g, f, k, l, c)
            imap = ("affine_map<(n, p, q, g, f, k, l, c) -> "
                    "(n, p * %d + k * %d, q * %d + l * %d, g, c)>"
                    % (sh, dh, sw, dw))
            fmap = "affine_map<(n, p, q, g, f, k, l, c) -> (k, l, g, c, f)>"
            omap = "affine_map<(n, p, q, g, f, k, l, c) -> (n, p, q, g, f)>"
            it = ", ".join(['"parallel"'] * 5 + ['"reduction"'] * 3)
            return [
                "    %s = linalg.generic {indexing_maps = [%s, %s, %s], "
                "iterator_types = [%s]} ins(%s, %s : %s, %s) outs(%s : %s) {"
                % (res, imap, fmap, omap, it, xin, win, XP, W, init, O),
                "    ^bb0(%ga: f32, %gb: f32, %gc: f32):",
                "      %gm = arith.mulf %ga, %gb : f32",
                "      %gs = arith.addf %gc, %gm : f32",
                "      linalg.yield %gs : f32",
                "    } -> %s" % O,
            ]
        return ["    %s = linalg.%s %s ins(%s, %s : %s, %s) outs(%s : %s) -> %s"
                % (res, a.op, attrs, xin, win, XP, W, init, O, O)]

    if tosa:
        bias_t = tensor_type([out_shape[-1]])
        top_op = a.op.replace("tosa_", "tosa.")
        lines += [
            "  func.func private @conv(%%x: %s, %%w: %s, %%b: %s) -> %s {"
            % (X, W, bias_t, O),
            '    %zp = "tosa.const"() <{values = dense<0.0> : tensor<1xf32>}> '
            ": () -> tensor<1xf32>",
            "    %%y = %s %%x, %%w, %%b, %%zp, %%zp {acc_type = f32, dilation = "
            "array<i64: %d, %d>, pad = array<i64: %d, %d, %d, %d>, stride = "
            "array<i64: %d, %d>} : (%s, %s, %s, tensor<1xf32>, tensor<1xf32>) "
            "-> %s" % (top_op, dh, dw, top, bottom, left, right, sh, sw, X, W,
                       bias_t, O),
            "    return %%y : %s" % O,
            "  }",
        ]
    else:
        lines += ["  func.func private @conv(%%x: %s, %%w: %s, %%i: %s) -> %s {"
                  % (X, W, O, O)]
        if any(a.pad):
            lines += pad_op("%x", "%xp")
        else:
            lines += ["    %%xp = tensor.cast %%x : %s to %s" % (X, XP)]
        lines += conv_op("%y", "%xp", "%w", "%i")
        lines += ["    return %%y : %s" % O, "  }"]

    lines += [
        "  func.func private @zero() -> %s {" % O,
        "    %z = arith.constant 0.0 : f32",
        "    %%e = tensor.empty() : %s" % O,
        "    %%i = linalg.fill ins(%%z : f32) outs(%%e : %s) -> %s" % (O, O),
        "    return %%i : %s" % O,
        "  }",
        "  func.func @main() {",
        "    %%x = arith.constant %s" % dense(x),
    ]
    if tosa:
        bias_t = tensor_type([out_shape[-1]])
        lines += [
            '    %%w = "tosa.const"() <{values = %s}> {dc.layer = "%s"} : () -> %s'
            % (dense(w), a.layer, W),
            '    %%b = "tosa.const"() <{values = %s}> : () -> %s'
            % (dense(bias.reshape(-1) if a.bias else 0 * bias.reshape(-1)),
               bias_t),
            '    %%b0 = "tosa.const"() <{values = %s}> : () -> %s'
            % (dense(0 * bias.reshape(-1)), bias_t),
            '    %zp = "tosa.const"() <{values = dense<0.0> : tensor<1xf32>}> '
            ": () -> tensor<1xf32>",
            "    %%y = %s %%x, %%w, %%b, %%zp, %%zp {acc_type = f32, dilation = "
            "array<i64: %d, %d>, pad = array<i64: %d, %d, %d, %d>, stride = "
            "array<i64: %d, %d>} : (%s, %s, %s, tensor<1xf32>, tensor<1xf32>) "
            "-> %s" % (top_op, dh, dw, top, bottom, left, right, sh, sw, X, W,
                       bias_t, O),
            "    %%yr = call @conv(%%x, %%w, %%b) : (%s, %s, %s) -> %s"
            % (X, W, bias_t, O),
            "    %%xa = tosa.abs %%x : (%s) -> %s" % (X, X),
            "    %%wa = tosa.abs %%w : (%s) -> %s" % (W, W),
            "    %%ya = call @conv(%%xa, %%wa, %%b0) : (%s, %s, %s) -> %s"
            % (X, W, bias_t, O),
        ]
    else:
        if a.expand_filter:
            if fil_l[:2] != "GF":
                sys.exit("gen_conv.py: --expand-filter needs a G, F, ... filter")
            flat = w.reshape([g * f] + fil_shape[2:])
            assoc = ", ".join(["[0, 1]"] + ["[%d]" % i
                                           for i in range(2, len(fil_shape))])
            lines += [
                '    %%w0 = arith.constant {dc.layer = "%s"} %s'
                % (a.layer, dense(flat)),
                "    %%w = tensor.expand_shape %%w0 [%s] output_shape [%s] : "
                "%s into %s" % (assoc, ", ".join(map(str, fil_shape)),
                                tensor_type(flat.shape), W),
            ]
        else:
            lines += ['    %%w = arith.constant {dc.layer = "%s"} %s'
                      % (a.layer, dense(w))]
        if any(a.pad):
            lines += pad_op("%x", "%xp")
        else:
            lines += ["    %%xp = tensor.cast %%x : %s to %s" % (X, XP)]
        if a.bias:
            dims = ", ".join(str(i) for i in range(rank) if i not in chan)
            lines += [
                "    %%bias = arith.constant %s" % dense(bias),
                "    %%ie = tensor.empty() : %s" % O,
                "    %%i = linalg.broadcast ins(%%bias : %s) outs(%%ie : %s) "
                "dimensions = [%s]" % (B, O, dims),
            ]
        else:
            lines += ["    %%i = call @zero() : () -> %s" % O]
        if a.dynamic_batch:
            dyn = lambda t: t.replace("tensor<%d" % a.n, "tensor<?", 1)
            lines += [
                "    %%xd = tensor.cast %%xp : %s to %s" % (XP, dyn(XP)),
                "    %%id = tensor.cast %%i : %s to %s" % (O, dyn(O)),
            ]
            lines += conv_op("%yd", "%xd", "%w", "%id", dyn(XP), dyn(O))
            lines += ["    %%y = tensor.cast %%yd : %s to %s" % (dyn(O), O)]
        else:
            lines += conv_op("%y", "%xp", "%w", "%i")
        lines += [
            "    %%yr = call @conv(%%x, %%w, %%i) : (%s, %s, %s) -> %s"
            % (X, W, O, O),
            "    %%wae = tensor.empty() : %s" % W,
            "    %%wa = linalg.abs ins(%%w : %s) outs(%%wae : %s) -> %s"
            % (W, W, W),
            "    %%xae = tensor.empty() : %s" % X,
            "    %%xa = linalg.abs ins(%%x : %s) outs(%%xae : %s) -> %s"
            % (X, X, X),
            "    %%o0 = call @zero() : () -> %s" % O,
            "    %%ya = call @conv(%%xa, %%wa, %%o0) : (%s, %s, %s) -> %s"
            % (X, W, O, O),
        ]
    ids = ", ".join("d%d" % i for i in range(rank))
    red = ", ".join(['"reduction"'] * rank)
    lines += [
        "    %z0 = arith.constant 0.0 : f32",
        "    %se = tensor.empty() : tensor<f32>",
        "    %s0 = linalg.fill ins(%z0 : f32) outs(%se : tensor<f32>) -> "
        "tensor<f32>",
        "    %%d = linalg.generic {indexing_maps = [affine_map<(%s) -> (%s)>, "
        "affine_map<(%s) -> (%s)>, affine_map<(%s) -> ()>], iterator_types = "
        "[%s]} ins(%%y, %%yr : %s, %s) outs(%%s0 : tensor<f32>) {"
        % (ids, ids, ids, ids, ids, red, O, O),
        "    ^bb0(%ea: f32, %eb: f32, %acc: f32):",
        "      %t = arith.subf %ea, %eb : f32",
        "      %u = math.absf %t : f32",
        "      %v = arith.maximumf %u, %acc : f32",
        "      linalg.yield %v : f32",
        "    } -> tensor<f32>",
        "    %%s = linalg.generic {indexing_maps = [affine_map<(%s) -> (%s)>, "
        "affine_map<(%s) -> ()>], iterator_types = [%s]} ins(%%ya : %s) "
        "outs(%%s0 : tensor<f32>) {" % (ids, ids, ids, red, O),
        "    ^bb0(%a: f32, %acc: f32):",
        "      %v = arith.maximumf %a, %acc : f32",
        "      linalg.yield %v : f32",
        "    } -> tensor<f32>",
        "    %dv = tensor.extract %d[] : tensor<f32>",
        "    %sv = tensor.extract %s[] : tensor<f32>",
        "    %%tiny = arith.constant %s : f32" % tiny,
        "    %sc = arith.maximumf %sv, %tiny : f32",
        "    %rel = arith.divf %dv, %sc : f32",
        "    %%tol = arith.constant %s : f32" % tol,
        "    %ok = arith.cmpf olt, %rel, %tol : f32",
        '    vector.print str "rel_err "',
        "    vector.print %rel : f32",
        '    vector.print str "ok "',
        "    vector.print %ok : i1",
        "    %nz = arith.cmpf ogt, %sv, %z0 : f32",
        '    vector.print str "nonzero "',
        "    vector.print %nz : i1",
        "    return",
        "  }",
        "}",
    ]
    text = "\n".join(lines)
    if DTYPE != "f32":
        text = text.replace("f32", DTYPE)
    print(text)


if __name__ == "__main__":
    main()
