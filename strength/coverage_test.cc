#include "strength/coverage.h"

#include <catch2/catch.hpp>

#include "vocab/command_text.h"

namespace bc {
namespace {

Command cmd(const char* text) { return parseCommand(text).value(); }

// Runs `steps` on `m`, returning the observations of the last one.
Observations run(Model& m, std::initializer_list<const char*> steps) {
  Observations out;
  for (const char* s : steps) {
    out.clear();
    m.step(cmd(s), out);
  }
  return out;
}

// The outcome name of the last of `steps` run on a fresh model.
std::string lastOutcome(std::initializer_list<const char*> steps) {
  Model m;
  Observations out;
  AbstractState before = abstractState(m), after = before;
  for (const char* s : steps) {
    before = after;
    out.clear();
    m.step(cmd(s), out);
    after = abstractState(m);
  }
  return outcomeName(outcomeCode(out, before, after));
}

TEST_CASE("the abstract state of a fresh world has no jobs", "[coverage]") {
  Model m;
  std::string d = describeAbstractState(abstractState(m));
  CHECK(d == "J1{-} J2{-} net=up hung=0 ClsidA=- A1=running A1.o2=ok");
}

TEST_CASE("the abstract state follows delivery: armed until the callback succeeds", "[coverage][EVT-1][CB-1]") {
  Model m;
  run(m, {"A1 CreateJob J1", "A1 AddFile J1", "A1 SetNotifyInterface J1 o2", "A1 Behave o2 fail", "A1 Resume J1",
          "Transfer J1"});
  std::string failed = describeAbstractState(abstractState(m));
  CHECK(failed.find("J1{TRANSFERRED files=done slot=o2:fail clsid=- cmd=- flags=default armed retry}") !=
        std::string::npos);
  run(m, {"A1 Behave o2 ok", "Tick 600s"});
  std::string delivered = describeAbstractState(abstractState(m));
  CHECK(delivered.find("J1{TRANSFERRED files=done slot=o2:ok clsid=- cmd=- flags=default}") != std::string::npos);
  CHECK(abstractState(m) != abstractState(Model{}));
}

TEST_CASE("abstract states tell apart what the rules branch on", "[coverage][CLSID-8][FLAG-3]") {
  Model a, b;
  run(a, {"A1 CreateJob J1", "A1 SetNotifyClsid J1 ClsidA"});
  run(b, {"A1 CreateJob J1", "A1 SetNotifyClsid J1 ClsidA", "RegisterServer ClsidA ok"});
  CHECK(abstractState(a) != abstractState(b));
  CHECK(describeAbstractState(abstractState(a)).find("clsid=unregistered") != std::string::npos);
  CHECK(describeAbstractState(abstractState(b)).find("clsid=registered:ok") != std::string::npos);
  Model c, d;
  run(c, {"A1 CreateJob J1", "A1 SetNotifyFlags J1 0x07"});
  run(d, {"A1 CreateJob J1", "A1 SetNotifyFlags J1 0x0F"});
  CHECK(abstractState(c) == abstractState(d));  // both disabled: the other bits do not matter
  CHECK(flagsClassName(0x0B) == "mod");
  CHECK(flagsClassName(0x13) == "file");
  CHECK(flagsClassName(0x00) == "zero");
  CHECK(flagsClassName(0x01) == "partial");
}

TEST_CASE("the path bits say which jobs were written since the last restart", "[coverage][path]") {
  Model m;
  run(m, {"A1 CreateJob J1", "A1 CreateJob J2", "A1 SetNotifyFlags J1 0x03"});
  CHECK(abstractState(m).path == 0);  // no restart yet: nothing a restart could have lost
  run(m, {"ServiceRestart", "A1 SetNotifyFlags J1 0x0B"});
  AbstractState written = abstractState(m);
  CHECK(written.path == (kRestarted | 0x1));  // J1 only: J2 was not written since
  std::string d = describeAbstractState(written);
  CHECK(d.find("flags=mod written-since-restart} J2{") != std::string::npos);
  CHECK(d.ends_with(" restarted"));
  TransitionKey restart{written, commandClassId(cmd("ServiceRestart")), 0};
  CHECK(pathClasses(restart) == std::vector<std::string_view>{"written-since-restart", "restart-after-write"});
  run(m, {"Reboot"});
  CHECK(abstractState(m).path == kRestarted);  // the reboot is the new last restart
  run(m, {"A1 SetNotifyCmdLine J2 ok args"});
  CHECK(abstractState(m).path == (kRestarted | 0x2));
}

TEST_CASE("an event that touches both jobs is an outcome of its own", "[coverage][path]") {
  std::initializer_list<const char*> both = {"A1 CreateJob J1", "A1 AddFile J1", "A1 Resume J1", "A1 CreateJob J2",
                                             "A1 AddFile J2", "A1 Resume J2", "NetDown"};
  CHECK(lastOutcome(both).ends_with("+2 jobs"));
  CHECK(!lastOutcome({"A1 CreateJob J1", "A1 AddFile J1", "A1 Resume J1", "A1 CreateJob J2", "NetDown"})
             .ends_with("+2 jobs"));  // J2 is not transferring: the network does not touch it
  CHECK(!lastOutcome({"A1 CreateJob J1", "A1 CreateJob J2", "A1 SetNotifyFlags J1 0x03"}).ends_with("+2 jobs"));
}

TEST_CASE("command classes abstract arguments the rules do not distinguish", "[coverage]") {
  CHECK(commandClassId(cmd("A1 SetNotifyInterface J1 o2")) == commandClassId(cmd("A1 SetNotifyInterface J1 o3")));
  CHECK(commandClassId(cmd("A1 SetNotifyInterface J1 o2")) != commandClassId(cmd("A1 SetNotifyInterface J1 o1")));
  CHECK(commandClassId(cmd("A1 SetNotifyInterface J1 o2")) != commandClassId(cmd("A2 SetNotifyInterface J1 o2")));
  CHECK(commandClassId(cmd("A1 SetNotifyFlags J1 0x0B")) == commandClassId(cmd("A2 SetNotifyFlags J1 0x0B")));
  CHECK(commandClassName(commandClassId(cmd("A1 SetNotifyFlags J1 0x40"))) == "SetNotifyFlags J1 invalid");
  CHECK(commandClassName(commandClassId(cmd("Tick 600s"))) == "Tick 600s+");
  CHECK(commandClassName(commandClassId(cmd("Tick 700ms"))) == "Tick 500ms+");
  CHECK(commandClassName(commandClassId(cmd("Tick 14d"))) == "Tick 14d+");
  CHECK(commandClassName(commandClassId(cmd("Transfer J5"))) == "Transfer J*");
}

TEST_CASE("outcome classes name the HRESULT and what followed", "[coverage][CLSID-7][DISP-5]") {
  CHECK(lastOutcome({"A1 Complete J1"}) == "BG_E_NOT_FOUND");
  CHECK(lastOutcome({"A1 CreateJob J1", "A1 AddFile J1", "A1 SetNotifyClsid J1 ClsidA", "RegisterServer ClsidA ok",
                     "A1 Resume J1", "Transfer J1"}) == "S_OK+activate:ok+callback:ok");
  CHECK(lastOutcome({"A1 CreateJob J1", "A1 AddFile J1", "A1 SetNotifyCmdLine J1 ok args", "A1 Resume J1",
                     "Transfer J1"}) == "S_OK+cmdline:exit0");
}

TEST_CASE("the tracker counts reachable triples and lists gaps by rule", "[coverage][REG-1]") {
  // The reachable set: every step of one sequence, with the rules of the model's observations.
  std::vector<Command> seq = {cmd("A1 CreateJob J1"), cmd("A1 AddFile J1"), cmd("A1 SetNotifyInterface J1 o2"),
                              cmd("A1 Resume J1"), cmd("Transfer J1")};
  auto table = std::make_shared<TransitionTable>();
  Model m;
  Observations out;
  for (const Command& c : seq) {
    TransitionKey k{abstractState(m), commandClassId(c), 0};
    out.clear();
    m.step(c, out);
    k.outcome = outcomeCode(out, k.state, abstractState(m));
    for (const Observation& o : out) (*table)[k].add(o.rules);
  }
  REQUIRE(table->size() == seq.size());

  CoverageTracker none(table);
  CoverageSummary empty = none.summary();
  CHECK(empty.covered == 0);
  CHECK(empty.percent == 0);
  bool regGap = false;
  for (const RuleGap& g : empty.gaps) regGap |= g.rule == Rule::REG_1;
  CHECK(regGap);  // the delivery to the registered object is a gap, listed under REG-1
  CHECK(!empty.neverExercisedCommands.empty());

  CoverageTracker half(table);
  half.observeSequence({seq.begin(), seq.begin() + 3});
  CHECK(half.covered() == 3);
  CoverageTracker all(table);
  all.observeSequence(seq);
  all.observeSequence({cmd("A1 GetState J2")});  // not in the set: beyond
  CoverageSummary s = all.summary();
  CHECK(s.covered == seq.size());
  CHECK(s.percent == 100.0);
  CHECK(s.beyond == 1);
  CHECK(s.gaps.empty());
  CHECK(all.complete());
  half.merge(all);
  CHECK(half.complete());
  CHECK(formatCoverage(empty).find("gap REG-1") != std::string::npos);
  CHECK(empty.paths.empty());  // the sequence has no restart and touches one job: no path class
}

}  // namespace
}  // namespace bc
