// coverage.h: transition coverage of the reference model (what a run exercised, what it never did).
//
// A step is classified as a triple (abstract state before it, command class, outcome class), in
// the manner of Coyote's (machine, state, event) and TLC's per-action coverage. The abstract state
// keeps only what the rules branch on, so it is small and finite (see abstractState). The reachable
// triples come from the explorer (explorer.h); a CoverageTracker counts which of them a run
// exercised and lists the gaps by the rule IDs the model's observations carry for them.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "model/model.h"
#include "vocab/command.h"
#include "vocab/observation.h"
#include "vocab/rules.h"

namespace bc {

// Per job J1..J<kAbstractJobs> (26 bits each): state class, files (none / none done / some done /
// all done), slot kind with its receiver's behaviour (empty, dead app object, dead server object,
// live o1 / o2-o3 / server object x behaviour), clsid (GUID_NULL / unregistered / registered x the
// class's behaviour), command line (none / exits 0 / exits 1 / not runnable), flags class, and the
// bits armed, cmdOwned, retry pending, FileTransferred owed, JobModification owed, hung call.
// Global (11 bits): network, hung calls (0 / 1-3 / 4), ClsidA's registration, A1 running, A1.o2's
// behaviour. Jobs above J2, apps other than A1, ClsidB/C registration are not part of it.
// Besides that `core`, the path bits: what the way to the state left behind that only a later
// step shows, per job whether a persisted field was written since the last service restart or
// reboot, there having been one (Model::writtenSinceRestart): a store written only for the jobs
// that changed can lose it at the next restart, so the explorer must reach "restart, write,
// restart" and the covering set must take it.
struct AbstractState {
  uint64_t core = 0;
  uint8_t path = 0;  // bit j: J<j+1> was written since the last restart; kRestarted: there was one
  friend bool operator==(const AbstractState&, const AbstractState&) = default;
};
// The path bit "a restart happened": without it the state after a restart that changed nothing
// abstract would merge with the one before, whose representative never restarted, and the
// explorer could not reach a write between two restarts.
inline constexpr uint8_t kRestarted = 0x80;
struct AbstractStateHash {
  size_t operator()(const AbstractState& s) const noexcept;
};
inline constexpr int kAbstractJobs = 2;
AbstractState abstractState(const Model& m);
// "J1{TRANSFERRED files=done slot=o2:ok clsid=- cmd=- flags=default armed} J2{-} net=up hung=0 ClsidA=- A1.o2=ok";
// a job written since the last restart ends with " written-since-restart"; " restarted" follows
// the globals once a restart happened.
std::string describeAbstractState(const AbstractState& s);

// The flags class of a written flag word: zero, default, disabled, mod, file, mod+file, partial.
std::string_view flagsClassName(uint32_t flags);

// The command class: the command with its arguments abstracted (jobs above J2 and apps above A2
// merge, flags by class, ticks by the timer they can reach), e.g. "A1 SetNotifyFlags J1 mod",
// "Tick 600s". Interned: ids are stable within a process.
uint32_t commandClassId(const Command& c);
const std::string& commandClassName(uint32_t id);

// The outcome class: the Return HRESULT plus which kinds of observation followed, e.g. "S_OK",
// "BG_E_INVALID_STATE", "S_OK+activate+callback:ok", "S_OK+callback:fail+cmdline:exit0", and the
// fan-out: how many of J1, J2 the step touched (its abstract job state changed, or an observation
// names it): "+2 jobs" for a NetDown, an app's exit or a restart that moves both, so the covering
// set must take each event where it touches several jobs.
using OutcomeCode = uint64_t;
OutcomeCode outcomeCode(const Observations& obs, const AbstractState& before, const AbstractState& after);
std::string outcomeName(OutcomeCode code);

struct TransitionKey {
  AbstractState state;
  uint32_t command = 0;  // commandClassId
  OutcomeCode outcome = 0;
  friend bool operator==(const TransitionKey&, const TransitionKey&) = default;
};
struct TransitionKeyHash {
  size_t operator()(const TransitionKey& k) const;
};
std::string describe(const TransitionKey& k);  // "<state> | <command> -> <outcome>"
// The path classes a transition belongs to, what transition coverage alone would not require:
// "written-since-restart" (from a state where a job was written since the last restart),
// "restart-after-write" (a ServiceRestart or Reboot from such a state: the restart that must
// persist the write), "event-on-2-jobs" (the step touched both J1 and J2: the fan-out bit).
std::vector<std::string_view> pathClasses(const TransitionKey& k);
// A stable text key, the same in every process: "<state hex>|<command class>|<outcome hex>".
std::string keyText(const TransitionKey& k);

// The reachable transitions, each with the rules of the model's observations for it.
using TransitionTable = std::unordered_map<TransitionKey, RuleSet, TransitionKeyHash>;

struct RuleGap {
  Rule rule;
  size_t uncovered = 0;               // reachable triples carrying the rule that were not exercised
  size_t total = 0;                   // reachable triples carrying the rule
  std::vector<std::string> examples;  // a few uncovered triples, described
};

// Reachable transitions of one path class (pathClasses) and how many were not exercised.
struct PathGap {
  std::string_view path;
  size_t uncovered = 0;
  size_t total = 0;
  std::vector<std::string> examples;  // a few uncovered transitions, described
};

struct CoverageSummary {
  size_t reachable = 0;  // triples in the reachable set
  size_t covered = 0;    // of them, exercised
  size_t beyond = 0;     // exercised triples outside the reachable set (deeper than the bound, other jobs)
  size_t steps = 0;      // steps observed
  double percent = 0;    // covered / reachable, 100 when nothing is reachable
  std::vector<RuleGap> gaps;                       // rules with uncovered triples, most uncovered first
  std::vector<PathGap> paths;                      // every path class with reachable triples
  std::vector<std::string> neverExercisedCommands; // command classes of the reachable set never exercised
};

// Counts exercised triples. Without a reachable set every exercised triple is "beyond".
class CoverageTracker {
 public:
  explicit CoverageTracker(std::shared_ptr<const TransitionTable> reachable = nullptr);

  // One step: the abstract states before and after `command`, the model's observations of it.
  void observe(const AbstractState& before, const Command& command, const Observations& observations,
               const AbstractState& after);
  // Replays `commands` on a fresh model from `config`, observing every step.
  void observeSequence(const std::vector<Command>& commands, const ModelConfig& config = {});
  void merge(const CoverageTracker& other);

  size_t covered() const { return covered_.size(); }
  size_t reachable() const { return reachable_ ? reachable_->size() : 0; }
  bool complete() const { return covered() == reachable(); }
  bool isCovered(const TransitionKey& k) const { return covered_.count(k) != 0; }
  CoverageSummary summary(size_t examplesPerRule = 3) const;
  // The exercised reachable triples with their rules (from the reachable set).
  std::vector<std::pair<TransitionKey, RuleSet>> coveredTransitions() const;
  // The reachable triples not exercised that carry `rule`, sorted by describe().
  std::vector<TransitionKey> uncovered(Rule rule) const;

 private:
  void record(const TransitionKey& k);

  std::shared_ptr<const TransitionTable> reachable_;
  std::unordered_map<TransitionKey, uint64_t, TransitionKeyHash> covered_;  // reachable triples -> hits
  std::unordered_map<TransitionKey, uint64_t, TransitionKeyHash> beyond_;
  size_t steps_ = 0;
};

// A one-paragraph text form of a summary (CLI output): percentage, then the gaps by rule.
std::string formatCoverage(const CoverageSummary& s, size_t maxRules = 12);

}  // namespace bc
