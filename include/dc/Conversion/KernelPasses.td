//===- KernelPasses.td - dc compute kernels -----------------*- tablegen -*-===//

#ifndef DC_CONVERSION_KERNELPASSES_TD
#define DC_CONVERSION_KERNELPASSES_TD

include "mlir/Pass/PassBase.td"

def DCRewriteContractions : Pass<"dc-rewrite-contractions", "mlir::ModuleOp"> {
  let summary = "Rewrite contractions on decompressed constants into dc "
                "compute ops";
  let description = [{
    Finds contractions whose weight is a compressed constant, reached
    directly (`dc.decompress` of a `dc.constant`) or through a weight chain
    (transposes, broadcasts, copying generics, reshapes, whole slices), and
    rewrites each into one `dc.matvec` / `dc.matmul` on the compressed value
    (docs/Kernels.md, "Forms dc recognizes"):

    - `linalg.matvec`, `linalg.vecmat`, `linalg.matmul` with the weight on
      either side and any `indexing_maps`, contraction `linalg.generic`s in
      any operand order (TOSA's and torch-mlir's fully connected layers);
    - `linalg.batch_matmul` (any `indexing_maps`) whose weight is the same
      for every batch entry (a batch of 1, a broadcast, a 2-D weight read by
      the maps): the batch folds into the columns of one `dc.matmul`.

    The weight becomes an M x K matrix, the same payload when the chain keeps
    its row-major order (possibly used with `transpose_w`), else re-encoded
    at compile time with the same codebook and checked. The activation is
    arranged as K x (B * N) and the product arranged back; one column gives
    a `dc.matvec`; a non-zero `outs` is added back. f16 / bf16 operands are
    extended to f32, the sum accumulated in f32 and truncated once to the
    result type.

    Convolutions on a compressed filter (any linalg convolution, named or
    a `linalg.generic`, recognized from its indexing maps: NCHW/FCHW,
    NHWC/HWCF, NHWC/FHWC (TOSA), grouped (`conv_2d_ngchw_fgchw`,
    `conv_2d_ngchw_gfchw`, `conv_2d_nhwgc_gfhwc`) and depthwise
    (`depthwise_conv_2d_nhwc_hwc`, `_nchw_chw`, `_nhwc_hwcm`), static
    shapes, any strides, dilations and batch; padding is the `tensor.pad`
    the input comes from) become im2col (a copying `linalg.generic` whose
    input map is the window) + one `dc.matmul` on the filter viewed as the
    [G*F, C*KH*KW] matrix, with `groups = G` for grouped and depthwise
    convolutions (the same payload, or re-encoded at compile time with the
    same codebook and checked to decode to the same elements; `transpose_w`
    when the filter stores the window first), then reshapes/transposes back
    to the convolution's layout. Other consumers are left alone (their
    `dc.decompress` is decoded once at load by `dc-lower-decompress`, which
    warns).

    Except with `depthwise-rows=false`, a `depthwise_conv_2d_nchw_chw` with
    static f32 operands (the ONNX importer's Conv with group = C) is not
    rewritten: its filter has KH*KW weights a row, too few for a compressed
    row kernel to pay, and the glue runs it as vectorized rows
    (dc-vectorize-linalg). Its `dc.decompress` is marked `dc.decode_at_load`:
    decoded once at load into a dense buffer (the object still holds the
    compressed payload), and `dc-lower-decompress` reports it in its stats
    without the dense-fallback warning.
  }];
  let options = [
    Option<"depthwiseRows", "depthwise-rows", "bool", "true",
           "Run compressed NCHW depthwise convolutions on their filter "
           "decoded at load, not as im2col + grouped dc.matmul">
  ];
  let dependentDialects = ["mlir::linalg::LinalgDialect",
                           "mlir::tensor::TensorDialect",
                           "mlir::arith::ArithDialect",
                           "mlir::scf::SCFDialect"];
}

def DCFuseEpilogues : Pass<"dc-fuse-epilogues", "mlir::ModuleOp"> {
  let summary = "Fold elementwise consumers of dc.matvec / dc.matmul into "
                "their epilogue";
  let description = [{
    Runs on tensors, after dc-rewrite-contractions: an elementwise
    `linalg.generic` (parallel loops, one result, scalar arith/math body)
    whose input is a dc contraction's result, reached through single-use
    reshapes and transposes, and whose other inputs are per-row vectors of
    that result (a bias, a BatchNorm scale or shift), tensors laid out like
    it (a residual) or splat constants, becomes part of the contraction's
    epilogue region: the kernels apply it to each sum before storing it
    (bias + ReLU, clip, hard-swish, residual add, scale and shift), so the
    product is written once and not read again. The reshapes/transposes
    that arranged the product follow the fused op. Chains fuse one generic
    at a time; anything else is left as it is.
  }];
  let dependentDialects = ["mlir::linalg::LinalgDialect",
                           "mlir::tensor::TensorDialect",
                           "mlir::arith::ArithDialect"];
}

def DCLowerCompute : Pass<"dc-lower-compute", "mlir::ModuleOp"> {
  let summary = "Lower dc.matvec / dc.matmul to generated kernels on the "
                "compressed weights";
  let description = [{
    Decodes each compressed constant at compile time, re-lays it out into an
    execution layout (rows sorted by entry count, interleaved R rows at a
    time, (value index, delta) fields packed into u64 words, an f32 codebook
    table) held in `memref.global` constants, and emits kernels as
    scf/arith/memref/vector IR (scalar decode; FMA into R independent
    accumulators for batch 1, vector FMA over contiguous rows of X for
    batch > 1). Dense enough weights may instead use a dense-code layout
    (every weight's b-bit codebook index in vector lane words, looked up with
    vector permutes) when the cost model finds it faster; see
    lib/Conversion/Kernels/LowerCompute.cpp and DenseCodeKernel.h.

    `dense-density`: negative (default) lets the cost model pick, per call
    site, the faster of the sparse layout and the dense-code layout (every
    weight's codebook index, no column indices, decoded with vector permutes;
    batch > 1 decodes strips into a dense f32 tile for a register-tiled
    kernel), the latter only while it is at most 1.25x the layer's bytes_pq;
    a value in [0, 1] uses the dense-code layout exactly when the density
    (kept weights / weights) is at least that; above 1 never.

    `threads` > 1 splits the row groups into chunks of about equal cost, an
    scf.parallel that dc-to-llvm lowers to OpenMP (thread-runtime=omp,
    default: the output needs libomp) or to MLIR's async runtime
    (thread-runtime=async: libmlir_async_runtime.so); lowered without either
    it runs serially.
  }];
  let options = [
    Option<"targetCpu", "target-cpu", "std::string", "\"host\"",
           "CPU the kernels are generated for (host: this machine)">,
    Option<"vectorWidth", "vector-width", "unsigned", "0",
           "f32 lanes of vector code (0: from the target: 16 with AVX-512, "
           "8 with AVX2, else 4; otherwise a power of two up to 64)">,
    Option<"threads", "threads", "unsigned", "1",
           "Threads of the kernels (default: 1; > 1: an scf.parallel over "
           "row-group chunks of equal cost, see the pass description)">,
    Option<"parallelMinWords", "parallel-min-words", "unsigned", "16384",
           "threads > 1: kernels with fewer layout words x column vectors "
           "than this stay on one thread (a task costs a few microseconds)">,
    Option<"rowsPerGroup", "rows-per-group", "unsigned", "4",
           "rows interleaved per group in the execution layout (1..8)">,
    Option<"layout", "layout", "std::string", "\"auto\"",
           "Layout of every compressed product: auto (default: the cost "
           "model), sparse, dense-code or tiles; an op's dc.layout wins">,
    Option<"maxRuntimeRatio", "max-runtime-ratio", "double", "2.0",
           "auto: layouts whose run-time bytes exceed R x the layer's "
           "bytes_pq are not chosen (default 2.0)">,
    Option<"tileVariant", "tile-variant", "std::string", "\"auto\"",
           "Tile layout: auto (the lower estimate), s3 (three 10-bit fields "
           "per lane) or expand (vpexpandw, no stored padding)">,
    Option<"denseDensity", "dense-density", "double", "-1.0",
           "Execution layout per call site: negative (default) lets the cost "
           "model pick; d in [0, 1] uses dense-code when kept/weights >= d; "
           "> 1 never">,
    Option<"colBlock", "col-block", "unsigned", "0",
           "batch > 1: columns of X per pass over the weights (0: as many "
           "as fit the accumulators)">,
    Option<"stats", "stats", "bool", "false",
           "print one line per layer to stderr: layout, object bytes, "
           "run-time bytes (and bytes_pq)">,
  ];
  let dependentDialects = ["mlir::arith::ArithDialect",
                           "mlir::bufferization::BufferizationDialect",
                           "mlir::func::FuncDialect",
                           "mlir::linalg::LinalgDialect",
                           "mlir::math::MathDialect",
                           "mlir::memref::MemRefDialect",
                           "mlir::scf::SCFDialect",
                           "mlir::tensor::TensorDialect",
                           "mlir::vector::VectorDialect",
                           "mlir::LLVM::LLVMDialect"];
}

def DCChooseLayout : Pass<"dc-choose-layout", "mlir::ModuleOp"> {
  let summary = "Write the execution layout of each dc.matvec / dc.matmul "
                "as a dc.layout attribute";
  let description = [{
    Decides, per dc.matvec / dc.matmul on a compressed constant, the
    execution layout dc-lower-compute will build (`sparse`, `dense-code` or
    `tiles`, docs/Kernels.md) and writes it as the op's `dc.layout` string
    attribute, so the decision can be checked and overridden per op. An
    existing `dc.layout` is kept when it applies (else a warning, and the
    cost model's choice). The options mean what they mean for
    dc-lower-compute; `dc-to-llvm` runs this pass with the same values just
    before lowering.
  }];
  let options = [
    Option<"targetCpu", "target-cpu", "std::string", "\"host\"",
           "CPU the kernels are generated for (host: this machine)">,
    Option<"vectorWidth", "vector-width", "unsigned", "0",
           "f32 lanes of vector code (0: from the target)">,
    Option<"rowsPerGroup", "rows-per-group", "unsigned", "4",
           "rows interleaved per group of the sparse layout (1..8)">,
    Option<"layout", "layout", "std::string", "\"auto\"",
           "auto (the cost model), sparse, dense-code or tiles">,
    Option<"maxRuntimeRatio", "max-runtime-ratio", "double", "2.0",
           "auto: layouts whose run-time bytes exceed R x bytes_pq are not "
           "chosen (default 2.0)">,
    Option<"denseDensity", "dense-density", "double", "-1.0",
           "negative: cost model; d in [0, 1]: dense-code when kept/weights "
           ">= d; > 1 never">,
  ];
}

def DCExpandIntrinsicCalls : Pass<"dc-expand-intrinsic-calls",
                                  "mlir::ModuleOp"> {
  let summary = "Turn dc-lower-compute's intrinsic placeholders into "
                "llvm.call_intrinsic";
  let description = [{
    `dc-lower-compute` calls LLVM target intrinsics (x86 vector permutes)
    through private `func.func` declarations carrying a `dc.llvm_intrinsic`
    attribute, because bufferization's deallocation rejects operations with
    unknown memory effects such as `llvm.call_intrinsic`. After
    bufferization, this pass replaces every `func.call` of such a
    declaration with `llvm.call_intrinsic` of the named intrinsic and erases
    the declarations. `dc-to-llvm` runs it after buffer deallocation; run it
    yourself if you lower `dc-lower-compute`'s output with your own pipeline.
  }];
  let dependentDialects = ["mlir::LLVM::LLVMDialect"];
}

#endif // DC_CONVERSION_KERNELPASSES_TD
