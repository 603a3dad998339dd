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

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringSwitch.h"
#include "llvm/Support/MathExtras.h"

#include <cstring>
#include <optional>
#include <tuple>
#include <vector>

using namespace dc;
using llvm::ArrayRef;
using llvm::StringRef;

namespace {

/// Bytecode sections (mlir/Bytecode/Encoding.h).
enum Section : uint8_t {
  kString = 0,
  kDialect = 1,
  kAttrType = 2,
  kAttrTypeOffset = 3,
  kResource = 5,
  kResourceOffset = 6,
  kProperties = 8,
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
  StringRef rest() const { return data.drop_front(pos); }
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

//===----------------------------------------------------------------------===//
// Attribute and type tables
//
// The upstream reader builds a builtin DenseIntOrFPElementsAttr from its
// blob without checking the blob's size against the type
// (`DenseIntOrFPElementsAttr::getRaw`; `isValidRawBuffer` is only asserted,
// and Debian's LLVM has assertions off), then reads the type's full size
// from a shorter buffer. The tables below are decoded far enough to find
// these entries and their types (mlir/IR/BuiltinDialectBytecode.td,
// mlir/lib/Bytecode/Reader/BytecodeReader.cpp). Whatever cannot be decoded
// (another dialect's encoding, a type written as text the checks do not
// know) is left to the upstream reader: only certainly malformed input is
// rejected.
//===----------------------------------------------------------------------===//

/// Builtin attribute and type codes: positions in BuiltinDialectAttributes
/// and BuiltinDialectTypes (mlir/IR/BuiltinDialectBytecode.td).
enum BuiltinAttrCode : uint64_t {
  kDenseIntOrFPElements = 18,
  kDenseStringElements = 19,
};
enum BuiltinTypeCode : uint64_t {
  kInteger = 0,
  kIndex = 1,
  kFunction = 2,
  kBF16 = 3,
  kF16 = 4,
  kF32 = 5,
  kF64 = 6,
  kF80 = 7,
  kF128 = 8,
  kComplex = 9,
  kMemRef = 10,
  kMemRefWithMemSpace = 11,
  kNone = 12,
  kRankedTensor = 13,
  kRankedTensorWithEncoding = 14,
  kTuple = 15,
  kUnrankedMemRef = 16,
  kUnrankedMemRefWithMemSpace = 17,
  kUnrankedTensor = 18,
  kVector = 19,
  kVectorWithScalableDims = 20,
};

/// Bytecode versions (mlir/Bytecode/Encoding.h).
constexpr uint64_t kDialectVersioning = 1;
constexpr uint64_t kElideUnknownBlockArgLocation = 4;

/// IntegerType::kMaxWidth.
constexpr uint64_t kMaxIntegerWidth = (1u << 24) - 1;

/// What the checks know of a type entry.
struct TypeInfo {
  enum Kind {
    Unknown, // not decoded: left to the upstream reader
    Element, // an integer, index, float or complex type
    Shaped,  // a tensor, vector or memref type
    Other,   // another builtin type (none, function, tuple)
  } kind = Unknown;
  /// Element: the bits of one element in a dense buffer, as
  /// getDenseElementBitWidth computes them (index: 64, complex: twice the
  /// byte-aligned width of its element).
  uint64_t bits = 0;
  /// Shaped: whether it has a rank, its shape and its element type.
  bool ranked = false;
  std::vector<int64_t> shape;
  uint64_t element = 0;
  /// The type as MLIR prints it (for messages).
  std::string text;
};

/// One entry of the attribute or type table.
struct TableEntry {
  StringRef data;
  uint64_t dialect = 0;
  bool custom = false;
};

/// Bits of a builtin scalar type written as text (types without a builtin
/// bytecode encoding, e.g. the 8-bit floats, are stored as their assembly).
std::optional<uint64_t> scalarBits(StringRef name) {
  StringRef digits = name;
  if (digits.consume_front("si") || digits.consume_front("ui") ||
      digits.consume_front("i")) {
    uint64_t width;
    if (!digits.empty() && llvm::all_of(digits, llvm::isDigit) &&
        !digits.getAsInteger(10, width) && width <= kMaxIntegerWidth)
      return width;
    return std::nullopt;
  }
  return llvm::StringSwitch<std::optional<uint64_t>>(name)
      .Case("index", 64)
      .Cases({"bf16", "f16"}, 16)
      .Case("tf32", 19)
      .Case("f32", 32)
      .Case("f64", 64)
      .Case("f80", 80)
      .Case("f128", 128)
      .Cases({"f8E5M2", "f8E4M3", "f8E4M3FN", "f8E5M2FNUZ", "f8E4M3FNUZ",
              "f8E4M3B11FNUZ", "f8E3M4", "f8E8M0FNU"},
             8)
      .Cases({"f6E2M3FN", "f6E3M2FN"}, 6)
      .Case("f4E2M1FN", 4)
      .Default(std::nullopt);
}

class BytecodeTables {
public:
  explicit BytecodeTables(std::string &why) : why(why) {}

  /// Decodes the tables and checks the dense elements attributes. Returns
  /// false with `why` if the input is certainly malformed.
  bool check(StringRef input, StringRef const (&sections)[kNumSections],
             const bool (&seen)[kNumSections], uint64_t version);

private:
  bool decodeStrings(StringRef body);
  bool decodeDialects(StringRef body, uint64_t base, uint64_t version);
  bool decodeTables(StringRef body, StringRef offsets);
  bool checkProperties(StringRef body);
  bool checkAttribute(uint64_t index, const TableEntry &entry);
  bool checkDenseElements(uint64_t index, uint64_t typeIndex, StringRef blob);
  bool checkDenseStrings(uint64_t index, uint64_t typeIndex, bool splat,
                         uint64_t bytesLeft);
  const TypeInfo &describe(uint64_t index, unsigned depth = 0);
  TypeInfo decodeType(const TableEntry &entry, unsigned depth);
  /// Stops decoding: what follows is left to the upstream reader.
  bool undecodable() {
    decodable = false;
    return true;
  }
  bool isBuiltin(uint64_t dialect) const {
    return dialect < dialects.size() && dialects[dialect] == "builtin";
  }

  std::string &why;
  /// False once something the upstream reader would reject cleanly (or the
  /// checks cannot follow) is found: nothing further is decoded.
  bool decodable = true;
  std::vector<StringRef> strings;
  std::vector<StringRef> dialects;
  std::vector<TableEntry> attrs, types;
  std::vector<std::optional<TypeInfo>> typeInfo;
  TypeInfo unknown;
};

/// The strings of the string section: their sizes (NUL included) in
/// reverse order, then their data packed towards the end of the section.
bool BytecodeTables::decodeStrings(StringRef body) {
  ByteReader r(body);
  uint64_t count;
  if (!r.varint(count) || !checkCount(r, count, "strings", why))
    return false;
  strings.resize(count);
  uint64_t end = body.size();
  for (uint64_t k = 0; k < count; ++k) {
    uint64_t size;
    if (!r.varint(size) || size > end) {
      return undecodable();
    }
    // The reader drops the NUL terminator from the size: 0 would make a
    // string of SIZE_MAX bytes.
    if (size == 0)
      return fail(why, "bytecode string #" + std::to_string(count - 1 - k) +
                           " has size 0 (at least its NUL terminator "
                           "expected)");
    end -= size;
    strings[count - 1 - k] = body.substr(end, size - 1);
  }
  if (body.size() - r.remaining() != end)
    decodable = false;
  return true;
}

bool BytecodeTables::decodeDialects(StringRef body, uint64_t base,
                                    uint64_t version) {
  ByteReader r(body, base);
  uint64_t count;
  if (!r.varint(count))
    return undecodable();
  if (!checkCount(r, count, "dialects", why))
    return false;
  for (uint64_t i = 0; i < count; ++i) {
    uint64_t value;
    if (!r.varint(value))
      return undecodable();
    bool hasVersion = version >= kDialectVersioning && (value & 1);
    uint64_t name = version >= kDialectVersioning ? value >> 1 : value;
    if (name >= strings.size())
      return undecodable();
    dialects.push_back(strings[name]);
    if (!hasVersion)
      continue;
    // The dialect's version: a nested section (id, length, alignment).
    uint8_t id;
    uint64_t length;
    if (!r.byte(id) || !r.varint(length))
      return undecodable();
    if (id & 0x80) {
      uint64_t alignment;
      if (!r.varint(alignment) || alignment == 0 ||
          !llvm::isPowerOf2_64(alignment) || alignment > kMaxAlignment)
        return undecodable();
      while (r.offset() % alignment != 0 && r.peek() == 0xCB)
        r.skip(1);
    }
    if (!r.skip(length))
      return undecodable();
  }
  // The reader reserves the operation names from this count.
  uint64_t numOps;
  if (version >= kElideUnknownBlockArgLocation && r.varint(numOps) &&
      !checkCount(r, numOps, "operation names", why))
    return false;
  return true;
}

/// The offset section: the number of attributes and of types, then groups
/// of entries per dialect (dialect, count, then per entry its size shifted
/// left once, the low bit set for a dialect's own encoding, clear for
/// assembly text).
bool BytecodeTables::decodeTables(StringRef body, StringRef offsets) {
  ByteReader r(offsets);
  uint64_t numAttrs, numTypes;
  if (!r.varint(numAttrs) || !r.varint(numTypes))
    return undecodable();
  if (!checkCount(r, numAttrs, "attributes", why) ||
      !checkCount(r, numTypes, "types", why) ||
      !checkCount(r, numAttrs + numTypes, "attributes and types", why))
    return false;
  uint64_t offset = 0;
  for (auto [table, count, what] :
       {std::make_tuple(&attrs, numAttrs, "attribute"),
        std::make_tuple(&types, numTypes, "type")}) {
    while (table->size() < count) {
      uint64_t dialect, entries;
      if (!r.varint(dialect) || !r.varint(entries))
        return undecodable();
      // The reader fills the table group by group without checking a
      // group against the declared total (a write past its end).
      uint64_t left = count - table->size();
      if (entries > left)
        return fail(why, std::string("bytecode ") + what + " group declares " +
                             std::to_string(entries) + " entries, only " +
                             std::to_string(left) + " of the " +
                             std::to_string(count) + " declared remain");
      for (uint64_t i = 0; i < entries; ++i) {
        uint64_t sizeAndFlag;
        if (!r.varint(sizeAndFlag))
          return undecodable();
        uint64_t size = sizeAndFlag >> 1;
        if (offset > body.size() || size > body.size() - offset)
          return undecodable();
        table->push_back(
            {body.substr(offset, size), dialect, (sizeAndFlag & 1) != 0});
        offset += size;
      }
    }
  }
  typeInfo.resize(types.size());
  return true;
}

/// The properties section: a count (the reader reserves its offset table
/// from it), then the properties.
bool BytecodeTables::checkProperties(StringRef body) {
  ByteReader r(body);
  uint64_t count;
  if (body.empty() || !r.varint(count))
    return true;
  return checkCount(r, count, "properties", why);
}

const TypeInfo &BytecodeTables::describe(uint64_t index, unsigned depth) {
  // Types nest (element types, complex); a mutated table may loop.
  if (index >= types.size() || depth > 16)
    return unknown;
  if (!typeInfo[index])
    typeInfo[index] = decodeType(types[index], depth);
  return *typeInfo[index];
}

TypeInfo BytecodeTables::decodeType(const TableEntry &entry, unsigned depth) {
  TypeInfo info;
  if (!entry.custom) {
    // Assembly text, NUL-terminated.
    StringRef text = entry.data.take_until([](char c) { return c == '\0'; });
    if (std::optional<uint64_t> bits = scalarBits(text)) {
      info.kind = TypeInfo::Element;
      info.bits = *bits;
      info.text = text.str();
    }
    return info;
  }
  if (!isBuiltin(entry.dialect))
    return info;
  ByteReader r(entry.data);
  uint64_t code;
  if (!r.varint(code))
    return info;
  auto element = [&](uint64_t bits, const char *text) {
    info.kind = TypeInfo::Element;
    info.bits = bits;
    info.text = text;
    return info;
  };
  auto other = [&](const char *text) {
    info.kind = TypeInfo::Other;
    info.text = text;
    return info;
  };
  // A shaped type: an optional leading attribute (encoding, memory space),
  // scalable dims, a list of signed varints, the element type.
  auto shaped = [&](const char *name, bool ranked, bool leadingAttr,
                    bool scalable) -> TypeInfo {
    uint64_t skipped, count;
    if (leadingAttr && !r.varint(skipped))
      return info;
    std::vector<bool> scalableDims;
    if (scalable) {
      if (!r.varint(count) || count > r.remaining())
        return info;
      for (uint64_t i = 0; i < count; ++i) {
        uint8_t flag = 0;
        r.byte(flag);
        scalableDims.push_back(flag != 0);
      }
    }
    if (ranked) {
      if (!r.varint(count) || count > r.remaining())
        return info;
      for (uint64_t i = 0; i < count; ++i) {
        uint64_t zigzag;
        if (!r.varint(zigzag))
          return info;
        info.shape.push_back(int64_t((zigzag >> 1) ^ (~(zigzag & 1) + 1)));
      }
    }
    if (!r.varint(info.element))
      return info;
    info.kind = TypeInfo::Shaped;
    info.ranked = ranked;
    info.text = std::string(name) + "<";
    if (!ranked)
      info.text += "*x";
    for (size_t i = 0; i < info.shape.size(); ++i) {
      bool isScalable = i < scalableDims.size() && scalableDims[i];
      std::string dim = info.shape[i] < 0 ? "?" : std::to_string(info.shape[i]);
      info.text += isScalable ? "[" + dim + "]x" : dim + "x";
    }
    const TypeInfo &elementInfo = describe(info.element, depth + 1);
    info.text += elementInfo.kind == TypeInfo::Unknown ? std::string("...")
                                                       : elementInfo.text;
    info.text += ">";
    return info;
  };
  switch (code) {
  case kInteger: {
    uint64_t widthAndSignedness;
    if (!r.varint(widthAndSignedness))
      return info;
    uint64_t width = widthAndSignedness >> 2,
             signedness = widthAndSignedness & 3;
    if (width > kMaxIntegerWidth || signedness == 3)
      return info;
    info.kind = TypeInfo::Element;
    info.bits = width;
    info.text = (signedness == 1   ? "si"
                 : signedness == 2 ? "ui"
                                   : "i") +
                std::to_string(width);
    return info;
  }
  case kIndex:
    return element(64, "index");
  case kBF16:
    return element(16, "bf16");
  case kF16:
    return element(16, "f16");
  case kF32:
    return element(32, "f32");
  case kF64:
    return element(64, "f64");
  case kF80:
    return element(80, "f80");
  case kF128:
    return element(128, "f128");
  case kComplex: {
    uint64_t inner;
    if (!r.varint(inner))
      return info;
    const TypeInfo &innerInfo = describe(inner, depth + 1);
    // Complex elements are integers or floats (not index, not complex).
    if (innerInfo.kind != TypeInfo::Element || innerInfo.text == "index" ||
        StringRef(innerInfo.text).starts_with("complex"))
      return info;
    info.kind = TypeInfo::Element;
    info.bits = llvm::alignTo(innerInfo.bits, 8) * 2;
    info.text = "complex<" + innerInfo.text + ">";
    return info;
  }
  case kNone:
    return other("none");
  case kFunction:
    return other("a function type");
  case kTuple:
    return other("a tuple type");
  case kRankedTensor:
    return shaped("tensor", true, false, false);
  case kRankedTensorWithEncoding:
    return shaped("tensor", true, true, false);
  case kVector:
    return shaped("vector", true, false, false);
  case kVectorWithScalableDims:
    return shaped("vector", true, false, true);
  case kMemRef:
    return shaped("memref", true, false, false);
  case kMemRefWithMemSpace:
    return shaped("memref", true, true, false);
  case kUnrankedTensor:
    return shaped("tensor", false, false, false);
  case kUnrankedMemRef:
    return shaped("memref", false, false, false);
  case kUnrankedMemRefWithMemSpace:
    return shaped("memref", false, true, false);
  default:
    return info;
  }
}

/// The number of elements of a static shape; nullopt on overflow.
std::optional<uint64_t> numElements(ArrayRef<int64_t> shape) {
  uint64_t n = 1;
  for (int64_t dim : shape)
    if (__builtin_mul_overflow(n, uint64_t(dim), &n))
      return std::nullopt;
  return n;
}

/// Checks that a dense elements attribute's type has a static shape;
/// `what` names the attribute in the message.
bool checkStaticShape(const TypeInfo &type, const std::string &what,
                      std::string &why) {
  if (!type.ranked)
    return fail(why, what + " has the unranked type " + type.text +
                         " (a static shape expected)");
  if (llvm::any_of(type.shape, [](int64_t dim) { return dim < 0; }))
    return fail(why, what + " has the type " + type.text +
                         " of dynamic shape (a static shape expected)");
  return true;
}

bool BytecodeTables::checkDenseElements(uint64_t index, uint64_t typeIndex,
                                        StringRef blob) {
  const TypeInfo &type = describe(typeIndex);
  // Not a shaped type: the reader rejects it cleanly.
  if (type.kind != TypeInfo::Shaped)
    return true;
  const TypeInfo &element = describe(type.element);
  if (element.kind == TypeInfo::Unknown)
    return true;
  std::string what =
      "bytecode dense elements attribute #" + std::to_string(index);
  if (element.kind != TypeInfo::Element)
    return fail(why, what + " has the element type " + element.text +
                         " (an integer, index, float or complex type "
                         "expected)");
  if (!checkStaticShape(type, what, why))
    return false;
  // DenseElementsAttr::isValidRawBuffer: one element (a splat) or all of
  // them; elements are byte-aligned except i1, which is packed 8 to a byte
  // (a splat is then one byte 0x00 or 0xFF).
  std::optional<uint64_t> count = numElements(type.shape);
  uint64_t size = blob.size();
  std::optional<uint64_t> full;
  std::string splat;
  if (element.bits == 1) {
    if (size == 1 && (uint8_t(blob[0]) == 0 || uint8_t(blob[0]) == 0xFF))
      return true;
    if (count)
      full = llvm::divideCeil(*count, 8);
    splat = "one byte 0x00 or 0xFF";
  } else {
    uint64_t bytes = llvm::alignTo(element.bits, 8) / 8;
    if (size == bytes)
      return true;
    uint64_t total;
    if (count && !__builtin_mul_overflow(*count, bytes, &total))
      full = total;
    splat = std::to_string(bytes);
  }
  if (full && size == *full)
    return true;
  return fail(
      why, what + " has " + std::to_string(size) + " bytes of data, its type " +
               type.text + " needs " +
               (full ? std::to_string(*full) : std::string("more than 2^64")) +
               " (or " + splat + " for a splat)");
}

bool BytecodeTables::checkDenseStrings(uint64_t index, uint64_t typeIndex,
                                       bool splat, uint64_t bytesLeft) {
  const TypeInfo &type = describe(typeIndex);
  if (type.kind != TypeInfo::Shaped || splat)
    return true;
  // The reader sizes its string list from the type, then reads a string
  // index (at least one byte) per element.
  std::string what =
      "bytecode dense string elements attribute #" + std::to_string(index);
  if (!checkStaticShape(type, what, why))
    return false;
  std::optional<uint64_t> count = numElements(type.shape);
  if (!count || *count > bytesLeft)
    return fail(why, what + " of type " + type.text + " declares " +
                         (count ? std::to_string(*count)
                                : std::string("more than 2^64")) +
                         " strings in " + std::to_string(bytesLeft) + " bytes");
  return true;
}

bool BytecodeTables::checkAttribute(uint64_t index, const TableEntry &entry) {
  if (!entry.custom || !isBuiltin(entry.dialect))
    return true;
  ByteReader r(entry.data);
  uint64_t code, typeIndex;
  if (!r.varint(code) ||
      (code != kDenseIntOrFPElements && code != kDenseStringElements) ||
      !r.varint(typeIndex))
    return true;
  if (code == kDenseIntOrFPElements) {
    uint64_t size;
    // A blob that runs past its entry is rejected by the reader.
    if (!r.varint(size) || size > r.remaining())
      return true;
    return checkDenseElements(index, typeIndex, r.take(size));
  }
  uint64_t splat;
  if (!r.varint(splat))
    return true;
  return checkDenseStrings(index, typeIndex, splat != 0, r.remaining());
}

bool BytecodeTables::check(StringRef input,
                           StringRef const (&sections)[kNumSections],
                           const bool (&seen)[kNumSections], uint64_t version) {
  if (seen[kProperties] && !checkProperties(sections[kProperties]))
    return false;
  if (!seen[kString] || !seen[kDialect] || !seen[kAttrType] ||
      !seen[kAttrTypeOffset])
    return true;
  if (!decodeStrings(sections[kString]))
    return false;
  if (!decodable)
    return true;
  uint64_t dialectBase = sections[kDialect].data() - input.data();
  if (!decodeDialects(sections[kDialect], dialectBase, version))
    return false;
  if (!decodable)
    return true;
  if (!decodeTables(sections[kAttrType], sections[kAttrTypeOffset]))
    return false;
  if (!decodable)
    return true;
  for (uint64_t i = 0; i < attrs.size(); ++i)
    if (!checkAttribute(i, attrs[i]))
      return false;
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
  return BytecodeTables(why).check(input, sections, seen, version);
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

unsigned dc::maxTextNestingFor(uint64_t stackBytes) {
  uint64_t levels = uint64_t(kMaxTextNesting) * stackBytes / kParserStackBytes;
  return unsigned(std::min<uint64_t>(levels, kMaxTextNesting));
}

bool dc::checkTextNesting(StringRef input, std::string &why,
                          unsigned maxNesting) {
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
      if (depth > maxNesting)
        return fail(why, "input nests deeper than " +
                             std::to_string(maxNesting) +
                             " levels of brackets (dc's limit for the "
                             "recursive upstream parser)");
    } else if ((c == '}' || c == ']' || c == ')') && depth > 0) {
      --depth;
    }
  }
  return true;
}

bool dc::checkInput(StringRef input, std::string &why, unsigned maxNesting) {
  if (input.starts_with(StringRef("ML\xEFR", 4)))
    return checkBytecodeFraming(input, why);
  return checkTextNesting(input, why, maxNesting) &&
         checkTextualResources(input, why);
}
