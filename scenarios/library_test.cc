// The scenario library: every file under scenarios/ parses, its expect lines hold on the model,
// and it passes against the SUT of BITSCONFORM_SUT (default "mock"), set to the scenario's
// policies where it can be. One test per group folder, listing every failing file:line. Saved
// counterexamples (found/) and committed regressions (regressions/) are replayed the same way.
#include <catch2/catch.hpp>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>

#include "model/checkable.h"
#include "model/policy.h"
#include "sut/registry/sut_registry.h"
#include "scenarios/scenario.h"

using namespace bc;

namespace {

const std::string kDir = BITSCONFORM_SCENARIOS_DIR;

// The SUT for a scenario: the environment's choice, at the scenario's BITS version and set to
// its policies.
SutRequest requestFor(const Scenario& s) {
  SutRequest req = sutRequestFromEnvironment();
  req.version = s.config.version;
  req.policies = s.config.policies;
  return req;
}

// Loads one folder, runs each scenario on the model and on the SUT; returns every failure.
std::string checkFolder(const std::string& folder, size_t& count) {
  std::vector<Error> diags;
  std::vector<Scenario> all = loadScenarioTree(kDir + "/" + folder, diags);
  count = all.size();
  std::string failures;
  for (const auto& d : diags) failures += toString(d) + "\n";
  for (const Scenario& s : all) {
    ScenarioResult onModel = runScenarioOnModel(s);
    if (!onModel.passed()) {
      failures += onModel.message + "\n";
      continue;
    }
    // A scenario written for another policy setting runs on a SUT that can be set to it (the
    // mock, for the policies it has a reading for); on others it describes the model only.
    SutRequest req = requestFor(s);
    if (auto why = policiesNotFollowed(req)) {
      WARN(s.path << ": not run on the SUT: " << *why);
      continue;
    }
    ScenarioResult r = runScenario(s, makeSutFactory(req));
    if (r.kind == RunOutcome::NotApplicable) {
      WARN(s.path << ": not applicable on this SUT: " << r.message);
    } else if (!r.passed()) {
      failures += std::string(toString(r.kind)) + ": " + r.message + "\n";
    }
  }
  return failures;
}

void checkGroup(const std::string& folder, bool mayBeEmpty = false) {
  size_t count = 0;
  std::string failures = checkFolder(folder, count);
  INFO(failures);
  CHECK(failures.empty());
  if (!mayBeEmpty) CHECK(count > 0);
}

}  // namespace

TEST_CASE("scenario library: REG", "[scenarios][REG]") { checkGroup("REG"); }
TEST_CASE("scenario library: FLAG", "[scenarios][FLAG]") { checkGroup("FLAG"); }
TEST_CASE("scenario library: EVT", "[scenarios][EVT]") { checkGroup("EVT"); }
TEST_CASE("scenario library: CB", "[scenarios][CB]") { checkGroup("CB"); }
TEST_CASE("scenario library: CLSID", "[scenarios][CLSID]") { checkGroup("CLSID"); }
TEST_CASE("scenario library: DISP", "[scenarios][DISP]") { checkGroup("DISP"); }
TEST_CASE("scenario library: CMD", "[scenarios][CMD]") { checkGroup("CMD"); }
TEST_CASE("scenario library: STATE and LIFE", "[scenarios][STATE][LIFE]") {
  checkGroup("STATE", true);
  checkGroup("LIFE", true);
}
TEST_CASE("scenario library: VER", "[scenarios][VER]") { checkGroup("VER"); }
TEST_CASE("saved counterexamples (found/) replay", "[scenarios][found]") { checkGroup("found", true); }
TEST_CASE("committed regressions (regressions/) replay", "[scenarios][regressions]") {
  checkGroup("regressions", true);
}

TEST_CASE("every scenario file parses and round-trips through formatScenario", "[scenarios][scenario-format]") {
  std::vector<Error> diags;
  std::vector<Scenario> all = loadScenarioTree(kDir, diags);
  std::string errors;
  for (const auto& d : diags) errors += toString(d) + "\n";
  INFO(errors);
  CHECK(diags.empty());
  CHECK(all.size() >= 40);
  for (const Scenario& s : all) {
    INFO(s.path);
    auto again = parseScenario(formatScenario(s), s.path);
    REQUIRE(again.ok());
    const Scenario& b = *again;
    CHECK(b.commands() == s.commands());
    CHECK(b.rules == s.rules);
    CHECK(b.config == s.config);
    CHECK(b.title == s.title);
  }
}

// Every E-rule of the groups the library covers has a scenario about it, or no check of the
// world can blame it (model/checkable.h says why; `bitsconf rules --not-checkable` lists them).
TEST_CASE("every E-rule of REG..CMD is covered or not checkable here", "[scenarios]") {
  std::vector<Error> diags;
  auto coverage = coverageByRule(loadScenarioTree(kDir, diags));
  const std::set<std::string_view> groups = {"REG", "FLAG", "EVT", "CB", "CLSID", "DISP", "CMD"};
  std::string missing;
  for (const RuleInfo& r : allRules()) {
    if (r.status != RuleStatus::E || !groups.count(r.group)) continue;
    if (coverage.count(r.rule) == 0 && !notCheckableReason(r.rule)) missing += std::string(r.id) + " ";
  }
  INFO("E-rules without a scenario that are checkable: " << missing);
  CHECK(missing.empty());
}
