//===- PipelineOptions.cpp - Option parsing shared by dc's pipelines ------===//

#include "dc/Pipelines/Pipelines.h"
#include "dc/Transforms/CompressConfig.h"

#include "llvm/Support/raw_ostream.h"

using namespace mlir;

LogicalResult dc::parsePipelineOptions(
    StringRef name, detail::PassOptions &options, StringRef optionString,
    function_ref<OptionValueKind(StringRef)> kindOf,
    function_ref<LogicalResult(const Twine &)> errorHandler) {
  std::string printed;
  llvm::raw_string_ostream printedStream(printed);
  options.print(printedStream);
  std::string error = checkOptionNames(optionString, optionNamesOf(printed));
  if (error.empty())
    error = checkOptionValues(optionString, kindOf);
  if (!error.empty())
    return errorHandler(name + ": " + error);
  std::string parseErrors;
  llvm::raw_string_ostream parseStream(parseErrors);
  if (failed(options.parseFromString(optionString, parseStream)))
    return errorHandler(renameOptionError(parseErrors, name));
  return success();
}
