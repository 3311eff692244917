#include "strength/mutation.h"

#include <algorithm>
#include <bit>
#include <optional>
#include <chrono>
#include <cstdio>
#include <functional>
#include <stdexcept>

#include "strength/explorer.h"
#include "oracle/refine.h"
#include "oracle/runner.h"
#include "properties/suite.h"
#include "sut/registry/sut_registry.h"
#include "scenarios/scenario.h"
#include "sut/mutants/mutant.h"

namespace bc {

namespace {

using Clock = std::chrono::steady_clock;
double secondsSince(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }

// The mutant set to a scenario's version and policies (through the registry, which knows the
// mock's readings); nullopt when the mock has no reading for one of them: the scenario does not
// apply to it.
std::optional<SutFactory> mutantFactory(mock::Mutant m, const ModelConfig& config) {
  SutRequest r;
  r.spec = "mock:mutant=" + std::string(mock::toString(m));
  r.version = config.version;
  r.policies = config.policies;
  if (policiesNotFollowed(r)) return std::nullopt;
  return makeSutFactory(r);
}

bool fails(const std::vector<Command>& seq, const ModelConfig& config, const SutFactory& sut) {
  auto s = sut();
  return !runSequence(seq, config, *s).passed();
}

// What a failing sequence blames, narrowed by probing (nothing if it passes).
RuleSet blameOf(const std::vector<Command>& seq, const ModelConfig& config, const SutFactory& sut) {
  Verdict v;
  {
    auto s = sut();
    v = runSequence(seq, config, *s);
  }
  if (!v.divergence) return {};
  refineBlame(v, seq, config, sut);
  return v.divergence->comparison.rules;
}

// Deletion shrinking (a simple ddmin): drop halves, then quarters, ..., then single commands,
// while the sequence still fails. Deterministic SUTs make this exact.
std::vector<Command> ddmin(std::vector<Command> seq, const ModelConfig& config, const SutFactory& sut) {
  for (size_t chunk = std::max<size_t>(seq.size() / 2, 1); chunk >= 1; chunk /= 2) {
    for (size_t at = 0; at + chunk <= seq.size();) {
      std::vector<Command> shorter(seq.begin(), seq.begin() + at);
      shorter.insert(shorter.end(), seq.begin() + at + chunk, seq.end());
      if (!shorter.empty() && fails(shorter, config, sut)) seq = std::move(shorter);
      else at += chunk;
    }
    if (chunk == 1) break;
  }
  return seq;
}

// How complicated a sequence reads, beyond its length: higher apps, jobs and slots, more flag
// bits, longer ticks. A simplification is kept only if it lowers this (so shrinking ends).
double weight(const std::vector<Command>& seq) {
  double w = 0;
  for (const Command& c : seq)
    w += c.app + c.job + (c.slot > 2 ? c.slot : 0) + std::popcount(c.flags) + static_cast<double>(c.ms) / 1e9;
  return w;
}

// Simpler variants of one command, in the same place: app or job one lower, a slot down to o2,
// one flag bit cleared, a tick cut to the shortest length that reaches the same timer.
std::vector<Command> simpler(const Command& c) {
  std::vector<Command> out;
  auto with = [&](auto set) {
    Command x = c;
    set(x);
    out.push_back(x);
  };
  if (c.app > 1) with([](Command& x) { x.app = 1; });
  if (c.job > 1) with([](Command& x) { x.job = 1; });
  if (c.slot > 2) with([](Command& x) { x.slot = 2; });
  for (uint32_t bit = 1; bit && bit <= c.flags; bit <<= 1)
    if (c.flags & bit) with([bit](Command& x) { x.flags &= ~bit; });
  if (c.kind == CmdKind::Tick)
    for (uint64_t ms : {uint64_t{500}, kMinimumRetryDelayMs, kNoProgressTimeoutMs})
      if (ms < c.ms) with([ms](Command& x) { x.ms = ms; });
  return out;
}

// Renames job (or app) `from` to `to` everywhere in `seq`, when `to` is unused: the same story
// told with J1 and A1.
std::optional<std::vector<Command>> renamed(const std::vector<Command>& seq, bool job, uint32_t from, uint32_t to) {
  std::vector<Command> out = seq;
  bool any = false;
  for (Command& c : out) {
    uint32_t v = job ? c.job : c.app;
    if (v == to) return std::nullopt;
    if (v == from) {
      if (job) c.job = static_cast<JobId>(to);
      else c.app = static_cast<AppId>(to);
      any = true;
    }
  }
  return any ? std::optional(out) : std::nullopt;
}

// The shrinker: deletion (ddmin), then pairs of deletions (a set-up and its use can go only
// together), merged adjacent Ticks, simpler commands and renumbered jobs and apps, repeated
// until nothing helps. Every step keeps the sequence failing; none makes it longer.

// A verdict that failed: keep it as the kill.
void kill(MutantResult& r, Clock::time_point start, std::string by, std::vector<Command> seq, const ModelConfig& config,
          const SutFactory& sut, bool shrinkIt) {
  r.killed = true;
  r.secondsToKill = secondsSince(start);
  r.killedBy = std::move(by);
  r.config = config;
  r.counterexample = shrinkIt ? shrinkCounterexample(std::move(seq), config, sut) : std::move(seq);
  r.counterexampleFrom = r.killedBy;
  auto s = sut();
  r.failure = describe(runSequence(r.counterexample, config, *s), r.counterexample);
}

}  // namespace

std::vector<Command> shrinkCounterexample(std::vector<Command> seq, const ModelConfig& config, const SutFactory& sut) {
  auto better = [&](const std::vector<Command>& a, const std::vector<Command>& b) {
    return a.size() < b.size() || (a.size() == b.size() && weight(a) < weight(b) - 1e-12);
  };
  auto tryAccept = [&](std::vector<Command> cand) {
    if (cand.empty() || !better(cand, seq) || !fails(cand, config, sut)) return false;
    seq = std::move(cand);
    return true;
  };
  for (int round = 0; round < 20; ++round) {
    seq = ddmin(std::move(seq), config, sut);
    bool changed = false;
    // Adjacent Ticks merged into one of the summed length.
    for (size_t i = 0; i + 1 < seq.size() && !changed; ++i)
      if (seq[i].kind == CmdKind::Tick && seq[i + 1].kind == CmdKind::Tick) {
        std::vector<Command> cand = seq;
        cand[i].ms += cand[i + 1].ms;
        cand.erase(cand.begin() + i + 1);
        changed = tryAccept(std::move(cand));
      }
    // Pairs of deletions.
    for (size_t i = 0; i < seq.size() && !changed; ++i)
      for (size_t j = i + 1; j < seq.size() && !changed; ++j) {
        std::vector<Command> cand = seq;
        cand.erase(cand.begin() + j);
        cand.erase(cand.begin() + i);
        changed = tryAccept(std::move(cand));
      }
    // A command replaced by a simpler one, or by one that does the work of two (drop a neighbour).
    for (size_t i = 0; i < seq.size() && !changed; ++i)
      for (const Command& c : simpler(seq[i])) {
        std::vector<Command> cand = seq;
        cand[i] = c;
        if ((changed = tryAccept(std::move(cand)))) break;
      }
    for (bool job : {true, false})
      for (uint32_t from = 2; from <= 8 && !changed; ++from)
        for (uint32_t to = 1; to < from && !changed; ++to)
          if (auto cand = renamed(seq, job, from, to)) changed = tryAccept(std::move(*cand));
    if (!changed) break;
  }
  return seq;
}

std::string minimalityArgument(const std::vector<Command>& cx) {
  std::map<CmdKind, int> n;
  for (const Command& c : cx) ++n[c.kind];
  auto count = [&](CmdKind k) { return n.count(k) ? n[k] : 0; };
  const int events = count(CmdKind::Transfer) + count(CmdKind::FatalError) + count(CmdKind::TransientError);
  const int receivers = count(CmdKind::SetNotifyInterface) + count(CmdKind::SetNotifyClsid) + count(CmdKind::SetNotifyCmdLine);
  // Two commands: a job and one call on it (nothing about a job shows with fewer).
  if (cx.size() == 2 && cx[0].kind == CmdKind::CreateJob && isApiCall(cx[1].kind) && cx[1].kind != CmdKind::CreateJob)
    return "job 1 + the call 1";
  // A delivered (or wrongly delivered) job event: the job's four commands, exactly once each.
  if (events != 1 || count(CmdKind::CreateJob) != 1 || count(CmdKind::AddFile) != 1 || count(CmdKind::Resume) != 1)
    return "";
  std::string why = "job 4 (CreateJob, AddFile, Resume, the event)";
  size_t used = 4;
  auto add = [&](bool present, const char* what) {
    if (!present) return;
    why += std::string(" + ") + what + " 1";
    ++used;
  };
  const bool object = count(CmdKind::SetNotifyInterface) == 1, clsid = count(CmdKind::SetNotifyClsid) == 1,
             cmdline = count(CmdKind::SetNotifyCmdLine) == 1;
  if (receivers < 1 || receivers > 2 || receivers != int(object) + int(clsid) + int(cmdline)) return "";
  add(true, "receiver");
  add(receivers == 2, "second receiver (the rule is about which one acts)");
  add(clsid && count(CmdKind::RegisterServer) == 1, "registered server");
  bool failing = false, crash = false;
  for (const Command& c : cx)
    if (c.kind == CmdKind::Behave && c.behavior != Behavior::Ok) (c.behavior == Behavior::Crash ? crash : failing) = true;
  add(object && count(CmdKind::Behave) == 1 && failing, "failing behaviour");
  add((object && count(CmdKind::Behave) == 1 && crash) || (object && count(CmdKind::AppExit) == 1 && !crash),
      "disconnect (exit or crash)");
  add(count(CmdKind::SetNotifyFlags) == 1, "flags");
  add(count(CmdKind::Tick) == 1, "Tick (retry delay or pacing)");
  // A getter after the event: the state it shows is what differs.
  add(count(CmdKind::GetNotifyInterface) + count(CmdKind::GetNotifyClsid) + count(CmdKind::GetState) == 1 &&
          isApiCall(cx.back().kind),
      "the getter that shows it");
  return used == cx.size() ? why : "";
}

std::vector<std::string> mutantNameList() {
  std::vector<std::string> names;
  for (const mock::MutantInfo& m : mock::allMutants()) names.emplace_back(m.name);
  return names;
}

std::vector<std::string> MutationReport::undiagnosed() const {
  std::vector<std::string> out;
  for (const MutantResult& m : mutants)
    if (!m.diagnosed) out.push_back(m.name);
  return out;
}

std::vector<std::string> MutationReport::survivors() const {
  std::vector<std::string> out;
  for (const MutantResult& m : mutants)
    if (!m.killed) out.push_back(m.name);
  return out;
}

MutationReport runMutants(const MutationOptions& options) {
  auto start = Clock::now();
  std::vector<mock::MutantInfo> chosen;
  if (options.mutants.empty()) chosen = mock::allMutants();
  for (const std::string& name : options.mutants) {
    auto m = mock::parseMutant(name);
    if (!m || *m == mock::Mutant::None) throw std::invalid_argument("unknown mutant '" + name + "'");
    for (const mock::MutantInfo& info : mock::allMutants())
      if (info.mutant == *m) chosen.push_back(info);
  }

  // Shared by every mutant: the scenario library and the covering set.
  std::vector<Scenario> scenarios;
  if (!options.scenariosDir.empty()) {
    std::vector<Error> diagnostics;
    scenarios = loadScenarioTree(options.scenariosDir, diagnostics);
  }
  ModelConfig defaults;
  // The covering set is built only when a check needs it (a fast run whose scenarios kill every
  // mutant never pays for it).
  std::vector<std::vector<Command>> covering, shortestFirst;
  bool coveringBuilt = false;
  auto coveringSet = [&]() -> const std::vector<std::vector<Command>>& {
    if (!coveringBuilt && options.bound > 0) {
      ExplorerOptions eo;
      eo.bound = options.bound;
      covering = coverTransitions(explore(eo), eo).sequences;
      // Longest first: a long sequence exercises more, so a mutant dies sooner on average.
      std::stable_sort(covering.begin(), covering.end(),
                       [](const auto& a, const auto& b) { return a.size() > b.size(); });
      shortestFirst.assign(covering.rbegin(), covering.rend());
    }
    coveringBuilt = true;
    return covering;
  };

  MutationReport report;
  for (const mock::MutantInfo& info : chosen) {
    MutantResult r;
    r.name = std::string(info.name);
    r.description = std::string(info.description);
    RuleSet declared;
    for (Rule rule : info.breaks) {
      declared.add(rule);
      r.breaks.emplace_back(idOf(rule));
    }
    auto t0 = Clock::now();
    // A failing check's blame: diagnosed once every declared rule has been blamed.
    auto blame = [&](const RuleSet& rules, const std::string& by) {
      r.blamed.add(rules);
      if (!r.diagnosed && !declared.empty() && r.blamed.intersect(declared) == declared) {
        r.diagnosed = true;
        r.diagnosedBy = by;
      }
    };
    auto overBudget = [&] { return secondsSince(t0) > options.budgetSeconds; };
    SutFactory sut = *mutantFactory(info.mutant, defaults);  // the defaults: always followed

    // Each kind of check runs until its first failure. Normally the first kind that kills ends
    // the mutant's run; with everyCheck every kind runs, to show what each one alone catches.
    auto record = [&](const std::string& kind, Clock::time_point kindStart) {
      r.checkKills[kind] = secondsSince(kindStart);
    };
    auto enabled = [&](const std::string& kind) {
      return options.checks.empty() || std::find(options.checks.begin(), options.checks.end(), kind) != options.checks.end();
    };
    auto wanted = [&] { return (!r.killed || !r.diagnosed || options.everyCheck) && !overBudget(); };
    auto kindStart = Clock::now();
    for (const Scenario& s : scenarios) {
      if (!wanted() || !enabled("scenarios")) break;
      std::optional<SutFactory> scenarioSut = mutantFactory(info.mutant, s.config);
      if (!scenarioSut) continue;
      std::vector<Command> seq = s.commands();
      const RuleSet rules = blameOf(seq, s.config, *scenarioSut);
      if (rules.empty() && !fails(seq, s.config, *scenarioSut)) continue;
      const std::string by = "scenario " + s.path.substr(options.scenariosDir.size() + 1);
      blame(rules, by);
      if (r.checkKills.count("scenarios")) continue;
      record("scenarios", kindStart);
      if (!r.killed) kill(r, t0, by, seq, s.config, *scenarioSut, options.shrink);
      if (options.everyCheck && r.diagnosed) break;
    }
    kindStart = Clock::now();
    for (const auto& seq : (wanted() && enabled("covering-set") ? coveringSet() : covering)) {
      if (!wanted() || !enabled("covering-set")) break;
      if (!fails(seq, defaults, sut)) continue;
      const std::string by = "covering set (bound " + std::to_string(options.bound) + ")";
      blame(blameOf(seq, defaults, sut), by);
      if (r.checkKills.count("covering-set")) continue;
      record("covering-set", kindStart);
      if (!r.killed) kill(r, t0, by, seq, defaults, sut, options.shrink);
      if (options.everyCheck) break;
    }
    // Targeted properties first, model-equals-sut last: the broad one needs the most cases.
    std::vector<PropertyInfo> properties = allProperties();
    std::stable_partition(properties.begin(), properties.end(),
                          [](const PropertyInfo& p) { return p.name != "model-equals-sut"; });
    kindStart = Clock::now();
    for (const PropertyInfo& p : properties) {
      if (!wanted()) break;
      const bool broad = p.name == "model-equals-sut";
      if (broad) kindStart = Clock::now();
      if (!broad && options.everyCheck && r.checkKills.count("targeted-properties")) continue;
      if (!enabled(broad ? "model-equals-sut" : "targeted-properties")) continue;
      PropertyOptions po;
      po.seed = options.seed;
      po.cases = options.cases;
      PropertyRun run = runProperty(p.name, sut, defaults, po);
      if (run.passed() || run.counterexample.empty()) continue;
      blame(run.failedRules, "property " + p.name);
      record(broad ? "model-equals-sut" : "targeted-properties", kindStart);
      if (r.killed) continue;
      r.killed = true;
      r.secondsToKill = secondsSince(t0);
      r.killedBy = "property " + p.name;
      r.counterexampleFrom = r.killedBy;
      r.config = defaults;
      r.counterexample = options.shrink ? shrinkCounterexample(run.counterexample, defaults, sut) : run.counterexample;
      r.failure = run.failure;
    }
    // The shortest counterexample of all the checks: a scenario kills fast but keeps its set-up;
    // other failing scenarios and the covering set's short sequences (shortest first) often show
    // the same bug in fewer commands. Each candidate is shrunk the same way.
    auto m0 = Clock::now();
    auto consider = [&](const std::vector<Command>& seq, const ModelConfig& config, const SutFactory& f,
                        const std::string& from) {
      if (!fails(seq, config, f)) return;
      std::vector<Command> shorter = shrinkCounterexample(seq, config, f);
      if (shorter.size() >= r.counterexample.size()) return;
      r.counterexample = std::move(shorter);
      r.config = config;
      r.counterexampleFrom = from;
      auto s = f();
      r.failure = describe(runSequence(r.counterexample, config, *s), r.counterexample);
    };
    const bool minimise = r.killed && options.shrink && options.minimizeSeconds > 0;
    for (const Scenario& s : scenarios) {
      if (!minimise || secondsSince(m0) > options.minimizeSeconds || !enabled("scenarios")) break;
      if (r.counterexample.size() <= 2) break;
      if (auto f = mutantFactory(info.mutant, s.config))
        consider(s.commands(), s.config, *f, "scenario " + s.path.substr(options.scenariosDir.size() + 1));
    }
    if (minimise && enabled("covering-set")) coveringSet();
    for (const auto& seq : shortestFirst) {
      if (!minimise || secondsSince(m0) > options.minimizeSeconds) break;
      if (seq.size() >= r.counterexample.size() || r.counterexample.size() <= 2) break;
      consider(seq, defaults, sut, "covering set (bound " + std::to_string(options.bound) + ")");
    }
    if (r.killed) r.minimalBecause = minimalityArgument(r.counterexample);
    r.seconds = secondsSince(t0);
    report.mutants.push_back(std::move(r));
  }

  std::vector<double> times;
  for (const MutantResult& m : report.mutants) {
    if (!m.killed) continue;
    ++report.killed;
    times.push_back(m.secondsToKill);
    report.maxCounterexample = std::max(report.maxCounterexample, m.counterexample.size());
  }
  report.score = report.mutants.empty() ? 100.0 : 100.0 * double(report.killed) / double(report.mutants.size());
  for (const MutantResult& m : report.mutants) report.diagnosed += m.diagnosed;
  report.diagnosisScore =
      report.mutants.empty() ? 100.0 : 100.0 * double(report.diagnosed) / double(report.mutants.size());
  if (!times.empty()) {
    std::sort(times.begin(), times.end());
    size_t n = times.size();
    report.medianSecondsToKill = n % 2 ? times[n / 2] : (times[n / 2 - 1] + times[n / 2]) / 2;
    report.maxSecondsToKill = times.back();
  }
  report.seconds = secondsSince(start);
  return report;
}

std::string formatMutationReport(const MutationReport& r) {
  std::string out;
  char line[512];
  std::snprintf(line, sizeof line, "%-32s %-8s %-10s %-9s %9s %6s  %s\n", "mutant", "verdict", "breaks", "diagnosed",
                "to kill", "steps", "killed by");
  out += line;
  std::map<size_t, size_t> lengths;
  size_t minimal = 0;
  for (const MutantResult& m : r.mutants) {
    std::string by = m.killed ? m.killedBy : "(nothing failed: a gap in the suite)";
    if (m.killed && !m.counterexampleFrom.empty() && m.counterexampleFrom != m.killedBy)
      by += "; shortest from " + m.counterexampleFrom;
    if (m.killed) ++lengths[m.counterexample.size()];
    if (!m.minimalBecause.empty()) {
      ++minimal;
      if (m.counterexample.size() > 6) by += "; minimal in this world: " + m.minimalBecause;
    }
    std::string breaks;
    for (const std::string& b : m.breaks) breaks += (breaks.empty() ? "" : ",") + b;
    std::snprintf(line, sizeof line, "%-32s %-8s %-10s %-9s %8.3fs %6zu  %s\n", m.name.c_str(),
                  m.killed ? "killed" : "SURVIVED", breaks.c_str(), m.diagnosed ? "yes" : "NO",
                  m.killed ? m.secondsToKill : m.seconds, m.counterexample.size(), by.c_str());
    out += line;
    if (m.killed && !m.diagnosed)
      out += "    not diagnosed: the failing checks blamed " + (m.blamed.empty() ? std::string("no rule") : m.blamed.toString()) +
             ", never " + breaks + "\n";
  }
  out += "counterexample lengths:";
  for (const auto& [len, k] : lengths) out += " " + std::to_string(len) + "x" + std::to_string(k);
  out += " (" + std::to_string(minimal) + " minimal in this world)\n";
  std::snprintf(line, sizeof line,
                "mutation score: %zu/%zu killed (%.1f%%); time to kill: median %.3fs, max %.3fs; longest "
                "counterexample %zu commands; %.1fs in all\n",
                r.killed, r.mutants.size(), r.score, r.medianSecondsToKill, r.maxSecondsToKill, r.maxCounterexample,
                r.seconds);
  out += line;
  std::snprintf(line, sizeof line, "diagnosis score: %zu/%zu diagnosed (%.1f%%): the declared rule fails\n", r.diagnosed,
                r.mutants.size(), r.diagnosisScore);
  out += line;
  return out;
}

}  // namespace bc

namespace bc {

std::string formatCheckMatrix(const MutationReport& r) {
  std::string out;
  char cell[128];
  std::snprintf(cell, sizeof cell, "%-32s", "mutant \\ check");
  out += cell;
  for (const std::string& k : kCheckKinds) {
    std::snprintf(cell, sizeof cell, " %20s", k.c_str());
    out += cell;
  }
  out += "\n";
  std::map<std::string, size_t> kills;
  for (const MutantResult& m : r.mutants) {
    std::snprintf(cell, sizeof cell, "%-32s", m.name.c_str());
    out += cell;
    for (const std::string& k : kCheckKinds) {
      auto it = m.checkKills.find(k);
      if (it != m.checkKills.end()) {
        ++kills[k];
        std::snprintf(cell, sizeof cell, " %19.3fs", it->second);
      } else {
        std::snprintf(cell, sizeof cell, " %20s", "-");
      }
      out += cell;
    }
    out += "\n";
  }
  std::snprintf(cell, sizeof cell, "%-32s", "killed alone");
  out += cell;
  for (const std::string& k : kCheckKinds) {
    std::snprintf(cell, sizeof cell, " %17zu/%zu", kills[k], r.mutants.size());
    out += cell;
  }
  return out + "\n";
}

}  // namespace bc
