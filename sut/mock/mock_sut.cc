#include "sut/mock/mock_sut.h"

#include <stdexcept>

namespace bc::mock {

namespace {
std::string describe(const MockOptions& o) {
  return o.storePath.empty() ? "the mock BITS (sut/mock), in-memory store, persisted when the service stops"
                             : "the mock BITS (sut/mock), durable store " + o.storePath;
}
}  // namespace

MockSut::MockSut(const MockOptions& options) : machine_(std::make_unique<Machine>(options)) {
  caps_.name = options.name;
  caps_.description = describe(options);
  caps_.version = options.version;
  caps_.exactModification = true;
  if (machine_->durable()) {
    machine_->store().begin();
    service_ = std::make_unique<BitsService>(*machine_, options.reopen);
    persist();
    machine_->store().commit();
  } else {
    service_ = std::make_unique<BitsService>(*machine_, options.reopen);
  }
}

MockSut::~MockSut() = default;

void MockSut::persist() {
  service_->flush();
  machine_->flush();
}

void MockSut::restartService(bool reboot, Observations& out) {
  service_.reset();  // everything not persisted is gone
  if (reboot) machine_->reboot();
  service_ = std::make_unique<BitsService>(*machine_, reboot);
  service_->settle(out);
}

StepResult MockSut::execute(const Command& command, Observations& out) {
  const size_t first = out.size();
  try {
    const bool durable = machine_->durable();
    const bool stop = command.kind == CmdKind::ServiceRestart || command.kind == CmdKind::Reboot;
    if (durable) machine_->store().begin();
    if (stop) {
      out.push_back(Observation::ret(hr::S_OK));
      if (!durable) machine_->store().begin();  // fast: the service writes its state as it stops
      persist();
      if (!durable) machine_->store().commit();
      restartService(command.kind == CmdKind::Reboot, out);
    } else {
      service_->execute(command, out);
    }
    if (durable) {
      persist();
      machine_->store().commit();  // acknowledged only once durable
    }
  } catch (const std::exception& e) {
    throw SutFailure(SutFailure::Kind::Internal, std::string("mock: ") + e.what());
  }
  // As the adapter protocol says of any SUT (sut/protocol/PROTOCOL.md).
  if (out.size() - first > kMaxStepObservations)
    throw SutFailure(SutFailure::Kind::ProtocolError, "mock: more than " + std::to_string(kMaxStepObservations) +
                                                          " observations in one step (the limit of the test world)");
  return StepResult::done();  // the mock BITS makes every step of the world happen
}

}  // namespace bc::mock
