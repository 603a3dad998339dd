//===- Registration.cpp - Anchor of the DCKernels library -----------------===//

#include "dc/Conversion/KernelPasses.h"
