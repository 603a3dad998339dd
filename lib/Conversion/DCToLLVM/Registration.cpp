//===- Registration.cpp - Anchor of the DCConversion library --------------===//

#include "dc/Conversion/Passes.h"
