#include "strength/coverage_run.h"

#include <algorithm>

#include <fmt/core.h>

#include "vocab/command_text.h"

namespace bc {

namespace {

// Forwards to the real SUT and remembers what it was asked to do.
class RecordingSut : public Sut {
 public:
  RecordingSut(std::unique_ptr<Sut> inner, std::shared_ptr<CoverageTracker> tracker, ModelConfig config)
      : inner_(std::move(inner)), tracker_(std::move(tracker)), config_(std::move(config)) {}
  ~RecordingSut() override {
    if (!commands_.empty()) tracker_->observeSequence(commands_, config_);
  }
  const Capabilities& capabilities() const override { return inner_->capabilities(); }
  StepResult execute(const Command& command, Observations& out) override {
    commands_.push_back(command);
    return inner_->execute(command, out);
  }
  void expect(const Observations& predicted) override { inner_->expect(predicted); }  // a real SUT's settle needs it
  bool snapshot(WorldSnapshot& out) const override { return inner_->snapshot(out); }  // the observation mode's

 private:
  std::unique_ptr<Sut> inner_;
  std::shared_ptr<CoverageTracker> tracker_;
  ModelConfig config_;
  std::vector<Command> commands_;
};

}  // namespace

CoverageInfo coverageInfo(const CoverageTracker& tracker, const ExplorerResult& explored, const std::string& source,
                          size_t examplesPerRule, size_t rulesWithExamples) {
  CoverageSummary sum = tracker.summary(0);
  CoverageInfo c;
  c.present = true;
  c.source = source;
  c.bound = explored.bound;
  c.reachable = sum.reachable;
  c.exploreSeconds = explored.seconds;
  c.steps = sum.steps;
  for (const auto& [k, rules] : *explored.reachable) {
    for (Rule r : rules.list()) ++c.totalsByRule[std::string(idOf(r))];
    for (std::string_view p : pathClasses(k)) ++c.totalsByPath[std::string(p)];
  }
  for (const auto& [k, rules] : tracker.coveredTransitions()) {
    CoveredTransition t{keyText(k), {}, {}};
    for (Rule r : rules.list()) t.rules.emplace_back(idOf(r));
    for (std::string_view p : pathClasses(k)) t.paths.emplace_back(p);
    c.exercised.push_back(std::move(t));
  }
  size_t withExamples = 0;
  for (const RuleGap& g : sum.gaps) {
    CoverageRuleGap gap{std::string(idOf(g.rule)), g.uncovered, g.total, {}};
    if (withExamples++ < rulesWithExamples)
      for (const TransitionKey& k : tracker.uncovered(g.rule)) {
        if (gap.examples.size() == examplesPerRule) break;
        std::string text;
        for (const Command& cmd : exampleSequence(explored, k)) text += formatCommand(cmd) + "\n";
        gap.examples.push_back({keyText(k), describe(k), text});
      }
    c.gaps.push_back(std::move(gap));
  }
  recomputeCoverage(c);  // one definition of covered, percent and gaps_by_rule, shared with merge
  return c;
}

RunCoverage::RunCoverage(const ExplorerOptions& options)
    : options_(options), explored_(explore(options)), tracker_(std::make_shared<CoverageTracker>(explored_.reachable)) {}

SutFactory RunCoverage::recording(SutFactory inner, const ModelConfig& config) {
  return [inner = std::move(inner), tracker = tracker_, config]() -> std::unique_ptr<Sut> {
    return std::make_unique<RecordingSut>(inner(), tracker, config);
  };
}

void RunCoverage::observe(const std::vector<Command>& commands, const ModelConfig& config) {
  tracker_->observeSequence(commands, config);
}

CoverageInfo RunCoverage::info() const {
  return coverageInfo(*tracker_, explored_,
                      fmt::format("every scenario and property case of this run, replayed on the model; reachable "
                                  "set: explorer bound {}, {} jobs, {} abstract states",
                                  options_.bound, options_.jobs, explored_.states));
}

}  // namespace bc
