#include "tools/bitsconf_signals.h"

#include <pthread.h>
#include <signal.h>
#include <unistd.h>

#include <cstdio>
#include <mutex>
#include <thread>

#include "sut/protocol/adapter_processes.h"

namespace bc {

namespace {

sigset_t stopSignals() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGHUP);
  return set;
}

}  // namespace

struct InterruptGuard::State {
  std::mutex m;  // held while onSignal runs, and by the destructor: one of them wins
  bool armed = true;
  std::function<void(int)> onSignal;
};

InterruptGuard::InterruptGuard(std::function<void(int)> onSignal) : state_(std::make_shared<State>()) {
  state_->onSignal = std::move(onSignal);
  sigset_t set = stopSignals();
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
  // Detached: it lives until a signal comes (then it ends the process) or the process ends.
  std::thread([set, state = state_] {
    int sig = 0;
    if (sigwait(&set, &sig) != 0) return;
    AdapterProcesses::killAll();
    {
      std::lock_guard<std::mutex> guard(state->m);
      if (state->armed) state->onSignal(sig);  // never returns to the guard's owner: the process ends here
      std::fflush(nullptr);
      _exit(128 + sig);
    }
  }).detach();
}

InterruptGuard::~InterruptGuard() {
  {
    std::lock_guard<std::mutex> guard(state_->m);  // waits for (and then never ends) an onSignal in progress
    state_->armed = false;
  }
  sigset_t set = stopSignals();
  pthread_sigmask(SIG_UNBLOCK, &set, nullptr);
}

}  // namespace bc
