// bitsconf_signals.h: what `bitsconf run` does when it is told to stop (Ctrl-C, kill, a closed
// terminal).
//
// An adapter runs in its own process group (sut/protocol), out of reach of the terminal's
// Ctrl-C, so the runner must end it: SIGINT, SIGTERM and SIGHUP are blocked in every thread and
// waited for by one thread of their own, which kills and reaps every adapter process group
// (AdapterProcesses::killAll), lets the caller write what it has, and exits with 128 + the
// signal (130, 143, 129) as a shell reports a job it interrupted. A thread, not a handler: none
// of that is async-signal-safe.
#pragma once

#include <functional>
#include <memory>

namespace bc {

class InterruptGuard {
 public:
  // Call before any other thread starts (threads inherit the blocked signals). `onSignal` runs
  // on the guard's thread, after the adapters are gone, with the signal number.
  explicit InterruptGuard(std::function<void(int signal)> onSignal);
  ~InterruptGuard();  // unblocks the signals; a signal still pending then ends the process as usual
  InterruptGuard(const InterruptGuard&) = delete;
  InterruptGuard& operator=(const InterruptGuard&) = delete;

 private:
  struct State;
  std::shared_ptr<State> state_;  // shared with the thread: onSignal never outlives the guard
};

}  // namespace bc
