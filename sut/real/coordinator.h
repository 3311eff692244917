// coordinator.h: the protocol side of the real adapter (an AdapterBackend on Windows BITS).
//
// Probes what the BITS at hand offers (QueryInterface for IBackgroundCopyJob2..5, the command
// line API, the right to stop and start the service) and states it with the evidence; starts one
// app process per world app on first use (the same .exe in app mode) and forwards each API call
// to it; turns app exit into a real process termination; collects callbacks as they arrive and
// ends a settle once the predicted ones came (settle_wait.h). Every job it makes is named
// "bitsconform-..." and cancelled at the end, and leftovers of a crashed run at the next start.
// reset() makes the world fresh for the next test case without a new adapter process.
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
  StepResult step(const Command& command, Observations& out) override;
  bool settle(uint32_t deadlineMs, const Observations* expected, Observations& out) override;
  void shutdown() override;
  bool canReset() const override { return true; }
  void reset() override;

  // Cancels the jobs named "bitsconform-<pid>-..." of this process (ownOnly) or of any process
  // that no longer runs (a crashed run: other live runs are left alone); returns how many.
  static int cleanLeftovers(std::string* log, bool ownOnly);

 private:
  struct App {
    HANDLE process = nullptr;
    HANDLE toApp = nullptr;
    int incarnation = 0;
    int launch = 0;        // unique per process start: a killed process's late lines name an old one
    bool running = false;
    bool hung = false;     // one of its objects hangs in a call: a reset ends this process
    bool crashed = false;  // one of its objects crashed on purpose: its end is expected
  };
  // What BITS could still call for a job (an environment command's settle must not cut an
  // extra callback short when the model expects none: settle_wait.h).
  struct Notify {
    Receiver object = Receiver::none();
    bool clsid = false, cmdLine = false;
  };
  void probe();
  App& ensureRunning(AppId app);
  void stopApp(AppId app);
  void reapCrashed(App& a);  // an app whose object crashed: its process is gone, close it
  std::string askApp(AppId app, const std::string& line, std::string* created = nullptr);  // the reply
  void readerLoop(int app, int launch, HANDLE fromApp);
  void noteResult(const Command& c, const Observation& result);
  // Whether BITS could call anyone about `job` (0: about any job) if it delivered something the
  // model does not predict: a live registered object, a CLSID or a command line.
  bool extrasPossible(JobId job) const;
  // ServiceRestart through the service control manager: stop BITS, start it, wait until it answers.
  Observation restartService();
  // ServerExit: every process serving the class ends.
  void endServers(ClassId c);
  // Environment commands: the loopback server decides what BITS's requests get. Unsupported
  // when the command's job cannot have its turn (ownTurn).
  StepResult environment(const Command& c, Observations& out);
  // Unsupported when `c.job`'s request cannot reach the server because BITS serves another job
  // first and that job's request is held (Wine: one job at a time).
  StepResult ownTurn(const Command& c);
  // The job's BITS state (false: no such job); waits up to `ms` while `busy(state)` holds.
  bool jobState(JobId job, int& state, unsigned long* filesDone = nullptr);
  // Whether `job` names a BITS job that is not final (CreateJob must then fail: semantics.md).
  bool nameInUse(JobId job);
  template <class Pred>
  bool waitState(JobId job, int ms, Pred busy, int& state);
  // RegisterServer / UnregisterServer (behaviour ok only: faults are not offered); unsupported
  // for a server that fails to start (its failed activation cannot be observed).
  StepResult serverRegistry(const Command& c, Observations& out);
  // Tails serverLogPath(own pid) and launchLogPath(own pid) and queues their observations as
  // events (app -1) for settle; started by the first RegisterServer or SetNotifyCmdLine.
  void tailServerLog();
  void pollServerLog();  // reads what the servers and launched programs appended (serverMutex_)
  JobId jobOfGuid(const std::string& guid);

  Capabilities caps_;
  HoldServer server_;
  IBackgroundCopyManager* manager_ = nullptr;
  int quietMs_ = 150;  // longer after an environment command: BITS calls back from its own thread
  int graceMs_ = 30;   // after the predicted events came (settle_wait.h)
  bool environmentStep_ = false;
  bool serverRegistered_ = false;  // a RegisterServer in this case: BITS may start servers
  JobId environmentJob_ = 0;  // the job of the last environment command (0: every job, e.g. a restart)
  int launches_ = 0;
  std::map<JobId, Notify> notify_;
  std::wstring exe_;
  std::map<AppId, App> apps_;
  std::map<JobId, std::string> jobGuids_;  // guarded by guidsMutex_ (the log tail reads it)
  std::mutex guidsMutex_;
  std::mutex serverMutex_;  // the parser and the file offset: the tail thread and step share them
  ServerLog serverLog_{[this](const std::string& guid) { return jobOfGuid(guid); }};
  long long serverLogOffset_ = 0, launchLogOffset_ = 0;
  std::thread logTail_;
  std::atomic<bool> stopTail_{false};
  ReplyQueue lines_;  // from every app, in arrival order
};

}  // namespace bc::real
