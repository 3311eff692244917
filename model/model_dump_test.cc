// model_dump_test.cc: the state dump names what a failure message needs.
#include "model/model.h"

#include "model/model_testing.h"

using namespace bc;
using namespace bc::testing;

TEST_CASE("dump shows jobs, slots, timers, processes and servers", "[model]") {
  ModelConfig c;
  c.policies.jobEventOnlySOk = false;
  Model m(c);
  run(m, R"(
    RegisterServer ClsidA ok
    A1 CreateJob J1
    A1 AddFile J1
    A1 SetNotifyInterface J1 o2
    A1 Resume J1
    A1 Behave o2 fail
    Transfer J1
    A2 Exit
  )");
  const std::string d = m.dump();
  CHECK_THAT(d, Catch::Contains("J1 (A1) TRANSFERRED files 1/1"));
  CHECK_THAT(d, Catch::Contains("slot A1#1.o2 armed"));
  CHECK_THAT(d, Catch::Contains("retryAt 600s"));
  CHECK_THAT(d, Catch::Contains("A2#1 exited"));
  CHECK_THAT(d, Catch::Contains("o2=fail"));
  CHECK_THAT(d, Catch::Contains("ClsidA registered ok"));
  CHECK_THAT(d, Catch::Contains("OQ-7b=alt"));
}
