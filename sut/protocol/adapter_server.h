// adapter_server.h: the adapter side of the protocol (PROTOCOL.md), for C++ adapters.
//
// serveAdapter() says hello with the backend's capabilities, then answers step / settle / bye
// requests on `in`/`out` until bye or end of input, and returns the process exit code. A
// backend runs each command and reports what it saw; a deterministic one (any bc::Sut, through
// SutBackend) reports everything from step() and nothing from settle(). Portable: also built
// by MinGW/MSVC for the real adapter.
#pragma once

#include <cstdint>
#include <iosfwd>
#include <memory>
#include <string>
#include <vector>

#include "sut/sut.h"
#include "vocab/capabilities.h"

namespace bc {

inline constexpr const char* kProtocolVersion = "bitsconform-adapter/1";

class AdapterBackend {
 public:
  virtual ~AdapterBackend() = default;
  virtual const Capabilities& capabilities() const = 0;
  // The command's direct effect (an API call: its Return first), or unsupported (answered
  // `unsupported`: the implementation cannot make the step happen as the world defines it; the
  // backend must not have changed anything for it). Throw to answer `error`.
  virtual StepResult step(const Command& command, Observations& out) = 0;
  // Waits until nothing more will happen or `deadlineMs` passed; appends what happened.
  // Returns false when the deadline cut the wait short. `expected` (null when the runner sent
  // none) is the model's prediction of the step's callbacks, activations and command lines:
  // once they all came, an asynchronous backend may end after a short grace for extras.
  virtual bool settle(uint32_t deadlineMs, const Observations* expected, Observations& out) = 0;
  // Undo everything created (jobs, registry keys, processes) before the adapter exits.
  virtual void shutdown() {}
  // The optional `reset` request (PROTOCOL.md): a backend that can make its world fresh again
  // (as just after hello) without a new process says so; reset() throws if it could not.
  virtual bool canReset() const { return false; }
  virtual void reset() {}
};

// Any in-process SUT served as an adapter (the mock agent). Built from a factory, it offers
// reset (a fresh SUT from the factory).
class SutBackend : public AdapterBackend {
 public:
  explicit SutBackend(std::unique_ptr<Sut> sut) : sut_(std::move(sut)) {}
  explicit SutBackend(SutFactory factory) : factory_(std::move(factory)), sut_(factory_()) {}
  const Capabilities& capabilities() const override { return sut_->capabilities(); }
  StepResult step(const Command& c, Observations& out) override { return sut_->execute(c, out); }
  bool settle(uint32_t, const Observations*, Observations&) override { return true; }
  bool canReset() const override { return static_cast<bool>(factory_); }
  void reset() override { sut_ = factory_(); }

 private:
  SutFactory factory_;
  std::unique_ptr<Sut> sut_;
};

// The hello line for `caps` (exposed for tests and for adapters that write their own loop);
// `features` lists the optional requests the adapter answers (e.g. "reset").
std::string helloLine(const Capabilities& caps, const std::vector<std::string>& features = {});

int serveAdapter(AdapterBackend& backend, std::istream& in, std::ostream& out);

}  // namespace bc
