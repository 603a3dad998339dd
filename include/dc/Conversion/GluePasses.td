//===- GluePasses.td - dc lowering of the dense glue --------*- tablegen -*-===//
//
// The dense ops of a model around dc's kernels (bias adds, activations,
// pooling, padding, softmax, im2col copies, layers that stay dense) and the
// temporaries of a function.
//
//===----------------------------------------------------------------------===//

#ifndef DC_CONVERSION_GLUEPASSES_TD
#define DC_CONVERSION_GLUEPASSES_TD

include "mlir/Pass/PassBase.td"

def DCVectorizeLinalg : Pass<"dc-vectorize-linalg", "mlir::func::FuncOp"> {
  let summary = "Fuse, tile and vectorize the linalg ops on tensors that are "
                "not dc kernels";
  let description = [{
    Runs on tensors, after dc's kernel passes and before bufferization:

    1. Fusion: chains of elementwise `linalg.generic`s (a bias add, ReLU or
       clip, a residual add, a BatchNorm scale and shift, the transposes and
       broadcasts around them) become one generic, so the output of a kernel
       is read once; named elementwise ops and transposes are generalized
       first.
    2. Dense convolutions (`conv_2d_nchw_fchw`, `conv_2d_nhwc_hwcf`,
       `conv_2d_nhwc_fhwc`) become im2col + a contraction (one image of
       `conv_2d_nchw_fchw`: a matmul on the collapsed input for 1x1, else
       on an im2col over (c, kh, kw, oh, ow) whose rows are input rows);
       matmuls whose B operand is a constant read transposed (the
       `nn.Linear` form) get that constant transposed at compile time, so
       every contraction reads B along N. NCHW depthwise convolutions
       (`depthwise_conv_2d_nchw_chw`, static f32; after the fusion of step
       1) become a direct convolution along output rows: per channel and
       output row, chunks of `vector-width` pixels, each the FMAs of its
       KH x KW broadcast filter taps with unit-stride reads of input rows
       (stride s: about n s pixels read, every s-th kept by a shuffle); a
       zero `tensor.pad` of the input is not materialized (border rows skip
       the taps in the pad, border columns are read short and shifted in
       with zeros), and with `fuse` the convolution's elementwise consumer
       is applied to each chunk before its store. NCHW pooling
       (`pooling_nchw_max` with its -inf pad, `pooling_nchw_sum`) takes the
       same rows with a max or a sum.
    3. Tiling: contractions to register tiles (M x N accumulators, a K loop
       of outer products) with the `linalg.fill` of their init and their
       elementwise consumer fused into the same tile loop (the bias and
       activation are applied to the tile in registers); elementwise ops and
       reductions (softmax) to rows of `vector-width` multiples; pooling to
       one output row per window row (decomposed to 1-D). Tile loops are
       peeled so every tile has a static shape.
    4. Vectorization (`linalg::vectorize`, `tensor.pad` and 1-D
       convolution/pooling vectorizers; a row of an im2col copy, whose
       window map linalg::vectorize rejects, as one strided row read and
       one vector write), hoisting of the accumulator
       transfers out of the K loop, and lowering of `vector.contract` to
       outer products (FMAs) and of reductions.

    An op that cannot be tiled or vectorized is left as it is: dc-to-llvm
    lowers it to loops as before (never an error).
  }];
  let dependentDialects = ["mlir::linalg::LinalgDialect",
                           "mlir::scf::SCFDialect",
                           "mlir::tensor::TensorDialect",
                           "mlir::vector::VectorDialect",
                           "mlir::affine::AffineDialect",
                           "mlir::arith::ArithDialect"];
  let options = [
    Option<"targetCpu", "target-cpu", "std::string", "\"host\"",
           "CPU the code is vectorized for (host: this machine)">,
    Option<"vectorWidth", "vector-width", "unsigned", "0",
           "f32 lanes of a vector register (0: from the target: 16 with "
           "AVX-512, 8 with AVX2, else 4)">,
    Option<"fuse", "fuse", "bool", "true",
           "fuse elementwise chains and contraction epilogues (false: each "
           "op is tiled and vectorized on its own)">,
  ];
}

def DCSplitDeallocs : Pass<"dc-split-deallocs", "mlir::func::FuncOp"> {
  let summary = "Split the deallocations of independent buffers out of a "
                "function's `bufferization.dealloc`s, in linear time";
  let description = [{
    Runs in dc-to-llvm's deallocation pipeline, right after
    `ownership-based-buffer-deallocation`, which frees everything a block
    owns with one `bufferization.dealloc` at the block's end. A function
    with N layers gets one such op with N buffers, and upstream's
    `buffer-deallocation-simplification` splits it with an alias query for
    every pair of its operands: quadratic time (4,000 tiny layers: 15x the
    time of 1,000).

    This pass gives each operand that is a `memref.alloc` or
    `memref.alloca` of the function, whose allocation no other operand of
    the op (freed or retained) is derived from (through view-like ops), its
    own `bufferization.dealloc` with its condition and nothing retained, at
    the same place. It does so only when every operand's allocation is known
    (an allocation, a global, or an argument of the function): a value of
    unknown origin, e.g. a call result, may alias any buffer, and the op is
    left whole. The split preserves the op's meaning: the buffer aliases no
    retained value and no other freed one, so it contributes to no updated
    condition and is freed at most once.
  }];
  let dependentDialects = ["mlir::bufferization::BufferizationDialect"];
}

def DCStaticBuffers : Pass<"dc-static-buffers", "mlir::ModuleOp"> {
  let summary = "Plan a function's temporaries statically instead of "
                "allocating them on the heap at every call";
  let description = [{
    Runs on buffers after the deallocation pipeline. A `memref.alloc` of a
    static shape in a function's entry block whose buffer is freed by a
    `memref.dealloc` in the same block (a temporary that lives only during
    the call; results that escape to the caller keep their heap buffer, the
    `_mlir_ciface_` calling convention is unchanged):

    - of at most `max-stack-bytes` bytes becomes a `memref.alloca` (thread
      safe, re-entrant);
    - larger ones live in one static arena per function (a private
      `memref.global`, 64-byte aligned). A function that uses an arena takes
      it with an atomic exchange on a per-function flag at entry and gives
      it back before returning: a concurrent or recursive call that finds
      the arena taken falls back to `malloc`/`free` for that call, so the
      function stays thread safe and only the steady state of one caller at
      a time is allocation free.
  }];
  let dependentDialects = ["mlir::memref::MemRefDialect",
                           "mlir::arith::ArithDialect",
                           "mlir::scf::SCFDialect"];
  let options = [
    Option<"maxStackBytes", "max-stack-bytes", "uint64_t", "16384",
           "largest temporary put on the stack (bytes)">,
    Option<"arena", "arena", "bool", "true",
           "put larger temporaries in a static per-function arena (false: "
           "they stay on the heap)">,
  ];
}

#endif // DC_CONVERSION_GLUEPASSES_TD
