/* The C interface (dc-c/Compile.h), compiled as C: success with a JSON
 * report, bytecode out and back in, a parse error, a bad pipeline, a failing
 * pass, bad arguments. Prints "capi: ok" and exits 0 when every check holds.
 * Argument: a directory for the report file. */

#include "dc-c/Compile.h"

#include <stdio.h>
#include <string.h>

static int failures = 0;

#define CHECK(cond, what)                                                      \
  do {                                                                         \
    if (!(cond)) {                                                             \
      fprintf(stderr, "capi: FAILED: %s (%s:%d)\n", what, __FILE__, __LINE__); \
      ++failures;                                                              \
    }                                                                          \
  } while (0)

static const char *kModel =
    "func.func @forward(%x: tensor<4xf32>) -> tensor<4xf32> {\n"
    "  %w = arith.constant {dc.layer = \"fc1\"} dense<[[0.9, -0.1, 0.3, 0.0],"
    " [0.1, 0.8, -0.2, 0.6], [-0.5, 0.2, 0.9, -0.1], [0.0, -0.9, 0.1, 0.5]]>"
    " : tensor<4x4xf32>\n"
    "  %y = linalg.matvec ins(%w, %x : tensor<4x4xf32>, tensor<4xf32>)"
    " outs(%x : tensor<4xf32>) -> tensor<4xf32>\n"
    "  return %y : tensor<4xf32>\n"
    "}\n";

static int contains(const char *haystack, const char *needle) {
  return haystack && strstr(haystack, needle) != NULL;
}

int main(int argc, char **argv) {
  char pipeline[1024];
  const char *dir = argc > 1 ? argv[1] : ".";
  dcResult r;
  int rc;

  /* 1. Text in, text out, JSON report returned. */
  snprintf(pipeline, sizeof pipeline,
           "builtin.module(dc-compress{sparsity=0.5 bits=2 report=%s/r.json})",
           dir);
  rc = dcCompile(kModel, strlen(kModel), pipeline, 0, &r);
  CHECK(rc == DC_SUCCESS, "compress succeeds");
  CHECK(contains(r.output, "dc.constant"), "output has a dc.constant");
  CHECK(r.output && strlen(r.output) == r.outputSize, "outputSize");
  CHECK(contains(r.report, "\"layers\"") && contains(r.report, "\"fc1\"") &&
            contains(r.report, "\"bytes_pqh\""),
        "JSON report returned");
  CHECK(r.diagnostics && r.diagnostics[0] == '\0', "no diagnostics");
  dcResultFree(&r);
  CHECK(r.output == NULL && r.report == NULL && r.diagnostics == NULL,
        "dcResultFree clears");

  /* 2. Bytecode out, then bytecode in through dc-to-llvm. */
  rc = dcCompile(kModel, strlen(kModel),
                 "builtin.module(dc-compress{sparsity=0.5 bits=2})", 1, &r);
  CHECK(rc == DC_SUCCESS, "compress to bytecode succeeds");
  CHECK(r.output && r.outputSize > 4 && memcmp(r.output, "ML\xefR", 4) == 0,
        "bytecode magic");
  CHECK(r.report == NULL, "no report without report=");
  {
    dcResult lowered;
    rc = dcCompile(r.output, r.outputSize,
                   "builtin.module(dc-to-llvm{target-cpu=x86-64})", 0,
                   &lowered);
    CHECK(rc == DC_SUCCESS, "bytecode in, dc-to-llvm succeeds");
    CHECK(contains(lowered.output, "llvm.func @forward"), "llvm.func");
    CHECK(!contains(lowered.output, "dc.constant"), "no dc op left");
    dcResultFree(&lowered);
  }
  dcResultFree(&r);

  /* 3. The report table of report=- goes to the diagnostics. */
  rc = dcCompile(kModel, strlen(kModel),
                 "builtin.module(dc-compress{sparsity=0.5 report=-})", 0, &r);
  CHECK(rc == DC_SUCCESS, "report=- succeeds");
  CHECK(contains(r.diagnostics, "compression:"), "table in diagnostics");
  dcResultFree(&r);

  /* 4. A parse error. */
  rc = dcCompile("func.func @f(", 12, "builtin.module(dc-compress)", 0, &r);
  CHECK(rc == DC_ERROR_PARSE, "parse error code");
  CHECK(r.output == NULL, "no output on a parse error");
  CHECK(contains(r.diagnostics, "error:"), "parse error diagnostic");
  dcResultFree(&r);

  /* 4b. Bytecode that dc's input checks reject before the upstream reader
   * (magic, version, then a section header declaring more bytes than the
   * file has): an error, no abort. */
  {
    static const char kBad[] = {'M', 'L', 0xEF, 'R', 6, 'x', 0, 0, 0x7F};
    rc = dcCompile(kBad, sizeof kBad, "builtin.module(dc-compress)", 0, &r);
    CHECK(rc == DC_ERROR_PARSE, "bad bytecode code");
    CHECK(contains(r.diagnostics, "error: bytecode section 0 declares 63 bytes"),
          "dc's input check names the section");
    dcResultFree(&r);
  }

  /* 5. A bad pipeline: unknown pass, unknown option. */
  rc = dcCompile(kModel, strlen(kModel), "builtin.module(dc-compres)", 0, &r);
  CHECK(rc == DC_ERROR_PIPELINE, "unknown pass code");
  CHECK(contains(r.diagnostics, "dc-compres"), "unknown pass named");
  dcResultFree(&r);
  rc = dcCompile(kModel, strlen(kModel),
                 "builtin.module(dc-compress{sparsty=0.5})", 0, &r);
  CHECK(rc == DC_ERROR_PIPELINE, "unknown option code");
  CHECK(contains(r.diagnostics, "did you mean 'sparsity'"),
        "unknown option suggests");
  dcResultFree(&r);

  /* 6. A failing pass: a NaN weight. */
  {
    const char *nan =
        "func.func @f(%x: tensor<2xf32>) -> tensor<2xf32> {\n"
        "  %w = arith.constant {dc.layer = \"bad\"} dense<[[0x7FC00000, 1.0],"
        " [2.0, 3.0]]> : tensor<2x2xf32>\n"
        "  %y = linalg.matvec ins(%w, %x : tensor<2x2xf32>, tensor<2xf32>)"
        " outs(%x : tensor<2xf32>) -> tensor<2xf32>\n"
        "  return %y : tensor<2xf32>\n"
        "}\n";
    rc = dcCompile(nan, strlen(nan), "builtin.module(dc-compress)", 0, &r);
    CHECK(rc == DC_ERROR_PASS, "failing pass code");
    CHECK(r.output == NULL, "no output when a pass fails");
    CHECK(contains(r.diagnostics, "'bad'"), "pass error names the layer");
    dcResultFree(&r);
  }

  /* 7. Bad arguments. */
  rc = dcCompile(NULL, 0, "builtin.module()", 0, &r);
  CHECK(rc == DC_ERROR_ARGUMENT, "NULL input");
  dcResultFree(&r);
  CHECK(dcCompile(kModel, strlen(kModel), "builtin.module()", 0, NULL) ==
            DC_ERROR_ARGUMENT,
        "NULL result");
  dcResultFree(NULL);

  if (failures)
    return 1;
  printf("capi: ok\n");
  return 0;
}
