// hold_server.h: a tiny loopback HTTP server that answers BITS only when the test says so.
//
// Jobs download http://127.0.0.1:<port>/bitsconform/g<generation>/J<n>-f<k>; every request is held until an
// environment command decides its fate: serve (200 + a small body), 404 (fatal), 503
// (transient) or drop the connection (network down). Bounded: 127.0.0.1 only, at most
// kMaxConnections held sockets, 8 KiB of request headers; stop() answers nothing and closes all.
// A file that was served once is served again at once (BITS may re-request it). reset() starts a
// new generation: a late request of a former test case's job (same J<n>) is dropped, not counted.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

namespace bc::real {

class HoldServer {
 public:
  enum class Fate { Hold, Serve, NotFound, Unavailable, Drop };
  static constexpr int kMaxConnections = 64;

  HoldServer() = default;
  ~HoldServer() { stop(); }
  // Listens on 127.0.0.1 on a free port; returns it (0 when it cannot listen).
  int start();
  void stop();
  int port() const { return port_; }

  // `files` more requests of job `job` for files not served yet will be served (kEvery: every
  // file); a held request is answered at once.
  static constexpr int kEvery = 1 << 20;
  void grant(int job, int files);
  // The next request of `job` (held or future) for a file not served yet gets `fate`.
  void failNext(int job, Fate fate);
  // Network down: every held request and every new one is dropped until setNetwork(true).
  void setNetwork(bool up);
  // Drops every held request (BITS sees a reset connection): a service restart closed them.
  void dropHeld();
  // A fresh world: held requests dropped, no credits or pending failures, network up, no job
  // seen, and a new generation (URLs of the former one are dropped).
  void reset();
  int generation();
  // Requests of `job` seen so far (held or answered): whether BITS is connecting to it.
  int requestsSeen(int job);
  // Waits until a request of `job` arrives or `ms` passed; true if one did.
  bool awaitRequest(int job, int ms);
  // The jobs that have a request held right now (BITS is connected to them, waiting).
  std::set<int> jobsHeld();

 private:
  struct Pending {
    uintptr_t socket;
    int job, file;
    bool head;
  };
  void acceptLoop();
  void handle(uintptr_t socket);
  bool decideLocked(Pending& p, Fate& fate);  // false: keep holding
  void answer(const Pending& p, Fate fate);

  uintptr_t listener_ = ~uintptr_t(0);
  int port_ = 0;
  bool stopping_ = false;
  bool networkUp_ = true;
  int generation_ = 1;
  std::thread acceptor_;
  std::mutex mutex_;
  std::condition_variable seen_;
  std::vector<Pending> held_;
  std::vector<std::thread> workers_;
  std::map<int, int> credits_;                 // job -> files it may still get
  std::map<int, Fate> failNext_;               // job -> fate of its next new request
  std::set<std::pair<int, int>> served_;       // (job, file) served once
  std::map<int, int> seenCount_;
  int open_ = 0;
};

}  // namespace bc::real
