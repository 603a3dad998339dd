//===- make_seeds.cpp - Seed inputs of the core fuzz targets --------------===//
//
// dc-fuzz-seeds DIR writes DIR/<target>/seed-N for the four core targets:
// valid encodings of small tensors in every format, entropy coder and bit
// width (the shapes the lit tests use), so the fuzzers start from inputs
// that decode and mutate them into corrupt ones.
//
//===----------------------------------------------------------------------===//

#include "TensorFormat.h"
#include "dc/Core/Ans.h"
#include "dc/Core/CompressedTensor.h"
#include "dc/Core/Huffman.h"

#include <cstdio>
#include <cstring>
#include <random>
#include <string>
#include <sys/stat.h>

using namespace dc;

static void writeFile(const std::string &path, const std::vector<uint8_t> &b) {
  FILE *f = std::fopen(path.c_str(), "wb");
  if (!f) {
    std::perror(path.c_str());
    std::exit(1);
  }
  std::fwrite(b.data(), 1, b.size(), f);
  std::fclose(f);
}

int main(int argc, char **argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: dc-fuzz-seeds DIR\n");
    return 1;
  }
  std::string dir = argv[1];
  for (const char *t : {"fuzz_huffman_decode", "fuzz_relative_index",
                        "fuzz_compressed_tensor", "fuzz_encode_roundtrip",
                        "fuzz_ans_decode"})
    mkdir((dir + "/" + t).c_str(), 0755);
  std::mt19937 rng(1);
  int n = 0;
  const int64_t shapes[][2] = {{4, 6}, {1, 9}, {7, 1}, {0, 3}, {16, 20}};
  for (auto &shape : shapes) {
    for (unsigned bits : {1u, 2u, 4u, 5u, 8u, 16u}) {
      for (int format = 0; format < 3; ++format) {
        for (int entropy = 0; entropy < 2; ++entropy) {
          EncodingParams p;
          p.format = StorageFormat(format);
          p.bits = bits;
          p.indexBits = 1 + (bits + format) % 5;
          p.entropy = EntropyCoding(entropy);
          std::vector<int64_t> s{shape[0], shape[1]};
          uint64_t numel = uint64_t(shape[0] * shape[1]);
          uint32_t k = std::min<uint32_t>(1u << bits, 8);
          std::vector<float> codebook(k);
          for (uint32_t i = 1; i < k; ++i)
            codebook[i] = float(i) * 0.25f - 1.0f;
          std::vector<uint32_t> idx(numel);
          for (auto &v : idx)
            v = rng() % 3 ? 0 : rng() % k;
          CompressedTensor t;
          std::string error;
          if (!encodeIndices(s, idx, codebook, p, t, &error)) {
            std::fprintf(stderr, "seed: %s\n", error.c_str());
            return 1;
          }
          std::string name = "/seed-" + std::to_string(n++);
          writeFile(dir + "/fuzz_compressed_tensor" + name,
                    fuzz::serializeTensor(t));
          // The encoder target's own input: header bytes, then elements.
          std::vector<uint8_t> enc = {uint8_t(2), uint8_t(shape[0]),
                                      uint8_t(shape[1]), uint8_t(bits - 1),
                                      uint8_t(p.indexBits - 1),
                                      uint8_t(format + 3 * entropy)};
          for (uint32_t v : idx)
            enc.push_back(v ? uint8_t(128 + v) : 0);
          writeFile(dir + "/fuzz_encode_roundtrip" + name, enc);
          if (entropy && !t.valueCodeLengths.empty()) {
            // Huffman target: u16 n, lengths, u32 count, stream.
            std::vector<uint8_t> h;
            uint16_t m = uint16_t(t.valueCodeLengths.size());
            h.push_back(uint8_t(m));
            h.push_back(uint8_t(m >> 8));
            h.insert(h.end(), t.valueCodeLengths.begin(),
                     t.valueCodeLengths.end());
            uint32_t count = uint32_t(t.numEntries);
            h.insert(h.end(), reinterpret_cast<uint8_t *>(&count),
                     reinterpret_cast<uint8_t *>(&count) + 4);
            h.insert(h.end(), t.values.begin(), t.values.end());
            writeFile(dir + "/fuzz_huffman_decode" + name, h);
          }
        }
      }
    }
  }
  // rANS target: u8 alphabet width, u16 table size, table, u32 count,
  // stream; skewed symbols of several alphabets and lengths.
  for (unsigned width : {1u, 2u, 4u, 8u, 16u}) {
    for (uint32_t count : {1u, 7u, 300u, 5000u}) {
      std::vector<uint32_t> symbols(count);
      uint32_t limit = std::min<uint32_t>(1u << width, 300);
      for (auto &v : symbols)
        v = rng() % 4 ? rng() % std::max<uint32_t>(limit / 8, 1)
                      : rng() % limit;
      std::vector<uint8_t> table, stream;
      if (!ansEncode(symbols, 1u << width, table, stream)) {
        std::fprintf(stderr, "seed: rANS encoding failed\n");
        return 1;
      }
      std::vector<uint8_t> a = {uint8_t(width), uint8_t(table.size()),
                                uint8_t(table.size() >> 8)};
      a.insert(a.end(), table.begin(), table.end());
      a.insert(a.end(), reinterpret_cast<uint8_t *>(&count),
               reinterpret_cast<uint8_t *>(&count) + 4);
      a.insert(a.end(), stream.begin(), stream.end());
      writeFile(dir + "/fuzz_ans_decode/seed-" + std::to_string(width) + "-" +
                    std::to_string(count),
                a);
    }
  }
  // Relative-index target: index bits, slice length, (value, gap) pairs.
  for (unsigned bits = 1; bits <= 16; bits += 3) {
    std::vector<uint8_t> r = {uint8_t(bits - 1), 40, 0};
    for (int i = 0; i < 8; ++i) {
      uint16_t v = uint16_t(rng() % 7), g = uint16_t(rng() % 4);
      r.insert(r.end(), reinterpret_cast<uint8_t *>(&v),
               reinterpret_cast<uint8_t *>(&v) + 2);
      r.insert(r.end(), reinterpret_cast<uint8_t *>(&g),
               reinterpret_cast<uint8_t *>(&g) + 2);
    }
    writeFile(dir + "/fuzz_relative_index/seed-" + std::to_string(n++), r);
  }
  return 0;
}
