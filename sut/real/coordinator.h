// coordinator.h: the protocol side of the real adapter (an AdapterBackend on Windows BITS).
//
// Probes what the BITS at hand offers (QueryInterface for IBackgroundCopyJob2..5, the command
// line API) and states it with the evidence; starts one app process per world app on first use
// (the same .exe in app mode) and forwards each API call to it; turns app exit into a real
// process termination; collects callbacks as they arrive. Every job it makes is named
// "bitsconform-..." and cancelled at the end, and leftovers of a crashed run at the next start.
#pragma once

#include "sut/protocol/adapter_server.h"  // before windows.h (HRESULT macros)

#include <windows.h>

#include <condition_variable>
#include <deque>
#include <map>
#include <mutex>
#include <string>

#include "sut/protocol/adapter_server.h"
#include "sut/real/hold_server.h"
#include "sut/real/reply_queue.h"
#include "sut/real/server_log.h"

#include <atomic>
#include <thread>

struct IBackgroundCopyManager;

namespace bc::real {

class Coordinator : public AdapterBackend {
 public:
  Coordinator();
  ~Coordinator() override;
  const Capabilities& capabilities() const override { return caps_; }
  void step(const Command& command, Observations& out) override;
  bool settle(uint32_t deadlineMs, const Observations* expected, Observations& out) override;
  void shutdown() override;

  // Cancels the jobs named "bitsconform-<pid>-..." of this process (ownOnly) or of any process
  // that no longer runs (a crashed run: other live runs are left alone); returns how many.
  static int cleanLeftovers(std::string* log, bool ownOnly);

 private:
  struct App {
    HANDLE process = nullptr;
    HANDLE toApp = nullptr;
    int incarnation = 0;
    bool running = false;
  };
  void probe();
  App& ensureRunning(AppId app);
  void stopApp(AppId app);
  void readerLoop(int app, int incarnation, HANDLE fromApp);
  // Environment commands: the loopback server decides what BITS's requests get.
  Observation environment(const Command& c);
  // Throws SutFailure(Unsupported) when `job`'s request cannot reach the server because BITS
  // serves another job first and that job's request is held (Wine: one job at a time).
  void requireOwnTurn(const Command& c);
  // The job's BITS state (false: no such job); waits up to `ms` while `busy(state)` holds.
  bool jobState(JobId job, int& state, unsigned long* filesDone = nullptr);
  // Whether `job` names a BITS job that is not final (CreateJob must then fail: semantics.md).
  bool nameInUse(JobId job);
  template <class Pred>
  bool waitState(JobId job, int ms, Pred busy, int& state);
  // RegisterServer / UnregisterServer (behaviour ok only: faults are not offered).
  Observation serverRegistry(const Command& c);
  // Tails serverLogPath(own pid) and queues its observations as events (app -1) for settle.
  void tailServerLog();
  void pollServerLog();  // reads what the servers appended since the last poll (serverMutex_)
  JobId jobOfGuid(const std::string& guid);

  Capabilities caps_;
  HoldServer server_;
  IBackgroundCopyManager* manager_ = nullptr;
  int quietMs_ = 150;  // longer after an environment command: BITS calls back from its own thread
  std::wstring exe_;
  std::map<AppId, App> apps_;
  std::map<JobId, std::string> jobGuids_;  // guarded by guidsMutex_ (the log tail reads it)
  std::mutex guidsMutex_;
  std::mutex serverMutex_;  // the parser and the file offset: the tail thread and step share them
  ServerLog serverLog_{[this](const std::string& guid) { return jobOfGuid(guid); }};
  long long serverLogOffset_ = 0;
  std::thread logTail_;
  std::atomic<bool> stopTail_{false};
  ReplyQueue lines_;  // from every app, in arrival order
};

}  // namespace bc::real
