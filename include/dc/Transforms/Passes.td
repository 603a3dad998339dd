//===- Passes.td - dc compression passes --------------------*- tablegen -*-===//

#ifndef DC_TRANSFORMS_PASSES_TD
#define DC_TRANSFORMS_PASSES_TD

include "mlir/Pass/PassBase.td"

// The options of the compression passes, each defined once. A pass takes
// only the options it uses; the `dc-compress` pipeline takes all of them
// (lib/Pipelines/CompressPipeline.cpp) and hands each pass its own. An
// option that is not given is not given: the passes test `hasValue()`, there
// is no sentinel value (an explicit -1 is as invalid as -2). Values are
// checked when the options are parsed, before any work
// (dc/Transforms/CompressConfig.h), and resolved per layer: fc-/conv- options
// override the general one, a `dc.config` attribute on the layer overrides
// both. The ODS defaults below are the effective defaults where there is
// one; for the others (no pruning unless asked) they are only placeholders.
defvar DCMinElementsOption =
  Option<"minElements", "min-elements", "int64_t", "0",
         "Smallest layer compressed, in weights (default: 0, every layer)">;
defvar DCReportOption =
  Option<"report", "report", "std::string", "\"\"",
         "Storage report after this pass: FILE (JSON) or - (table on stderr); "
         "default: none">;

defvar DCPruneOptions = [
  Option<"sparsity", "sparsity", "double", "0.0",
         "Fraction of the weights pruned in every layer, in [0, 1) "
         "(default: no pruning)">,
  Option<"fcSparsity", "fc-sparsity", "double", "0.0",
         "Fraction pruned in fc layers, in [0, 1) (default: sparsity)">,
  Option<"convSparsity", "conv-sparsity", "double", "0.0",
         "Fraction pruned in conv layers, in [0, 1) (default: sparsity)">,
  Option<"threshold", "threshold", "double", "0.0",
         "Prune |w| < threshold, >= 0 (instead of sparsity)">,
  Option<"stdScale", "std-scale", "double", "0.0",
         "Prune |w| < std-scale x std(layer), >= 0 (instead of sparsity)">,
];

defvar DCClusterOptions = [
  Option<"bits", "bits", "int", "0",
         "Codebook index width in bits, 1..16, of every layer "
         "(default: fc-bits, conv-bits)">,
  Option<"fcBits", "fc-bits", "int", "5",
         "Codebook index width of fc layers in bits, 1..16 (default: 5)">,
  Option<"convBits", "conv-bits", "int", "8",
         "Codebook index width of conv layers in bits, 1..16 (default: 8)">,
  Option<"init", "init", "std::string", "\"linear\"",
         "Centroid initialization: linear, density, random, kmeans++, optimal "
         "(default: linear)">,
  Option<"seed", "seed", "uint64_t", "0",
         "Seed of the random and kmeans++ initializations (default: 0)">,
  Option<"codebook", "codebook", "std::string", "\"layer\"",
         "Codebook granularity: layer, channel (one per output channel) or "
         "group:G (one per G output channels) (default: layer)">,
];

defvar DCSparseEncodeOptions = [
  Option<"indexBits", "index-bits", "int", "0",
         "Relative-index width in bits, 1..16, of every layer "
         "(default: fc-index-bits, conv-index-bits)">,
  Option<"fcIndexBits", "fc-index-bits", "int", "5",
         "Relative-index width of fc layers in bits, 1..16 (default: 5)">,
  Option<"convIndexBits", "conv-index-bits", "int", "8",
         "Relative-index width of conv layers in bits, 1..16 (default: 8)">,
  Option<"format", "format", "std::string", "\"csc\"",
         "Sparse layout: csc or csr (default: csc)">,
];

defvar DCHuffmanOptions = [
  Option<"entropy", "entropy", "std::string", "\"huffman\"",
         "Entropy coder: huffman, ans (rANS) or none (default: huffman)">,
];

def DCPrune : Pass<"dc-prune", "mlir::ModuleOp"> {
  let summary = "Magnitude-prune the weight constants of contractions";
  let description = [{
    Zeroes the smallest-magnitude weights of every layer (a constant that is
    the weight of a contraction), by exact fraction (`sparsity`: exactly
    round(s * n) weights, ties broken by position), by `threshold` or by
    `std-scale` x std(layer). The constant stays a dense `arith.constant`
    with its attributes, marked `dc.pruned`. Layers already compressed are
    left alone.

    Before:
    ```mlir
    %w = arith.constant dense<[[0.1, -0.9], [0.5, -0.2]]> : tensor<2x2xf32>
    %y = linalg.matvec ins(%w, %x : tensor<2x2xf32>, tensor<2xf32>) ...
    ```
    After (`sparsity=0.5`):
    ```mlir
    %w = arith.constant {dc.pruned} dense<[[0.0, -0.9], [0.5, 0.0]]> : tensor<2x2xf32>
    ```
  }];
  let dependentDialects = ["mlir::arith::ArithDialect"];
  let options = !listconcat(DCPruneOptions,
                            [DCMinElementsOption, DCReportOption]);
}

def DCCluster : Pass<"dc-cluster", "mlir::ModuleOp"> {
  let summary = "Share weights through a per-layer k-means codebook";
  let description = [{
    Clusters the nonzero weights of every layer into 2^bits - 1 centroids
    (1-D k-means, `init` initialization); codebook entry 0 is exact zero and
    stands for pruned weights. With `codebook=channel` (`group:G`) each
    output channel (each G consecutive ones) gets its own codebook: the
    output channel is the first dimension of the weight's matrix view
    (docs/Autotune.md, "Finer codebooks"). The weight becomes a dense-format
    `dc.constant` of codebook indices and a `dc.decompress` of it.

    After (`bits=2`):
    ```mlir
    %c = dc.constant {codebook = dense<[0.0, -0.9, 0.5]> : tensor<3xf32>, ...}
        : !dc.compressed<tensor<2x2xf32>, #dc.encoding<format = dense, bits = 2>>
    %w = dc.decompress %c : ... -> tensor<2x2xf32>
    ```
  }];
  let dependentDialects = ["dc::DCDialect"];
  let options = !listconcat(DCClusterOptions,
                            [DCMinElementsOption, DCReportOption]);
}

def DCSparseEncode : Pass<"dc-sparse-encode", "mlir::ModuleOp"> {
  let summary = "Store compressed layers as CSC/CSR with relative indices";
  let description = [{
    Re-encodes dense-format `dc.constant`s in `format` (csc, csr) with
    `index-bits`-wide relative indices and filler entries. A pruned
    `arith.constant` that was never clustered is encoded with raw f32 values
    (`bits = 32`).

    After:
    ```mlir
    %c = dc.constant {codebook = ..., gaps = ..., pointers = ..., values = ...}
        : !dc.compressed<tensor<2x2xf32>, #dc.encoding<format = csc, bits = 2, index_bits = 5>>
    ```
  }];
  let dependentDialects = ["dc::DCDialect"];
  let options = !listconcat(DCSparseEncodeOptions,
                            [DCMinElementsOption, DCReportOption]);
}

def DCHuffman : Pass<"dc-huffman", "mlir::ModuleOp"> {
  let summary = "Huffman-code the value and index streams of compressed layers";
  let description = [{
    Re-encodes every `dc.constant` with a codebook whose layer asks for
    `entropy = huffman` with canonical Huffman codes of its value-index and
    gap streams (code lengths in `value_code_lengths`, `gap_code_lengths`),
    or for `entropy = ans` with static rANS (frequency tables in
    `value_ans_table`, `gap_ans_table`).
    With `report`, writes the storage report of all layers afterwards.
  }];
  let dependentDialects = ["dc::DCDialect"];
  let options = !listconcat(DCHuffmanOptions,
                            [DCMinElementsOption, DCReportOption]);
}

def DCDecompressConstants : Pass<"dc-decompress-constants", "mlir::ModuleOp"> {
  let summary = "Replace every compressed constant by the dense constant it "
                "decodes to";
  let description = [{
    Decodes each `dc.constant` and replaces every `dc.decompress` of it by a
    plain dense `arith.constant` of the original type, in the original place,
    holding exactly the values the encoding decodes to. Shows numerically what
    compression did to a model.

    Before:
    ```mlir
    %c = dc.constant {...} : !dc.compressed<tensor<2x2xf32>, #enc>
    %w = dc.decompress %c : !dc.compressed<tensor<2x2xf32>, #enc> -> tensor<2x2xf32>
    ```
    After:
    ```mlir
    %w = arith.constant dense<[[0.0, 1.5], [-0.5, 0.0]]> : tensor<2x2xf32>
    ```
  }];
  let dependentDialects = ["mlir::arith::ArithDialect"];
}

def DCAutotune : Pass<"dc-autotune", "mlir::ModuleOp"> {
  let summary = "Choose every layer's sparsity and bit widths under an error "
                "bound (data-free)";
  let description = [{
    Per layer, searches the sparsity (multiples of 1/64), the codebook width
    (1..8) and the relative-index width (1..8) that minimize the layer's
    encoded bytes (`bytes_pqh` as dc-compress produces it, entropy coding
    included) subject to `max-rel-error`: the relative L2 error
    ||w - w_hat|| / ||w|| of the layer's reconstructed weights, with
    `init = "optimal"` clustering (weighted by `dc.importance` when
    present). Writes the choice as the layer's `dc.config` (format and
    entropy as the layer's dc.config had them, else csc and huffman); a layer
    that no setting meets, or whose best setting is not smaller than dense,
    gets `{skip = true}`. The module gets `dc.autotune = {max_rel_error,
    search_seconds}`, which the storage report's total shows as
    `search_seconds`. Run it before dc-compress:
    `--dc-autotune=max-rel-error=0.1 --dc-compress=report=-`.
  }];
  let options = [
    Option<"maxRelError", "max-rel-error", "double", "0.0",
           "Bound on each layer's relative L2 reconstruction error, > 0 "
           "(required)">
  ];
}

#endif // DC_TRANSFORMS_PASSES_TD
