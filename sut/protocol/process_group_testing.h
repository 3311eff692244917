// process_group_testing.h: for tests that check an adapter's process group is gone (Linux /proc).
#pragma once

#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>

namespace bc::testing {

// A live (not zombie) process in group `pgid`: an orphaned zombie waits for init, harmlessly.
inline bool groupAlive(pid_t pgid) {
  for (const auto& entry : std::filesystem::directory_iterator("/proc")) {
    std::ifstream stat(entry.path() / "stat");
    std::string line;
    if (!std::getline(stat, line)) continue;
    auto close = line.rfind(')');
    if (close == std::string::npos) continue;
    std::istringstream rest(line.substr(close + 2));
    char state;
    long ppid, pgrp;
    if (rest >> state >> ppid >> pgrp && pgrp == pgid && state != 'Z') return true;
  }
  return false;
}

// SIGKILL is delivered asynchronously: a killed grandchild may still show as running for a
// moment after the group was signalled. Wait (bounded) for the group to be gone.
inline bool groupGoneWithin(pid_t pgid, std::chrono::milliseconds limit) {
  auto deadline = std::chrono::steady_clock::now() + limit;
  while (groupAlive(pgid)) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return true;
}

}  // namespace bc::testing
