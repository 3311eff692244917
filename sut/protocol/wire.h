// wire.h: the small JSON subset the adapter side of the protocol needs (PROTOCOL.md).
//
// Portable C++20 with no dependency, so the real adapter builds with MinGW and MSVC without a
// JSON library. Parses one flat object per line (string, number, bool, null, arrays of
// strings; nested objects are skipped); writes objects with escaped strings. The runner side
// validates with nlohmann-json instead: strictness there, simplicity here.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace bc::wire {

struct Value {
  enum class Kind { Null, Bool, Number, String, Strings, Object } kind = Kind::Null;
  bool boolean = false;
  double number = 0;
  std::string text;                  // String
  std::vector<std::string> strings;  // Strings
};
using FlatObject = std::map<std::string, Value>;

// nullopt when `line` is not one JSON object of this subset.
std::optional<FlatObject> parseFlatObject(std::string_view line);

std::string quote(std::string_view s);  // a JSON string literal, escaped
std::string quoteAll(const std::vector<std::string>& items);  // ["a","b"]

}  // namespace bc::wire
