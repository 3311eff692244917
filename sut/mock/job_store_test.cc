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
  j.files = {{true, false, false}, {true, true, true}, {false, false, false}};
  j.flags = 0x1B;
  j.clsid = ClassId::B;
  j.program = Program::Fail;
  j.params = Params::Ok;
  j.armed = true;
  j.cmdOwned = true;
  if (id % 2 == 0) j.noProgressSince = 123456789012ull;  // odd ids: unset, stored as NULL
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

TEST_CASE("JobStore writes only the file rows that changed, and reads back what it wrote", "[store][STATE-3]") {
  std::string path = "/tmp/bc_mock_store_rows_" + std::to_string(::getpid()) + ".db";
  for (const char* suffix : {"", "-wal", "-shm"}) std::remove((path + suffix).c_str());
  JobRecord j = sample(5);
  j.files.assign(10, FileRecord{false, false});
  {
    JobStore s(path);
    s.begin();
    s.saveJob(j);
    CHECK(s.fileRowsWritten() == 10);  // never written here: every row
    j.state = JobState::Queued;
    s.saveJob(j);
    CHECK(s.fileRowsWritten() == 10);  // only the job row changed
    s.commit();
  }
  JobStore s(path);
  auto loaded = s.loadJobs();
  REQUIRE(loaded.size() == 1);
  CHECK(loaded[0] == j);
  s.begin();
  j.state = JobState::Transferring;
  s.saveJob(j);
  CHECK(s.fileRowsWritten() == 0);  // loaded, so known: nothing to rewrite
  j.files[3] = {true, true};
  j.files.push_back({true, false});
  s.saveJob(j);
  CHECK(s.fileRowsWritten() == 2);  // the changed one and the new one
  s.commit();
  CHECK(JobStore(path).loadJobs() == std::vector<JobRecord>{j});
  s.begin();
  j.files.resize(4);  // fewer files: the rest are trimmed
  s.saveJob(j);
  s.commit();
  CHECK(s.fileRowsWritten() == 2);
  CHECK(JobStore(path).loadJobs() == std::vector<JobRecord>{j});
  for (const char* suffix : {"", "-wal", "-shm"}) std::remove((path + suffix).c_str());
}

TEST_CASE("JobStore::clear empties every table and forgets what it wrote", "[store]") {
  JobStore s("");
  s.begin();
  s.saveJob(sample(1));
  s.saveMachine("m");
  s.commit();
  s.begin();
  s.saveJob(sample(2));  // open transaction: rolled back
  s.clear();
  CHECK(s.loadJobs().empty());
  CHECK_FALSE(s.loadMachine());
  const uint64_t before = s.fileRowsWritten();
  s.saveJob(sample(1));
  CHECK(s.fileRowsWritten() == before + 3);  // unknown again: all rows written
  CHECK(s.loadJobs() == std::vector<JobRecord>{sample(1)});
}
