#include "sut/mock/store_pool.h"

#include <vector>

namespace bc::mock {

namespace {
// A few stores per thread: tests keep two or three mocks alive at once, rarely more.
constexpr size_t kPoolSize = 4;

// Trivially destructible, so it stays readable while the thread's other thread_locals are being
// destroyed: a Machine that dies after the pool (a static one) then frees its store itself.
thread_local bool poolGone = false;

struct Pool {
  std::vector<std::unique_ptr<JobStore>> free;
  ~Pool() { poolGone = true; }
};

Pool& pool() {
  thread_local Pool p;
  return p;
}
}  // namespace

std::unique_ptr<JobStore> acquireMemoryStore() {
  if (!poolGone) {
    Pool& p = pool();
    if (!p.free.empty()) {
      std::unique_ptr<JobStore> s = std::move(p.free.back());
      p.free.pop_back();
      return s;
    }
  }
  return std::make_unique<JobStore>("");
}

void releaseMemoryStore(std::unique_ptr<JobStore> store) {
  if (!store || store->durable() || poolGone) return;
  Pool& p = pool();
  if (p.free.size() >= kPoolSize) return;
  try {
    store->clear();
  } catch (...) {
    return;  // a store that cannot be emptied is not reused
  }
  p.free.push_back(std::move(store));
}

}  // namespace bc::mock
