//===- InputCheck.cpp - Checks of input before the upstream readers -------===//
//
// Bytecode (mlir/docs/BytecodeFormat.md): magic "ML\xEFR", a version varint,
// a NUL-terminated producer string, then sections: a byte (id, bit 7 = has
// alignment), a length varint, an optional alignment varint followed by
// 0xCB padding, and `length` bytes. VarInts are PrefixVarInts (the number
// of trailing zero bits of the first byte is the number of extra bytes; a
// first byte of 0 means 8 extra bytes).
//
//===----------------------------------------------------------------------===//

#include "dc/Support/InputCheck.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/MathExtras.h"

#include <cstring>

using namespace dc;
using llvm::StringRef;

namespace {

/// Bytecode sections (mlir/Bytecode/Encoding.h).
enum Section : uint8_t {
  kString = 0,
  kResource = 5,
  kResourceOffset = 6,
  kNumSections = 9,
};

/// The largest alignment the checks accept (the writer uses at most the
/// alignment of a blob, in practice <= 64).
constexpr uint64_t kMaxAlignment = uint64_t(1) << 16;

class ByteReader {
public:
  ByteReader(StringRef data, uint64_t base = 0) : data(data), base(base) {}
  uint64_t remaining() const { return data.size() - pos; }
  uint64_t offset() const { return base + pos; }
  bool byte(uint8_t &v) {
    if (pos >= data.size())
      return false;
    v = uint8_t(data[pos++]);
    return true;
  }
  bool varint(uint64_t &v) {
    uint8_t first;
    if (!byte(first))
      return false;
    if (first & 1) {
      v = first >> 1;
      return true;
    }
    unsigned extra = first == 0 ? 8 : unsigned(llvm::countr_zero(first));
    if (remaining() < extra)
      return false;
    uint64_t value = 0;
    for (unsigned i = 0; i < extra; ++i)
      value |= uint64_t(uint8_t(data[pos + i])) << (8 * i);
    pos += extra;
    // The value bits of the first byte are above its prefix; with 8 extra
    // bytes they hold the whole value.
    v = first == 0 ? value : (value << (7 - extra)) | (first >> (extra + 1));
    return true;
  }
  int peek() const { return pos < data.size() ? uint8_t(data[pos]) : -1; }
  bool skip(uint64_t n) {
    if (n > remaining())
      return false;
    pos += n;
    return true;
  }
  StringRef take(uint64_t n) {
    StringRef s = data.substr(pos, n);
    pos += n;
    return s;
  }
  bool cString() {
    size_t end = data.find('\0', pos);
    if (end == StringRef::npos)
      return false;
    pos = end + 1;
    return true;
  }

private:
  StringRef data;
  uint64_t base;
  uint64_t pos = 0;
};

bool fail(std::string &why, const std::string &message) {
  why = message;
  return false;
}

/// A count of items that take at least one byte each must not exceed the
/// bytes left.
bool checkCount(ByteReader &r, uint64_t count, const char *what,
                std::string &why) {
  if (count > r.remaining())
    return fail(why, std::string("bytecode declares ") +
                         std::to_string(count) + " " + what + " in " +
                         std::to_string(r.remaining()) + " bytes");
  return true;
}

bool checkStringSection(StringRef body, std::string &why) {
  ByteReader r(body);
  uint64_t numStrings;
  if (!r.varint(numStrings))
    return fail(why, "bytecode string section is truncated");
  if (!checkCount(r, numStrings, "strings", why))
    return false;
  uint64_t total = 0;
  for (uint64_t i = 0; i < numStrings; ++i) {
    uint64_t size;
    if (!r.varint(size))
      return fail(why, "bytecode string section is truncated");
    if (size > body.size() || (total += size) > body.size())
      return fail(why, "bytecode strings are larger than their section");
  }
  return true;
}

bool checkResourceOffsets(StringRef body, uint64_t resourceBytes,
                          std::string &why) {
  ByteReader r(body);
  uint64_t numGroups;
  if (!r.varint(numGroups))
    return fail(why, "bytecode resource offset section is truncated");
  if (!checkCount(r, numGroups, "resource groups", why))
    return false;
  uint64_t total = 0;
  for (uint64_t g = 0; g < numGroups; ++g) {
    uint64_t key, numResources;
    if (!r.varint(key) || !r.varint(numResources))
      return fail(why, "bytecode resource offset section is truncated");
    if (!checkCount(r, numResources, "resources", why))
      return false;
    for (uint64_t i = 0; i < numResources; ++i) {
      uint64_t rkey, size;
      uint8_t kind;
      if (!r.varint(rkey) || !r.varint(size) || !r.byte(kind))
        return fail(why, "bytecode resource offset section is truncated");
      if (size > resourceBytes || (total += size) > resourceBytes)
        return fail(why, "bytecode resources declare " +
                             std::to_string(total) + " bytes, more than the " +
                             std::to_string(resourceBytes) +
                             "-byte resource section");
    }
  }
  return true;
}

} // namespace

bool dc::checkBytecodeFraming(StringRef input, std::string &why) {
  ByteReader r(input);
  if (!r.skip(4))
    return fail(why, "bytecode is truncated in its header");
  uint64_t version;
  if (!r.varint(version) || !r.cString())
    return fail(why, "bytecode is truncated in its header");
  StringRef sections[kNumSections];
  bool seen[kNumSections] = {};
  while (r.remaining() > 0) {
    uint8_t idAndAligned;
    uint64_t length;
    if (!r.byte(idAndAligned) || !r.varint(length))
      return fail(why, "bytecode section header is truncated");
    uint8_t id = idAndAligned & 0x7F;
    if (id >= kNumSections)
      return fail(why, "bytecode has an unknown section id " +
                           std::to_string(id));
    if (seen[id])
      return fail(why, "bytecode has section " + std::to_string(id) + " twice");
    seen[id] = true;
    if (idAndAligned & 0x80) {
      uint64_t alignment;
      if (!r.varint(alignment))
        return fail(why, "bytecode section header is truncated");
      if (alignment == 0 || !llvm::isPowerOf2_64(alignment) ||
          alignment > kMaxAlignment)
        return fail(why, "bytecode section " + std::to_string(id) +
                             " has alignment " + std::to_string(alignment) +
                             " (a power of two up to " +
                             std::to_string(kMaxAlignment) + " expected)");
      // Padding bytes (0xCB) up to the alignment. The reader aligns the
      // address in memory; parsers copy input into aligned buffers, so this
      // aligns the offset.
      while (r.offset() % alignment != 0 && r.peek() == 0xCB)
        r.skip(1);
    }
    if (length > r.remaining())
      return fail(why, "bytecode section " + std::to_string(id) + " declares " +
                           std::to_string(length) + " bytes, but only " +
                           std::to_string(r.remaining()) + " remain");
    sections[id] = r.take(length);
  }
  if (seen[kString] && !checkStringSection(sections[kString], why))
    return false;
  if (seen[kResourceOffset] &&
      !checkResourceOffsets(sections[kResourceOffset],
                            sections[kResource].size(), why))
    return false;
  return true;
}

bool dc::checkTextualResources(StringRef input, std::string &why) {
  size_t start = input.find("{-#");
  if (start == StringRef::npos)
    return true;
  StringRef rest = input.drop_front(start);
  // Every "0x..." string literal in the file metadata is a hex blob whose
  // first 4 bytes are its alignment (little endian).
  size_t pos = 0;
  while ((pos = rest.find("\"0x", pos)) != StringRef::npos) {
    size_t end = rest.find('"', pos + 1);
    if (end == StringRef::npos)
      break;
    StringRef hex = rest.slice(pos + 3, end);
    pos = end + 1;
    if (hex.size() < 8) {
      why = "resource blob \"0x" + hex.str() +
            "\" is shorter than its 4-byte alignment header";
      return false;
    }
    uint32_t alignment = 0;
    for (int i = 3; i >= 0; --i) {
      unsigned hi, lo;
      if (!llvm::isHexDigit(hex[2 * i]) || !llvm::isHexDigit(hex[2 * i + 1]))
        return fail(why, "resource blob has a malformed alignment header");
      hi = llvm::hexDigitValue(hex[2 * i]);
      lo = llvm::hexDigitValue(hex[2 * i + 1]);
      alignment = alignment << 8 | (hi << 4 | lo);
    }
    if (alignment == 0 || !llvm::isPowerOf2_32(alignment) ||
        alignment > kMaxAlignment)
      return fail(why, "resource blob has alignment " +
                           std::to_string(alignment) +
                           " (a power of two up to " +
                           std::to_string(kMaxAlignment) + " expected)");
  }
  return true;
}

bool dc::checkTextNesting(StringRef input, std::string &why) {
  unsigned depth = 0, deepest = 0;
  for (size_t i = 0, e = input.size(); i < e; ++i) {
    char c = input[i];
    if (c == '"') {
      // Skip a string literal (backslash escapes included).
      for (++i; i < e && input[i] != '"'; ++i)
        if (input[i] == '\\')
          ++i;
      continue;
    }
    if (c == '/' && i + 1 < e && input[i + 1] == '/') {
      size_t eol = input.find('\n', i);
      i = eol == StringRef::npos ? e : eol;
      continue;
    }
    if (c == '{' || c == '[' || c == '(') {
      if (++depth > deepest)
        deepest = depth;
      if (depth > kMaxTextNesting)
        return fail(why, "input nests deeper than " +
                             std::to_string(kMaxTextNesting) +
                             " levels of brackets (dc's limit for the "
                             "recursive upstream parser)");
    } else if ((c == '}' || c == ']' || c == ')') && depth > 0) {
      --depth;
    }
  }
  return true;
}

bool dc::checkInput(StringRef input, std::string &why) {
  if (input.starts_with(StringRef("ML\xEFR", 4)))
    return checkBytecodeFraming(input, why);
  return checkTextNesting(input, why) && checkTextualResources(input, why);
}
