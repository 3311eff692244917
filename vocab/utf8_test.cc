#include "vocab/utf8.h"

#include <catch2/catch.hpp>

using namespace bc;

TEST_CASE("valid UTF-8 is kept as it is", "[vocab][utf8]") {
  for (std::string_view s : std::initializer_list<std::string_view>{"", "plain ASCII", "caf\xC3\xA9", "\xE2\x82\xAC 10", "\xF0\x9F\x98\x80",
                             "\xEF\xBF\xBE\xEF\xBF\xBF", "\xF4\x8F\xBF\xBF", std::string_view("nul\0inside", 10)}) {
    CHECK(isValidUtf8(s));
    CHECK(sanitizeUtf8(s) == s);
  }
}

TEST_CASE("invalid UTF-8 becomes U+FFFD, one per maximal subpart", "[vocab][utf8]") {
  const std::string R(kReplacementCharacter);
  struct Case { std::string_view in; std::string out; };
  const Case cases[] = {
      {"caf\xE9", "caf" + R},                        // Latin-1
      {"\xC3", R},                                   // cut after the lead byte
      {"\xE2\x82", R},                               // cut inside a 3-byte character: one subpart
      {"\xE2\x82x", R + "x"},
      {"\xC0\xAF", R + R},                           // overlong '/'
      {"\xE0\x80\xAF", R + R + R},                   // overlong, 3 bytes
      {"\xED\xA0\x80", R + R + R},                   // a surrogate (U+D800)
      {"\xF4\x90\x80\x80", R + R + R + R},           // above U+10FFFF
      {"\xF5\x80", R + R},
      {"\x80\xBF", R + R},                           // stray continuation bytes
      {"\xF0\x9F\x98", R},                           // an emoji cut in half
      {"a\xFF" "b", "a" + R + "b"},
  };
  for (const Case& c : cases) {
    INFO(c.out);
    CHECK_FALSE(isValidUtf8(c.in));
    CHECK(sanitizeUtf8(c.in) == c.out);
    CHECK(isValidUtf8(sanitizeUtf8(c.in)));
  }
}

TEST_CASE("clipping never cuts a character in half", "[vocab][utf8]") {
  const std::string euros = "\xE2\x82\xAC\xE2\x82\xAC\xE2\x82\xAC";  // 3 x 3 bytes
  CHECK(clipUtf8(euros, 9) == euros);
  CHECK(clipUtf8(euros, 8) == "\xE2\x82\xAC\xE2\x82\xAC...");
  CHECK(clipUtf8(euros, 7) == "\xE2\x82\xAC\xE2\x82\xAC...");
  CHECK(clipUtf8(euros, 6) == "\xE2\x82\xAC\xE2\x82\xAC...");
  CHECK(clipUtf8(euros, 5) == "\xE2\x82\xAC...");
  CHECK(clipUtf8(euros, 0) == "...");
  for (size_t n = 0; n < 12; ++n) CHECK(isValidUtf8(clipUtf8("x\xF0\x9F\x98\x80y\xC3", n)));
}
