#include "results/manifest.h"

#include <catch2/catch.hpp>

#include "results/approval.h"

using namespace bc;

TEST_CASE("a manifest lists rule, reason and link", "[reports]") {
  Manifest m = parseManifest(R"({"implementation":"wine","expected_failures":[
      {"rule":"REG-3","reason":"keeps the first object","link":"https://bugs.example/1"}]})", "wine.json").value();
  CHECK(m.implementation == "wine");
  REQUIRE(m.entries.size() == 1);
  CHECK(m.find("REG-3")->reason == "keeps the first object");
  CHECK(m.find("REG-4") == nullptr);
}

TEST_CASE("a manifest may name a scenario or a property instead of a rule", "[reports]") {
  Manifest m = parseManifest(R"({"implementation":"wine","expected_failures":[
      {"scenario":"scenarios/REG/reg-8-late-registration.scenario","reason":"as REG-8","link":"https://bugs.example/8"},
      {"property":"model-equals-sut","reason":"finds REG-8"}]})", "wine.json").value();
  REQUIRE(m.entries.size() == 2);
  CHECK(m.findScenario("scenarios/REG/reg-8-late-registration.scenario")->link == "https://bugs.example/8");
  CHECK(m.findProperty("model-equals-sut")->reason == "finds REG-8");
  CHECK(m.find("REG-8") == nullptr);  // a unit entry is not a rule entry
  CHECK(m.findScenario("scenarios/REG/other.scenario") == nullptr);
  CHECK(m.entries[1].subject() == "property model-equals-sut");
}

TEST_CASE("a bad manifest is refused with the file named", "[reports]") {
  auto message = [](const std::string& text) {
    auto m = parseManifest(text, "m.json");
    return m.ok() ? std::string("no error") : m.message();
  };
  // A JSON syntax error names the line and column where it was found.
  CHECK(message("{") .rfind("m.json:1:2: not JSON: syntax error", 0) == 0);
  CHECK(message("{\n  \"expected_failures\": [,]\n}").rfind("m.json:2:25: not JSON: syntax error", 0) == 0);
  CHECK(message(R"({"expected_failures":[{"rule":"REG-99","reason":"x"}]})") == "m.json: unknown rule ID 'REG-99'");
  CHECK(message(R"({"expected_failures":[{"rule":"REG-1"}]})") == "m.json: expected failure REG-1 has no \"reason\"");
  CHECK(message(R"({"expected_failures":[{"rule":"REG-1","reason":"a"},{"rule":"REG-1","reason":"b"}]})") ==
        "m.json: rule REG-1 is listed twice");
  CHECK(message(R"({"failures":[]})").find("expected_failures") != std::string::npos);
  CHECK(message(R"({"expected_failures":[{"reason":"x"}]})") ==
        "m.json: every expected failure names exactly one \"rule\", \"scenario\" or \"property\"");
  CHECK(message(R"({"expected_failures":[{"rule":"REG-1","scenario":"s","reason":"x"}]})") ==
        "m.json: every expected failure names exactly one \"rule\", \"scenario\" or \"property\"");
  CHECK(message(R"({"expected_failures":[{"scenario":"s"}]})") == "m.json: expected failure scenario s has no \"reason\"");
  CHECK(message(R"({"expected_failures":[{"property":"p","reason":"a"},{"property":"p","reason":"b"}]})") ==
        "m.json: property p is listed twice");
  CHECK(message(R"({"expected_failures":[{"scenario":7,"reason":"a"}]})") == "m.json: \"scenario\" must be a non-empty string");
}

TEST_CASE("the shipped manifests load", "[reports]") {
  CHECK(loadManifest(testing::testdataPath("../expectations/wine.json")).ok());
  CHECK(loadManifest(testing::testdataPath("manifest-example.json")).value().entries.size() == 3);
  const std::string missing = testing::testdataPath("no-such-manifest.json");
  CHECK(loadManifest(missing).message() == missing + ": cannot open");
}
