//===- fuzz_encode_roundtrip.cpp - Encoders of lib/Core, round trip -------===//
//
// Input: u8 rows, u8 cols, u8 bits (1..16 or raw), u8 index bits, u8 format
// and entropy, then element bytes. The elements become codebook indices
// (mostly 0, i.e. pruned) or raw f32 values. Property: decoding what the
// encoder produced gives the elements back bit for bit (sparse formats turn
// -0.0 into +0.0), and the encoded tensor verifies.
//
//===----------------------------------------------------------------------===//

#include "FuzzCheck.h"
#include "dc/Core/CompressedTensor.h"

#include <cmath>
#include <cstring>

using namespace dc;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size < 6)
    return 0;
  std::vector<int64_t> shape;
  unsigned rank = data[0] % 4;
  if (rank >= 1)
    shape.push_back(data[1] % 33);
  if (rank >= 2)
    shape.push_back(data[2] % 65);
  if (rank >= 3)
    shape.push_back(1 + data[2] % 3);
  EncodingParams params;
  bool raw = data[3] % 17 == 16;
  params.bits = raw ? kRawValueBits : 1 + data[3] % 16;
  params.indexBits = 1 + data[4] % 16;
  params.format = StorageFormat(data[5] % 3);
  params.entropy = !raw && (data[5] / 3) % 2 ? EntropyCoding::Huffman
                                             : EntropyCoding::None;
  data += 6;
  size -= 6;
  uint64_t numel = uint64_t(numElements(shape));
  std::string error;
  CompressedTensor encoded;
  if (raw) {
    std::vector<float> values(numel, 0.0f);
    for (uint64_t i = 0; i < numel && 4 * i + 4 <= size; ++i)
      std::memcpy(&values[i], data + 4 * i, 4);
    DC_FUZZ_CHECK(encodeRaw(shape, values, params, encoded, &error),
                  "encodeRaw failed");
    std::vector<float> back;
    DC_FUZZ_CHECK(decompressToDense(encoded.view(), back, &error),
                  "decoding raw failed");
    DC_FUZZ_CHECK(back.size() == numel, "raw size");
    for (uint64_t i = 0; i < numel; ++i) {
      float expected = values[i];
      if (params.format != StorageFormat::Dense && expected == 0.0f)
        expected = 0.0f; // -0.0 is pruned.
      DC_FUZZ_CHECK(std::memcmp(&expected, &back[i], 4) == 0,
                    "raw round trip differs");
    }
    return 0;
  }
  uint32_t entries = std::min<uint64_t>(uint64_t(1) << params.bits, 64);
  std::vector<float> codebook(entries);
  for (uint32_t i = 0; i < entries; ++i)
    codebook[i] = i == 0 ? 0.0f : std::ldexp(float(i), -3) * (i % 2 ? 1 : -1);
  std::vector<uint32_t> indices(numel, 0);
  for (uint64_t i = 0; i < numel && i < size; ++i)
    indices[i] = data[i] < 128 ? 0 : data[i] % entries;
  DC_FUZZ_CHECK(encodeIndices(shape, indices, codebook, params, encoded,
                              &error),
                "encodeIndices failed");
  DC_FUZZ_CHECK(verifyCompressedTensor(encoded.view(), &error),
                "encoded tensor does not verify");
  std::vector<uint32_t> back;
  DC_FUZZ_CHECK(decompressToIndices(encoded.view(), back, &error),
                "decoding failed");
  DC_FUZZ_CHECK(back == indices, "index round trip differs");
  return 0;
}
