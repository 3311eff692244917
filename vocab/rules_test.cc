#include "vocab/rules.h"

#include <catch2/catch.hpp>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

using namespace bc;

TEST_CASE("the catalog holds every rule of bits-rules.md section 1", "[vocab][catalog]") {
  CHECK(allRules().size() == 138);
  CHECK(ruleGroups() == std::vector<std::string_view>{"REG", "FLAG", "EVT", "CB", "VAL", "CLSID", "DISP",
                                                      "CMD", "STATE", "LIFE", "SEC", "VER"});
  const RuleInfo& r = info(Rule::CLSID_7);
  CHECK(r.id == "CLSID-7");
  CHECK(r.group == "CLSID");
  CHECK(r.status == RuleStatus::E);
  CHECK(r.docUrl == "https://learn.microsoft.com/windows/win32/bits/registering-a-com-callback");
  CHECK(info(Rule::FLAG_9).status == RuleStatus::I);
  CHECK(info(Rule::CB_3).status == RuleStatus::EStar);
  CHECK(parseRule("DISP-5") == Rule::DISP_5);
  CHECK_FALSE(parseRule("DISP-99").has_value());
  for (const RuleInfo& ri : allRules()) {
    INFO(ri.id);
    CHECK_FALSE(ri.summary.empty());
    CHECK_FALSE(ri.source.empty());
  }
}

TEST_CASE("rule sets list and print in catalog order", "[vocab]") {
  RuleSet s{Rule::CLSID_7, Rule::REG_3};
  CHECK(s.toString() == "REG-3 CLSID-7");
  CHECK(s.has(Rule::REG_3));
  CHECK_FALSE(s.has(Rule::REG_4));
}

// The checked-in table must match what the generator makes from ../shared/bits-rules.md.
TEST_CASE("the generated catalog has not drifted from bits-rules.md", "[vocab][catalog]") {
  namespace fs = std::filesystem;
  fs::path md = fs::path(BITSCONFORM_SHARED_DIR) / "bits-rules.md";
  if (!fs::exists(md)) {
    WARN("no " << md << ": drift check skipped");
    return;
  }
  fs::path out = fs::temp_directory_path() / "bitsconform_catalog_check.inc";
  std::string cmd = "python3 '" + std::string(BITSCONFORM_SOURCE_DIR) + "/tools/gen_rule_catalog.py' '" +
                    md.string() + "' > '" + out.string() + "'";
  REQUIRE(std::system(cmd.c_str()) == 0);
  auto slurp = [](const fs::path& p) {
    std::ifstream in(p);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
  };
  INFO("regenerate with: tools/gen_rule_catalog.py ../shared/bits-rules.md > vocab/rule_catalog.inc");
  CHECK(slurp(out) == slurp(fs::path(BITSCONFORM_SOURCE_DIR) / "vocab/rule_catalog.inc"));
}
