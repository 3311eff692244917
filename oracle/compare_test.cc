// The comparison (compare.h), its check records (check.h) and the blame narrowed by probing
// (refine.h). Blame cases are mutants of the mock with one known deviation, on a short
// sequence: the blamed rules must be exactly the ones the deviation breaks. Latitude cases use
// the model itself behind the SUT interface, bent the way a real implementation may be.
#include "oracle/compare.h"

#include <catch2/catch.hpp>

#include <functional>

#include "model/model.h"
#include "oracle/refine.h"
#include "oracle/oracle_testing.h"
#include "oracle/runner.h"
#include "sut/registry/model_sut.h"
#include "sut/registry/sut_registry.h"
#include "vocab/command_text.h"
#include "vocab/observation_text.h"

using namespace bc;

namespace {

using bc::testing::commands;

// What the first divergence of `mutant` on `script` blames once probed, as "REG-8 CB-14".
std::string blamed(const std::string& mutant, std::initializer_list<std::string_view> script) {
  SutRequest request;
  request.spec = "mock:mutant=" + mutant;
  SutFactory factory = makeSutFactory(request);
  const auto cmds = commands(script);
  Verdict v;
  {
    auto sut = factory();
    v = runSequence(cmds, ModelConfig{}, *sut);
  }
  REQUIRE(v.divergence);
  refineBlame(v, cmds, ModelConfig{}, factory);
  INFO(describe(v, cmds));
  CHECK(v.evidence.failed == v.divergence->comparison.rules);
  return v.divergence->comparison.rules.toString();
}

// The model behind the SUT interface, its observations bent by `bend` (a real BITS's latitude,
// or a bug), declared deterministic or not.
class BentSut : public Sut {
 public:
  using Bend = std::function<void(size_t step, Observations& out)>;
  BentSut(ModelConfig config, bool exact, Bend bend) : inner_(config), bend_(std::move(bend)) {
    caps_ = inner_.capabilities();
    caps_.exactModification = exact;
  }
  const Capabilities& capabilities() const override { return caps_; }
  StepResult execute(const Command& c, Observations& out) override {
    StepResult step = inner_.execute(c, out);
    if (bend_) bend_(step_, out);
    ++step_;
    return step;
  }

 private:
  ModelSut inner_;
  Capabilities caps_;
  Bend bend_;
  size_t step_ = 0;
};

Verdict run(std::initializer_list<std::string_view> script, bool exact, BentSut::Bend bend, ModelConfig sutConfig = {}) {
  BentSut sut(sutConfig, exact, std::move(bend));
  RunOptions o;
  o.recordChecks = true;
  return runSequence(commands(script), ModelConfig{}, sut, o);
}

Observation modification(JobId job, uint8_t slot = 2) {
  return Observation::callback(Receiver::appObject(1, 1, slot), Method::JobModification, job, 0, Outcome::Returned,
                               hr::S_OK);
}

}  // namespace

TEST_CASE("blame: a late registration that delivers nothing breaks REG-8 and CB-14 only", "[compare][REG-8]") {
  // The event happened with no receiver; the CLSID set afterwards must still get it.
  CHECK(blamed("late-registration-not-delivered", {"RegisterServer ClsidA ok", "A1 CreateJob J1", "A1 AddFile J1",
                                                   "A1 Resume J1", "Transfer J1", "A1 SetNotifyClsid J1 ClsidA"}) ==
        "REG-8 CB-14");
}

TEST_CASE("blame: no re-delivery after the object died breaks REG-9 only", "[compare][REG-9]") {
  CHECK(blamed("reregistration-not-redelivered",
               {"A1 CreateJob J1", "A1 AddFile J1", "A1 SetNotifyInterface J1 o2", "A1 Resume J1", "Transfer J1",
                "A1 Exit", "A1 SetNotifyInterface J1 o2"}) == "REG-9 CB-14");
}

TEST_CASE("blame: a callback despite DISABLE breaks FLAG-3 and DISP-1, the rules that withheld it", "[compare][FLAG-3]") {
  CHECK(blamed("disable-ignored", {"A1 CreateJob J1", "A1 AddFile J1", "A1 SetNotifyInterface J1 o2",
                                   "A1 SetNotifyFlags J1 0x07", "A1 Resume J1", "Transfer J1"}) == "FLAG-3 DISP-1");
  // With the bit simply off, DISP-1 alone.
  CHECK(blamed("flag-bit-ignored", {"A1 CreateJob J1", "A1 AddFile J1", "A1 SetNotifyInterface J1 o2",
                                    "A1 SetNotifyFlags J1 0x01", "A1 Resume J1", "FatalError J1"}) == "DISP-1");
}

TEST_CASE("blame: a file never called before the job event is missing (EVT-9), not late (CB-7)", "[compare][EVT-9]") {
  // Wine's deviation: no FileTransferred at all; the JobTransferred in its place is not a reorder.
  const auto cmds = commands({"A1 CreateJob J1", "A1 AddFile J1", "A1 SetNotifyFlags J1 0x13",
                              "A1 SetNotifyInterface J1 o2", "A1 Resume J1", "Transfer J1"});
  auto noFiles = [](size_t, Observations& out) {
    std::erase_if(out, [](const Observation& o) { return o.kind == ObsKind::Callback && o.method == Method::FileTransferred; });
  };
  BentSut sut(ModelConfig{}, true, noFiles);
  Verdict v = runSequence(cmds, ModelConfig{}, sut);
  REQUIRE(v.divergence);
  CHECK(v.divergence->comparison.rules.has(Rule::EVT_9));
  CHECK_FALSE(v.divergence->comparison.rules.has(Rule::CB_7));
}

TEST_CASE("blame: a JobError for a transient error breaks EVT-4", "[compare][EVT-4]") {
  CHECK(blamed("joberror-on-transient", {"A1 CreateJob J1", "A1 AddFile J1", "A1 SetNotifyInterface J1 o2",
                                         "A1 Resume J1", "TransientError J1"}) == "EVT-4");
}

TEST_CASE("blame: the right call on the wrong object: the probe shows the slot lost the last write", "[compare][REG-3]") {
  // The getter before the step shows o2 where the model has o3: the slot's provenance, REG-3.
  CHECK(blamed("first-writer-wins-object", {"A1 CreateJob J1", "A1 AddFile J1", "A1 SetNotifyInterface J1 o2",
                                            "A1 SetNotifyInterface J1 o3", "A1 Resume J1", "Transfer J1"}) == "REG-3");
}

TEST_CASE("blame: an activation in place of the live object breaks the routing rules", "[compare][CLSID-7]") {
  CHECK(blamed("object-not-preferred", {"RegisterServer ClsidA ok", "A1 CreateJob J1", "A1 AddFile J1",
                                        "A1 SetNotifyClsid J1 ClsidA", "A1 SetNotifyInterface J1 o2", "A1 Resume J1",
                                        "Transfer J1"}) == "CLSID-7 DISP-2");
}

TEST_CASE("blame: a missing retry breaks CB-1, DISP-7 and LIFE-4", "[compare][CB-1]") {
  CHECK(blamed("transferred-not-retried",
               {"A1 CreateJob J1", "A1 AddFile J1", "A1 SetNotifyInterface J1 o2", "A1 Behave o2 failonce", "A1 Resume J1",
                "Transfer J1", "Tick 600s"}) == "CB-1 DISP-7 LIFE-4");
}

TEST_CASE("blame: a divergence on a Return blames the rules that decide its value", "[compare][FLAG-4]") {
  CHECK(blamed("invalid-flags-accepted", {"A1 CreateJob J1", "A1 SetNotifyFlags J1 0x40"}) == "FLAG-4 FLAG-11");
}

TEST_CASE("blame: a getter showing the value before the last write blames that write's rule", "[compare][CLSID-4]") {
  CHECK(blamed("guid-null-no-clear", {"A1 CreateJob J1", "A1 SetNotifyClsid J1 ClsidA",
                                      "A1 SetNotifyClsid J1 GUID_NULL", "A1 GetNotifyClsid J1"}) == "CLSID-4");
  CHECK(blamed("first-writer-wins-clsid", {"A1 CreateJob J1", "A1 SetNotifyClsid J1 ClsidA",
                                           "A1 SetNotifyClsid J1 ClsidB", "A1 GetNotifyClsid J1"}) == "CLSID-6");
}

TEST_CASE("blame: a delivery missing after a restart blames the persistence rule", "[compare][CLSID-5]") {
  CHECK(blamed("clsid-lost-on-restart", {"RegisterServer ClsidA ok", "A1 CreateJob J1", "A1 AddFile J1",
                                         "A1 SetNotifyClsid J1 ClsidA", "A1 Resume J1", "ServiceRestart",
                                         "Transfer J1"}) == "CLSID-5");
}

TEST_CASE("blame: a missing JobError with the default flags: the probe shows the defaults are wrong", "[compare][FLAG-9]") {
  CHECK(blamed("default-flags-wrong", {"A1 CreateJob J1", "A1 AddFile J1", "A1 SetNotifyInterface J1 o2",
                                       "A1 Resume J1", "FatalError J1"}) == "FLAG-9");
}

TEST_CASE("blame: the job-level event before a file breaks CB-7", "[compare][CB-7]") {
  CHECK(blamed("file-after-job", {"A1 CreateJob J1", "A1 AddFile J1", "A1 SetNotifyFlags J1 0x13",
                                  "A1 SetNotifyInterface J1 o2", "A1 Resume J1", "Transfer J1"}) == "CB-7");
}

TEST_CASE("the probe clears suspects the SUT shows right: a missing callback blames its event only", "[compare][EVT-1]") {
  // A SUT that drops every JobTransferred: flags, slot and state are all as the model says.
  const auto cmds = commands({"A1 CreateJob J1", "A1 AddFile J1", "A1 SetNotifyInterface J1 o2", "A1 Resume J1",
                              "Transfer J1"});
  auto drop = [](size_t, Observations& out) {
    std::erase_if(out, [](const Observation& o) { return o.kind == ObsKind::Callback; });
  };
  SutFactory factory = [drop] { return std::make_unique<BentSut>(ModelConfig{}, true, drop); };
  Verdict v;
  {
    auto sut = factory();
    v = runSequence(cmds, ModelConfig{}, *sut);
  }
  REQUIRE(v.divergence);
  const RuleSet before = v.divergence->comparison.rules;
  CHECK(before.has(Rule::EVT_1));
  CHECK(before.has(Rule::FLAG_9));  // a suspect until probed
  refineBlame(v, cmds, ModelConfig{}, factory);
  CHECK(v.divergence->comparison.rules.toString() == "EVT-1");
  CHECK(v.divergence->comparison.explanation.find("FLAG-9 cleared") != std::string::npos);
  // The getters that matched are evidence too.
  CHECK(v.evidence.checked().has(Rule::FLAG_10));
}

TEST_CASE("check records: a matched step credits what could have failed, withheld deliveries included",
          "[compare][FLAG-3]") {
  Verdict v = run({"A1 CreateJob J1", "A1 AddFile J1", "A1 SetNotifyInterface J1 o2", "A1 SetNotifyFlags J1 0x07",
                   "A1 Resume J1", "Transfer J1"},
                  true, nullptr);
  REQUIRE(v.passed());
  CHECK(v.evidence.failures == 0);
  CHECK(v.evidence.checked().has(Rule::FLAG_3));  // the JobTransferred DISABLE held back was looked for
  bool withheld = false;
  for (const Check& c : v.checks) withheld = withheld || (c.kind == Check::Kind::Withheld && c.rules.has(Rule::FLAG_3));
  CHECK(withheld);
}

TEST_CASE("check records: creating a job checks no default: a getter of the default does", "[compare][FLAG-9]") {
  Verdict created = run({"A1 CreateJob J1"}, true, nullptr);
  REQUIRE(created.passed());
  for (Rule r : {Rule::FLAG_9, Rule::CLSID_10, Rule::CMD_14, Rule::EVT_6}) CHECK_FALSE(created.evidence.checked().has(r));
  Verdict read = run({"A1 CreateJob J1", "A1 GetNotifyFlags J1", "A1 GetNotifyCmdLine J1", "A1 GetNotifyClsid J1"},
                     true, nullptr);
  REQUIRE(read.passed());
  for (Rule r : {Rule::FLAG_9, Rule::CLSID_10, Rule::CMD_14}) CHECK(read.evidence.checked().has(r));
}

TEST_CASE("check records: nothing after the first divergence is evidence", "[compare]") {
  auto breakStep3 = [](size_t step, Observations& out) {
    if (step == 2) out[0].hr = hr::E_FAIL;
  };
  Verdict v = run({"A1 CreateJob J1", "A1 AddFile J1", "A1 SetNotifyFlags J1 0x0B", "A1 GetNotifyFlags J1"}, true,
                  breakStep3);
  REQUIRE(v.divergence);
  CHECK(v.divergence->step == 2);
  CHECK(v.evidence.failures == 1);
  CHECK(v.evidence.failed.has(Rule::FLAG_1));
  CHECK_FALSE(v.evidence.checked().has(Rule::FLAG_10));  // the getter after it never counted
  CHECK(v.checks.back().matched == false);
}

TEST_CASE("latitude: a JobModification where the flags forbid it fails FLAG-3 or DISP-1", "[compare][latitude][FLAG-3]") {
  auto extraMod = [](size_t step, Observations& out) {
    if (step == 4) out.push_back(modification(1));
  };
  Verdict disabled = run({"A1 CreateJob J1", "A1 AddFile J1", "A1 SetNotifyInterface J1 o2",
                          "A1 SetNotifyFlags J1 0x0F", "A1 Resume J1"},
                         false, extraMod);
  REQUIRE(disabled.divergence);
  CHECK(disabled.divergence->comparison.rules.has(Rule::FLAG_3));
  Verdict bitOff = run({"A1 CreateJob J1", "A1 AddFile J1", "A1 SetNotifyInterface J1 o2",
                        "A1 SetNotifyFlags J1 0x03", "A1 Resume J1"},
                       false, extraMod);
  REQUIRE(bitOff.divergence);
  CHECK(bitOff.divergence->comparison.rules.has(Rule::DISP_1));
  // And where none was sent, the flags' check ran and held.
  Verdict quiet = run({"A1 CreateJob J1", "A1 AddFile J1", "A1 SetNotifyInterface J1 o2", "A1 SetNotifyFlags J1 0x03",
                       "A1 Resume J1"},
                      false, nullptr);
  REQUIRE(quiet.passed());
  CHECK(quiet.evidence.checked().has(Rule::DISP_1));
}

TEST_CASE("latitude: JobModification in any number, late by a step, and in any order passes", "[compare][latitude][EVT-6]") {
  const std::initializer_list<std::string_view> script = {"A1 CreateJob J1", "A1 AddFile J1", "A1 SetNotifyInterface J1 o2", "A1 SetNotifyFlags J1 0x0B",
                       "A1 Resume J1", "A1 GetState J1"};
  // Three instead of one, before the Return's neighbours.
  Verdict many = run(script, false, [](size_t step, Observations& out) {
    if (step == 4) out.insert(out.begin() + 1, {modification(1), modification(1)});
  });
  CHECK(many.passed());
  CHECK(many.evidence.checked().has(Rule::EVT_6));
  // The step's one arrives with the next step.
  Verdict late = run(script, false, [](size_t step, Observations& out) {
    if (step == 4) std::erase_if(out, isModification);
    if (step == 5) out.push_back(modification(1));
  });
  CHECK(late.passed());
  // Exact comparison allows none of it.
  Verdict exact = run(script, true, [](size_t step, Observations& out) {
    if (step == 4) out.push_back(modification(1));
  });
  CHECK_FALSE(exact.passed());
}

TEST_CASE("latitude: a JobModification the model owes that never comes fails EVT-6", "[compare][latitude][EVT-6]") {
  Verdict v = run({"A1 CreateJob J1", "A1 AddFile J1", "A1 SetNotifyInterface J1 o2", "A1 SetNotifyFlags J1 0x0B",
                   "A1 Resume J1", "A1 GetState J1", "A1 GetState J1"},
                  false, [](size_t, Observations& out) { std::erase_if(out, isModification); });
  REQUIRE(v.divergence);
  // The first one owed is SetNotifyFlags's (a property change, MP-1): step 4, missing by the end of step 5.
  CHECK(v.divergence->step == 4);
  CHECK(v.divergence->comparison.rules.has(Rule::EVT_6));
  CHECK(v.divergence->comparison.explanation.find("missing JobModification") != std::string::npos);
}

TEST_CASE("latitude: callbacks of different jobs may interleave: one job's stay in order", "[compare][latitude]") {
  // Both jobs TRANSFERRED while their class cannot be created; the restart delivers both events
  // through the CLSID in one step, J1's first in the model (CLSID-13).
  const std::initializer_list<std::string_view> both = {"RegisterServer ClsidA ok", "A1 CreateJob J1", "A1 AddFile J1", "A1 SetNotifyClsid J1 ClsidA",
                     "A1 Resume J1", "A1 CreateJob J2", "A1 AddFile J2", "A1 SetNotifyClsid J2 ClsidA",
                     "A1 Resume J2", "UnregisterServer ClsidA", "Transfer J1", "Transfer J2",
                     "RegisterServer ClsidA ok", "ServiceRestart"};
  auto swapJobs = [](size_t, Observations& out) {
    // Every observation of J2 in front of J1's (the Return stays first).
    std::stable_partition(out.begin() + 1, out.end(), [](const Observation& o) { return o.job == 2; });
  };
  Verdict latitude = run(both, false, swapJobs);
  INFO(describe(latitude, commands(both)));
  CHECK(latitude.passed());
  CHECK_FALSE(run(both, true, swapJobs).passed());
  // One job's own order is still checked: its job event before its file fails CB-7.
  auto jobBeforeFile = [](size_t, Observations& out) {
    std::stable_partition(out.begin() + 1, out.end(), [](const Observation& o) {
      return o.kind == ObsKind::Callback && o.method != Method::FileTransferred;
    });
  };
  Verdict order = run({"A1 CreateJob J1", "A1 AddFile J1", "A1 SetNotifyFlags J1 0x13", "A1 SetNotifyInterface J1 o2",
                       "A1 Resume J1", "Transfer J1"},
                      false, jobBeforeFile);
  REQUIRE(order.divergence);
  CHECK(order.divergence->comparison.rules.toString() == "CB-7");
}

TEST_CASE("latitude: delivered once where the model re-delivers (at least once, CB-14) passes, and says so",
          "[compare][latitude][CB-14][OQ-20]") {
  // The seed sample at start-up: the interface, then the flags, on a job already TRANSFERRED.
  const std::initializer_list<std::string_view> script = {"A1 CreateJob J1", "A1 AddFile J1", "A1 Resume J1", "Transfer J1",
                       "A1 SetNotifyInterface J1 o2", "A1 SetNotifyFlags J1 0x03"};
  ModelConfig once;
  once.policies.flagsRearm = false;
  Verdict latitude = run(script, false, nullptr, once);
  INFO(describe(latitude, commands(script)));
  CHECK(latitude.passed());
  CHECK(latitude.latitudeTaken == std::vector<std::string>{"OQ-20=alt"});
  // A deterministic SUT is held to the policy the run pins.
  CHECK_FALSE(run(script, true, nullptr, once).passed());
  // Re-delivering is fine too, and leaves the latitude undecided.
  Verdict twice = run(script, false, nullptr);
  CHECK(twice.passed());
  CHECK(twice.latitudeTaken.empty());
  // But a registration after the event must deliver at least once: missing it fails REG-8.
  Verdict never = run(script, false, [](size_t step, Observations& out) {
    if (step >= 4) std::erase_if(out, [](const Observation& o) { return o.kind == ObsKind::Callback; });
  });
  REQUIRE(never.divergence);
  CHECK(never.divergence->comparison.rules.has(Rule::REG_8));
}
