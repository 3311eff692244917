#include "sut/mock/job_store.h"

#include <catch2/catch.hpp>
#include <cstdio>
#include <string>
#include <unistd.h>

using namespace bc;
using namespace bc::mock;

namespace {
JobRecord sample(JobId id) {
  JobRecord j;
  j.id = id;
  j.generation = 2;
  j.owner = 3;
  j.state = JobState::Transferred;
  j.files = {{true, false}, {true, true}, {false, false}};
  j.flags = 0x1B;
  j.clsid = ClassId::B;
  j.program = Program::Fail;
  j.params = Params::Ok;
  j.armed = true;
  j.cmdOwned = true;
  j.lastProgress = 123456789012ull;
  return j;
}
}  // namespace

TEST_CASE("JobStore round-trips every persisted field", "[store][CLSID-5][REG-4]") {
  JobStore s("");
  s.begin();
  s.saveJob(sample(7));
  s.saveJob(sample(2));
  s.commit();
  auto jobs = s.loadJobs();
  REQUIRE(jobs.size() == 2);
  CHECK(jobs[0] == sample(2));  // ascending id
  CHECK(jobs[1] == sample(7));
}

TEST_CASE("JobStore replaces a job with fewer files (a re-created name)", "[store]") {
  JobStore s("");
  s.saveJob(sample(1));
  JobRecord fresh;
  fresh.id = 1;
  fresh.generation = 3;
  s.saveJob(fresh);
  auto jobs = s.loadJobs();
  REQUIRE(jobs.size() == 1);
  CHECK(jobs[0] == fresh);
  CHECK(jobs[0].files.empty());
}

TEST_CASE("A durable JobStore keeps committed writes across reopen, not uncommitted ones", "[store]") {
  std::string path = "/tmp/bc_mock_store_test_" + std::to_string(::getpid()) + ".db";
  std::remove(path.c_str());
  {
    JobStore s(path);
    CHECK(s.durable());
    s.begin();
    s.saveJob(sample(1));
    s.saveMachine("hello");
    s.commit();
    s.begin();
    s.saveJob(sample(2));  // never committed
  }
  {
    JobStore s(path);
    auto jobs = s.loadJobs();
    REQUIRE(jobs.size() == 1);
    CHECK(jobs[0] == sample(1));
    CHECK(s.loadMachine() == std::optional<std::string>("hello"));
    CHECK(s.integrityCheck() == "ok");
  }
  for (const char* suffix : {"", "-wal", "-shm"}) std::remove((path + suffix).c_str());
}
