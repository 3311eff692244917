// adapter_pool.h: adapter processes reused across test cases through the protocol's `reset`.
//
// A test case wants a fresh world; for an out-of-process adapter that used to mean a fresh
// process per case and per shrink step (a Wine adapter: about 2 s to start). pooledFactory()
// returns SUTs that, when the case is done with them, are sent `reset` (PROTOCOL.md, a round
// trip) and go back to an idle pool instead of exiting; the next case takes one. Reset on
// return, so an idle adapter holds nothing (two adapters of one real BITS share its service).
// What is not reused, so that a case never inherits a broken world:
//  - an adapter that did not declare the `reset` feature in its hello (closed with bye, as
//    before: the process-per-case contract);
//  - one that failed (crashed, timed out, spoke garbage: ProtocolSut::usable() is false);
//  - one whose reset failed (it is killed, and a fresh process is started instead).
// The pool keeps at most `maxIdle` idle adapters (the determinism property holds two at once)
// and closes them with bye when the last copy of the factory is gone. Not thread-safe: the
// runner uses one SUT at a time from one thread.
#pragma once

#include <memory>

#include "sut/protocol/protocol_sut.h"

namespace bc {

struct AdapterPool;

// One adapter on loan from the pool: everything forwards to the ProtocolSut.
class PooledSut : public Sut {
 public:
  PooledSut(std::shared_ptr<AdapterPool> pool, std::unique_ptr<ProtocolSut> sut);
  ~PooledSut() override;  // back to the pool if it is still usable and can reset, else closed
  const Capabilities& capabilities() const override { return sut_->capabilities(); }
  StepResult execute(const Command& command, Observations& out) override { return sut_->execute(command, out); }
  void expect(const Observations& predicted) override { sut_->expect(predicted); }
  ProtocolSut& adapter() { return *sut_; }

 private:
  std::shared_ptr<AdapterPool> pool_;
  std::unique_ptr<ProtocolSut> sut_;
};

SutFactory pooledFactory(ProtocolOptions options, size_t maxIdle = 2);

}  // namespace bc
