// model_limits_test.cc: section 11 of docs/semantics.md: a step stops where it goes beyond the
// test world, and says so; time never wraps around.
#include "model/model.h"


#include "model/model_testing.h"

using namespace bc;
using namespace bc::testing;

TEST_CASE("a Tick that would flood stops at the observation limit and says so", "[model][limits]") {
  Model m;
  run(m, R"(
    A1 CreateJob J1
    A1 AddFile J1
    A1 SetNotifyCmdLine J1 fail args
    A1 Resume J1
    Transfer J1
  )");
  Observations out;
  m.step(command("Tick 1d"), out);  // 145 runs of the failing command line: within the world
  CHECK(out.size() == 145);
  CHECK(m.stepLimit().empty());
  out.clear();
  m.step(command("Tick 365d"), out);  // 52,560 more: the memory of the step is bounded
  CHECK(m.stepLimit() == "the step makes more than 10000 observations");
  CHECK(out.size() == kMaxStepObservations + 1);
  out.clear();
  m.step(command("A1 GetState J1"), out);
  CHECK(m.stepLimit().empty());  // each step is judged alone
}

TEST_CASE("Ticks whose timers would take too long stop at the work limit", "[model][limits]") {
  Model m;
  for (int j = 1; j <= 1000; ++j) {
    std::string n = std::to_string(j);
    run(m, "A1 CreateJob J" + n + "\nA1 AddFile J" + n + "\nA1 Resume J" + n + "\nTransientError J" + n + "\nTick 1ms\n");
  }
  run(m, "NetDown");
  Observations out;
  m.step(command("Tick 14d"), out);  // 1000 jobs x 2016 retry instants x 1000 jobs looked at
  CHECK_THAT(m.stepLimit(), Catch::Contains("the world's timers take more than 50000000 job visits"));
  // The limit is the world's, not the step's: many Ticks each within it add up.
  Model n;
  for (int j = 1; j <= 200; ++j) {
    std::string id = std::to_string(j);
    run(n, "A1 CreateJob J" + id + "\nA1 AddFile J" + id + "\nA1 Resume J" + id + "\nTransientError J" + id + "\nTick 1ms\n");
  }
  run(n, "NetDown");
  int ticks = 0;
  for (; ticks < 1000 && n.stepLimit().empty(); ++ticks) {
    out.clear();
    n.step(command("Tick 1d"), out);
  }
  CHECK(ticks < 1000);
  CHECK_THAT(n.stepLimit(), Catch::Contains("the world's timers take more than"));
}

TEST_CASE("time saturates instead of wrapping around", "[model][limits]") {
  Model m;
  run(m, "A1 CreateJob J1\nA1 AddFile J1\nA1 Resume J1\nNetDown");
  Command tick = command("Tick 1ms");
  tick.ms = UINT64_MAX;  // code may build what the parser refuses
  Observations out;
  m.step(tick, out);
  CHECK(m.now() == kNever - 1);
  CHECK(m.jobState(1) == JobState::Error);  // the no-progress deadline passed on the way
  out.clear();
  m.step(tick, out);
  CHECK(m.now() == kNever - 1);
}
