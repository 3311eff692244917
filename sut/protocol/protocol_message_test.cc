// The runner's decoder of adapter lines: total on any input, strict on types, never quoting
// more than a clipped, valid UTF-8 excerpt.
#include "sut/protocol/protocol_message.h"

#include <catch2/catch.hpp>

#include "vocab/utf8.h"

using namespace bc;
using namespace bc::protocol;

namespace {
std::string errorOf(const std::variant<AdapterMessage, std::string>& r) {
  REQUIRE(std::holds_alternative<std::string>(r));
  return std::get<std::string>(r);
}
std::string errorOf(const std::variant<Hello, std::string>& r) {
  REQUIRE(std::holds_alternative<std::string>(r));
  return std::get<std::string>(r);
}
}  // namespace

TEST_CASE("the runner refuses an adapter line nested too deep, a lone surrogate, and quotes it clipped", "[protocol]") {
  CHECK(std::holds_alternative<AdapterMessage>(decodeMessage(R"({"type":"event","s":"[[[[[[\"{{{{"})")));
  const std::string deep = R"({"type":"result","observations":)" + std::string(100000, '[') + std::string(100000, ']') + "}";
  std::string e = errorOf(decodeMessage(deep));
  CHECK_THAT(e, Catch::StartsWith("not a protocol message: JSON nested deeper than 32 levels: {"));
  CHECK(e.size() < 400);
  CHECK_THAT(errorOf(decodeMessage(R"({"type":"event","id":1,"observation":"\ud800"})")),
             Catch::StartsWith("not a protocol message: not JSON: "));
  CHECK(std::get<AdapterMessage>(decodeMessage(R"({"type":"error","message":"\ud83d\ude00"})")).message ==
        "\xF0\x9F\x98\x80");
}

TEST_CASE("a hello is checked field by field, and what it says is bounded", "[protocol]") {
  const std::string good = R"({"type":"hello","protocol":"bitsconform-adapter/1","implementation":"x","bitsVersion":"4.0",)"
                           R"("capabilities":{"faults":true},"evidence":{"faults":"probe"}})";
  auto caps = std::get<Hello>(decodeHello(good)).capabilities;
  CHECK(caps.name == "x");
  CHECK(caps.version == BitsVersion::V4_0);
  CHECK(caps.faults);
  CHECK_FALSE(caps.commandLine);  // never a claim by omission
  CHECK(caps.evidence.at("faults") == "probe");
  CHECK_THAT(errorOf(decodeHello(R"({"type":"hello","protocol":{"x":1}})")), Catch::Contains("'protocol' is an object"));
  CHECK(errorOf(decodeHello(R"({"type":"hello","protocol":"v9"})")) ==
        "unsupported protocol 'v9' (this runner speaks bitsconform-adapter/1)");
  CHECK_THAT(errorOf(decodeHello(R"({"type":"hello","protocol":"bitsconform-adapter/1","implementation":7})")),
             Catch::Contains("'implementation' is an integer, not a string"));
  std::string nonBool = good;
  nonBool.replace(nonBool.find("true"), 4, "\"yes\"");
  CHECK_THAT(errorOf(decodeHello(nonBool)), Catch::Contains("capability 'faults' is a string, not a boolean"));
  std::string longName = good;
  longName.replace(longName.find("\"x\""), 3, "\"" + std::string(5000, 'n') + "\"");
  CHECK(std::get<Hello>(decodeHello(longName)).capabilities.name.size() <= kMaxNameBytes + 3);
}

TEST_CASE("a hello's features: reset when listed, unknown ones ignored, anything but strings refused", "[protocol]") {
  const std::string head = R"({"type":"hello","protocol":"bitsconform-adapter/1","implementation":"x","bitsVersion":"4.0",)"
                           R"("capabilities":{})";
  CHECK_FALSE(std::get<Hello>(decodeHello(head + "}")).canReset);
  CHECK(std::get<Hello>(decodeHello(head + R"(,"features":["later","reset"]})")).canReset);
  CHECK_FALSE(std::get<Hello>(decodeHello(head + R"(,"features":["later"]})")).canReset);
  CHECK_THAT(errorOf(decodeHello(head + R"(,"features":"reset"})")), Catch::Contains("'features' is a string, not an array"));
  CHECK_THAT(errorOf(decodeHello(head + R"(,"features":[{"reset":1}]})")),
             Catch::Contains("a feature is an object, not a string"));
}

TEST_CASE("adapter messages: fields of the wrong type are errors, a bad message is described", "[protocol]") {
  auto m = std::get<AdapterMessage>(decodeMessage(R"({"type":"result","id":7,"observations":["-> S_OK"]})"));
  CHECK(m.type == "result");
  CHECK(m.id == 7);
  CHECK(*m.observations == std::vector<std::string>{"-> S_OK"});
  CHECK_THAT(errorOf(decodeMessage(R"({"type":"result","id":7,"observations":[1]})")),
             Catch::Contains("an observation is an integer, not a string"));
  CHECK_THAT(errorOf(decodeMessage(R"({"type":"event","id":1.5})")), Catch::Contains("'id' is a number, not an integer"));
  CHECK_THAT(errorOf(decodeMessage(R"({"type":"event","id":18446744073709551615})")), Catch::Contains("'id' is an integer"));
  CHECK_THAT(errorOf(decodeMessage(R"({"id":1})")), Catch::Contains("no string 'type'"));
  CHECK(std::get<AdapterMessage>(decodeMessage(R"({"type":"error","id":1,"message":[1,2]})")).message ==
        "(the adapter's 'message' is an array, not a string)");
  std::string bad = "{\"type\":\xFF" + std::string(5000, 'x');
  std::string e = errorOf(decodeMessage(bad));
  CHECK(isValidUtf8(e));
  CHECK(e.size() < 400);
}
