// Transition coverage of a run: gaps show, a scenario closes one, shards merge to the union.
#include "strength/coverage_run.h"

#include <catch2/catch.hpp>

#include "scenarios/scenario.h"
#include "sut/mock/mock_sut.h"

using namespace bc;

namespace {

SutFactory mockSut() {
  return [] { return std::make_unique<mock::MockSut>(mock::MockOptions{}); };
}

Scenario scenarioOf(const std::string& text) {
  auto parsed = parseScenario(text, "test.scenario");
  if (!parsed.ok()) FAIL(parsed.message());
  return *parsed;
}

const std::string kSmall =
    "scenario: a job is created and filled\nrules: STATE-4\n\nA1 CreateJob J1\nA1 AddFile J1\nA1 Resume J1\n";

uint64_t gapsOf(const CoverageInfo& c, const std::string& rule) {
  auto it = c.gapsByRule.find(rule);
  return it == c.gapsByRule.end() ? 0 : it->second;
}

bool exercised(const CoverageInfo& c, const std::string& key) {
  for (const auto& t : c.exercised)
    if (t.key == key) return true;
  return false;
}

}  // namespace

TEST_CASE("a run with a small scenario set shows gaps by rule: adding the example scenario closes one",
          "[coverage][REG-1]") {
  ExplorerOptions eo;
  eo.bound = 3;
  RunCoverage cov(eo);
  ScenarioResult r = runScenario(scenarioOf(kSmall), cov.recording(mockSut(), ModelConfig{}));
  REQUIRE(r.kind == RunOutcome::Pass);
  CoverageInfo before = cov.info();
  CHECK(before.present);
  CHECK(before.bound == 3);
  CHECK(before.covered == 3);  // the three steps of the scenario, each a reachable transition
  CHECK(before.reachable > 100);
  CHECK(before.percent < 5);
  CHECK(before.steps == 3);
  REQUIRE(!before.gaps.empty());
  // Gaps by rule, with a replayable example for the rules with the most gaps.
  const CoverageRuleGap& top = before.gaps.front();
  CHECK(top.uncovered == gapsOf(before, top.rule));
  CHECK(top.uncovered <= top.total);
  REQUIRE(!top.examples.empty());
  const CoverageGapExample& ex = top.examples.front();
  CHECK(!ex.sequence.empty());
  CHECK(!exercised(before, ex.key));

  // The example, run as a scenario, exercises exactly that gap.
  Scenario closing = scenarioOf("scenario: closes a gap\nrules: " + top.rule + "\n\n" + ex.sequence);
  REQUIRE(runScenario(closing, cov.recording(mockSut(), ModelConfig{})).kind == RunOutcome::Pass);
  CoverageInfo after = cov.info();
  CHECK(exercised(after, ex.key));
  CHECK(after.covered > before.covered);
  CHECK(gapsOf(after, top.rule) < gapsOf(before, top.rule));
  for (const auto& g : after.gaps)
    for (const auto& e : g.examples) CHECK(e.key != ex.key);
}

TEST_CASE("only the commands a SUT executed count (a run stopped early exercised its prefix)", "[coverage]") {
  ExplorerOptions eo;
  eo.bound = 2;
  RunCoverage cov(eo);
  SutFactory f = cov.recording(mockSut(), ModelConfig{});
  {
    auto sut = f();
    Observations out;
    Command c;
    c.kind = CmdKind::CreateJob;
    c.app = 1;
    c.job = 1;
    CHECK(sut->execute(c, out).isDone());
  }
  CHECK(cov.tracker().covered() == 1);
  CHECK(cov.info().steps == 1);
}

TEST_CASE("coverage of shards merges to the union of their exercised transitions", "[coverage]") {
  ExplorerOptions eo;
  eo.bound = 3;
  RunCoverage a(eo), b(eo), both(eo);
  Scenario s1 = scenarioOf(kSmall);
  Scenario s2 = scenarioOf(
      "scenario: flags\nrules: FLAG-1\n\nA1 CreateJob J1\nA1 SetNotifyFlags J1 0x03\nA1 GetNotifyFlags J1\n");
  runScenario(s1, a.recording(mockSut(), {}));
  runScenario(s2, b.recording(mockSut(), {}));
  runScenario(s1, both.recording(mockSut(), {}));
  runScenario(s2, both.recording(mockSut(), {}));
  CoverageInfo merged = a.info();
  REQUIRE(!mergeCoverage(merged, b.info()));
  CoverageInfo direct = both.info();
  CHECK(merged.covered == direct.covered);
  CHECK(merged.covered < a.info().covered + b.info().covered);  // CreateJob J1 from the empty world: in both
  CHECK(merged.percent == Approx(direct.percent));
  CHECK(merged.gapsByRule == direct.gapsByRule);
  CHECK(merged.steps == 6);

  // Coverage measured differently is not mixed.
  ExplorerOptions other;
  other.bound = 2;
  CoverageInfo keep = a.info();
  CHECK(mergeCoverage(keep, RunCoverage(other).info()).has_value());
  CHECK(keep.covered == a.info().covered);
}

TEST_CASE("the recording SUT passes the model's prediction on to the SUT it wraps", "[coverage]") {
  struct Listening : mock::MockSut {
    std::shared_ptr<int> expects = std::make_shared<int>(0);
    void expect(const Observations&) override { ++*expects; }
  };
  auto expects = std::make_shared<int>(0);
  ExplorerOptions eo;
  eo.bound = 2;
  RunCoverage cov(eo);
  SutFactory inner = [expects] {
    auto s = std::make_unique<Listening>();
    s->expects = expects;
    return s;
  };
  ScenarioResult r = runScenario(scenarioOf(kSmall), cov.recording(inner, ModelConfig{}));
  CHECK(r.kind == RunOutcome::Pass);
  CHECK(*expects == 3);  // one per step: an adapter's settle waits for what the model predicts
}

TEST_CASE("a recording SUT still shows its snapshot: coverage never blinds the observation mode", "[coverage][observe]") {
  ExplorerOptions eo;
  eo.bound = 2;
  RunCoverage cov(eo);
  auto sut = cov.recording(mockSut(), ModelConfig{})();
  Observations out;
  Command create;
  create.kind = CmdKind::CreateJob;
  create.app = 1;
  create.job = 1;
  REQUIRE(sut->execute(create, out).isDone());
  WorldSnapshot w;
  REQUIRE(sut->snapshot(w));
  REQUIRE(w.jobs.size() == 1);
  CHECK(w.jobs[0].flags == notify::kDefault);
}

TEST_CASE("path coverage shows its gaps, and a write between two restarts closes one of them", "[coverage][path]") {
  ExplorerOptions eo;
  eo.bound = 4;
  RunCoverage cov(eo);
  REQUIRE(runScenario(scenarioOf(kSmall), cov.recording(mockSut(), ModelConfig{})).kind == RunOutcome::Pass);
  CoverageInfo before = cov.info();
  for (const char* path : {"written-since-restart", "restart-after-write", "event-on-2-jobs"}) {
    INFO(path);
    REQUIRE(before.totalsByPath.count(path));
    CHECK(before.totalsByPath.at(path) > 0);
    CHECK(before.gapsByPath.at(path) == before.totalsByPath.at(path));  // the small scenario takes none
  }
  Scenario twoRestarts = scenarioOf(
      "scenario: a write between two restarts\nrules: FLAG-9\n\nA1 CreateJob J1\nServiceRestart\n"
      "A1 SetNotifyFlags J1 0x0B\nServiceRestart\n");
  REQUIRE(runScenario(twoRestarts, cov.recording(mockSut(), ModelConfig{})).kind == RunOutcome::Pass);
  CoverageInfo after = cov.info();
  CHECK(after.gapsByPath.at("restart-after-write") == before.gapsByPath.at("restart-after-write") - 1);
  CHECK(after.gapsByPath.at("written-since-restart") == before.gapsByPath.at("written-since-restart") - 1);
  CHECK(after.gapsByPath.at("event-on-2-jobs") == before.gapsByPath.at("event-on-2-jobs"));
  // That the results file keeps path coverage: results_test.
}
