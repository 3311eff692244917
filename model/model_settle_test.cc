// model_settle_test.cc: section 5 of docs/semantics.md: what is due, finding the receiver
// (object, then CLSID, then command line), calling it, and the outcome of each item.
#include "model/model.h"

#include "model/model_testing.h"

using namespace bc;
using namespace bc::testing;

namespace {
// J1 with `files` files, A1's o2 registered, resumed (QUEUED), default flags 0x03.
constexpr const char* kJobWithO2 = R"(
  A1 CreateJob J1
  A1 AddFile J1
  A1 SetNotifyInterface J1 o2
  A1 Resume J1
)";
constexpr const char* kJobTwoFilesO2 = R"(
  A1 CreateJob J1
  A1 AddFile J1
  A1 AddFile J1
  A1 SetNotifyInterface J1 o2
  A1 Resume J1
)";
}  // namespace

// ---- CB: return values and retries ---------------------------------------------------------

TEST_CASE("a failing JobTransferred is called again after MinimumRetryDelay until it succeeds", "[CB-1][DISP-7][LIFE-4]") {
  Model m;
  run(m, kJobWithO2);
  auto obs = run(m, R"(
    A1 Behave o2 fail
    Transfer J1
      -> S_OK
      callback A1#1.o2 JobTransferred J1 -> E_FAIL
    Tick 599s
      -> S_OK
    A1 Behave o2 ok
    Tick 1s
      -> S_OK
      callback A1#1.o2 JobTransferred J1 -> S_OK
    Tick 600s
      -> S_OK
  )");
  CHECK_FALSE(m.armed(1));
}

TEST_CASE("a failing JobError is retried like JobTransferred", "[CB-2][EVT-3]") {
  Model m;
  run(m, kJobWithO2);
  run(m, R"(
    A1 Behave o2 failonce
    FatalError J1
      -> S_OK
      callback A1#1.o2 JobError J1 -> E_FAIL
    Tick 600s
      -> S_OK
      callback A1#1.o2 JobError J1 -> S_OK
  )");
}

TEST_CASE("after a failed callback with a command line, the command line owns the event", "[CB-3][DISP-5][CMD-11][CMD-8]") {
  Model m;
  run(m, kJobWithO2);
  auto obs = run(m, R"(
    A1 SetNotifyCmdLine J1 fail args
    A1 Behave o2 fail
    Transfer J1
      -> S_OK
      callback A1#1.o2 JobTransferred J1 -> E_FAIL
      cmdline J1 fail args -> exit 1
  )");
  CHECK(stepRules(obs).has(Rule::CB_3));
  run(m, R"(
    Tick 600s
      -> S_OK
      cmdline J1 fail args -> exit 1
    A1 SetNotifyCmdLine J1 ok args
    Tick 600s
      -> S_OK
      cmdline J1 ok args -> exit 0
    Tick 600s
      -> S_OK
  )");
}

TEST_CASE("a JobModification that fails is not retried", "[CB-4][EVT-8]") {
  Model m;
  run(m, kJobWithO2);
  run(m, R"(
    A1 SetNotifyFlags J1 0x0B
    Tick 1s
    A1 Behave o2 fail
    A1 AddFile J1
      -> S_OK
      callback A1#1.o2 JobModification J1 -> E_FAIL
    Tick 1h
      -> S_OK
  )");
}

TEST_CASE("FileTransferred: retried on failure, serialized, all before JobTransferred", "[CB-5][CB-6][CB-7][EVT-9]") {
  Model m;
  run(m, kJobTwoFilesO2);
  auto obs = run(m, R"(
    A1 SetNotifyFlags J1 0x11
    A1 Behave o2 failonce
    Transfer J1
      -> S_OK
      callback A1#1.o2 FileTransferred J1 f1 -> E_FAIL
  )");
  CHECK(stepRules(obs).has(Rule::CB_6));
  CHECK(stepRules(obs).has(Rule::CB_7));
  run(m, R"(
    Tick 600s
      -> S_OK
      callback A1#1.o2 FileTransferred J1 f1 -> S_OK
      callback A1#1.o2 FileTransferred J1 f2 -> S_OK
      callback A1#1.o2 JobTransferred J1 -> S_OK
  )");
}

TEST_CASE("FileTransferred is sent as each file finishes", "[EVT-9][CB-6]") {
  Model m;
  run(m, kJobTwoFilesO2);
  run(m, R"(
    A1 SetNotifyFlags J1 0x13
    Progress J1
      -> S_OK
      callback A1#1.o2 FileTransferred J1 f1 -> S_OK
    Progress J1
      -> S_OK
      callback A1#1.o2 FileTransferred J1 f2 -> S_OK
      callback A1#1.o2 JobTransferred J1 -> S_OK
  )");
}

TEST_CASE("at most four calls hang per user: no dispatch starts until one ends", "[CB-12]") {
  Model m;
  for (int j = 1; j <= 5; ++j) {
    const std::string n = std::to_string(j);
    run(m, "A1 CreateJob J" + n + "\nA1 AddFile J" + n + "\nA" + (j == 5 ? "2" : "1") + " SetNotifyInterface J" + n +
               " o2\nA1 Resume J" + n);
  }
  auto obs = run(m, R"(
    A1 Behave o2 hang
    Transfer J1
      -> S_OK
      callback A1#1.o2 JobTransferred J1 -> hang
    Transfer J2
      -> S_OK
      callback A1#1.o2 JobTransferred J2 -> hang
    Transfer J3
      -> S_OK
      callback A1#1.o2 JobTransferred J3 -> hang
    Transfer J4
      -> S_OK
      callback A1#1.o2 JobTransferred J4 -> hang
    Transfer J5
      -> S_OK
  )");
  CHECK(stepRules(obs).has(Rule::CB_12));
  CHECK(m.hungCallCount() == 4);
  run(m, R"(
    A1 Exit
      -> S_OK
      callback A2#1.o2 JobTransferred J5 -> S_OK
  )");
  CHECK(m.hungCallCount() == 0);
  CHECK(m.armed(1));  // the hung item stays owed; the dead object left the slot
  CHECK(m.slot(1).isNone());
}

TEST_CASE("late registration still delivers, at least once per registration", "[CB-14][REG-8]") {
  Model m;
  auto obs = run(m, R"(
    A1 CreateJob J1
    A1 AddFile J1
    A1 Resume J1
    Transfer J1
      -> S_OK
    A1 SetNotifyInterface J1 o2
      -> S_OK
      callback A1#1.o2 JobTransferred J1 -> S_OK
  )");
  CHECK(rulesOf(obs, "callback A1#1.o2 JobTransferred J1 -> S_OK").has(Rule::REG_8));
  Model f;
  run(f, R"(
    A1 CreateJob J1
    A1 AddFile J1
    A1 SetNotifyInterface J1 o2
    A1 SetNotifyFlags J1 0x00
    A1 Resume J1
    FatalError J1
      -> S_OK
    A1 SetNotifyFlags J1 0x02
      -> S_OK
      callback A1#1.o2 JobError J1 -> S_OK
  )");
}

TEST_CASE("re-registration after the pointer became invalid delivers again", "[REG-9][REG-7]") {
  Model m;
  run(m, kJobWithO2);
  run(m, R"(
    Transfer J1
      -> S_OK
      callback A1#1.o2 JobTransferred J1 -> S_OK
    A1 Exit
    A1 SetNotifyInterface J1 o2
      -> S_OK
      callback A1#2.o2 JobTransferred J1 -> S_OK
  )");
}

TEST_CASE("an object with only IBackgroundCopyCallback gets no FileTransferred", "[CB-15][EVT-9]") {
  Model m;
  auto obs = run(m, R"(
    A1 CreateJob J1
    A1 AddFile J1
    A1 SetNotifyInterface J1 o1
    A1 Resume J1
    A1 SetNotifyFlags J1 0x11
    Transfer J1
      -> S_OK
      callback A1#1.o1 JobTransferred J1 -> S_OK
  )");
  CHECK(stepRules(obs).has(Rule::CB_15));
  CHECK(m.filesOwed(1) == 0);
}

// ---- DISP: object, then CLSID, then command line ------------------------------------------

TEST_CASE("DISABLE delivers nothing: the event stays owed for a later flag change", "[DISP-1][FLAG-3]") {
  Model m;
  run(m, kJobWithO2);
  auto obs = run(m, R"(
    A1 SetNotifyCmdLine J1 ok args
    A1 SetNotifyFlags J1 0x1F
    Transfer J1
      -> S_OK
  )");
  CHECK(stepRules(obs).has(Rule::FLAG_3));
  run(m, R"(
    A1 SetNotifyFlags J1 0x01
      -> S_OK
      callback A1#1.o2 JobTransferred J1 -> S_OK
  )");
}

TEST_CASE("the registered object is preferred over a set CLSID", "[DISP-2][CLSID-7][CLSID-12]") {
  Model m;
  auto obs = run(m, R"(
    RegisterServer ClsidA ok
    A1 CreateJob J1
    A1 AddFile J1
    A1 SetNotifyClsid J1 ClsidA
    A2 SetNotifyInterface J1 o2
    A1 Resume J1
    Transfer J1
      -> S_OK
      callback A2#1.o2 JobTransferred J1 -> S_OK
  )");
  CHECK(stepRules(obs).has(Rule::CLSID_7));
}

TEST_CASE("a disconnected object falls back to the CLSID within the same dispatch", "[DISP-3][CLSID-7][REG-7]") {
  Model m;
  auto obs = run(m, R"(
    RegisterServer ClsidA ok
    A1 CreateJob J1
    A1 AddFile J1
    A1 SetNotifyClsid J1 ClsidA
    A2 SetNotifyInterface J1 o2
    A1 Resume J1
    A2 Behave o2 crash
    Transfer J1
      -> S_OK
      callback A2#1.o2 JobTransferred J1 -> crash
      activate ClsidA J1 -> S_OK ClsidA#1
      callback ClsidA#1 JobTransferred J1 -> S_OK
  )");
  CHECK_FALSE(m.appRunning(2));
}

TEST_CASE("a method that returns a failure is not a disconnect: no CLSID activation", "[DISP-4][CB-1]") {
  Model m;
  run(m, R"(
    RegisterServer ClsidA ok
    A1 CreateJob J1
    A1 AddFile J1
    A1 SetNotifyClsid J1 ClsidA
    A1 SetNotifyInterface J1 o2
    A1 Resume J1
    A1 Behave o2 fail
    Transfer J1
      -> S_OK
      callback A1#1.o2 JobTransferred J1 -> E_FAIL
    Tick 600s
      -> S_OK
      callback A1#1.o2 JobTransferred J1 -> E_FAIL
  )");
}

TEST_CASE("no callback path: the command line runs", "[DISP-5][CMD-1][CMD-7]") {
  Model m;
  run(m, R"(
    A1 CreateJob J1
    A1 AddFile J1
    A1 SetNotifyCmdLine J1 ok args
    A1 Resume J1
    FatalError J1
      -> S_OK
      cmdline J1 ok args -> exit 0
    A1 Resume J1
    Transfer J1
      -> S_OK
      cmdline J1 ok args -> exit 0
  )");
}

TEST_CASE("a successful callback means the command line does not run", "[DISP-6][CMD-11]") {
  Model m;
  run(m, kJobWithO2);
  run(m, R"(
    A1 SetNotifyCmdLine J1 ok args
    Transfer J1
      -> S_OK
      callback A1#1.o2 JobTransferred J1 -> S_OK
    Tick 1h
      -> S_OK
  )");
}

TEST_CASE("no callback and no command line: pending until a registration, no retry", "[DISP-7][REG-8]") {
  Model m;
  run(m, R"(
    A1 CreateJob J1
    A1 AddFile J1
    A1 Resume J1
    Transfer J1
      -> S_OK
    Tick 1h
      -> S_OK
    A1 SetNotifyCmdLine J1 ok NULL
      -> S_OK
      cmdline J1 ok NULL -> exit 0
  )");
}

TEST_CASE("both the callback and the command line fail: sent again after the retry delay", "[DISP-8][CMD-12][LIFE-7]") {
  Model m;
  run(m, kJobWithO2);
  auto obs = run(m, R"(
    A1 SetNotifyCmdLine J1 fail args
    A1 Behave o2 fail
    FatalError J1
      -> S_OK
      callback A1#1.o2 JobError J1 -> E_FAIL
      cmdline J1 fail args -> exit 1
    Tick 10min
      -> S_OK
      cmdline J1 fail args -> exit 1
  )");
  CHECK(stepRules(obs).has(Rule::DISP_8));
  CHECK(stepRules(obs).has(Rule::CMD_12));
}

// ---- CLSID: fallback and reuse --------------------------------------------------------------

TEST_CASE("SetNotifyFlags picks the methods BITS calls on the CLSID object", "[CLSID-2][FLAG-6]") {
  Model m;
  run(m, R"(
    RegisterServer ClsidA ok
    A1 CreateJob J1
    A1 AddFile J1
    A1 AddFile J1
    A1 SetNotifyClsid J1 ClsidA
    A1 Resume J1
    A1 SetNotifyFlags J1 0x19
      -> S_OK
      activate ClsidA J1 -> S_OK ClsidA#1
      callback ClsidA#1 JobModification J1 -> S_OK
    Tick 1s
    Progress J1
      -> S_OK
      callback ClsidA#1 FileTransferred J1 f1 -> S_OK
      callback ClsidA#1 JobModification J1 -> S_OK
    Progress J1
      -> S_OK
      callback ClsidA#1 FileTransferred J1 f2 -> S_OK
      callback ClsidA#1 JobTransferred J1 -> S_OK
  )");
}

TEST_CASE("the class must be registered as a server: activation failures and their retry", "[CLSID-3][DISP-7]") {
  Model m;
  run(m, R"(
    A1 CreateJob J1
    A1 AddFile J1
    A1 SetNotifyClsid J1 ClsidC
    A1 Resume J1
    Transfer J1
      -> S_OK
      activate ClsidC J1 -> REGDB_E_CLASSNOTREG
    RegisterServer ClsidC execfail
      -> S_OK
    Tick 600s
      -> S_OK
      activate ClsidC J1 -> CO_E_SERVER_EXEC_FAILURE
    RegisterServer ClsidC ok
    Tick 600s
      -> S_OK
      activate ClsidC J1 -> S_OK ClsidC#1
      callback ClsidC#1 JobTransferred J1 -> S_OK
  )");
}

TEST_CASE("the activated object is reused until it disconnects", "[CLSID-8]") {
  Model m;
  run(m, R"(
    RegisterServer ClsidA ok
    A1 CreateJob J1
    A1 AddFile J1
    A1 SetNotifyClsid J1 ClsidA
    A1 SetNotifyFlags J1 0x0B
      -> S_OK
      activate ClsidA J1 -> S_OK ClsidA#1
      callback ClsidA#1 JobModification J1 -> S_OK
    Tick 1s
    A1 Resume J1
      -> S_OK
      callback ClsidA#1 JobModification J1 -> S_OK
    Tick 1s
    Connect J1
      -> S_OK
      callback ClsidA#1 JobModification J1 -> S_OK
    ServerExit ClsidA
      -> S_OK
    Tick 1s
    A1 Suspend J1
      -> S_OK
      activate ClsidA J1 -> S_OK ClsidA#2
      callback ClsidA#2 JobModification J1 -> S_OK
  )");
}

// ---- CMD delivery ----------------------------------------------------------------------------

TEST_CASE("only TRANSFERRED and ERROR matter for the command line", "[CMD-2][FLAG-7]") {
  Model m;
  run(m, R"(
    A1 CreateJob J1
    A1 AddFile J1
    A1 AddFile J1
    A1 SetNotifyCmdLine J1 ok args
    A1 SetNotifyFlags J1 0x1A
    A1 Resume J1
      -> S_OK
    Progress J1
      -> S_OK
    Progress J1
      -> S_OK
    A1 SetNotifyFlags J1 0x01
      -> S_OK
      cmdline J1 ok args -> exit 0
  )");
}

TEST_CASE("a failing program runs again after MinimumRetryDelay: only once on BITS 1.5", "[CMD-8][VER-2]") {
  const char* script = R"(
    A1 CreateJob J1
    A1 AddFile J1
    A1 SetNotifyCmdLine J1 fail args
    A1 Resume J1
    Transfer J1
      -> S_OK
      cmdline J1 fail args -> exit 1
  )";
  Model v2(withVersion(BitsVersion::V2_0));
  run(v2, script);
  run(v2, "Tick 600s\n-> S_OK\ncmdline J1 fail args -> exit 1");
  Model v15(withVersion(BitsVersion::V1_5));
  run(v15, script);
  run(v15, "Tick 1h\n-> S_OK");
}

TEST_CASE("the program runs even if set after the event", "[CMD-9]") {
  Model m;
  run(m, R"(
    A1 CreateJob J1
    A1 AddFile J1
    A1 Resume J1
    FatalError J1
      -> S_OK
    A1 SetNotifyCmdLine J1 ok args
      -> S_OK
      cmdline J1 ok args -> exit 0
  )");
}

TEST_CASE("the program runs when the callback object has become invalid", "[CMD-11][REG-7]") {
  Model m;
  run(m, kJobWithO2);
  run(m, R"(
    A1 SetNotifyCmdLine J1 ok args
    A1 Exit
    Transfer J1
      -> S_OK
      cmdline J1 ok args -> exit 0
    A2 GetNotifyInterface J1
      -> S_OK iface=NULL
  )");
}

TEST_CASE("clearing the object before exit leaves nothing dead in the slot", "[REG-5][REG-7]") {
  Model m;
  run(m, kJobWithO2);
  run(m, R"(
    A1 Exit
    A2 GetNotifyInterface J1
      -> S_OK iface=A1#1.o2
  )");
  Model clean;
  run(clean, kJobWithO2);
  run(clean, R"(
    A1 SetNotifyInterface J1 NULL
    A1 Exit
    A2 GetNotifyInterface J1
      -> S_OK iface=NULL
  )");
}
