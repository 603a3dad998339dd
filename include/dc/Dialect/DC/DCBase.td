//===- DCBase.td - The dc dialect ---------------------------*- tablegen -*-===//

#ifndef DC_BASE_TD
#define DC_BASE_TD

include "mlir/IR/OpBase.td"
include "mlir/IR/AttrTypeBase.td"
include "mlir/IR/EnumAttr.td"

def DC_Dialect : Dialect {
  let name = "dc";
  let cppNamespace = "::dc";
  let summary = "Deep Compression: pruned, codebook-shared, entropy-coded tensors";
  let description = [{
    The `dc` dialect represents weight tensors compressed the way Han, Mao and
    Dally's *Deep Compression* (ICLR 2016) compresses them, composably:

    1. **codebook sharing**: every stored entry is a `bits`-wide index into a
       codebook of at most 2^bits f32 values; index 0 always means exact zero;
    2. **pruning**: only surviving entries are stored, column by column (CSC,
       the paper's layout) or row by row (CSR), each with an
       `index_bits`-wide *relative* index (the number of zeros skipped since
       the previous stored entry); a gap that does not fit is bridged by a
       filler entry (value index 0);
    3. **entropy coding**: the value-index stream and the gap stream are each
       canonical-Huffman coded, described by one code length per symbol.

    A compressed tensor is a value of type `!dc.compressed<tensor<...>,
    #dc.encoding<...>>` produced by `dc.constant`; `dc.decompress` defines
    what it means as a dense tensor; `dc.matvec` and `dc.matmul` compute on
    it directly. Large payloads live in `dense_resource` blobs so that
    models of hundreds of MB go through bytecode quickly.
  }];
  let useDefaultAttributePrinterParser = 1;
  let useDefaultTypePrinterParser = 1;
}

class DC_Op<string mnemonic, list<Trait> traits = []>
    : Op<DC_Dialect, mnemonic, traits>;

#endif // DC_BASE_TD
