// run_outcome.cc: the text forms of RunOutcome (results/SCHEMA.md "status").
#include "vocab/run_outcome.h"

#include <array>
#include <ostream>
#include <utility>

namespace bc {

namespace {
constexpr std::array<std::pair<RunOutcome, std::string_view>, 7> kNames{{
    {RunOutcome::Pass, "pass"},
    {RunOutcome::ExpectFailed, "expect-failed"},
    {RunOutcome::Diverged, "diverged"},
    {RunOutcome::NotApplicable, "not-applicable"},
    {RunOutcome::Crashed, "crashed"},
    {RunOutcome::TimedOut, "timed-out"},
    {RunOutcome::ProtocolError, "protocol-error"},
}};
}  // namespace

std::string_view toString(RunOutcome o) {
  for (const auto& [outcome, name] : kNames)
    if (outcome == o) return name;
  return "?";
}

std::ostream& operator<<(std::ostream& os, RunOutcome o) { return os << toString(o); }

std::optional<RunOutcome> parseRunOutcome(std::string_view text) {
  for (const auto& [outcome, name] : kNames)
    if (name == text) return outcome;
  return std::nullopt;
}

}  // namespace bc
