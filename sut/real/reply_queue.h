// reply_queue.h: the lines app processes send the coordinator, and the wait for one app's reply.
//
// Portable (no Windows headers) so the wake-up logic is tested on Linux. Lines: "G <guid>" (a
// created job; the "R" line follows), "R <obs>" (the reply), "X <why>" (the app gave up), "E
// <obs>" (a callback, left for settle), "EOF" (the app's stdout closed). awaitReply never sleeps
// while a line it can use is queued: a "G" and its "R" may arrive in one notification.
#pragma once

#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <set>
#include <string>
#include <utility>
#include <vector>

namespace bc::real {

class ReplyQueue {
 public:
  struct Line {
    int app;
    std::string text;
    int incarnation;
  };
  // `incarnation` tells an app's processes apart: a killed process's late "EOF" must not end
  // the wait of its successor (A1 Exit, then A1 again).
  void push(int app, std::string text, int incarnation = 0);
  // The text after "R " of `app`'s next reply; `createdGuid` gets a "G" line's GUID. Throws
  // std::runtime_error on "X", "EOF" or when nothing came within `timeout` (the message names
  // the lines the app did send, e.g. a G without its R).
  // Lines of other incarnations of `app` are stale and dropped.
  std::string awaitReply(int app, std::chrono::milliseconds timeout, std::string* createdGuid, int incarnation = 0);
  // Removes the "E" lines, in arrival order, passing each (without "E ") to `take`; waits until
  // no E line arrived for `quiet` or `deadline` passed. True: quiet reached. Each "EOF" line
  // (left queued for awaitReply) is shown once to `eof` (app, incarnation), which may throw:
  // an app that died while BITS was calling it would otherwise look like a missing callback.
  bool drainEvents(std::chrono::milliseconds quiet, std::chrono::steady_clock::time_point deadline,
                   const std::function<void(const std::string&)>& take,
                   const std::function<void(int, int)>& eof = {});
  // The same, with the quiet period asked anew from `quiet` after every event (settle_wait.h:
  // a short grace once the predicted events came).
  bool drainEvents(const std::function<std::chrono::milliseconds()>& quiet,
                   std::chrono::steady_clock::time_point deadline, const std::function<void(const std::string&)>& take,
                   const std::function<void(int, int)>& eof = {});
  // Forgets every queued line (a reset: what the last test case left is not the next one's).
  void clear();

 private:
  std::mutex mutex_;
  std::condition_variable arrived_;
  std::deque<Line> lines_;  // from every app, in arrival order
  std::set<std::pair<int, int>> eofShown_;  // (app, incarnation) whose EOF drainEvents reported
};

}  // namespace bc::real
