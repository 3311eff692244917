#include "sut/real/reply_queue.h"

#include <stdexcept>

namespace bc::real {

namespace {
// "E <obs>"; not "EOF", which ends an app's replies.
bool isEvent(const std::string& text) { return text.size() >= 2 && text[0] == 'E' && text[1] == ' '; }
}  // namespace

void ReplyQueue::push(int app, std::string text, int incarnation) {
  std::lock_guard<std::mutex> lock(mutex_);
  lines_.push_back({app, std::move(text), incarnation});
  arrived_.notify_all();
}

std::string ReplyQueue::awaitReply(int app, std::chrono::milliseconds timeout, std::string* createdGuid, int incarnation) {
  const std::string who = "app A" + std::to_string(app);
  std::unique_lock<std::mutex> lock(mutex_);
  auto deadline = std::chrono::steady_clock::now() + timeout;
  std::string seen;  // what the app sent during this wait, for the timeout message
  for (;;) {
    // Consume every usable line already queued before sleeping: a wake-up is only a hint.
    for (auto it = lines_.begin(); it != lines_.end();) {
      if (it->app != app || it->text.empty() || isEvent(it->text)) {
        ++it;
        continue;
      }
      bool stale = it->incarnation != incarnation;
      std::string text = std::move(it->text);
      it = lines_.erase(it);
      if (stale) continue;
      if (text == "EOF") throw std::runtime_error("app process A" + std::to_string(app) + " ended unexpectedly");
      if (text[0] == 'X') throw std::runtime_error(who + ": " + text.substr(text.size() > 1 ? 2 : 1));
      if (text[0] == 'R') return text.substr(text.size() > 1 ? 2 : 1);
      if (text[0] == 'G' && createdGuid) *createdGuid = text.substr(2);
      seen += (seen.empty() ? "" : ", ") + text.substr(0, 1);
    }
    if (std::chrono::steady_clock::now() >= deadline)  // after a last scan
      throw std::runtime_error(who + " did not answer within " + std::to_string(timeout.count() / 1000) + " s" +
                               (seen.empty() ? " (it sent nothing)" : " (it sent only: " + seen + ")"));
    arrived_.wait_until(lock, deadline);
  }
}

bool ReplyQueue::drainEvents(std::chrono::milliseconds quiet, std::chrono::steady_clock::time_point deadline,
                             const std::function<void(const std::string&)>& take,
                             const std::function<void(int, int)>& eof) {
  return drainEvents([quiet] { return quiet; }, deadline, take, eof);
}

void ReplyQueue::clear() {
  std::lock_guard<std::mutex> lock(mutex_);
  lines_.clear();
  eofShown_.clear();
}

bool ReplyQueue::drainEvents(const std::function<std::chrono::milliseconds()>& quiet,
                             std::chrono::steady_clock::time_point deadline,
                             const std::function<void(const std::string&)>& take,
                             const std::function<void(int, int)>& eof) {
  std::unique_lock<std::mutex> lock(mutex_);
  auto lastEvent = std::chrono::steady_clock::now();
  for (;;) {
    std::vector<std::pair<int, int>> ended;  // EOF lines not shown to `eof` yet
    for (auto it = lines_.begin(); it != lines_.end();) {
      if (eof && it->text == "EOF" && eofShown_.insert({it->app, it->incarnation}).second)
        ended.emplace_back(it->app, it->incarnation);
      if (isEvent(it->text)) {
        take(it->text.substr(2));
        it = lines_.erase(it);
        lastEvent = std::chrono::steady_clock::now();
      } else {
        ++it;
      }
    }
    if (!ended.empty()) {
      lock.unlock();  // the hook may throw: never with the queue locked
      for (auto [app, incarnation] : ended) eof(app, incarnation);
      lock.lock();
    }
    auto now = std::chrono::steady_clock::now();
    auto until = lastEvent + quiet();
    if (now >= until) return true;
    if (now >= deadline) return false;
    arrived_.wait_until(lock, std::min(deadline, until));
  }
}

}  // namespace bc::real
