//===- InputCheck.h - Checks of input before the upstream readers -*- C++ -*-===//
//
// MLIR's readers trust some header fields of their input: mutated bytecode
// can make the bytecode reader reserve a vector from a huge declared count
// ("SmallVector unable to grow", "out of memory": abort()), and a textual
// resource blob with alignment 0 breaks an alignment invariant, and a dense
// elements attribute whose blob is shorter than its type is read past its
// end. dc-opt and the fuzzers run these checks first and report a
// diagnostic instead. They cover the framing (section lengths and
// alignments, counts against the bytes that remain, resource headers) and
// the string, dialect and attribute/type tables (builtin dense elements
// blobs against their types), not the IR section; docs/Robustness.md lists
// what remains upstream.
//
//===----------------------------------------------------------------------===//

#ifndef DC_SUPPORT_INPUTCHECK_H
#define DC_SUPPORT_INPUTCHECK_H

#include "llvm/ADT/StringRef.h"

#include <cstdint>
#include <string>

namespace dc {

/// The deepest nesting of `{`, `[` and `(` accepted in textual IR. The
/// upstream parser recurses once per level (regions, nested attributes);
/// dc-opt runs it on a thread with kParserStackBytes of stack, which this
/// depth fits with a wide margin, so deeper input is a clear error instead
/// of a stack overflow.
constexpr unsigned kMaxTextNesting = 100000;
/// The stack dc-opt parses and runs passes on (virtual memory: only the
/// pages a deep input touches are committed).
constexpr unsigned kParserStackBytes = 1u << 30;
/// The nesting that fits a stack of `stackBytes` with the same margin as
/// kMaxTextNesting in kParserStackBytes (dc-opt under `ulimit -v` runs on a
/// smaller stack).
unsigned maxTextNestingFor(uint64_t stackBytes);

/// Checks bytecode framing (`input` starts with the bytecode magic) or the
/// resource blobs and the nesting (at most `maxTextNesting` levels) of
/// textual IR. Returns false with `why` if the input is certainly malformed.
bool checkInput(llvm::StringRef input, std::string &why,
                unsigned maxTextNesting = kMaxTextNesting);

/// The parts of checkInput. checkBytecodeFraming also decodes the tables
/// (strings, dialects, attributes and types) and checks every builtin dense
/// elements attribute's blob against its type; what it cannot decode is
/// left to the upstream reader.
bool checkBytecodeFraming(llvm::StringRef input, std::string &why);
bool checkTextualResources(llvm::StringRef input, std::string &why);
bool checkTextNesting(llvm::StringRef input, std::string &why,
                      unsigned maxNesting = kMaxTextNesting);

} // namespace dc

#endif // DC_SUPPORT_INPUTCHECK_H
