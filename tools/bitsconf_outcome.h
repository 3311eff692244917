// bitsconf_outcome.h: runner results -> the report's plain outcome records.
//
// The one place that turns a ScenarioResult / PropertyRun into a ScenarioOutcome /
// PropertyOutcome with its counterexample (scenario text, expected vs actual, replay line).
#pragma once

#include <functional>
#include <map>
#include <string>

#include "strength/mutation.h"
#include "results/results.h"
#include "scenarios/scenario.h"
#include "vocab/capabilities.h"
#include "properties/suite.h"

namespace bc {

std::map<std::string, bool> capabilityMap(const Capabilities& c);
std::vector<std::string> ruleIds(const RuleSet& rules);
std::vector<std::string> ruleIds(const std::vector<Rule>& rules);
std::string formatObservations(const Observations& obs);
// A shell word: quoted when it holds anything but [A-Za-z0-9_./:=,+-].
std::string shellQuote(const std::string& word);

// What a replay line needs to rebuild a run's SUT and model, so that it reproduces a failure when
// pasted as printed: this bitsconf's absolute path, the --sut spec (mutants and agents included),
// the policies the run set with --policy and its --bits-version.
struct ReplayContext {
  std::string program;                // "" = this executable
  std::string sutSpec = "mock";
  std::vector<std::string> policies;  // "OQ-7b=alt", as the run set them
  std::string bitsVersion;            // "" when the run took the SUT's own
  // "<program> replay <file> --sut ..." for a scenario file (made absolute)
  std::string scenario(const std::string& path) const;
  // "<program> replay --property NAME --reproduce STRING --sut ..."
  std::string property(const std::string& name, const std::string& reproduce) const;
  // A saved counterexample file: it pins its version and policies itself.
  std::string savedScenario(const std::string& path) const;
};
// The absolute path of the running executable.
std::string thisProgram();

ScenarioOutcome scenarioOutcome(const Scenario& s, const ScenarioResult& r, const std::string& scenarioDir,
                                const ReplayContext& replay, double seconds);
PropertyOutcome propertyOutcome(const PropertyRun& r, const std::string& description, const std::vector<Rule>& rules,
                                int chunk, const ReplayContext& replay);
// A minimal failing sequence as a .scenario file: the model's observations as expect lines, its
// version and policies pinned, so `bitsconf replay FILE --sut S` replays exactly it.
std::string counterexampleScenarioText(const std::string& title, const std::string& origin,
                                       const std::vector<std::string>& rules, const std::vector<Command>& commands,
                                       const ModelConfig& config);
// Puts suite-strength figures into a results file (created, with a run header, if missing),
// leaving the rest: `bitsconf mutants --results` and `bitsconf explore --results`. An error names
// the results file and the cause (the caller exits 2).
Status updateResults(const std::string& path, const std::function<void(Results&)>& set);
// The suite-strength record of a mutation self-check (scores, survivors, the undiagnosed).
MutationInfo mutationInfo(const MutationReport& r, const std::string& source);

}  // namespace bc
