// check.h: the unit of evidence. One record per check the comparison ran.
//
// A verdict on a rule is derived from these records only (reports/verdicts): a rule passes
// where at least one record that would have blamed it ran and matched and none failed; it
// fails where a record that blames it failed. What the model merely consulted to predict a
// step is explanation, never evidence (Microsoft's protocol test suites call this capturing a
// requirement; here it happens by construction, at the comparison).
#pragma once

#include <array>
#include <bitset>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "vocab/command.h"
#include "vocab/rules.h"

namespace bc {

struct Check {
  enum class Kind : uint8_t {
    Observed,          // an observation the model predicted, compared with the SUT's
    Withheld,          // a delivery the model decided against, looked for among the SUT's
    Modification,      // a JobModification a real SUT made, checked against the flags
    ModificationOwed,  // a JobModification the model owes, looked for on a real SUT
    Snapshot,          // a job's field after the step, compared with the model's (observe.h)
  };
  Kind kind = Kind::Observed;
  uint32_t step = 0;  // 0-based step of the sequence
  RuleSet rules;      // the rules a mismatch blames (empty: a harness rule of the test world)
  bool matched = true;
  // A call the model refuses for its arguments or the job's state (E_NOTIMPL for invalid flags,
  // BG_E_INVALID_STATE in a final state, ...): evidence only where the same call was also seen
  // to succeed, since an implementation that refuses everything refuses the right things too.
  std::optional<CmdKind> refusalOf;
  std::optional<CmdKind> accepted;  // an API call that succeeded as the model said
};
std::string_view toString(Check::Kind k);  // "observed", "withheld", "modification", "modification-owed", "snapshot"

// What a sequence of checks says about the rules: the union of the rules of the records that
// matched (refusals only of calls also seen to succeed), and of those that failed.
struct Evidence {
  RuleSet confirmed;  // matching records that stand on their own
  std::array<RuleSet, kCmdKindCount> refusals{};  // matching refusals, by the call refused
  std::bitset<kCmdKindCount> accepted;            // calls seen to succeed
  RuleSet failed;     // some failing record blames each of these
  uint64_t checks = 0;
  uint64_t failures = 0;
  bool unattributed = false;  // a failing record blamed no rule (a harness rule of the world)

  // Some matching record that counts would have blamed each of these.
  RuleSet checked() const {
    RuleSet r = confirmed;
    for (size_t k = 0; k < refusals.size(); ++k)
      if (accepted.test(k)) r.add(refusals[k]);
    return r;
  }
  void add(const Check& c) {
    ++checks;
    if (c.matched) {
      if (c.accepted) accepted.set(static_cast<size_t>(*c.accepted));
      (c.refusalOf ? refusals[static_cast<size_t>(*c.refusalOf)] : confirmed).add(c.rules);
      return;
    }
    ++failures;
    failed.add(c.rules);
    if (c.rules.empty()) unattributed = true;
  }
  void add(const Evidence& e) {
    confirmed.add(e.confirmed);
    for (size_t k = 0; k < refusals.size(); ++k) refusals[k].add(e.refusals[k]);
    accepted |= e.accepted;
    failed.add(e.failed);
    checks += e.checks;
    failures += e.failures;
    unattributed = unattributed || e.unattributed;
  }
};

}  // namespace bc
