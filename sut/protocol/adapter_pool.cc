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
  if (sut_ && sut_->usable() && sut_->canReset() && pool_->idle.size() < pool_->maxIdle)
    pool_->idle.push_back(std::move(sut_));
  // otherwise ~ProtocolSut closes it (bye, then a kill if it does not exit)
}

SutFactory pooledFactory(ProtocolOptions options, size_t maxIdle) {
  auto pool = std::make_shared<AdapterPool>();
  pool->options = std::move(options);
  pool->maxIdle = maxIdle;
  return [pool]() -> std::unique_ptr<Sut> {
    while (!pool->idle.empty()) {
      std::unique_ptr<ProtocolSut> sut = std::move(pool->idle.back());
      pool->idle.pop_back();
      try {
        sut->reset();
        return std::make_unique<PooledSut>(pool, std::move(sut));
      } catch (const SutFailure&) {
        // The adapter is killed by its failed reset; a fresh process below is the old contract.
      }
    }
    return std::make_unique<PooledSut>(pool, std::make_unique<ProtocolSut>(pool->options));
  };
}

}  // namespace bc
