// One protocol line as JSON, both ends (json_line.h): the protocol's bounds, the reading of
// surrogates, and writing that never throws.
#include "sut/protocol/json_line.h"

#include <catch2/catch.hpp>

#include "vocab/utf8.h"

using bc::protocol::readJsonLine;
using bc::protocol::writeJsonLine;
using Json = nlohmann::json;

namespace {
Json object(const std::string& line) {
  auto r = readJsonLine(line);
  if (auto* why = std::get_if<std::string>(&r)) FAIL("not read: " << *why);
  return std::get<Json>(r);
}
std::string reason(const std::string& line) {
  auto r = readJsonLine(line);
  REQUIRE(std::holds_alternative<std::string>(r));
  return std::get<std::string>(r);
}
}  // namespace

TEST_CASE("a protocol line is one JSON object, and nothing else is", "[protocol]") {
  Json o = object(R"( {"type":"step","id":7,"command":"A1 SetNotifyFlags J1 0x0B","caps":{"b":[1,{"c":2}]}} )");
  CHECK(o["type"] == "step");
  CHECK(o["id"] == 7);
  CHECK(o["caps"]["b"][1]["c"] == 2);
  for (const char* bad : {"", "this is {not json", "{\"a\":1", "{\"a\":1} trailing", "{\"a\":\"unterminated}",
                          "{a:1}", "{\"a\":tru}", "{\"a\":\"caf\xE9\"}"})
    CHECK(reason(bad) == "not JSON");
  CHECK(reason("[1]") == "not a JSON object");
  CHECK(reason("\"text\"") == "not a JSON object");
}

TEST_CASE("a surrogate pair is one character, a lone surrogate makes the line not JSON", "[protocol]") {
  CHECK(object(R"({"pair":"\ud83d\ude00"})")["pair"] == "\xF0\x9F\x98\x80");  // U+1F600, not CESU-8
  CHECK(object("{\"raw\":\"\xF0\x9F\x98\x80\"}")["raw"] == "\xF0\x9F\x98\x80");
  // RFC 8259 section 8.2: such a string is no Unicode text. Both ends refuse the line
  // (PROTOCOL.md section 6) rather than each inventing a character for it.
  for (const char* lone : {R"({"lone":"a\ud800b"})", R"({"low":"\udc00"})", R"({"twohigh":"\ud800\ud83d\ude00"})",
                           R"({"end":"\ud83d"})"})
    CHECK(reason(lone) == "not JSON");
}

TEST_CASE("a protocol line is bounded: nesting and length", "[protocol]") {
  auto nested = [](int levels) {  // `levels` objects and arrays around 1, the outermost object included
    std::string open, close;
    for (int k = 1; k < levels; ++k) open += k % 2 ? "[" : "{\"a\":", close = (k % 2 ? "]" : "}") + close;
    return "{\"caps\":" + open + "1" + close + "}";
  };
  CHECK(object(nested(bc::protocol::kMaxJsonDepth)).is_object());
  CHECK(reason(nested(bc::protocol::kMaxJsonDepth + 1)) == "JSON nested deeper than 32 levels");
  // 500,000 levels in a line of 1 MiB: refused without a stack as deep (ASan would see it).
  CHECK(reason("{\"a\":" + std::string(500000, '[') + std::string(500000, ']') + "}") ==
        "JSON nested deeper than 32 levels");
  CHECK(reason(std::string(100000, '[')) == "JSON nested deeper than 32 levels");
  const std::string filler = "{\"a\":\"\"}";
  const std::string longest = "{\"a\":\"" + std::string(bc::protocol::kMaxLineBytes - filler.size(), 'x') + "\"}";
  CHECK(object(longest)["a"].get<std::string>().size() == bc::protocol::kMaxLineBytes - filler.size());
  CHECK(reason(longest + " ") == "a line longer than 1048576 bytes");
}

TEST_CASE("what one end writes the other reads back, and text that is not UTF-8 becomes U+FFFD", "[protocol]") {
  const std::string nasty = "tab\there \"quoted\" back\\slash \x01 newline\n and \xF0\x9F\x98\x80";
  const std::string line = writeJsonLine({{"type", "result"}, {"s", nasty}, {"l", {"a", nasty}}});
  CHECK(line.find('\n') == std::string::npos);
  CHECK(line.rfind(R"({"type":"result","s":)", 0) == 0);  // the fields in the order written
  Json back = object(line);
  CHECK(back["s"] == nasty);
  CHECK(back["l"] == Json::array({"a", nasty}));

  const std::string bad = writeJsonLine({{"s", "caf\xE9 \xE2\x82"}});
  CHECK(bc::isValidUtf8(bad));
  CHECK(object(bad)["s"] == "caf\xEF\xBF\xBD \xEF\xBF\xBD");
}
