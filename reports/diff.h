// diff.h: a baseline results file against the current one.
//
// Listed in order of urgency: regressions (a rule that now fails unexpectedly, with the case
// that shows it), lost coverage (was pass, now not exercised / not applicable: a warning), fixes
// (was failing, now passes), new coverage (now passes), then rules new to the catalog. exitCode: 1 on any regression, else 0.
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
  bool hasRegression() const;
  int exitCode() const { return hasRegression() ? 1 : 0; }
};

ResultsDiff diffResults(const Results& baseline, const Results& current);
// Human-readable, regressions first with their scenario and replay line.
std::string formatDiff(const ResultsDiff& d);

}  // namespace bc
