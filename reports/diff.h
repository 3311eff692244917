// diff.h: a baseline results file against the current one, check by check.
//
// As wptrunner and wpt.fyi compare per test and subtest, the diff compares each unit of
// evidence by its stable ID (results.h: unitId, checkId), so a change that makes three passing
// scenarios fail on a rule that already failed is three new failures, not "no change":
//   new failures   a check that fails now and did not fail in the baseline: the unit passed, was
//                  not run, or failed elsewhere (another step or case: the check that fails now
//                  never failed before), or it now blames a rule it did not (exit 1);
//   fixes          failed in the baseline, passes now;
//   lost coverage  passed in the baseline, now not applicable or not run (a warning);
//   new coverage   passes now, did not run (or was not applicable) in the baseline.
// The rules' verdicts are compared too (a rule that now fails unexpectedly is a regression).
// Run parameters that make the two runs check different things (SUT, versions, policies,
// filters, seed, cases, manifest) are warnings: the IDs still match, their meaning may not.
//
// Apart from that, the current run must be able to vouch for "no regression": it fails the
// diff when it is incomplete (interrupted), ran nothing, lost rules the catalog still has, or
// its SUT crashed, hung or spoke garbage (exit 3, as `bitsconf run` would have).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "results/results.h"

namespace bc {

struct RuleChange {
  enum class Kind { Regression, LostCoverage, Fix, NewCoverage, NewRule, Other };
  Kind kind = Kind::Other;
  std::string rule;
  std::string from;  // baseline verdict ("" for a new rule)
  std::string to;
  std::vector<Counterexample> counterexamples;  // Regression: the current failing cases
};

struct UnitChange {
  enum class Kind { NewFailure, Fix, LostCoverage, NewCoverage };
  Kind kind = Kind::NewFailure;
  std::string unit;        // unitId
  std::string from, to;    // the unit's status in the baseline and now; "" when it did not run
  std::string fromCheck;   // the failing checks (checkId), "" when not failing
  std::string toCheck;
  std::vector<std::string> rules;  // NewFailure: what it blames now; Fix: what it blamed
  std::string why;         // NewFailure: "was pass", "fails at step 3, was step 7", "now also blames CB-14"
  bool expected = false;   // NewFailure: the current run's manifest names the unit
  std::optional<Counterexample> counterexample;  // NewFailure: the current case, with its replay line
};

struct ResultsDiff {
  std::vector<UnitChange> units;    // sorted: new failures, fixes, lost coverage, new coverage
  std::vector<RuleChange> changes;  // sorted: regressions, lost coverage, fixes, new coverage, new rules, other
  std::vector<std::string> removedRules;  // in the baseline, no longer in the catalog
  std::vector<std::string> warnings;      // run parameters that differ
  // What makes the current run unable to show that nothing regressed:
  std::vector<std::string> lostRules;     // in the baseline and the catalog, missing from the current results
  std::vector<std::string> sutFailures;   // "scenario:PATH@step-3: crashed"
  bool currentIncomplete = false;         // the current run stopped early (complete: false)
  bool currentRanNothing = false;         // no scenario and no property in the current run
  bool baselineIncomplete = false;        // a warning: the baseline may miss verdicts
  bool hasNewFailure() const;
  bool hasRegression() const;  // a new failing check or a rule that now fails unexpectedly
  bool currentUntrustworthy() const {
    return !lostRules.empty() || !sutFailures.empty() || currentIncomplete || currentRanNothing;
  }
  // 3 when the current run's SUT failed, 1 on a regression or a current run that cannot vouch
  // for none, else 0.
  int exitCode() const { return !sutFailures.empty() ? 3 : hasRegression() || currentUntrustworthy() ? 1 : 0; }
};

ResultsDiff diffResults(const Results& baseline, const Results& current);
// Human-readable: what keeps the current run from vouching, warnings, then new failures (each
// with what the SUT did and its replay line), fixes, lost and new coverage, the rules' changes,
// and the result.
std::string formatDiff(const ResultsDiff& d);
// Machine-readable (`bitsconf diff --json`), schema "bitsconform-diff/1" (results/SCHEMA.md).
nlohmann::json diffToJson(const ResultsDiff& d);

}  // namespace bc
