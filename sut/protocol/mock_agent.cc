// mock_agent: the mock BITS served over the adapter protocol (PROTOCOL.md), so the protocol
// path is tested end to end against a full implementation: `agent:mock_agent` must give the
// same traces as the mock in process.
//   mock_agent [--mutant NAME] [--no-reset] [--lifecycle-only]
// --no-reset: do not offer the reset request (a process per test case, as adapters that lack it).
// --lifecycle-only makes it a partial implementation, for the suite's own tests of what a
// verdict means: it implements the job life cycle only, declares every capability false and
// answers every notification call (SetNotify*, GetNotify*) E_NOTIMPL. Such an adapter must get
// no pass for any notification rule.
#include <cstring>
#include <exception>
#include <iostream>

#include "sut/mock/mock_sut.h"
#include "sut/mutants/mutant.h"
#include "sut/protocol/adapter_server.h"

namespace {

bool notificationCall(bc::CmdKind k) {
  switch (k) {
    case bc::CmdKind::SetNotifyInterface:
    case bc::CmdKind::GetNotifyInterface:
    case bc::CmdKind::SetNotifyFlags:
    case bc::CmdKind::GetNotifyFlags:
    case bc::CmdKind::SetNotifyCmdLine:
    case bc::CmdKind::GetNotifyCmdLine:
    case bc::CmdKind::SetNotifyClsid:
    case bc::CmdKind::GetNotifyClsid:
      return true;
    default:
      return false;
  }
}

class LifecycleOnly : public bc::Sut {
 public:
  explicit LifecycleOnly(std::unique_ptr<bc::Sut> inner) : inner_(std::move(inner)) {
    caps_ = inner_->capabilities();
    caps_.name = "lifecycle-only";
    caps_.description = "the mock's job life cycle; every notification call answers E_NOTIMPL";
    caps_.commandLine = caps_.notifyClsid = caps_.faults = caps_.networkControl = caps_.virtualTime =
        caps_.serviceRestart = caps_.reboot = false;
  }
  const bc::Capabilities& capabilities() const override { return caps_; }
  bc::StepResult execute(const bc::Command& c, bc::Observations& out) override {
    if (!notificationCall(c.kind)) return inner_->execute(c, out);
    out.push_back(bc::Observation::ret(bc::hr::E_NOTIMPL));
    return bc::StepResult::done();
  }

 private:
  std::unique_ptr<bc::Sut> inner_;
  bc::Capabilities caps_;
};

}  // namespace

int main(int argc, char** argv) {
  bc::mock::MockOptions options;
  bool lifecycleOnly = false;
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--lifecycle-only") == 0) lifecycleOnly = true;
    if (std::strcmp(argv[i], "--mutant") == 0 && i + 1 < argc) {
      auto m = bc::mock::parseMutant(argv[i + 1]);
      if (!m) {
        std::cerr << "mock_agent: unknown mutant '" << argv[i + 1] << "'\n";
        return 2;
      }
      bc::mock::applyMutant(options, *m);
    }
  }
  bool reset = true;
  for (int i = 1; i < argc; ++i) reset &= std::strcmp(argv[i], "--no-reset") != 0;
  try {
    bc::SutFactory factory = [options, lifecycleOnly]() -> std::unique_ptr<bc::Sut> {
      auto mock = std::make_unique<bc::mock::MockSut>(options);
      if (lifecycleOnly) return std::make_unique<LifecycleOnly>(std::move(mock));
      return mock;
    };
    bc::SutBackend backend = reset ? bc::SutBackend(factory) : bc::SutBackend(factory());
    return bc::serveAdapter(backend, std::cin, std::cout);
  } catch (const std::exception& e) {
    std::cerr << "mock_agent: " << e.what() << "\n";
    return 1;
  }
}
