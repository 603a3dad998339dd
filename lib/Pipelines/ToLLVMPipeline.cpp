//===- ToLLVMPipeline.cpp - dc-to-llvm ------------------------------------===//
//
// Compressed model (tensors, linalg, dc ops) to the LLVM dialect, the
// composable pipeline of docs/Integration.md in one command:
//   1. dc-rewrite-contractions (contractions on compressed weights to
//      dc.matvec / dc.matmul),
//   2. dc-lower-decompress{keep-compute} (remaining decompressions to
//      decoding loops; dc ops without a kernel to dense linalg),
//   3. bufferization (one-shot, across function boundaries; the dc ops
//      bufferize to their memref form), dc-lower-compute (the dc ops on
//      memrefs to kernels) and buffer deallocation,
//   4. linalg to loops, then everything to the LLVM dialect; with threads > 1
//      the scf.parallel loops go to OpenMP (libomp, default) or to MLIR's
//      async runtime,
//   5. target CPU and features on the functions.
//
//===----------------------------------------------------------------------===//

#include "dc/Conversion/GluePasses.h"
#include "dc/Conversion/KernelPasses.h"
#include "dc/Conversion/Passes.h"
#include "dc/Pipelines/Pipelines.h"

#include "mlir/Conversion/OpenMPToLLVM/ConvertOpenMPToLLVM.h"
#include "mlir/Conversion/Passes.h"
#include "mlir/Conversion/SCFToOpenMP/SCFToOpenMP.h"
#include "mlir/Conversion/VectorToSCF/VectorToSCF.h"
#include "mlir/Dialect/Arith/Transforms/Passes.h"
#include "mlir/Dialect/Async/Passes.h"
#include "mlir/Dialect/Bufferization/Transforms/Passes.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/Passes.h"
#include "mlir/Dialect/MemRef/Transforms/Passes.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Pass/PassOptions.h"
#include "mlir/Pass/PassRegistry.h"
#include "mlir/Transforms/Passes.h"
#include "llvm/ADT/StringSwitch.h"

#include <cmath>

using namespace mlir;

namespace {
/// Runtime of the generated code's threads (`thread-runtime`).
enum class ThreadRuntime { OpenMP, Async };

/// The one options struct of `dc-to-llvm` (see INTERFACE.md).
struct ToLLVMOptions : public PassPipelineOptions<ToLLVMOptions> {
  PassOptions::Option<std::string> targetCpu{
      *this, "target-cpu",
      llvm::cl::desc("Target CPU, an LLVM CPU name or host (default: host, the "
                     "CPU the compiler runs on)"),
      llvm::cl::init("host")};
  PassOptions::Option<unsigned> vectorWidth{
      *this, "vector-width",
      llvm::cl::desc("Vector width in f32 lanes, a power of two up to 64 "
                     "(default: 0, from the target)"),
      llvm::cl::init(0)};
  PassOptions::Option<unsigned> threads{
      *this, "threads", llvm::cl::desc("Threads of the generated code (default: 1)"),
      llvm::cl::init(1)};
  PassOptions::Option<ThreadRuntime> threadRuntime{
      *this, "thread-runtime",
      llvm::cl::desc("Runtime of the parallel loops with threads > 1 "
                     "(default: omp)"),
      llvm::cl::init(ThreadRuntime::OpenMP),
      llvm::cl::values(
          clEnumValN(ThreadRuntime::OpenMP, "omp",
                     "OpenMP (omp.parallel + omp.wsloop, static schedule; "
                     "links libomp)"),
          clEnumValN(ThreadRuntime::Async, "async",
                     "MLIR's async runtime (async-parallel-for; links "
                     "libmlir_async_runtime)"))};
  PassOptions::Option<std::string> layout{
      *this, "layout",
      llvm::cl::desc("Layout of every compressed product: auto (default: the "
                     "cost model), sparse, dense-code or tiles; an op's "
                     "dc.layout wins"),
      llvm::cl::init("auto")};
  PassOptions::Option<double> maxRuntimeRatio{
      *this, "max-runtime-ratio",
      llvm::cl::desc("auto: run-time layout bytes at most R x bytes_pq "
                     "(default: 2.0)"),
      llvm::cl::init(2.0)};
  PassOptions::Option<bool> stats{
      *this, "stats",
      llvm::cl::desc("Print one line per layer to stderr: execution layout, "
                     "object bytes, run-time bytes (default: false)"),
      llvm::cl::init(false)};
};
} // namespace

static void buildToLLVMPipeline(OpPassManager &pm,
                                const ToLLVMOptions &options) {
  // 1. Contractions on compressed weights to dc compute ops.
  pm.addPass(dc::createDCRewriteContractions());

  // 2. Remaining decompressions; dc compute ops without a kernel.
  dc::DCLowerDecompressOptions decompress;
  decompress.keepCompute = true;
  decompress.stats = options.stats; // The dense layers' stats lines.
  pm.addPass(dc::createDCLowerDecompress(decompress));

  // 3. Tensors to buffers; the dc compute ops on buffers to kernels (owned
  // by the kernel passes), before deallocation frees what they allocate.
  pm.addNestedPass<func::FuncOp>(createConvertElementwiseToLinalgPass());
  pm.addPass(createCanonicalizerPass());
  // Bias, activations, residual adds and scale/shift into the kernels'
  // stores (before the glue fusion would take them into its own loops).
  pm.addPass(dc::createDCFuseEpilogues());
  // The dense glue fused, tiled to registers and vectorized (GluePasses.td).
  pm.addNestedPass<func::FuncOp>(dc::createDCVectorizeLinalg(
      {options.targetCpu, options.vectorWidth, /*fuse=*/true}));
  bufferization::OneShotBufferizePassOptions bufferize;
  bufferize.bufferizeFunctionBoundaries = true;
  bufferize.functionBoundaryTypeConversion =
      bufferization::LayoutMapOption::IdentityLayoutMap;
  pm.addPass(bufferization::createOneShotBufferizePass(bufferize));
  dc::KernelOptions kernel;
  kernel.targetCpu = options.targetCpu;
  kernel.vectorWidth = options.vectorWidth;
  kernel.threads = options.threads;
  kernel.stats = options.stats;
  kernel.layout = options.layout;
  kernel.maxRuntimeRatio = options.maxRuntimeRatio;
  dc::addKernelPasses(pm, kernel);
  // bufferization::buildBufferDeallocationPipeline, with dc-split-deallocs
  // after the ownership-based deallocation: the one dealloc at the end of a
  // function of N layers frees N buffers, which upstream's simplification
  // splits with a quadratic number of alias queries (bench/scale.sh).
  pm.addPass(memref::createExpandReallocPass({/*emitDeallocs=*/false}));
  pm.addPass(createCanonicalizerPass());
  pm.addPass(bufferization::createOwnershipBasedBufferDeallocationPass());
  pm.addNestedPass<func::FuncOp>(dc::createDCSplitDeallocs());
  pm.addPass(createCanonicalizerPass());
  pm.addPass(bufferization::createBufferDeallocationSimplificationPass());
  pm.addPass(bufferization::createLowerDeallocationsPass());
  pm.addPass(createCSEPass());
  pm.addPass(createCanonicalizerPass());
  // Clones inserted by the deallocation pipeline (e.g. returning a decoded
  // global buffer) become allocations and copies.
  pm.addPass(createConvertBufferizationToMemRefPass());
  // Temporaries on the stack or in a static arena, not malloc per call.
  pm.addPass(dc::createDCStaticBuffers());
  // The kernels' x86 permutes, placeholders until deallocation is done.
  pm.addPass(dc::createDCExpandIntrinsicCalls());

  // 4. Loops, then the LLVM dialect.
  // Only dc's kernels run in parallel (their scf.parallel over balanced row
  // chunks). Dense linalg stays serial. With convert-linalg-to-parallel-loops
  // + async-parallel-for, accumulating 2-D loops (an 8x300 matmul) came out
  // with doubled elements (test/Kernels/lenet-ip1-b8.mlir, threads=2); on
  // OpenMP the same loops are correct (every test/Kernels program), but the
  // dense linalg of a compressed model is mostly small glue (fills, bias,
  // activations) where a parallel region costs more than it saves.
  bool useOpenMP =
      options.threads > 1 && options.threadRuntime == ThreadRuntime::OpenMP;
  bool useAsync =
      options.threads > 1 && options.threadRuntime == ThreadRuntime::Async;
  pm.addNestedPass<func::FuncOp>(createConvertLinalgToLoopsPass());
  pm.addPass(createConvertVectorToSCFPass());
  pm.addPass(createLowerAffinePass());
  if (useOpenMP) {
    // Each scf.parallel becomes omp.parallel num_threads(T) + omp.wsloop
    // (static schedule: thread t runs one contiguous block of the equal-word
    // sub-chunks). libomp's workers spin for KMP_BLOCKTIME after a region,
    // so back-to-back calls do not pay a wake-up.
    ConvertSCFToOpenMPPassOptions parallel;
    parallel.numThreads = options.threads;
    pm.addPass(createConvertSCFToOpenMPPass(parallel));
  }
  if (useAsync) {
    AsyncParallelForPassOptions parallel;
    parallel.numWorkerThreads = options.threads;
    pm.addPass(createAsyncParallelForPass(parallel));
    pm.addPass(createAsyncToAsyncRuntimePass());
    pm.addPass(createAsyncRuntimeRefCountingPass());
    pm.addPass(createAsyncRuntimeRefCountingOptPass());
  }
  pm.addPass(createCanonicalizerPass());
  pm.addPass(createCSEPass());
  pm.addPass(createSCFToControlFlowPass());
  pm.addPass(memref::createExpandStridedMetadataPass());
  pm.addPass(createLowerAffinePass());
  pm.addPass(arith::createArithExpandOpsPass());
  if (useAsync)
    pm.addPass(createConvertAsyncToLLVMPass());
  ConvertVectorToLLVMPassOptions vector;
  vector.reassociateFPReductions = true;
  pm.addPass(createConvertVectorToLLVMPass(vector));
  pm.addPass(createConvertMathToLLVMPass());
  pm.addPass(createConvertMathToLibmPass());
  pm.addPass(createFinalizeMemRefToLLVMConversionPass());
  pm.addPass(createArithToLLVMConversionPass());
  pm.addPass(createConvertIndexToLLVMPass());
  pm.addPass(createConvertControlFlowToLLVMPass());
  pm.addPass(createConvertFuncToLLVMPass());
  pm.addPass(createUBToLLVMConversionPass());
  // The omp ops' regions and operands (memref descriptors, index) to LLVM
  // types; mlir-translate turns them into __kmpc_* calls.
  if (useOpenMP)
    pm.addPass(createConvertOpenMPToLLVMPass());
  // Catch-all for dialects with a ConvertToLLVM interface.
  pm.addPass(createConvertToLLVMPass());
  pm.addPass(createReconcileUnrealizedCastsPass());
  pm.addPass(createCanonicalizerPass());

  // 5. Target.
  dc::DCSetTargetOptions target;
  target.targetCpu = options.targetCpu;
  pm.addPass(dc::createDCSetTarget(target));
}

void dc::registerToLLVMPipeline() {
  // Not PassPipelineRegistration<ToLLVMOptions>: its option errors go to
  // stderr as "<Pass-Options-Parser>: ..."; these name dc-to-llvm.
  static constexpr StringLiteral kName = "dc-to-llvm";
  registerPassPipeline(
      kName,
      "Lower a compressed model (tensors, linalg, dc ops) to the LLVM dialect",
      [](OpPassManager &pm, StringRef optionString,
         function_ref<LogicalResult(const Twine &)> errorHandler) {
        // llvm::cl reports an unknown enum value to stderr only.
        for (auto [key, value] : dc::splitOptionString(optionString))
          if (key == "thread-runtime" && value != "omp" && value != "async")
            return errorHandler(kName +
                                ": option 'thread-runtime' must be omp or "
                                "async, got '" +
                                value + "'");
          else if (key == "layout" &&
                   !llvm::is_contained({"auto", "sparse", "dense-code",
                                        "tiles"},
                                       value))
            return errorHandler(kName +
                                ": option 'layout' must be auto, sparse, "
                                "dense-code or tiles, got '" +
                                value + "'");
        ToLLVMOptions options;
        auto kindOf = [](StringRef key) {
          return llvm::StringSwitch<dc::OptionValueKind>(key)
              .Cases({"vector-width", "threads"}, dc::OptionValueKind::Unsigned)
              .Case("stats", dc::OptionValueKind::Bool)
              .Case("max-runtime-ratio", dc::OptionValueKind::Real)
              .Default(dc::OptionValueKind::String);
        };
        if (failed(dc::parsePipelineOptions(kName, options, optionString,
                                            kindOf, errorHandler)))
          return failure();
        if (!(options.maxRuntimeRatio > 0.0) ||
            std::isinf(double(options.maxRuntimeRatio)))
          return errorHandler(kName +
                              ": option 'max-runtime-ratio' must be a "
                              "positive number");
        buildToLLVMPipeline(pm, options);
        return success();
      },
      [](function_ref<void(const mlir::detail::PassOptions &)> optHandler) {
        optHandler(ToLLVMOptions());
      });
}
