#include "reports/diff.h"

#include <catch2/catch.hpp>

#include "results/approval.h"
#include "results/manifest.h"

using namespace bc;
using bc::testing::loadFixture;

namespace {
ScenarioOutcome* scenarioOf(Results& r, const std::string& path) {
  for (auto& s : r.scenarios)
    if (s.path == path) return &s;
  return nullptr;
}
// `path` now diverges at `step`, blaming `rules`.
void breakScenario(Results& r, const std::string& path, int step, std::vector<std::string> rules) {
  ScenarioOutcome* s = scenarioOf(r, path);
  REQUIRE(s);
  s->status = RunOutcome::Diverged;
  s->failedStep = step;
  s->failedRules = std::move(rules);
  s->checked.clear();
  s->counterexample = Counterexample{"scenario " + path, "A1 CreateJob J1\n", "-> S_OK", "-> E_FAIL", "differs",
                                     "bitsconf replay " + path + " --sut mock"};
}
}  // namespace

TEST_CASE("a check that passed and now fails is a new failure, with its replayable case, and its rule a regression",
          "[reports][REG-8]") {
  ResultsDiff d = diffResults(loadFixture("baseline.json"), loadFixture("current-regression.json"));
  CHECK(d.hasRegression());
  CHECK(d.exitCode() == 1);
  REQUIRE_FALSE(d.units.empty());
  const UnitChange& unit = d.units.front();
  CHECK(unit.kind == UnitChange::Kind::NewFailure);
  CHECK(unit.toCheck == "scenario:scenarios/reg/late.scenario@step-5");
  CHECK(unit.why == "was pass");
  REQUIRE_FALSE(d.changes.empty());
  const RuleChange& first = d.changes.front();
  CHECK(first.kind == RuleChange::Kind::Regression);
  CHECK(first.rule == "REG-8");
  CHECK(first.from == "pass");
  CHECK(first.to == "fail");
  REQUIRE(first.counterexamples.size() == 1);
  std::string text = formatDiff(d);
  CHECK(text.rfind("NEW FAILURES (checks that did not fail in the baseline):\n"
                   "  scenario:scenarios/reg/late.scenario@step-5: diverged blaming REG-8, CB-14; was pass\n",
                   0) == 0);
  CHECK(text.find("replay: bitsconf replay scenarios/reg/late.scenario --sut mock") != std::string::npos);
  // The scenario's observed trace: what the SUT answered, up to the divergence.
  CHECK(text.find("    from scenario scenarios/reg/late.scenario, what the SUT did\n      A1 CreateJob J1\n        -> S_OK\n") !=
        std::string::npos);
  CHECK(text.find("      A1 SetNotifyInterface J1 o2\n        -> S_OK\n        # differs from the model: ") !=
        std::string::npos);
  // The case is printed once: the rule's regression points at it.
  CHECK(text.find("Rules: REGRESSIONS:\n  REG-8: pass -> fail\n    from scenario:scenarios/reg/late.scenario@step-5 (above)\n") !=
        std::string::npos);
  // CMD-1's scenario was dropped: a warning, after the new failures.
  CHECK(text.find("Lost coverage (warning: passed in the baseline, not checked now):\n"
                  "  scenario:scenarios/cmd/run.scenario: not run, was pass\n") != std::string::npos);
  CHECK(text.find("Rules: lost coverage (warning):\n  FLAG-7: pass -> not-exercised\n  CMD-1: pass -> not-exercised") !=
        std::string::npos);
  CHECK(text.find("NEW FAILURES") < text.find("Lost coverage"));
  CHECK(text.find("Result: regression (1 new failing check(s), 2 rule(s) newly failing).") != std::string::npos);
}

// The issue this diff exists for: once a rule fails (or the manifest lists it), a change that
// breaks more scenarios on it leaves every rule verdict as it was; only the checks show it.
TEST_CASE("new failures blamed on a rule that already failed, or that the manifest lists, are a regression",
          "[reports][REG-8]") {
  Results base = loadFixture("baseline-failing.json");
  Results cur = base;
  breakScenario(cur, "scenarios/flag/invalid.scenario", 2, {"REG-8"});
  computeRuleVerdicts(cur, nullptr);
  REQUIRE(cur.rule("REG-8")->verdict == base.rule("REG-8")->verdict);  // the rules say nothing changed
  ResultsDiff d = diffResults(base, cur);
  CHECK(d.exitCode() == 1);
  REQUIRE(d.units.size() == 1);
  CHECK(d.units[0].kind == UnitChange::Kind::NewFailure);
  CHECK(d.units[0].toCheck == "scenario:scenarios/flag/invalid.scenario@step-2");
  CHECK(formatDiff(d).find("  scenario:scenarios/flag/invalid.scenario@step-2: diverged blaming REG-8; was pass\n") !=
        std::string::npos);

  Manifest m = parseManifest(R"({"expected_failures":[{"rule":"REG-8","reason":"known"},
      {"scenario":"scenarios/reg/late.scenario","reason":"known"}]})", "m.json").value();
  computeRuleVerdicts(base, &m);
  computeRuleVerdicts(cur, &m);
  REQUIRE(cur.rule("REG-8")->verdict == RuleVerdict::ExpectedFail);
  d = diffResults(base, cur);
  CHECK(d.exitCode() == 1);
  REQUIRE(d.units.size() == 1);
  CHECK_FALSE(d.units[0].expected);
  // Listed units are named as such, and still a new failure: the baseline did not fail there.
  m.entries.push_back({"", "known too", "", "scenarios/flag/invalid.scenario", ""});
  computeRuleVerdicts(cur, &m);
  d = diffResults(base, cur);
  CHECK(d.exitCode() == 1);
  CHECK(d.units[0].expected);
  CHECK(formatDiff(d).find("was pass (the manifest lists it)\n") != std::string::npos);
}

TEST_CASE("a failing check at another step, or blaming another rule, is new, and the same failure is no change", "[reports]") {
  Results base = loadFixture("baseline-failing.json");
  CHECK(diffResults(base, base).units.empty());
  CHECK(diffResults(base, base).exitCode() == 0);

  Results earlier = base;
  scenarioOf(earlier, "scenarios/reg/late.scenario")->failedStep = 3;
  ResultsDiff d = diffResults(base, earlier);
  REQUIRE(d.units.size() == 1);
  CHECK(d.units[0].why == "fails at step-3, was step-5");
  CHECK(d.exitCode() == 1);

  Results more = base;
  scenarioOf(more, "scenarios/reg/late.scenario")->failedRules.push_back("CB-15");
  d = diffResults(base, more);
  REQUIRE(d.units.size() == 1);
  CHECK(d.units[0].why == "now also blames CB-15");
  CHECK(d.exitCode() == 1);

  Results fewer = more;
  d = diffResults(more, base);  // blames less now: not new
  CHECK(d.units.empty());
}

TEST_CASE("a run that only fixes checks and loses coverage exits 0", "[reports]") {
  ResultsDiff d = diffResults(loadFixture("baseline-failing.json"), loadFixture("current-fixed.json"));
  CHECK_FALSE(d.hasRegression());
  CHECK(d.exitCode() == 0);
  std::string text = formatDiff(d);
  CHECK(text.rfind("Fixes:\n  scenario:scenarios/reg/late.scenario: passes, was diverged at step-5 (REG-8, CB-14)\n\n"
                   "New coverage:\n  scenario:scenarios/cmd/run.scenario: passes, did not run in the baseline\n",
                   0) == 0);
  CHECK(text.find("Rules: fixes:\n  REG-8: fail -> pass\n  CB-14: fail -> pass") != std::string::npos);
  CHECK(text.find("Rules: new coverage:\n  FLAG-7: not-exercised -> pass") != std::string::npos);
  CHECK(text.find("Result: no regression.") != std::string::npos);

  Results lost = loadFixture("baseline.json");
  for (auto& r : lost.rules)
    if (r.id == "FLAG-4") r.verdict = RuleVerdict::NotApplicable;
  ResultsDiff w = diffResults(loadFixture("baseline.json"), lost);
  CHECK(w.exitCode() == 0);
  REQUIRE(w.changes.size() == 1);
  CHECK(w.changes[0].kind == RuleChange::Kind::LostCoverage);
}

TEST_CASE("an identical run has no changes: new and removed rules are listed", "[reports]") {
  Results base = loadFixture("baseline.json");
  CHECK(formatDiff(diffResults(base, base)) ==
        "No check changed its outcome.\n\nNo rule changed its verdict.\n\nResult: no regression.\n");
  Results older = base;
  older.rules.erase(older.rules.begin());  // REG-1 did not exist in the baseline's catalog
  older.rules.push_back(RuleResult{"OLD-1"});
  ResultsDiff d = diffResults(older, base);
  REQUIRE(d.changes.size() == 1);
  CHECK(d.changes[0].kind == RuleChange::Kind::NewRule);
  CHECK(d.changes[0].rule == "REG-1");
  CHECK(d.removedRules == std::vector<std::string>{"OLD-1"});
  CHECK(d.exitCode() == 0);
}

TEST_CASE("run parameters that differ are warned about before anything else", "[reports]") {
  Results base = loadFixture("baseline.json");
  Results other = base;
  other.run.sutSpec = "agent:./mine";
  other.run.seed = 7;
  other.run.cases = 300;
  other.run.nonDefaultPolicies = {"OQ-7b=alt (SUCCEEDED(hr) counts: S_FALSE delivers)"};
  other.run.ruleFilter = {"REG-8"};
  other.run.bitsVersion = "5.0";
  ResultsDiff d = diffResults(base, other);
  CHECK(d.exitCode() == 0);  // warnings only
  REQUIRE(d.warnings.size() == 6);
  std::string text = formatDiff(d);
  CHECK(text.rfind("Warning: the runs differ in SUT: 'mock' (baseline) vs 'agent:./mine' (current): the same checks "
                   "ran on another implementation\n",
                   0) == 0);
  for (const char* what : {"in BITS version: '10.3' (baseline) vs '5.0'", "in policies: '' (baseline) vs 'OQ-7b=alt",
                           "in rule filter: '' (baseline) vs 'REG-8'", "in seed: '42' (baseline) vs '7'",
                           "in cases per property: '100' (baseline) vs '300'"})
    CHECK(text.find(what) != std::string::npos);
}

TEST_CASE("the diff as JSON names every changed check and rule, with the exit code", "[reports][REG-8]") {
  nlohmann::json j = diffToJson(diffResults(loadFixture("baseline.json"), loadFixture("current-regression.json")));
  CHECK(j["schema"] == "bitsconform-diff/1");
  CHECK(j["exit_code"] == 1);
  CHECK(j["result"] == "regression (1 new failing check(s), 2 rule(s) newly failing)");
  REQUIRE(j["units"].size() == 2);
  CHECK(j["units"][0]["kind"] == "new-failure");
  CHECK(j["units"][0]["to_check"] == "scenario:scenarios/reg/late.scenario@step-5");
  CHECK(j["units"][0]["rules"] == nlohmann::json::array({"REG-8", "CB-14"}));
  CHECK(j["units"][0]["replay"] == "bitsconf replay scenarios/reg/late.scenario --sut mock");
  CHECK(j["units"][1]["kind"] == "lost-coverage");
  CHECK(j["rules"][0] == nlohmann::json({{"kind", "regression"}, {"rule", "REG-8"}, {"from", "pass"}, {"to", "fail"},
                                        {"counterexamples", {{{"check", "scenario:scenarios/reg/late.scenario@step-5"},
                                                              {"replay", "bitsconf replay scenarios/reg/late.scenario --sut mock"}}}}}));
}

TEST_CASE("a current run that crashed everywhere is not 'no regression': exit 3", "[reports]") {
  Results base = loadFixture("baseline.json");
  Results crashed = base;
  for (auto& s : crashed.scenarios) s.status = RunOutcome::Crashed, s.checked.clear(), s.failedRules.clear();
  for (auto& p : crashed.properties) p.status = RunOutcome::TimedOut, p.checked.clear(), p.failedRules.clear();
  computeRuleVerdicts(crashed, nullptr);  // the rules are blocked by the crash: no rule fails
  ResultsDiff d = diffResults(base, crashed);
  CHECK_FALSE(d.hasRegression());
  CHECK(d.exitCode() == 3);
  std::string text = formatDiff(d);
  CHECK(text.rfind("SUT FAILURES in the current run (its checks stopped there: exit 3):\n  scenario:", 0) == 0);
  CHECK(text.find("Result: the SUT failed in the current run.") != std::string::npos);
  CHECK(text.find("Result: no regression.") == std::string::npos);
}

TEST_CASE("an incomplete, empty or truncated current run cannot vouch for no regression: exit 1", "[reports]") {
  Results base = loadFixture("baseline.json");
  REQUIRE(base.complete);

  Results interrupted = base;
  interrupted.complete = false;
  ResultsDiff i = diffResults(base, interrupted);
  CHECK(i.changes.empty());
  CHECK(i.exitCode() == 1);
  CHECK(formatDiff(i) == "INCOMPLETE: the current run stopped early (complete: false); it cannot show that nothing "
                         "regressed.\n\nNo check changed its outcome.\n\nNo rule changed its verdict.\n\nResult: the "
                         "current run cannot vouch for no regression.\n");

  Results empty = base;
  empty.scenarios.clear();
  empty.properties.clear();
  computeRuleVerdicts(empty, nullptr);
  ResultsDiff e = diffResults(base, empty);
  CHECK(e.exitCode() == 1);
  CHECK(formatDiff(e).find("NOTHING RAN: the current run has no scenario and no property.") == 0);

  Results truncated = base;
  truncated.rules.clear();  // a results file with no rules at all
  ResultsDiff t = diffResults(base, truncated);
  CHECK(t.lostRules.size() == base.rules.size());
  CHECK(t.removedRules.empty());
  CHECK(t.exitCode() == 1);
  CHECK(formatDiff(t).find("LOST RULES: in the baseline and the catalog, missing from the current results: REG-1 ") !=
        std::string::npos);

  Results baseInterrupted = base;
  baseInterrupted.complete = false;
  ResultsDiff w = diffResults(baseInterrupted, base);
  CHECK(w.exitCode() == 0);  // only a warning
  CHECK(formatDiff(w).find("Warning: the baseline run stopped early") == 0);
}
