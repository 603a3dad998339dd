//===- DCAttrs.td - dc attributes ---------------------------*- tablegen -*-===//

#ifndef DC_ATTRS_TD
#define DC_ATTRS_TD

include "dc/Dialect/DC/DCBase.td"

def DC_FormatDense : I32EnumAttrCase<"Dense", 0, "dense">;
def DC_FormatCSC : I32EnumAttrCase<"CSC", 1, "csc">;
def DC_FormatCSR : I32EnumAttrCase<"CSR", 2, "csr">;
def DC_Format : I32EnumAttr<"Format", "storage layout of the entries",
    [DC_FormatDense, DC_FormatCSC, DC_FormatCSR]> {
  let cppNamespace = "::dc";
  let genSpecializedAttr = 0;
}

def DC_EntropyNone : I32EnumAttrCase<"None", 0, "none">;
def DC_EntropyHuffman : I32EnumAttrCase<"Huffman", 1, "huffman">;
def DC_EntropyAns : I32EnumAttrCase<"Ans", 2, "ans">;
def DC_Entropy : I32EnumAttr<"Entropy", "entropy coder of the streams",
    [DC_EntropyNone, DC_EntropyHuffman, DC_EntropyAns]> {
  let cppNamespace = "::dc";
  let genSpecializedAttr = 0;
}

def DC_EncodingAttr : AttrDef<DC_Dialect, "Encoding"> {
  let mnemonic = "encoding";
  let summary = "How a compressed tensor's entries are stored";
  let description = [{
    - `format`: `dense` (every element, row-major), `csc` (columns of the
      matrix view [shape[0], prod(shape[1:])], the paper's layout) or `csr`;
    - `bits`: width of a codebook index, 1..16; `32` means raw f32 values
      without a codebook (pruned but not quantized);
    - `index_bits`: width of a relative index, 1..16 (sparse formats);
    - `entropy`: `none` (fixed-width streams), `huffman` (canonical Huffman)
      or `ans` (static order-0 rANS, dc/Core/Ans.h).
    - `codebook_rows`: 0 (the default, not printed): one codebook for the
      tensor; R > 0: one codebook per R consecutive rows of the matrix view
      (1: per output channel of an [out, ...] weight), R dividing the rows.

    ```mlir
    #dc.encoding<format = csc, bits = 5, index_bits = 5, entropy = huffman>
    #dc.encoding<format = dense, bits = 6>
    #dc.encoding<format = csr, bits = 4, codebook_rows = 1>
    ```
  }];
  let parameters = (ins
    EnumParameter<DC_Format>:$format,
    "unsigned":$bits,
    DefaultValuedParameter<"unsigned", "5">:$index_bits,
    DefaultValuedParameter<"::dc::Entropy", "::dc::Entropy::None">:$entropy,
    DefaultValuedParameter<"unsigned", "0">:$codebook_rows);
  let assemblyFormat = "`<` struct(params) `>`";
  let genVerifyDecl = 1;
  let extraClassDeclaration = [{
    bool isSparse() const { return getFormat() != ::dc::Format::Dense; }
    bool hasCodebook() const { return getBits() != 32; }
    bool hasGroupedCodebook() const { return getCodebookRows() != 0; }
  }];
}

#endif // DC_ATTRS_TD
