//===- DecodeEmitter.h - IR emission of dc stream decoders ------*- C++ -*-===//
//
// Builders that emit scf/arith/memref IR decoding dc's bit streams at run
// time: payload constants as `memref.global`s, a fixed-width reader (LSB-first
// packing, see dc/Core/BitStream.h) and a canonical Huffman symbol reader
// with a carried bit cursor (codes MSB-first, tables from the core
// HuffmanDecoder). Used by `dc-lower-decompress` and by the compute kernels
// that decode execution layouts once at load.
//
// Every reader is robust against corrupt streams: byte loads are clamped to
// the stream (globals are padded with zero bytes) and table lookups to their
// tables, so compiled code never reads out of bounds.
//
//===----------------------------------------------------------------------===//

#ifndef DC_CONVERSION_DECODEEMITTER_H
#define DC_CONVERSION_DECODEEMITTER_H

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/SymbolTable.h"
#include "mlir/IR/Value.h"
#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/STLFunctionalExtras.h"
#include "llvm/ADT/StringRef.h"

#include <cstdint>
#include <optional>
#include <string>
#include <utility>

namespace dc {

/// Zero bytes appended to every byte-stream global so readers may load a few
/// bytes past the last used bit (they also clamp their indices).
constexpr unsigned kStreamPadding = 8;

/// Run-time validation: each decoder of a payload has a status, a mutable
/// `memref<i32>` global marked kStatusAttrName, 0 while its payload
/// validated. A decoder that finds its payload corrupt stores a non-zero
/// DecodeError into it (atomic max) and zeroes what it decoded.
/// `dc_status()` returns the largest status of the module and `dc_init()`
/// runs every initializer and returns the same (INTERFACE.md, dc-to-llvm).
/// One status per payload (not one per module) keeps emission free of
/// module-wide lookups.
constexpr llvm::StringLiteral kStatusAttrName = "dc_status_flag";
/// The run-time validation failures, in the status global.
enum DecodeError : int32_t {
  kDecodeOk = 0,
  /// A stream's checksum differs from the compiler's, Huffman bits match
  /// no code, or a stream's bit count differs from the one the compiler
  /// decoded.
  kDecodeCorruptStream = 1,
  /// A value index past the codebook.
  kDecodeIndexOutOfRange = 2,
  /// An entry past its slice (gaps), or pointers that are not monotone or
  /// run past the entries.
  kDecodeEntryOutOfRange = 3,
};
/// Unit attribute on the private functions that run one decode-once step
/// (see emitInitializer); `dc_init()` calls every one of them.
constexpr llvm::StringLiteral kInitializerAttrName = "dc_initializer";

/// Creates private `memref.global`s at the start of a module, in creation
/// order, with names made unique through the module's symbol table (built
/// once per emitter), or, with `uniquePrefix`, trusting the caller that its
/// names are unique (no symbol table: building one per layer made lowering
/// thousands of layers quadratic; a clash would fail verification).
class GlobalEmitter {
public:
  explicit GlobalEmitter(mlir::ModuleOp module, bool uniquePrefix = false)
      : module(module) {
    if (!uniquePrefix)
      symbolTable.emplace(module);
  }

  /// A constant `memref<N x i8>` holding `bytes` followed by kStreamPadding
  /// zero bytes.
  mlir::memref::GlobalOp byteStream(mlir::Location loc, llvm::StringRef name,
                                    llvm::ArrayRef<uint8_t> bytes);
  /// A constant `memref<N x i32>` (at least one element: an empty table gets
  /// a single 0).
  mlir::memref::GlobalOp i32Table(mlir::Location loc, llvm::StringRef name,
                                  llvm::ArrayRef<uint32_t> data);
  /// A constant `memref<N x f32>` (at least one element).
  mlir::memref::GlobalOp f32Table(mlir::Location loc, llvm::StringRef name,
                                  llvm::ArrayRef<float> data);
  /// A mutable, uninitialized global of `type`.
  mlir::memref::GlobalOp buffer(mlir::Location loc, llvm::StringRef name,
                                mlir::MemRefType type);
  /// A mutable `memref<i32>` initialized to 0: the state of a decode-once
  /// step (see emitOnce).
  mlir::memref::GlobalOp onceState(mlir::Location loc, llvm::StringRef name);

  /// A status global (see kStatusAttrName), initialized to 0.
  mlir::memref::GlobalOp status(mlir::Location loc, llvm::StringRef name);
  /// Inserts a detached function into the module (renamed if needed).
  void insertFunction(mlir::func::FuncOp fn);

  mlir::ModuleOp getModule() { return module; }

private:
  mlir::memref::GlobalOp insert(mlir::Location loc, llvm::StringRef name,
                                mlir::MemRefType type,
                                mlir::Attribute initialValue, bool constant);
  mlir::ModuleOp module;
  std::optional<mlir::SymbolTable> symbolTable;
  mlir::Operation *lastGlobal = nullptr;
};

/// A payload's status: its status global, or, in a decoder function shared
/// by several payloads, a `memref<i32>` argument holding that global.
class StatusRef {
public:
  StatusRef(mlir::memref::GlobalOp global) : global(global) {}
  StatusRef(mlir::Value value) : value(value) {}
  /// The `memref<i32>` at the builder's insertion point.
  mlir::Value get(mlir::OpBuilder &b, mlir::Location loc) const;

private:
  mlir::memref::GlobalOp global;
  mlir::Value value;
};

/// Records `code` in the status `status` when `failed` (i1) holds
/// (an scf.if around an atomic max: free when the payload is valid).
void emitFailIf(mlir::OpBuilder &b, mlir::Location loc, const StatusRef &status,
                mlir::Value failed, DecodeError code);

/// The status (i32) now: an atomic read of the status global.
mlir::Value emitReadStatus(mlir::OpBuilder &b, mlir::Location loc,
                           const StatusRef &status);

/// Stores 0 into every element of the 1-D `buffer` of `size` elements when
/// the status is not 0: after a failed validation the decoded data is all
/// zeros, so compute functions produce zeros instead of garbage. A buffer
/// of dynamic size is zeroed up to its run-time size (`size` unused).
void emitZeroIfFailed(mlir::OpBuilder &b, mlir::Location loc,
                      const StatusRef &status, mlir::Value buffer,
                      int64_t size);

/// A private function `name()` (renamed if taken) that runs `body` once per
/// process through emitOnce on `state`, marked kInitializerAttrName so that
/// `dc_init()` calls it. Call it where the decoded data is needed.
mlir::func::FuncOp
emitInitializer(GlobalEmitter &globals, mlir::Location loc,
                llvm::StringRef name, mlir::memref::GlobalOp state,
                llvm::function_ref<void(mlir::OpBuilder &, mlir::Location)> body);

/// Adds the public `int32_t dc_init(void)` (calls every initializer of the
/// module, in order, and returns dc_status()) and `int32_t dc_status(void)`
/// (the largest status of the module, 0 if none failed) to `module`,
/// replacing ones emitted earlier. Fails if the module defines other
/// symbols of these names.
mlir::LogicalResult emitInitEntryPoints(mlir::ModuleOp module);

/// Runs `body` once per process, safely when several threads reach it at
/// the same time: `state` (a onceState global) goes 0 -> 1 by an atomic max
/// in the one thread that then runs `body` and sets it to 2 (atomic
/// exchange); a thread that finds 1 spins on atomic reads until 2. After
/// the first call it costs one atomic read-modify-write. Without it, a
/// second thread could start decoding (zero-filling) a buffer the first one
/// is already computing with.
void emitOnce(mlir::OpBuilder &b, mlir::Location loc,
              mlir::memref::GlobalOp state,
              llvm::function_ref<void(mlir::OpBuilder &, mlir::Location)> body);

/// `memref.get_global` of `global` at the builder's insertion point.
mlir::Value getGlobal(mlir::OpBuilder &b, mlir::Location loc,
                      mlir::memref::GlobalOp global);

/// A byte stream at run time: a 1-D i8 memref and its static size (padding
/// included). In decoders shared by several payloads the memref has a
/// dynamic size (`memref<?xi8>`): readers then clamp to its run-time size
/// and `size` is unused.
struct StreamRef {
  mlir::Value bytes;
  int64_t size = 0;
};

/// FNV-1a (32-bit) of `bytes` followed by kStreamPadding zero bytes: the
/// checksum of a byteStream global's contents.
uint32_t streamChecksum(llvm::ArrayRef<uint8_t> bytes);

/// Hashes all `stream.size` bytes of `stream` at run time and fails
/// `status` (kDecodeCorruptStream) unless the hash is `expected`. Huffman
/// codes have no redundancy (any bits decode to something), so this is what
/// catches a stream corrupted in the object.
void emitVerifyChecksum(mlir::OpBuilder &b, mlir::Location loc,
                        const StreamRef &stream, uint32_t expected,
                        const StatusRef &status);
/// The same with the expected checksum a run-time i32 (shared decoders).
void emitVerifyChecksum(mlir::OpBuilder &b, mlir::Location loc,
                        const StreamRef &stream, mlir::Value expected,
                        const StatusRef &status);

/// Loads `table[i]` (i: any integer type or index) with i clamped to
/// [0, size - 1]; a table of dynamic size (never empty) is clamped to its
/// run-time size instead.
mlir::Value emitLoadClamped(mlir::OpBuilder &b, mlir::Location loc,
                            mlir::Value table, int64_t size, mlir::Value i);

/// Loads byte `byteIndex` (i64) of `stream` zero-extended to i64, clamping the
/// index to the stream.
mlir::Value emitLoadByte(mlir::OpBuilder &b, mlir::Location loc,
                         const StreamRef &stream, mlir::Value byteIndex);

/// Reads the `width`-bit (1..32) value at bit offset `bitPos` (i64) of an
/// LSB-first packed stream; returns an i32.
mlir::Value emitReadBits(mlir::OpBuilder &b, mlir::Location loc,
                         const StreamRef &stream, mlir::Value bitPos,
                         unsigned width);

/// Reads fixed-width entry `index` (index or i64): bits [index * width,
/// (index + 1) * width). Returns an i32.
mlir::Value emitReadFixedWidth(mlir::OpBuilder &b, mlir::Location loc,
                               const StreamRef &stream, mlir::Value index,
                               unsigned width);

/// Canonical Huffman decoding tables as globals (see HuffmanDecoder):
/// firstCode, firstIndex and count indexed by code length 0..maxLength, and
/// the symbols sorted by (length, symbol).
struct HuffmanTableGlobals {
  mlir::memref::GlobalOp firstCode, firstIndex, count, sorted;
  unsigned maxLength = 0;
  int64_t numSymbols = 0;
};

/// Builds the tables of the code described by `lengths` with the core
/// HuffmanDecoder. Returns false with `error` if the lengths are not a valid
/// code.
bool emitHuffmanTables(GlobalEmitter &globals, mlir::Location loc,
                       llvm::StringRef name, llvm::ArrayRef<uint8_t> lengths,
                       HuffmanTableGlobals &tables, std::string *error);

/// The tables loaded as memrefs in the current function. In a decoder
/// shared by several codes the memrefs have dynamic sizes and
/// `maxLengthValue` (i32) is the code's maxLength at run time.
struct HuffmanTables {
  mlir::Value firstCode, firstIndex, count, sorted;
  unsigned maxLength = 0;
  int64_t numSymbols = 0;
  mlir::Value maxLengthValue;
};
HuffmanTables getHuffmanTables(mlir::OpBuilder &b, mlir::Location loc,
                               const HuffmanTableGlobals &globals);

/// Decodes one Huffman symbol starting at bit cursor `bitPos` (i64): reads one
/// bit at a time, code = code << 1 | bit, and stops at the first length l with
/// code - firstCode[l] < count[l] (an scf.while). Returns {symbol (i32), next
/// cursor (i64)}. Bits matching no code give symbol 0 and consume maxLength
/// bits; then `*found` (if given) is false (i1).
std::pair<mlir::Value, mlir::Value>
emitReadHuffmanSymbol(mlir::OpBuilder &b, mlir::Location loc,
                      const StreamRef &stream, const HuffmanTables &tables,
                      mlir::Value bitPos, mlir::Value *found = nullptr);

/// rANS decoding tables as globals (dc/Core/Ans.h): the frequency and the
/// cumulative frequency (numSymbols + 1 entries) of each symbol of the table
/// the compiler parsed and validated.
struct AnsTableGlobals {
  mlir::memref::GlobalOp freq, cum;
  unsigned precision = 0;
  int64_t numSymbols = 0;
};

/// Parses the serialized rANS table `table` (alphabet `alphabet`) with the
/// core library and emits its globals. False with `error` if invalid.
bool emitAnsTables(GlobalEmitter &globals, mlir::Location loc,
                   llvm::StringRef name, llvm::ArrayRef<uint8_t> table,
                   uint32_t alphabet, AnsTableGlobals &tables,
                   std::string *error);

struct AnsTables {
  mlir::Value freq, cum;
  unsigned precision = 0;
  int64_t numSymbols = 0;
};
AnsTables getAnsTables(mlir::OpBuilder &b, mlir::Location loc,
                       const AnsTableGlobals &globals);

/// The cursor of a rANS stream is one i64: (byte position << 32) | state.
/// Decoding starts after the 4-byte initial state (read here) and must end
/// at ansFinalCursor(stream bytes without padding).
mlir::Value emitAnsInitialCursor(mlir::OpBuilder &b, mlir::Location loc,
                                 const StreamRef &stream);
int64_t ansFinalCursor(uint64_t streamBytes);

/// Decodes one rANS symbol at `cursor`: the slot's symbol by a branch-free
/// binary search of the cumulative frequencies, the state update, and at
/// most ceil(precision / 8) renormalization bytes (all a valid stream
/// needs; every load clamped). Returns {symbol (i32), next cursor}; `*ok`
/// (if given) is false (i1) when the state stays below the renormalization
/// bound (a corrupt stream or table).
std::pair<mlir::Value, mlir::Value>
emitReadAnsSymbol(mlir::OpBuilder &b, mlir::Location loc,
                  const StreamRef &stream, const AnsTables &tables,
                  mlir::Value cursor, mlir::Value *ok = nullptr);

/// A reader of one dc entry stream (fixed width, Huffman or rANS) for loops
/// that visit the entries in order. With entropy coding the caller carries
/// the cursor (i64: a bit position for Huffman, see emitAnsInitialCursor for
/// rANS) from initialCursor() through its loops; with fixed width the
/// cursor is returned unchanged and the entry index is used.
struct EntryStreamReader {
  StreamRef stream;
  unsigned width = 0;
  bool huffman = false;
  HuffmanTables tables;
  bool ans = false;
  AnsTables ansTables;

  /// The cursor before the first entry.
  mlir::Value initialCursor(mlir::OpBuilder &b, mlir::Location loc) const;

  /// Set to validate: Huffman bits matching no code (a rANS state that does
  /// not renormalize) fail the status.
  mlir::memref::GlobalOp status;

  /// Reads entry `index` (index type); returns {value i32, next cursor}.
  std::pair<mlir::Value, mlir::Value> read(mlir::OpBuilder &b,
                                           mlir::Location loc,
                                           mlir::Value index,
                                           mlir::Value cursor) const;
};

} // namespace dc

#endif // DC_CONVERSION_DECODEEMITTER_H
