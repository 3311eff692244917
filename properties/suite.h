// suite.h: the property suite, independent of any test framework (the CLI and the Catch2 tests
// both run it).
//
// runProperty checks one named property with RapidCheck against fresh SUTs from `sut`, compared
// step by step with the model (runner.h). A failure is shrunk to a minimal command sequence and
// comes back with the seed, RapidCheck's reproduce string, a one-line replay command, the
// runner's description (expected vs actual, rule IDs) and, when foundDir is set, the path of the
// .scenario file it was saved to (scenarios/found/ convention, see README.md).
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "model/model.h"
#include "sut/sut.h"
#include "vocab/command.h"
#include "vocab/rules.h"
#include "vocab/status.h"

namespace bc {

struct PropertyInfo {
  std::string name;
  std::string description;
  std::vector<Rule> rules;
};
// "model-equals-sut", "deep-worlds" (worlds.h), the targeted properties (targeted.h), "determinism".
std::vector<PropertyInfo> allProperties();

struct PropertyOptions {
  uint64_t seed = 0;  // 0: a fresh random seed (reported in PropertyRun::seed)
  int cases = 100;    // RapidCheck max_success
  int maxSize = 40;   // RapidCheck max_size: about the longest command sequence generated
  std::string foundDir;  // where to save a failure's minimal scenario; "" = do not save (nor when replaying)
  bool quiet = true;     // false: print the seed and, on failure, the report to stderr
  std::string reproduce;      // replay exactly this failure (PropertyRun::reproduce) instead of searching
  std::string sutSpec;        // the SUT's registry name, for the replay line (BITSCONFORM_SUT=...)
  std::string replayProgram;  // the replay line's program; "" = this executable (a Catch2 test binary
                              // whose TEST_CASE is named after the property)
  double shrinkBudgetSeconds = 0;  // > 0: stop shrinking this long after the first failure (slow SUTs)
  // The replay line for a failure's reproduce string; unset: the Catch2 form above (RC_PARAMS=...
  // PROGRAM "NAME"). `bitsconf run` sets its own (`bitsconf replay --property ...`).
  std::function<std::string(const std::string& reproduce)> replayLine;
};

struct PropertyRun {
  std::string name;
  // Pass, Diverged, NotApplicable (no case could run) or the SUT's failure (vocab/run_outcome.h).
  RunOutcome outcome = RunOutcome::Pass;
  uint64_t seed = 0;
  int casesRun = 0;
  uint64_t commandsRun = 0;
  std::vector<Command> counterexample;  // the shrunk minimal failing sequence
  std::string reproduce;                // the RapidCheck reproduce string (for RC_PARAMS)
  std::string replayCommand;            // one line that replays exactly this failure
  std::string failure;                  // describe(verdict) of the minimal case ("not applicable: ..." when skipped)
  std::string savedScenario;            // path of the saved .scenario file ("" if none)
  RuleSet checked;      // rules a matching check record would have blamed, over every case run
  RuleSet failedRules;  // what the minimal counterexample blames
  int failingCase = 0;  // the 1-based case (of those generated) whose failure was shrunk; 0: none
  Observations expected, actual;  // at the minimal counterexample's divergent step (a model divergence)
  double seconds = 0;
  bool passed() const { return !isFailure(outcome); }  // no finding (not applicable is none)
};

// Throws std::invalid_argument for an unknown property name.
PropertyRun runProperty(const std::string& name, const SutFactory& sut, const ModelConfig& config,
                        const PropertyOptions& options);

// Why `reproduce` cannot replay a failure of `property` (not a RapidCheck reproduce string, or
// one for other properties: it would reproduce nothing and "pass"); ok when it can.
Status reproduceProblem(const std::string& property, const std::string& reproduce);

// The text of a .scenario file for a found counterexample: the model's observations as expect
// lines, `origin: property NAME seed=N`. Used by runProperty; public for tests and the CLI.
std::string foundScenarioText(const std::string& property, uint64_t seed, const std::vector<Command>& commands,
                              const ModelConfig& config, const RuleSet& rules, const std::string& replayCommand);

}  // namespace bc
