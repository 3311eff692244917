#include "reports/diff.h"

#include <catch2/catch.hpp>

#include "reports/approval.h"

using namespace bc;
using bc::testing::loadFixture;

TEST_CASE("a rule that passed and now fails is a regression with its replayable case", "[reports][REG-8]") {
  ResultsDiff d = diffResults(loadFixture("baseline.json"), loadFixture("current-regression.json"));
  CHECK(d.hasRegression());
  CHECK(d.exitCode() == 1);
  REQUIRE_FALSE(d.changes.empty());
  const RuleChange& first = d.changes.front();
  CHECK(first.kind == RuleChange::Kind::Regression);
  CHECK(first.rule == "REG-8");
  CHECK(first.from == "pass");
  CHECK(first.to == "fail");
  REQUIRE(first.counterexamples.size() == 1);
  std::string text = formatDiff(d);
  CHECK(text.rfind("REGRESSIONS:\n  REG-8: pass -> fail", 0) == 0);
  CHECK(text.find("replay: bitsconf replay scenarios/reg/late.scenario --sut mock") != std::string::npos);
  CHECK(text.find("A1 SetNotifyInterface J1 o2") != std::string::npos);
  // The scenario's observed trace: what the SUT answered, up to the divergence.
  CHECK(text.find("    from scenario scenarios/reg/late.scenario, what the SUT did\n      A1 CreateJob J1\n        -> S_OK\n") !=
        std::string::npos);
  CHECK(text.find("      A1 SetNotifyInterface J1 o2\n        -> S_OK\n        # differs from the model: ") !=
        std::string::npos);
  // CMD-1's scenario was dropped: a warning, listed after the regressions.
  CHECK(text.find("Lost coverage (warning):\n  FLAG-7: pass -> not-exercised\n  CMD-1: pass -> not-exercised") != std::string::npos);
  CHECK(text.find("REGRESSIONS") < text.find("Lost coverage"));
}

TEST_CASE("a run that only fixes rules and loses coverage exits 0", "[reports]") {
  ResultsDiff d = diffResults(loadFixture("baseline-failing.json"), loadFixture("current-fixed.json"));
  CHECK_FALSE(d.hasRegression());
  CHECK(d.exitCode() == 0);
  std::string text = formatDiff(d);
  CHECK(text.find("Fixes:\n  REG-8: fail -> pass\n  CB-14: fail -> pass") != std::string::npos);
  CHECK(text.find("New coverage:\n  FLAG-7: not-exercised -> pass") != std::string::npos);
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
  CHECK(formatDiff(diffResults(base, base)) == "No rule changed its verdict.\n");
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

TEST_CASE("a current run that crashed everywhere is not 'no regression': exit 3", "[reports]") {
  Results base = loadFixture("baseline.json");
  Results crashed = base;
  for (auto& s : crashed.scenarios) s.status = "crashed", s.checked.clear(), s.failedRules.clear();
  for (auto& p : crashed.properties) p.status = "timed-out", p.checked.clear(), p.failedRules.clear();
  computeRuleVerdicts(crashed, nullptr);  // the rules are blocked by the crash: no rule fails
  ResultsDiff d = diffResults(base, crashed);
  CHECK_FALSE(d.hasRegression());
  CHECK(d.exitCode() == 3);
  std::string text = formatDiff(d);
  CHECK(text.rfind("SUT FAILURES in the current run (its checks stopped there: exit 3):\n  scenario ", 0) == 0);
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
                         "regressed.\n\nNo rule changed its verdict.\n\nResult: the current run cannot vouch for no "
                         "regression.\n");

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
