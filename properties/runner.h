// runner.h: apply one command sequence to the model and to a SUT, step by step.
//
// The one place where "the SUT against the model" is decided; the properties, the scenario
// runner and the CLI all use it. The verdict names the first divergent step, what was
// expected and what happened, and the rules involved. A SUT that throws SutFailure (crashed,
// timed out, protocol error) gives a verdict of that kind; the runner never crashes with it.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "model/model.h"
#include "properties/compare.h"
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
  enum class Kind { Pass, Fail, NotApplicable, SutCrashed, SutTimedOut, SutProtocolError };
  Kind kind = Kind::Pass;
  std::optional<Divergence> divergence;  // Fail
  std::string message;                   // NotApplicable: the missing capability; Sut*: what happened
  size_t stepsRun = 0;
  RuleSet exercised;                     // union of the rules on the model's observations
  std::vector<Observations> expectedTrace;  // per step, when recordTrace
  std::vector<Observations> actualTrace;
  bool passed() const { return kind == Kind::Pass; }
};
std::string_view toString(Verdict::Kind k);  // "pass", "fail", "not-applicable", "crashed", ...

struct RunOptions {
  bool recordTrace = false;  // keep every step's observations (reports, replays)
  bool stopAtFirstDivergence = true;
};

// Runs `commands` on a fresh model (from `config`) and on `sut` (which must be fresh).
// A command the SUT's capabilities do not support gives NotApplicable before anything runs; a
// step the SUT says it cannot make happen (SutFailure::Kind::Unsupported) gives NotApplicable
// at that step, with the steps before it exercised.
Verdict runSequence(const std::vector<Command>& commands, const ModelConfig& config, Sut& sut,
                    const RunOptions& options = {});

// A multi-line, human-readable account of a failing verdict: the sequence in scenario syntax
// up to the divergent step, then expected vs actual and the rule IDs.
std::string describe(const Verdict& v, const std::vector<Command>& commands);

}  // namespace bc
