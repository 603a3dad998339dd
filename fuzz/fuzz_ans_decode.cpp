//===- fuzz_ans_decode.cpp - The standalone rANS decoder ------------------===//
//
// Input: u8 alphabet width w (alphabet 2^(w % 17)), u16 table size n, n table
// bytes, u32 symbol count (< 2^15), then the stream. Properties: the decoder
// never fails without a reason; a successful decode yields `count` symbols,
// each inside the alphabet with a nonzero frequency in the (valid) table;
// and re-encoding them with that table reproduces the stream byte for byte
// (a stream that decodes is the encoder's only output for those symbols).
//
//===----------------------------------------------------------------------===//

#include "FuzzCheck.h"
#include "dc/Core/Ans.h"

#include <cstring>
#include <string>
#include <vector>

using namespace dc;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size < 3)
    return 0;
  uint32_t alphabet = uint32_t(1) << (data[0] % 17);
  size_t n = size_t(data[1]) | size_t(data[2]) << 8;
  data += 3;
  size -= 3;
  if (size < n + 4)
    return 0;
  const uint8_t *table = data;
  data += n;
  size -= n;
  uint32_t count;
  std::memcpy(&count, data, 4);
  // At most 2^15 symbols: enough for thousands of state renormalizations
  // from an input of libFuzzer's length limit. Beyond that a decode mostly
  // repeats cheap symbols (a one-symbol table costs no bits at all), and the
  // 2^20 allowed before made such runs decode a million symbols each, most
  // of the target's time (AnsTest.DeclaredCountIsNotAllocatedBeforeItDecodes
  // covers declared counts up to 2^40).
  count %= 1u << 15;
  data += 4;
  size -= 4;

  std::vector<uint32_t> symbols;
  std::string error;
  if (!ansDecode(table, n, data, size, count, alphabet, symbols, &error)) {
    DC_FUZZ_CHECK(!error.empty(), "decode failed without a reason");
    DC_FUZZ_CHECK(symbols.empty(), "failed decode left symbols");
    return 0;
  }
  DC_FUZZ_CHECK(symbols.size() == count, "decoded symbol count");
  if (count == 0) {
    DC_FUZZ_CHECK(n == 0 && size == 0, "empty decode of non-empty input");
    return 0;
  }
  AnsTable parsed;
  DC_FUZZ_CHECK(readAnsTable(table, n, alphabet, parsed, &error),
                "decoded with a table that does not parse");
  for (uint32_t s : symbols)
    DC_FUZZ_CHECK(s < parsed.freqs.size() && parsed.freqs[s] != 0,
                  "decoded a symbol without a frequency");
  std::vector<uint8_t> stream;
  DC_FUZZ_CHECK(ansEncodeWithTable(symbols, parsed, stream, &error),
                "re-encoding decoded symbols failed");
  DC_FUZZ_CHECK(stream == std::vector<uint8_t>(data, data + size),
                "re-encoded stream differs");
  return 0;
}
