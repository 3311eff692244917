// What a divergence blames (compare.h): the deciding rules of what differs, not every rule the
// step consulted. Each case is a mutant of the mock with one known deviation, run on a short
// sequence, and the blamed rules must be exactly the ones the deviation breaks.
#include "properties/compare.h"

#include <catch2/catch.hpp>

#include "model/model.h"
#include "properties/runner.h"
#include "properties/sut_registry.h"
#include "vocab/command_text.h"

using namespace bc;

namespace {
std::vector<Command> commands(std::initializer_list<std::string_view> lines) {
  std::vector<Command> out;
  for (auto l : lines) {
    auto c = parseCommand(l);
    REQUIRE(std::holds_alternative<Command>(c));
    out.push_back(std::get<Command>(c));
  }
  return out;
}

// The rules the first divergence of `mutant` on `script` blames, as "REG-8 CB-14".
std::string blamed(const std::string& mutant, std::initializer_list<std::string_view> script) {
  SutRequest request;
  request.spec = "mock:mutant=" + mutant;
  auto sut = makeSutFactory(request)();
  Verdict v = runSequence(commands(script), ModelConfig{}, *sut);
  REQUIRE(v.divergence);
  INFO(describe(v, commands(script)));
  return v.divergence->comparison.rules.toString();
}
}  // namespace

// The model's observations of the last command of `script`.
Observations lastStep(std::initializer_list<std::string_view> script) {
  Model model{ModelConfig{}};
  Observations out;
  for (const Command& c : commands(script)) {
    out.clear();
    model.step(c, out);
  }
  return out;
}

TEST_CASE("blame: a late registration that delivers nothing breaks REG-8 and CB-14 only", "[compare][REG-8]") {
  // Wine's deviation: the JobTransferred owed since 'Transfer J1' never reaches the late object.
  Observations expected = lastStep(
      {"A1 CreateJob J1", "A1 AddFile J1", "A1 Resume J1", "Transfer J1", "A1 SetNotifyInterface J1 o2"});
  REQUIRE(expected.size() == 2);
  StepComparison c = compareStep(expected, {Observation::ret(Hresult{0})}, false);
  CHECK_FALSE(c.match);
  CHECK(c.rules.toString() == "REG-8 CB-14");
  CHECK(c.consulted.has(Rule::EVT_1));  // context, not blame
}

TEST_CASE("blame: no re-delivery after the object died breaks REG-9 only", "[compare][REG-9]") {
  CHECK(blamed("reregistration-not-redelivered",
               {"A1 CreateJob J1", "A1 AddFile J1", "A1 SetNotifyInterface J1 o2", "A1 Resume J1", "Transfer J1",
                "A1 Exit", "A1 SetNotifyInterface J1 o2"}) == "REG-9");
}

TEST_CASE("blame: a callback despite DISABLE breaks the rules that withheld it", "[compare][FLAG-3]") {
  CHECK(blamed("disable-ignored", {"A1 CreateJob J1", "A1 AddFile J1", "A1 SetNotifyInterface J1 o2",
                                   "A1 SetNotifyFlags J1 0x07", "A1 Resume J1", "Transfer J1"}) == "FLAG-3 DISP-1");
}

TEST_CASE("blame: a JobError for a transient error breaks EVT-4", "[compare][EVT-4]") {
  CHECK(blamed("joberror-on-transient", {"A1 CreateJob J1", "A1 AddFile J1", "A1 SetNotifyInterface J1 o2",
                                         "A1 Resume J1", "TransientError J1"}) == "EVT-4");
}

TEST_CASE("blame: the right call on the wrong object breaks the routing rules", "[compare][DISP-2]") {
  CHECK(blamed("first-writer-wins-object", {"A1 CreateJob J1", "A1 AddFile J1", "A1 SetNotifyInterface J1 o2",
                                            "A1 SetNotifyInterface J1 o3", "A1 Resume J1", "Transfer J1"}) == "DISP-2");
}

TEST_CASE("blame: a missing retry breaks CB-1 and DISP-7", "[compare][CB-1]") {
  CHECK(blamed("transferred-not-retried",
               {"A1 CreateJob J1", "A1 AddFile J1", "A1 SetNotifyInterface J1 o2", "A1 Behave o2 failonce", "A1 Resume J1",
                "Transfer J1", "Tick 600s"}) == "CB-1 DISP-7");
}

TEST_CASE("blame: a divergence on a Return blames the rules that decide its value", "[compare][FLAG-4]") {
  CHECK(blamed("invalid-flags-accepted", {"A1 CreateJob J1", "A1 SetNotifyFlags J1 0x40"}) == "FLAG-4 FLAG-11");
}

TEST_CASE("blame: an extra observation the model did not withhold blames the whole step", "[compare]") {
  // Hand-made: the model expects only the Return; the SUT adds a callback nothing withheld.
  Observations expected{Observation::ret(Hresult{0}).because({Rule::REG_1, Rule::REG_3})};
  Observations actual{Observation::ret(Hresult{0}),
                      Observation::callback(Receiver::appObject(1, 1, 2), Method::JobTransferred, 1, 0,
                                            Outcome::Returned, Hresult{0})};
  StepComparison c = compareStep(expected, actual, true);
  CHECK_FALSE(c.match);
  CHECK(c.rules.toString() == "REG-1 REG-3");
  expected[0].withheld = RuleSet{Rule::FLAG_3};
  CHECK(compareStep(expected, actual, true).rules.toString() == "FLAG-3");
}
