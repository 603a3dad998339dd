//===- HuffmanWordsLoader.h - decode-once-at-load of a layout -*- C++ -*-===//
//
// Entropy-coded weights stay entropy-coded in the object: an execution
// layout of packed words (u32 or u64) is stored as one or more canonical
// Huffman streams of its fields, and a generated `PREFIX_load_words()`
// decodes them once into an uninitialized global at the first kernel call.
//
//===----------------------------------------------------------------------===//

#ifndef DC_LIB_CONVERSION_KERNELS_HUFFMANWORDSLOADER_H
#define DC_LIB_CONVERSION_KERNELS_HUFFMANWORDSLOADER_H

#include "KernelSupport.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/IR/BuiltinOps.h"

#include <cstdint>
#include <string>
#include <vector>

namespace dc::kernels {

/// One coded stream: each field of a word ORs in one symbol << `shift`.
/// With `ans`, a rANS stream and `lengths` its serialized table.
struct CodedStream {
  std::string name; // global name suffix, e.g. "value"
  const std::vector<uint8_t> *bytes, *lengths;
  unsigned shift = 0;
  bool ans = false;
};

/// What the kernels need: the `words` global (mutable, uninitialized), the
/// decode-once `ready` state (dc::emitOnce), the loader function and the
/// initializer `PREFIX_init()` that runs it once (dc::emitInitializer;
/// dc_init() calls it too). The loader validates the streams at run time
/// (each ends exactly where the compiler's decoder ended, every code
/// matches); on failure it sets `PREFIX_status` and zeroes the words.
struct HuffmanWordsLoader {
  std::string words;
  mlir::memref::GlobalOp ready;
  mlir::func::FuncOp decode, init;
};

/// Emits the streams, their decoding tables (Huffman or rANS), the
/// `PREFIX_words` buffer of
/// `numWords` words of `wordBits` (32 or 64) bits, the `PREFIX_ready` flag
/// and `PREFIX_load_words()`: per word, `fieldsPerWord` fields of
/// `fieldBits` bits, field f at bit f * fieldBits. The decoding loops are a
/// function in `shared`, one per (word and field widths, stream kinds and
/// shifts, rANS table sizes): `PREFIX_load_words()` passes it this
/// payload's globals (sizes at run time), checksums and end cursors.
mlir::LogicalResult emitHuffmanWordsLoader(
    mlir::ModuleOp module, mlir::Location loc, llvm::StringRef prefix,
    unsigned wordBits, int64_t numWords, unsigned fieldsPerWord,
    unsigned fieldBits, llvm::ArrayRef<CodedStream> streams,
    SharedFunctions &shared, HuffmanWordsLoader &out, std::string &err);

} // namespace dc::kernels

#endif // DC_LIB_CONVERSION_KERNELS_HUFFMANWORDSLOADER_H
