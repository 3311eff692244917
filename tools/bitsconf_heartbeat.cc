#include "tools/bitsconf_heartbeat.h"

namespace bc {

Heartbeat::Heartbeat(std::chrono::milliseconds interval, std::FILE* to) : interval_(interval), to_(to) {
  if (interval_.count() > 0) thread_ = std::thread([this] { loop(); });
}

Heartbeat::~Heartbeat() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stop_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void Heartbeat::setTotal(size_t units) {
  std::lock_guard<std::mutex> lock(mutex_);
  total_ = units;
}

void Heartbeat::working(const std::string& what) {
  std::lock_guard<std::mutex> lock(mutex_);
  now_ = what;
}

void Heartbeat::done() {
  std::lock_guard<std::mutex> lock(mutex_);
  ++done_;
}

void Heartbeat::loop() {
  std::unique_lock<std::mutex> lock(mutex_);
  while (!wake_.wait_for(lock, interval_, [this] { return stop_; })) {
    auto seconds = std::chrono::duration_cast<std::chrono::seconds>(std::chrono::steady_clock::now() - start_).count();
    std::fprintf(to_, "bitsconf run: %zu/%zu units done, %lld s, now: %s\n", done_, total_,
                 static_cast<long long>(seconds), now_.c_str());
    std::fflush(to_);
  }
}

}  // namespace bc
