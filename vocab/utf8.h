// utf8.h: text from outside (scenario files, file names, an adapter's lines and stderr) made
// safe to keep, clip and write as JSON.
//
// Valid UTF-8 is RFC 3629's: no overlong forms, no surrogates (U+D800..U+DFFF), nothing above
// U+10FFFF. Repairing replaces each maximal invalid subpart with U+FFFD, as the Unicode
// standard recommends (section 3.9, "U+FFFD Substitution of Maximal Subparts"), so the same
// bytes always give the same text and valid text is unchanged.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace bc {

inline constexpr std::string_view kReplacementCharacter = "\xEF\xBF\xBD";  // U+FFFD

bool isValidUtf8(std::string_view s);
// `s` with every invalid subpart replaced by U+FFFD.
std::string sanitizeUtf8(std::string_view s);
// sanitizeUtf8(s), cut to at most `maxBytes` bytes at a character boundary; "..." is appended
// (beyond maxBytes) when something was cut.
std::string clipUtf8(std::string_view s, size_t maxBytes);

// The next character of valid UTF-8 at s[i]: its code point and length in bytes (1-4); length 0
// when s[i] starts no valid character (then `codePoint` is U+FFFD and `invalidLength` (>= 1) is
// the maximal subpart to skip).
struct Utf8Char {
  char32_t codePoint = 0;
  size_t length = 0;
  size_t invalidLength = 0;
};
Utf8Char decodeUtf8(std::string_view s, size_t i);

}  // namespace bc
