//===- gemv_gen.cpp - Random compressed layers as MLIR, for tests/bench ---===//
//
// Writes an MLIR module holding one random compressed weight (a dc.constant
// built with the core library) and either
//   --mode=test : @main computing the contraction both through the kernel
//                 path (a linalg form on dc.decompress, rewritten by
//                 dc-rewrite-contractions) and through a dense reference
//                 (the decompressed weight passed to a function), printing
//                 "rel_err <e>" and "ok <0|1>" (e < tol, tol relative to
//                 max_i sum_k |W_ik| |X_kj|);
//   --mode=bench: @dc_gemv(X) -> Y with llvm.emit_c_interface, plus the dense
//                 decoded weights written to --dense-out (f32 row-major M x K)
//                 for the baselines of bench/gemv.sh.
// Usage: gemv_gen M K N density bits index_bits format entropy form seed
//        [--mode=test|bench] [--dense-out=FILE] [--tol=1e-4] [--dd]
// form: matvec | vecmat | wx | xw | xwt | trxw | trwx (see test/Kernels).
//
//===----------------------------------------------------------------------===//

#include "dc/Core/CompressedTensor.h"

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <random>
#include <string>
#include <vector>

using namespace dc;

static void hexAttr(FILE *f, const std::vector<uint8_t> &bytes) {
  if (bytes.empty()) {
    fprintf(f, "dense<> : tensor<0xi8>");
    return;
  }
  if (bytes.size() == 1) {
    fprintf(f, "dense<%d> : tensor<1xi8>", int(int8_t(bytes[0])));
    return;
  }
  fprintf(f, "dense<\"0x");
  for (uint8_t b : bytes)
    fprintf(f, "%02X", b);
  fprintf(f, "\"> : tensor<%zuxi8>", bytes.size());
}

static void floatList(FILE *f, const float *v, size_t n) {
  fprintf(f, "[");
  for (size_t i = 0; i < n; ++i)
    fprintf(f, "%s%.8e", i ? ", " : "", double(v[i]));
  fprintf(f, "]");
}

int main(int argc, char **argv) {
  if (argc < 11) {
    fprintf(stderr, "usage: gemv_gen M K N density bits index_bits format "
                    "entropy form seed [--mode=test|bench] [--dense-out=F]\n");
    return 2;
  }
  int64_t m = atoll(argv[1]), k = atoll(argv[2]), n = atoll(argv[3]);
  double density = atof(argv[4]);
  unsigned bits = atoi(argv[5]), indexBits = atoi(argv[6]);
  std::string format = argv[7], entropy = argv[8], form = argv[9];
  uint64_t seed = strtoull(argv[10], nullptr, 10);
  std::string mode = "test", denseOut;
  double tol = 1e-4;
  bool withDD = false; // bench: also emit @dd_gemv (decompress-then-dense)
  for (int i = 11; i < argc; ++i) {
    if (!strncmp(argv[i], "--mode=", 7))
      mode = argv[i] + 7;
    else if (!strncmp(argv[i], "--dense-out=", 12))
      denseOut = argv[i] + 12;
    else if (!strcmp(argv[i], "--dd"))
      withDD = true;
    else if (!strncmp(argv[i], "--tol=", 6))
      tol = atof(argv[i] + 6);
  }
  // The stored weight: W is M x K for matvec/wx/xwt/trxw, K x M for
  // vecmat/xw/trwx (the contraction still maps K -> M).
  bool storedKxM = form == "vecmat" || form == "xw" || form == "trwx";
  int64_t r0 = storedKxM ? k : m, r1 = storedKxM ? m : k;
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<float> uni(-1.0f, 1.0f);
  std::uniform_real_distribution<double> u01(0.0, 1.0);
  unsigned cbSize = 1u << bits;
  std::vector<float> codebook(cbSize);
  codebook[0] = 0.0f;
  for (unsigned i = 1; i < cbSize; ++i)
    codebook[i] = uni(rng);
  std::vector<uint32_t> indices(size_t(r0 * r1), 0);
  // Skewed index distribution so Huffman has something to do.
  std::geometric_distribution<unsigned> geo(0.25);
  for (auto &v : indices)
    if (u01(rng) < density)
      v = 1 + (geo(rng) % (cbSize - 1 ? cbSize - 1 : 1));
  if (cbSize == 2)
    for (auto &v : indices)
      v = v ? 1 : 0;
  EncodingParams params;
  if (!parseFormat(format, params.format) ||
      !parseEntropy(entropy, params.entropy)) {
    fprintf(stderr, "bad format/entropy\n");
    return 2;
  }
  params.bits = bits;
  params.indexBits = indexBits;
  CompressedTensor t;
  std::string err;
  if (!encodeIndices({r0, r1}, indices, codebook, params, t, &err)) {
    fprintf(stderr, "encode: %s\n", err.c_str());
    return 1;
  }
  StorageStats stats;
  if (!measureStorage(t.view(), stats, &err)) {
    fprintf(stderr, "measure: %s\n", err.c_str());
    return 1;
  }
  fprintf(stderr,
          "gemv_gen: %lldx%lld nonzeros=%llu fillers=%llu bytes_pq=%llu "
          "bytes_pqh=%llu bytes_dense=%llu\n",
          (long long)r0, (long long)r1, (unsigned long long)stats.nonzeros,
          (unsigned long long)stats.fillers,
          (unsigned long long)stats.bytesPQ(),
          (unsigned long long)stats.bytesPQH(),
          (unsigned long long)stats.bytesDense());
  if (!denseOut.empty()) {
    std::vector<float> dense;
    if (!decompressToDense(t.view(), dense, &err)) {
      fprintf(stderr, "decode: %s\n", err.c_str());
      return 1;
    }
    FILE *df = fopen(denseOut.c_str(), "wb");
    fwrite(dense.data(), 4, dense.size(), df);
    fclose(df);
  }

  FILE *f = stdout;
  char wType[64], encType[256], cType[400];
  snprintf(wType, sizeof wType, "tensor<%lldx%lldxf32>", (long long)r0,
           (long long)r1);
  snprintf(encType, sizeof encType,
           "#dc.encoding<format = %s, bits = %u, index_bits = %u, entropy = "
           "%s>",
           format.c_str(), bits, indexBits, entropy.c_str());
  snprintf(cType, sizeof cType, "!dc.compressed<%s, %s>", wType, encType);
  auto printConstant = [&](const char *indent) {
    fprintf(f, "%s%%c = dc.constant {codebook = dense<", indent);
    floatList(f, t.codebook.data(), t.codebook.size());
    fprintf(f, "> : tensor<%zuxf32>, values = ", t.codebook.size());
    hexAttr(f, t.values);
    if (params.format != StorageFormat::Dense) {
      fprintf(f, ", pointers = dense<[");
      for (size_t i = 0; i < t.pointers.size(); ++i)
        fprintf(f, "%s%u", i ? ", " : "", t.pointers[i]);
      fprintf(f, "]> : tensor<%zuxi32>, gaps = ", t.pointers.size());
      hexAttr(f, t.gaps);
    }
    if (params.entropy == EntropyCoding::Huffman) {
      fprintf(f, ", value_code_lengths = ");
      hexAttr(f, t.valueCodeLengths);
      if (!t.gapCodeLengths.empty()) {
        fprintf(f, ", gap_code_lengths = ");
        hexAttr(f, t.gapCodeLengths);
      }
    }
    if (params.entropy == EntropyCoding::Ans) {
      fprintf(f, ", value_ans_table = ");
      hexAttr(f, t.valueAnsTable);
      if (!t.gapAnsTable.empty()) {
        fprintf(f, ", gap_ans_table = ");
        hexAttr(f, t.gapAnsTable);
      }
    }
    fprintf(f, ", num_entries = %llu : i64} : %s\n",
            (unsigned long long)t.numEntries, cType);
    fprintf(f, "%s%%w = dc.decompress %%c : %s -> %s\n", indent, cType, wType);
  };

  // Activation shapes per form.
  bool isVec = form == "matvec" || form == "vecmat";
  bool xRowMajorNK = form == "xw" || form == "xwt" || form == "trxw";
  char xType[64], yType[64];
  if (isVec) {
    snprintf(xType, sizeof xType, "tensor<%lldxf32>", (long long)k);
    snprintf(yType, sizeof yType, "tensor<%lldxf32>", (long long)m);
  } else if (xRowMajorNK) {
    snprintf(xType, sizeof xType, "tensor<%lldx%lldxf32>", (long long)n,
             (long long)k);
    snprintf(yType, sizeof yType, "tensor<%lldx%lldxf32>", (long long)n,
             (long long)m);
  } else {
    snprintf(xType, sizeof xType, "tensor<%lldx%lldxf32>", (long long)k,
             (long long)n);
    snprintf(yType, sizeof yType, "tensor<%lldx%lldxf32>", (long long)m,
             (long long)n);
  }
  char wtType[64];
  snprintf(wtType, sizeof wtType, "tensor<%lldx%lldxf32>", (long long)r1,
           (long long)r0);

  // Emits `%res = <form>(%wv, %xv)` where %wv is the dense weight value.
  auto printForm = [&](const char *res, const char *wv, const char *xv,
                       const char *sfx) {
    fprintf(f, "    %%zero%s = arith.constant 0.0 : f32\n", sfx);
    fprintf(f, "    %%e%s = tensor.empty() : %s\n", sfx, yType);
    fprintf(f, "    %%i%s = linalg.fill ins(%%zero%s : f32) outs(%%e%s : %s) -> %s\n",
            sfx, sfx, sfx, yType, yType);
    if (form == "matvec")
      fprintf(f, "    %s = linalg.matvec ins(%s, %s : %s, %s) outs(%%i%s : %s) -> %s\n",
              res, wv, xv, wType, xType, sfx, yType, yType);
    else if (form == "vecmat")
      fprintf(f, "    %s = linalg.vecmat ins(%s, %s : %s, %s) outs(%%i%s : %s) -> %s\n",
              res, xv, wv, xType, wType, sfx, yType, yType);
    else if (form == "wx")
      fprintf(f, "    %s = linalg.matmul ins(%s, %s : %s, %s) outs(%%i%s : %s) -> %s\n",
              res, wv, xv, wType, xType, sfx, yType, yType);
    else if (form == "xw")
      fprintf(f, "    %s = linalg.matmul ins(%s, %s : %s, %s) outs(%%i%s : %s) -> %s\n",
              res, xv, wv, xType, wType, sfx, yType, yType);
    else if (form == "xwt")
      fprintf(f,
              "    %s = linalg.matmul indexing_maps = [affine_map<(d0, d1, d2) "
              "-> (d0, d2)>, affine_map<(d0, d1, d2) -> (d1, d2)>, "
              "affine_map<(d0, d1, d2) -> (d0, d1)>] ins(%s, %s : %s, %s) "
              "outs(%%i%s : %s) -> %s\n",
              res, xv, wv, xType, wType, sfx, yType, yType);
    else if (form == "trxw" || form == "trwx") {
      fprintf(f, "    %%te%s = tensor.empty() : %s\n", sfx, wtType);
      fprintf(f,
              "    %%t%s = linalg.transpose ins(%s : %s) outs(%%te%s : %s) "
              "permutation = [1, 0]\n",
              sfx, wv, wType, sfx, wtType);
      if (form == "trxw")
        fprintf(f, "    %s = linalg.matmul ins(%s, %%t%s : %s, %s) outs(%%i%s : %s) -> %s\n",
                res, xv, sfx, xType, wtType, sfx, yType, yType);
      else
        fprintf(f, "    %s = linalg.matmul ins(%%t%s, %s : %s, %s) outs(%%i%s : %s) -> %s\n",
                res, sfx, xv, wtType, xType, sfx, yType, yType);
    } else {
      fprintf(stderr, "unknown form %s\n", form.c_str());
      exit(2);
    }
  };

  fprintf(f, "// Generated by bench/gemv_gen %s\n", mode.c_str());
  fprintf(f, "module {\n");
  if (mode == "bench") {
    // @dc_gemv: y = W x (linalg.matvec); @dc_gemm: Y = W X, X: K x N
    // (linalg.matmul). Identical constants share one execution layout.
    fprintf(f, "  func.func @dc_gemv(%%x: tensor<%lldxf32>) -> tensor<%lldxf32> "
               "attributes {llvm.emit_c_interface} {\n",
            (long long)k, (long long)m);
    printConstant("    ");
    fprintf(f, "    %%z = arith.constant 0.0 : f32\n"
               "    %%e = tensor.empty() : tensor<%lldxf32>\n"
               "    %%i = linalg.fill ins(%%z : f32) outs(%%e : tensor<%lldxf32>) -> tensor<%lldxf32>\n"
               "    %%y = linalg.matvec ins(%%w, %%x : %s, tensor<%lldxf32>) outs(%%i : tensor<%lldxf32>) -> tensor<%lldxf32>\n"
               "    return %%y : tensor<%lldxf32>\n  }\n",
            (long long)m, (long long)m, (long long)m, wType, (long long)k,
            (long long)m, (long long)m, (long long)m);
    fprintf(f, "  func.func @dc_gemm(%%x: tensor<%lldx%lldxf32>) -> tensor<%lldx%lldxf32> "
               "attributes {llvm.emit_c_interface} {\n",
            (long long)k, (long long)n, (long long)m, (long long)n);
    printConstant("    ");
    fprintf(f, "    %%z = arith.constant 0.0 : f32\n"
               "    %%e = tensor.empty() : tensor<%lldx%lldxf32>\n"
               "    %%i = linalg.fill ins(%%z : f32) outs(%%e : tensor<%lldx%lldxf32>) -> tensor<%lldx%lldxf32>\n"
               "    %%y = linalg.matmul ins(%%w, %%x : %s, tensor<%lldx%lldxf32>) outs(%%i : tensor<%lldx%lldxf32>) -> tensor<%lldx%lldxf32>\n"
               "    return %%y : tensor<%lldx%lldxf32>\n  }\n",
            (long long)m, (long long)n, (long long)m, (long long)n,
            (long long)m, (long long)n, wType, (long long)k, (long long)n,
            (long long)m, (long long)n, (long long)m, (long long)n,
            (long long)m, (long long)n);
    if (!withDD) {
      fprintf(f, "}\n");
      return 0;
    }
    // @dd_gemv: decompress-then-dense. The call boundary keeps
    // dc-rewrite-contractions away, so dc-lower-decompress decodes the
    // weight (once, at first use) and the dense linalg.matvec runs on it.
    fprintf(f, "  func.func private @dense_mv(%%w: %s, %%x: tensor<%lldxf32>) -> tensor<%lldxf32> {\n"
               "    %%z = arith.constant 0.0 : f32\n"
               "    %%e = tensor.empty() : tensor<%lldxf32>\n"
               "    %%i = linalg.fill ins(%%z : f32) outs(%%e : tensor<%lldxf32>) -> tensor<%lldxf32>\n"
               "    %%y = linalg.matvec ins(%%w, %%x : %s, tensor<%lldxf32>) outs(%%i : tensor<%lldxf32>) -> tensor<%lldxf32>\n"
               "    return %%y : tensor<%lldxf32>\n  }\n",
            wType, (long long)k, (long long)m, (long long)m, (long long)m,
            (long long)m, wType, (long long)k, (long long)m, (long long)m,
            (long long)m);
    fprintf(f, "  func.func @dd_gemv(%%x: tensor<%lldxf32>) -> tensor<%lldxf32> "
               "attributes {llvm.emit_c_interface} {\n",
            (long long)k, (long long)m);
    printConstant("    ");
    fprintf(f, "    %%y = call @dense_mv(%%w, %%x) : (%s, tensor<%lldxf32>) -> tensor<%lldxf32>\n"
               "    return %%y : tensor<%lldxf32>\n  }\n",
            wType, (long long)k, (long long)m, (long long)m);
    fprintf(f, "}\n");
    return 0;
  }
  // Test mode: reference through a call boundary (not rewritten).
  fprintf(f, "  func.func private @ref(%%w: %s, %%x: %s) -> %s {\n", wType,
          xType, yType);
  printForm("%y", "%w", "%x", "");
  fprintf(f, "    return %%y : %s\n  }\n", yType);
  fprintf(f, "  func.func @main() {\n");
  // Deterministic activations.
  int64_t xn = isVec ? k : k * n;
  std::vector<float> xs(xn);
  for (auto &v : xs)
    v = uni(rng);
  fprintf(f, "    %%x = arith.constant dense<");
  if (isVec) {
    floatList(f, xs.data(), xs.size());
  } else {
    int64_t rows = xRowMajorNK ? n : k, cols = xRowMajorNK ? k : n;
    fprintf(f, "[");
    for (int64_t r = 0; r < rows; ++r) {
      fprintf(f, "%s", r ? ", " : "");
      floatList(f, xs.data() + r * cols, cols);
    }
    fprintf(f, "]");
  }
  fprintf(f, "> : %s\n", xType);
  printConstant("    ");
  printForm("%y", "%w", "%x", "k");
  fprintf(f, "    %%yr = call @ref(%%w, %%x) : (%s, %s) -> %s\n", wType, xType,
          yType);
  // Scale: the same contraction on |W| and |X|.
  fprintf(f, "    %%wae = tensor.empty() : %s\n", wType);
  fprintf(f, "    %%wa = linalg.abs ins(%%w : %s) outs(%%wae : %s) -> %s\n",
          wType, wType, wType);
  fprintf(f, "    %%xae = tensor.empty() : %s\n", xType);
  fprintf(f, "    %%xa = linalg.abs ins(%%x : %s) outs(%%xae : %s) -> %s\n",
          xType, xType, xType);
  fprintf(f, "    %%ya = call @ref(%%wa, %%xa) : (%s, %s) -> %s\n", wType,
          xType, yType);
  // Reductions: max |y - yr| and max ya.
  int rank = isVec ? 1 : 2;
  const char *idMap = rank == 1 ? "affine_map<(d0) -> (d0)>"
                                : "affine_map<(d0, d1) -> (d0, d1)>";
  const char *redMap =
      rank == 1 ? "affine_map<(d0) -> ()>" : "affine_map<(d0, d1) -> ()>";
  const char *iters = rank == 1 ? "\"reduction\"" : "\"reduction\", \"reduction\"";
  fprintf(f, "    %%z0 = arith.constant 0.0 : f32\n");
  fprintf(f, "    %%se = tensor.empty() : tensor<f32>\n");
  fprintf(f, "    %%s0 = linalg.fill ins(%%z0 : f32) outs(%%se : tensor<f32>) -> tensor<f32>\n");
  fprintf(f, "    %%s1 = linalg.fill ins(%%z0 : f32) outs(%%se : tensor<f32>) -> tensor<f32>\n");
  fprintf(f,
          "    %%d = linalg.generic {indexing_maps = [%s, %s, %s], "
          "iterator_types = [%s]} ins(%%y, %%yr : %s, %s) outs(%%s0 : "
          "tensor<f32>) {\n"
          "    ^bb0(%%a: f32, %%b: f32, %%acc: f32):\n"
          "      %%t = arith.subf %%a, %%b : f32\n"
          "      %%u = math.absf %%t : f32\n"
          "      %%v = arith.maximumf %%u, %%acc : f32\n"
          "      linalg.yield %%v : f32\n    } -> tensor<f32>\n",
          idMap, idMap, redMap, iters, yType, yType);
  fprintf(f,
          "    %%s = linalg.generic {indexing_maps = [%s, %s], "
          "iterator_types = [%s]} ins(%%ya : %s) outs(%%s1 : tensor<f32>) {\n"
          "    ^bb0(%%a: f32, %%acc: f32):\n"
          "      %%v = arith.maximumf %%a, %%acc : f32\n"
          "      linalg.yield %%v : f32\n    } -> tensor<f32>\n",
          idMap, redMap, iters, yType);
  fprintf(f, "    %%dv = tensor.extract %%d[] : tensor<f32>\n");
  fprintf(f, "    %%sv = tensor.extract %%s[] : tensor<f32>\n");
  fprintf(f, "    %%tiny = arith.constant 1.0e-30 : f32\n");
  fprintf(f, "    %%sc = arith.maximumf %%sv, %%tiny : f32\n");
  fprintf(f, "    %%rel = arith.divf %%dv, %%sc : f32\n");
  fprintf(f, "    %%tol = arith.constant %g : f32\n", tol);
  fprintf(f, "    %%ok = arith.cmpf olt, %%rel, %%tol : f32\n");
  fprintf(f, "    vector.print str \"rel_err \"\n");
  fprintf(f, "    vector.print %%rel : f32\n");
  fprintf(f, "    vector.print str \"scale \"\n");
  fprintf(f, "    vector.print %%sv : f32\n");
  fprintf(f, "    vector.print str \"ok \"\n");
  fprintf(f, "    vector.print %%ok : i1\n");
  fprintf(f, "    return\n  }\n}\n");
  return 0;
}
