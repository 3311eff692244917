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
