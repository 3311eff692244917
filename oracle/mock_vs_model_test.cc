// The differential test: the mock (sut/mock) against the reference model (model/), step by
// step through oracle/runner.h. Two implementations written from docs/semantics.md by
// different people must agree exactly (the mock is deterministic: exactModification).
// This test, not the mock library, links the model.
#include <catch2/catch.hpp>
#include <map>
#include <string>
#include <vector>

#include "oracle/runner.h"
#include "sut/registry/sut_registry.h"
#include "sut/mock/mock_sut.h"
#include "sut/mock/test_util.h"
#include "sut/mutants/mutant.h"
#include "vocab/command_text.h"

using namespace bc;
using namespace bc::mock;

namespace {

Verdict agree(const std::vector<Command>& commands, BitsVersion version = kNewestBits) {
  MockOptions o;
  o.version = version;
  MockSut sut(o);
  ModelConfig config;
  config.version = version;
  return runSequence(commands, config, sut);
}

void requireAgreement(const std::string& script, BitsVersion version = kNewestBits) {
  auto commands = parseScript(script);
  Verdict v = agree(commands, version);
  INFO(describe(v, commands));
  CHECK(v.passed());
}

}  // namespace

TEST_CASE("mock = model: API calls, every kind", "[differential][STATE-3][STATE-4][REG-11][FLAG-4][CMD-3][CMD-4]") {
  requireAgreement(R"(
    A1 GetState J1
    A1 CreateJob J1
    A1 CreateJob J1
    A1 GetState J1
    A1 Resume J1
    A1 AddFile J1
    A1 AddFile J1
    A1 Resume J1
    A1 Suspend J1
    A1 Suspend J1
    A1 SetNotifyInterface J1 o2
    A1 SetNotifyInterface J1 o4
    A1 GetNotifyInterface J1
    A1 GetNotifyInterface J1 nullout
    A1 SetNotifyFlags J1 0x40
    A1 SetNotifyFlags J1 0x3F
    A1 GetNotifyFlags J1
    A1 GetNotifyFlags J1 nullout
    A1 SetNotifyCmdLine J1 NULL args
    A1 SetNotifyCmdLine J1 long args
    A1 SetNotifyCmdLine J1 ok longargs
    A1 SetNotifyCmdLine J1 ok args
    A1 GetNotifyCmdLine J1
    A1 SetNotifyClsid J1 ClsidA
    A1 GetNotifyClsid J1
    A1 SetNotifyClsid J1 GUID_NULL
    A1 Complete J1
    A1 Complete J1
    A1 GetState J1
    A1 SetNotifyFlags J1 0x03
    A1 SetNotifyInterface J1 NULL
    A1 GetNotifyFlags J1
    A1 CreateJob J1
    A1 Cancel J1
  )");
}

TEST_CASE("mock = model: versions", "[differential][VER-1][CMD-8][OQ-30]") {
  const char* script = R"(
    A1 CreateJob J1
    A1 SetNotifyCmdLine J1 fail args
    A1 GetNotifyCmdLine J1
    A1 SetNotifyClsid J1 ClsidA
    A1 GetNotifyClsid J1
    A1 SetNotifyFlags J1 0x1F
    A1 SetNotifyFlags J1 0x13
    A1 AddFile J1
    A1 Resume J1
    Transfer J1
    Tick 600s
    Tick 600s
  )";
  for (BitsVersion v : {BitsVersion::V1_0, BitsVersion::V1_5, BitsVersion::V2_0, BitsVersion::V3_0,
                        BitsVersion::V5_0, BitsVersion::V10_1}) {
    INFO("version " << toString(v));
    requireAgreement(script, v);
  }
}

TEST_CASE("mock = model: environment, objects, servers, faults", "[differential][STATE-9][DISP-3][CLSID-13][CB-12]") {
  requireAgreement(R"(
    A1 CreateJob J1
    A1 AddFile J1
    A1 AddFile J1
    A1 SetNotifyFlags J1 0x1B
    A1 SetNotifyInterface J1 o2
    A1 Resume J1
    Connect J1
    Progress J1
    Tick 500ms
    TransientError J1
    NetDown
    NetUp
    Tick 600s
    Progress J1
    A1 Exit
    RegisterServer ClsidA failonce
    A2 SetNotifyClsid J1 ClsidA
    A2 Resume J1
    A2 AddFile J1
    A2 Resume J1
    Transfer J1
    Tick 600s
    ServerExit ClsidA
    A2 CreateJob J2
    A2 AddFile J2
    A2 Resume J2
    A2 Behave o3 hang
    A2 SetNotifyInterface J2 o3
    FatalError J2
    A2 Exit
    ServiceRestart
    UnregisterServer ClsidA
    Reboot
    A3 GetState J1
  )");
}

// docs/semantics.md section 5: "Within one settle a job is dispatched at most once, and once more
// each time one of its hung calls ends during that settle". J1 hangs and J2 crashes the same app
// at the same timer instant: J1's call ends, so J1 goes to its CLSID in that settle, and the
// failed activation's retry counts from that instant (600 s), not from the end of the Tick.
TEST_CASE("mock = model: a job whose hung call ends during a settle is dispatched again in it", "[differential][REG-7][CB-12]") {
  requireAgreement(R"(
    A1 CreateJob J1
    A1 AddFile J1
    A1 Resume J1
    A1 CreateJob J2
    A1 AddFile J2
    A1 Resume J2
    A1 SetNotifyInterface J1 o2
    A1 SetNotifyInterface J2 o3
    A1 SetNotifyClsid J1 ClsidC
    A1 Behave o2 fail
    A1 Behave o3 fail
    Transfer J1
    Transfer J2
    A1 Behave o2 hang
    A1 Behave o3 crash
    Tick 700s
    Tick 500s
  )");
}

TEST_CASE("mock = model: seeded random sequences", "[differential]") {
  const int kSequences = 3000;
  int failures = 0;
  for (int seed = 1; seed <= kSequences && failures < 3; ++seed) {
    auto commands = randomSequence(static_cast<uint64_t>(seed), 40);
    Verdict v = agree(commands);
    if (!v.passed()) {
      ++failures;
      UNSCOPED_INFO("seed " << seed << "\n" << describe(v, commands));
    }
  }
  CHECK(failures == 0);
}

// Each policy the mock can follow: the model's setting and the mock's reading that match it.
// Both settings of each must agree, on a script that tells them apart and on random sequences.
struct Reading {
  const char* policy;
  void (*model)(Policies&);  // the alternative setting
  void (*mock)(MockReadings&);
  const char* script;        // where the two settings differ
};

const Reading kReadings[] = {
    {"OQ-7a", [](Policies& p) { p.fileSucceededDelivers = false; }, [](MockReadings& r) { r.fileSFalseDelivers = false; },
     "A1 CreateJob J1\nA1 AddFile J1\nA1 SetNotifyInterface J1 o2\nA1 SetNotifyFlags J1 0x13\nA1 Behave o2 sfalse\n"
     "A1 Resume J1\nTransfer J1\nTick 600s\nA1 Behave o2 ok\nTick 600s"},
    {"OQ-7b", [](Policies& p) { p.jobEventOnlySOk = false; }, [](MockReadings& r) { r.jobEventNeedsSOk = false; },
     "A1 CreateJob J1\nA1 AddFile J1\nA1 SetNotifyInterface J1 o2\nA1 Behave o2 sfalse\nA1 Resume J1\nTransfer J1\n"
     "Tick 600s\nA1 CreateJob J2\nA1 AddFile J2\nA1 SetNotifyInterface J2 o2\nA1 Resume J2\nFatalError J2\nTick 600s"},
    {"OQ-7c", [](Policies& p) { p.cmdLineOnlyOnFailureCode = false; }, [](MockReadings& r) { r.cmdLineOnFailureCodeOnly = false; },
     "A1 CreateJob J1\nA1 AddFile J1\nA1 SetNotifyInterface J1 o2\nA1 SetNotifyCmdLine J1 fail args\nA1 Behave o2 sfalse\n"
     "A1 Resume J1\nTransfer J1\nTick 600s\nTick 600s"},
    {"MP-1", [](Policies& p) { p.setCallModifies = false; }, [](MockReadings& r) { r.setCallModifies = false; },
     "A1 CreateJob J1\nA1 SetNotifyInterface J1 o2\nA1 SetNotifyFlags J1 0x0B\nTick 1s\nA1 SetNotifyFlags J1 0x0B\n"
     "Tick 1s\nA1 SetNotifyInterface J1 o2\nTick 1s\nA1 SetNotifyCmdLine J1 NULL NULL\nTick 1s\n"
     "A1 SetNotifyClsid J1 GUID_NULL"},
    {"MP-2", [](Policies& p) { p.deadObjectInvalidForFiles = false; }, [](MockReadings& r) { r.deadObjectInvalidFirst = false; },
     "RegisterServer ClsidA ok\nA1 CreateJob J1\nA1 AddFile J1\nA1 SetNotifyInterface J1 o1\nA1 SetNotifyClsid J1 ClsidA\n"
     "A1 SetNotifyFlags J1 0x11\nA1 Resume J1\nA1 Exit\nTransfer J1\nA2 GetNotifyInterface J1"},
    {"MP-3", [](Policies& p) { p.lateFileFlagDelivers = false; }, [](MockReadings& r) { r.lateFileFlagDelivers = false; },
     "A1 CreateJob J1\nA1 AddFile J1\nA1 AddFile J1\nA1 SetNotifyInterface J1 o2\nA1 Resume J1\nProgress J1\n"
     "ServiceRestart\nA1 SetNotifyInterface J1 o2\nA1 SetNotifyFlags J1 0x13\nProgress J1\nA1 SetNotifyFlags J1 0x13"},
    {"MP-4", [](Policies& p) { p.clsidWaitsForActivationRetry = false; }, [](MockReadings& r) { r.clsidWaitsForActivationRetry = false; },
     "RegisterServer ClsidA ok\nA1 CreateJob J1\nA1 AddFile J1\nA1 SetNotifyClsid J1 ClsidC\nA1 Resume J1\nTransfer J1\n"
     "A1 SetNotifyClsid J1 ClsidA\nTick 600s"},
    {"OQ-27", [](Policies& p) { p.cmdLineSparedByHungLimit = false; }, [](MockReadings& r) { r.cmdLineSparedByHungLimit = false; },
     "A1 Behave o2 hang\nA1 CreateJob J1\nA1 AddFile J1\nA1 SetNotifyInterface J1 o2\nA1 Resume J1\nTransfer J1\n"
     "A1 CreateJob J2\nA1 AddFile J2\nA1 SetNotifyInterface J2 o2\nA1 Resume J2\nTransfer J2\n"
     "A1 CreateJob J3\nA1 AddFile J3\nA1 SetNotifyInterface J3 o2\nA1 Resume J3\nTransfer J3\n"
     "A1 CreateJob J4\nA1 AddFile J4\nA1 SetNotifyInterface J4 o2\nA1 Resume J4\nTransfer J4\n"
     "A2 CreateJob J5\nA2 AddFile J5\nA2 SetNotifyCmdLine J5 ok args\nA2 Resume J5\nTransfer J5\nA1 Exit"},
};

// The model with the alternative setting or not, the mock with the alternative reading or not.
Verdict withReading(const std::vector<Command>& commands, const Reading& r, bool modelAlt, bool mockAlt) {
  MockOptions o;
  if (mockAlt) r.mock(o.readings);
  ModelConfig config;
  if (modelAlt) r.model(config.policies);
  MockSut sut(o);
  return runSequence(commands, config, sut);
}

TEST_CASE("mock = model: every policy the mock follows, both settings", "[differential][policy]") {
  for (const Reading& r : kReadings) {
    for (bool alt : {false, true}) {
      INFO(r.policy << (alt ? " alternative" : " default"));
      auto commands = parseScript(r.script);
      Verdict v = withReading(commands, r, alt, alt);
      INFO(describe(v, commands));
      CHECK(v.passed());
      CHECK_FALSE(withReading(commands, r, alt, !alt).passed());  // the script tells the settings apart
      int failures = 0;
      for (int seed = 1; seed <= 300 && failures < 3; ++seed) {
        auto random = randomSequence(static_cast<uint64_t>(seed), 40);
        Verdict rv = withReading(random, r, alt, alt);
        if (!rv.passed()) {
          ++failures;
          UNSCOPED_INFO("seed " << seed << "\n" << describe(rv, random));
        }
      }
      CHECK(failures == 0);
    }
  }
}

TEST_CASE("the random sequences reach callbacks, activations, command lines and kill mutants", "[differential]") {
  std::map<ObsKind, int> seen;
  for (int seed = 1; seed <= 300; ++seed) {
    MockSut sut;
    Observations obs;
    for (const Command& c : randomSequence(static_cast<uint64_t>(seed), 40)) {
      obs.clear();
      REQUIRE(sut.execute(c, obs).isDone());
      for (const auto& o : obs) ++seen[o.kind];
    }
  }
  CHECK(seen[ObsKind::Callback] > 300);
  CHECK(seen[ObsKind::Activation] > 30);
  CHECK(seen[ObsKind::CmdLine] > 30);
  int killed = 0;
  for (const auto& info : allMutants()) {
    bool dead = false;
    for (int seed = 1; seed <= 500 && !dead; ++seed) {
      MockOptions o;
      applyMutant(o, info.mutant);
      MockSut sut(o);
      ModelConfig config;
      dead = !runSequence(randomSequence(static_cast<uint64_t>(seed), 40), config, sut).passed();
    }
    if (dead) ++killed;
    else UNSCOPED_INFO("not killed by 500 random sequences: " << info.name);
  }
  WARN("random sequences kill " << killed << " of " << allMutants().size() << " mutants; callbacks "
       << seen[ObsKind::Callback] << ", activations " << seen[ObsKind::Activation] << ", command lines "
       << seen[ObsKind::CmdLine] << " in 300 sequences");
  CHECK(killed >= 20);
}

TEST_CASE("the SUT registry makes the mock and its mutants by name", "[registry]") {
  SutRequest r;
  r.spec = "mock";
  r.version = BitsVersion::V2_0;
  auto sut = makeSutFactory(r)();
  CHECK(sut->capabilities().name == "mock");
  CHECK(sut->capabilities().version == BitsVersion::V2_0);
  r.spec = "mock:mutant=file-after-job";
  CHECK(makeSutFactory(r)()->capabilities().name == "mock:mutant=file-after-job");
  r.spec = "mock:mutant=no-such";
  CHECK_THROWS_AS(makeSutFactory(r), std::invalid_argument);
}

TEST_CASE("the SUT registry sets simulated SUTs to policies: a real implementation cannot be set", "[registry][policy]") {
  SutRequest r;
  CHECK(setPolicy(r.policies, "OQ-7b", "alt").ok());
  r.spec = "model";
  CHECK_FALSE(policiesNotFollowed(r));
  r.spec = "mock";
  CHECK_FALSE(policiesNotFollowed(r));
  // The mock made for OQ-7b=alt follows it: S_FALSE from JobTransferred is not called again.
  auto commands = parseScript(kReadings[1].script);
  ModelConfig alt;
  alt.policies = r.policies;
  CHECK(runSequence(commands, alt, *makeSutFactory(r)()).passed());
  r.spec = "mock:mutant=file-after-job";
  CHECK_FALSE(policiesNotFollowed(r));
  r.spec = "agent:./my-adapter";
  REQUIRE(policiesNotFollowed(r));
  CHECK_THAT(*policiesNotFollowed(r), Catch::Contains("cannot be set to OQ-7b=alt"));
  CHECK(setPolicy(r.policies, "OQ-4", "alt").ok());
  r.spec = "mock";
  REQUIRE(policiesNotFollowed(r));
  CHECK_THAT(*policiesNotFollowed(r), Catch::Contains("no reading for OQ-4=alt"));
  CHECK_THROWS_AS(makeSutFactory(r), std::invalid_argument);
  r.spec = "model";
  CHECK_FALSE(policiesNotFollowed(r));
  r.policies = Policies{};
  r.spec = "agent:./my-adapter";
  CHECK_FALSE(policiesNotFollowed(r));  // the defaults: what every implementation is judged by
}
