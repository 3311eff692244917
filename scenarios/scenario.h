// scenario.h: scenario files (.scenario): a readable, documented test case and its runner.
//
// A scenario is a title, the rule IDs it covers, an optional version/policies/origin header and
// a list of steps, each optionally followed by `expect` lines: the complete, ordered list of the
// step's observations. The format is documented in scenarios/FORMAT.md. Parsing never throws:
// bad input gives "file:line:column: message" diagnostics, all of a file's at once.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "model/model.h"
#include "oracle/runner.h"
#include "sut/sut.h"
#include "vocab/command.h"
#include "vocab/observation.h"
#include "vocab/rules.h"
#include "vocab/status.h"

namespace bc {

struct ScenarioStep {
  Command command;
  int line = 0;                     // the step's line in the file
  std::vector<Observation> expect;  // empty: the step's observations are not checked
  std::vector<int> expectLines;     // the line of each expect entry
};

struct Scenario {
  std::string path;
  std::string title;
  std::vector<Rule> rules;
  ModelConfig config;
  // A `version:` header pins the scenario to that BITS version (it is about version
  // differences). Without one the scenario holds for any version: its expect lines are checked
  // on the model at 10.3, and a SUT is compared with the model at the SUT's own version.
  bool versionPinned = false;
  std::string origin;
  std::vector<ScenarioStep> steps;
  std::vector<Command> commands() const;
};

// The largest scenario file read (docs/semantics.md section 11): a readable case is kilobytes.
inline constexpr size_t kMaxScenarioBytes = 16u << 20;

// Parses one file; on errors returns every error found in it (each names `path`, line, column).
Expected<Scenario> parseScenario(std::string_view text, const std::string& path);
// The first step that goes beyond a limit of the test world on the model (Model::stepLimit:
// too many observations, too much timer work), as an error at its line: such a step cannot
// be judged, so the scenario is bad input.
Status checkWorldLimits(const Scenario& s);
// Reads, parses and checks a file (checkWorldLimits); an unreadable file, or one larger than
// kMaxScenarioBytes, is one error naming the file and no line.
Expected<Scenario> loadScenarioFile(const std::string& path);
// Loads every *.scenario under dir recursively (sorted by path); bad files, and folders that
// cannot be read, add their errors to `errors` and are skipped (the walk goes on). A missing dir
// loads nothing and adds nothing.
std::vector<Scenario> loadScenarioTree(const std::string& dir, std::vector<Error>& errors);
// Writes the format back: parseScenario(formatScenario(s)) gives s again (comments are not kept).
std::string formatScenario(const Scenario& s);

struct ScenarioResult {
  RunOutcome kind = RunOutcome::Pass;  // vocab/run_outcome.h
  std::string message;  // human-readable; for ExpectFailed "file:line: expected ..., model gave ..."
  Verdict verdict;      // from oracle/runner.h when run on a SUT (its Evidence: what the run showed)
  // Every rule the model consulted on the scenario: what it is about, for a verdict that is not
  // evidence (not applicable: the SUT could not run it). Never a pass.
  RuleSet consulted;
  std::string trace;    // the SUT's observed trace (formatTrace); "" when the SUT did not run it
  // The 0-based step where it failed: the first expect line the model contradicts, the
  // divergence, or the step a SUT failure ended; -1 when it did not fail (or the SUT failed to start).
  int failedStep = -1;
  bool passed() const { return kind == RunOutcome::Pass; }
};

// Runs the steps on a fresh model and checks every expect line (all mismatches, one per line).
ScenarioResult runScenarioOnModel(const Scenario& s);
// The expect lines on the model, then a fresh SUT against the model step by step, the model
// emulating the SUT's BITS version. A SUT of another version than a pinned scenario's gives
// NotApplicable.
ScenarioResult runScenario(const Scenario& s, const SutFactory& sut);
// A scenario the SUT cannot be run on for `why` (e.g. it cannot be set to the scenario's
// policies): the expect lines are still checked on the model (a wrong one is ExpectFailed);
// otherwise NotApplicable, with the model's rules as coverage only.
ScenarioResult scenarioNotApplicable(const Scenario& s, const std::string& why);
// The same, when the SUT's capabilities are known beforehand (a run probes them once): a
// scenario the SUT cannot run (a missing capability, another pinned version, a story that needs
// a newer version) is NotApplicable without starting a SUT.
ScenarioResult runScenario(const Scenario& s, const SutFactory& sut, const Capabilities* known);

// The scenario as a run set to `run` runs it (`bitsconf run --policy` applies to scenarios too):
// under the run's policies, except those the scenario's `policy:` lines pin and the run does not
// set itself (`setByRun`: the IDs given with --policy). A string instead says why the run cannot
// check it, "policy not exercised: ...": it pins another setting of a policy the run sets, or
// its expect lines hold only under the policies it was written for (they are claims about one
// reading; the run checks another).
std::variant<Scenario, std::string> underRunPolicies(const Scenario& s, const Policies& run,
                                                     const std::vector<std::string>& setByRun);

// The SUT's side of a run recorded with RunOptions::recordTrace: each command in scenario syntax,
// then the SUT's observations indented by two spaces (observation syntax), up to the step where
// it stopped. A `  # ...` comment line marks the diverging step, or the step a SUT failure ended.
std::string formatTrace(const std::vector<Command>& commands, const Verdict& v);

// Which scenarios (by path) cover which rule, from their `rules:` headers; for the reports.
std::map<Rule, std::vector<std::string>> coverageByRule(const std::vector<Scenario>& scenarios);

}  // namespace bc
