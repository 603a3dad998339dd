//===- FuzzCheck.h - Property checks inside fuzz targets --------*- C++ -*-===//
//
// A violated property is a finding: print it and abort so that libFuzzer
// saves the input (assert() is compiled out in release builds).
//
//===----------------------------------------------------------------------===//

#ifndef DC_FUZZ_FUZZCHECK_H
#define DC_FUZZ_FUZZCHECK_H

#include <cstdio>
#include <cstdlib>

#define DC_FUZZ_CHECK(cond, what)                                              \
  do {                                                                         \
    if (!(cond)) {                                                             \
      std::fprintf(stderr, "dc fuzz property violated: %s (%s:%d)\n", what,   \
                   __FILE__, __LINE__);                                        \
      std::abort();                                                            \
    }                                                                          \
  } while (0)

#endif // DC_FUZZ_FUZZCHECK_H
