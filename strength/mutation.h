// mutation.h: the suite's self-check against the mock's mutants (a passing suite proves nothing
// until it is shown to fail on broken implementations).
//
// For each mutant (sut/mutants/mutant.h) the suite's checks run in order, cheapest first: the
// scenario library, the explorer's covering set, the targeted properties, model-equals-sut. The
// first failing check kills the mutant; its counterexample is shrunk (RapidCheck for properties,
// one-command-at-a-time deletion for scenarios and covering sequences). The checks go on until
// some failing check blames every rule the mutant declares it breaks (its blame narrowed by
// probing, oracle/refine.h): then the mutant is diagnosed, as a report of the same checks would
// show those rules failing. The mutation score is killed / total, the diagnosis score
// diagnosed / total; a survivor is a gap in the suite, an undiagnosed mutant a gap in its blame.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "model/model.h"
#include "sut/sut.h"
#include "vocab/command.h"
#include "vocab/rules.h"

namespace bc {

struct MutationOptions {
  std::vector<std::string> mutants;  // names; empty = every mutant
  std::string scenariosDir;          // the scenario library ("" = none)
  int bound = 4;                     // explorer bound for the covering-set check (0 = skip it)
  uint64_t seed = 1;                 // properties' seed (fixed: the self-check is reproducible)
  int cases = 300;                   // RapidCheck cases per property
  double budgetSeconds = 20;         // per mutant: checks stop once it is spent (the mutant survives)
  double minimizeSeconds = 0.5;      // per killed mutant: look for a shorter counterexample in the covering set
  bool everyCheck = false;           // run every kind of check, not only up to the first kill
  std::vector<std::string> checks;   // only these kinds of check (kCheckKinds); empty = all
  // shrink = false keeps the killing sequence as found (a fast score, e.g. in `bitsconf
  // run`); with it, every failing scenario and the covering set's short sequences are shrunk too
  // and the shortest counterexample of all the checks is kept.
  bool shrink = true;
};

// The kinds of check, in the order they run.
inline const std::vector<std::string> kCheckKinds = {"scenarios", "covering-set", "targeted-properties",
                                                     "model-equals-sut"};

struct MutantResult {
  std::string name;
  std::string description;
  bool killed = false;
  double secondsToKill = 0;           // from the start of the mutant's checks to the first failure
  std::string killedBy;               // "scenario CB/cb-1-....scenario", "covering set (bound 4)", "property retries"
  std::vector<Command> counterexample;  // shrunk
  ModelConfig config;                 // the counterexample's version and policies
  std::string failure;                // what diverged (describe(verdict))
  double seconds = 0;                 // total time spent on the mutant
  // Check kind -> seconds from the start of that kind to its first failure; a kind that ran and
  // did not fail is absent (only kinds that ran, i.e. all of them with everyCheck).
  std::map<std::string, double> checkKills;
  std::string counterexampleFrom;     // the check whose shrunk counterexample was the shortest
  std::vector<std::string> breaks;    // the rules the mutant declares it breaks
  RuleSet blamed;                     // every rule the failing checks blamed
  bool diagnosed = false;             // every declared rule is among them
  std::string diagnosedBy;            // the check whose blame completed the diagnosis
  // Non-empty when the counterexample's length is the least this world allows for what it shows,
  // e.g. "job 4 + receiver 1 + failure 1 + tick 1" (see minimalityArgument).
  std::string minimalBecause;
};

// Why no sequence shorter than `cx` can show the same thing, or "" when no such argument holds:
// a delivered job event needs CreateJob, AddFile, Resume and the event (4); a receiver adds 1 (a
// registered server another 1), a failing receiver 1, a retry's Tick 1. Returns the argument only
// when the sum equals cx.size().
std::string minimalityArgument(const std::vector<Command>& cx);

struct MutationReport {
  std::vector<MutantResult> mutants;
  size_t killed = 0;
  double score = 0;          // percent killed (100 with no mutants)
  size_t diagnosed = 0;
  double diagnosisScore = 0; // percent diagnosed (100 with no mutants)
  double medianSecondsToKill = 0;
  double maxSecondsToKill = 0;
  size_t maxCounterexample = 0;
  double seconds = 0;
  std::vector<std::string> survivors() const;
  std::vector<std::string> undiagnosed() const;  // killed or not, whose declared rules were not all blamed
};

// Throws std::invalid_argument for an unknown mutant name.
MutationReport runMutants(const MutationOptions& options);

// The shrinker the mutation check uses, for any failing sequence: deletions (single and pairs),
// merged Ticks, simpler commands, renumbered jobs and apps, while the sequence still fails
// against `sut` (a fresh SUT per try). Never returns a longer sequence.
std::vector<Command> shrinkCounterexample(std::vector<Command> seq, const ModelConfig& config, const SutFactory& sut);

// The mutant names known to the mock, in declaration order.
std::vector<std::string> mutantNameList();

// A table, one line per mutant, then the score: for the CLI and the benchmark.
std::string formatMutationReport(const MutationReport& r);
// With everyCheck: which kind of check alone kills which mutant, and how fast.
std::string formatCheckMatrix(const MutationReport& r);

}  // namespace bc
