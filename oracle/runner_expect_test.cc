// The runner gives every SUT the model's prediction for a step before executing it
// (Sut::expect): what an asynchronous adapter waits for instead of a fixed quiet window.
#include <catch2/catch.hpp>

#include "sut/registry/model_sut.h"
#include "oracle/runner.h"
#include "vocab/command_text.h"
#include "vocab/observation_text.h"

using namespace bc;

namespace {

std::string texts(const Observations& obs) {
  std::string s;
  for (const auto& o : obs) s += (s.empty() ? "" : "; ") + formatObservation(o);
  return s;
}

struct RecordingSut : ModelSut {
  std::vector<std::string> log;  // "expect <observations>" and "execute <command>", in call order
  void expect(const Observations& predicted) override { log.push_back("expect " + texts(predicted)); }
  StepResult execute(const Command& c, Observations& out) override {
    log.push_back("execute " + formatCommand(c));
    return ModelSut::execute(c, out);
  }
};

}  // namespace

TEST_CASE("runSequence tells the SUT the model's observations of each step before executing it", "[runner]") {
  std::vector<Command> commands;
  for (const char* s : {"A1 CreateJob J1", "A1 SetNotifyInterface J1 o2", "A1 AddFile J1", "A1 Resume J1", "Transfer J1"})
    commands.push_back(parseCommand(s).value());
  RecordingSut sut;
  Verdict v = runSequence(commands, ModelConfig{}, sut);
  REQUIRE(v.passed());
  Model model{ModelConfig{}};
  std::vector<std::string> want;
  for (const Command& c : commands) {
    Observations o;
    model.step(c, o);
    want.push_back("expect " + texts(o));
    want.push_back("execute " + formatCommand(c));
  }
  CHECK(sut.log == want);
  CHECK_THAT(sut.log.back(), Catch::Contains("execute Transfer J1"));
  CHECK_THAT(sut.log[sut.log.size() - 2], Catch::Contains("callback A1#1.o2 JobTransferred J1"));
}
