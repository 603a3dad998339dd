//===- fuzz_relative_index.cpp - Relative indices with fillers ------------===//
//
// Input: u8 index bits (1..16), u16 slice length, then u16 (value, gap)
// pairs. Properties: decodeRelative never writes past the slice and fails
// exactly when an entry lands past it, leaving nothing decoded; and for the
// slice made of the input bytes, decode(encode(slice)) == slice with every
// gap within the index width.
//
//===----------------------------------------------------------------------===//

#include "FuzzCheck.h"
#include "dc/Core/RelativeIndex.h"

#include <cstring>
#include <vector>

using namespace dc;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size < 3)
    return 0;
  unsigned indexBits = 1 + data[0] % 16;
  uint64_t length = uint64_t(data[1]) | uint64_t(data[2]) << 8;
  const uint8_t *rest = data + 3;
  size_t restSize = size - 3;

  // Decoding arbitrary entries.
  size_t numEntries = restSize / 4;
  std::vector<uint32_t> values(numEntries), gaps(numEntries);
  uint64_t pos = 0;
  bool inside = true;
  for (size_t i = 0; i < numEntries; ++i) {
    uint16_t v, g;
    std::memcpy(&v, rest + 4 * i, 2);
    std::memcpy(&g, rest + 4 * i + 2, 2);
    values[i] = v;
    gaps[i] = g;
    pos += g;
    if (pos >= length)
      inside = false;
    ++pos;
  }
  std::vector<uint32_t> dense;
  bool ok = decodeRelative(values.data(), gaps.data(), numEntries, length,
                           dense);
  DC_FUZZ_CHECK(ok == inside, "decodeRelative accepts exactly the entries "
                              "inside the slice");
  DC_FUZZ_CHECK(dense.size() == (ok ? length : 0), "decoded slice length");

  // Round trip of a slice: mostly zeros so that long gaps and fillers occur.
  std::vector<uint32_t> slice(restSize);
  for (size_t i = 0; i < restSize; ++i)
    slice[i] = rest[i] < 200 ? 0 : rest[i];
  RelativeSlice encoded = encodeRelative(slice, indexBits);
  DC_FUZZ_CHECK(encoded.values.size() == encoded.gaps.size(), "entry streams");
  for (uint32_t g : encoded.gaps)
    DC_FUZZ_CHECK(g < (1u << indexBits), "gap exceeds the index width");
  std::vector<uint32_t> back;
  DC_FUZZ_CHECK(decodeRelative(encoded.values.data(), encoded.gaps.data(),
                               encoded.values.size(), slice.size(), back),
                "decoding an encoded slice failed");
  DC_FUZZ_CHECK(back == slice, "relative round trip differs");
  return 0;
}
