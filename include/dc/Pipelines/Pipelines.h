//===- Pipelines.h - dc pass pipelines --------------------------*- C++ -*-===//

#ifndef DC_PIPELINES_PIPELINES_H
#define DC_PIPELINES_PIPELINES_H

namespace dc {
/// Registers `dc-compress` (prune, cluster, sparse-encode, Huffman).
void registerCompressPipeline();
/// Registers `dc-to-llvm` (compressed model to the LLVM dialect).
void registerToLLVMPipeline();
} // namespace dc

#endif // DC_PIPELINES_PIPELINES_H
