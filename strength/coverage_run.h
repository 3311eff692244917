// coverage_run.h: transition coverage of a whole run, in the results file's form.
//
// RunCoverage explores the model to a bound (the denominator, computed once per run), then counts
// every command sequence the run sends to a SUT (scenarios, property cases and their shrinking)
// by replaying it on the model. recording() wraps a SUT factory for that, so neither the scenario
// runner nor the property suite needs to know. info() gives the CoverageInfo the results file stores (strength_info.h):
// percentage, the exercised triples (so shards can be merged), gaps by rule with example sequences.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "model/model.h"
#include "strength/coverage.h"
#include "strength/explorer.h"
#include "strength/strength_info.h"
#include "sut/sut.h"

namespace bc {

// The bound `bitsconf run` explores to: 10,063 states, 162,948 transitions in about 0.2 s, 1.2 s
// for the whole default run on the mock (bound 6: 1-3.6 s to explore, 6 s in all; docs/performance.md).
inline constexpr int kRunCoverageBound = 5;

// The CoverageInfo of `tracker` against `explored`: examples (with a sequence that exercises each)
// for the `rulesWithExamples` rules with the most gaps, `examplesPerRule` each.
CoverageInfo coverageInfo(const CoverageTracker& tracker, const ExplorerResult& explored, const std::string& source,
                          size_t examplesPerRule = 2, size_t rulesWithExamples = 8);

class RunCoverage {
 public:
  explicit RunCoverage(const ExplorerOptions& options);

  // SUTs from `inner` that, when destroyed, hand the commands they executed to the tracker (run on
  // a model from `config`). Only commands actually sent count: a run stopped at a divergence
  // exercised its prefix.
  SutFactory recording(SutFactory inner, const ModelConfig& config);
  void observe(const std::vector<Command>& commands, const ModelConfig& config);

  const ExplorerResult& explored() const { return explored_; }
  const CoverageTracker& tracker() const { return *tracker_; }
  CoverageInfo info() const;

 private:
  ExplorerOptions options_;
  ExplorerResult explored_;
  std::shared_ptr<CoverageTracker> tracker_;
};

}  // namespace bc
