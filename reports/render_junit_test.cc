#include <catch2/catch.hpp>

#include "results/approval.h"
#include "reports/render.h"

using namespace bc;
using namespace bc::testing;

namespace {
size_t count(const std::string& s, const std::string& what) {
  size_t n = 0;
  for (size_t p = s.find(what); p != std::string::npos; p = s.find(what, p + 1)) ++n;
  return n;
}
}  // namespace

TEST_CASE("junit has a testcase per rule and per unit, named by stable IDs, and failures carry the counterexample",
          "[reports][REG-8]") {
  Results r = loadFixture("current-regression.json");
  std::string xml = renderJunit({r});
  CHECK(count(xml, "<testcase ") == r.rules.size() + r.scenarios.size() + r.properties.size());
  CHECK(count(xml, "<failure ") == static_cast<size_t>(r.verdictCounts()["fail"] + r.unexpectedFailures()));
  CHECK(xml.find("Replay: bitsconf replay scenarios/reg/late.scenario --sut mock") != std::string::npos);
  // Names are IDs only: a rule's wording can change without breaking a CI's test history.
  CHECK(xml.find("<testcase classname=\"bitsconform.rules.REG\" name=\"REG-8\">") != std::string::npos);
  CHECK(xml.find("<testcase classname=\"bitsconform.scenarios\" name=\"scenario:scenarios/reg/late.scenario\">\n"
                 "      <failure message=\"scenario:scenarios/reg/late.scenario@step-5 blames REG-8, CB-14\" "
                 "type=\"nonconformance\">") != std::string::npos);
  CHECK(xml.find("<testcase classname=\"bitsconform.properties\" name=\"property:model-equals-sut#0\"/>") !=
        std::string::npos);
  CHECK(xml.find("<property name=\"verdict\" value=\"FAIL\"/><property name=\"exit_code\" value=\"1\"/>") !=
        std::string::npos);
  // A passing rule's testcase carries its summary and witness trace; a failing one's too, after the failure.
  CHECK(xml.find("<system-out>FLAG-4: An invalid flag value makes SetNotifyFlags return E_NOTIMPL, not E_INVALIDARG.\n"
                 "Witness: scenario scenarios/flag/invalid.scenario\nA1 CreateJob J1\n  -&gt; S_OK\n") != std::string::npos);
  CHECK(xml.find("</failure>\n      <system-out>REG-8: Late registration still delivers.") != std::string::npos);
  CHECK(xml.find("Witness: properties only\n</system-out>") != std::string::npos);
  checkApproved("report.approved.xml", xml);
}

TEST_CASE("junit escapes hostile SUT strings", "[reports]") {
  std::string xml = renderJunit({loadFixture("hostile.json"), loadFixture("wine.json")});
  CHECK(xml.find("<injected/>") == std::string::npos);
  CHECK(xml.find("<script>") == std::string::npos);
  CHECK(xml.find('\x01') == std::string::npos);
  CHECK(count(xml, "<testsuite ") == 2);
  CHECK(xml.find("expected failure: keeps the first callback object (fixture)") != std::string::npos);
  CHECK(xml.find("<skipped message=\"expected failure (property:model-equals-sut#0@case-3, REG-3): finds REG-3 (fixture)\"/>") !=
        std::string::npos);
}

TEST_CASE("junit stays well-formed XML 1.0 whatever characters a SUT sends", "[reports]") {
  // U+FFFE and U+FFFF are valid UTF-8 but not XML characters; bytes that are not UTF-8 are not
  // characters at all: either makes an XML parser reject the whole file.
  Results r = loadFixture("current-regression.json");
  r.run.sutName = "sut \xEF\xBF\xBE\xEF\xBF\xBF \xFF end";
  for (RuleResult& rr : r.rules)
    if (rr.verdict == RuleVerdict::Fail) rr.counterexamples.front().message = "trace \xEF\xBF\xBF\x01\x1B[31m";
  std::string xml = renderJunit({r});
  CHECK(xml.find("\xEF\xBF\xBE") == std::string::npos);
  CHECK(xml.find("\xEF\xBF\xBF") == std::string::npos);
  CHECK(xml.find('\x1B') == std::string::npos);
  CHECK(xml.find("sut \xEF\xBF\xBD\xEF\xBF\xBD \xEF\xBF\xBD end") != std::string::npos);
  CHECK(xml.find("trace \xEF\xBF\xBD[31m") != std::string::npos);
}
