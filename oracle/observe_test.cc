// The observation mode (observe.h): every job of the SUT against the model after each step, from
// the SUT's snapshot (simulated SUTs) or from its getters (real ones), blamed on the provenance
// of the field that differs. The SUTs here are the model itself behind the SUT interface, bent
// the way a buggy implementation would be.
#include "oracle/observe.h"

#include <catch2/catch.hpp>

#include <functional>

#include "oracle/oracle_testing.h"
#include "oracle/runner.h"
#include "sut/registry/model_sut.h"
#include "vocab/command_text.h"

using namespace bc;

namespace {

using bc::testing::commands;

// The model as a SUT with a bug in its store: its second service restart loses J1's notify
// flags (they come back as the default 0x03), as an implementation that writes a job only when
// it changed since the last stop would. `exact`: a simulated SUT with a snapshot; otherwise it
// stands for a real BITS (no snapshot, latitude).
class LossySut : public Sut {
 public:
  explicit LossySut(bool simulated) : simulated_(simulated) {
    caps_ = inner_.capabilities();
    caps_.exactModification = simulated;
  }
  const Capabilities& capabilities() const override { return caps_; }
  StepResult execute(const Command& c, Observations& out) override {
    ++executed;
    StepResult r = inner_.execute(c, out);
    if (c.kind == CmdKind::ServiceRestart && ++restarts_ == 2) {
      Observations lost;  // the flags fall back to the default, unseen
      (void)inner_.execute(commands({"A1 SetNotifyFlags J1 0x03"})[0], lost);
    }
    return r;
  }
  bool snapshot(WorldSnapshot& out) const override { return simulated_ && inner_.snapshot(out); }
  int executed = 0;

 private:
  bool simulated_;
  ModelSut inner_;
  Capabilities caps_;
  int restarts_ = 0;
};

std::vector<Command> twoRestarts() {
  return commands({"A1 CreateJob J1", "A1 AddFile J1", "A1 Resume J1", "ServiceRestart", "A1 SetNotifyFlags J1 0x01",
                   "ServiceRestart", "Tick 1s"});
}

// The model as a SUT whose snapshot is bent by `bend` after the step numbered `at` (0-based).
class BentSnapshotSut : public ModelSut {
 public:
  using Bend = std::function<void(WorldSnapshot&)>;
  BentSnapshotSut(size_t at, Bend bend) : at_(at), bend_(std::move(bend)) {}
  StepResult execute(const Command& c, Observations& out) override {
    StepResult r = ModelSut::execute(c, out);
    ++steps_;
    return r;
  }
  bool snapshot(WorldSnapshot& out) const override {
    ModelSut::snapshot(out);
    if (steps_ == at_ + 1) bend_(out);
    return true;
  }

 private:
  size_t at_;
  Bend bend_;
  size_t steps_ = 0;
};

Verdict bent(const std::vector<Command>& cmds, size_t at, BentSnapshotSut::Bend bend) {
  BentSnapshotSut sut(at, std::move(bend));
  return runSequence(cmds, ModelConfig{}, sut);
}

}  // namespace

TEST_CASE("observation: a field lost at a restart is seen at that restart, blamed on the write it lost", "[observe][FLAG-1]") {
  const auto kTwoRestarts = twoRestarts();
  LossySut sut(true);
  Verdict v = runSequence(kTwoRestarts, ModelConfig{}, sut);
  INFO(describe(v, kTwoRestarts));
  REQUIRE(v.divergence);
  CHECK(v.divergence->step == 5);  // the second ServiceRestart
  CHECK(v.divergence->comparison.rules.toString() == "FLAG-1 FLAG-2");
  CHECK_THAT(v.divergence->comparison.explanation, Catch::Contains("J1's notify flags: expected 0x01"));
  CHECK(v.evidence.failed.toString() == "FLAG-1 FLAG-2");

  // Without the observation mode no step of this sequence reads the flags: nothing is seen.
  LossySut blind(true);
  RunOptions off;
  off.observeState = false;
  CHECK(runSequence(kTwoRestarts, ModelConfig{}, blind, off).passed());
}

TEST_CASE("observation: every field compared is a check record that could have failed", "[observe][FLAG-9]") {
  ModelSut sut;
  RunOptions o;
  o.recordChecks = true;
  Verdict v = runSequence(commands({"A1 CreateJob J1"}), ModelConfig{}, sut, o);
  REQUIRE(v.passed());
  size_t snapshots = 0;
  RuleSet rules;
  for (const Check& c : v.checks)
    if (c.kind == Check::Kind::Snapshot) {
      ++snapshots;
      rules.add(c.rules);
      CHECK(c.matched);
    }
  // network, hung calls, the job names, and J1's eleven field groups
  CHECK(snapshots == 14);
  // The defaults of a new job, each by the rule that says so.
  for (Rule r : {Rule::FLAG_9, Rule::CLSID_10, Rule::CMD_14, Rule::REG_12, Rule::STATE_4}) CHECK(rules.has(r));
  CHECK(v.evidence.confirmed.has(Rule::FLAG_9));
}

TEST_CASE("observation: a difference in what is owed blames the decision that made it so", "[observe][CB-1][REG-8][EVT-1]") {
  const auto failed = commands({"A1 CreateJob J1", "A1 AddFile J1", "A1 SetNotifyInterface J1 o2", "A1 Behave o2 fail",
                                "A1 Resume J1", "Transfer J1"});
  // The failed JobTransferred keeps the event owed and sets the retry (CB-1): a SUT that drops
  // either is blamed there, not on the move into TRANSFERRED.
  Verdict notOwed = bent(failed, 5, [](WorldSnapshot& w) { w.jobs[0].armed = false; });
  REQUIRE(notOwed.divergence);
  CHECK(notOwed.divergence->comparison.rules.toString() == "CB-1 DISP-7 LIFE-4");
  Verdict noRetry = bent(failed, 5, [](WorldSnapshot& w) { w.jobs[0].retryAt = kNoTime; });
  REQUIRE(noRetry.divergence);
  CHECK(noRetry.divergence->comparison.rules.toString() == "CB-1 DISP-7 LIFE-4");
  CHECK_THAT(noRetry.divergence->comparison.explanation, Catch::Contains("retry timer: expected 600000 ms"));

  // An event nobody can receive stays owed for a later registration (REG-8, CB-14).
  const auto unheard = commands({"A1 CreateJob J1", "A1 AddFile J1", "A1 Resume J1", "Transfer J1"});
  Verdict dropped = bent(unheard, 3, [](WorldSnapshot& w) { w.jobs[0].armed = false; });
  REQUIRE(dropped.divergence);
  CHECK(dropped.divergence->comparison.rules.toString() == "REG-8 CB-14");

  // The slot holds another object than the last registration's: that registration's rule (REG-3).
  const auto two = commands({"A1 CreateJob J1", "A1 SetNotifyInterface J1 o2", "A2 SetNotifyInterface J1 o3"});
  Verdict slot = bent(two, 2, [](WorldSnapshot& w) { w.jobs[0].slot = Receiver::appObject(1, 1, 2); });
  REQUIRE(slot.divergence);
  CHECK(slot.divergence->comparison.rules.toString() == "REG-3");
  CHECK_THAT(slot.divergence->comparison.explanation,
             Catch::Contains("J1's notify interface: expected A2#1.o3, the SUT holds A1#1.o2"));
}

TEST_CASE("observation: a final job holds nothing owed, blamed on the rules that clear it", "[observe][STATE-3]") {
  // docs/semantics.md section 3: entering a final state clears armed, fileOwed, modOwed and the
  // timers; a leftover is blamed on STATE-3 and EVT-13, not on whoever armed the event.
  const auto completed = commands({"A1 CreateJob J1", "A1 AddFile J1", "A1 Resume J1", "Transfer J1", "A1 Complete J1"});
  for (auto bend : std::vector<std::function<void(JobSnapshot&)>>{
           [](JobSnapshot& j) { j.armed = true; }, [](JobSnapshot& j) { j.fileOwed.set(0); },
           [](JobSnapshot& j) { j.modOwed = true; }, [](JobSnapshot& j) { j.retryAt = 5; },
           [](JobSnapshot& j) { j.requeueAt = 5; }, [](JobSnapshot& j) { j.hung = true; }}) {
    Verdict v = bent(completed, 4, [&](WorldSnapshot& w) { bend(w.jobs[0]); });
    REQUIRE(v.divergence);
    CHECK(v.divergence->comparison.rules.toString() == "EVT-13 STATE-3");
  }
}

TEST_CASE("observation: what no later step can observe is not compared", "[observe]") {
  // The owner of an event not owed, on a final job or a live one.
  const auto completed = commands({"A1 CreateJob J1", "A1 AddFile J1", "A1 Resume J1", "Transfer J1", "A1 Complete J1"});
  CHECK(bent(completed, 4, [](WorldSnapshot& w) { w.jobs[0].cmdOwned = true; }).passed());
  CHECK(bent(completed, 3, [](WorldSnapshot& w) { w.jobs[0].cmdOwned = true; }).divergence.has_value());
  const auto created = commands({"A1 CreateJob J1"});
  CHECK(bent(created, 0, [](WorldSnapshot& w) { w.jobs[0].cmdOwned = true; }).passed());
  // A JobModification pacing time already past constrains nothing.
  CHECK(bent(created, 0, [](WorldSnapshot& w) { w.jobs[0].lastModAt = 0; w.now = 0; }).divergence.has_value());
  const auto later = commands({"A1 CreateJob J1", "Tick 1s"});
  CHECK(bent(later, 1, [](WorldSnapshot& w) { w.jobs[0].lastModAt = 0; }).passed());
}

TEST_CASE("observation with getters: a real SUT is read after environment commands, as steps of both", "[observe][FLAG-1]") {
  const auto kTwoRestarts = twoRestarts();
  LossySut plain(false);
  CHECK(runSequence(kTwoRestarts, ModelConfig{}, plain).passed());  // a real SUT has no snapshot

  LossySut sut(false);
  RunOptions o;
  o.observeWithGetters = true;
  Verdict v = runSequence(kTwoRestarts, ModelConfig{}, sut, o);
  INFO(describe(v, kTwoRestarts));
  REQUIRE(v.divergence);
  CHECK(v.divergence->step == 5);
  CHECK(v.divergence->command == commands({"A1 GetNotifyFlags J1"})[0]);
  // The getter shows the value before the lost write: that write's rule alone.
  CHECK(v.divergence->comparison.rules.toString() == "FLAG-1 FLAG-2");
  CHECK_THAT(v.divergence->comparison.explanation, Catch::Contains("reading the jobs after the step with 'A1 GetNotifyFlags J1'"));

  // Reads follow the environment commands (Resume is an API call; two restarts so far, the
  // first one read in full: five getters for J1) and the last step.
  LossySut fine(false);
  const auto script = commands({"A1 CreateJob J1", "A1 AddFile J1", "ServiceRestart", "A1 Resume J1"});
  REQUIRE(runSequence(script, ModelConfig{}, fine, o).passed());
  CHECK(fine.executed == 4 + 5 + 5);
}

TEST_CASE("observation: the getters the runner reads a job with", "[observe]") {
  ModelConfig old;
  old.version = BitsVersion::V1_0;
  Model m(old);
  Observations out;
  m.step(commands({"A2 CreateJob J3"})[0], out);
  auto gets = observationGetters(m);
  REQUIRE(gets.size() == 3);  // no IBackgroundCopyJob2 nor Job5 in 1.0
  CHECK(formatCommand(gets[0]) == "A1 GetState J3");
  m.step(commands({"Reboot"})[0], out);
  CHECK(observationGetters(m).empty());  // no app runs: a getter would start one
}
