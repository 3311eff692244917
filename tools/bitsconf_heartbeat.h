// bitsconf_heartbeat.h: one line every few seconds of a long run, for logs.
//
// The progress bar shows only on a terminal; in CI, a pipe or a file a long run used to print
// nothing for minutes, which looks the same as a hung one. While enabled, a background thread
// writes "bitsconf run: 12/71 units done, 45 s, now: scenario scenarios/REG/reg-3.scenario"
// every `interval`, and nothing when the run is quicker than that.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <mutex>
#include <string>
#include <thread>

namespace bc {

class Heartbeat {
 public:
  // Disabled (no thread) when `interval` is not positive.
  Heartbeat(std::chrono::milliseconds interval, std::FILE* to = stderr);
  ~Heartbeat();
  Heartbeat(const Heartbeat&) = delete;
  Heartbeat& operator=(const Heartbeat&) = delete;

  void setTotal(size_t units);
  void working(const std::string& what);  // the unit that now runs
  void done();                            // one more unit finished

 private:
  void loop();

  std::chrono::milliseconds interval_;
  std::FILE* to_;
  std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now();
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stop_ = false;
  size_t total_ = 0, done_ = 0;
  std::string now_ = "starting";
  std::thread thread_;
};

}  // namespace bc
