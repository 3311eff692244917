// model.h: the executable reference model of the BITS notification rules.
//
// The model executes docs/semantics.md: for any command sequence it says which HRESULT each
// call returns, which callbacks each receiver gets, which servers are activated and which
// command lines run, each observation tagged with the catalog rules that produced it.
// Pure and deterministic: no I/O, no clock, no randomness. Copyable (RapidCheck keeps copies).
// Depends on vocab/ only.
#pragma once

#include <array>
#include <bitset>
#include <cstdint>
#include <string>
#include <vector>

#include "model/policy.h"
#include "vocab/bits_types.h"
#include "vocab/command.h"
#include "vocab/observation.h"
#include "vocab/snapshot.h"

namespace bc {

struct ModelConfig {
  BitsVersion version = kNewestBits;
  Policies policies;
  friend bool operator==(const ModelConfig&, const ModelConfig&) = default;
};

// Timer values of the world (docs/semantics.md section 1), in virtual milliseconds.
inline constexpr uint64_t kMinimumRetryDelayMs = 600'000;        // LIFE-4
inline constexpr uint64_t kNoProgressTimeoutMs = 1'209'600'000;  // LIFE-3
inline constexpr uint64_t kNever = UINT64_MAX;                   // an unset timer
inline constexpr int kMaxHungCalls = 4;                          // CB-12, OQ-27
inline constexpr int kMaxFiles = 255;                            // files are f1..f255
// The timer work a world may take (docs/semantics.md section 11): the sum, over every timer
// instant of its Ticks, of the jobs looked at. Bounds the time of a scenario whatever its timers.
inline constexpr uint64_t kMaxTimerWork = 50'000'000;

class Model {
 public:
  explicit Model(ModelConfig config = {});

  // Runs one command to quiescence and appends its observations to `out` (a Return first).
  void step(const Command& command, Observations& out);
  // Which limit of the test world the last step went beyond (more than kMaxStepObservations
  // observations; the world's timers past kMaxTimerWork), or "": a Tick stops at the instant it
  // does, so the step's observations and the state after it are cut short and cannot be judged.
  const std::string& stepLimit() const { return stepLimit_; }

  // The deliveries the last step decided NOT to make, with the rules that decided (see
  // vocab/observation.h, Withheld): the negative checks of the step.
  const std::vector<Withheld>& withheld() const { return withheld_; }
  // The rules that forbid `o` (a callback, activation or command line the SUT made) after the
  // last step: a matching Withheld record's rules, else what the state says (no event, the
  // event already delivered, the flags, a receiver that is not the job's, ...). Empty only for
  // a job the world does not know.
  // `before`: only decisions taken before the step's observation number `before` count (the
  // SUT made `o` in place of that one).
  Suspicion whyNot(const Observation& o, size_t before = SIZE_MAX) const;

  // Provenance: for each field of a job that later steps read, the rules of its last write
  // (docs/semantics.md section 10). A read that differs blames its own rule and these.
  using Written = FieldWrite;
  struct Provenance {
    Written slot, clsid, flags, cmdLine, state;
    RuleSet armed;  // why the job-level event is owed (EVT-1, EVT-3, EVT-5)
    // The service's bookkeeping, read by the observation mode (oracle/observe.h): the rule of the
    // last decision on each field, a write or a decision to keep its value (a failed callback
    // keeps the event owed: CB-1; an event nobody can receive stays owed: REG-8, DISP-7).
    Written event;         // armed, cmdOwned: whether the job-level event is owed, and to whom
    Written files;         // which FileTransferred are owed (and were ever owed)
    Written modification;  // the owed JobModification and its pacing
    Written retry;         // the retry timer
    Written requeue;       // the requeue timer and the start of the no-progress period
    Written call;          // the in-flight (hung) call
  };
  const Provenance& provenance(JobId job) const { return jobs_[job].prov; }
  // Whether `actual`, the SUT's Return of the last step (a getter), shows the value the field
  // held before its last write: the SUT lost that write, which its provenance names.
  bool showsPriorValue(const Observation& actual) const;

  const ModelConfig& config() const { return config_; }
  const Command& lastCommand() const { return stepCommand_; }  // the step just run

  // Read-only views for generators, scenario checks and coverage.
  uint64_t now() const { return now_; }
  bool networkUp() const { return netUp_; }
  bool jobExists(JobId job) const;       // created (final jobs included)
  JobState jobState(JobId job) const;    // precondition: jobExists (same for every job view)
  size_t fileCount(JobId job) const;
  size_t filesDone(JobId job) const;     // done files are always f1..f<filesDone>
  size_t filesOwed(JobId job) const;     // FileTransferred callbacks still owed
  uint32_t flags(JobId job) const;       // as written (GetNotifyFlags)
  ClassId clsid(JobId job) const;
  Program cmdProgram(JobId job) const;
  Params cmdParams(JobId job) const;
  Receiver slot(JobId job) const;        // the object slot; none = empty
  bool armed(JobId job) const;           // JobTransferred/JobError owed (OQ-20)
  bool cmdOwned(JobId job) const;        // the owed event belongs to the command line (OQ-9)
  bool modOwed(JobId job) const;
  bool retryPending(JobId job) const;    // retryAt set
  bool hasHungCall(JobId job) const;
  // A persisted field of the job (state, flags, CLSID, command line) was written after the last
  // ServiceRestart or Reboot, there having been one: what a store that writes only the jobs that
  // changed could lose at the next restart (the path bits of coverage.h).
  bool writtenSinceRestart(JobId job) const;
  bool restarted() const { return lastRestartStep_ > 0; }  // a ServiceRestart or Reboot happened
  AppId ownerOf(JobId job) const;
  JobId maxJobId() const { return maxJobId_; }  // highest job name ever created (0 if none)
  bool appRunning(AppId app) const;
  uint16_t appIncarnation(AppId app) const;     // the current (or last, if exited) incarnation
  Behavior objectBehavior(AppId app, uint8_t slot) const;  // of the current incarnation's o<slot>
  bool isLive(const Receiver& r) const;
  bool serverRegistered(ClassId c) const;
  Behavior serverBehavior(ClassId c) const;
  uint32_t serverObjectsCreated(ClassId c) const;
  int hungCallCount() const { return hungCount_; }

  // A readable multi-line dump of the whole state, for failure messages.
  std::string dump() const;
  // Every job's fields, the clock and the network (vocab/snapshot.h): what a SUT's snapshot is
  // compared with after each step (oracle/observe.h).
  void snapshot(WorldSnapshot& out) const;

 private:
  // Why the job-level event is armed: it names the rules its delivery carries.
  enum class ArmCause : uint8_t { Entry, Interface, Flags };

  struct Job {
    bool exists = false;
    // Persisted (docs/semantics.md section 2).
    AppId owner = 0;
    JobState state = JobState::Suspended;
    uint8_t files = 0;
    uint8_t filesDone = 0;  // a prefix: files finish in order
    std::bitset<kMaxFiles + 1> fileOwed;  // bit i-1: FileTransferred of f<i> owed
    std::bitset<kMaxFiles + 1> fileAnnounced;  // bit i-1: f<i>'s FileTransferred was ever owed (MP-3)
    uint32_t flags = notify::kDefault;
    bool flagsWritten = false;
    ClassId clsid = ClassId::Null;
    Program program = Program::Null;
    Params params = Params::Null;
    bool armed = false;
    bool cmdOwned = false;
    ArmCause armCause = ArmCause::Entry;
    // Start of the no-progress period (LIFE-3): the first transient error since the last byte
    // of progress; kNever while no transient error happened since then.
    uint64_t noProgressSince = kNever;
    Provenance prov;          // explanation only, never a decision
    // The value each field held before its last write (showsPriorValue), once written twice.
    uint8_t priorKnown = 0;   // field:: bits
    Receiver priorSlot;
    ClassId priorClsid = ClassId::Null;
    uint32_t priorFlags = 0;
    Program priorProgram = Program::Null;
    Params priorParams = Params::Null;
    uint32_t armedStep = 0;   // the step that last armed the job-level event
    RuleSet heldBy;           // what held the owed job-level event back when it was last due
    // Not persisted.
    Receiver slot;
    Receiver replaced;        // the object the slot held before its last write (hears nothing more)
    uint64_t retryAt = kNever;
    bool retryAfterActivation = false;  // retryAt was set by a failed activation (OQ-13, MP-4)
    uint64_t requeueAt = kNever;
    uint64_t lastModAt = kNever;
    bool modOwed = false;
    bool modFailed = false;   // the last JobModification returned a failure (CB-4: not retried)
    bool callbackFailedForCmd = false;  // the command line runs because the callback failed (DISP-8)
    bool hung = false;
    bool dispatched = false;  // in the current settle (the no-loop guard of section 5)
    // Explanation only (which rule a delivery demonstrates), never a decision:
    bool deliveredInState = false;  // the job-level event reached a receiver since the job entered its state
    bool retryFired = false;        // this dispatch runs because a retry timer fired
  };

  struct App {
    uint16_t incarnation = 1;
    bool running = true;
    std::array<Behavior, kObjectSlots + 1> behavior{};  // by slot, index 0 unused
  };

  // A server class. Every death kills all its live objects at once, so the live ones are
  // always the newest: instances firstLive..created, behaviours in `live`.
  struct Server {
    bool registered = false;
    Behavior behavior = Behavior::Ok;
    uint32_t created = 0;
    uint32_t firstLive = 1;
    std::vector<Behavior> live;
  };

  struct HungCall {
    JobId job = 0;
    Receiver receiver;
  };

  // One dispatch's receiver search (section 5.2): done once, reused for every item.
  struct Dispatch {
    JobId job = 0;
    bool looked = false;
    bool activationMade = false;
    bool afterDisconnect = false;  // the activation followed a disconnect (DISP-3, REG-7)
    Receiver receiver;
    RuleSet itemReason;            // why the item that first needed the receiver is owed
  };
  // SuccessCode: the method returned a success code other than S_OK (S_FALSE); whether that
  // delivers is the method's own rule (OQ-7a, OQ-7b).
  enum class CallResult : uint8_t { Success, SuccessCode, Failure, Hung, NoReceiver };

  // model.cc: section 3, API calls; the app process; observation helpers.
  void apiCall(const Command& c);
  void createJob(const Command& c);
  void setNotifyInterface(const Command& c, Job& j);
  void getNotifyInterface(const Command& c, Job& j);
  void setNotifyFlags(const Command& c, Job& j);
  void oweLateFiles(Job& j);
  void setNotifyCmdLine(const Command& c, Job& j);
  void setNotifyClsid(const Command& c, Job& j);
  void resume(Job& j);
  void suspend(Job& j);
  void startApp(AppId app);
  // Every change of the object slot: what it held hears nothing more (`replaced`), what it held
  // is the prior value, and `by` the provenance of the new one.
  void writeSlot(Job& j, const Receiver& r, const RuleSet& by);
  Observation& emit(Observation o);
  void consult(Rule r) { stepRules_.add(r); }
  // Decisions not to deliver something (a Withheld record): blamed if the SUT delivers it anyway.
  // `prov` and `reads`: the provenance of the job fields the decision read (Withheld).
  void withholdCall(const Job& j, Method m, const RuleSet& rules, const Written* w = nullptr, uint8_t f = 0);
  void withholdAnyCall(const Job& j, const RuleSet& rules, const Receiver& to = Receiver::none(),
                       const Written* w = nullptr, uint8_t f = 0);
  void withholdActivation(const Job& j, const RuleSet& rules, const Written* w = nullptr, uint8_t f = 0);
  void withholdCmdLine(const Job& j, const RuleSet& rules, const Written* w = nullptr, uint8_t f = 0);
  // A field's write and its read (provenance).
  void wrote(Written& w, const RuleSet& by) {
    w.by = by;
    w.step = stepNo_;
  }
  Suspicion suspect(const RuleSet& rules, const Written& w, uint8_t f) const {
    return Suspicion{rules, w.by, f, static_cast<uint8_t>(w.step == stepNo_ ? f : 0), 0};
  }
  // A delivery the flags keep back: the rules that say so, the flags' provenance.
  void withholdByFlags(const Job& j, Method m, uint32_t bit);
  void withhold(Withheld w);
  Job* findJob(JobId id);
  const Job* findJob(JobId id) const;
  JobId idOf(const Job& j) const { return static_cast<JobId>(&j - jobs_.data()); }

  // model_env.cc: section 4 (environment), section 6 (Tick), section 8 (restart, reboot).
  void environment(const Command& c);
  void progress(Job& j, bool all);
  void netDown();
  void enterTransientError(Job& j, Rule by);  // by: STATE-8 (an error) or STATE-9 (the network)
  static uint64_t noProgressDeadline(const Job& j);
  void netUp();
  void tick(uint64_t ms);
  uint64_t nextTimer() const;
  void fireTimers(uint64_t t);
  void serviceRestart();
  void reboot();
  void appExit(AppId app);
  void serverDies(ClassId c);

  // model_job.cc: the job transitions shared by sections 3 and 4.
  void change(Job& j);
  void propertySet(Job& j, bool valueChanged);
  void enterTransferredOrError(Job& j, JobState s);
  void enterFinal(Job& j, JobState s);
  void rearm(Job& j, ArmCause cause);
  bool eventState(const Job& j) const;
  uint32_t effectiveFlags(const Job& j) const;
  bool callbackBit(const Job& j, uint32_t bit) const;
  bool cmdBit(const Job& j, uint32_t bit) const;
  bool cmdUsable(const Job& j) const;
  static uint32_t eventBit(const Job& j);
  bool hasPath(const Job& j) const;
  RuleSet flagsRule(const Job& j, uint32_t bit) const;

  // model_settle.cc: section 5.
  void settle();
  bool anyDue(Job& j);
  bool cmdLineWithoutCall(const Job& j) const;
  void dispatch(JobId id);
  void deliverFiles(Dispatch& d, Job& j, bool& ended);
  void deliverModification(Dispatch& d, Job& j, bool& ended);
  void deliverJobEvent(Dispatch& d, Job& j);
  void runCmdLine(Job& j, JobId id, const RuleSet& why);
  void scheduleRetry(Job& j, bool afterActivation = false);
  Receiver findReceiver(Dispatch& d);
  void activate(Dispatch& d);
  void disconnect(Dispatch& d);
  CallResult call(Dispatch& d, Method m, uint8_t file);
  RuleSet eventReason(const Job& j, Method m) const;
  RuleSet routeOf(const Dispatch& d, const Receiver& r) const;
  Suspicion whyNotCall(const Job& j, const Observation& o) const;
  Suspicion whyNotCmdLine(const Job& j) const;
  Suspicion whyNotActivation(const Job& j, const Observation& o) const;
  Behavior& behaviorOf(const Receiver& r);
  void keepSlotAfterFailure(Job& j, const Receiver& r);
  void killProcessOf(const Receiver& r);
  void endHungCallsOf(AppId app, uint16_t incarnation);
  void endHungCallsOfClass(ClassId c);
  void endHungCall(int index);
  void abandonHungCall(JobId job);
  void abandonAllHungCalls();

  ModelConfig config_;
  uint64_t now_ = 0;
  bool netUp_ = true;
  JobId maxJobId_ = 0;
  std::array<App, kMaxApps + 1> apps_{};          // by AppId, index 0 unused
  std::array<Server, kClassCount> servers_{};     // by ClassId, index 0 unused
  std::vector<Job> jobs_;                         // by JobId, index 0 unused
  std::array<HungCall, kMaxHungCalls> hung_{};
  int hungCount_ = 0;
  uint32_t lastRestartStep_ = 0;  // the step of the last ServiceRestart or Reboot (0: none yet)
  // The step in progress: where observations go and every rule consulted (the Return's rules).
  Observations* out_ = nullptr;
  uint32_t stepNo_ = 0;  // 1 for the first step
  size_t stepFirst_ = 0; // where the step's observations start in *out_
  Command stepCommand_;
  CmdKind stepKind_ = CmdKind::Tick;
  std::string stepLimit_;  // see stepLimit()
  uint64_t timerWork_ = 0;  // see kMaxTimerWork
  bool beyondLimits();
  RuleSet stepRules_;
  std::vector<Withheld> withheld_;
};

}  // namespace bc
