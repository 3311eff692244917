#include "sut/protocol/wire.h"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "vocab/utf8.h"

using bc::wire::parseFlatObject;
using Kind = bc::wire::Value::Kind;

TEST_CASE("wire parses the flat objects of the protocol", "[protocol]") {
  auto o = parseFlatObject(R"({"type":"step","id":7,"command":"A1 SetNotifyFlags J1 0x0B","ok":true,"n":null})");
  REQUIRE(o);
  CHECK((*o)["type"].text == "step");
  CHECK((*o)["id"].number == 7);
  CHECK((*o)["command"].text == "A1 SetNotifyFlags J1 0x0B");
  CHECK((*o)["ok"].kind == Kind::Bool);
  CHECK((*o)["ok"].boolean);
  CHECK((*o)["n"].kind == Kind::Null);
}

TEST_CASE("wire reads string arrays, escapes and skips nested objects", "[protocol]") {
  auto o = parseFlatObject(R"( { "a" : ["x\"y", "\u00e9\n"], "caps": {"b": [1, {"c": 2}]}, "e": -1.5e2 } )");
  REQUIRE(o);
  REQUIRE((*o)["a"].strings.size() == 2);
  CHECK((*o)["a"].strings[0] == "x\"y");
  CHECK((*o)["a"].strings[1] == "\xC3\xA9\n");
  CHECK((*o)["caps"].kind == Kind::Object);
  CHECK((*o)["e"].number == -150);
}

TEST_CASE("wire rejects what is not one object", "[protocol]") {
  for (const char* bad : {"", "this is {not json", "{\"a\":1", "{\"a\":1} trailing", "[1]", "{\"a\":\"unterminated}",
                          "{a:1}", "{\"a\":tru}"})
    CHECK_FALSE(parseFlatObject(bad));
}

TEST_CASE("wire quotes round-trip through the parser", "[protocol]") {
  std::string nasty = "tab\there \"quoted\" back\\slash \x01 newline\n";
  auto o = parseFlatObject("{\"s\":" + bc::wire::quote(nasty) + ",\"l\":" + bc::wire::quoteAll({"a", nasty}) + "}");
  REQUIRE(o);
  CHECK((*o)["s"].text == nasty);
  CHECK((*o)["l"].strings == std::vector<std::string>{"a", nasty});
}

TEST_CASE("wire decodes surrogate pairs to one character and lone surrogates to U+FFFD", "[protocol]") {
  auto o = parseFlatObject(R"({"pair":"\ud83d\ude00","lone":"a\ud800b","low":"\udc00","twohigh":"\ud800\ud83d\ude00"})");
  REQUIRE(o);
  CHECK((*o)["pair"].text == "\xF0\x9F\x98\x80");  // U+1F600, not two 3-byte halves (CESU-8)
  CHECK((*o)["lone"].text == "a\xEF\xBF\xBD" "b");
  CHECK((*o)["low"].text == "\xEF\xBF\xBD");
  CHECK((*o)["twohigh"].text == "\xEF\xBF\xBD\xF0\x9F\x98\x80");
  for (const auto& [k, v] : *o) CHECK(bc::isValidUtf8(v.text));
}

TEST_CASE("wire is bounded: nesting and line length", "[protocol]") {
  // Nested values are skipped by recursion: 100,000 levels would overflow the stack.
  auto nested = [](int levels) {
    std::string open, close;
    for (int k = 0; k < levels; ++k) open += "{\"a\":[", close += "]}";
    return "{\"caps\":" + open + "1" + close + "}";
  };
  CHECK_FALSE(parseFlatObject(nested(50000)));
  CHECK(parseFlatObject(nested(bc::wire::kMaxDepth / 2)));
  CHECK_FALSE(parseFlatObject(nested(bc::wire::kMaxDepth / 2 + 1)));
  CHECK_FALSE(parseFlatObject("{\"a\":\"" + std::string(bc::wire::kMaxLineBytes, 'x') + "\"}"));
}

TEST_CASE("wire quotes text that is not UTF-8 as valid JSON", "[protocol]") {
  std::string q = bc::wire::quote("caf\xE9 \xE2\x82");
  CHECK(q == "\"caf\xEF\xBF\xBD \xEF\xBF\xBD\"");
  CHECK(nlohmann::json::parse(q) == "caf\xEF\xBF\xBD \xEF\xBF\xBD");
}
