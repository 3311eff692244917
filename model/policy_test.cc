// policy_test.cc: both settings of every switchable policy (model/policy.h), and the policy
// names and values the command line accepts.
#include "model/policy.h"

#include "model/model.h"
#include "model/model_testing.h"

using namespace bc;
using namespace bc::testing;

namespace {
ModelConfig with(void (*set)(Policies&)) {
  ModelConfig c;
  set(c.policies);
  return c;
}
constexpr const char* kJobWithO2 = R"(
  A1 CreateJob J1
  A1 AddFile J1
  A1 SetNotifyInterface J1 o2
  A1 Resume J1
)";
}  // namespace

TEST_CASE("OQ-1: a final state releases the object, or keeps it", "[policy][OQ-1][STATE-3]") {
  Model def;
  run(def, kJobWithO2);
  run(def, "A1 Complete J1\n-> BG_S_PARTIAL_COMPLETE\nA1 GetNotifyInterface J1\n-> S_OK iface=NULL");
  Model alt(with([](Policies& p) { p.finalStateReleasesObject = false; }));
  run(alt, kJobWithO2);
  run(alt, "A1 Complete J1\n-> BG_S_PARTIAL_COMPLETE\nA1 GetNotifyInterface J1\n-> S_OK iface=A1#1.o2");
}

TEST_CASE("OQ-4: DISABLE stops the command line, or the command line follows the raw bits", "[policy][OQ-4][FLAG-3]") {
  const char* script = R"(
    A1 CreateJob J1
    A1 AddFile J1
    A1 SetNotifyInterface J1 o2
    A1 SetNotifyCmdLine J1 ok args
    A1 SetNotifyFlags J1 0x07
    A1 Resume J1
  )";
  Model def;
  run(def, script);
  run(def, "Transfer J1\n-> S_OK");
  Model alt(with([](Policies& p) { p.disableStopsCmdLine = false; }));
  run(alt, script);
  run(alt, "Transfer J1\n-> S_OK\ncmdline J1 ok args -> exit 0");
}

TEST_CASE("OQ-6: one JobModification per 500 ms, or every change", "[policy][OQ-6][EVT-11]") {
  const char* script = "A1 CreateJob J1\nA1 SetNotifyInterface J1 o2\nA1 SetNotifyFlags J1 0x08\nA1 AddFile J1";
  Model def;
  run(def, script);
  run(def, "A1 AddFile J1\n-> S_OK");
  Model alt(with([](Policies& p) { p.modIntervalMs = 0; }));
  run(alt, script);
  run(alt, "A1 AddFile J1\n-> S_OK\ncallback A1#1.o2 JobModification J1 -> S_OK");
}

// OQ-7a: FileTransferred "should return S_OK; otherwise, if negative, BITS continues to call
// this method": S_FALSE ends it by default.
TEST_CASE("OQ-7a: S_FALSE from FileTransferred delivers, or only S_OK does", "[policy][OQ-7a][CB-5]") {
  const char* setup = "A1 SetNotifyFlags J1 0x13\nA1 Behave o2 sfalse";
  Model def;
  run(def, kJobWithO2);
  run(def, setup);
  run(def, R"(
    Transfer J1
      -> S_OK
      callback A1#1.o2 FileTransferred J1 f1 -> S_FALSE
      callback A1#1.o2 JobTransferred J1 -> S_FALSE
    Tick 600s
      -> S_OK
      callback A1#1.o2 JobTransferred J1 -> S_FALSE
  )");
  Model alt(with([](Policies& p) { p.fileSucceededDelivers = false; }));
  run(alt, kJobWithO2);
  run(alt, setup);
  run(alt, R"(
    Transfer J1
      -> S_OK
      callback A1#1.o2 FileTransferred J1 f1 -> S_FALSE
    Tick 600s
      -> S_OK
      callback A1#1.o2 FileTransferred J1 f1 -> S_FALSE
  )");
}

// OQ-7b: JobTransferred/JobError "should return S_OK; otherwise, BITS continues to call this
// method until S_OK is returned": S_FALSE is called again by default.
TEST_CASE("OQ-7b: S_FALSE from JobTransferred/JobError is called again, or delivers", "[policy][OQ-7b][CB-1][CB-2]") {
  const char* transfer = "A1 Behave o2 sfalse\nTransfer J1\n-> S_OK\ncallback A1#1.o2 JobTransferred J1 -> S_FALSE";
  Model def;
  run(def, kJobWithO2);
  run(def, transfer);
  run(def, "Tick 600s\n-> S_OK\ncallback A1#1.o2 JobTransferred J1 -> S_FALSE");
  run(def, "A1 Behave o2 ok\nTick 600s\n-> S_OK\ncallback A1#1.o2 JobTransferred J1 -> S_OK");
  run(def, "Tick 600s\n-> S_OK");
  Model alt(with([](Policies& p) { p.jobEventOnlySOk = false; }));
  run(alt, kJobWithO2);
  run(alt, transfer);
  run(alt, "Tick 600s\n-> S_OK");
  Model err;
  run(err, kJobWithO2);
  run(err, "A1 Behave o2 sfalse\nFatalError J1\n-> S_OK\ncallback A1#1.o2 JobError J1 -> S_FALSE");
  run(err, "Tick 600s\n-> S_OK\ncallback A1#1.o2 JobError J1 -> S_FALSE");
}

// OQ-7c: SetNotifyCmdLine runs the program when the method "returns a failure code"; S_FALSE is
// not one, so by default the callback is called again instead.
TEST_CASE("OQ-7c: S_FALSE does not run the command line, or it does", "[policy][OQ-7c][CMD-11][CB-3]") {
  const char* setup = "A1 SetNotifyCmdLine J1 ok args\nA1 Behave o2 sfalse";
  Model def;
  run(def, kJobWithO2);
  run(def, setup);
  run(def, R"(
    Transfer J1
      -> S_OK
      callback A1#1.o2 JobTransferred J1 -> S_FALSE
    Tick 600s
      -> S_OK
      callback A1#1.o2 JobTransferred J1 -> S_FALSE
  )");
  Model alt(with([](Policies& p) { p.cmdLineOnlyOnFailureCode = false; }));
  run(alt, kJobWithO2);
  run(alt, setup);
  run(alt, R"(
    Transfer J1
      -> S_OK
      callback A1#1.o2 JobTransferred J1 -> S_FALSE
      cmdline J1 ok args -> exit 0
    Tick 600s
      -> S_OK
  )");
  // Where S_FALSE delivers (OQ-7b alternative) there is nothing for the command line to take over.
  Model delivers(with([](Policies& p) {
    p.jobEventOnlySOk = false;
    p.cmdLineOnlyOnFailureCode = false;
  }));
  run(delivers, kJobWithO2);
  run(delivers, setup);
  run(delivers, "Transfer J1\n-> S_OK\ncallback A1#1.o2 JobTransferred J1 -> S_FALSE");
}

TEST_CASE("OQ-9: after a failure the command line owns the event, or the callback is tried first again", "[policy][OQ-9][CB-3][CMD-12]") {
  const char* first = R"(
    A1 SetNotifyCmdLine J1 fail args
    A1 Behave o2 fail
    Transfer J1
      -> S_OK
      callback A1#1.o2 JobTransferred J1 -> E_FAIL
      cmdline J1 fail args -> exit 1
  )";
  Model def;
  run(def, kJobWithO2);
  run(def, first);
  run(def, "Tick 600s\n-> S_OK\ncmdline J1 fail args -> exit 1");
  Model alt(with([](Policies& p) { p.cmdLineOwnsEventAfterFailure = false; }));
  run(alt, kJobWithO2);
  run(alt, first);
  run(alt, "Tick 600s\n-> S_OK\ncallback A1#1.o2 JobTransferred J1 -> E_FAIL\ncmdline J1 fail args -> exit 1");
}

TEST_CASE("OQ-12: GetNotifyInterface returns the CLSID-created object, or NULL", "[policy][OQ-12][CLSID-8]") {
  const char* script = R"(
    RegisterServer ClsidA ok
    A1 CreateJob J1
    A1 AddFile J1
    A1 SetNotifyClsid J1 ClsidA
    A1 Resume J1
    Transfer J1
      -> S_OK
      activate ClsidA J1 -> S_OK ClsidA#1
      callback ClsidA#1 JobTransferred J1 -> S_OK
  )";
  Model def;
  run(def, script);
  run(def, "A1 GetNotifyInterface J1\n-> S_OK iface=ClsidA#1");
  Model alt(with([](Policies& p) { p.getReturnsActivatedObject = false; }));
  run(alt, script);
  run(alt, "A1 GetNotifyInterface J1\n-> S_OK iface=NULL");
}

TEST_CASE("OQ-13: a failed activation is retried after the delay, or left due for the next settle", "[policy][OQ-13][CLSID-3]") {
  const char* script = R"(
    A1 CreateJob J1
    A1 AddFile J1
    A1 SetNotifyClsid J1 ClsidB
    A1 Resume J1
    Transfer J1
      -> S_OK
      activate ClsidB J1 -> REGDB_E_CLASSNOTREG
  )";
  auto activations = [](const Observations& obs) {
    return std::count_if(obs.begin(), obs.end(), [](const Observation& o) { return o.kind == ObsKind::Activation; });
  };
  Model def;
  run(def, script);
  CHECK(activations(step(def, "Tick 1h", nullptr)) == 6);  // at 10, 20, ..., 60 min
  Model alt(with([](Policies& p) { p.activationFailureRetries = false; }));
  run(alt, script);
  CHECK(activations(step(alt, "Tick 1h", nullptr)) == 1);  // no timer: only the end-of-tick settle
  CHECK_FALSE(alt.retryPending(1));
}

TEST_CASE("OQ-21: setting the same object again re-delivers, or changes nothing", "[policy][OQ-21][REG-9]") {
  const char* script = "Transfer J1\n-> S_OK\ncallback A1#1.o2 JobTransferred J1 -> S_OK";
  Model def;
  run(def, kJobWithO2);
  run(def, script);
  run(def, "A1 SetNotifyInterface J1 o2\n-> S_OK\ncallback A1#1.o2 JobTransferred J1 -> S_OK");
  Model alt(with([](Policies& p) { p.samePointerRearms = false; }));
  run(alt, kJobWithO2);
  run(alt, script);
  run(alt, "A1 SetNotifyInterface J1 o2\n-> S_OK");
  run(alt, "A1 SetNotifyInterface J1 o3\n-> S_OK\ncallback A1#1.o3 JobTransferred J1 -> S_OK");
}

// MP-1: BG_JOB_TIMES counts the call ("calling any of the set methods ... changes this value");
// the alternative reads "properties have been modified" as a new value only.
TEST_CASE("MP-1: a setter call that writes the same value modifies the job, or only a new value does", "[policy][MP-1][EVT-6]") {
  const char* setup = R"(
    A1 CreateJob J1
    A1 SetNotifyInterface J1 o2
    A1 SetNotifyCmdLine J1 ok args
    A1 SetNotifyClsid J1 ClsidA
    A1 SetNotifyFlags J1 0x0B
    Tick 1s
  )";
  const char* same[] = {"A1 SetNotifyFlags J1 0x0B", "A1 SetNotifyInterface J1 o2", "A1 SetNotifyCmdLine J1 ok args",
                        "A1 SetNotifyClsid J1 ClsidA"};
  for (const char* call : same) {
    INFO(call);
    Model def;
    run(def, setup);
    run(def, std::string(call) + "\n-> S_OK\ncallback A1#1.o2 JobModification J1 -> S_OK");
    Model alt(with([](Policies& p) { p.setCallModifies = false; }));
    run(alt, setup);
    run(alt, std::string(call) + "\n-> S_OK");
    run(alt, "A1 SetNotifyCmdLine J1 fail args\n-> S_OK\ncallback A1#1.o2 JobModification J1 -> S_OK");
  }
}

// MP-2: "The notification interface is no longer valid when your application terminates"; the
// CLSID takes over when "the object has disconnected".
TEST_CASE("MP-2: FileTransferred owed to a dead IBackgroundCopyCallback-only object goes to the CLSID, or is dropped", "[policy][MP-2][CB-15][CLSID-7]") {
  const char* setup = R"(
    RegisterServer ClsidA ok
    A1 CreateJob J1
    A1 AddFile J1
    A1 SetNotifyInterface J1 o1
    A1 SetNotifyClsid J1 ClsidA
    A1 SetNotifyFlags J1 0x11
    A1 Resume J1
  )";
  Model def;
  run(def, setup);
  run(def, R"(
    A1 Exit
    Transfer J1
      -> S_OK
      activate ClsidA J1 -> S_OK ClsidA#1
      callback ClsidA#1 FileTransferred J1 f1 -> S_OK
      callback ClsidA#1 JobTransferred J1 -> S_OK
  )");
  Model alt(with([](Policies& p) { p.deadObjectInvalidForFiles = false; }));
  run(alt, setup);
  run(alt, R"(
    A1 Exit
    Transfer J1
      -> S_OK
      activate ClsidA J1 -> S_OK ClsidA#1
      callback ClsidA#1 JobTransferred J1 -> S_OK
  )");
  // A live object that lacks IBackgroundCopyCallback2 takes precedence and gets none, either way.
  Model live;
  run(live, setup);
  run(live, "Transfer J1\n-> S_OK\ncallback A1#1.o1 JobTransferred J1 -> S_OK");
}

// MP-3: "BITS guarantees to call your callback at least once, even if the registration occurs
// after the event."
TEST_CASE("MP-3: FILE_TRANSFERRED set after the file arrived delivers it, or never", "[policy][MP-3][EVT-9][CB-14]") {
  const char* setup = R"(
    A1 CreateJob J1
    A1 AddFile J1
    A1 AddFile J1
    A1 SetNotifyInterface J1 o2
    A1 Resume J1
    Progress J1
  )";
  Model def;
  run(def, setup);
  run(def, R"(
    A1 SetNotifyFlags J1 0x13
      -> S_OK
      callback A1#1.o2 FileTransferred J1 f1 -> S_OK
    A1 SetNotifyFlags J1 0x13
      -> S_OK
    Progress J1
      -> S_OK
      callback A1#1.o2 FileTransferred J1 f2 -> S_OK
      callback A1#1.o2 JobTransferred J1 -> S_OK
  )");
  Model alt(with([](Policies& p) { p.lateFileFlagDelivers = false; }));
  run(alt, setup);
  run(alt, R"(
    A1 SetNotifyFlags J1 0x13
      -> S_OK
    Progress J1
      -> S_OK
      callback A1#1.o2 FileTransferred J1 f2 -> S_OK
      callback A1#1.o2 JobTransferred J1 -> S_OK
  )");
  // Before BITS 3.0 there is no FileTransferred to owe.
  ModelConfig c;
  c.version = BitsVersion::V2_5;
  Model old(c);
  run(old, setup);
  run(old, "A1 SetNotifyFlags J1 0x03\n-> S_OK");
}

// MP-4: OQ-13 retries a failed activation after the retry delay; a CLSID set is no re-arm (OQ-20).
TEST_CASE("MP-4: a CLSID set during an activation's retry waits for it, or is tried at once", "[policy][MP-4][OQ-13][DISP-3]") {
  const char* setup = R"(
    RegisterServer ClsidA ok
    A1 CreateJob J1
    A1 AddFile J1
    A1 SetNotifyClsid J1 ClsidC
    A1 Resume J1
    Transfer J1
      -> S_OK
      activate ClsidC J1 -> REGDB_E_CLASSNOTREG
  )";
  Model def;
  run(def, setup);
  run(def, R"(
    A1 SetNotifyClsid J1 ClsidA
      -> S_OK
    Tick 600s
      -> S_OK
      activate ClsidA J1 -> S_OK ClsidA#1
      callback ClsidA#1 JobTransferred J1 -> S_OK
  )");
  Model alt(with([](Policies& p) { p.clsidWaitsForActivationRetry = false; }));
  run(alt, setup);
  run(alt, R"(
    A1 SetNotifyClsid J1 ClsidA
      -> S_OK
      activate ClsidA J1 -> S_OK ClsidA#1
      callback ClsidA#1 JobTransferred J1 -> S_OK
  )");
  // A retry after a failed callback is not the activation's: the alternative leaves it alone.
  Model callback(with([](Policies& p) { p.clsidWaitsForActivationRetry = false; }));
  run(callback, R"(
    A1 CreateJob J1
    A1 AddFile J1
    A1 Behave o2 failonce
    A1 SetNotifyInterface J1 o2
    A1 Resume J1
    Transfer J1
      -> S_OK
      callback A1#1.o2 JobTransferred J1 -> E_FAIL
    A1 SetNotifyClsid J1 ClsidA
      -> S_OK
    Tick 600s
      -> S_OK
      callback A1#1.o2 JobTransferred J1 -> S_OK
  )");
}

// OQ-27: "one semaphore of 4 per user ... covering every callback kind. The command line is not
// counted."
TEST_CASE("OQ-27: four hung calls do not hold back a command line, or they do", "[policy][OQ-27][CB-12]") {
  std::string setup = "A1 Behave o2 hang\n";
  for (int j = 1; j <= 4; ++j) {
    std::string J = "J" + std::to_string(j);
    setup += "A1 CreateJob " + J + "\nA1 AddFile " + J + "\nA1 SetNotifyInterface " + J + " o2\nA1 Resume " + J +
             "\nTransfer " + J + "\n";
  }
  setup += "A2 CreateJob J5\nA2 AddFile J5\nA2 SetNotifyCmdLine J5 ok args\nA2 Resume J5\n";
  Model def;
  run(def, setup);
  CHECK(def.hungCallCount() == 4);
  run(def, "Transfer J5\n-> S_OK\ncmdline J5 ok args -> exit 0");
  Model alt(with([](Policies& p) { p.cmdLineSparedByHungLimit = false; }));
  run(alt, setup);
  run(alt, "Transfer J5\n-> S_OK");
  run(alt, "A1 Exit\n-> S_OK\ncmdline J5 ok args -> exit 0");
  // A job with a receiver needs a call first: it waits under either setting.
  Model cb;
  run(cb, setup);
  run(cb, "A2 SetNotifyInterface J5 o2\nTransfer J5\n-> S_OK");
}

TEST_CASE("policies are set by ID or name: fixed ones and bad values are refused", "[policy]") {
  Policies p;
  CHECK(setPolicy(p, "OQ-7b", "alt").ok());
  CHECK_FALSE(p.jobEventOnlySOk);
  CHECK_FALSE(isDefault(p, "OQ-7b"));
  CHECK(describeNonDefault(p).size() == 1);
  CHECK(setPolicy(p, "job-event-success", "default").ok());
  CHECK(p.jobEventOnlySOk);
  CHECK(setPolicy(p, "OQ-6", "0").ok());
  CHECK(p.modIntervalMs == 0u);
  CHECK_FALSE(setPolicy(p, "OQ-6", "fast").ok());
  CHECK_FALSE(setPolicy(p, "OQ-3", "alt").ok());      // a fixed assumption
  CHECK(setPolicy(p, "OQ-99", "alt").message() == "unknown policy 'OQ-99'");  // unknown: the cause, no file
  CHECK_FALSE(setPolicy(p, "OQ-21", "maybe").ok());   // bad value
  CHECK(allPolicies().size() == 33);
}

TEST_CASE("a policy's ID from its ID or name, and its setting as setPolicy reads it back", "[policy]") {
  CHECK(policyId("job-event-success") == "OQ-7b");
  CHECK(policyId("OQ-7b") == "OQ-7b");
  CHECK_FALSE(policyId("OQ-99"));
  Policies p, q;
  CHECK(policySetting(p, "OQ-7b") == "default");
  CHECK(policySetting(p, "OQ-6") == "default");
  CHECK(setPolicy(p, "OQ-7b", "alt").ok());
  CHECK(setPolicy(p, "OQ-6", "250").ok());
  CHECK(policySetting(p, "OQ-7b") == "alt");
  CHECK(policySetting(p, "OQ-6") == "250");
  for (const char* id : {"OQ-7b", "OQ-6"}) CHECK(setPolicy(q, id, policySetting(p, id)).ok());
  CHECK(q == p);
}
