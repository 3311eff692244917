// json_input.h: reading a JSON input file (a results file, a manifest) with errors as values.
//
// A syntax error names the file, the line and column where it was found, and the cause, in
// the one form of vocab/status.h: "run.json:3:14: not JSON: syntax error while parsing ...".
#pragma once

#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "vocab/status.h"

namespace bc {

// The whole file as bytes; an error names the file ("cannot open", "cannot read").
Expected<std::string> readInputFile(const std::string& path);
// `text` as JSON; an error names `where`, the line and column of the problem, and the cause.
Expected<nlohmann::json> parseJsonInput(std::string_view text, const std::string& where);

}  // namespace bc
