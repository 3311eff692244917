// What the renderers make of the results layer's records: witnesses, suite strength, coverage.
#include <catch2/catch.hpp>

#include "model/checkable.h"
#include "reports/render.h"
#include "results/manifest.h"
#include "results/results.h"
#include "results/results_testing.h"
#include "vocab/rules.h"

using namespace bc;
using namespace bc::testing;

TEST_CASE("each verdict's witness is the first scenario by path that supports it", "[reports][REG-8]") {
  Manifest m = parseManifest(R"({"implementation":"x","expected_failures":[{"rule":"REG-9","reason":"known"}]})",
                             "x.json").value();
  Results r;
  // The runner names capabilities "virtual-time"; the real adapter keys its evidence "virtualTime".
  r.run.evidence = {{"notify-clsid", "QueryInterface(IBackgroundCopyJob5) = E_NOINTERFACE"}, {"virtualTime", "real clock"}};
  auto traced = [](ScenarioOutcome s) {
    s.trace = "trace of " + s.path + "\n";
    return s;
  };
  // Out of path order on purpose: the witness is chosen by path.
  r.scenarios.push_back(traced(scenario("z/pass.scenario", {"REG-8"}, "pass", {"REG-8", "EVT-1"})));
  r.scenarios.push_back(traced(scenario("b/pass.scenario", {"REG-8"}, "pass", {"REG-8"})));
  // First by path and passing, but about another rule: a scenario about REG-8 is the better witness.
  r.scenarios.push_back(traced(scenario("a/other.scenario", {"EVT-3"}, "pass", {"EVT-3", "REG-8", "EVT-1"})));
  r.scenarios.push_back(traced(scenario("a/fail.scenario", {"REG-8", "CB-2"}, "diverged", {"REG-8"}, {"CB-2"})));
  r.scenarios.push_back(traced(scenario("c/fail.scenario", {"REG-9"}, "diverged", {}, {"REG-9"})));
  r.scenarios.push_back(traced(scenario("d/late.scenario", {"CB-14"}, "diverged", {"CB-14"}, {"CB-3"})));
  ScenarioOutcome na = scenario("e/clsid.scenario", {"CLSID-1"}, "not-applicable");
  na.message = "e/clsid.scenario: verdict: not-applicable (needs capability 'notify-clsid' for 'A1 SetNotifyClsid J1 "
               "ClsidA')";
  r.scenarios.push_back(na);
  ScenarioOutcome old = scenario("f/old.scenario", {"CLSID-2"}, "not-applicable");
  old.message = "f/old.scenario: the scenario emulates BITS 10.3, 'x' is BITS 4.0";  // names no capability
  r.scenarios.push_back(old);
  ScenarioOutcome tick = scenario("g/tick.scenario", {"LIFE-4"}, "not-applicable");
  tick.message = "g/tick.scenario: verdict: not-applicable (needs capability 'virtual-time' for 'Tick 600000')\n";
  r.scenarios.push_back(tick);
  PropertyOutcome p;
  p.name = "precedence";
  p.checked = {"DISP-1"};
  p.status = RunOutcome::Diverged;
  p.failedRules = {"DISP-2"};
  r.properties.push_back(p);
  computeRuleVerdicts(r, &m);

  // pass: the first passing scenario by path about the rule, not the failing one that also
  // exercised it, nor an earlier passing one about another rule.
  REQUIRE(r.rule("REG-8")->witness);
  CHECK(r.rule("REG-8")->witness->source == "scenario b/pass.scenario");
  CHECK(r.rule("REG-8")->witness->scenario == "b/pass.scenario");
  CHECK(r.rule("REG-8")->witness->trace == "trace of b/pass.scenario\n");
  CHECK(r.rule("EVT-1")->witness->source == "scenario a/other.scenario");  // no scenario is about EVT-1
  // pass by a matched step of a scenario that diverged later: that scenario is the witness.
  REQUIRE(r.rule("CB-14")->verdict == RuleVerdict::Pass);
  CHECK(r.rule("CB-14")->witness->source == "scenario d/late.scenario");
  // fail / expected-fail: the failing scenario that blames it.
  CHECK(r.rule("CB-2")->witness->source == "scenario a/fail.scenario");
  REQUIRE(r.rule("REG-9")->verdict == RuleVerdict::ExpectedFail);
  CHECK(r.rule("REG-9")->witness->trace == "trace of c/fail.scenario\n");
  // Properties only: no witness, and the renderers say so.
  CHECK(r.rule("DISP-1")->verdict == RuleVerdict::Pass);
  CHECK_FALSE(r.rule("DISP-1")->witness);
  CHECK_FALSE(r.rule("DISP-2")->witness);
  CHECK(witnessLabel(*r.rule("DISP-2")) == "properties only");
  // Not applicable: the evidence for the capability the scenario was refused for.
  REQUIRE(r.rule("CLSID-1")->witness);
  CHECK(r.rule("CLSID-1")->witness->source == "capability notify-clsid");
  CHECK(r.rule("CLSID-1")->witness->scenario == "e/clsid.scenario");
  CHECK(r.rule("CLSID-1")->witness->trace == "QueryInterface(IBackgroundCopyJob5) = E_NOINTERFACE");
  CHECK(r.rule("CLSID-2")->verdict == RuleVerdict::NotApplicable);
  CHECK_FALSE(r.rule("CLSID-2")->witness);
  REQUIRE(r.rule("LIFE-4")->witness);
  CHECK(r.rule("LIFE-4")->witness->source == "capability virtual-time");
  CHECK(r.rule("LIFE-4")->witness->trace == "real clock");
  CHECK(witnessLabel(*r.rule("LIFE-4")) == "capability virtual-time: real clock");
  // Blocked and not-exercised rules have none.
  CHECK_FALSE(r.rule("REG-1")->witness);
  computeRuleVerdicts(r, &m);  // idempotent
  CHECK(r.rule("REG-8")->witness->source == "scenario b/pass.scenario");
}

TEST_CASE("suite strength (coverage, mutation score) round-trips and renders only when present", "[results]") {
  Results r;
  computeRuleVerdicts(r, nullptr);
  CHECK(!toJson(r).contains("coverage"));
  CHECK(!toJson(r).contains("mutation"));
  CHECK(renderMarkdown({r}).find("Mutation score") == std::string::npos);
  r.coverage = {true, "explorer covering set, bound 4", 4, 100, 97, 97.0, {{"REG-3", 2}}};
  r.mutation = {true, 24, 25, 96.0, 0.007, 0.03, {"flag-bit-ignored"}};
  Results back = resultsFromJson(toJson(r)).value();
  CHECK(back.coverage.covered == 97);
  CHECK(back.coverage.gapsByRule.at("REG-3") == 2);
  CHECK(back.mutation.survivors == std::vector<std::string>{"flag-bit-ignored"});
  CHECK(back.mutation.score == 96.0);
  std::string md = renderMarkdown({back});
  CHECK(md.find("| Transition coverage | 97.0% (97/100 transitions") != std::string::npos);
  CHECK(md.find("| Mutation score | 96.0% (24/25 mutants killed") != std::string::npos);
  CHECK(md.find("survived: flag-bit-ignored") != std::string::npos);
  CHECK(renderHtml({back}).find("Mutation score") != std::string::npos);
}

TEST_CASE("run coverage: gaps by rule with examples round-trip, render as a section, and merge by union",
          "[results]") {
  CoverageInfo c;
  c.present = true;
  c.source = "run";
  c.bound = 5;
  c.reachable = 10;
  c.totalsByRule = {{"REG-3", 4}, {"CB-1", 2}};
  c.exercised = {{"1|A|0", {"REG-3"}}, {"2|A|0", {"REG-3", "CB-1"}}};
  c.gaps = {{"REG-3", 0, 4, {{"3|A|0", "J1{-} | A -> S_OK", "A1 CreateJob J1\n"}}}};
  c.steps = 7;
  recomputeCoverage(c);
  CHECK(c.covered == 2);
  CHECK(c.percent == 20.0);
  CHECK(c.gapsByRule == std::map<std::string, uint64_t>{{"REG-3", 2}, {"CB-1", 1}});
  REQUIRE(c.gaps.size() == 2);
  CHECK(c.gaps[0].rule == "REG-3");  // most uncovered first
  CHECK(c.gaps[0].uncovered == 2);

  Results r;
  computeRuleVerdicts(r, nullptr);
  r.coverage = c;
  Results back = resultsFromJson(toJson(r)).value();
  CHECK(back.coverage.exercised.size() == 2);
  CHECK(back.coverage.totalsByRule == c.totalsByRule);
  CHECK(back.coverage.gaps[0].examples[0].sequence == "A1 CreateJob J1\n");
  std::string md = renderMarkdown({back});
  CHECK(md.find("## Coverage gaps") != std::string::npos);
  CHECK(md.find("| REG-3 | 2 | 4 |") != std::string::npos);
  CHECK(md.find("a scenario that closes it:\n\n```\nA1 CreateJob J1\n```") != std::string::npos);
  std::string html = renderHtml({back});
  CHECK(html.find("<h2>Coverage gaps</h2>") != std::string::npos);
  CHECK(html.find("<pre>A1 CreateJob J1\n</pre>") != std::string::npos);

  // A second shard exercised the example's transition: the union closes it.
  CoverageInfo other = c;
  other.exercised = {{"3|A|0", {"REG-3"}}, {"1|A|0", {"REG-3"}}};
  other.steps = 3;
  REQUIRE(!mergeCoverage(back.coverage, other));
  CHECK(back.coverage.covered == 3);
  CHECK(back.coverage.steps == 10);
  CHECK(back.coverage.gapsByRule.at("REG-3") == 1);
  CHECK(back.coverage.gaps[0].examples.empty());
  other.bound = 4;
  CHECK(mergeCoverage(back.coverage, other).has_value());
}

