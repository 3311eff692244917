// An in-process SUT: implement bc::Sut, then run the scenario library against it.
//
// MySut wraps the reference model (bc::Model) so that it passes; put your own BITS emulation
// behind the same three members. Exit status: 0 when every applicable scenario passes.
#include <cstdio>
#include <map>
#include <memory>
#include <string>

#include "model/model.h"
#include "scenarios/scenario.h"
#include "sut/sut.h"

namespace {

class MySut : public bc::Sut {
 public:
  explicit MySut(const bc::ModelConfig& config) : model_(config) {
    caps_.name = "inprocess-example";
    caps_.description = "the reference model behind bc::Sut";
    caps_.version = config.version;  // every capability stays true: the model drives everything
  }
  const bc::Capabilities& capabilities() const override { return caps_; }
  // The model makes every step happen; an implementation that cannot make one happen as the
  // world defines it returns bc::StepResult::unsupported(why) (the sequence is not applicable).
  bc::StepResult execute(const bc::Command& command, bc::Observations& out) override {
    model_.step(command, out);
    return bc::StepResult::done();
  }

 private:
  bc::Model model_;
  bc::Capabilities caps_;
};

}  // namespace

int main(int argc, char** argv) {
  std::string dir = argc > 1 ? argv[1] : SCENARIO_DIR;
  std::vector<bc::Error> diagnostics;
  std::vector<bc::Scenario> scenarios = bc::loadScenarioTree(dir, diagnostics);
  for (const auto& d : diagnostics) std::fprintf(stderr, "%s\n", bc::toString(d).c_str());
  std::map<std::string, int> counts;
  for (const auto& s : scenarios) {
    // A fresh SUT per run, at the scenario's BITS version and policies.
    bc::ScenarioResult r = bc::runScenario(s, [&] { return std::make_unique<MySut>(s.config); });
    ++counts[std::string(bc::toString(r.kind))];
    if (!r.passed() && r.kind != bc::RunOutcome::NotApplicable)
      std::printf("%s: %s\n  %s\n", s.path.c_str(), std::string(bc::toString(r.kind)).c_str(), r.message.c_str());
  }
  std::printf("%zu scenarios from %s:", scenarios.size(), dir.c_str());
  for (const auto& [kind, n] : counts) std::printf(" %s=%d", kind.c_str(), n);
  std::printf("\n");
  bool ok = !scenarios.empty() && diagnostics.empty() && counts["pass"] + counts["not-applicable"] == int(scenarios.size());
  return ok ? 0 : 1;
}
