//===- Passes.td - dc lowering passes -----------------------*- tablegen -*-===//

#ifndef DC_CONVERSION_PASSES_TD
#define DC_CONVERSION_PASSES_TD

include "mlir/Pass/PassBase.td"

def DCLowerDecompress : Pass<"dc-lower-decompress", "::mlir::ModuleOp"> {
  let summary = "Lower dc.decompress of dc.constant to run-time decoding loops";
  let description = [{
    Every `dc.decompress` of a `dc.constant` becomes loops (scf, arith,
    memref) that decode the compressed payload at run time into a dense f32
    buffer, yielded as a tensor with `bufferization.to_tensor restrict`. The
    payload becomes private constant `memref.global`s: the value and gap
    byte streams (i8, padded with zero bytes), the row/column pointers (i32),
    the codebook (f32) and, for Huffman coding, the canonical decoding tables
    (first code, first index and count per code length, sorted symbols)
    computed at compile time from the code lengths.

    Fixed-width entries are read at bit offset `i * width`, LSB-first.
    Huffman symbols are read one bit at a time with a bit cursor carried
    through the loops (`code = code << 1 | bit` until
    `code - firstCode[len] < count[len]`). Sparse formats expand the relative
    indices (gaps) slice by slice; fillers store exact zeros. Reads are
    clamped to their globals, so even a corrupt payload cannot make compiled
    code read out of bounds; the pass also validates every constant with the
    core library first and fails with a diagnostic if it does not decode.

    With `decode-once` (the default) the dense result lives in a global
    buffer that is decoded on first use, guarded by a global i1 flag (not
    thread-safe on first use); otherwise every execution decodes into a
    fresh `memref.alloc`.

    `dc.matvec` and `dc.matmul` on tensors still present are lowered to a
    decompression and a `linalg` contraction; with `keep-compute`, only
    those `dc-lower-compute` cannot run as kernels (a weight that is not a
    `dc.constant` with a codebook, or dynamic shapes), so that the others
    can be bufferized and lowered to kernels afterwards (`dc-to-llvm` and
    the composable pipeline of docs/Integration.md do this). `dc.constant`s
    left without uses are erased.

    A layer lowered here runs on a dense copy, so the pass warns naming the
    layer (`dc.layer`) and the ops that read it (through weight-chain layout
    ops). An f16 / bf16 layer is decoded as f32 and truncated exactly (its
    codebook holds values of its type).

    Before:
    ```mlir
    %c = dc.constant {codebook = dense<[0.0, -1.0, 1.0, 2.0]> : tensor<4xf32>,
                      values = dense<[-40]> : tensor<1xi8>, num_entries = 4 : i64}
        : !dc.compressed<tensor<2x2xf32>, #dc.encoding<format = dense, bits = 2>>
    %d = dc.decompress %c : !dc.compressed<...> -> tensor<2x2xf32>
    ```
    After (abridged):
    ```mlir
    memref.global "private" constant @__dc_w0_values : memref<9xi8> = dense<[-40, 0, ...]>
    memref.global "private" constant @__dc_w0_codebook : memref<4xf32> = dense<[0.0, -1.0, 1.0, 2.0]>
    memref.global "private" @__dc_w0_dense : memref<2x2xf32> = uninitialized
    memref.global "private" @__dc_w0_ready : memref<i1> = dense<false>
    ...
    %flag = memref.get_global @__dc_w0_ready : memref<i1>
    %ready = memref.load %flag[] : memref<i1>
    %notReady = arith.xori %ready, %true : i1
    scf.if %notReady {
      %buffer = memref.get_global @__dc_w0_dense : memref<2x2xf32>
      %flat = memref.collapse_shape %buffer [[0, 1]] : memref<2x2xf32> into memref<4xf32>
      scf.for %i = %c0 to %c4 step %c1 {
        // bits [2i, 2i + 2) of the value stream, then a codebook lookup
        %v = arith.trunci ... : i64 to i32
        %w = memref.load %codebook[...] : memref<4xf32>
        memref.store %w, %flat[%i] : memref<4xf32>
      }
      memref.store %true, %flag[] : memref<i1>
    }
    %result = memref.get_global @__dc_w0_dense : memref<2x2xf32>
    %d = bufferization.to_tensor %result restrict : memref<2x2xf32> to tensor<2x2xf32>
    ```
  }];
  let dependentDialects = [
    "::mlir::arith::ArithDialect",
    "::mlir::bufferization::BufferizationDialect",
    "::mlir::linalg::LinalgDialect",
    "::mlir::memref::MemRefDialect",
    "::mlir::scf::SCFDialect",
    "::mlir::tensor::TensorDialect",
  ];
  let options = [
    Option<"decodeOnce", "decode-once", "bool", "true",
           "Decode each constant once, on first use, into a global buffer; "
           "false: at every execution into a fresh allocation (default: "
           "true)">,
    Option<"keepCompute", "keep-compute", "bool", "false",
           "Keep the dc.matvec / dc.matmul that dc-lower-compute runs as "
           "kernels (to bufferize first), lower the others densely "
           "(default: false)">,
    Option<"stats", "stats", "bool", "false",
           "Print one line per layer decoded to a dense buffer to stderr "
           "(layout=dense, its consumers, bytes_dense; default: false)">,
  ];
}

def DCSetTarget : Pass<"dc-set-target", "::mlir::ModuleOp"> {
  let summary = "Set the target CPU, features and triple of an LLVM-dialect module";
  let description = [{
    Sets `target_cpu` and `target_features` on every `llvm.func` with a body
    and `llvm.target_triple` on the module, so that `mlir-translate
    --mlir-to-llvmir` and clang generate code for that CPU. `host` (the
    default) means the CPU this compiler runs on; an empty string leaves the
    module untouched.

    ```mlir
    llvm.func @f() attributes {target_cpu = "znver4",
        target_features = #llvm.target_features<["+avx2", ...]>}
    ```
  }];
  let dependentDialects = ["::mlir::LLVM::LLVMDialect"];
  let options = [
    Option<"targetCpu", "target-cpu", "std::string", "\"host\"",
           "Target CPU (`host` for the CPU the compiler runs on)">,
  ];
}

#endif // DC_CONVERSION_PASSES_TD
