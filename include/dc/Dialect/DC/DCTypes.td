//===- DCTypes.td - dc types --------------------------------*- tablegen -*-===//

#ifndef DC_TYPES_TD
#define DC_TYPES_TD

include "dc/Dialect/DC/DCAttrs.td"
include "mlir/IR/BuiltinTypes.td"

def DC_CompressedType : TypeDef<DC_Dialect, "Compressed"> {
  let mnemonic = "compressed";
  let summary = "A compressed tensor";
  let description = [{
    A tensor of statically known shape and f32 elements, stored compressed
    with the given encoding. Its payload is held by the `dc.constant` that
    defines it.

    ```mlir
    !dc.compressed<tensor<300x784xf32>, #dc.encoding<format = csc, bits = 6, index_bits = 5, entropy = huffman>>
    ```
  }];
  let parameters = (ins "::mlir::RankedTensorType":$tensorType,
                        "::dc::EncodingAttr":$encoding);
  let assemblyFormat = "`<` $tensorType `,` qualified($encoding) `>`";
  let genVerifyDecl = 1;
}

#endif // DC_TYPES_TD
