//===- DCOps.td - dc operations -----------------------------*- tablegen -*-===//

#ifndef DC_OPS_TD
#define DC_OPS_TD

include "dc/Dialect/DC/DCTypes.td"
include "mlir/Interfaces/DestinationStyleOpInterface.td"
include "mlir/Interfaces/SideEffectInterfaces.td"
include "mlir/IR/BuiltinAttributeInterfaces.td"

def DC_ConstantOp : DC_Op<"constant", [Pure]> {
  let summary = "A compressed constant tensor";
  let description = [{
    Holds the payload of a compressed tensor. The encoding parameters live in
    the result type; the payload in attributes (large ones as
    `dense_resource` blobs, which round-trip through bytecode quickly):

    - `values`: i8 bytes of the value stream, one entry per stored element:
      `bits`-wide codebook indices packed LSB-first (or raw f32 when
      `bits = 32`), or their Huffman bit stream, or their rANS stream;
    - `codebook`: f32, at most 2^bits entries, entry 0 exactly 0.0 (absent
      when `bits = 32`); with `codebook_rows = R` in the encoding, a
      [rows / R, E] tensor: one codebook of E <= 2^bits entries per group of
      R rows of the matrix view, each with entry 0 exactly 0.0;
    - `pointers` (sparse formats): i32 entry offsets, one per column (CSC) or
      row (CSR) plus one;
    - `gaps` (sparse formats): i8 bytes of the relative-index stream;
    - `value_code_lengths`, `gap_code_lengths` (Huffman): i8 code length per
      symbol, 0 for unused symbols;
    - `value_ans_table`, `gap_ans_table` (rANS): i8 bytes of the stream's
      serialized frequency table (precision, exp-Golomb coded frequencies;
      see dc/Core/Ans.h), empty when there are no entries;
    - `num_entries`: stored entries, fillers included.

    ```mlir
    %w = dc.constant {codebook = dense<[0.0, -1.0, 1.0, 2.0]> : tensor<4xf32>,
                      pointers = dense<[0, 1, 2]> : tensor<3xi32>,
                      values = dense<[9]> : tensor<1xi8>,
                      gaps = dense<[1]> : tensor<1xi8>, num_entries = 2 : i64}
        : !dc.compressed<tensor<2x2xf32>, #dc.encoding<format = csc, bits = 2, index_bits = 2>>
    ```
  }];
  let arguments = (ins
    ElementsAttr:$values,
    OptionalAttr<ElementsAttr>:$codebook,
    OptionalAttr<ElementsAttr>:$pointers,
    OptionalAttr<ElementsAttr>:$gaps,
    OptionalAttr<ElementsAttr>:$value_code_lengths,
    OptionalAttr<ElementsAttr>:$gap_code_lengths,
    OptionalAttr<ElementsAttr>:$value_ans_table,
    OptionalAttr<ElementsAttr>:$gap_ans_table,
    I64Attr:$num_entries);
  let results = (outs DC_CompressedType:$result);
  let assemblyFormat = "attr-dict `:` qualified(type($result))";
  let hasVerifier = 1;
  let extraClassDeclaration = [{
    ::dc::CompressedType getType() {
      return ::llvm::cast<::dc::CompressedType>(getResult().getType());
    }
  }];
}

def DC_DecompressOp : DC_Op<"decompress", [Pure,
    TypesMatchWith<"result is the tensor type of the compressed input",
                   "input", "result",
                   "::llvm::cast<::dc::CompressedType>($_self).getTensorType()">]> {
  let summary = "The dense tensor a compressed tensor stands for";
  let description = [{
    Defines the meaning of every encoding: element (i, j) of the matrix view
    is `codebook[v]` for the stored entry at (i, j) with value index `v`
    (`codebook[i / R][v]` with `codebook_rows = R`), and 0.0 where no entry
    is stored.

    ```mlir
    %d = dc.decompress %w : !dc.compressed<tensor<2x2xf32>, #enc> -> tensor<2x2xf32>
    ```
  }];
  let arguments = (ins DC_CompressedType:$input);
  let results = (outs AnyRankedTensor:$result);
  let assemblyFormat = "$input attr-dict `:` qualified(type($input)) `->` type($result)";
}

def DC_TensorOrMemRef : AnyTypeOf<[AnyRankedTensor, AnyMemRef],
                                  "ranked tensor or memref">;

// Destination-passing style (the form one-shot-bufferize works on): on
// tensors the op returns a value of the type of `outs`; on memrefs (after
// bufferization) it writes `outs` and returns nothing. `outs` supplies only
// the shape and, once bufferized, the buffer: every element is overwritten
// and none is read (like linalg.transpose's `init`, not linalg.matmul's
// accumulator), so a `tensor.empty` destination bufferizes to a plain
// allocation, and a bias is added after the op (the kernels store each sum
// once). The compressed weight is not a tensor: bufferization leaves it, and
// its payload, as they are.
//
// Epilogue (optional; dc-fuse-epilogues writes it): a region applied to
// every sum before it is stored, so a bias, activation, residual add or
// BatchNorm scale and shift costs no second pass over memory. Its block
// takes the sum (f32) and one f32 element of each `epilogue_operands`
// entry, and yields the stored value (dc.yield); its ops are scalar
// elementwise ops (arith, math) the kernels apply on vectors too. An
// operand of shape [M] is read per row (a bias, a per-channel scale); one
// of the shape of `outs` per element (a residual).
class DC_ContractionOp<string mnemonic> : DC_Op<mnemonic, [
    DeclareOpInterfaceMethods<MemoryEffectsOpInterface>,
    DeclareOpInterfaceMethods<ConditionallySpeculatable>,
    DestinationStyleOpInterface, IsolatedFromAbove]> {
  let arguments = (ins DC_CompressedType:$weight, DC_TensorOrMemRef:$input,
                       DC_TensorOrMemRef:$init,
                       Variadic<DC_TensorOrMemRef>:$epilogue_operands,
                       UnitAttr:$transpose_w,
                       DefaultValuedAttr<I64Attr, "1">:$groups);
  let results = (outs Variadic<AnyRankedTensor>:$result);
  let regions = (region MaxSizedRegion<1>:$epilogue);
  let assemblyFormat = [{
    $weight `,` $input `outs` `(` $init `)`
    (`epilogue` (`(` $epilogue_operands^ `:` type($epilogue_operands) `)`)?
     $epilogue^)? attr-dict `:`
    qualified(type($weight)) `,` type($input) `,` type($init)
    (`->` type($result)^)?
  }];
  let builders = [
    // The result type is `init`'s on tensors, none on memrefs.
    OpBuilder<(ins "::mlir::Value":$weight, "::mlir::Value":$input,
                   "::mlir::Value":$init, CArg<"bool", "false">:$transposeW,
                   CArg<"int64_t", "1">:$groups), [{
      build($_builder, $_state,
            ::llvm::isa<::mlir::RankedTensorType>(init.getType())
                ? ::mlir::TypeRange{init.getType()}
                : ::mlir::TypeRange{},
            weight, input, init, ::mlir::ValueRange{}, transposeW, groups);
    }]>
  ];
  let hasVerifier = 1;
  let extraClassDeclaration = [{
    ::mlir::MutableOperandRange getDpsInitsMutable() {
      return getInitMutable();
    }
    /// The op's value on tensors (null on memrefs).
    ::mlir::Value getTensorResult() {
      return getResult().empty() ? ::mlir::Value() : getResult().front();
    }
    /// Whether the op carries an epilogue region.
    bool hasEpilogue() { return !getEpilogue().empty(); }
  }];
}

def DC_MatvecOp : DC_ContractionOp<"matvec"> {
  let summary = "y = W x on a compressed matrix";
  let description = [{
    `W` is a compressed M x K matrix (K x M used transposed with
    `transpose_w`), `x` a K vector, `y` (`outs`) an M vector, all f32.
    `outs` is overwritten, not accumulated into.

    ```mlir
    %y = dc.matvec %w, %x outs(%init) : !dc.compressed<tensor<4x8xf32>, #enc>,
        tensor<8xf32>, tensor<4xf32> -> tensor<4xf32>
    // after one-shot-bufferize:
    dc.matvec %w, %xb outs(%yb) : !dc.compressed<tensor<4x8xf32>, #enc>,
        memref<8xf32>, memref<4xf32>
    ```

    With `groups = G` (default 1) the M rows of the effective matrix A (W,
    or W^T) form G groups of M / G consecutive rows, and group g multiplies
    its own slice of `x`: x has G * K entries and
    y[r] = sum_k A[r, k] * x[(r / (M / G)) * K + k].
  }];
}

def DC_MatmulOp : DC_ContractionOp<"matmul"> {
  let summary = "Y = W X on a compressed matrix";
  let description = [{
    `W` is a compressed M x K matrix (K x M used transposed with
    `transpose_w`), `X` is K x N, `Y` (`outs`, overwritten) is M x N, all
    f32. Each column of `X` is one input vector, so the compressed weights
    stream once for all N. Tensors or, after bufferization, memrefs, as for
    `dc.matvec`.

    With `groups = G` (default 1) it is G independent products (a grouped
    or depthwise convolution): the M rows of the effective matrix A (W, or
    W^T) form G groups of Mg = M / G consecutive rows, `X` is (G * K) x N,
    and row r of A multiplies rows (r / Mg) * K + k of X:
    Y[r, n] = sum_k A[r, k] * X[(r / Mg) * K + k, n].
  }];
}

//===----------------------------------------------------------------------===//
// Epilogues of dc.matvec / dc.matmul
//===----------------------------------------------------------------------===//

def DC_YieldOp : DC_Op<"yield", [Pure, Terminator,
    ParentOneOf<["MatvecOp", "MatmulOp"]>]> {
  let summary = "The value an epilogue stores";
  let description = [{
    Ends the epilogue region of a dc.matvec / dc.matmul with the f32 value
    stored in place of the sum:

    ```mlir
    %y = dc.matvec %w, %x outs(%init) epilogue(%bias : tensor<4xf32>) {
    ^bb0(%sum: f32, %b: f32):
      %0 = arith.addf %sum, %b : f32
      dc.yield %0 : f32
    } : !dc.compressed<tensor<4x8xf32>, #enc>, tensor<8xf32>, tensor<4xf32>
        -> tensor<4xf32>
    ```
  }];
  let arguments = (ins F32:$value);
  let assemblyFormat = "$value attr-dict `:` type($value)";
}

#endif // DC_OPS_TD
