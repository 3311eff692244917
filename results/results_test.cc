#include "results/results.h"

#include <filesystem>
#include <fstream>

#include <catch2/catch.hpp>

#include "model/checkable.h"
#include "results/manifest.h"
#include "results/results_testing.h"
#include "vocab/rules.h"

using namespace bc;
using namespace bc::testing;


TEST_CASE("every catalog rule gets a verdict, in catalog order", "[reports]") {
  Results r;
  computeRuleVerdicts(r, nullptr);
  REQUIRE(r.rules.size() == kRuleCount);
  CHECK(r.rules.front().id == allRules().front().id);
  CHECK(r.rules.back().id == allRules().back().id);
  for (const auto& rr : r.rules) {
    const bool checkable = !notCheckableReason(*parseRule(rr.id));
    CHECK(rr.verdict == (checkable ? RuleVerdict::NotExercised : RuleVerdict::NotCheckable));
    CHECK(rr.notCheckable.empty() == checkable);
  }
}

TEST_CASE("a rule passes only where a check that could have failed it ran: never by a header or a consulted rule",
          "[reports]") {
  Results r;
  // A passing scenario about REG-8 whose checks never could have blamed REG-8 (say, the model
  // only consulted it): REG-8 is not exercised. EVT-1 was checked: it passes.
  r.scenarios.push_back(scenario("a", {"REG-8"}, "pass", {"EVT-1"}));
  // A property about DISP-2 with no check of it.
  PropertyOutcome p;
  p.name = "precedence";
  p.rules = {"DISP-2"};
  p.cases = 100;
  r.properties.push_back(p);
  // A rule only a not-applicable scenario consulted: not applicable, never passed.
  ScenarioOutcome na = scenario("b", {"CLSID-7"}, "not-applicable");
  na.consulted = {"CLSID-7", "CLSID-8"};
  r.scenarios.push_back(na);
  // No check of this world can blame EVT-8: even a header naming it does not make it pass.
  r.scenarios.push_back(scenario("c", {"EVT-8"}, "pass", {"EVT-6"}));
  computeRuleVerdicts(r, nullptr);
  CHECK(verdictOf(r, "REG-8") == RuleVerdict::NotExercised);
  CHECK(verdictOf(r, "EVT-1") == RuleVerdict::Pass);
  CHECK(verdictOf(r, "DISP-2") == RuleVerdict::NotExercised);
  CHECK(verdictOf(r, "CLSID-7") == RuleVerdict::NotApplicable);
  CHECK(verdictOf(r, "CLSID-8") == RuleVerdict::NotApplicable);
  CHECK(verdictOf(r, "EVT-8") == RuleVerdict::NotCheckable);
  CHECK(r.rule("EVT-8")->notCheckable.find("permission") != std::string::npos);
}

TEST_CASE("results of schema 1 are refused with a message that says why", "[reports]") {
  nlohmann::json old = {{"schema", "bitsconform-results/1"}};
  auto r = resultsFromJson(old);
  REQUIRE_FALSE(r.ok());
  CHECK(r.message().find("before check records") != std::string::npos);
  CHECK(r.message().find("bitsconf run") != std::string::npos);
}

TEST_CASE("rule verdicts follow the outcomes that name them", "[reports]") {
  Results r;
  r.scenarios.push_back(scenario("a", {"REG-8"}, "pass", {"REG-8", "EVT-1"}));
  r.scenarios.push_back(scenario("b", {"CB-14", "CB-15"}, "diverged", {"CB-14"}, {"CB-2"}));
  r.scenarios.push_back(scenario("c", {"CLSID-1"}, "not-applicable"));
  r.scenarios.push_back(scenario("d", {"CLSID-2"}, "not-applicable"));
  r.scenarios.push_back(scenario("e", {"CLSID-2"}, "pass", {"CLSID-2"}));
  PropertyOutcome p;
  p.name = "precedence";
  p.rules = {"DISP-1", "DISP-2"};
  p.checked = {"DISP-1"};
  p.cases = 50;
  r.properties.push_back(p);
  computeRuleVerdicts(r, nullptr);

  CHECK(verdictOf(r, "REG-8") == RuleVerdict::Pass);
  CHECK(verdictOf(r, "EVT-1") == RuleVerdict::Pass);  // a matching check could have blamed it
  CHECK(verdictOf(r, "CB-14") == RuleVerdict::Pass);  // checked by a step that matched before the divergence
  CHECK(verdictOf(r, "CB-2") == RuleVerdict::Fail);   // the divergence's rules
  // The failing scenario's header names a rule it never got to check: blocked, not failed.
  CHECK(verdictOf(r, "CB-15") == RuleVerdict::Blocked);
  CHECK(r.rule("CB-15")->blockedBy == std::vector<std::string>{"CB-2"});
  CHECK(verdictOf(r, "CLSID-1") == RuleVerdict::NotApplicable);
  CHECK(verdictOf(r, "CLSID-2") == RuleVerdict::Pass);  // one applicable scenario passed
  CHECK(verdictOf(r, "DISP-1") == RuleVerdict::Pass);
  CHECK(verdictOf(r, "DISP-2") == RuleVerdict::NotExercised);  // declared, but no check of it ran
  CHECK(verdictOf(r, "REG-1") == RuleVerdict::NotExercised);
  CHECK(r.rule("DISP-1")->propertyCases == 50);
  CHECK(r.rule("REG-8")->scenarios == 1);
  CHECK(r.rule("CB-2")->failures == 1);
  CHECK(r.rule("CB-14")->failures == 0);
  CHECK(r.unexpectedFailures() == 1);
  CHECK_FALSE(r.sutFailed());
}

TEST_CASE("a failing property blames only its divergence's rules: what it did not reach is blocked", "[reports]") {
  Results r;
  PropertyOutcome p;
  p.name = "model-equals-sut";
  p.rules = {"REG-1", "REG-2", "REG-4"};
  p.checked = {"REG-1", "REG-2"};
  p.status = RunOutcome::Diverged;
  p.failedRules = {"REG-3"};
  p.counterexample = Counterexample{"property model-equals-sut", "A1 CreateJob J1\n", "-> S_OK", "-> E_FAIL", "m", "replay"};
  r.properties.push_back(p);
  computeRuleVerdicts(r, nullptr);
  CHECK(verdictOf(r, "REG-3") == RuleVerdict::Fail);
  CHECK(verdictOf(r, "REG-1") == RuleVerdict::Pass);
  CHECK(verdictOf(r, "REG-4") == RuleVerdict::Blocked);  // declared, never reached: unknown
  CHECK(r.rule("REG-4")->blockedBy == std::vector<std::string>{"REG-3"});
  REQUIRE(r.rule("REG-3")->counterexamples.size() == 1);
  CHECK(r.rule("REG-3")->counterexamples[0].replay == "replay");
  CHECK(r.unattributedFailures() == 0);

  // A SUT failure blames no rule: it blocks the declared ones and fails the run (sutFailed).
  r.properties[0].failedRules.clear();
  r.properties[0].status = RunOutcome::Crashed;
  computeRuleVerdicts(r, nullptr);
  CHECK(verdictOf(r, "REG-1") == RuleVerdict::Pass);
  CHECK(verdictOf(r, "REG-3") == RuleVerdict::NotExercised);
  CHECK(verdictOf(r, "REG-4") == RuleVerdict::Blocked);
  CHECK(r.rule("REG-4")->blockedBy == std::vector<std::string>{"crashed"});
  CHECK(r.sutFailed());
  CHECK(r.unattributedFailures() == 0);

  // A divergence on which the model named no rule (a harness rule) cannot be excused by any
  // manifest: it counts as an unexpected failure of its own.
  r.properties[0].status = RunOutcome::Diverged;
  computeRuleVerdicts(r, nullptr);
  CHECK(r.unattributedFailures() == 1);
  CHECK(r.unexpectedFailures() == 1);
  CHECK(r.rule("REG-4")->blockedBy == std::vector<std::string>{"unattributed divergence"});
}

TEST_CASE("the manifest turns listed failures into expected-fail and flags fixed rules", "[reports]") {
  Manifest m = parseManifest(R"({"implementation":"x","expected_failures":[
      {"rule":"REG-8","reason":"known","link":"https://example.org/1"},
      {"rule":"REG-9","reason":"known too"},{"rule":"REG-12","reason":"known, but blocked here"}]})", "x.json").value();
  Results r;
  r.scenarios.push_back(scenario("a", {"REG-8"}, "diverged", {}, {"REG-8"}));
  r.scenarios.push_back(scenario("b", {"REG-9", "REG-10"}, "pass", {"REG-9"}));
  r.scenarios.push_back(scenario("c", {"REG-11", "REG-12"}, "diverged", {}, {"REG-11"}));
  computeRuleVerdicts(r, &m);
  CHECK(verdictOf(r, "REG-8") == RuleVerdict::ExpectedFail);
  CHECK(r.rule("REG-8")->manifestLink == "https://example.org/1");
  CHECK(verdictOf(r, "REG-9") == RuleVerdict::Pass);
  CHECK(r.rule("REG-9")->fixed);
  CHECK(verdictOf(r, "REG-11") == RuleVerdict::Fail);
  CHECK(verdictOf(r, "REG-12") == RuleVerdict::Blocked);  // listed, but blocked by REG-11: not "fixed"
  CHECK_FALSE(r.rule("REG-12")->fixed);
  // The manifest lists the rules, not the units: both failing scenarios are unexpected, a's
  // although it blames only REG-8, which is listed.
  CHECK(r.unexpectedFailures() == 2);
  CHECK(r.unexpectedUnits() == std::vector<std::string>{"scenario:a@start", "scenario:c@start"});
  REQUIRE(r.notes.size() == 1);
  CHECK(r.notes[0].find("REG-9") != std::string::npos);
  computeRuleVerdicts(r, &m);  // idempotent: the note is not repeated
  CHECK(r.notes.size() == 1);
}

TEST_CASE("a failing unit the manifest does not name is unexpected, even when its rules are listed", "[reports][REG-8]") {
  Manifest m = parseManifest(R"({"implementation":"x","expected_failures":[
      {"rule":"REG-8","reason":"no late delivery","link":"https://example.org/8"},
      {"scenario":"scenarios/REG/late.scenario","reason":"as REG-8"},
      {"property":"late-and-repeated-delivery","reason":"as REG-8"},
      {"scenario":"scenarios/REG/fixed.scenario","reason":"was broken"}]})", "x.json").value();
  Results r;
  r.scenarios.push_back(scenario("scenarios/REG/late.scenario", {"REG-8"}, "diverged", {}, {"REG-8"}));
  r.scenarios.back().failedStep = 4;
  r.scenarios.push_back(scenario("scenarios/REG/fixed.scenario", {"REG-1"}, "pass", {"REG-1"}));
  PropertyOutcome p;
  p.name = "late-and-repeated-delivery";
  p.chunk = 2;
  p.status = RunOutcome::Diverged;
  p.failedRules = {"REG-8"};
  p.failedCase = 17;
  p.counterexample = Counterexample{"property", "A1 CreateJob J1\n", "", "", "m", "replay"};
  r.properties.push_back(p);
  computeRuleVerdicts(r, &m);
  CHECK(r.unexpectedFailures() == 0);
  CHECK(verdictOf(r, "REG-8") == RuleVerdict::ExpectedFail);
  CHECK(r.scenarios[0].manifestReason == "as REG-8");
  CHECK(r.properties[0].counterexample->check == "property:late-and-repeated-delivery#2@case-17");
  CHECK(r.rule("REG-8")->counterexamples[0].check == "property:late-and-repeated-delivery#2@case-17");
  CHECK(r.scenarios[1].fixed);
  CHECK(r.notes == std::vector<std::string>{"fixed: scenario scenarios/REG/fixed.scenario is listed as an expected "
                                            "failure in x.json but passed; remove it from the manifest"});
  CHECK(runVerdict(r).exitCode == 0);
  r.run.strictManifest = true;
  CHECK(runVerdict(r).exitCode == 1);
  r.run.strictManifest = false;

  // The same SUT breaks one more scenario, blamed on REG-8 again: not listed, so unexpected.
  r.scenarios.push_back(scenario("scenarios/CB/new.scenario", {"CB-14"}, "diverged", {}, {"REG-8"}));
  r.scenarios.back().failedStep = 2;
  computeRuleVerdicts(r, &m);
  CHECK(verdictOf(r, "REG-8") == RuleVerdict::ExpectedFail);  // the rule is listed
  CHECK(r.unexpectedUnits() == std::vector<std::string>{"scenario:scenarios/CB/new.scenario@step-2"});
  RunVerdict v = runVerdict(r);
  CHECK(v.exitCode == 1);
  CHECK(v.word == "FAIL");

  // Without the rule entry, REG-8 fails: not every unit that blames it is listed.
  Manifest units = m;
  units.entries.erase(units.entries.begin());
  computeRuleVerdicts(r, &units);
  CHECK(verdictOf(r, "REG-8") == RuleVerdict::Fail);
  r.scenarios.pop_back();
  computeRuleVerdicts(r, &units);
  CHECK(verdictOf(r, "REG-8") == RuleVerdict::ExpectedFail);  // only listed units blame it
  CHECK(r.rule("REG-8")->manifestReason.empty());
  CHECK(resultsFromJson(toJson(r)).value().scenarios[0].manifestReason == "as REG-8");
}

TEST_CASE("units have stable IDs, and a failure has the ID of the check that failed", "[reports]") {
  ScenarioOutcome s = scenario("scenarios/REG/x.scenario", {"REG-1"}, "pass");
  CHECK(unitId(s) == "scenario:scenarios/REG/x.scenario");
  CHECK(checkId(s).empty());
  s.status = RunOutcome::Diverged;
  s.failedStep = 3;
  CHECK(checkId(s) == "scenario:scenarios/REG/x.scenario@step-3");
  s.status = RunOutcome::Crashed;
  s.failedStep = 0;
  CHECK(checkId(s) == "scenario:scenarios/REG/x.scenario@start");
  PropertyOutcome p;
  p.name = "model-equals-sut";
  p.chunk = 4;
  CHECK(unitId(p) == "property:model-equals-sut#4");
  p.status = RunOutcome::Diverged;
  p.failedCase = 12;
  CHECK(checkId(p) == "property:model-equals-sut#4@case-12");
  p.name = "covering-set";
  p.chunk = 0;
  CHECK(unitId(p) == "covering-set");
  CHECK(checkId(p) == "covering-set@sequence-12");
}

TEST_CASE("results round-trip through JSON", "[reports]") {
  Results r;
  r.run.sutName = "mock";
  r.run.seed = 18446744073709551615ull;  // uint64 max survives
  r.run.capabilities = {{"notifyClsid", false}};
  r.run.evidence = {{"notify-clsid", "E_NOINTERFACE"}};
  r.run.policies.push_back({"OQ-7", "callback-success", "a", "b", true, false});
  r.scenarios.push_back(scenario("a", {"REG-8"}, "diverged", {"REG-8"}, {"CB-2"}));
  r.scenarios[0].counterexample = Counterexample{"s", "A1 CreateJob J1\n", "e", "a", "m", "r", "A1 CreateJob J1\n  -> E_FAIL\n"};
  r.scenarios[0].trace = "A1 CreateJob J1\n  -> E_FAIL\n";
  PropertyOutcome p;
  p.name = "precedence";
  p.seed = 7;
  p.reproduce = "abc";
  r.properties.push_back(p);
  r.complete = true;
  computeRuleVerdicts(r, nullptr);
  auto j = toJson(r);
  CHECK(j["schema"] == "bitsconform-results/3");
  CHECK(j["scenarios"][0]["id"] == "scenario:a");
  CHECK(j["properties"][0]["id"] == "property:precedence#0");
  Results back = resultsFromJson(j).value();
  CHECK(toJson(back) == j);
  CHECK(back.run.seed == r.run.seed);
  CHECK(back.scenarios[0].counterexample->scenarioText == "A1 CreateJob J1\n");
  CHECK(back.rule("CB-2")->verdict == RuleVerdict::Fail);
  CHECK(back.scenarios[0].trace == "A1 CreateJob J1\n  -> E_FAIL\n");
  CHECK(back.scenarios[0].counterexample->trace == "A1 CreateJob J1\n  -> E_FAIL\n");
  REQUIRE(back.rule("CB-2")->witness);
  CHECK(back.rule("CB-2")->witness->source == "scenario a");
  CHECK(back.rule("CB-2")->witness->trace == "A1 CreateJob J1\n  -> E_FAIL\n");
  CHECK(j["rules"][0]["witness"].is_null() == !r.rules[0].witness.has_value());
}

TEST_CASE("results of schema 2 are refused with a message that says why", "[reports]") {
  nlohmann::json old = toJson(Results{});
  old["schema"] = "bitsconform-results/2";
  auto r = resultsFromJson(old);
  REQUIRE_FALSE(r.ok());
  CHECK_THAT(r.message(), Catch::Contains("before per-check IDs") && Catch::Contains("run `bitsconf run` again"));
}

TEST_CASE("a results file of another schema is refused", "[reports]") {
  CHECK(resultsFromJson(nlohmann::json{{"schema", "other/9"}}).message() ==
        "unsupported schema 'other/9' (expected '" + std::string(kResultsSchema) + "')");
  CHECK_FALSE(resultsFromJson(nlohmann::json::array()).ok());
  nlohmann::json bad = toJson(Results{});
  bad["rules"] = nlohmann::json::array({{{"id", "REG-1"}, {"verdict", "maybe"}, {"evidence", nlohmann::json::object()}}});
  CHECK_THAT(resultsFromJson(bad).message(), Catch::Contains("rule REG-1: unknown verdict 'maybe'"));
}

TEST_CASE("a unit whose status is no run outcome is refused, naming the unit and the status", "[reports]") {
  Results r;
  r.scenarios.push_back(scenario("scenarios/a.scenario", {"REG-8"}, "pass"));
  nlohmann::json j = toJson(r);
  REQUIRE(resultsFromJson(j).value().scenarios.at(0).status == RunOutcome::Pass);
  j["scenarios"][0]["status"] = "fail";  // a rule verdict, not a unit's outcome
  auto back = resultsFromJson(j);
  REQUIRE_FALSE(back.ok());
  CHECK_THAT(back.message(), Catch::Contains("scenario scenarios/a.scenario: unknown status 'fail'"));
}

TEST_CASE("results files are replaced atomically", "[reports]") {
  namespace fs = std::filesystem;
  fs::path dir = fs::temp_directory_path() / "bc-results-test";
  fs::remove_all(dir);
  std::string path = (dir / "sub" / "results.json").string();
  Results r;
  r.run.sutName = "first";
  REQUIRE(writeResultsFile(r, path).ok());
  r.run.sutName = "second";
  r.complete = true;
  REQUIRE(writeResultsFile(r, path).ok());
  CHECK_FALSE(fs::exists(path + ".tmp"));
  Results back = readResultsFile(path).value();
  CHECK(back.run.sutName == "second");
  CHECK(back.complete);
  std::ofstream(path) << "{not json";
  CHECK_THAT(readResultsFile(path).message(), Catch::StartsWith(path + ":1:3: not JSON: syntax error"));
  CHECK(readResultsFile((dir / "missing.json").string()).message() == (dir / "missing.json").string() + ": cannot open");
  // A file that is JSON but no results file: the file named, the cause from resultsFromJson.
  std::ofstream(path) << "{\"schema\": \"other/9\"}";
  CHECK_THAT(readResultsFile(path).message(), Catch::StartsWith(path + ": unsupported schema 'other/9'"));
  fs::remove_all(dir);
}

TEST_CASE("the tool reports its version", "[reports]") {
  CHECK_FALSE(toolVersion().empty());
  CHECK(utcTimestamp().size() == 20);
}

namespace bc {
namespace {

TEST_CASE("run coverage without detail: counts and gaps only, kept as they are, and merge says it cannot union",
          "[results]") {
  CoverageInfo c;
  c.present = true;
  c.source = "run";
  c.bound = 5;
  c.reachable = 10;
  c.totalsByRule = {{"REG-3", 4}};
  c.exercised = {{"1|A|0", {"REG-3"}}};
  recomputeCoverage(c);
  c.exercised.clear();
  c.detail = false;
  Results r;
  computeRuleVerdicts(r, nullptr);
  r.coverage = c;
  nlohmann::json j = toJson(r);
  CHECK_FALSE(j["coverage"].contains("exercised"));
  Results back = resultsFromJson(j).value();
  CHECK_FALSE(back.coverage.detail);
  CHECK(back.coverage.covered == 1);
  CHECK(back.coverage.gapsByRule.at("REG-3") == 3);
  CoverageInfo shard = back.coverage;
  auto note = mergeCoverage(back.coverage, shard);
  REQUIRE(note);
  CHECK_THAT(*note, Catch::Contains("lists no exercised transitions"));
  CHECK(back.coverage.covered == 1);  // kept, not recomputed from an empty list
}

}  // namespace
}  // namespace bc

TEST_CASE("path coverage round-trips through the results file, and a merge recomputes its gaps", "[results][coverage]") {
  CoverageInfo c;
  c.present = true;
  c.source = "run";
  c.bound = 5;
  c.reachable = 10;
  c.totalsByRule = {{"REG-3", 4}};
  c.totalsByPath = {{"restart-after-write", 3}, {"event-on-2-jobs", 2}};
  c.exercised = {{"1|A|0", {"REG-3"}, {"restart-after-write"}}};
  recomputeCoverage(c);
  CHECK(c.gapsByPath.at("restart-after-write") == 2);
  CHECK(c.gapsByPath.at("event-on-2-jobs") == 2);
  Results r;
  r.coverage = c;
  Results back = resultsFromJson(toJson(r)).value();
  CHECK(back.coverage.totalsByPath == c.totalsByPath);
  CHECK(back.coverage.gapsByPath == c.gapsByPath);
  REQUIRE(back.coverage.exercised.size() == 1);
  CHECK(back.coverage.exercised[0].paths == std::vector<std::string>{"restart-after-write"});
  CoverageInfo shard = c;
  shard.exercised = {{"2|A|0", {"REG-3"}, {"event-on-2-jobs"}}};
  REQUIRE_FALSE(mergeCoverage(back.coverage, shard));
  CHECK(back.coverage.gapsByPath.at("event-on-2-jobs") == 1);
  CHECK(back.coverage.gapsByPath.at("restart-after-write") == 2);
}
