// strength_info.h: what suite strength measured, as plain records the results file stores.
//
// Transition coverage (coverage.h, coverage_run.h: reachable transitions of the model's abstract
// state, how many a run exercised, the gaps by rule with a sequence that closes each) and the
// mutation self-check (mutation.h: mutants killed and diagnosed). Written by `bitsconf run`
// (coverage always when the model is available, the mutation score with --mutants or by default
// on the mock) and by `bitsconf explore --results` / `bitsconf mutants --results`; the results
// file (results/results.h) keeps them under the JSON keys "coverage" and "mutation", present
// only when measured.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace bc {

struct CoverageGapExample {
  std::string key;         // the transition's stable key "state-hex|command class|outcome-hex"
  std::string transition;  // described: "<abstract state> | <command> -> <outcome>"
  std::string sequence;    // commands (scenario syntax, one per line) that exercise it from a fresh world
};
struct CoverageRuleGap {
  std::string rule;
  uint64_t uncovered = 0;  // reachable transitions carrying the rule that were not exercised
  uint64_t total = 0;      // reachable transitions carrying the rule
  std::vector<CoverageGapExample> examples;  // a few, each with a sequence that closes it
};
struct CoveredTransition {
  std::string key;
  std::vector<std::string> rules;  // the rules of the model's observations for it
  std::vector<std::string> paths;  // its path classes (strength/coverage.h pathClasses), often none
};
struct CoverageInfo {
  bool present = false;
  std::string source;       // what was measured, e.g. "explorer covering set, bound 6"
  int bound = 0;
  uint64_t reachable = 0;   // reachable (abstract state, command, outcome) transitions
  uint64_t covered = 0;
  double percent = 0;
  std::map<std::string, uint64_t> gapsByRule;  // rule ID -> uncovered transitions carrying it
  // Coverage in every run (empty when written by `bitsconf explore`):
  double exploreSeconds = 0;  // what computing the reachable set cost
  uint64_t steps = 0;         // steps observed (summed over shards)
  std::map<std::string, uint64_t> totalsByRule;  // rule ID -> reachable transitions carrying it
  std::vector<CoverageRuleGap> gaps;             // by rule, most uncovered first
  std::vector<CoveredTransition> exercised;      // the reachable transitions exercised (sorted by key)
  // `exercised` is listed (the JSON key "exercised"): a run writes it only on request
  // (--coverage-detail) or as a shard (merge needs the union); otherwise the counts and gaps above
  // are the coverage (a default run's list alone would be 13 MB).
  bool detail = true;
  // Path coverage: path class ("restart-after-write", ...) -> reachable transitions of it, and of
  // them those not exercised (recomputed with the rules' gaps).
  std::map<std::string, uint64_t> totalsByPath;
  std::map<std::string, uint64_t> gapsByPath;
};
struct MutationInfo {
  bool present = false;
  int killed = 0;
  int total = 0;
  double score = 0;         // percent
  double medianSecondsToKill = 0;
  double maxSecondsToKill = 0;
  std::vector<std::string> survivors;
  // Diagnosis: a mutant is diagnosed when the rule it declares it breaks is reported failing.
  int diagnosed = 0;
  double diagnosisScore = 0;  // percent
  std::vector<std::string> undiagnosed;
  double seconds = 0;           // the self-check's total time
  uint64_t maxCounterexample = 0;
  std::string source;           // e.g. "bitsconf run: scenarios, covering set (bound 4), targeted properties"
};

// Shards of one run: the union of the exercised transitions; percent and gaps recomputed from the
// totals (the reachable set is the same when `source` and `bound` agree). Returns a note when
// they do not (then `into` is kept unchanged).
std::optional<std::string> mergeCoverage(CoverageInfo& into, const CoverageInfo& shard);
// Recomputes covered, percent, gapsByRule and gaps' counts from totalsByRule and exercised; drops
// examples of gaps now exercised. For coverage with totalsByRule only.
void recomputeCoverage(CoverageInfo& c);

}  // namespace bc
