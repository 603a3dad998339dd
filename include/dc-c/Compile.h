/*===- dc-c/Compile.h - C interface of dc ------------------------*- C -*-===*\
|*                                                                            *|
|* Compile an MLIR module with dc from C (or through ctypes/FFI): parse text  *|
|* or bytecode, run a pass pipeline, get the output, the storage report and   *|
|* the diagnostics back. Library: libDCCAPI.so (CMake target                  *|
|* DeepCompression::dc-c). It links the MLIR dylib; it never aborts on bad    *|
|* input: every failure is a non-zero return and a message in diagnostics.   *|
|*                                                                            *|
\*===----------------------------------------------------------------------===*/

#ifndef DC_C_COMPILE_H
#define DC_C_COMPILE_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(__GNUC__)
#define DC_CAPI_EXPORT __attribute__((visibility("default")))
#else
#define DC_CAPI_EXPORT
#endif

/* What dcCompile produced. Every pointer is NULL or owned by the result
 * (malloc'ed; release everything with dcResultFree). Text buffers are
 * NUL-terminated; the sizes do not count the terminator. */
typedef struct dcResult {
  /* The module after the pipeline: MLIR text, or MLIR bytecode when
   * emitBytecode was non-zero (then not text; use outputSize). NULL when
   * dcCompile failed. */
  char *output;
  size_t outputSize;
  /* The JSON storage report ({"layers": [...], "total": {...}}) of the last
   * pass that wrote one (a `report=FILE` option of dc-compress or a
   * compression pass; the file is written too), else NULL. */
  char *report;
  size_t reportSize;
  /* Every diagnostic (errors, warnings, remarks) as "LOC: error: MESSAGE"
   * lines, plus pipeline-parse errors and the report table of `report=-`;
   * "" when there were none. Never NULL after dcCompile returns. */
  char *diagnostics;
  size_t diagnosticsSize;
} dcResult;

/* Status codes of dcCompile. */
enum {
  DC_SUCCESS = 0,
  DC_ERROR_ARGUMENT = 1, /* NULL input/pipeline/out */
  DC_ERROR_PARSE = 2,    /* the input is not a valid module */
  DC_ERROR_PIPELINE = 3, /* the pipeline string does not parse */
  DC_ERROR_PASS = 4,     /* a pass failed (or the output failed to verify) */
  DC_ERROR_OUTPUT = 5    /* the output could not be written */
};

/* Parses `input` (inputSize bytes; MLIR text or bytecode, detected), runs
 * `pipeline` (the syntax of mlir-opt -p, e.g.
 * "builtin.module(dc-compress{sparsity=0.9},dc-to-llvm)") and fills `out`
 * (always initialized, also on failure). The context knows every upstream
 * dialect and dc's. Returns DC_SUCCESS (0) or one of the DC_ERROR_* codes. */
DC_CAPI_EXPORT int dcCompile(const char *input, size_t inputSize, const char *pipeline,
                             int emitBytecode, dcResult *out);

/* Releases the buffers of `result` and sets its fields to NULL/0. */
DC_CAPI_EXPORT void dcResultFree(dcResult *result);

#ifdef __cplusplus
}
#endif

#endif /* DC_C_COMPILE_H */
