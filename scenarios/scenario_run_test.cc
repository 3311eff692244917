// The scenario runner: expect lines checked on the model (exact messages naming file:line),
// and a SUT compared with the model (verdict kinds mapped to scenario result kinds).
#include <catch2/catch.hpp>
#include <tuple>

#include "sut/registry/model_sut.h"
#include "scenarios/scenario.h"

using namespace bc;

namespace {

Scenario parsed(const std::string& text) {
  auto r = parseScenario(text, "t.scenario");
  if (!r.ok()) FAIL(r.message());
  return *r;
}

const std::string kLate =
    "scenario: Late registration\n"
    "rules: REG-8\n"
    "A1 CreateJob J1\n"
    "A1 AddFile J1\n"
    "A1 Resume J1\n"
    "Transfer J1\n"
    "  expect -> S_OK\n"
    "A1 SetNotifyInterface J1 o2\n"
    "  expect -> S_OK\n"
    "  expect callback A1#1.o2 JobTransferred J1 -> S_OK\n";

// A SUT that behaves like the model but answers one command differently or not at all.
class FaultySut : public Sut {
 public:
  enum class Fault { DropCallbacks, Throw, OldVersion, NoCommandLine };
  explicit FaultySut(Fault f) : fault_(f) {
    caps_ = inner_.capabilities();
    if (f == Fault::OldVersion) caps_.version = BitsVersion::V4_0;
    if (f == Fault::NoCommandLine) caps_.commandLine = false;
  }
  const Capabilities& capabilities() const override { return caps_; }
  StepResult execute(const Command& c, Observations& out) override {
    if (fault_ == Fault::Throw && c.kind == CmdKind::Transfer) throw SutFailure(SutFailure::Kind::Crashed, "adapter died");
    size_t first = out.size();
    StepResult step = inner_.execute(c, out);
    if (fault_ == Fault::DropCallbacks && out.size() > first + 1) out.resize(first + 1);
    return step;
  }

 private:
  ModelSut inner_;
  Capabilities caps_;
  Fault fault_;
};

SutFactory faulty(FaultySut::Fault f) {
  return [f] { return std::make_unique<FaultySut>(f); };
}

}  // namespace

TEST_CASE("expect lines that agree with the model pass and record the exercised rules", "[scenario-run][REG-8]") {
  ScenarioResult r = runScenarioOnModel(parsed(kLate));
  INFO(r.message);
  CHECK(r.kind == RunOutcome::Pass);
  CHECK(r.message.empty());
  CHECK(r.consulted.has(Rule::REG_8));
}

TEST_CASE("a wrong expect line names file:line, the expectation and the model's answer", "[scenario-run]") {
  Scenario s = parsed(
      "scenario: t\nrules: FLAG-9\n"
      "A1 CreateJob J1\n"
      "A1 GetNotifyFlags J1\n"
      "  expect -> S_OK flags=0x0B\n");
  ScenarioResult r = runScenarioOnModel(s);
  CHECK(r.kind == RunOutcome::ExpectFailed);
  CHECK(r.message == "t.scenario:5: expected '-> S_OK flags=0x0B', model gave '-> S_OK flags=0x03'");
}

TEST_CASE("a missing and an extra observation are both reported, one line each", "[scenario-run][REG-8]") {
  Scenario s = parsed(
      "scenario: t\nrules: REG-8\n"
      "A1 CreateJob J1\n"
      "  expect -> S_OK\n"
      "  expect callback A1#1.o2 JobTransferred J1 -> S_OK\n"
      "A1 AddFile J1\n"
      "A1 SetNotifyInterface J1 o2\n"
      "A1 Resume J1\n"
      "Transfer J1\n"
      "  expect -> S_OK\n");
  ScenarioResult r = runScenarioOnModel(s);
  CHECK(r.kind == RunOutcome::ExpectFailed);
  CHECK(r.message ==
        "t.scenario:5: expected 'callback A1#1.o2 JobTransferred J1 -> S_OK', model gave nothing more for "
        "'A1 CreateJob J1'\n"
        "t.scenario:10: expected nothing after '-> S_OK', model gave 'callback A1#1.o2 JobTransferred J1 -> S_OK' "
        "too");
}

TEST_CASE("steps without expect lines are not checked", "[scenario-run]") {
  Scenario s = parsed("scenario: t\nrules: REG-8\nA1 CreateJob J1\nA1 AddFile J1\nA1 Resume J1\nTransfer J1\n");
  CHECK(runScenarioOnModel(s).kind == RunOutcome::Pass);
}

TEST_CASE("the model as a SUT passes a scenario", "[scenario-run][REG-8]") {
  SutFactory model = [] { return std::make_unique<ModelSut>(); };
  ScenarioResult r = runScenario(parsed(kLate), model);
  INFO(r.message);
  CHECK(r.kind == RunOutcome::Pass);
  CHECK(r.verdict.kind == RunOutcome::Pass);
  CHECK(r.verdict.stepsRun == 5);
  CHECK(r.consulted.has(Rule::REG_8));
}

TEST_CASE("a SUT that diverges gives Diverged at the scenario line of the step", "[scenario-run][REG-8]") {
  ScenarioResult r = runScenario(parsed(kLate), faulty(FaultySut::Fault::DropCallbacks));
  CHECK(r.kind == RunOutcome::Diverged);
  REQUIRE(r.verdict.divergence);
  CHECK(r.verdict.divergence->step == 4);
  CHECK(r.failedStep == 4);
  CHECK(r.message.rfind("t.scenario:8: verdict: diverged", 0) == 0);
  CHECK(r.message.find("callback A1#1.o2 JobTransferred J1 -> S_OK") != std::string::npos);
}

TEST_CASE("a SUT failure maps to its own result kind", "[scenario-run]") {
  ScenarioResult r = runScenario(parsed(kLate), faulty(FaultySut::Fault::Throw));
  CHECK(r.kind == RunOutcome::Crashed);
  CHECK(r.failedStep == 3);  // Transfer, where it died
  CHECK(r.message.find("adapter died") != std::string::npos);
}

TEST_CASE("a SUT that cannot start is the scenario's verdict, not the caller's exception", "[scenario-run]") {
  SutFactory hangs = []() -> std::unique_ptr<Sut> {
    throw SutFailure(SutFailure::Kind::TimedOut, "no answer within 180000 ms while waiting for the hello line");
  };
  ScenarioResult r = runScenario(parsed(kLate), hangs);
  CHECK(r.kind == RunOutcome::TimedOut);
  CHECK(r.verdict.kind == RunOutcome::TimedOut);
  CHECK(r.message.find("the SUT failed to start: no answer within 180000 ms") != std::string::npos);
}

TEST_CASE("a pinned scenario on a SUT of another version, or without a capability, is not applicable", "[scenario-run]") {
  ScenarioResult r = runScenario(parsed("version: 10.3\n" + kLate), faulty(FaultySut::Fault::OldVersion));
  CHECK(r.kind == RunOutcome::NotApplicable);
  CHECK(r.message == "t.scenario: the scenario emulates BITS 10.3, 'model' is BITS 4.0");
  Scenario cmd = parsed("scenario: t\nrules: CMD-1\nA1 CreateJob J1\nA1 SetNotifyCmdLine J1 ok args\n");
  ScenarioResult c = runScenario(cmd, faulty(FaultySut::Fault::NoCommandLine));
  CHECK(c.kind == RunOutcome::NotApplicable);
  CHECK(c.verdict.kind == RunOutcome::NotApplicable);
}

TEST_CASE("an unpinned scenario is compared with the model at the SUT's own version", "[scenario-run][VER-4]") {
  // The SUT states BITS 4.0: the same late registration is judged by a 4.0 model, and passes.
  ScenarioResult r = runScenario(parsed(kLate), faulty(FaultySut::Fault::OldVersion));
  CHECK(r.kind == RunOutcome::Pass);
  // A story that needs IBackgroundCopyJob5 (BITS 5.0) behaves differently on a 4.0 model: it is
  // not applicable there, rather than crediting CLSID-1 with an E_NOINTERFACE.
  Scenario clsid = parsed("scenario: t\nrules: CLSID-1\nA1 CreateJob J1\nA1 SetNotifyClsid J1 ClsidA\n");
  ScenarioResult c = runScenario(clsid, faulty(FaultySut::Fault::OldVersion));
  CHECK(c.kind == RunOutcome::NotApplicable);
  CHECK(c.message == "t.scenario: the scenario behaves differently at BITS 4.0 ('model') than at 10.3: it needs a newer "
                     "version's features");
}

TEST_CASE("expect failures are reported before the SUT runs", "[scenario-run]") {
  Scenario s = parsed("scenario: t\nrules: FLAG-9\nA1 CreateJob J1\n  expect -> E_FAIL\n");
  ScenarioResult r = runScenario(s, faulty(FaultySut::Fault::Throw));
  CHECK(r.kind == RunOutcome::ExpectFailed);
  CHECK(r.message == "t.scenario:4: expected '-> E_FAIL', model gave '-> S_OK'");
}

TEST_CASE("a diverging scenario's evidence is the checks that ran before the divergence", "[scenario-run][REG-8]") {
  // The callback of step 5 is dropped: steps 6.. check nothing, and what step 5 matched (its
  // Return) is all it vouches for.
  Scenario s = parsed(
      "scenario: t\nrules: REG-8\n"
      "A1 CreateJob J1\n"
      "A1 AddFile J1\n"
      "A1 SetNotifyInterface J1 o2\n"
      "A1 Resume J1\n"
      "Transfer J1\n"
      "A1 Complete J1\n"
      "A1 CreateJob J2\n"
      "A1 SetNotifyFlags J2 0x20\n"
      "A1 GetNotifyFlags J2\n");
  ScenarioResult r = runScenario(s, faulty(FaultySut::Fault::DropCallbacks));
  REQUIRE(r.kind == RunOutcome::Diverged);
  REQUIRE(r.verdict.divergence);
  const size_t k = r.verdict.divergence->step;
  CHECK(k == 4);
  Model model(s.config);
  RuleSet before, after;
  for (size_t i = 0; i < s.steps.size(); ++i) {
    Observations got;
    model.step(s.steps[i].command, got);
    for (size_t o = 0; o < got.size(); ++o) {
      if (i < k || (i == k && o == 0)) before.add(got[o].checkedRules());
      else after.add(got[o].checkedRules());
    }
    if (i < k)
      for (const Withheld& w : model.withheld()) before.add(w.rules).add(w.provenance);
  }
  // The probe's getters (oracle/refine.h) that matched are checks too: GetNotifyFlags and
  // GetNotifyInterface before the step (GetState after it does not count: it follows the divergence).
  const RuleSet probes{Rule::FLAG_10, Rule::REG_11};
  INFO("checked " << r.verdict.evidence.checked().toString() << "\nbefore " << before.toString() << "\n" << r.message);
  CHECK(r.verdict.evidence.checked().without(before).without(probes).empty());
  // The test means something only if a later step carries a rule no earlier step did.
  RuleSet onlyAfter = after.without(before).without(probes);
  REQUIRE(!onlyAfter.empty());
  for (Rule rule : onlyAfter.list()) CHECK_FALSE(r.verdict.evidence.checked().has(rule));
  CHECK(r.verdict.evidence.failed == r.verdict.divergence->comparison.rules);
}

TEST_CASE("a SUT run records the SUT's observed trace in scenario syntax", "[scenario-run][REG-8]") {
  SutFactory model = [] { return std::make_unique<ModelSut>(); };
  ScenarioResult pass = runScenario(parsed(kLate), model);
  REQUIRE(pass.kind == RunOutcome::Pass);
  CHECK(pass.trace ==
        "A1 CreateJob J1\n  -> S_OK\n"
        "A1 AddFile J1\n  -> S_OK\n"
        "A1 Resume J1\n  -> S_OK\n"
        "Transfer J1\n  -> S_OK\n"
        "A1 SetNotifyInterface J1 o2\n  -> S_OK\n  callback A1#1.o2 JobTransferred J1 -> S_OK\n");

  // A divergence: the trace stops at the diverging step, with what the SUT gave and a marker.
  ScenarioResult diverged = runScenario(parsed(kLate), faulty(FaultySut::Fault::DropCallbacks));
  REQUIRE(diverged.kind == RunOutcome::Diverged);
  CHECK(diverged.trace.rfind("A1 CreateJob J1\n  -> S_OK\n", 0) == 0);
  CHECK(diverged.trace.find("A1 SetNotifyInterface J1 o2\n  -> S_OK\n  # differs from the model: ") != std::string::npos);
  INFO(diverged.trace);
  CHECK(diverged.trace.find("\n  callback") == std::string::npos);  // the SUT gave none
  // The marker is one line, the trace's last: what differs, not the observations again.
  const size_t marker = diverged.trace.find("  # differs from the model: ");
  REQUIRE(marker != std::string::npos);
  CHECK(diverged.trace.find('\n', marker) == diverged.trace.size() - 1);
  CHECK(diverged.trace.find("expected:", marker) == std::string::npos);

  // A crash: the trace ends with the step the SUT died on and why.
  ScenarioResult crashed = runScenario(parsed(kLate), faulty(FaultySut::Fault::Throw));
  REQUIRE(crashed.kind == RunOutcome::Crashed);
  CHECK(crashed.trace ==
        "A1 CreateJob J1\n  -> S_OK\n"
        "A1 AddFile J1\n  -> S_OK\n"
        "A1 Resume J1\n  -> S_OK\n"
        "Transfer J1\n  # crashed: step 4 'Transfer J1': adapter died\n");

  // Not run on the SUT: no trace, and the model's rules stay as coverage.
  ScenarioResult na = runScenario(parsed("version: 10.3\n" + kLate), faulty(FaultySut::Fault::OldVersion));
  REQUIRE(na.kind == RunOutcome::NotApplicable);
  CHECK(na.trace.empty());
  CHECK(na.consulted.has(Rule::REG_8));
}

TEST_CASE("with the capabilities known beforehand an inapplicable scenario starts no SUT and says why as before",
          "[scenario-run]") {
  int starts = 0;
  auto counting = [&starts](FaultySut::Fault f) -> SutFactory {
    return [&starts, f] {
      ++starts;
      return std::make_unique<FaultySut>(f);
    };
  };
  Capabilities oldVersion = FaultySut(FaultySut::Fault::OldVersion).capabilities();
  Capabilities noCmd = FaultySut(FaultySut::Fault::NoCommandLine).capabilities();
  Scenario pinned = parsed("version: 10.3\n" + kLate);
  Scenario cmd = parsed("scenario: t\nrules: CMD-1\nA1 CreateJob J1\nA1 SetNotifyCmdLine J1 ok args\n");
  Scenario clsid = parsed("scenario: t\nrules: CLSID-1\nA1 CreateJob J1\nA1 SetNotifyClsid J1 ClsidA\n");
  for (auto [scenario, fault, caps] : {std::tuple{&pinned, FaultySut::Fault::OldVersion, &oldVersion},
                                       std::tuple{&cmd, FaultySut::Fault::NoCommandLine, &noCmd},
                                       std::tuple{&clsid, FaultySut::Fault::OldVersion, &oldVersion}}) {
    ScenarioResult late = runScenario(*scenario, counting(fault));  // the SUT is started, then found wanting
    REQUIRE(starts == 1);
    ScenarioResult early = runScenario(*scenario, counting(fault), caps);
    CHECK(starts == 1);  // not started
    CHECK(early.kind == RunOutcome::NotApplicable);
    CHECK(early.verdict.kind == RunOutcome::NotApplicable);
    CHECK(early.message == late.message);
    CHECK(early.consulted == late.consulted);
    starts = 0;
  }
  // An applicable scenario still runs, on a SUT that is started for it.
  Capabilities model = ModelSut().capabilities();
  CHECK(runScenario(parsed(kLate), counting(FaultySut::Fault::NoCommandLine), &model).kind == RunOutcome::Pass);
  CHECK(starts == 1);
}

// `bitsconf run --policy` applies to scenarios: each runs under the run's policies unless its own
// policy: lines pin one the run leaves alone; one it cannot be checked under says so.
TEST_CASE("a scenario under a run's policies: pinned settings kept, conflicts and policy-bound expect lines named",
          "[scenario-run][OQ-7b]") {
  const std::string body =
      "rules: CB-1\n\nA1 CreateJob J1\nA1 AddFile J1\nA1 SetNotifyInterface J1 o2\nA1 Behave o2 sfalse\n"
      "A1 Resume J1\nTransfer J1\n  expect -> S_OK\n  expect callback A1#1.o2 JobTransferred J1 -> S_FALSE\n"
      "Tick 600s\n";
  Scenario plain = parsed("scenario: no claims\nrules: REG-1\n\nA1 CreateJob J1\n");
  Scenario againAfterSFalse = parsed("scenario: S_FALSE is called again\n" + body +
                                     "  expect -> S_OK\n  expect callback A1#1.o2 JobTransferred J1 -> S_FALSE\n");
  Scenario delivers = parsed("scenario: S_FALSE delivers\npolicy: OQ-7b=alt\n" + body + "  expect -> S_OK\n");
  Policies alt;
  REQUIRE(setPolicy(alt, "OQ-7b", "alt").ok());
  Policies defaults;

  auto under = underRunPolicies(plain, alt, {"OQ-7b"});
  REQUIRE(std::holds_alternative<Scenario>(under));
  CHECK(std::get<Scenario>(under).config.policies == alt);  // the run's policy reaches the scenario
  // Written for the default reading: its expect lines contradict the run's.
  under = underRunPolicies(againAfterSFalse, alt, {"OQ-7b"});
  REQUIRE(std::holds_alternative<std::string>(under));
  CHECK(std::get<std::string>(under) ==
        "policy not exercised: its expect lines hold under the default policies, not under the run's OQ-7b=alt");
  // Pinned to alt: runs as written when the run leaves OQ-7b alone, and under a run set to alt.
  under = underRunPolicies(delivers, defaults, {});
  REQUIRE(std::holds_alternative<Scenario>(under));
  CHECK(std::get<Scenario>(under).config.policies == alt);
  CHECK(std::holds_alternative<Scenario>(underRunPolicies(delivers, alt, {"OQ-7b"})));
  // A run explicitly set to the other reading cannot check it.
  under = underRunPolicies(delivers, defaults, {"OQ-7b"});
  REQUIRE(std::holds_alternative<std::string>(under));
  CHECK(std::get<std::string>(under) ==
        "policy not exercised: the scenario is written for OQ-7b=alt, the run is set to OQ-7b=default");
}
