// checkable_test.cc: the list of rules no check can blame (model/checkable.h) stays true.
//
// The scenario library and the explorer's covering set run against the model itself, every
// check record kept: each catalog rule must be blamed by some record (it is checkable, and the
// suite checks it) or be listed as not checkable with a reason, never both. A rule that drops
// out of every record, or a listed one that a record starts to blame, fails here.
#include <catch2/catch.hpp>

#include "model/checkable.h"
#include "oracle/runner.h"
#include "strength/explorer.h"
#include "sut/registry/model_sut.h"
#include "scenarios/scenario.h"

using namespace bc;

namespace {

RuleSet checkedBy(const std::vector<Command>& seq, const ModelConfig& config) {
  ModelSut sut(config);
  RunOptions o;
  o.recordChecks = true;
  Verdict v = runSequence(seq, config, sut, o);
  REQUIRE(v.passed());
  RuleSet rules;
  for (const Check& c : v.checks) rules.add(c.rules);
  return rules;
}

}  // namespace

TEST_CASE("every rule is blamed by some check of the suite, or listed as not checkable with a reason", "[checkable]") {
  RuleSet checked;
  std::vector<Error> diagnostics;
  const std::vector<Scenario> library = loadScenarioTree(BITSCONFORM_SCENARIOS_DIR, diagnostics);
  REQUIRE(diagnostics.empty());
  REQUIRE(library.size() > 40);
  for (const Scenario& s : library) checked.add(checkedBy(s.commands(), s.config));
  ExplorerOptions eo;
  eo.bound = 4;
  const ExplorerResult explored = explore(eo);
  for (const auto& seq : coverTransitions(explored, eo).sequences) checked.add(checkedBy(seq, eo.config));

  std::string unlistedAndUnchecked, listedButChecked;
  for (const RuleInfo& r : allRules()) {
    const bool listed = notCheckableReason(r.rule).has_value();
    if (!listed && !checked.has(r.rule)) unlistedAndUnchecked += " " + std::string(r.id);
    if (listed && checked.has(r.rule)) listedButChecked += " " + std::string(r.id);
  }
  INFO("no check blames these, and they are not listed as not checkable:" << unlistedAndUnchecked);
  CHECK(unlistedAndUnchecked.empty());
  INFO("listed as not checkable, yet a check blames them:" << listedButChecked);
  CHECK(listedButChecked.empty());
  for (Rule r : notCheckableRules()) CHECK_FALSE(notCheckableReason(r)->empty());
}
