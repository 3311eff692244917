#include "sut/protocol/adapter_processes.h"

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <mutex>
#include <set>

namespace bc {

namespace {
std::mutex& lock() {
  static std::mutex m;
  return m;
}
std::set<pid_t>& children() {
  static std::set<pid_t> s;
  return s;
}
}  // namespace

pid_t AdapterProcesses::fork() {
  std::lock_guard<std::mutex> guard(lock());
  pid_t pid = ::fork();
  if (pid > 0) children().insert(pid);
  return pid;  // the child owns a copy of the locked mutex and never touches it: it execs
}

pid_t AdapterProcesses::reap(pid_t pid, int* status, int options) {
  std::lock_guard<std::mutex> guard(lock());
  pid_t r;
  while ((r = ::waitpid(pid, status, options)) < 0 && errno == EINTR) {
  }
  if (r == pid || (r < 0 && errno == ECHILD)) children().erase(pid);
  return r;
}

int AdapterProcesses::killAll() {
  std::lock_guard<std::mutex> guard(lock());
  for (pid_t pid : children()) {
    ::kill(-pid, SIGKILL);  // the group: the adapter's own children (Wine's wineserver, ...)
    ::kill(pid, SIGKILL);   // the child, if it has not made its group yet
  }
  int n = static_cast<int>(children().size());
  for (pid_t pid : children()) {
    int status;
    while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
  }
  children().clear();
  return n;
}

}  // namespace bc
