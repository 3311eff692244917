#include "sut/mock/mock_sut.h"

#include <stdexcept>

namespace bc::mock {

MockSut::MockSut(const MockOptions& options) : machine_(std::make_unique<Machine>(options)) {
  caps_.name = options.mutant == Mutant::None ? "mock" : "mock:mutant=" + std::string(toString(options.mutant));
  caps_.description = "the mock BITS (sut/mock), " +
                      std::string(options.storePath.empty() ? "in-memory store" : "durable store " + options.storePath);
  caps_.version = options.version;
  caps_.exactModification = true;
  machine_->store().begin();
  service_ = std::make_unique<BitsService>(*machine_, options.reopen);
  service_->flush();
  machine_->flush();
  machine_->store().commit();
}

MockSut::~MockSut() = default;

void MockSut::restartService(bool reboot, Observations& out) {
  service_.reset();  // everything not persisted is gone
  if (reboot) machine_->reboot();
  service_ = std::make_unique<BitsService>(*machine_, reboot);
  service_->settle(out);
}

void MockSut::execute(const Command& command, Observations& out) {
  try {
    machine_->store().begin();
    if (command.kind == CmdKind::ServiceRestart || command.kind == CmdKind::Reboot) {
      out.push_back(Observation::ret(hr::S_OK));
      service_->flush();
      restartService(command.kind == CmdKind::Reboot, out);
    } else {
      service_->execute(command, out);
    }
    service_->flush();
    machine_->flush();
    machine_->store().commit();  // acknowledged only once durable
  } catch (const std::exception& e) {
    throw SutFailure(SutFailure::Kind::Internal, std::string("mock: ") + e.what());
  }
}

}  // namespace bc::mock
