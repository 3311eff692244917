// run_outcome.h: the outcome of one unit of checking, the one type every layer uses.
//
// A unit is a scenario, a property case or chunk, or one covering-set sequence. The runner
// (oracle/runner.h) gives it, the scenario runner and the properties pass it on, the results
// file stores its text form (results/SCHEMA.md: a scenario's or property's "status"), and the
// reports read it back with parseRunOutcome. There is no other spelling.
//
//   pass            every check ran and matched
//   expect-failed   a scenario's own expect lines contradict the model (a bug in the scenario
//                   or the model; the SUT is not judged)
//   diverged        the SUT differed from the model: a rule is blamed
//   not-applicable  the SUT lacks the interface, the version or the means to make a step happen
//   crashed, timed-out, protocol-error
//                   the SUT could not go on (sut/sut.h SutFailure); no rule is blamed there
#pragma once

#include <iosfwd>
#include <optional>
#include <string_view>

namespace bc {

enum class RunOutcome : unsigned char { Pass, ExpectFailed, Diverged, NotApplicable, Crashed, TimedOut, ProtocolError };

std::string_view toString(RunOutcome o);
std::ostream& operator<<(std::ostream& os, RunOutcome o);  // its text form
// The text form back; nullopt for any other text (a results file written by something else).
std::optional<RunOutcome> parseRunOutcome(std::string_view text);

// A finding: the unit did not pass and was not merely inapplicable.
constexpr bool isFailure(RunOutcome o) { return o != RunOutcome::Pass && o != RunOutcome::NotApplicable; }
// The SUT could not go on (crashed, hung, spoke garbage): a finding about the SUT, no rule blamed.
constexpr bool isSutFailure(RunOutcome o) {
  return o == RunOutcome::Crashed || o == RunOutcome::TimedOut || o == RunOutcome::ProtocolError;
}

}  // namespace bc
