// text_tokens.h: splitting one line of the scenario syntax into blank-separated tokens, each
// with its 1-based column, so that parse errors can point at the exact place.
#pragma once

#include <cstdio>
#include <string>
#include <string_view>
#include <vector>

namespace bc::text {

struct Token {
  std::string_view text;
  int column;  // 1-based
};

inline std::vector<Token> tokenize(std::string_view s) {
  std::vector<Token> out;
  size_t i = 0;
  while (i < s.size()) {
    while (i < s.size() && (s[i] == ' ' || s[i] == '\t')) ++i;
    size_t start = i;
    while (i < s.size() && s[i] != ' ' && s[i] != '\t') ++i;
    if (i > start) out.push_back({s.substr(start, i - start), static_cast<int>(start) + 1});
  }
  return out;
}

// "0x0B": how flags are written in commands and observations.
inline std::string hex2(uint32_t v) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "0x%02X", v);
  return buf;
}

}  // namespace bc::text
