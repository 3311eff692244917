#include "results/json_input.h"

#include <fstream>
#include <sstream>

namespace bc {

Expected<std::string> readInputFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Error{path, 0, 0, "cannot open"};
  std::stringstream ss;
  ss << in.rdbuf();
  if (in.bad()) return Error{path, 0, 0, "cannot read"};
  return ss.str();
}

Expected<nlohmann::json> parseJsonInput(std::string_view text, const std::string& where) {
  try {
    return nlohmann::json::parse(text);
  } catch (const nlohmann::json::parse_error& e) {
    // e.byte is the 1-based offset of the last byte read: the line and column come from the
    // text itself (nlohmann's message repeats them in its own words, which are dropped here).
    size_t end = std::min(e.byte == 0 ? size_t{0} : e.byte - 1, text.size());
    int line = 1, column = 1;
    for (size_t i = 0; i < end; ++i) {
      if (text[i] == '\n') ++line, column = 1;
      else ++column;
    }
    std::string what = e.what();
    if (size_t at = what.find("column "); at != std::string::npos)
      if (size_t colon = what.find(": ", at); colon != std::string::npos) what = what.substr(colon + 2);
    return Error{where, line, column, "not JSON: " + what};
  } catch (const nlohmann::json::exception& e) {
    return Error{where, 0, 0, std::string("not JSON: ") + e.what()};
  }
}

}  // namespace bc
