//===- KernelPasses.td - dc compute kernels -----------------*- tablegen -*-===//

#ifndef DC_CONVERSION_KERNELPASSES_TD
#define DC_CONVERSION_KERNELPASSES_TD

include "mlir/Pass/PassBase.td"

def DCRewriteContractions : Pass<"dc-rewrite-contractions", "mlir::ModuleOp"> {
  let summary = "Rewrite contractions on decompressed constants into dc "
                "compute ops";
  let description = [{
    Finds contractions whose weight operand is `dc.decompress` of a
    `dc.constant` and rewrites them into `dc.matvec` / `dc.matmul` on the
    compressed value (transposes of activations are inserted where needed):

    - `linalg.matvec(W, x)`                      -> `dc.matvec W, x`
    - `linalg.vecmat(x, W)`                      -> `dc.matvec W, x {transpose_w}`
    - `linalg.matmul(W, X)`                      -> `dc.matmul W, X`
    - `linalg.matmul(X, W)`                      -> `(dc.matmul W, X^T {transpose_w})^T`
    - `linalg.matmul(X, W)` with B transposed by
      `indexing_maps`, or `linalg.matmul(X, linalg.transpose(W))`
      (nn.Linear)                                -> `(dc.matmul W, X^T)^T`
    - `linalg.matmul(linalg.transpose(W), X)`   -> `dc.matmul W, X {transpose_w}`

    With a single activation row (N = 1) the matmul forms become `dc.matvec`
    on reshaped operands. A non-zero `outs` initial value is added back with
    `linalg.add`. Anything else (convolutions, batch matmuls) is left alone.
  }];
  let dependentDialects = ["mlir::linalg::LinalgDialect",
                           "mlir::tensor::TensorDialect",
                           "mlir::arith::ArithDialect"];
}

def DCLowerCompute : Pass<"dc-lower-compute", "mlir::ModuleOp"> {
  let summary = "Lower dc.matvec / dc.matmul to generated sparse kernels";
  let description = [{
    Decodes each compressed constant at compile time, re-lays it out into an
    execution layout (rows sorted by entry count, interleaved R rows at a
    time, (value index, delta) fields packed into u64 words, an f32 codebook
    table) held in `memref.global` constants, and emits kernels as
    scf/arith/memref/vector IR (scalar decode; FMA into R independent
    accumulators for batch 1, vector FMA over contiguous rows of X for
    batch > 1). See lib/Conversion/Kernels/LowerCompute.cpp for the layout.
  }];
  let options = [
    Option<"targetCpu", "target-cpu", "std::string", "\"host\"",
           "CPU the kernels are generated for (host: this machine)">,
    Option<"vectorWidth", "vector-width", "unsigned", "0",
           "f32 lanes of vector code (0: from the target: 16 with AVX-512, "
           "8 with AVX2, else 4)">,
    Option<"threads", "threads", "unsigned", "1",
           "threads of the kernels: > 1 splits the row groups into chunks "
           "of about equal words, an scf.parallel that dc-to-llvm lowers "
           "to MLIR's async runtime when threads > 1 (the output then needs "
           "libmlir_async_runtime.so; without the async passes it runs "
           "serially)">,
    Option<"parallelMinWords", "parallel-min-words", "unsigned", "16384",
           "threads > 1: kernels with fewer layout words x column vectors "
           "than this stay on one thread (a task costs a few microseconds)">,
    Option<"rowsPerGroup", "rows-per-group", "unsigned", "4",
           "rows interleaved per group in the execution layout (1..8)">,
    Option<"denseDensity", "dense-density", "double", "2.0",
           "batch > 1: decode to dense (dc.decompress + linalg) instead when "
           "the density is at least this and the batch at least one vector; "
           "the default never does: with the current dense lowering (scalar "
           "loops) decompress-then-dense measured 7-30x slower than the "
           "kernels even at density 1">,
    Option<"colBlock", "col-block", "unsigned", "0",
           "batch > 1: columns of X per pass over the weights (0: as many "
           "as fit the accumulators)">,
    Option<"stats", "stats", "bool", "false",
           "print per-layer layout statistics (object bytes vs bytes_pq) "
           "to stderr">,
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

#endif // DC_CONVERSION_KERNELPASSES_TD
