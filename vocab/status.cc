#include "vocab/status.h"

#include "vocab/utf8.h"

namespace bc {

std::string toString(const Error& e) {
  std::string s = sanitizeUtf8(e.where);  // a path may hold any bytes; the message stays UTF-8
  if (e.line > 0) {
    s += (s.empty() ? "line " : ":") + std::to_string(e.line);
    if (e.column > 0) s += ":" + std::to_string(e.column);
  } else if (e.column > 0) {
    s += (s.empty() ? "column " : ":") + std::to_string(e.column);
  }
  return s.empty() ? e.cause : s + ": " + e.cause;
}

std::string toString(const std::vector<Error>& errors) {
  std::string s;
  for (const Error& e : errors) s += (s.empty() ? "" : "\n") + toString(e);
  return s;
}

Error locate(Error e, std::string where, int line, int columnOffset) {
  e.where = std::move(where);
  e.line = line;
  if (e.column > 0) e.column += columnOffset;
  return e;
}

}  // namespace bc
