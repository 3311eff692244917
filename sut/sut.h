// sut.h: the one interface every implementation under test sits behind.
//
// The mock BITS (sut/mock), the adapter-protocol client (sut/protocol: the real BITS adapter
// and users' out-of-process adapters) and users' in-process implementations all implement it.
// Contract:
//  - A fresh Sut is a fresh world: no jobs, apps A1..A8 running (incarnation 1), no servers
//    registered, time 0, network up, BITS version = capabilities().version.
//  - execute() runs one command to quiescence ("settle": every callback, activation and command
//    line the command causes at the current virtual time has happened) and appends what was
//    observed, in order, to `out`. An API call appends exactly one Return observation first.
//  - Only commands that capabilities().supports() are passed in.
//  - execute() returns what became of the step (StepResult): done, or unsupported with the
//    reason this SUT cannot make the step happen as the world defines it (e.g. Wine's qmgr
//    transfers one job at a time, so 'Transfer J1' cannot happen while J2's request is held).
//    Unsupported is an answer, not a failure: the SUT is alive and the sequence is not
//    applicable to it, which is no verdict on any rule. Never for a method the implementation
//    must have: E_NOTIMPL is an HRESULT, compared like any other. It is a [[nodiscard]] return value, not
//    an exception, so no caller can compare the observations of a step that did not happen
//    without having looked, and an exception always means the SUT died.
//  - A SUT never throws for a BITS-level failure (that is an HRESULT); it throws SutFailure
//    only when it cannot go on (adapter crashed, timed out, spoke garbage, gave up).
#pragma once

#include <functional>
#include <memory>
#include <stdexcept>
#include <string>
#include <utility>

#include "vocab/capabilities.h"
#include "vocab/command.h"
#include "vocab/observation.h"
#include "vocab/snapshot.h"
#include "vocab/run_outcome.h"

namespace bc {

class SutFailure : public std::runtime_error {
 public:
  enum class Kind { Crashed, TimedOut, ProtocolError, Internal };
  SutFailure(Kind kind, const std::string& what) : std::runtime_error(what), kind_(kind) {}
  Kind kind() const { return kind_; }

 private:
  Kind kind_;
};

// The outcome of a unit a SUT failure ended: the one mapping every caller uses. Internal (the
// adapter gave up) is crashed. (An unsupported step is no failure: StepResult.)
inline RunOutcome outcomeOf(const SutFailure& f) {
  switch (f.kind()) {
    case SutFailure::Kind::TimedOut: return RunOutcome::TimedOut;
    case SutFailure::Kind::ProtocolError: return RunOutcome::ProtocolError;
    case SutFailure::Kind::Crashed:
    case SutFailure::Kind::Internal: break;
  }
  return RunOutcome::Crashed;
}

// What became of one execute(): done (its observations were appended), or unsupported, with
// why this SUT cannot make the step happen (nothing of the step is to be compared then).
class [[nodiscard]] StepResult {
 public:
  static StepResult done() { return StepResult(); }
  // `why` names the step's obstacle on this implementation; an empty one is "(no reason given)".
  static StepResult unsupported(std::string why) {
    StepResult r;
    r.unsupported_ = true;
    r.why_ = why.empty() ? "(no reason given)" : std::move(why);
    return r;
  }
  bool isDone() const { return !unsupported_; }
  bool isUnsupported() const { return unsupported_; }
  const std::string& why() const { return why_; }  // empty when done

 private:
  StepResult() = default;
  bool unsupported_ = false;
  std::string why_;
};

class Sut {
 public:
  virtual ~Sut() = default;
  virtual const Capabilities& capabilities() const = 0;
  virtual StepResult execute(const Command& command, Observations& out) = 0;
  // The model's observations for the command about to be executed (its Return first), given
  // just before execute(). A SUT that waits for asynchronous callbacks may stop waiting once it
  // has seen them (then a short grace for extras); one that does not wait ignores it. A hint
  // only: what execute() reports is still compared in full.
  virtual void expect(const Observations& predicted) { (void)predicted; }
  // Everything the SUT holds about its jobs now (vocab/snapshot.h), for the observation mode of
  // the comparison (oracle/observe.h): a simulated SUT fills `out` and returns true; one that
  // cannot (a real BITS) returns false, and is read through its getters when asked to.
  virtual bool snapshot(WorldSnapshot& out) const {
    (void)out;
    return false;
  }
};

// Makes a fresh SUT for every test case (shrinking replays on a clean world).
using SutFactory = std::function<std::unique_ptr<Sut>()>;

}  // namespace bc
