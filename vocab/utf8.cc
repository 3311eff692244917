#include "vocab/utf8.h"

namespace bc {

Utf8Char decodeUtf8(std::string_view s, size_t i) {
  auto byte = [&](size_t k) { return static_cast<unsigned char>(s[k]); };
  const unsigned char b0 = byte(i);
  if (b0 < 0x80) return {b0, 1, 0};
  size_t need;
  char32_t cp;
  unsigned char lo = 0x80, hi = 0xBF;  // the allowed range of the second byte (Table 3-7)
  if (b0 >= 0xC2 && b0 <= 0xDF) {
    need = 1, cp = b0 & 0x1F;
  } else if (b0 >= 0xE0 && b0 <= 0xEF) {
    need = 2, cp = b0 & 0x0F;
    if (b0 == 0xE0) lo = 0xA0;  // no overlong forms
    if (b0 == 0xED) hi = 0x9F;  // no surrogates
  } else if (b0 >= 0xF0 && b0 <= 0xF4) {
    need = 3, cp = b0 & 0x07;
    if (b0 == 0xF0) lo = 0x90;  // no overlong forms
    if (b0 == 0xF4) hi = 0x8F;  // nothing above U+10FFFF
  } else {
    return {0xFFFD, 0, 1};
  }
  for (size_t k = 1; k <= need; ++k) {
    // The maximal subpart ends at the first byte that cannot continue the sequence.
    if (i + k >= s.size()) return {0xFFFD, 0, k};
    const unsigned char b = byte(i + k);
    if (b < (k == 1 ? lo : 0x80) || b > (k == 1 ? hi : 0xBF)) return {0xFFFD, 0, k};
    cp = (cp << 6) | (b & 0x3F);
  }
  return {cp, need + 1, 0};
}

bool isValidUtf8(std::string_view s) {
  for (size_t i = 0; i < s.size();) {
    Utf8Char c = decodeUtf8(s, i);
    if (c.length == 0) return false;
    i += c.length;
  }
  return true;
}

std::string sanitizeUtf8(std::string_view s) {
  if (isValidUtf8(s)) return std::string(s);
  std::string out;
  out.reserve(s.size() + 8);
  for (size_t i = 0; i < s.size();) {
    Utf8Char c = decodeUtf8(s, i);
    if (c.length) {
      out.append(s.substr(i, c.length));
      i += c.length;
    } else {
      out += kReplacementCharacter;
      i += c.invalidLength;
    }
  }
  return out;
}

std::string clipUtf8(std::string_view s, size_t maxBytes) {
  std::string text = sanitizeUtf8(s);
  if (text.size() <= maxBytes) return text;
  size_t cut = maxBytes;
  // Back to the start of the character that straddles the limit (at most 3 continuation bytes).
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
  text.resize(cut);
  return text + "...";
}

}  // namespace bc
