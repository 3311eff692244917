// bits_service.h: the BITS service (qmgr) of the mock: job manager, state machine, transfer
// engine driven by environment commands, timers on the virtual clock, and the notification
// dispatcher (object -> CLSID activation -> command line), per docs/semantics.md.
//
// One instance lives from a service start to the next ServiceRestart/Reboot: it loads the
// persisted jobs from the Machine's store when built and writes every change back on flush()
// (the owner calls it before a command is acknowledged with a durable store, and when the
// service stops with a fast one). Everything else (object slots, timers,
// JobModification pacing, hung calls) lives only here and dies with the instance.
#pragma once

#include <map>
#include <optional>
#include <vector>

#include "sut/mock/com_object.h"
#include "sut/mock/job_record.h"
#include "sut/mock/machine.h"
#include "vocab/command.h"
#include "vocab/observation.h"
#include "vocab/snapshot.h"

namespace bc::mock {

inline constexpr uint64_t kMinimumRetryDelayMs = 600'000;           // LIFE-4
inline constexpr uint64_t kNoProgressTimeoutMs = 1'209'600'000;     // LIFE-3
inline constexpr uint64_t kMinimumNotificationIntervalMs = 500;     // EVT-11
inline constexpr size_t kMaxHungCallsPerUser = 4;                   // CB-12

struct Job {
  JobRecord rec;
  // Not persisted.
  Receiver slot;  // the registered object, or the one created from the CLSID
  std::optional<uint64_t> retryAt, requeueAt, lastModAt;
  bool retryAfterActivation = false;  // retryAt follows a failed activation
  bool modOwed = false;
  bool hung = false;   // a callback of this job is in flight and does not return
  bool dirty = false;  // rec differs from the store
  uint64_t settledIn = 0;  // the settle that last dispatched it (BitsService::settles_)
};

class BitsService {
 public:
  // A service start on the Machine's store; `afterReboot`: it follows a reboot.
  BitsService(Machine& machine, bool afterReboot);
  ~BitsService();
  BitsService(const BitsService&) = delete;
  BitsService& operator=(const BitsService&) = delete;

  // Runs one command (not ServiceRestart/Reboot: those rebuild the service) and its settle.
  void execute(const Command& c, Observations& out);
  // Delivers everything owed at the current time (docs/semantics.md section 5).
  void settle(Observations& out);
  // Writes every changed job record to the store (inside the caller's transaction).
  void flush();

  // Every job's fields, the clock and the network (snapshot.cc; Sut::snapshot).
  void snapshot(WorldSnapshot& out) const;
  size_t hungCalls() const { return hung_.size(); }

 private:
  struct HungCall {
    JobId job;
    uint32_t generation;
    Receiver object;
  };
  struct Dispatch;  // per-dispatch receiver lookup state (notifier.cc)
  // SuccessCode: a success HRESULT other than S_OK (S_FALSE); each method reads it its own way.
  enum class Delivery { Success, SuccessCode, Failed, Hung, NoReceiver, NoInterface };

  // bits_service.cc: API calls and environment commands.
  void api(const Command& c, Observations& out);
  Hresult environment(const Command& c);
  void touch(Job& j);
  void change(Job& j);
  void propertyWritten(Job& j, bool valueChanged);
  void oweLateFiles(Job& j);
  void rearm(Job& j);
  void arm(Job& j);
  void enterTransferred(Job& j);
  void enterError(Job& j);
  void dropIfNobodyListens(Job& j);
  void enterFinal(Job& j, JobState s);
  void setSlot(Job& j, const Receiver& r);
  void toTransientError(Job& j);
  uint32_t effectiveFlags(const Job& j) const;
  bool bitOn(const Job& j, uint32_t bit) const { return (effectiveFlags(j) & bit) != 0; }
  bool cmdUsable(const Job& j) const;
  Job* find(JobId id);
  bool applicable(const Job* j) const;

  // timers.cc: the virtual clock.
  void tick(uint64_t ms, Observations& out);
  std::optional<uint64_t> nextTimer() const;
  void fireTimers(uint64_t t);

  // notifier.cc: the dispatcher.
  bool hasPath(const Job& j) const;
  bool fileDue(const Job& j) const;
  bool modDue(const Job& j) const;
  bool jobEventDue(const Job& j) const;
  bool cmdLineNeedsNoCall(const Job& j) const;
  void dispatch(Job& j, Observations& out, bool eventOnly);
  Delivery deliver(Dispatch& d, Job& j, Method m, uint8_t file, Observations& out);
  Delivery callOn(Dispatch& d, Job& j, Method m, uint8_t file, Observations& out);
  Delivery disconnected(Dispatch& d, Job& j, Method m, uint8_t file, Observations& out);
  void activate(Dispatch& d, Job& j, Observations& out);
  void runCommandLine(Job& j, Observations& out);
  void retryLater(Job& j, bool afterActivation = false);
  void reapHungCalls();  // calls whose object's process ended fail with RPC_S_CALL_FAILED

  Machine& m_;
  Seams& seams_;  // the Machine's: the answer at each rule point (seams.h)
  std::map<JobId, Job> jobs_;  // ascending job number: the dispatch order
  std::vector<HungCall> hung_;
  std::vector<JobId> dirty_;
  uint64_t settles_ = 0;  // numbers the settles: a job is dispatched at most once in each
};

}  // namespace bc::mock
