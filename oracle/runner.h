// runner.h: apply one command sequence to the model and to a SUT, step by step.
//
// The one place where "the SUT against the model" is decided; the properties, the scenario
// runner and the CLI all use it. Each step is compared (compare.h) and every comparison leaves
// check records: the verdict's Evidence is what the run showed about the rules, and nothing
// else is. The verdict names the first divergent step, what was expected and what happened,
// and the rules it blames. A SUT that throws SutFailure (crashed, timed out, protocol error)
// gives a verdict of that kind; the runner never crashes with it.
//
// A deterministic SUT (Capabilities::exactModification) is compared Exact against one model.
// A real implementation is compared with Latitude against every latitude variant of the
// policies (model/policy.h: where the docs grant latitude, e.g. "at least once"): each step
// keeps the variants the SUT is consistent with, and the verdict says which remained.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "model/model.h"
#include "oracle/check.h"
#include "oracle/compare.h"
#include "sut/sut.h"
#include "vocab/command.h"

namespace bc {

struct Divergence {
  size_t step = 0;  // 0-based index of the step that differed
  Command command;
  Observations expected;
  Observations actual;
  StepComparison comparison;
};

struct Verdict {
  // Pass, Diverged, NotApplicable or a SUT failure (vocab/run_outcome.h); never ExpectFailed.
  RunOutcome kind = RunOutcome::Pass;
  std::optional<Divergence> divergence;  // Diverged
  std::string message;                   // NotApplicable: the missing capability; Sut*: what happened
  size_t stepsRun = 0;
  Evidence evidence;                     // from the check records of the steps compared
  RuleSet consulted;                     // every rule the model consulted on the steps run (not evidence)
  std::vector<Check> checks;             // every record, when RunOptions::recordChecks
  // Latitude: the policy settings the SUT needed where the docs grant latitude ("OQ-20=alt").
  std::vector<std::string> latitudeTaken;
  std::vector<Observations> expectedTrace;  // per step, when recordTrace
  std::vector<Observations> actualTrace;
  std::vector<bool> stepMatched;            // per step, when recordTrace
  bool passed() const { return kind == RunOutcome::Pass; }
};

struct RunOptions {
  bool recordTrace = false;  // keep every step's observations (reports, replays)
  bool stopAtFirstDivergence = true;
  bool recordChecks = false;  // keep every check record (Verdict::checks)
  // The observation mode (observe.h). A SUT that shows its snapshot (a simulated one) is compared
  // with the model field by field after every step: on by default, as cheap as a copy.
  bool observeState = true;
  // A SUT without one (a real BITS) is read with its getters after each environment command and
  // after the last step, every job, as steps of the model and the SUT: off by default (five
  // calls per job). A divergence found so names the getter in its explanation.
  bool observeWithGetters = false;
};

// Runs `commands` on a fresh model (from `config`) and on `sut` (which must be fresh).
// A command the SUT's capabilities do not support gives NotApplicable before anything runs; a
// step the SUT says it cannot make happen (StepResult::unsupported) gives NotApplicable at that
// step, with the steps before it checked; a SutFailure gives outcomeOf(it) there.
Verdict runSequence(const std::vector<Command>& commands, const ModelConfig& config, Sut& sut,
                    const RunOptions& options = {});

// A multi-line, human-readable account of a failing verdict: the sequence in scenario syntax
// up to the divergent step, then expected vs actual and the rule IDs.
std::string describe(const Verdict& v, const std::vector<Command>& commands);

}  // namespace bc
