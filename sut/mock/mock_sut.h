// mock_sut.h: the mock BITS behind the SUT interface (sut/sut.h).
//
// A Machine (clock, processes, COM registry, store) and the BitsService running on it;
// ServiceRestart and Reboot destroy the service and build a new one from the store. Every
// command runs in one store transaction, committed before execute() returns: with a durable
// store, every acknowledged write is on disk. Deterministic: the same commands give the same
// observations. Capabilities: everything, exactModification = true.
#pragma once

#include <memory>

#include "sut/mock/bits_service.h"
#include "sut/mock/machine.h"
#include "sut/sut.h"

namespace bc::mock {

class MockSut : public Sut {
 public:
  explicit MockSut(const MockOptions& options = {});
  ~MockSut() override;

  const Capabilities& capabilities() const override { return caps_; }
  void execute(const Command& command, Observations& out) override;

  // For tests and the benchmark.
  Machine& machine() { return *machine_; }
  BitsService& service() { return *service_; }

 private:
  void restartService(bool reboot, Observations& out);

  std::unique_ptr<Machine> machine_;
  std::unique_ptr<BitsService> service_;
  Capabilities caps_;
};

}  // namespace bc::mock
