#include "sut/protocol/wire.h"

#include <catch2/catch.hpp>

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
