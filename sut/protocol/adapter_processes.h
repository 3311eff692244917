// adapter_processes.h: every adapter process this runner has started and not yet reaped.
//
// A ProtocolSut forks through here and reaps through here, so that whoever handles SIGINT,
// SIGTERM or SIGHUP (tools/bitsconf_signals.cc) can kill and reap every adapter's process group
// from another thread: an adapter runs in its own group, out of reach of the terminal's Ctrl-C.
// All members are thread-safe; none is async-signal-safe (call them from a thread, not a handler).
#pragma once

#include <sys/types.h>

namespace bc {

class AdapterProcesses {
 public:
  // fork(2) under the registry's lock: a child is registered before anyone could look for it.
  static pid_t fork();
  // waitpid(2) for a registered child; it is forgotten once reaped. Returns waitpid's result.
  static pid_t reap(pid_t pid, int* status, int options);
  // SIGKILL to every registered child's process group and to the child, then reaps each.
  // Returns how many there were.
  static int killAll();
};

}  // namespace bc
