#include "strength/coverage.h"

#include <algorithm>
#include <cstdio>
#include <map>
#include <mutex>
#include <sstream>

#include "vocab/command_text.h"

namespace bc {

namespace {

// Bit layout of an AbstractState: job j (0-based) at j * kJobBits, the global part above.
constexpr int kJobBits = 26;
constexpr int kGlobalShift = kAbstractJobs * kJobBits;

// Field widths and offsets inside one job's 26 bits.
enum JobField : int { kState = 0, kFiles = 4, kSlot = 6, kClsid = 11, kCmd = 15, kFlags = 17, kBits = 20 };
enum JobBit : int { kArmed = 0, kCmdOwned, kRetry, kFileOwed, kModOwed, kHung };
// Global part: network (1), hung class (2), ClsidA (4), A1 running (1), A1.o2 behaviour (3).
enum GlobalField : int { kNet = 0, kHungClass = 1, kClsidA = 3, kA1Running = 7, kA1o2 = 8 };

uint64_t bits(uint64_t s, int offset, int width) { return (s >> offset) & ((uint64_t{1} << width) - 1); }

// State class: 0 = no job, 1..7 = the non-final states, 8 = final (ACKNOWLEDGED and CANCELLED act alike).
uint64_t stateCode(JobState s) {
  switch (s) {
    case JobState::Queued: return 1;
    case JobState::Connecting: return 2;
    case JobState::Transferring: return 3;
    case JobState::Suspended: return 4;
    case JobState::Error: return 5;
    case JobState::TransientError: return 6;
    case JobState::Transferred: return 7;
    case JobState::Acknowledged:
    case JobState::Cancelled: return 8;
  }
  return 0;
}
constexpr std::string_view kStateNames[] = {"-",     "QUEUED",          "CONNECTING",  "TRANSFERRING", "SUSPENDED",
                                            "ERROR", "TRANSIENT_ERROR", "TRANSFERRED", "FINAL"};

uint64_t flagsCode(uint32_t f) {
  f &= 0x1F;
  if (f & notify::kDisable) return 2;
  bool mod = f & notify::kJobModification, file = f & notify::kFileTransferred;
  if (mod && file) return 5;
  if (mod) return 3;
  if (file) return 4;
  if (f == 0) return 0;
  return (f & notify::kDefault) == notify::kDefault ? 1 : 6;
}
constexpr std::string_view kFlagsNames[] = {"zero", "default", "disabled", "mod", "file", "mod+file", "partial"};

// Slot: 0 empty, 1 dead app object, 2 dead server object, 3+b live o1, 10+b live o2/o3, 17+b live server object.
uint64_t slotCode(const Model& m, JobId job) {
  Receiver r = m.slot(job);
  if (r.isNone()) return 0;
  bool live = m.isLive(r);
  if (r.kind == Receiver::Kind::ServerObject) {
    // The class's behaviour stands for its object's (a failonce object that already failed reads as failonce).
    return live ? 17 + static_cast<uint64_t>(m.serverBehavior(r.clsid)) : 2;
  }
  if (!live) return 1;
  uint64_t b = static_cast<uint64_t>(m.objectBehavior(r.app, r.slot));
  return (r.slot == 1 ? 3 : 10) + b;
}

uint64_t clsidCode(const Model& m, ClassId c) {
  if (c == ClassId::Null) return 0;
  if (!m.serverRegistered(c)) return 1;
  return 2 + static_cast<uint64_t>(m.serverBehavior(c));
}

uint64_t jobCode(const Model& m, JobId job) {
  if (!m.jobExists(job)) return 0;
  uint64_t s = stateCode(m.jobState(job));
  size_t files = m.fileCount(job), done = m.filesDone(job);
  uint64_t f = files == 0 ? 0 : done == 0 ? 1 : done < files ? 2 : 3;
  Program p = m.cmdProgram(job);
  uint64_t cmd = p == Program::Null ? 0 : p == Program::Ok ? 1 : p == Program::Fail ? 2 : 3;
  uint64_t b = (uint64_t{m.armed(job)} << kArmed) | (uint64_t{m.cmdOwned(job)} << kCmdOwned) |
               (uint64_t{m.retryPending(job)} << kRetry) | (uint64_t{m.filesOwed(job) > 0} << kFileOwed) |
               (uint64_t{m.modOwed(job)} << kModOwed) | (uint64_t{m.hasHungCall(job)} << kHung);
  return (s << kState) | (f << kFiles) | (slotCode(m, job) << kSlot) | (clsidCode(m, m.clsid(job)) << kClsid) |
         (cmd << kCmd) | (flagsCode(m.flags(job)) << kFlags) | (b << kBits);
}

std::string behaviorName(uint64_t b) { return std::string(toString(static_cast<Behavior>(b))); }

std::string describeJob(uint64_t j) {
  if (bits(j, kState, 4) == 0) return "{-}";
  std::string out = "{" + std::string(kStateNames[bits(j, kState, 4)]);
  static constexpr std::string_view kFileNames[] = {"none", "todo", "partial", "done"};
  out += " files=" + std::string(kFileNames[bits(j, kFiles, 2)]);
  uint64_t slot = bits(j, kSlot, 5);
  out += " slot=";
  if (slot == 0) out += "-";
  else if (slot == 1) out += "dead-app";
  else if (slot == 2) out += "dead-server";
  else if (slot < 10) out += "o1:" + behaviorName(slot - 3);
  else if (slot < 17) out += "o2:" + behaviorName(slot - 10);
  else out += "server:" + behaviorName(slot - 17);
  uint64_t c = bits(j, kClsid, 4);
  out += " clsid=" + (c == 0 ? std::string("-") : c == 1 ? std::string("unregistered") : "registered:" + behaviorName(c - 2));
  static constexpr std::string_view kCmds[] = {"-", "exit0", "exit1", "bad"};
  out += " cmd=" + std::string(kCmds[bits(j, kCmd, 2)]);
  out += " flags=" + std::string(kFlagsNames[bits(j, kFlags, 3)]);
  static constexpr std::string_view kBitNames[] = {"armed", "cmdOwned", "retry", "fileOwed", "modOwed", "hung"};
  for (int b = 0; b < 6; ++b)
    if (bits(j, kBits + b, 1)) out += " " + std::string(kBitNames[b]);
  return out + "}";
}

// The interned command classes.
struct Interner {
  std::mutex mu;
  std::unordered_map<std::string, uint32_t> ids;
  std::vector<std::string> names;
};
Interner& interner() {
  static Interner* in = new Interner;  // never destroyed: ids stay valid during static destruction
  return *in;
}

std::string appName(AppId a) { return a <= 2 ? "A" + std::to_string(a) : "A*"; }
std::string jobName(JobId j) { return j <= kAbstractJobs ? "J" + std::to_string(j) : "J*"; }

std::string commandClassText(const Command& c) {
  std::string kind(toString(c.kind));
  switch (c.kind) {
    case CmdKind::SetNotifyInterface: {
      static constexpr std::string_view kSlots[] = {"NULL", "o1", "o2", "o2", "o4"};
      return appName(c.app) + " " + kind + " " + jobName(c.job) + " " +
             std::string(c.slot <= 4 ? kSlots[c.slot] : "o?");
    }
    case CmdKind::GetNotifyInterface:
    case CmdKind::GetNotifyFlags:
      return kind + " " + jobName(c.job) + (c.nullOut ? " nullout" : "");
    case CmdKind::SetNotifyFlags: {
      std::string f = (c.flags & ~0x3Fu) ? "invalid" : std::string(kFlagsNames[flagsCode(c.flags)]);
      if (!(c.flags & ~0x3Fu) && (c.flags & notify::kFileRangesTransferred)) f += "+ranges";
      return kind + " " + jobName(c.job) + " " + f;
    }
    case CmdKind::SetNotifyCmdLine:
      return kind + " " + jobName(c.job) + " " + std::string(toString(c.program)) + " " + std::string(toString(c.params));
    case CmdKind::SetNotifyClsid:
      return kind + " " + jobName(c.job) + " " + std::string(toString(c.clsid));
    case CmdKind::Behave:
      return appName(c.app) + " Behave o" + std::to_string(c.slot == 3 ? 2 : c.slot) + " " +
             std::string(toString(c.behavior));
    case CmdKind::AppExit: return appName(c.app) + " Exit";
    case CmdKind::RegisterServer:
      return kind + " " + std::string(toString(c.clsid)) + " " + std::string(toString(c.behavior));
    case CmdKind::UnregisterServer:
    case CmdKind::ServerExit: return kind + " " + std::string(toString(c.clsid));
    case CmdKind::Tick:
      // By the timer a tick of that length can reach: none, JobModification pacing (EVT-11),
      // MinimumRetryDelay (LIFE-4), NoProgressTimeout (LIFE-3).
      return c.ms < 500 ? "Tick <500ms"
             : c.ms < kMinimumRetryDelayMs ? "Tick 500ms+"
             : c.ms < kNoProgressTimeoutMs ? "Tick 600s+"
                                           : "Tick 14d+";
    case CmdKind::NetDown:
    case CmdKind::NetUp:
    case CmdKind::ServiceRestart:
    case CmdKind::Reboot: return kind;
    default:
      if (isApiCall(c.kind) || c.job != 0) return kind + " " + jobName(c.job);
      return kind;
  }
}

enum OutcomeBit : uint64_t {
  kActOk = 0x01, kActFail = 0x02, kCbOk = 0x04, kCbFail = 0x08, kCbHang = 0x10, kCbCrash = 0x20,
  kCmdExit0 = 0x40, kCmdExitN = 0x80,
  kFanOut = uint64_t{1} << 40,  // above the HRESULT (bits 8..39): the step touched both J1 and J2
};

}  // namespace

AbstractState abstractState(const Model& m) {
  AbstractState out;
  uint64_t s = 0;
  for (int j = 0; j < kAbstractJobs; ++j) {
    const JobId job = static_cast<JobId>(j + 1);
    s |= jobCode(m, job) << (j * kJobBits);
    if (m.jobExists(job) && m.writtenSinceRestart(job)) out.path |= static_cast<uint8_t>(1u << j);
  }
  if (m.restarted()) out.path |= kRestarted;
  int hung = m.hungCallCount();
  uint64_t g = (uint64_t{m.networkUp()} << kNet) |
               (uint64_t(hung == 0 ? 0 : hung < kMaxHungCalls ? 1 : 2) << kHungClass) |
               ((m.serverRegistered(ClassId::A) ? 1 + static_cast<uint64_t>(m.serverBehavior(ClassId::A)) : 0) << kClsidA) |
               (uint64_t{m.appRunning(1)} << kA1Running) |
               (static_cast<uint64_t>(m.objectBehavior(1, 2)) << kA1o2);
  out.core = s | (g << kGlobalShift);
  return out;
}

size_t AbstractStateHash::operator()(const AbstractState& s) const noexcept {
  uint64_t h = (s.core ^ (uint64_t{s.path} << 63 | uint64_t{s.path} >> 1)) * 0x9E3779B97F4A7C15ull;
  return static_cast<size_t>(h ^ (h >> 29) ^ s.path);
}

std::string describeAbstractState(const AbstractState& state) {
  std::string out;
  const uint64_t s = state.core;
  for (int j = 0; j < kAbstractJobs; ++j) {
    std::string job = describeJob(bits(s, j * kJobBits, kJobBits));
    if (state.path & (1u << j)) job.insert(job.size() - 1, " written-since-restart");
    out += "J" + std::to_string(j + 1) + job + " ";
  }
  uint64_t g = s >> kGlobalShift;
  static constexpr std::string_view kHung[] = {"0", "1-3", "4", "?"};
  uint64_t a = bits(g, kClsidA, 4);
  out += "net=" + std::string(bits(g, kNet, 1) ? "up" : "down") + " hung=" + std::string(kHung[bits(g, kHungClass, 2)]) +
         " ClsidA=" + (a == 0 ? std::string("-") : behaviorName(a - 1)) +
         " A1=" + (bits(g, kA1Running, 1) ? "running" : "exited") + " A1.o2=" + behaviorName(bits(g, kA1o2, 3));
  if (state.path & kRestarted) out += " restarted";
  return out;
}

std::string_view flagsClassName(uint32_t flags) { return kFlagsNames[flagsCode(flags)]; }

uint32_t commandClassId(const Command& c) {
  std::string text = commandClassText(c);
  Interner& in = interner();
  std::lock_guard lock(in.mu);
  auto [it, inserted] = in.ids.try_emplace(text, static_cast<uint32_t>(in.names.size()));
  if (inserted) in.names.push_back(text);
  return it->second;
}

const std::string& commandClassName(uint32_t id) {
  Interner& in = interner();
  std::lock_guard lock(in.mu);
  static const std::string unknown = "?";
  return id < in.names.size() ? in.names[id] : unknown;
}

OutcomeCode outcomeCode(const Observations& obs, const AbstractState& before, const AbstractState& after) {
  uint64_t hrValue = 0, mask = 0;
  int touched = 0;
  for (int j = 0; j < kAbstractJobs; ++j) {
    bool t = bits(before.core, j * kJobBits, kJobBits) != bits(after.core, j * kJobBits, kJobBits) ||
             ((before.path ^ after.path) & (1u << j));
    for (const Observation& o : obs) t = t || (o.kind != ObsKind::Return && o.job == j + 1);
    touched += t;
  }
  if (touched >= 2) mask |= kFanOut;
  for (const Observation& o : obs) {
    switch (o.kind) {
      case ObsKind::Return: hrValue = o.hr.value; break;
      case ObsKind::Activation: mask |= o.hr.succeeded() ? kActOk : kActFail; break;
      case ObsKind::Callback:
        mask |= o.outcome == Outcome::Hung      ? kCbHang
                : o.outcome == Outcome::Crashed ? kCbCrash
                : o.hr.succeeded()              ? kCbOk
                                                : kCbFail;
        break;
      case ObsKind::CmdLine: mask |= o.exitCode == 0 ? kCmdExit0 : kCmdExitN; break;
    }
  }
  return (hrValue << 8) | mask;
}

std::string outcomeName(OutcomeCode code) {
  std::string out = toString(Hresult{static_cast<uint32_t>(code >> 8 & 0xFFFF'FFFFu)});
  static constexpr std::pair<uint64_t, std::string_view> kParts[] = {
      {kActOk, "+activate:ok"},   {kActFail, "+activate:fail"}, {kCbOk, "+callback:ok"},
      {kCbFail, "+callback:fail"}, {kCbHang, "+callback:hang"}, {kCbCrash, "+callback:crash"},
      {kCmdExit0, "+cmdline:exit0"}, {kCmdExitN, "+cmdline:exit1"}, {kFanOut, "+2 jobs"}};
  for (const auto& [bit, name] : kParts)
    if (code & bit) out += name;
  return out;
}

size_t TransitionKeyHash::operator()(const TransitionKey& k) const {
  uint64_t h = AbstractStateHash{}(k.state) * 0x9E3779B97F4A7C15ull;
  h ^= (uint64_t{k.command} + 0x632BE59BD9B4E019ull + (h << 6) + (h >> 2));
  h ^= (k.outcome * 0xC2B2AE3D27D4EB4Full + (h << 6) + (h >> 2));
  return static_cast<size_t>(h ^ (h >> 31));
}

std::string describe(const TransitionKey& k) {
  return describeAbstractState(k.state) + " | " + commandClassName(k.command) + " -> " + outcomeName(k.outcome);
}

std::vector<std::string_view> pathClasses(const TransitionKey& k) {
  std::vector<std::string_view> out;
  if (k.state.path & ~kRestarted) {
    out.push_back("written-since-restart");
    const std::string& c = commandClassName(k.command);
    if (c.starts_with("ServiceRestart") || c.starts_with("Reboot")) out.push_back("restart-after-write");
  }
  if (k.outcome & kFanOut) out.push_back("event-on-2-jobs");
  return out;
}

std::string keyText(const TransitionKey& k) {
  char state[40], outcome[32];
  std::snprintf(state, sizeof state, k.state.path ? "%llx:%x" : "%llx", static_cast<unsigned long long>(k.state.core),
                static_cast<unsigned>(k.state.path));
  std::snprintf(outcome, sizeof outcome, "%llx", static_cast<unsigned long long>(k.outcome));
  return std::string(state) + "|" + commandClassName(k.command) + "|" + outcome;
}

std::vector<std::pair<TransitionKey, RuleSet>> CoverageTracker::coveredTransitions() const {
  std::vector<std::pair<TransitionKey, RuleSet>> out;
  if (!reachable_) return out;
  for (const auto& [k, n] : covered_) out.emplace_back(k, reachable_->at(k));
  return out;
}

std::vector<TransitionKey> CoverageTracker::uncovered(Rule rule) const {
  std::vector<std::pair<std::string, TransitionKey>> found;
  if (reachable_)
    for (const auto& [k, rules] : *reachable_)
      if (rules.has(rule) && !covered_.count(k)) found.emplace_back(describe(k), k);
  std::sort(found.begin(), found.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  std::vector<TransitionKey> out;
  for (auto& f : found) out.push_back(f.second);
  return out;
}

CoverageTracker::CoverageTracker(std::shared_ptr<const TransitionTable> reachable) : reachable_(std::move(reachable)) {}

void CoverageTracker::observe(const AbstractState& before, const Command& command, const Observations& observations,
                              const AbstractState& after) {
  record({before, commandClassId(command), outcomeCode(observations, before, after)});
}

void CoverageTracker::record(const TransitionKey& k) {
  ++steps_;
  if (reachable_ && reachable_->count(k)) ++covered_[k];
  else ++beyond_[k];
}

void CoverageTracker::observeSequence(const std::vector<Command>& commands, const ModelConfig& config) {
  Model model(config);
  Observations out;
  AbstractState before = abstractState(model);  // cheaper than a copy of the model
  for (const Command& c : commands) {
    out.clear();
    model.step(c, out);
    AbstractState after = abstractState(model);
    record({before, commandClassId(c), outcomeCode(out, before, after)});
    before = after;
  }
}

void CoverageTracker::merge(const CoverageTracker& other) {
  for (const auto& [k, n] : other.covered_) covered_[k] += n;
  for (const auto& [k, n] : other.beyond_) {
    if (reachable_ && reachable_->count(k)) covered_[k] += n;
    else beyond_[k] += n;
  }
  steps_ += other.steps_;
}

CoverageSummary CoverageTracker::summary(size_t examplesPerRule) const {
  CoverageSummary s;
  s.reachable = reachable();
  s.covered = covered();
  s.beyond = beyond_.size();
  s.steps = steps_;
  s.percent = s.reachable == 0 ? 100.0 : 100.0 * double(s.covered) / double(s.reachable);
  if (!reachable_) return s;
  std::map<Rule, RuleGap> gaps;
  std::map<uint32_t, bool> commandSeen;  // class -> exercised in some reachable triple
  // Sorted examples, so summaries are stable whatever the hash order.
  std::map<Rule, std::vector<std::string>> examples;
  std::map<std::string_view, PathGap> paths;
  for (const auto& [k, rules] : *reachable_) {
    bool hit = covered_.count(k) != 0;
    commandSeen[k.command] |= hit;
    for (std::string_view p : pathClasses(k)) {
      PathGap& g = paths[p];
      g.path = p;
      ++g.total;
      if (!hit) {
        ++g.uncovered;
        g.examples.push_back(describe(k));
      }
    }
    for (Rule r : rules.list()) {
      RuleGap& g = gaps[r];
      g.rule = r;
      ++g.total;
      if (!hit) {
        ++g.uncovered;
        examples[r].push_back(describe(k));
      }
    }
  }
  for (auto& [r, g] : gaps) {
    if (g.uncovered == 0) continue;
    auto& ex = examples[r];
    std::sort(ex.begin(), ex.end());
    ex.resize(std::min(ex.size(), examplesPerRule));
    g.examples = ex;
    s.gaps.push_back(g);
  }
  std::stable_sort(s.gaps.begin(), s.gaps.end(),
                   [](const RuleGap& a, const RuleGap& b) { return a.uncovered > b.uncovered; });
  for (auto& [p, g] : paths) {
    std::sort(g.examples.begin(), g.examples.end());
    g.examples.resize(std::min(g.examples.size(), examplesPerRule));
    s.paths.push_back(std::move(g));
  }
  for (const auto& [id, seen] : commandSeen)
    if (!seen) s.neverExercisedCommands.push_back(commandClassName(id));
  std::sort(s.neverExercisedCommands.begin(), s.neverExercisedCommands.end());
  return s;
}

std::string formatCoverage(const CoverageSummary& s, size_t maxRules) {
  std::ostringstream os;
  os.setf(std::ios::fixed);
  os.precision(1);
  os << "transition coverage: " << s.covered << "/" << s.reachable << " (" << s.percent << "%), " << s.steps
     << " steps, " << s.beyond << " triples beyond the explored set\n";
  size_t shown = 0;
  for (const RuleGap& g : s.gaps) {
    if (shown++ == maxRules) {
      os << "  ... " << (s.gaps.size() - maxRules) << " more rules with gaps\n";
      break;
    }
    os << "  gap " << idOf(g.rule) << ": " << g.uncovered << "/" << g.total << " triples never exercised";
    if (!g.examples.empty()) os << ", e.g. " << g.examples.front();
    os << "\n";
  }
  for (const PathGap& p : s.paths) {
    os << "  path " << p.path << ": " << (p.total - p.uncovered) << "/" << p.total << " triples exercised";
    if (!p.examples.empty()) os << ", gap e.g. " << p.examples.front();
    os << "\n";
  }
  if (!s.neverExercisedCommands.empty()) {
    os << "  commands never exercised:";
    for (const std::string& c : s.neverExercisedCommands) os << " [" << c << "]";
    os << "\n";
  }
  return os.str();
}

}  // namespace bc
