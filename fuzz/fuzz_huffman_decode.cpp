//===- fuzz_huffman_decode.cpp - The standalone Huffman decoder -----------===//
//
// Input: u16 alphabet size n (<= 4096), n code lengths, u32 symbol count
// (<= 2^20), then the bit stream. Properties: init() agrees with
// verifyHuffmanCodeLengths(); a successful decode consumed at most the
// stream, and re-encoding the symbols reproduces the consumed bits exactly.
//
//===----------------------------------------------------------------------===//

#include "FuzzCheck.h"
#include "dc/Core/Huffman.h"

#include <cstring>
#include <string>
#include <vector>

using namespace dc;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size < 2)
    return 0;
  size_t n = (size_t(data[0]) | size_t(data[1]) << 8) % 4097;
  data += 2;
  size -= 2;
  if (size < n + 4)
    return 0;
  std::vector<uint8_t> lengths(data, data + n);
  data += n;
  size -= n;
  uint32_t count;
  std::memcpy(&count, data, 4);
  count %= 1u << 20;
  data += 4;
  size -= 4;

  HuffmanDecoder decoder;
  std::string error;
  bool valid = verifyHuffmanCodeLengths(lengths, &error);
  bool initialized = decoder.init(lengths, &error);
  DC_FUZZ_CHECK(valid == initialized, "init() disagrees with verify()");
  if (!initialized)
    return 0;
  std::vector<uint32_t> symbols;
  uint64_t consumed = 0;
  if (!decoder.decode(data, size, count, symbols, consumed, &error)) {
    DC_FUZZ_CHECK(!error.empty(), "decode failed without a reason");
    return 0;
  }
  DC_FUZZ_CHECK(symbols.size() == count, "decoded symbol count");
  DC_FUZZ_CHECK(consumed <= uint64_t(size) * 8, "consumed past the stream");
  for (uint32_t s : symbols)
    DC_FUZZ_CHECK(s < lengths.size() && lengths[s] != 0,
                  "decoded a symbol without a code");
  std::vector<uint8_t> bytes;
  uint64_t bits = 0;
  DC_FUZZ_CHECK(huffmanEncode(symbols, lengths, bytes, bits),
                "re-encoding decoded symbols failed");
  DC_FUZZ_CHECK(bits == consumed, "re-encoded bit count differs");
  for (uint64_t i = 0; i < bits; ++i) {
    unsigned a = (bytes[i / 8] >> (i % 8)) & 1, b = (data[i / 8] >> (i % 8)) & 1;
    DC_FUZZ_CHECK(a == b, "re-encoded bits differ");
  }
  return 0;
}
