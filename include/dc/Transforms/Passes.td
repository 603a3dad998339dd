//===- Passes.td - dc compression passes --------------------*- tablegen -*-===//

#ifndef DC_TRANSFORMS_PASSES_TD
#define DC_TRANSFORMS_PASSES_TD

include "mlir/Pass/PassBase.td"

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

#endif // DC_TRANSFORMS_PASSES_TD
