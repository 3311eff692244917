#include "sut/mock/store_pool.h"

#include <catch2/catch.hpp>

using namespace bc;
using namespace bc::mock;

TEST_CASE("A recycled in-memory store is empty, and only a few are kept per thread", "[store]") {
  // Drain what earlier tests left in this thread's pool.
  std::vector<std::unique_ptr<JobStore>> held;
  for (int i = 0; i < 8; ++i) held.push_back(acquireMemoryStore());
  for (auto& s : held) releaseMemoryStore(std::move(s));
  held.clear();

  auto s = acquireMemoryStore();
  CHECK_FALSE(s->durable());
  JobRecord j;
  j.id = 3;
  j.files = {{true, true}};
  s->begin();
  s->saveJob(j);
  s->saveMachine("state");
  s->commit();
  JobStore* raw = s.get();
  releaseMemoryStore(std::move(s));
  auto again = acquireMemoryStore();
  CHECK(again.get() == raw);  // recycled, not reopened
  CHECK(again->loadJobs().empty());
  CHECK_FALSE(again->loadMachine());
  CHECK(again->integrityCheck() == "ok");

  // Six in use, then all released: four are kept (each wrote a row before, which a recycled
  // store's counter still shows), the other two are closed.
  releaseMemoryStore(std::move(again));
  for (int i = 0; i < 6; ++i) {
    held.push_back(acquireMemoryStore());
    held.back()->saveJob(j);
  }
  for (auto& h : held) releaseMemoryStore(std::move(h));
  held.clear();
  int recycled = 0;
  for (int i = 0; i < 6; ++i) {
    held.push_back(acquireMemoryStore());
    CHECK(held.back()->loadJobs().empty());
    recycled += held.back()->fileRowsWritten() > 0;
  }
  CHECK(recycled == 4);
}
