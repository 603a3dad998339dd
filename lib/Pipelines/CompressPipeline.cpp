//===- CompressPipeline.cpp - dc-compress ---------------------------------===//

#include "dc/Pipelines/Pipelines.h"

void dc::registerCompressPipeline() {}
