// The runner and a SUT's StepResult: a step the SUT cannot make happen is a not-applicable
// verdict at that step, reached without any exception and without comparing what the step
// appended; a SUT that dies (SutFailure) is the only exception, mapped by outcomeOf.
#include <catch2/catch.hpp>

#include <stdexcept>

#include "oracle/runner.h"
#include "sut/registry/model_sut.h"
#include "vocab/command_text.h"
#include "vocab/observation_text.h"

using namespace bc;

namespace {

// The model, except at step `at` (counted from 0): there it appends a Return no BITS would give
// and reports the step unsupported, or dies, as `dies` says.
class StopsAt : public Sut {
 public:
  StopsAt(size_t at, bool dies) : at_(at), dies_(dies) {}
  const Capabilities& capabilities() const override { return inner_.capabilities(); }
  StepResult execute(const Command& c, Observations& out) override {
    if (step_++ != at_) return inner_.execute(c, out);
    if (dies_) throw SutFailure(SutFailure::Kind::TimedOut, "no answer");
    out.push_back(Observation::ret(hr::E_NOTIMPL));  // did not happen: must not be compared
    return StepResult::unsupported("this implementation serves one job at a time");
  }

 private:
  ModelSut inner_;
  size_t at_, step_ = 0;
  bool dies_;
};

std::vector<Command> sequence() {
  std::vector<Command> seq;
  for (const char* s : {"A1 CreateJob J1", "A1 AddFile J1", "A1 Resume J1", "Transfer J1", "A1 GetState J1"})
    seq.push_back(parseCommand(s).value());
  return seq;
}

}  // namespace

TEST_CASE("an implementation's unsupported step is a not-applicable verdict, no exception, the steps before it "
          "checked", "[runner][unsupported]") {
  StopsAt sut(3, false);
  Verdict v;
  REQUIRE_NOTHROW(v = runSequence(sequence(), ModelConfig{}, sut, RunOptions{.recordTrace = true}));
  CHECK(v.kind == RunOutcome::NotApplicable);
  CHECK_FALSE(v.divergence);  // the E_NOTIMPL it appended was not compared
  CHECK(v.stepsRun == 3);
  CHECK(v.message == "step 4 'Transfer J1' cannot happen on this SUT: this implementation serves one job at a time");
  CHECK(v.stepMatched == std::vector<bool>{true, true, true});
  CHECK(v.evidence.checked().has(Rule::STATE_4));  // Resume's QUEUED was compared and matched
}

TEST_CASE("a SUT that dies at a step is the one exception, mapped by outcomeOf", "[runner][unsupported]") {
  StopsAt sut(3, true);
  Verdict v = runSequence(sequence(), ModelConfig{}, sut);
  CHECK(v.kind == RunOutcome::TimedOut);
  CHECK(v.stepsRun == 3);
  CHECK(v.message == "step 4 'Transfer J1': no answer");
}

TEST_CASE("an unsupported StepResult without a reason still says why", "[runner][unsupported]") {
  CHECK(StepResult::done().isDone());
  CHECK(StepResult::done().why().empty());
  const StepResult r = StepResult::unsupported("");
  CHECK(r.isUnsupported());
  CHECK(r.why() == "(no reason given)");
}
