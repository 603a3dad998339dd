//===- dc_core.cpp - pybind11 bindings of dc's core library ---------------===//
//
// The Python module `_dc_core`: k-means weight sharing and the compressed
// tensor encoding of lib/Core, so the Python front end clusters and encodes
// exactly as the compiler does. Byte streams are numpy uint8 arrays; every
// entropy coder's tables travel with the streams (Huffman code lengths, rANS
// frequency tables), and per-group codebooks with their `codebook_rows`.
//
//===----------------------------------------------------------------------===//

#include "dc/Core/CompressedTensor.h"
#include "dc/Core/FastEncode.h"
#include "dc/Core/KMeans.h"

#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <stdexcept>
#include <string>
#include <vector>

namespace py = pybind11;

namespace {

template <typename T>
using Array = py::array_t<T, py::array::c_style | py::array::forcecast>;

template <typename T> std::vector<T> toVector(const Array<T> &a) {
  return std::vector<T>(a.data(), a.data() + a.size());
}

template <typename T> py::array_t<T> toArray(const std::vector<T> &v) {
  py::array_t<T> a(v.size());
  if (!v.empty())
    std::memcpy(a.mutable_data(), v.data(), v.size() * sizeof(T));
  return a;
}

dc::KMeansInit parseInit(const std::string &s) {
  dc::KMeansInit init;
  if (dc::parseKMeansInit(s, init))
    return init;
  throw py::value_error("unknown k-means init '" + s +
                        "' (expected linear, density, random, kmeans++, optimal)");
}

dc::EncodingParams makeParams(const std::string &format, unsigned bits,
                              unsigned indexBits, const std::string &entropy,
                              unsigned codebookRows = 0) {
  dc::EncodingParams params;
  if (!dc::parseFormat(format, params.format))
    throw py::value_error("unknown format '" + format + "'");
  if (!dc::parseEntropy(entropy, params.entropy))
    throw py::value_error("unknown entropy coding '" + entropy +
                          "' (expected none, huffman, ans)");
  params.bits = bits;
  params.indexBits = indexBits;
  params.codebookRows = codebookRows;
  return params;
}

/// Bounds of kmeans1d's arguments.
constexpr unsigned kMaxClusters = 1u << 16;
constexpr unsigned kMaxIterations = 1000000;

void requireFinite(const Array<float> &a, const char *what) {
  const float *data = a.data();
  for (py::ssize_t i = 0; i < a.size(); ++i)
    if (!std::isfinite(data[i]))
      throw py::value_error(std::string(what) + " has a non-finite element " +
                            std::to_string(i));
}

std::vector<int64_t> toShape(const std::vector<int64_t> &shape) {
  for (int64_t d : shape)
    if (d < 0)
      throw py::value_error("negative dimension in shape");
  return shape;
}

py::dict toDict(const dc::CompressedTensor &t) {
  py::dict d;
  d["shape"] = py::tuple(py::cast(t.shape));
  d["format"] = std::string(dc::stringifyFormat(t.params.format));
  d["bits"] = t.params.bits;
  d["index_bits"] = t.params.indexBits;
  d["entropy"] = std::string(dc::stringifyEntropy(t.params.entropy));
  d["codebook"] = toArray(t.codebook);
  d["values"] = toArray(t.values);
  d["gaps"] = toArray(t.gaps);
  d["pointers"] = toArray(t.pointers);
  d["value_code_lengths"] = toArray(t.valueCodeLengths);
  d["gap_code_lengths"] = toArray(t.gapCodeLengths);
  d["num_entries"] = t.numEntries;
  d["num_fillers"] = t.numFillers;
  d["value_ans_table"] = toArray(t.valueAnsTable);
  d["gap_ans_table"] = toArray(t.gapAnsTable);
  d["codebook_rows"] = t.params.codebookRows;
  return d;
}

// Owns the buffers a CompressedTensorView points into.
struct ViewHolder {
  std::vector<float> codebook;
  std::vector<uint32_t> pointers;
  std::vector<uint8_t> values, gaps, valueCodeLengths, gapCodeLengths;
  std::vector<uint8_t> valueAnsTable, gapAnsTable;
  dc::CompressedTensorView view;

  ViewHolder(const std::vector<int64_t> &shape, const Array<float> &cb,
             const Array<uint8_t> &vals, const std::string &format,
             unsigned bits, unsigned indexBits, const std::string &entropy,
             uint64_t numEntries, const Array<uint8_t> &gs,
             const Array<uint32_t> &ptrs, const Array<uint8_t> &vcl,
             const Array<uint8_t> &gcl, const Array<uint8_t> &vat,
             const Array<uint8_t> &gat, unsigned codebookRows)
      : codebook(toVector(cb)), pointers(toVector(ptrs)), values(toVector(vals)),
        gaps(toVector(gs)), valueCodeLengths(toVector(vcl)),
        gapCodeLengths(toVector(gcl)), valueAnsTable(toVector(vat)),
        gapAnsTable(toVector(gat)) {
    view.shape = toShape(shape);
    view.params = makeParams(format, bits, indexBits, entropy, codebookRows);
    view.codebook = dc::Span<float>(codebook);
    view.pointers = dc::Span<uint32_t>(pointers);
    view.values = dc::Span<uint8_t>(values);
    view.gaps = dc::Span<uint8_t>(gaps);
    view.valueCodeLengths = dc::Span<uint8_t>(valueCodeLengths);
    view.gapCodeLengths = dc::Span<uint8_t>(gapCodeLengths);
    view.valueAnsTable = dc::Span<uint8_t>(valueAnsTable);
    view.gapAnsTable = dc::Span<uint8_t>(gapAnsTable);
    view.numEntries = numEntries;
  }
};

#define VIEW_ARGS                                                              \
  py::arg("shape"), py::arg("codebook"), py::arg("values"),                    \
      py::arg("format") = "dense", py::arg("bits") = 5,                        \
      py::arg("index_bits") = 5, py::arg("entropy") = "none",                  \
      py::arg("num_entries") = 0,                                              \
      py::arg("gaps") = Array<uint8_t>(0),                                     \
      py::arg("pointers") = Array<uint32_t>(0),                                \
      py::arg("value_code_lengths") = Array<uint8_t>(0),                       \
      py::arg("gap_code_lengths") = Array<uint8_t>(0), py::kw_only(),          \
      py::arg("num_fillers") = 0,                                              \
      py::arg("value_ans_table") = Array<uint8_t>(0),                          \
      py::arg("gap_ans_table") = Array<uint8_t>(0),                            \
      py::arg("codebook_rows") = 0


template <typename Fn> auto withView(Fn fn) {
  return [fn](const std::vector<int64_t> &shape, const Array<float> &codebook,
              const Array<uint8_t> &values, const std::string &format,
              unsigned bits, unsigned indexBits, const std::string &entropy,
              uint64_t numEntries, const Array<uint8_t> &gaps,
              const Array<uint32_t> &pointers, const Array<uint8_t> &vcl,
              const Array<uint8_t> &gcl, uint64_t /*numFillers*/,
              const Array<uint8_t> &vat, const Array<uint8_t> &gat,
              unsigned codebookRows) {
    ViewHolder h(shape, codebook, values, format, bits, indexBits, entropy,
                 numEntries, gaps, pointers, vcl, gcl, vat, gat, codebookRows);
    return fn(h);
  };
}

} // namespace

PYBIND11_MODULE(_dc_core, m) {
  m.doc() = "dc core library: k-means weight sharing and compressed tensors";

  m.def(
      "kmeans1d",
      [](const Array<float> &values, unsigned k, const std::string &init,
         uint64_t seed, unsigned maxIter, double tol) {
        if (k < 1)
          throw py::value_error("k must be at least 1");
        // Hostile arguments are Python errors, not hangs or crashes.
        if (k > kMaxClusters)
          throw py::value_error("k must be at most " +
                                std::to_string(kMaxClusters) +
                                " (a 16-bit codebook)");
        if (!std::isfinite(tol) || tol < 0)
          throw py::value_error("tol must be a finite number >= 0");
        if (maxIter > kMaxIterations)
          throw py::value_error("max_iter must be at most " +
                                std::to_string(kMaxIterations));
        requireFinite(values, "values");
        dc::KMeansOptions opts;
        opts.numClusters = k;
        opts.init = parseInit(init);
        opts.seed = seed;
        opts.maxIterations = maxIter;
        opts.tolerance = tol;
        std::vector<float> v = toVector(values);
        dc::KMeansResult r;
        {
          py::gil_scoped_release release;
          r = dc::kmeans1D(v, opts);
        }
        return toArray(r.centroids);
      },
      py::arg("values"), py::arg("k"), py::arg("init") = "linear",
      py::arg("seed") = 0, py::arg("max_iter") = 100, py::arg("tol") = 1e-6,
      "Sorted centroids (at most k) of 1-D k-means over `values`.");

  m.def(
      "assign_nearest",
      [](const Array<float> &values, const Array<float> &centroids) {
        requireFinite(values, "values");
        requireFinite(centroids, "centroids");
        std::vector<float> v = toVector(values), c = toVector(centroids);
        for (size_t i = 1; i < c.size(); ++i)
          if (c[i] < c[i - 1])
            throw py::value_error("centroids must be sorted ascending");
        if (c.empty())
          throw py::value_error("no centroids");
        return toArray(dc::assignNearest(v, c));
      },
      py::arg("values"), py::arg("centroids"),
      "Index of the nearest centroid (ties to the lower) for each value.");

  m.def(
      "encode_indices",
      [](const std::vector<int64_t> &shape, const Array<uint32_t> &indices,
         const Array<float> &codebook, const std::string &format,
         unsigned bits, unsigned indexBits, const std::string &entropy,
         unsigned codebookRows) {
        dc::CompressedTensor t;
        std::string error;
        if (!dc::encodeIndices(
                toShape(shape), toVector(indices), toVector(codebook),
                makeParams(format, bits, indexBits, entropy, codebookRows), t,
                &error))
          throw py::value_error("encode_indices: " + error);
        return toDict(t);
      },
      py::arg("shape"), py::arg("indices"), py::arg("codebook"),
      py::arg("format") = "dense", py::arg("bits") = 5,
      py::arg("index_bits") = 5, py::arg("entropy") = "none", py::kw_only(),
      py::arg("codebook_rows") = 0,
      "Encodes a row-major codebook-index tensor (entropy none, huffman or "
      "ans; with codebook_rows R != 0, one codebook per R rows of the matrix "
      "view, `codebook` holding every group's E entries and the indices "
      "group-local); returns a dict of streams and tables (accepted back as "
      "keyword arguments by decompress/verify/measure_storage).");

  m.def(
      "prune_and_cluster",
      [](const Array<float> &weights, const std::vector<int64_t> &shape,
         double sparsity, unsigned bits, const std::string &init,
         uint64_t seed, unsigned codebookRows) {
        // What dc-prune (sparsity: the fraction pruned by magnitude) and
        // dc-cluster do to one f32 layer without dc.importance: the same
        // core calls in the same order, so the indices and codebook are
        // the compiler's (checked against dc-opt in the Python tests).
        if (!(sparsity >= 0 && sparsity < 1))
          throw py::value_error("sparsity must be in [0, 1)");
        if (bits < 1 || bits > 16)
          throw py::value_error("bits must be in 1..16");
        requireFinite(weights, "weights");
        std::vector<int64_t> dims = toShape(shape);
        uint64_t n = 0;
        if (!dc::checkedNumElements(dims, n) || n != uint64_t(weights.size()))
          throw py::value_error("shape does not match the number of weights");
        uint64_t groups = 1;
        std::string error;
        if (!dc::numCodebooks(dims, codebookRows, groups, &error))
          throw py::value_error("prune_and_cluster: " + error);
        dc::KMeansOptions options;
        options.numClusters = (1u << bits) - 1;
        options.init = parseInit(init);
        options.seed = seed;
        std::vector<float> pruned(n);
        std::vector<uint32_t> indices(n, 0);
        size_t entries = 1;
        std::vector<std::vector<float>> centroids(groups);
        {
          py::gil_scoped_release release;
          const float *w = weights.data();
          dc::MagnitudeCut cut = dc::smallestMagnitudeCut(
              w, n, uint64_t(std::llround(sparsity * double(n))));
          dc::applyMagnitudeCut(w, n, cut, pruned.data());
          const size_t groupSize = groups ? n / groups : 0;
          for (uint64_t g = 0; g < groups; ++g) {
            std::vector<float> survivors;
            for (size_t i = g * groupSize, e = i + groupSize; i < e; ++i)
              if (pruned[i] != 0.0f)
                survivors.push_back(pruned[i]);
            if (!survivors.empty())
              centroids[g] = dc::kmeans1D(
                  dc::SortedSample::fromValues(survivors), options).centroids;
            entries = std::max(entries, centroids[g].size() + 1);
            if (centroids[g].empty())
              continue;
            dc::NearestCentroid nearest(centroids[g]);
            for (size_t i = g * groupSize, e = i + groupSize; i < e; ++i)
              if (pruned[i] != 0.0f)
                indices[i] = nearest(pruned[i]) + 1;
          }
        }
        std::vector<float> codebook(groups * entries, 0.0f);
        for (uint64_t g = 0; g < groups; ++g)
          std::copy(centroids[g].begin(), centroids[g].end(),
                    codebook.begin() + g * entries + 1);
        py::dict d;
        d["indices"] = toArray(indices).reshape(dims);
        d["codebook"] = toArray(codebook);
        d["codebook_rows"] = codebookRows;
        d["entries"] = entries;
        return d;
      },
      py::arg("weights"), py::arg("shape"), py::arg("sparsity"),
      py::arg("bits"), py::arg("init") = "optimal", py::arg("seed") = 0,
      py::arg("codebook_rows") = 0,
      "dc-prune (magnitude, `sparsity` pruned) then dc-cluster (2^bits - 1 "
      "centroids of the survivors per codebook group) on one f32 layer: "
      "{indices (group-local, 0 = pruned), codebook (groups x entries), "
      "codebook_rows, entries}; encode_indices(..., codebook_rows=...) "
      "encodes it as dc-compress would.");

  m.def(
      "encode_raw",
      [](const std::vector<int64_t> &shape, const Array<float> &values,
         const std::string &format, unsigned indexBits) {
        dc::CompressedTensor t;
        std::string error;
        if (!dc::encodeRaw(toShape(shape), toVector(values),
                           makeParams(format, dc::kRawValueBits, indexBits, "none"),
                           t, &error))
          throw py::value_error("encode_raw: " + error);
        return toDict(t);
      },
      py::arg("shape"), py::arg("values"), py::arg("format") = "csc",
      py::arg("index_bits") = 5,
      "Encodes raw f32 values (bits = 32, no codebook; zeros pruned in sparse "
      "formats).");

  m.def("decompress", withView([](const ViewHolder &h) {
          std::vector<float> dense;
          std::string error;
          if (!dc::decompressToDense(h.view, dense, &error))
            throw py::value_error("decompress: " + error);
          return toArray(dense).reshape(h.view.shape);
        }),
        VIEW_ARGS, "Decodes a compressed tensor to a dense float32 array.");

  m.def("decompress_to_indices", withView([](const ViewHolder &h) {
          std::vector<uint32_t> indices;
          std::string error;
          if (!dc::decompressToIndices(h.view, indices, &error))
            throw py::value_error("decompress_to_indices: " + error);
          return toArray(indices).reshape(h.view.shape);
        }),
        VIEW_ARGS, "Decodes a compressed tensor to codebook indices.");

  m.def("verify", withView([](const ViewHolder &h) {
          std::string error;
          if (!dc::verifyCompressedTensor(h.view, &error))
            return py::object(py::str(error));
          return py::object(py::none());
        }),
        VIEW_ARGS, "None if the tensor is valid, else the error message.");

  m.def("measure_storage", withView([](const ViewHolder &h) {
          dc::StorageStats s;
          std::string error;
          if (!dc::measureStorage(h.view, s, &error))
            throw py::value_error("measure_storage: " + error);
          py::dict d;
          d["weights"] = s.weights;
          d["nonzeros"] = s.nonzeros;
          d["fillers"] = s.fillers;
          d["entries"] = s.entries;
          d["value_bytes_fixed"] = s.valueBytesFixed;
          d["gap_bytes_fixed"] = s.gapBytesFixed;
          d["value_bits_coded"] = s.valueBitsCoded;
          d["gap_bits_coded"] = s.gapBitsCoded;
          d["value_bytes_coded"] = s.valueBytesCoded;
          d["gap_bytes_coded"] = s.gapBytesCoded;
          d["code_table_bytes"] = s.codeTableBytes;
          d["value_entropy_bits"] = s.valueEntropyBits;
          d["gap_entropy_bits"] = s.gapEntropyBits;
          d["codebook_bytes"] = s.codebookBytes;
          d["pointer_bytes"] = s.pointerBytes;
          d["bytes_dense"] = s.bytesDense();
          d["bytes_pq"] = s.bytesPQ();
          d["bytes_pqh"] = s.bytesPQH();
          return d;
        }),
        VIEW_ARGS, "Storage statistics measured on the streams.");
}
