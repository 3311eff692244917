// The coordinator's wait for an app's reply (reply_queue.h): no lost wake-up when a created
// job's "G" line and its "R" line arrive together, which made a first CreateJob "not answer
// within 30 s" under CPU load.
#include "sut/real/reply_queue.h"

#include <catch2/catch.hpp>

#include <chrono>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

using namespace bc::real;
using namespace std::chrono_literals;

namespace {
long msSince(std::chrono::steady_clock::time_point t) {
  return static_cast<long>(std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - t).count());
}
}  // namespace

TEST_CASE("reply queue: a G line and its R line queued together are both taken at once", "[adapter][harness]") {
  ReplyQueue q;
  q.push(1, "G {0000-guid}");
  q.push(1, "R -> S_OK");  // both before the wait, as when one ReadFile returns both lines
  std::string guid;
  auto start = std::chrono::steady_clock::now();
  CHECK(q.awaitReply(1, 3000ms, &guid) == "-> S_OK");
  CHECK(guid == "{0000-guid}");
  CHECK(msSince(start) < 1000);  // not a timeout rescued by a spurious wake-up
}

TEST_CASE("reply queue: G and R pushed by another thread between the waiter's wake-ups", "[adapter][harness]") {
  for (int round = 0; round < 200; ++round) {
    ReplyQueue q;
    std::thread app([&] {
      q.push(1, "G {g}");
      q.push(1, "R -> S_OK");
    });
    std::string guid;
    CHECK(q.awaitReply(1, 2000ms, &guid) == "-> S_OK");
    CHECK(guid == "{g}");
    app.join();
  }
}

TEST_CASE("reply queue: other apps' replies and callbacks stay queued for their owners", "[adapter]") {
  ReplyQueue q;
  q.push(2, "R -> E_NOTIMPL");
  q.push(1, "E callback A1#1.o2 JobTransferred J1 -> S_OK");
  q.push(1, "R -> S_OK flags=0x03");
  CHECK(q.awaitReply(1, 1000ms, nullptr) == "-> S_OK flags=0x03");
  CHECK(q.awaitReply(2, 1000ms, nullptr) == "-> E_NOTIMPL");
  std::vector<std::string> events;
  CHECK(q.drainEvents(50ms, std::chrono::steady_clock::now() + 1000ms, [&](const std::string& e) { events.push_back(e); }));
  CHECK(events == std::vector<std::string>{"callback A1#1.o2 JobTransferred J1 -> S_OK"});
}

TEST_CASE("reply queue: X, EOF and silence are errors that say what the app sent", "[adapter]") {
  ReplyQueue q;
  q.push(1, "X GetNotifyInterface: QueryInterface(IPersist) = 0x80004002");
  CHECK_THROWS_WITH(q.awaitReply(1, 1000ms, nullptr), "app A1: GetNotifyInterface: QueryInterface(IPersist) = 0x80004002");
  q.push(1, "EOF");
  CHECK_THROWS_WITH(q.awaitReply(1, 1000ms, nullptr), "app process A1 ended unexpectedly");
  q.push(1, "G {g}");
  auto start = std::chrono::steady_clock::now();
  CHECK_THROWS_WITH(q.awaitReply(1, 1000ms, nullptr), "app A1 did not answer within 1 s (it sent only: G)");
  CHECK(msSince(start) >= 1000);
  CHECK_THROWS_WITH(q.awaitReply(1, 1000ms, nullptr), "app A1 did not answer within 1 s (it sent nothing)");
}

TEST_CASE("reply queue: a reply that comes later from another thread is received", "[adapter]") {
  ReplyQueue q;
  std::thread app([&] {
    std::this_thread::sleep_for(100ms);
    q.push(1, "R -> S_OK");
  });
  CHECK(q.awaitReply(1, 2000ms, nullptr) == "-> S_OK");
  app.join();
}

TEST_CASE("reply queue: a killed incarnation's late EOF does not end its successor's wait", "[adapter][REG-7]") {
  ReplyQueue q;
  q.push(1, "EOF", 1);         // A1#1 was terminated (A1 Exit); its reader ends late
  q.push(1, "R -> S_OK", 2);   // A1#2 answers
  CHECK(q.awaitReply(1, 1000ms, nullptr, 2) == "-> S_OK");
}

TEST_CASE("drainEvents shows an app's EOF to its hook once, which may end the settle", "[real]") {
  ReplyQueue q;
  q.push(3, "E callback A3#1.o3 JobTransferred J1 -> S_OK", 1);
  q.push(3, "EOF", 1);
  std::vector<std::string> taken;
  int eofs = 0;
  auto take = [&](const std::string& t) { taken.push_back(t); };
  auto deadline = std::chrono::steady_clock::now() + 2s;
  CHECK_THROWS_WITH(q.drainEvents(20ms, deadline, take,
                                  [&](int app, int incarnation) {
                                    ++eofs;
                                    CHECK(app == 3);
                                    CHECK(incarnation == 1);
                                    throw std::runtime_error("app process A3 ended while BITS could call it");
                                  }),
                    "app process A3 ended while BITS could call it");
  CHECK(eofs == 1);
  // Shown once: a later settle is not ended by the same EOF again, and awaitReply still sees it.
  CHECK(q.drainEvents(20ms, std::chrono::steady_clock::now() + 1s, take, [&](int, int) { ++eofs; }));
  CHECK(eofs == 1);
  CHECK_THROWS(q.awaitReply(3, 50ms, nullptr, 1));
}

TEST_CASE("reply queue: the quiet period is asked anew after every event", "[adapter]") {
  ReplyQueue q;
  std::vector<std::string> taken;
  q.push(1, "E first");
  std::thread app([&] {
    std::this_thread::sleep_for(100ms);
    q.push(1, "E second");
  });
  auto start = std::chrono::steady_clock::now();
  // A long window until "second" came, then a short one: the drain ends soon after it.
  bool quiet = q.drainEvents([&] { return taken.size() >= 2 ? 50ms : 5000ms; }, start + 10s,
                             [&](const std::string& e) { taken.push_back(e); });
  app.join();
  CHECK(quiet);
  CHECK(taken == std::vector<std::string>{"first", "second"});
  CHECK(msSince(start) < 2000);
}

TEST_CASE("reply queue: clear forgets every line and the EOFs already shown", "[adapter]") {
  ReplyQueue q;
  int eofs = 0;
  q.push(1, "EOF", 1);
  q.drainEvents(0ms, std::chrono::steady_clock::now(), [](const std::string&) {}, [&](int, int) { ++eofs; });
  q.push(2, "E stale");
  q.clear();
  std::vector<std::string> taken;
  q.push(1, "EOF", 1);  // the same app and incarnation in the next test case
  q.drainEvents(0ms, std::chrono::steady_clock::now(), [&](const std::string& e) { taken.push_back(e); },
                [&](int, int) { ++eofs; });
  CHECK(taken.empty());
  CHECK(eofs == 2);
}
