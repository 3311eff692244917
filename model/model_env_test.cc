// model_env_test.cc: sections 4, 6 and 8 of docs/semantics.md: the network and scheduler,
// Tick and its timers, service restart and reboot.
#include "model/model.h"

#include "model/model_testing.h"

using namespace bc;
using namespace bc::testing;

namespace {
constexpr const char* kJobWithO2 = R"(
  A1 CreateJob J1
  A1 AddFile J1
  A1 AddFile J1
  A1 SetNotifyInterface J1 o2
  A1 Resume J1
)";
}  // namespace

TEST_CASE("the scheduler: QUEUED -> CONNECTING -> TRANSFERRING -> TRANSFERRED", "[STATE-5][STATE-7]") {
  Model m;
  run(m, kJobWithO2);
  run(m, R"(
    Connect J1
      -> S_OK
    A1 GetState J1
      -> S_OK state=CONNECTING
    Connect J1
      -> S_FALSE
    Progress J1
      -> S_OK
    A1 GetState J1
      -> S_OK state=TRANSFERRING
    Progress J1
      -> S_OK
      callback A1#1.o2 JobTransferred J1 -> S_OK
    A1 GetState J1
      -> S_OK state=TRANSFERRED
    Progress J1
      -> S_FALSE
  )");
}

TEST_CASE("a transient error never raises JobError and is retried after MinimumRetryDelay", "[EVT-4][STATE-8][LIFE-4]") {
  Model m;
  run(m, kJobWithO2);
  auto obs = run(m, R"(
    TransientError J1
      -> S_OK
    A1 GetState J1
      -> S_OK state=TRANSIENT_ERROR
    Tick 599s
    A1 GetState J1
      -> S_OK state=TRANSIENT_ERROR
    Tick 1s
    A1 GetState J1
      -> S_OK state=QUEUED
  )");
  Observations te;
  Model m2;
  run(m2, kJobWithO2);
  te = step(m2, "TransientError J1", nullptr);
  CHECK(stepRules(te).has(Rule::EVT_4));
}

TEST_CASE("NoProgressTimeout in TRANSIENT_ERROR moves the job to ERROR and raises JobError", "[EVT-5][LIFE-3][STATE-8]") {
  Model m;
  run(m, kJobWithO2);
  auto obs = run(m, R"(
    NetDown
      -> S_OK
    A1 GetState J1
      -> S_OK state=TRANSIENT_ERROR
    Tick 13d
      -> S_OK
    Tick 1d
      -> S_OK
      callback A1#1.o2 JobError J1 -> S_OK
    A1 GetState J1
      -> S_OK state=ERROR
  )");
  CHECK(m.now() == kNoProgressTimeoutMs);
}

// LIFE-3 (SetNoProgressTimeout: "after the first transient error occurs"; bitsadmin: "begins
// when the job encounters its first transient error", reset by a byte transferred).
TEST_CASE("the no-progress period begins at the first transient error, not at the job's creation", "[EVT-5][LIFE-3][STATE-8]") {
  Model m;
  run(m, R"(
    A1 CreateJob J1
    A1 AddFile J1
    A1 SetNotifyInterface J1 o2
    Tick 20d
    A1 Resume J1
    NetDown
      -> S_OK
    A1 GetState J1
      -> S_OK state=TRANSIENT_ERROR
    Tick 13d
      -> S_OK
    A1 GetState J1
      -> S_OK state=TRANSIENT_ERROR
    Tick 1d
      -> S_OK
      callback A1#1.o2 JobError J1 -> S_OK
  )");
  CHECK(m.now() == 20 * 86'400'000ull + kNoProgressTimeoutMs);
}

TEST_CASE("a later transient error keeps the period running: progress resets it", "[EVT-5][LIFE-3][STATE-8]") {
  Model m;
  run(m, kJobWithO2);
  run(m, R"(
    TransientError J1
      -> S_OK
    Tick 7d
    A1 GetState J1
      -> S_OK state=QUEUED
    NetDown
    A1 GetState J1
      -> S_OK state=TRANSIENT_ERROR
    Tick 7d
      -> S_OK
      callback A1#1.o2 JobError J1 -> S_OK
  )");
  CHECK(m.now() == kNoProgressTimeoutMs);
  Model p;
  run(p, kJobWithO2);
  run(p, R"(
    TransientError J1
      -> S_OK
    Tick 10d
    Progress J1
      -> S_OK
    NetDown
    Tick 13d
      -> S_OK
    A1 GetState J1
      -> S_OK state=TRANSIENT_ERROR
    Tick 1d
      -> S_OK
      callback A1#1.o2 JobError J1 -> S_OK
  )");
  CHECK(p.now() == 10 * 86'400'000ull + kNoProgressTimeoutMs);
}

TEST_CASE("the no-progress period survives a service restart", "[LIFE-3][REG-4]") {
  Model m;
  run(m, kJobWithO2);
  run(m, R"(
    NetDown
    Tick 10d
    ServiceRestart
    A1 SetNotifyInterface J1 o2
    Tick 4d
      -> S_OK
      callback A1#1.o2 JobError J1 -> S_OK
  )");
  CHECK(m.now() == kNoProgressTimeoutMs);
}

TEST_CASE("the network: lost, every action job waits: back, every TRANSIENT_ERROR job is queued", "[STATE-9]") {
  Model m;
  run(m, kJobWithO2);
  run(m, R"(
    A1 CreateJob J2
    A1 AddFile J2
    A1 Resume J2
    Connect J2
    NetDown
      -> S_OK
    A1 GetState J1
      -> S_OK state=TRANSIENT_ERROR
    A1 GetState J2
      -> S_OK state=TRANSIENT_ERROR
    A1 Resume J1
    Connect J1
      -> S_FALSE
    Progress J1
      -> S_FALSE
    Tick 10min
    A1 GetState J1
      -> S_OK state=QUEUED
    A1 GetState J2
      -> S_OK state=TRANSIENT_ERROR
    NetUp
      -> S_OK
    A1 GetState J2
      -> S_OK state=QUEUED
  )");
}

TEST_CASE("JobModification: raised by changes, paced to one per 500 ms, changes in between merged", "[EVT-6][EVT-8][EVT-11]") {
  Model m;
  run(m, kJobWithO2);
  run(m, R"(
    A1 SetNotifyFlags J1 0x0B
      -> S_OK
      callback A1#1.o2 JobModification J1 -> S_OK
    Tick 1s
    A1 AddFile J1
      -> S_OK
      callback A1#1.o2 JobModification J1 -> S_OK
    Connect J1
      -> S_OK
    Tick 499ms
      -> S_OK
    Tick 1ms
      -> S_OK
      callback A1#1.o2 JobModification J1 -> S_OK
    Tick 10s
      -> S_OK
    Progress J1
      -> S_OK
      callback A1#1.o2 JobModification J1 -> S_OK
  )");
}

TEST_CASE("no JobModification for the move into TRANSFERRED or ERROR", "[EVT-7][EVT-13]") {
  Model m;
  run(m, kJobWithO2);
  auto obs = run(m, R"(
    A1 SetNotifyFlags J1 0x0B
    Tick 1s
    Transfer J1
      -> S_OK
      callback A1#1.o2 JobTransferred J1 -> S_OK
  )");
  CHECK(stepRules(obs).has(Rule::EVT_7));
  Model e;
  run(e, kJobWithO2);
  run(e, R"(
    A1 SetNotifyFlags J1 0x0B
    Tick 1s
    FatalError J1
      -> S_OK
      callback A1#1.o2 JobError J1 -> S_OK
  )");
}

TEST_CASE("a service restart forgets the object but keeps flags, CLSID and command line", "[REG-4][CLSID-5][CMD-14]") {
  Model m;
  run(m, kJobWithO2);
  auto obs = run(m, R"(
    RegisterServer ClsidA ok
    A1 SetNotifyClsid J1 ClsidA
    A1 SetNotifyFlags J1 0x01
    A1 SetNotifyCmdLine J1 ok args
    Connect J1
    ServiceRestart
      -> S_OK
    A1 GetNotifyInterface J1
      -> S_OK iface=NULL
    A1 GetNotifyClsid J1
      -> S_OK clsid=ClsidA
    A1 GetNotifyFlags J1
      -> S_OK flags=0x01
    A1 GetNotifyCmdLine J1
      -> S_OK cmdline=ok args
    A1 GetState J1
      -> S_OK state=QUEUED
    Transfer J1
      -> S_OK
      activate ClsidA J1 -> S_OK ClsidA#1
      callback ClsidA#1 JobTransferred J1 -> S_OK
  )");
}

TEST_CASE("after a restart an owed event is delivered at once through the CLSID", "[CLSID-13][CLSID-5][REG-4]") {
  Model m;
  run(m, kJobWithO2);
  auto obs = run(m, R"(
    RegisterServer ClsidA ok
    A1 SetNotifyClsid J1 ClsidA
    A1 Behave o2 fail
    Transfer J1
      -> S_OK
      callback A1#1.o2 JobTransferred J1 -> E_FAIL
    ServiceRestart
      -> S_OK
      activate ClsidA J1 -> S_OK ClsidA#1
      callback ClsidA#1 JobTransferred J1 -> S_OK
  )");
  CHECK(stepRules(obs).has(Rule::REG_4));
  CHECK(stepRules(obs).has(Rule::CLSID_5));
}

TEST_CASE("a restart re-schedules a TRANSIENT_ERROR job and abandons hung calls", "[STATE-8][CB-12][REG-4]") {
  Model m;
  run(m, kJobWithO2);
  run(m, R"(
    TransientError J1
    Tick 300s
    ServiceRestart
    Tick 599s
    A1 GetState J1
      -> S_OK state=TRANSIENT_ERROR
    Tick 1s
    A1 GetState J1
      -> S_OK state=QUEUED
    A1 SetNotifyInterface J1 o2
    A1 Behave o2 hang
    Transfer J1
      -> S_OK
      callback A1#1.o2 JobTransferred J1 -> hang
    ServiceRestart
      -> S_OK
  )");
  CHECK(m.hungCallCount() == 0);
  CHECK(m.armed(1));
  run(m, R"(
    A1 SetNotifyInterface J1 o3
      -> S_OK
      callback A1#1.o3 JobTransferred J1 -> S_OK
  )");
}

TEST_CASE("a reboot ends every process: the CLSID survives and a new server object is made", "[CLSID-13][CLSID-5][REG-4]") {
  Model m;
  run(m, R"(
    RegisterServer ClsidA fail
    A1 CreateJob J1
    A1 AddFile J1
    A1 SetNotifyClsid J1 ClsidA
    A1 Resume J1
    Transfer J1
      -> S_OK
      activate ClsidA J1 -> S_OK ClsidA#1
      callback ClsidA#1 JobTransferred J1 -> E_FAIL
    RegisterServer ClsidA ok
    Reboot
      -> S_OK
      activate ClsidA J1 -> S_OK ClsidA#2
      callback ClsidA#2 JobTransferred J1 -> S_OK
  )");
  CHECK_FALSE(m.appRunning(1));
  run(m, "A1 GetNotifyInterface J1\n-> S_OK iface=ClsidA#2");
  CHECK(m.appIncarnation(1) == 2);
}

TEST_CASE("Tick fires each timer at its own instant, in order", "[LIFE-4][LIFE-7][CB-1]") {
  Model m;
  run(m, kJobWithO2);
  run(m, R"(
    A1 CreateJob J2
    A1 AddFile J2
    A1 SetNotifyInterface J2 o3
    A1 Resume J2
    A1 Behave o2 failonce
    A1 Behave o3 failonce
    Transfer J1
      -> S_OK
      callback A1#1.o2 JobTransferred J1 -> E_FAIL
    Tick 1s
    Transfer J2
      -> S_OK
      callback A1#1.o3 JobTransferred J2 -> E_FAIL
    Tick 30min
      -> S_OK
      callback A1#1.o2 JobTransferred J1 -> S_OK
      callback A1#1.o3 JobTransferred J2 -> S_OK
  )");
  CHECK(m.now() == 1000 + 30 * 60000);
}

TEST_CASE("a restart names REG-4 and CLSID-5 only where it forgets an object or keeps a CLSID", "[REG-4][CLSID-5][CLSID-13]") {
  // A rule a step names is one that step checks: a restart of jobs with neither an object nor a
  // CLSID checks neither rule (a BITS without CLSIDs must not pass CLSID-5 by restarting).
  auto restartRules = [](const std::vector<std::string>& before, const char* restart) {
    Model m{ModelConfig{}};
    Observations out;
    for (const auto& s : before) {
      out.clear();
      m.step(parseCommand(s).value(), out);
    }
    out.clear();
    m.step(parseCommand(restart).value(), out);
    return out.at(0).rules;
  };
  RuleSet bare = restartRules({"A1 CreateJob J1", "A1 SetNotifyFlags J1 0x0B"}, "ServiceRestart");
  CHECK_FALSE(bare.has(Rule::REG_4));
  CHECK_FALSE(bare.has(Rule::CLSID_5));
  RuleSet object = restartRules({"A1 CreateJob J1", "A1 SetNotifyInterface J1 o2"}, "ServiceRestart");
  CHECK(object.has(Rule::REG_4));
  CHECK_FALSE(object.has(Rule::CLSID_5));
  RuleSet clsid = restartRules({"A1 CreateJob J1", "A1 SetNotifyClsid J1 ClsidA"}, "Reboot");
  CHECK(clsid.has(Rule::CLSID_5));
  CHECK(clsid.has(Rule::CLSID_13));
  CHECK_FALSE(clsid.has(Rule::REG_4));
}
