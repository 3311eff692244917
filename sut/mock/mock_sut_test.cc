// MockSut end to end.
#include "sut/mock/mock_sut.h"

#include <unistd.h>

#include <catch2/catch.hpp>
#include <cstdio>

#include "sut/mock/test_util.h"
#include "vocab/command_text.h"

using namespace bc;
using namespace bc::mock;

TEST_CASE("MockSut states its capabilities", "[mock]") {
  MockOptions o;
  o.version = BitsVersion::V2_0;
  MockSut sut(o);
  const Capabilities& c = sut.capabilities();
  CHECK(c.name == "mock");
  CHECK(c.version == BitsVersion::V2_0);
  CHECK(c.exactModification);
  CHECK((c.commandLine && c.notifyClsid && c.faults && c.networkControl && c.virtualTime && c.serviceRestart && c.reboot));
  o.name = "mock:variant";
  CHECK(MockSut(o).capabilities().name == "mock:variant");
}

TEST_CASE("Fast store: opened at the first stop, and the restarted service is rebuilt from it", "[mock][STATE-3][REG-4]") {
  MockSut sut;
  observe(sut, "A1 CreateJob J1\nA1 AddFile J1\nA1 SetNotifyFlags J1 0x03\n");
  CHECK(sut.machine().openStore() == nullptr);  // nothing written while the service runs
  observe(sut, "ServiceRestart\n");
  REQUIRE(sut.machine().openStore() != nullptr);
  auto jobs = sut.machine().store().loadJobs();
  REQUIRE(jobs.size() == 1);
  CHECK(jobs[0].flags == 0x03);
  CHECK(jobs[0].files.size() == 1);
  // What the next service sees is what the store holds: change it behind the service's back
  // (the job is unchanged since, so the stop does not overwrite it).
  jobs[0].flags = 0x0B;
  sut.machine().store().saveJob(jobs[0]);
  auto out = observe(sut, "ServiceRestart\nA1 GetNotifyFlags J1\n");
  CHECK(out.back().find("0x0B") != std::string::npos);
}

TEST_CASE("Fast and durable stores give the same traces, restarts and reboots included", "[determinism][mock]") {
  // tmpfs when there is one: the comparison is about behaviour, not fsync.
  const std::string dir = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp";
  const std::string path = dir + "/bc_mock_fastdur_" + std::to_string(::getpid()) + ".db";
  for (uint64_t seed = 1; seed <= 60; ++seed) {
    auto cmds = randomSequence(seed * 7919, 60);
    MockSut fast;
    MockOptions o;
    o.storePath = path;
    MockSut durable(o);
    INFO("seed " << seed * 7919);
    CHECK(runTrace(fast, cmds) == runTrace(durable, cmds));
  }
  for (const char* s : {"", "-wal", "-shm"}) std::remove((path + s).c_str());
}

TEST_CASE("A Tick that would flood stops at the observation limit: a verdict, bounded memory", "[mock][limits]") {
  MockSut sut{MockOptions{}};
  observe(sut, "A1 CreateJob J1\nA1 AddFile J1\nA1 SetNotifyCmdLine J1 fail args\nA1 Resume J1\nTransfer J1\n");
  Command tick = parseCommand("Tick 1d").value();
  tick.ms = 100ull * 365 * 86'400'000;  // a century: 5.3 million runs of the failing command line
  Observations out;
  try {
    (void)sut.execute(tick, out);
    FAIL("the flood was not stopped");
  } catch (const SutFailure& f) {
    CHECK(f.kind() == SutFailure::Kind::ProtocolError);
    CHECK_THAT(std::string(f.what()), Catch::Contains("more than 10000 observations in one step"));
  }
  CHECK(out.size() <= kMaxStepObservations + 2);
}
