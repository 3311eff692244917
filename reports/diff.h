// diff.h: a baseline results file against the current one.
//
// Listed in order of urgency: regressions (a rule that now fails unexpectedly, with the case
// that shows it), lost coverage (was pass, now not exercised / not applicable: a warning), fixes
// (was failing, now passes), new coverage (now passes), then rules new to the catalog.
//
// Apart from the rules, the current run must be able to vouch for "no regression": it fails
// the diff when it is incomplete (interrupted), ran nothing, lost rules the catalog still has,
// or its SUT crashed, hung or spoke garbage (exit 3, as `bitsconf run` would have).
#pragma once

#include <string>
#include <vector>

#include "reports/results.h"

namespace bc {

struct RuleChange {
  enum class Kind { Regression, LostCoverage, Fix, NewCoverage, NewRule, Other };
  Kind kind = Kind::Other;
  std::string rule;
  std::string from;  // baseline verdict ("" for a new rule)
  std::string to;
  std::vector<Counterexample> counterexamples;  // Regression: the current failing cases
};

struct ResultsDiff {
  std::vector<RuleChange> changes;  // sorted: regressions, lost coverage, fixes, new coverage, new rules, other
  std::vector<std::string> removedRules;  // in the baseline, no longer in the catalog
  // What makes the current run unable to show that nothing regressed:
  std::vector<std::string> lostRules;     // in the baseline and the catalog, missing from the current results
  std::vector<std::string> sutFailures;   // "scenario PATH: crashed", "property NAME chunk K: timed-out"
  bool currentIncomplete = false;         // the current run stopped early (complete: false)
  bool currentRanNothing = false;         // no scenario and no property in the current run
  bool baselineIncomplete = false;        // a warning: the baseline may miss verdicts
  bool hasRegression() const;
  bool currentUntrustworthy() const {
    return !lostRules.empty() || !sutFailures.empty() || currentIncomplete || currentRanNothing;
  }
  // 3 when the current run's SUT failed, 1 on a regression or a current run that cannot vouch
  // for one, else 0.
  int exitCode() const { return !sutFailures.empty() ? 3 : hasRegression() || currentUntrustworthy() ? 1 : 0; }
};

ResultsDiff diffResults(const Results& baseline, const Results& current);
// Human-readable, regressions first with their scenario and replay line.
std::string formatDiff(const ResultsDiff& d);

}  // namespace bc
