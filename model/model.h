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

class Model {
 public:
  explicit Model(ModelConfig config = {});

  // Runs one command to quiescence and appends its observations to `out` (a Return first).
  void step(const Command& command, Observations& out);

  const ModelConfig& config() const { return config_; }

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
    // Not persisted.
    Receiver slot;
    uint64_t retryAt = kNever;
    bool retryAfterActivation = false;  // retryAt was set by a failed activation (OQ-13, MP-4)
    uint64_t requeueAt = kNever;
    uint64_t lastModAt = kNever;
    bool modOwed = false;
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
    Receiver receiver;
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
  Observation& emit(Observation o);
  void consult(Rule r) { stepRules_.add(r); }
  // A decision not to deliver something: consulted, and blamed if the SUT delivers it anyway.
  void withhold(Rule r) {
    stepRules_.add(r);
    stepWithheld_.add(r);
  }
  Job* findJob(JobId id);
  const Job* findJob(JobId id) const;

  // model_env.cc: section 4 (environment), section 6 (Tick), section 8 (restart, reboot).
  void environment(const Command& c);
  void progress(Job& j, bool all);
  void netDown();
  void enterTransientError(Job& j);
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

  // model_settle.cc: section 5.
  void settle();
  bool anyDue(Job& j);
  bool cmdLineWithoutCall(const Job& j) const;
  void dispatch(JobId id);
  void deliverFiles(Dispatch& d, Job& j, bool& ended);
  void deliverModification(Dispatch& d, Job& j, bool& ended);
  void deliverJobEvent(Dispatch& d, Job& j);
  void runCmdLine(Job& j, JobId id);
  void scheduleRetry(Job& j, bool afterActivation = false);
  Receiver findReceiver(Dispatch& d);
  void activate(Dispatch& d);
  void disconnect(Dispatch& d);
  CallResult call(Dispatch& d, Method m, uint8_t file);
  void markDecidingRules(Observation& obs, const Job& j, Method m) const;
  Behavior& behaviorOf(const Receiver& r);
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
  // The step in progress: where observations go and every rule consulted (the Return's rules).
  Observations* out_ = nullptr;
  RuleSet stepRules_;
  RuleSet stepWithheld_;
};

}  // namespace bc
