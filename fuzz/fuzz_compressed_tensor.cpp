//===- fuzz_compressed_tensor.cpp - Verifier and decoders of lib/Core -----===//
//
// Input: a serialized CompressedTensorView (TensorFormat.h). Properties: the
// verifier and decoders never crash or read out of bounds; a tensor that
// decodes has every entry inside its tensor and every index inside its
// codebook; storage measurement agrees with the decoded entries; and
// re-encoding it (CSR/CSC/dense, Huffman on/off) decodes to the same
// elements.
//
//===----------------------------------------------------------------------===//

#include "FuzzCheck.h"
#include "TensorFormat.h"

#include <cstring>

using namespace dc;

/// Dense decoding of larger tensors is legitimate but slow; the fuzzer
/// covers it on small shapes only.
static constexpr uint64_t kFuzzDenseLimit = uint64_t(1) << 20;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  fuzz::ParsedTensor t;
  if (!fuzz::parseTensor(data, size, t))
    return 0;
  const CompressedTensorView &view = t.view;
  std::string error;
  bool verified = verifyCompressedTensor(view, &error);
  DecodedEntries entries;
  bool decoded = decodeEntries(view, entries, &error);
  DC_FUZZ_CHECK(!decoded || verified, "decoded an unverified tensor");
  if (!decoded)
    return 0;
  DC_FUZZ_CHECK(entries.values.size() == view.numEntries, "value count");
  StorageStats stats;
  DC_FUZZ_CHECK(measureStorage(view, stats, &error), "measure failed");
  DC_FUZZ_CHECK(stats.entries == view.numEntries, "measured entries");

  uint64_t numel = uint64_t(numElements(view.shape));
  int64_t rows, cols;
  matrixDims(view.shape, rows, cols);
  // Re-encoding to CSR/CSC builds one pointer per row/column, also for an
  // empty tensor: keep those small too.
  if (numel > kFuzzDenseLimit || uint64_t(rows) > kFuzzDenseLimit ||
      uint64_t(cols) > kFuzzDenseLimit)
    return 0;
  std::vector<float> dense;
  DC_FUZZ_CHECK(decompressToDense(view, dense, &error), "dense decode failed");
  DC_FUZZ_CHECK(dense.size() == numel, "dense size");
  if (view.params.bits == kRawValueBits)
    return 0;
  std::vector<uint32_t> indices;
  DC_FUZZ_CHECK(decompressToIndices(view, indices, &error), "index decode");
  for (size_t i = 0; i < indices.size(); ++i) {
    DC_FUZZ_CHECK(indices[i] < view.codebook.size, "index past the codebook");
    float expected = view.codebook[indices[i]];
    DC_FUZZ_CHECK(std::memcmp(&expected, &dense[i], 4) == 0,
                  "dense and index decodes differ");
  }
  // Re-encode with another layout and entropy coder; same elements.
  EncodingParams other = view.params;
  other.format = StorageFormat((unsigned(other.format) + 1) % 3);
  other.indexBits = 1 + (other.indexBits % 16);
  other.entropy = other.entropy == EntropyCoding::Huffman
                      ? EntropyCoding::None
                      : EntropyCoding::Huffman;
  CompressedTensor re;
  DC_FUZZ_CHECK(reencode(view, other, re, &error), "re-encoding failed");
  std::vector<uint32_t> back;
  DC_FUZZ_CHECK(decompressToIndices(re.view(), back, &error),
                "decoding the re-encoded tensor failed");
  DC_FUZZ_CHECK(back == indices, "re-encoded tensor differs");
  return 0;
}
