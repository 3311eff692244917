// model_test.cc: section 3 of docs/semantics.md (API calls), the seed document's two code
// samples, and the version differences (VER-*).
#include "model/model.h"

#include "model/model_testing.h"

using namespace bc;
using namespace bc::testing;

TEST_CASE("seed sample (a): an object with TRANSFERRED|ERROR gets JobTransferred, then JobError on another job",
          "[REG-1][EVT-1][EVT-3][FLAG-2][seed]") {
  Model m;
  run(m, R"(
    A1 CreateJob J1
      -> S_OK
    A1 AddFile J1
      -> S_OK
    A1 SetNotifyInterface J1 o2
      -> S_OK
    A1 SetNotifyFlags J1 0x03
      -> S_OK
    A1 Resume J1
      -> S_OK
    Transfer J1
      -> S_OK
      callback A1#1.o2 JobTransferred J1 -> S_OK
    A1 CreateJob J2
    A1 AddFile J2
    A1 SetNotifyInterface J2 o2
    A1 SetNotifyFlags J2 0x03
    A1 Resume J2
    FatalError J2
      -> S_OK
      callback A1#1.o2 JobError J2 -> S_OK
  )");
}

TEST_CASE("seed sample (b): a CLSID is activated on transfer and gets JobTransferred", "[CLSID-1][CLSID-2][DISP-3][seed]") {
  Model m;
  auto obs = run(m, R"(
    RegisterServer ClsidA ok
    A1 CreateJob J1
    A1 AddFile J1
    A1 SetNotifyClsid J1 ClsidA
      -> S_OK
    A1 SetNotifyFlags J1 0x03
    A1 Resume J1
    Transfer J1
      -> S_OK
      activate ClsidA J1 -> S_OK ClsidA#1
      callback ClsidA#1 JobTransferred J1 -> S_OK
  )");
  CHECK(rulesOf(obs, "activate ClsidA J1 -> S_OK ClsidA#1").has(Rule::DISP_3));
  CHECK(stepRules(obs).has(Rule::CLSID_2));
}

TEST_CASE("seed sample (b): after the app exits the CLSID takes over, and its object is reused until replaced",
          "[CLSID-7][CLSID-8][REG-10][REG-7][seed]") {
  Model m;
  auto obs = run(m, R"(
    RegisterServer ClsidA ok
    A1 CreateJob J1
    A1 AddFile J1
    A1 AddFile J1
    A1 AddFile J1
    A1 SetNotifyClsid J1 ClsidA
    A1 SetNotifyInterface J1 o2
    A1 Resume J1
    A1 SetNotifyFlags J1 0x1B
    Tick 1s
    Progress J1
      -> S_OK
      callback A1#1.o2 FileTransferred J1 f1 -> S_OK
      callback A1#1.o2 JobModification J1 -> S_OK
    A1 Exit
      -> S_OK
    Tick 1s
    Progress J1
      -> S_OK
      activate ClsidA J1 -> S_OK ClsidA#1
      callback ClsidA#1 FileTransferred J1 f2 -> S_OK
      callback ClsidA#1 JobModification J1 -> S_OK
    Progress J1
      -> S_OK
      callback ClsidA#1 FileTransferred J1 f3 -> S_OK
      callback ClsidA#1 JobTransferred J1 -> S_OK
    A1 GetNotifyInterface J1
      -> S_OK iface=ClsidA#1
    A2 SetNotifyInterface J1 o2
      -> S_OK
      callback A2#1.o2 JobTransferred J1 -> S_OK
  )");
  CHECK(stepRules(obs).has(Rule::REG_10));
  CHECK(rulesOf(obs, "callback A2#1.o2 JobTransferred J1 -> S_OK").has(Rule::REG_9));
}

// ---- REG: SetNotifyInterface / GetNotifyInterface ---------------------------------------

TEST_CASE("last writer wins across apps", "[REG-3][REG-11]") {
  Model m;
  auto obs = run(m, R"(
    A1 CreateJob J1
    A1 AddFile J1
    A1 SetNotifyInterface J1 o2
    A1 Resume J1
    A2 SetNotifyInterface J1 o3
      -> S_OK
    A1 GetNotifyInterface J1
      -> S_OK iface=A2#1.o3
    Transfer J1
      -> S_OK
      callback A2#1.o3 JobTransferred J1 -> S_OK
  )");
  Model m2;
  run(m2, "A1 CreateJob J1\nA1 SetNotifyInterface J1 o2");
  CHECK(stepRules(step(m2, "A2 SetNotifyInterface J1 o3", nullptr)).has(Rule::REG_3));
}

TEST_CASE("SetNotifyInterface(NULL) removes the object and returns S_OK", "[REG-2][REG-13][REG-12]") {
  Model m;
  run(m, R"(
    A1 CreateJob J1
    A1 AddFile J1
    A1 GetNotifyInterface J1
      -> S_OK iface=NULL
    A1 SetNotifyInterface J1 o2
    A1 SetNotifyInterface J1 NULL
      -> S_OK
    A1 GetNotifyInterface J1
      -> S_OK iface=NULL
    A1 Resume J1
    Transfer J1
      -> S_OK
  )");
  CHECK(m.armed(1));  // pending for a later registration (REG-8)
}

TEST_CASE("GetNotifyInterface returns the registered pointer, E_INVALIDARG for a NULL out-pointer", "[REG-11]") {
  Model m;
  run(m, R"(
    A1 CreateJob J1
    A1 SetNotifyInterface J1 o1
    A2 GetNotifyInterface J1
      -> S_OK iface=A1#1.o1
    A2 GetNotifyInterface J1 nullout
      -> E_INVALIDARG
  )");
}

TEST_CASE("an object without IBackgroundCopyCallback is refused", "[REG-1]") {
  Model m;
  run(m, R"(
    A1 CreateJob J1
    A1 SetNotifyInterface J1 o4
      -> E_NOINTERFACE
    A1 GetNotifyInterface J1
      -> S_OK iface=NULL
  )");
}

TEST_CASE("setters return BG_E_INVALID_STATE in final states, getters still succeed",
          "[REG-6][FLAG-5][CMD-6][CLSID-14][STATE-3]") {
  Model m;
  auto obs = run(m, R"(
    A1 CreateJob J1
    A1 SetNotifyFlags J1 0x0B
    A1 Cancel J1
      -> S_OK
    A1 SetNotifyInterface J1 o2
      -> BG_E_INVALID_STATE
    A1 SetNotifyFlags J1 0x03
      -> BG_E_INVALID_STATE
    A1 SetNotifyCmdLine J1 ok args
      -> BG_E_INVALID_STATE
    A1 SetNotifyClsid J1 ClsidA
      -> BG_E_INVALID_STATE
    A1 AddFile J1
      -> BG_E_INVALID_STATE
    A1 Resume J1
      -> BG_E_INVALID_STATE
    A1 Suspend J1
      -> BG_E_INVALID_STATE
    A1 Complete J1
      -> BG_E_INVALID_STATE
    A1 Cancel J1
      -> BG_E_INVALID_STATE
    A1 GetState J1
      -> S_OK state=CANCELLED
    A1 GetNotifyFlags J1
      -> S_OK flags=0x0B
    A1 GetNotifyClsid J1
      -> S_OK clsid=GUID_NULL
    A1 GetNotifyCmdLine J1
      -> S_OK cmdline=NULL NULL
  )");
  CHECK(stepRules(step(m, "A1 SetNotifyInterface J1 o2", nullptr)).has(Rule::REG_6));
  CHECK(stepRules(step(m, "A1 SetNotifyFlags J1 0x01", nullptr)).has(Rule::FLAG_5));
}

TEST_CASE("a job name never created is BG_E_NOT_FOUND: a name in use cannot be created again", "[STATE-3]") {
  Model m;
  run(m, R"(
    A1 GetState J2
      -> BG_E_NOT_FOUND
    Transfer J2
      -> S_FALSE
    A1 CreateJob J1
      -> S_OK
    A2 CreateJob J1
      -> E_INVALIDARG
    A1 AddFile J1
    A1 Complete J1
      -> BG_S_PARTIAL_COMPLETE
    A2 CreateJob J1
      -> S_OK
    A2 GetState J1
      -> S_OK state=SUSPENDED
  )");
  CHECK(m.ownerOf(1) == 2);
  CHECK(m.fileCount(1) == 0);
}

// ---- FLAG --------------------------------------------------------------------------------

TEST_CASE("flags are a bitmask read back as written, DISABLE included", "[FLAG-1][FLAG-2][FLAG-3][FLAG-10]") {
  Model m;
  run(m, R"(
    A1 CreateJob J1
    A1 GetNotifyFlags J1
      -> S_OK flags=0x03
    A1 SetNotifyFlags J1 0x1B
      -> S_OK
    A1 GetNotifyFlags J1
      -> S_OK flags=0x1B
    A1 SetNotifyFlags J1 0x0F
      -> S_OK
    A1 GetNotifyFlags J1
      -> S_OK flags=0x0F
    A1 GetNotifyFlags J1 nullout
      -> E_INVALIDARG
  )");
}

TEST_CASE("a bit outside the version's mask is E_NOTIMPL", "[FLAG-4][FLAG-11][VER-1][VER-3][VER-5]") {
  struct Case {
    BitsVersion v;
    uint32_t ok, bad;
  };
  for (Case c : {Case{BitsVersion::V1_0, 0x0F, 0x10}, Case{BitsVersion::V2_5, 0x0F, 0x10},
                 Case{BitsVersion::V3_0, 0x1F, 0x20}, Case{BitsVersion::V10_0, 0x1F, 0x20},
                 Case{BitsVersion::V10_1, 0x3F, 0x40}, Case{BitsVersion::V10_3, 0x3F, 0x80}}) {
    INFO("BITS " << toString(c.v));
    Model m(withVersion(c.v));
    run(m, "A1 CreateJob J1");
    Observations obs;
    m.step(command("A1 SetNotifyFlags J1 " + std::to_string(c.bad)), obs);
    CHECK(obs.at(0).hr == hr::E_NOTIMPL);
    CHECK(obs.at(0).rules.has(Rule::FLAG_4));
    obs.clear();
    m.step(command("A1 SetNotifyFlags J1 " + std::to_string(c.ok)), obs);
    CHECK(obs.at(0).hr == hr::S_OK);
    CHECK(m.flags(1) == c.ok);  // the failed call changed nothing, the good one wrote
  }
}

TEST_CASE("FILE_RANGES_TRANSFERRED is accepted and never delivered", "[FLAG-8]") {
  Model m;
  run(m, R"(
    A1 CreateJob J1
    A1 AddFile J1
    A1 SetNotifyInterface J1 o3
    A1 Resume J1
    A1 SetNotifyFlags J1 0x23
      -> S_OK
    Transfer J1
      -> S_OK
      callback A1#1.o3 JobTransferred J1 -> S_OK
  )");
}

// ---- CLSID (the API part) -----------------------------------------------------------------

TEST_CASE("the notification CLSID is set, read back, cleared, last writer wins", "[CLSID-1][CLSID-4][CLSID-6][CLSID-9][CLSID-10][CLSID-15]") {
  Model m;
  run(m, R"(
    A1 CreateJob J1
    A1 GetNotifyClsid J1
      -> S_OK clsid=GUID_NULL
    A1 SetNotifyClsid J1 ClsidA
      -> S_OK
    A2 SetNotifyClsid J1 ClsidB
      -> S_OK
    A1 GetNotifyClsid J1
      -> S_OK clsid=ClsidB
    A1 SetNotifyClsid J1 GUID_NULL
      -> S_OK
    A1 GetNotifyClsid J1
      -> S_OK clsid=GUID_NULL
  )");
}

TEST_CASE("the CLSID last set is the one activated", "[CLSID-6]") {
  Model m;
  run(m, R"(
    RegisterServer ClsidA ok
    RegisterServer ClsidB ok
    A1 CreateJob J1
    A1 AddFile J1
    A1 SetNotifyClsid J1 ClsidA
    A2 SetNotifyClsid J1 ClsidB
    A1 Resume J1
    Transfer J1
      -> S_OK
      activate ClsidB J1 -> S_OK ClsidB#1
      callback ClsidB#1 JobTransferred J1 -> S_OK
  )");
}

// ---- CMD (the API part) -------------------------------------------------------------------

TEST_CASE("SetNotifyCmdLine: removal, NULL program with arguments, length limits, never set", "[CMD-3][CMD-4][CMD-5][CMD-14]") {
  Model m;
  run(m, R"(
    A1 CreateJob J1
    A1 GetNotifyCmdLine J1
      -> S_OK cmdline=NULL NULL
    A1 SetNotifyCmdLine J1 ok args
      -> S_OK
    A1 GetNotifyCmdLine J1
      -> S_OK cmdline=ok args
    A1 SetNotifyCmdLine J1 NULL args
      -> E_INVALIDARG
    A1 SetNotifyCmdLine J1 long NULL
      -> BG_E_STRING_TOO_LONG
    A1 SetNotifyCmdLine J1 ok longargs
      -> BG_E_STRING_TOO_LONG
    A1 GetNotifyCmdLine J1
      -> S_OK cmdline=ok args
    A1 SetNotifyCmdLine J1 ok NULL
      -> S_OK
    A1 GetNotifyCmdLine J1
      -> S_OK cmdline=ok NULL
    A1 SetNotifyCmdLine J1 NULL NULL
      -> S_OK
    A1 GetNotifyCmdLine J1
      -> S_OK cmdline=NULL NULL
  )");
}

// ---- STATE (the API part) -----------------------------------------------------------------

TEST_CASE("a new job is SUSPENDED: Resume without files is BG_E_EMPTY", "[STATE-4]") {
  Model m;
  run(m, R"(
    A1 CreateJob J1
    A1 GetState J1
      -> S_OK state=SUSPENDED
    A1 Resume J1
      -> BG_E_EMPTY
    A1 GetState J1
      -> S_OK state=SUSPENDED
    A1 AddFile J1
    A1 Resume J1
      -> S_OK
    A1 GetState J1
      -> S_OK state=QUEUED
  )");
}

TEST_CASE("Resume and Suspend: ERROR and TRANSFERRED jobs", "[STATE-10][STATE-13]") {
  Model m;
  run(m, R"(
    A1 CreateJob J1
    A1 AddFile J1
    A1 Resume J1
    FatalError J1
    A1 Suspend J1
      -> S_OK
    A1 GetState J1
      -> S_OK state=ERROR
    A1 Resume J1
      -> S_OK
    A1 GetState J1
      -> S_OK state=QUEUED
    Transfer J1
    A1 Resume J1
    A1 GetState J1
      -> S_OK state=TRANSFERRED
    A1 AddFile J1
    A1 Resume J1
    A1 GetState J1
      -> S_OK state=QUEUED
    A1 Suspend J1
    A1 GetState J1
      -> S_OK state=SUSPENDED
  )");
}

TEST_CASE("Complete: partial or not, and no callback for the move", "[STATE-11][STATE-12][EVT-13]") {
  Model m;
  run(m, R"(
    A1 CreateJob J1
    A1 AddFile J1
    A1 SetNotifyInterface J1 o2
    A1 SetNotifyFlags J1 0x0B
    Tick 1s
    A1 Resume J1
      -> S_OK
      callback A1#1.o2 JobModification J1 -> S_OK
    Transfer J1
      -> S_OK
      callback A1#1.o2 JobTransferred J1 -> S_OK
    A1 Complete J1
      -> S_OK
    A1 GetState J1
      -> S_OK state=ACKNOWLEDGED
    A1 GetNotifyInterface J1
      -> S_OK iface=NULL
    A1 CreateJob J2
    A1 SetNotifyInterface J2 o2
    A1 SetNotifyFlags J2 0x0B
    A1 Cancel J2
      -> S_OK
    A1 GetState J2
      -> S_OK state=CANCELLED
  )");
}

// ---- VER -----------------------------------------------------------------------------------

TEST_CASE("BITS 1.0 has no command line and no CLSID", "[VER-1][VER-2][VER-4]") {
  Model m(withVersion(BitsVersion::V1_0));
  run(m, R"(
    A1 CreateJob J1
    A1 SetNotifyCmdLine J1 ok args
      -> E_NOINTERFACE
    A1 GetNotifyCmdLine J1
      -> E_NOINTERFACE
    A1 SetNotifyClsid J1 ClsidA
      -> E_NOINTERFACE
    A1 GetNotifyClsid J1
      -> E_NOINTERFACE
    A1 SetNotifyFlags J1 0x0B
      -> S_OK
  )");
}

TEST_CASE("the command line exists from 1.5, the CLSID from 5.0", "[VER-2][VER-4][CLSID-11]") {
  Model v15(withVersion(BitsVersion::V1_5));
  run(v15, R"(
    A1 CreateJob J1
    A1 SetNotifyCmdLine J1 ok args
      -> S_OK
    A1 SetNotifyClsid J1 ClsidA
      -> E_NOINTERFACE
  )");
  Model v40(withVersion(BitsVersion::V4_0));
  run(v40, "A1 CreateJob J1\nA1 GetNotifyClsid J1\n-> E_NOINTERFACE");
  Model v50(withVersion(BitsVersion::V5_0));
  run(v50, "A1 CreateJob J1\nA1 SetNotifyClsid J1 ClsidA\n-> S_OK\nA1 GetNotifyClsid J1\n-> S_OK clsid=ClsidA");
}

TEST_CASE("before 3.0 no FileTransferred is ever owed", "[VER-3][EVT-9]") {
  Model m(withVersion(BitsVersion::V2_5));
  run(m, R"(
    A1 CreateJob J1
    A1 AddFile J1
    A1 SetNotifyInterface J1 o2
    A1 Resume J1
    A1 SetNotifyFlags J1 0x10
      -> E_NOTIMPL
    Transfer J1
      -> S_OK
      callback A1#1.o2 JobTransferred J1 -> S_OK
  )");
  CHECK(m.filesOwed(1) == 0);
}
