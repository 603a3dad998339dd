//===- ToLLVMPipeline.cpp - dc-to-llvm ------------------------------------===//

#include "dc/Pipelines/Pipelines.h"

void dc::registerToLLVMPipeline() {}
