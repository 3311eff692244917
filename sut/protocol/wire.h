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

inline constexpr size_t kMaxLineBytes = 1 << 20;  // PROTOCOL.md: no line longer than 1 MiB
inline constexpr int kMaxDepth = 32;               // PROTOCOL.md: nesting of skipped values

// nullopt when `line` is not one JSON object of this subset, is longer than kMaxLineBytes or
// nests deeper than kMaxDepth. \u escapes decode to UTF-8: surrogate pairs to one character,
// a lone surrogate to U+FFFD. Never recurses deeper than kMaxDepth.
std::optional<FlatObject> parseFlatObject(std::string_view line);

// A JSON string literal, escaped; text that is not UTF-8 is written with U+FFFD.
std::string quote(std::string_view s);
std::string quoteAll(const std::vector<std::string>& items);  // ["a","b"]

}  // namespace bc::wire
