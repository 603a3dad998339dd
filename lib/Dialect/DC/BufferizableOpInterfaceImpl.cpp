//===- BufferizableOpInterfaceImpl.cpp - dc ops and bufferization ---------===//
//
// dc.matvec / dc.matmul are destination-passing ops: the input is read, the
// `outs` operand is overwritten (never read) and its buffer becomes the
// result's; the epilogue's operands are read. The compressed weight is not a tensor and stays as it is, so
// bufferization never copies it.
//
//===----------------------------------------------------------------------===//

#include "dc/Dialect/DC/BufferizableOpInterfaceImpl.h"
#include "dc/Dialect/DC/DC.h"

#include "mlir/Dialect/Bufferization/IR/BufferizableOpInterface.h"
#include "mlir/Dialect/Bufferization/IR/DstBufferizableOpInterfaceImpl.h"
#include "mlir/IR/DialectRegistry.h"
#include "mlir/IR/PatternMatch.h"

using namespace mlir;
using namespace mlir::bufferization;

namespace {

template <typename OpTy>
struct ContractionOpInterface : public DstBufferizableOpInterfaceExternalModel<
                                    ContractionOpInterface<OpTy>, OpTy> {
  /// The input is read; `outs` only supplies the buffer the op overwrites,
  /// so an out-of-place `outs` gets a fresh allocation without a copy.
  bool bufferizesToMemoryRead(Operation *op, OpOperand &operand,
                              const AnalysisState &) const {
    return !cast<DestinationStyleOpInterface>(op).isDpsInit(&operand);
  }

  LogicalResult bufferize(Operation *op, RewriterBase &rewriter,
                          const BufferizationOptions &options,
                          BufferizationState &state) const {
    auto contraction = cast<OpTy>(op);
    // The verifier allows only all-tensor or all-memref operands.
    if (contraction.hasPureBufferSemantics())
      return success();
    FailureOr<Value> input =
        getBuffer(rewriter, contraction.getInput(), options, state);
    if (failed(input))
      return failure();
    FailureOr<Value> init =
        getBuffer(rewriter, contraction.getInit(), options, state);
    if (failed(init))
      return failure();
    // The epilogue's operands are read like the input.
    SmallVector<Value> epilogueOperands;
    for (Value v : contraction.getEpilogueOperands()) {
      FailureOr<Value> buffer = getBuffer(rewriter, v, options, state);
      if (failed(buffer))
        return failure();
      epilogueOperands.push_back(*buffer);
    }
    OpBuilder::InsertionGuard guard(rewriter);
    rewriter.setInsertionPoint(op);
    auto bufferized = OpTy::create(
        rewriter, op->getLoc(), TypeRange{}, contraction.getWeight(), *input,
        *init, epilogueOperands, contraction.getTransposeW(),
        contraction.getGroups());
    bufferized.getEpilogue().takeBody(contraction.getEpilogue());
    // Discardable attributes (e.g. a per-op layout choice) stay with it.
    bufferized->setDiscardableAttrs(op->getDiscardableAttrDictionary());
    replaceOpWithBufferizedValues(rewriter, op, *init);
    return success();
  }
};

} // namespace

void dc::registerBufferizableOpInterfaceExternalModels(
    DialectRegistry &registry) {
  registry.addExtension(+[](MLIRContext *ctx, DCDialect *) {
    MatvecOp::attachInterface<ContractionOpInterface<MatvecOp>>(*ctx);
    MatmulOp::attachInterface<ContractionOpInterface<MatmulOp>>(*ctx);
  });
}
