// store_pool.h: recycled in-memory JobStores for the fast mode.
//
// Property testing makes a fresh mock per test case; opening SQLite and creating the schema
// costs ~300 µs, emptying a used store a few µs. acquireMemoryStore() returns an empty
// in-memory store (recycled or new); releaseMemoryStore() empties it and keeps a few per thread
// for the next acquire. Durable stores are never pooled. Per thread: no locking.
#pragma once

#include <memory>

#include "sut/mock/job_store.h"

namespace bc::mock {

std::unique_ptr<JobStore> acquireMemoryStore();
void releaseMemoryStore(std::unique_ptr<JobStore> store);

}  // namespace bc::mock
