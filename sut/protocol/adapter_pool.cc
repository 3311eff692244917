#include "sut/protocol/adapter_pool.h"

#include <vector>

namespace bc {

struct AdapterPool {
  ProtocolOptions options;
  size_t maxIdle = 2;
  std::vector<std::unique_ptr<ProtocolSut>> idle;  // destroyed (bye) with the pool
};

PooledSut::PooledSut(std::shared_ptr<AdapterPool> pool, std::unique_ptr<ProtocolSut> sut)
    : pool_(std::move(pool)), sut_(std::move(sut)) {}

PooledSut::~PooledSut() {
  if (!sut_ || !sut_->usable() || !sut_->canReset() || pool_->idle.size() >= pool_->maxIdle)
    return;  // ~ProtocolSut closes it (bye, then a kill if it does not exit)
  try {
    // Reset now, not when it is taken again: an idle adapter must hold nothing. Two adapters of
    // one real BITS share its service (Wine: one transfer thread), so a job left behind by an
    // idle one would stall the transfers of the one at work.
    sut_->reset();
    pool_->idle.push_back(std::move(sut_));
  } catch (const SutFailure&) {
    // killed by its failed reset; the next case starts a fresh process (the old contract)
  }
}

SutFactory pooledFactory(ProtocolOptions options, size_t maxIdle) {
  auto pool = std::make_shared<AdapterPool>();
  pool->options = std::move(options);
  pool->maxIdle = maxIdle;
  return [pool]() -> std::unique_ptr<Sut> {
    if (!pool->idle.empty()) {  // reset when it came back: a fresh world
      std::unique_ptr<ProtocolSut> sut = std::move(pool->idle.back());
      pool->idle.pop_back();
      return std::make_unique<PooledSut>(pool, std::move(sut));
    }
    return std::make_unique<PooledSut>(pool, std::make_unique<ProtocolSut>(pool->options));
  };
}

}  // namespace bc
