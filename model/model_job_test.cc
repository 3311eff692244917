// model_job_test.cc: the job transitions every section shares: a change owes a
// JobModification (EVT-6), entering TRANSFERRED/ERROR arms the job-level event once per entry
// (OQ-22), re-arm on registration (OQ-20), entering a final state (OQ-1, OQ-19).
#include "model/model.h"

#include "model/model_testing.h"

using namespace bc;
using namespace bc::testing;

TEST_CASE("a change owes a JobModification only if MODIFICATION is on at that moment", "[EVT-6][FLAG-2]") {
  Model m;
  run(m, R"(
    A1 CreateJob J1
    A1 SetNotifyInterface J1 o2
    A1 AddFile J1
      -> S_OK
    A1 SetNotifyFlags J1 0x08
      -> S_OK
      callback A1#1.o2 JobModification J1 -> S_OK
    Tick 1s
    A1 AddFile J1
      -> S_OK
      callback A1#1.o2 JobModification J1 -> S_OK
  )");
}

// EVT-6: JobModification fires when "properties have been modified"; the notify interface and
// flags are job properties, and so are the command line and the CLSID (BG_JOB_TIMES: calling
// "any of the set methods in the IBackgroundCopyJob* interfaces" modifies the job).
TEST_CASE("every notification setter modifies the job: a JobModification each", "[EVT-6][MP-1]") {
  Model m;
  run(m, R"(
    A1 CreateJob J1
    A1 AddFile J1
    A1 SetNotifyInterface J1 o2
    A1 SetNotifyFlags J1 0x0B
      -> S_OK
      callback A1#1.o2 JobModification J1 -> S_OK
    Tick 1s
    A1 SetNotifyCmdLine J1 ok args
      -> S_OK
      callback A1#1.o2 JobModification J1 -> S_OK
    Tick 1s
    A1 SetNotifyClsid J1 ClsidA
      -> S_OK
      callback A1#1.o2 JobModification J1 -> S_OK
    Tick 1s
    A1 SetNotifyClsid J1 GUID_NULL
      -> S_OK
      callback A1#1.o2 JobModification J1 -> S_OK
    Tick 1s
    A1 SetNotifyInterface J1 o3
      -> S_OK
      callback A1#1.o3 JobModification J1 -> S_OK
    Tick 1s
    A1 SetNotifyFlags J1 0x40
      -> E_NOTIMPL
    A1 SetNotifyInterface J1 NULL
      -> S_OK
    Tick 1s
      -> S_OK
  )");
  CHECK_FALSE(m.modOwed(1));  // no receiver: dropped (EVT-8)
}

TEST_CASE("a setter in TRANSFERRED: JobModification for the property, then the re-armed JobTransferred", "[EVT-6][REG-9][CB-11]") {
  Model m;
  run(m, R"(
    A1 CreateJob J1
    A1 AddFile J1
    A1 SetNotifyInterface J1 o2
    A1 SetNotifyFlags J1 0x0B
    A1 Resume J1
    Tick 1s
    Transfer J1
      -> S_OK
      callback A1#1.o2 JobTransferred J1 -> S_OK
    A1 SetNotifyInterface J1 o3
      -> S_OK
      callback A1#1.o3 JobModification J1 -> S_OK
      callback A1#1.o3 JobTransferred J1 -> S_OK
  )");
}

TEST_CASE("DISABLE suppresses JobModification, and the step names FLAG-3", "[FLAG-3][DISP-1]") {
  Model m;
  run(m, "A1 CreateJob J1\nA1 SetNotifyInterface J1 o2\nA1 SetNotifyFlags J1 0x0C");
  auto obs = run(m, "A1 AddFile J1\n-> S_OK");
  CHECK(stepRules(obs).has(Rule::FLAG_3));
  CHECK_FALSE(m.modOwed(1));
}

TEST_CASE("a JobModification owed when MODIFICATION goes off is dropped", "[FLAG-3][EVT-8]") {
  Model m;
  run(m, R"(
    A1 CreateJob J1
    A1 SetNotifyInterface J1 o2
    A1 SetNotifyFlags J1 0x08
      -> S_OK
      callback A1#1.o2 JobModification J1 -> S_OK
    A1 AddFile J1
      -> S_OK
  )");
  CHECK(m.modOwed(1));  // paced (OQ-6)
  run(m, R"(
    A1 SetNotifyFlags J1 0x03
      -> S_OK
    Tick 1s
      -> S_OK
  )");
  CHECK_FALSE(m.modOwed(1));
}

TEST_CASE("JobError once per entry into ERROR", "[EVT-3][EVT-13]") {
  Model m;
  run(m, R"(
    A1 CreateJob J1
    A1 AddFile J1
    A1 SetNotifyInterface J1 o2
    A1 Resume J1
    FatalError J1
      -> S_OK
      callback A1#1.o2 JobError J1 -> S_OK
    A1 Resume J1
      -> S_OK
    FatalError J1
      -> S_OK
      callback A1#1.o2 JobError J1 -> S_OK
    A1 GetState J1
      -> S_OK state=ERROR
  )");
}

TEST_CASE("a non-NULL SetNotifyInterface in TRANSFERRED re-arms: NULL does not", "[REG-8][REG-9][CB-14]") {
  Model m;
  run(m, R"(
    A1 CreateJob J1
    A1 AddFile J1
    A1 SetNotifyInterface J1 o2
    A1 Resume J1
    Transfer J1
      -> S_OK
      callback A1#1.o2 JobTransferred J1 -> S_OK
    A1 SetNotifyInterface J1 NULL
      -> S_OK
    A2 SetNotifyInterface J1 o1
      -> S_OK
      callback A2#1.o1 JobTransferred J1 -> S_OK
    A2 SetNotifyFlags J1 0x03
      -> S_OK
      callback A2#1.o1 JobTransferred J1 -> S_OK
    A2 SetNotifyFlags J1 0x02
      -> S_OK
  )");
}

TEST_CASE("entering a final state clears what is owed and makes no callback", "[STATE-3][STATE-12][EVT-13]") {
  Model m;
  run(m, R"(
    A1 CreateJob J1
    A1 AddFile J1
    A1 SetNotifyInterface J1 o2
    A1 Resume J1
    A1 Behave o2 fail
    FatalError J1
      -> S_OK
      callback A1#1.o2 JobError J1 -> E_FAIL
    A1 Cancel J1
      -> S_OK
    Tick 1h
      -> S_OK
  )");
  CHECK_FALSE(m.armed(1));
  CHECK_FALSE(m.retryPending(1));
}
