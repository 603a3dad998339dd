"""Emits an NCHW depthwise convolution test program (printMemrefF32 of @f).

usage: gen_depthwise.py --n N --c C --h H --w W [--f F] [--k KH,KW] [--strides SH,SW]
                        [--dilations DH,DW] [--pad T,L,B,R] [--init fill|arg]
                        [--epilogue] [--seed S]

@f(%x, %w[, %init]) pads %x with zeros (tensor.pad, as the ONNX importer
does; no pad op when all pads are 0) and runs linalg.depthwise_conv_2d_nchw_chw
into a zero fill (--init fill) or into %init (--init arg, which makes the
convolution accumulate onto given values); @main calls it on deterministic
pseudo-random constants and prints the result. With --f F the convolution is
a dense linalg.conv_2d_nchw_fchw with F output channels instead; with --pool
max|sum a linalg.pooling_nchw_max (pad and init -inf, as the importer emits a
MaxPool) or pooling_nchw_sum over a KH x KW window, @f(%x) without a filter.
--epilogue adds, after the
convolution, one elementwise linalg.generic as the glue's fusion leaves a
BatchNorm + residual + ReLU6 chain: min(max(y * scale[c] + shift[c, oh] +
r[n, c, oh, ow], 0), 6), r a third argument.
"""
import argparse
import random


def ints(s):
    return [int(v) for v in s.split(",")]


def nest(vals, shape):
    if len(shape) <= 1:
        return "[%s]" % ", ".join("%.6f" % v for v in vals)
    step = len(vals) // shape[0]
    return "[%s]" % ", ".join(nest(vals[i * step:(i + 1) * step], shape[1:])
                              for i in range(shape[0]))


def dense(vals, shape):
    ty = "tensor<%sxf32>" % "x".join(str(d) for d in shape)
    return "arith.constant dense<%s> : %s" % (nest(vals, shape), ty), ty


def main():
    ap = argparse.ArgumentParser()
    for name in ("n", "c", "h", "w"):
        ap.add_argument("--" + name, type=int, required=True)
    ap.add_argument("--f", type=int, help="dense conv_2d_nchw_fchw, F filters")
    ap.add_argument("--pool", choices=("max", "sum"))
    ap.add_argument("--k", default="3,3")
    ap.add_argument("--strides", default="1,1")
    ap.add_argument("--dilations", default="1,1")
    ap.add_argument("--pad", default="0,0,0,0")
    ap.add_argument("--init", choices=("fill", "arg"), default="fill")
    ap.add_argument("--epilogue", action="store_true")
    ap.add_argument("--seed", type=int, default=0)
    a = ap.parse_args()
    kh, kw = ints(a.k)
    sh, sw = ints(a.strides)
    dh, dw = ints(a.dilations)
    pt, pl, pb, pr = ints(a.pad)
    hp, wp = a.h + pt + pb, a.w + pl + pr
    oh = (hp - (kh - 1) * dh - 1) // sh + 1
    ow = (wp - (kw - 1) * dw - 1) // sw + 1
    rng = random.Random(a.seed)
    xs = [a.n, a.c, a.h, a.w]
    ps = [a.n, a.c, hp, wp]
    fs = [a.f, a.c, kh, kw] if a.f else [a.c, kh, kw]
    os_ = [a.n, a.f or a.c, oh, ow]
    op = "conv_2d_nchw_fchw" if a.f else "depthwise_conv_2d_nchw_chw"
    if a.pool:
        op = "pooling_nchw_" + a.pool
        fs = [kh, kw]
    t = lambda s: "tensor<%sxf32>" % "x".join(str(d) for d in s)
    args = "%%x: %s" % t(xs) if a.pool else "%%x: %s, %%w: %s" % (t(xs), t(fs))
    if a.init == "arg":
        args += ", %%init: %s" % t(os_)
    if a.epilogue:
        args += ", %%scale: tensor<%dxf32>, %%shift: tensor<%dx%dxf32>, %%r: %s" % (
            os_[1], os_[1], oh, t(os_))
    print("func.func @f(%s) -> %s {" % (args, t(os_)))
    print("  %%zero = arith.constant %s : f32" % ("0xFF800000" if a.pool == "max" else "0.0"))
    if a.pool:
        print("  %%w = tensor.empty() : %s" % t(fs))
    src = "%x"
    if any((pt, pl, pb, pr)):
        print("  %%p = tensor.pad %%x low[0, 0, %d, %d] high[0, 0, %d, %d] {" % (pt, pl, pb, pr))
        print("  ^bb0(%a: index, %b: index, %c: index, %d: index):")
        print("    tensor.yield %zero : f32")
        print("  } : %s to %s" % (t(xs), t(ps)))
        src = "%p"
    if a.init == "fill":
        print("  %%e = tensor.empty() : %s" % t(os_))
        print("  %%i = linalg.fill ins(%%zero : f32) outs(%%e : %s) -> %s" % (t(os_), t(os_)))
        init = "%i"
    else:
        init = "%init"
    print("  %%y = linalg.%s {dilations = dense<[%d, %d]> : "
          "tensor<2xi64>, strides = dense<[%d, %d]> : tensor<2xi64>} ins(%s, %%w : %s, %s) "
          "outs(%s : %s) -> %s" % (op, dh, dw, sh, sw, src, t(ps), t(fs), init, t(os_), t(os_)))
    if a.epilogue:
        print("  %%ee = tensor.empty() : %s" % t(os_))
        print("  %six = arith.constant 6.0 : f32")
        print("  %%z = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2, d3) -> "
              "(d0, d1, d2, d3)>, affine_map<(d0, d1, d2, d3) -> (d1)>, affine_map<(d0, d1, "
              "d2, d3) -> (d1, d2)>, affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>, "
              "affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>], iterator_types = "
              "[\"parallel\", \"parallel\", \"parallel\", \"parallel\"]} ins(%%y, "
              "%%scale, %%shift, %%r : %s, tensor<%dxf32>, tensor<%dx%dxf32>, %s) outs(%%ee : "
              "%s) {" % (t(os_), os_[1], os_[1], oh, t(os_), t(os_)))
        print("  ^bb0(%v: f32, %sc: f32, %sh: f32, %rr: f32, %o: f32):")
        print("    %m = arith.mulf %v, %sc : f32")
        print("    %ad = arith.addf %m, %sh : f32")
        print("    %ar = arith.addf %ad, %rr : f32")
        print("    %c0 = arith.constant 0.0 : f32")
        print("    %lo = arith.maximumf %ar, %c0 : f32")
        print("    %hi = arith.minimumf %lo, %six : f32")
        print("    linalg.yield %hi : f32")
        print("  } -> %s" % t(os_))
        print("  return %%z : %s" % t(os_))
    else:
        print("  return %%y : %s" % t(os_))
    print("}")
    print()
    print("func.func private @printMemrefF32(tensor<*xf32>)")
    print("func.func @main() {")
    size = lambda s: eval("*".join(str(d) for d in s))
    cx, _ = dense([rng.uniform(-1, 1) for _ in range(size(xs))], xs)
    cw, _ = dense([rng.uniform(-1, 1) for _ in range(size(fs))], fs)
    print("  %%x = %s" % cx)
    call, types = "%x", t(xs)
    if not a.pool:
        print("  %%w = %s" % cw)
        call += ", %w"
        types += ", " + t(fs)
    if a.init == "arg":
        ci, _ = dense([rng.uniform(-1, 1) for _ in range(size(os_))], os_)
        print("  %%init = %s" % ci)
        call += ", %init"
        types += ", " + t(os_)
    if a.epilogue:
        for name, shp in (("scale", [os_[1]]), ("shift", [os_[1], oh]), ("r", os_)):
            cv, ty = dense([rng.uniform(-1, 1) * (4 if name == "r" else 1)
                            for _ in range(size(shp))], shp)
            print("  %%%s = %s" % (name, cv))
            call += ", %" + name
            types += ", " + ty
    print("  %%y = call @f(%s) : (%s) -> %s" % (call, types, t(os_)))
    print("  %%u = tensor.cast %%y : %s to tensor<*xf32>" % t(os_))
    print("  call @printMemrefF32(%u) : (tensor<*xf32>) -> ()")
    print("  return")
    print("}")


if __name__ == "__main__":
    main()
