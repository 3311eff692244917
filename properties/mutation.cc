#include "properties/mutation.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <functional>
#include <stdexcept>

#include "properties/explorer.h"
#include "properties/runner.h"
#include "properties/suite.h"
#include "scenarios/scenario.h"
#include "sut/mock/mock_sut.h"
#include "sut/mock/mutant.h"

namespace bc {

namespace {

using Clock = std::chrono::steady_clock;
double secondsSince(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }

SutFactory mutantFactory(mock::Mutant m, BitsVersion version) {
  return [m, version] {
    mock::MockOptions o;
    o.mutant = m;
    o.version = version;
    return std::make_unique<mock::MockSut>(o);
  };
}

bool fails(const std::vector<Command>& seq, const ModelConfig& config, const SutFactory& sut) {
  auto s = sut();
  return !runSequence(seq, config, *s).passed();
}

// Deletion shrinking (a simple ddmin): drop halves, then quarters, ..., then single commands,
// while the sequence still fails. Deterministic SUTs make this exact.
std::vector<Command> shrink(std::vector<Command> seq, const ModelConfig& config, const SutFactory& sut) {
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

// A verdict that failed: keep it as the kill.
void kill(MutantResult& r, Clock::time_point start, std::string by, std::vector<Command> seq, const ModelConfig& config,
          const SutFactory& sut) {
  r.killed = true;
  r.secondsToKill = secondsSince(start);
  r.killedBy = std::move(by);
  r.config = config;
  r.counterexample = shrink(std::move(seq), config, sut);
  auto s = sut();
  r.failure = describe(runSequence(r.counterexample, config, *s), r.counterexample);
}

}  // namespace

std::vector<std::string> mutantNameList() {
  std::vector<std::string> names;
  for (const mock::MutantInfo& m : mock::allMutants()) names.emplace_back(m.name);
  return names;
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
    std::vector<Diagnostic> diagnostics;
    scenarios = loadScenarioTree(options.scenariosDir, diagnostics);
  }
  ModelConfig defaults;
  std::vector<std::vector<Command>> covering;
  if (options.bound > 0 && (options.checks.empty() || std::count(options.checks.begin(), options.checks.end(), "covering-set"))) {
    ExplorerOptions eo;
    eo.bound = options.bound;
    covering = coverTransitions(explore(eo), eo).sequences;
    // Longest first: a long sequence exercises more, so a mutant dies sooner on average.
    std::stable_sort(covering.begin(), covering.end(),
                     [](const auto& a, const auto& b) { return a.size() > b.size(); });
  }
  std::vector<std::vector<Command>> shortestFirst(covering.rbegin(), covering.rend());

  MutationReport report;
  for (const mock::MutantInfo& info : chosen) {
    MutantResult r;
    r.name = std::string(info.name);
    r.description = std::string(info.description);
    auto t0 = Clock::now();
    auto overBudget = [&] { return secondsSince(t0) > options.budgetSeconds; };
    SutFactory sut = mutantFactory(info.mutant, defaults.version);

    // Each kind of check runs until its first failure. Normally the first kind that kills ends
    // the mutant's run; with everyCheck every kind runs, to show what each one alone catches.
    auto record = [&](const std::string& kind, Clock::time_point kindStart) {
      r.checkKills[kind] = secondsSince(kindStart);
    };
    auto enabled = [&](const std::string& kind) {
      return options.checks.empty() || std::find(options.checks.begin(), options.checks.end(), kind) != options.checks.end();
    };
    auto wanted = [&] { return (!r.killed || options.everyCheck) && !overBudget(); };
    auto kindStart = Clock::now();
    for (const Scenario& s : scenarios) {
      if (!wanted() || !enabled("scenarios")) break;
      SutFactory scenarioSut = mutantFactory(info.mutant, s.config.version);
      std::vector<Command> seq = s.commands();
      if (!fails(seq, s.config, scenarioSut)) continue;
      record("scenarios", kindStart);
      if (!r.killed) kill(r, t0, "scenario " + s.path.substr(options.scenariosDir.size() + 1), seq, s.config, scenarioSut);
      break;
    }
    kindStart = Clock::now();
    for (const auto& seq : covering) {
      if (!wanted() || !enabled("covering-set")) break;
      if (!fails(seq, defaults, sut)) continue;
      record("covering-set", kindStart);
      if (!r.killed) kill(r, t0, "covering set (bound " + std::to_string(options.bound) + ")", seq, defaults, sut);
      break;
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
      if (run.passed || run.counterexample.empty()) continue;
      record(broad ? "model-equals-sut" : "targeted-properties", kindStart);
      if (r.killed) continue;
      r.killed = true;
      r.secondsToKill = secondsSince(t0);
      r.killedBy = "property " + p.name;
      r.config = defaults;
      r.counterexample = run.counterexample;
      r.failure = run.failure;
    }
    // A scenario kills fast but its counterexample keeps the scenario's set-up; the covering
    // set's short sequences (shortest first) often show the same bug in fewer commands.
    auto m0 = Clock::now();
    for (const auto& seq : shortestFirst) {
      if (!r.killed || secondsSince(m0) > options.minimizeSeconds) break;
      if (seq.size() >= r.counterexample.size()) break;
      if (!fails(seq, defaults, sut)) continue;
      std::vector<Command> shorter = shrink(seq, defaults, sut);
      if (shorter.size() < r.counterexample.size()) {
        r.counterexample = std::move(shorter);
        r.config = defaults;
        auto s = sut();
        r.failure = describe(runSequence(r.counterexample, defaults, *s), r.counterexample);
      }
    }
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
  std::snprintf(line, sizeof line, "%-32s %-8s %9s %6s  %s\n", "mutant", "verdict", "to kill", "steps", "killed by");
  out += line;
  for (const MutantResult& m : r.mutants) {
    std::snprintf(line, sizeof line, "%-32s %-8s %8.3fs %6zu  %s\n", m.name.c_str(), m.killed ? "killed" : "SURVIVED",
                  m.killed ? m.secondsToKill : m.seconds, m.counterexample.size(),
                  m.killed ? m.killedBy.c_str() : "(nothing failed: a gap in the suite)");
    out += line;
  }
  std::snprintf(line, sizeof line,
                "mutation score: %zu/%zu killed (%.1f%%); time to kill: median %.3fs, max %.3fs; longest "
                "counterexample %zu commands; %.1fs in all\n",
                r.killed, r.mutants.size(), r.score, r.medianSecondsToKill, r.maxSecondsToKill, r.maxCounterexample,
                r.seconds);
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
