// mock_sut.h: the mock BITS behind the SUT interface (sut/sut.h).
//
// A Machine (clock, processes, COM registry, store) and the BitsService running on it;
// ServiceRestart and Reboot destroy the service and build a new one from the store. Durable
// store: every command runs in one store transaction, committed before execute() returns, so
// every acknowledged write is on disk. Fast store: the service writes what it persists when it
// stops (ServiceRestart/Reboot), in one transaction, and the new service reads it back. Deterministic: the same commands give the same
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
  StepResult execute(const Command& command, Observations& out) override;
  bool snapshot(WorldSnapshot& out) const override;

  // For tests and the benchmark.
  Machine& machine() { return *machine_; }
  BitsService& service() { return *service_; }

 private:
  void persist();  // every changed job and the machine's state, in the open transaction
  void restartService(bool reboot, Observations& out);

  std::unique_ptr<Machine> machine_;
  std::unique_ptr<BitsService> service_;
  Capabilities caps_;
};

}  // namespace bc::mock
