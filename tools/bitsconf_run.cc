// bitsconf run: scenarios and properties against one SUT, into one results file.
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstring>
#include <mutex>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <limits>
#include <optional>

#include <fmt/core.h>

#include "model/policy.h"
#include "strength/coverage_run.h"
#include "strength/explorer.h"
#include "strength/mutation.h"
#include "oracle/refine.h"
#include "oracle/runner.h"
#include "sut/registry/sut_registry.h"
#include "results/manifest.h"
#include "results/output_file.h"
#include "results/results.h"
#include "scenarios/scenario.h"
#include "tools/bitsconf.h"
#include "tools/bitsconf_heartbeat.h"
#include "tools/bitsconf_outcome.h"
#include "tools/bitsconf_signals.h"
#include "tools/bitsconf_work.h"
#include "vocab/command_text.h"
#include "properties/suite.h"

#ifndef BITSCONFORM_SCENARIOS_DIR
#define BITSCONFORM_SCENARIOS_DIR "scenarios"
#endif

namespace bc {

namespace {

struct RunOptions_ {
  std::string sut = "mock";
  std::string scenarios = BITSCONFORM_SCENARIOS_DIR;
  bool noScenarios = false, noProperties = false;
  std::string seed = std::to_string(kDefaultRunSeed);  // a number, or "random" (drawn, then recorded)
  int cases = 100;
  std::string rules, groups, manifest, shard, bitsVersion;
  std::vector<std::string> policies;
  std::string out = "results.json";
  std::string found;  // where minimal counterexamples are saved; "" = found/ beside --out
  bool strictManifest = false;
  bool progress = true;
  bool coverage = true;
  int coverageBound = kRunCoverageBound;
  bool coverageDetail = false;       // list every exercised transition in the results (shards always do)
  std::string mutants = "auto";  // auto (on for the whole run on the mock), on, off
  std::string coveringSet = "auto";  // auto (on for a simulated SUT, unfiltered), on, off
  int retrySutFailures = 0;          // attempts more for a unit whose SUT crashed, hung or garbled
  double shrinkBudget = -1;          // seconds; -1: unbounded on a simulated SUT, kRealShrinkBudgetSeconds otherwise
  double sutTimeout = 0;             // seconds for an adapter's handshake and each step; 0: the SUT kind's default
  double heartbeat = 10;             // seconds between heartbeat lines when no progress bar shows; 0: none
  bool failFast = false;             // stop at the first unit that does not pass (tools/source_mutants.py)
};

// A real implementation costs seconds per shrink candidate (a fresh adapter, real time): a
// minute of shrinking usually reaches a handful of commands; the rest would take an hour.
constexpr double kRealShrinkBudgetSeconds = 60;

// A unit of work (scenario or property chunk) whose SUT could not go on is run again, at most
// `retries` times, on a fresh SUT: for real implementations whose harness has rare start-up
// failures (docs: sut/real/README.md). Every earlier attempt stays in the results as a note, so
// nothing a run saw is lost; the last attempt's outcome counts.
template <class Outcome, class Attempt>
Outcome withRetries(int retries, const std::string& what, std::vector<std::string>& notes, Attempt attempt) {
  Outcome out = attempt();
  for (int i = 1; i <= retries && isSutFailure(out.status); ++i) {
    std::string first = out.counterexample ? out.counterexample->message : "";
    if (auto nl = first.find('\n'); nl != std::string::npos) first.resize(nl);
    out = attempt();
    notes.push_back("retried: " + what + " ended '" + std::string(first.empty() ? "?" : first) + "' on attempt " +
                    std::to_string(i) + "; attempt " + std::to_string(i + 1) + " ended '" + std::string(toString(out.status)) + "'");
  }
  return out;
}

// A SUT whose every capability is simulated (the mock, its mutants, the model) runs the
// explorer's covering set in a few seconds; a real implementation would need hours.
bool simulated(const std::string& sut) { return sut == "mock" || sut == "model" || sut.rfind("mock:", 0) == 0; }

// Why --scenarios cannot be read as a scenario folder (it does not exist, is not a folder).
std::optional<std::string> scenarioDirProblem(const RunOptions_& o) {
  if (o.noScenarios) return std::nullopt;
  std::error_code ec;
  auto st = std::filesystem::status(o.scenarios, ec);
  if (st.type() == std::filesystem::file_type::not_found) return o.scenarios + ": no such folder";
  if (ec) return o.scenarios + ": " + ec.message();
  if (st.type() != std::filesystem::file_type::directory) return o.scenarios + ": not a folder";
  return std::nullopt;
}

// The explorer's covering set as one more unit of work: every reachable (abstract state,
// command, outcome) transition at the coverage bound, exercised against the SUT. The first
// divergence is shrunk and reported like a property's counterexample.
PropertyOutcome runCoveringSet(const RunCoverage& coverage, const SutFactory& factory, const ModelConfig& config,
                               const ReplayContext& replay, const std::string& foundDir) {
  auto start = std::chrono::steady_clock::now();
  PropertyOutcome out;
  out.name = "covering-set";
  out.description = "the explorer's covering set: every reachable (abstract state, command, outcome) transition at "
                    "bound " + std::to_string(coverage.explored().bound) + ", exercised once";
  ExplorerOptions eo;
  eo.bound = coverage.explored().bound;
  eo.config = config;
  CoveringSet cover = coverTransitions(coverage.explored(), eo);
  Evidence evidence;
  for (size_t index = 0; index < cover.sequences.size(); ++index) {
    const std::vector<Command>& seq = cover.sequences[index];
    std::unique_ptr<Sut> sut = factory();
    Verdict v = runSequence(seq, config, *sut);
    evidence.add(v.evidence);
    out.commands += v.stepsRun;
    ++out.cases;
    if (v.passed() || v.kind == RunOutcome::NotApplicable) continue;
    std::vector<Command> minimal = v.kind == RunOutcome::Diverged ? shrinkCounterexample(seq, config, factory) : seq;
    std::unique_ptr<Sut> again = factory();
    Verdict mv = runSequence(minimal, config, *again);
    again.reset();
    refineBlame(mv, minimal, config, factory);
    out.failedCase = static_cast<int>(index) + 1;
    out.status = mv.kind == RunOutcome::Pass ? v.kind : mv.kind;
    Counterexample ce;
    ce.source = "covering set (bound " + std::to_string(eo.bound) + ")";
    for (const Command& c : minimal) ce.scenarioText += formatCommand(c) + "\n";
    ce.message = describe(mv.kind == RunOutcome::Pass ? v : mv, minimal);
    if (mv.divergence) {
      ce.expected = formatObservations(mv.divergence->expected);
      ce.actual = formatObservations(mv.divergence->actual);
      out.failedRules = ruleIds(mv.divergence->comparison.rules);
    }
    // Saved as a scenario pinned to the run's version and policies: its replay line runs exactly it.
    std::string path = foundDir + "/covering-set-bound" + std::to_string(eo.bound) + "-" + std::to_string(index + 1) + ".scenario";
    std::error_code ec;
    std::filesystem::create_directories(foundDir, ec);
    std::ofstream file(path, std::ios::binary | std::ios::trunc);
    file << counterexampleScenarioText("covering-set sequence " + std::to_string(index + 1) + " (bound " +
                                           std::to_string(eo.bound) + "), minimised",
                                       "covering-set bound=" + std::to_string(eo.bound) + " sequence=" +
                                           std::to_string(index + 1),
                                       out.failedRules, minimal, config);
    if (file.flush()) {
      out.savedScenario = path;
      ce.replay = replay.savedScenario(path);
    }
    out.counterexample = ce;
    break;
  }
  out.checked = ruleIds(evidence.checked());
  out.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return out;
}

// The mutation self-check of a normal run: cheap checks only (the scenarios, then the covering set
// and the targeted properties for a mutant the scenarios miss), no counterexample minimising.
MutationInfo runMutationCheck(const RunOptions_& o) {
  MutationOptions mo;
  mo.scenariosDir = o.noScenarios ? "" : o.scenarios;
  mo.seed = 1;
  mo.cases = 100;
  // No time budget: the checks are finite (a few ms a mutant), and a budget would make the score
  // depend on the machine's load, so two runs could write different results.
  mo.budgetSeconds = std::numeric_limits<double>::infinity();
  mo.minimizeSeconds = 0;
  mo.shrink = false;
  return mutationInfo(runMutants(mo), "bitsconf run: the mock's mutants against " +
                                          std::string(o.noScenarios ? "" : "the scenario library, then ") +
                                          "the covering set (bound 4) and the properties (100 cases, seed 1), until "
                                          "the rule each breaks fails");
}

// A one-line progress bar on a terminal only: logs and CI output stay clean.
class Progress {
 public:
  Progress(size_t total, bool enabled) : total_(total), enabled_(enabled && isatty(STDERR_FILENO)) {}
  void step(const std::string& what) {
    ++done_;
    if (!enabled_) return;
    const int width = 30;
    int filled = total_ ? static_cast<int>(width * done_ / total_) : width;
    std::fprintf(stderr, "\r[%s%s] %zu/%zu %-40.40s", std::string(filled, '#').c_str(),
                 std::string(width - filled, '.').c_str(), done_, total_, what.c_str());
    if (done_ == total_) std::fprintf(stderr, "\n");
    std::fflush(stderr);
  }

 private:
  size_t total_, done_ = 0;
  bool enabled_;
};

// A scenario runs on the SUT set to the policies it runs under (the run's, with its own
// 'policy:' lines for the policies the run leaves alone: underRunPolicies); a SUT that cannot be
// set to them (a real implementation, or a policy the mock has no reading for) does not run it:
// not applicable. A simulated SUT emulates every BITS version, so a scenario pinned to another
// version than the run's ('version:') runs on one made at that version; a real implementation
// is the version it is.
template <typename Counted>
ScenarioResult runScenarioWith(const Scenario& s, const SutRequest& runRequest, const SutFactory& runFactory,
                               Counted& counted, const Capabilities* known, bool anyVersion) {
  const bool otherVersion = anyVersion && s.versionPinned && known && s.config.version != known->version;
  if (s.config.policies == runRequest.policies && !otherVersion)
    return runScenario(s, counted(runFactory, s.config), known);
  SutRequest r = runRequest;
  r.policies = s.config.policies;
  Capabilities caps = known ? *known : Capabilities{};
  if (otherVersion) r.version = caps.version = s.config.version;
  if (auto why = policiesNotFollowed(r)) return scenarioNotApplicable(s, *why);
  return runScenario(s, counted(makeSutFactory(r), s.config), known ? &caps : nullptr);
}

// A failing unit on the console, as in the reports: its check ID, the rules it blames, whether
// the manifest expects it, and the line that replays it.
template <class Unit>
void printFailure(const Unit& u, const std::string& more = "") {
  if (!isFailure(u.status)) return;
  std::cerr << (isSutFailure(u.status) ? "SUT FAILURE " : u.manifestReason.empty() ? "FAIL " : "expected fail ")
            << checkId(u) << " (" << toString(u.status);
  for (const auto& r : u.failedRules) std::cerr << " " << r;
  std::cerr << more << ")\n";
  if (u.counterexample && !u.counterexample->replay.empty()) std::cerr << "  replay: " << u.counterexample->replay << "\n";
}

// The random properties that run once more at every other BITS version a simulated SUT
// emulates (kBehaviourVersions): the version-specific rules (VER-*, CMD-8's single run in 1.5,
// the flag masks, the interfaces each version lacks) are checked where they differ.
bool sweptOverVersions(const std::string& property) { return property == "model-equals-sut" || property == "deep-worlds"; }

int runCommand(const RunOptions_& o) {
  Results results;
  RunInfo& run = results.run;
  run.toolVersion = toolVersion();
  run.gitCommit = toolGitCommit();
  run.timestamp = utcTimestamp();
  run.sutSpec = o.sut;
  auto seed = parseRunSeed(o.seed);
  if (!seed)
    return std::cerr << "bitsconf run: --seed wants a non-negative integer or 'random', got '" << o.seed << "'\n",
           kExitInput;
  run.seed = *seed;
  run.cases = o.cases;
  run.shard = o.shard;

  // Usage errors before anything starts: a run that could only write the wrong file, or run
  // nothing, must say so (exit 2), not report a conformance it never checked.
  if (Status e = outputFileProblem(o.out); !e.ok()) return std::cerr << "bitsconf run: --out: " << e.message() << "\n", kExitInput;
  if (auto e = scenarioDirProblem(o)) return std::cerr << "bitsconf run: --scenarios: " << *e << "\n", kExitInput;
  if (Status e = parseRuleFilter(o.rules, run.ruleFilter); !e.ok()) return std::cerr << "bitsconf run: " << e.message() << "\n", kExitInput;
  if (Status e = parseGroupFilter(o.groups, run.groupFilter); !e.ok()) return std::cerr << "bitsconf run: " << e.message() << "\n", kExitInput;
  Shard shard;
  if (!o.shard.empty()) {
    auto s = parseShard(o.shard);
    if (!s) return std::cerr << "bitsconf run: --shard wants K/N with 1 <= K <= N, got '" << o.shard << "'\n", kExitInput;
    shard = *s;
  }
  ModelConfig config;
  std::vector<std::string> setByRun;  // the policy IDs --policy set: they apply to scenarios too
  for (const auto& p : o.policies) {
    auto eq = p.find('=');
    Status err = eq == std::string::npos ? Status::fail("expected KEY=VALUE")
                                         : setPolicy(config.policies, p.substr(0, eq), p.substr(eq + 1));
    if (!err.ok()) return std::cerr << "bitsconf run: --policy " << p << ": " << err.message() << "\n", kExitInput;
    std::string id(*policyId(p.substr(0, eq)));
    if (std::find(setByRun.begin(), setByRun.end(), id) == setByRun.end()) setByRun.push_back(id);
  }
  SutRequest request;
  request.spec = o.sut;
  request.policies = config.policies;  // a simulated SUT follows the run's policies
  request.timeoutMs = static_cast<int>(o.sutTimeout * 1000);
  // A policy the SUT cannot follow would make every check of it a check of another reading: the
  // whole run is refused (a scenario pinning one is reported not applicable instead).
  if (auto why = policiesNotFollowed(request))
    return std::cerr << "bitsconf run: --policy: " << *why << "\n", kExitInput;
  ReplayContext replay;
  replay.program = thisProgram();
  replay.sutSpec = o.sut;
  replay.bitsVersion = o.bitsVersion;
  for (const auto& id : setByRun) replay.policies.push_back(id + "=" + policySetting(config.policies, id));
  const std::string foundDir =
      o.found.empty() ? (std::filesystem::absolute(o.out).parent_path() / "found").string() : o.found;
  if (!o.bitsVersion.empty()) {
    auto v = parseBitsVersion(o.bitsVersion);
    if (!v) return std::cerr << "bitsconf run: unknown BITS version '" << o.bitsVersion << "'\n", kExitInput;
    request.version = config.version = *v;
  }
  std::optional<Manifest> manifest;
  if (!o.manifest.empty()) {
    auto loaded = loadManifest(o.manifest);  // a bad manifest is an input error (exit 2)
    if (!loaded.ok()) return std::cerr << "bitsconf run: --manifest: " << loaded.message() << "\n", kExitInput;
    manifest = std::move(loaded).value();
    run.manifest = o.manifest;
  }
  run.strictManifest = o.strictManifest;
  for (const PolicyInfo& p : allPolicies())
    run.policies.push_back({std::string(p.id), std::string(p.name), std::string(p.assumption), std::string(p.alternative),
                            p.switchable, !p.switchable || isDefault(config.policies, p.id)});
  run.nonDefaultPolicies = describeNonDefault(config.policies);
  run.bitsVersion = std::string(toString(config.version));

  SutFactory factory = makeSutFactory(request);  // throws invalid_argument on an unknown spec: exit 2
  // Saved after every unit; what an interruption writes is the last of them, complete: false.
  std::mutex saving;
  Results saved = results;
  // Before the heartbeat's thread starts: threads inherit the signals the guard blocks.
  InterruptGuard interrupt([&](int sig) {  // the adapters are already killed and reaped
    std::lock_guard<std::mutex> guard(saving);  // a save in progress ends first
    if (saved.complete) return;                 // the run had ended: its results stand
    const std::string name = std::string("SIG") + sigabbrev_np(sig);
    saved.notes.push_back("interrupted by " + name + " after " + std::to_string(saved.scenarios.size()) +
                          " scenarios and " + std::to_string(saved.properties.size()) +
                          " property runs: the results stop there (complete: false)");
    if (Status written = writeResultsFile(saved, o.out); written.ok())
      std::cerr << "\nbitsconf run: interrupted by " << name << ": every adapter killed; wrote " << o.out
                << " (complete: false)\n";
    else
      std::cerr << "\nbitsconf run: interrupted by " << name << ": every adapter killed; " << written.message() << "\n";
  });
  const bool progressBar = o.progress && isatty(STDERR_FILENO);
  Heartbeat heartbeat(std::chrono::milliseconds(progressBar ? 0 : static_cast<long>(o.heartbeat * 1000)));
  heartbeat.working("starting the SUT (" + o.sut + ")");
  Capabilities sutCaps;  // known before any unit starts a SUT: inapplicable scenarios start none
  // False when the results file cannot be written: the run stops there (exit 2), as any input
  // or output problem does.
  auto save = [&] {
    std::lock_guard<std::mutex> guard(saving);
    computeRuleVerdicts(results, manifest ? &*manifest : nullptr);
    if (Status written = writeResultsFile(results, o.out); !written.ok())
      return std::cerr << "bitsconf run: " << written.message() << "\n", false;
    saved = results;
    return true;
  };
  try {
    std::unique_ptr<Sut> probe;
    for (int attempt = 0;; ++attempt) {  // the first start is retried like any unit (--retry-sut-failures)
      try {
        probe = factory();
        break;
      } catch (const SutFailure& e) {
        if (attempt >= o.retrySutFailures) throw;
        results.notes.push_back("retried: the SUT's first start ended '" + std::string(e.what()).substr(0, 200) +
                                "' on attempt " + std::to_string(attempt + 1));
      }
    }
    const Capabilities& caps = probe->capabilities();
    sutCaps = caps;
    run.sutName = caps.name;
    run.sutDescription = caps.description;
    run.capabilities = capabilityMap(caps);
    run.evidence = caps.evidence;
    // Without --bits-version the model emulates the version the SUT states (Wine's qmgr is 4.0).
    if (o.bitsVersion.empty()) config.version = caps.version;
    run.bitsVersion = std::string(toString(config.version));
  } catch (const SutFailure& e) {
    run.sutName = o.sut;
    results.notes.push_back(std::string("the SUT failed to start: ") + e.what());
    if (!save()) return kExitInput;
    std::cerr << "bitsconf run: the SUT failed to start: " << e.what() << "\n";
    return kExitSutFailure;
  }

  // The work, selected and sharded before anything runs so the progress bar knows the total.
  std::vector<Scenario> scenarios;
  size_t selectedUnits = 0;  // of the whole run: one shard may rightly have none of them
  if (!o.noScenarios) {
    std::vector<Error> diagnostics;
    std::vector<Scenario> loaded = loadScenarioTree(o.scenarios, diagnostics);
    if (loaded.empty() && diagnostics.empty())
      return std::cerr << "bitsconf run: --scenarios: no .scenario file under " << o.scenarios << "\n", kExitInput;
    for (auto& s : loaded) {
      std::string key = std::filesystem::relative(s.path, o.scenarios).generic_string();
      if (!selected(s.rules, run.ruleFilter, run.groupFilter)) continue;
      ++selectedUnits;
      if (shard.owns(key)) scenarios.push_back(std::move(s));
    }
    for (const auto& d : diagnostics) {
      std::cerr << toString(d) << "\n";
      results.inputErrors.push_back(toString(d));
    }
  }
  // A unit is a chunk of a property, at the run's version or (`version`) another one.
  struct PropertyUnit {
    std::string name, description;
    std::vector<Rule> rules;
    int chunk, cases;
    std::string property;                 // the property run (`name` adds "@<version>")
    std::optional<BitsVersion> version;
  };
  std::vector<PropertyUnit> units;
  // A simulated SUT's other versions, one per behaviour; a run pinned with --bits-version checks
  // that version only.
  std::vector<BitsVersion> otherVersions;
  if (simulated(o.sut) && o.bitsVersion.empty())
    for (BitsVersion v : kBehaviourVersions)
      if (!sameBehaviour(v, config.version)) otherVersions.push_back(v);
  if (!o.noProperties)
    for (const PropertyInfo& p : allProperties()) {
      if (!selected(p.rules, run.ruleFilter, run.groupFilter)) continue;
      auto chunks = chunkCases(o.cases);
      selectedUnits += chunks.size();
      for (int i = 0; i < static_cast<int>(chunks.size()); ++i)
        if (shard.owns(chunkKey(p.name, i)))
          units.push_back({p.name, p.description, p.rules, i, chunks[i], p.name, std::nullopt});
      if (!sweptOverVersions(p.name)) continue;
      for (BitsVersion v : otherVersions) {
        const std::string name = p.name + "@" + std::string(toString(v));
        for (int i = 0; i < static_cast<int>(chunks.size()); ++i)
          if (shard.owns(chunkKey(name, i)))
            units.push_back({name, p.description + " (at BITS " + std::string(toString(v)) + ")", p.rules, i, chunks[i],
                             p.name, v});
      }
    }

  // Transition coverage: the reachable set first (a second or so), then every sequence sent to
  // the SUT is replayed on the model through a recording factory.
  std::optional<RunCoverage> coverage;
  if (o.coverage) {
    ExplorerOptions eo;
    eo.bound = o.coverageBound;
    eo.config = config;
    coverage.emplace(eo);
  }
  auto counted = [&](const SutFactory& f, const ModelConfig& c) { return coverage ? coverage->recording(f, c) : f; };
  const bool wholeRun = o.shard.empty() || shard.index == 1;  // with shards, the first one runs it
  const bool mutants = o.mutants == "on" || (o.mutants == "auto" && o.sut == "mock" && wholeRun &&
                                             run.ruleFilter.empty() && run.groupFilter.empty());
  auto coveringSetIn = [&](bool whole) {
    return coverage && (o.coveringSet == "on" || (o.coveringSet == "auto" && simulated(o.sut) && whole &&
                                                  run.ruleFilter.empty() && run.groupFilter.empty()));
  };
  const bool coveringSet = coveringSetIn(wholeRun);
  if (selectedUnits == 0 && !coveringSetIn(true) && results.inputErrors.empty()) {
    std::cerr << "bitsconf run: nothing to run: no scenario and no property case is selected (--no-scenarios, "
                 "--no-properties, --cases, --rules, --groups, --shard); a run that checks nothing proves nothing\n";
    return kExitInput;
  }

  // --fail-fast: the first unit that fails or breaks ends the run (what a mutation run needs to
  // know, at a fraction of the cost); the rest is not run, which a note says.
  std::string stoppedAt;
  auto stopAfter = [&](const std::string& what, RunOutcome status) {
    if (!o.failFast || !isFailure(status)) return false;
    stoppedAt = what + " (" + std::string(toString(status)) + ")";
    return true;
  };
  Progress progress(scenarios.size() + units.size(), o.progress);
  heartbeat.setTotal(scenarios.size() + units.size());
  if (!save()) return kExitInput;
  for (const auto& file : scenarios) {
    heartbeat.working("scenario " + file.path);
    auto under = underRunPolicies(file, config.policies, setByRun);
    const Scenario& s = std::holds_alternative<Scenario>(under) ? std::get<Scenario>(under) : file;
    results.scenarios.push_back(withRetries<ScenarioOutcome>(o.retrySutFailures, "scenario " + s.path, results.notes, [&] {
      auto start = std::chrono::steady_clock::now();
      ScenarioResult r = std::holds_alternative<std::string>(under)
                             ? scenarioNotApplicable(s, std::get<std::string>(under))
                             : runScenarioWith(s, request, factory, counted, &sutCaps, simulated(o.sut));
      double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
      return scenarioOutcome(s, r, o.scenarios, replay, seconds);
    }));
    if (!save()) return kExitInput;
    progress.step(s.title);
    heartbeat.done();
    if (stopAfter("scenario " + s.path, results.scenarios.back().status)) break;
  }
  for (const auto& u : units) {
    if (!stoppedAt.empty()) break;
    PropertyOptions po;
    po.seed = chunkSeed(run.seed, u.chunk);
    po.cases = u.cases;
    po.quiet = true;
    po.shrinkBudgetSeconds = o.shrinkBudget >= 0 ? o.shrinkBudget : simulated(o.sut) ? 0 : kRealShrinkBudgetSeconds;
    po.foundDir = foundDir;
    ReplayContext unitReplay = replay;  // a unit at another version replays at that version
    if (u.version) unitReplay.bitsVersion = std::string(toString(*u.version));
    po.replayLine = [&](const std::string& reproduce) { return unitReplay.property(u.property, reproduce); };
    heartbeat.working("property " + u.name + " chunk " + std::to_string(u.chunk));
    results.properties.push_back(withRetries<PropertyOutcome>(
        o.retrySutFailures, "property " + u.name + " chunk " + std::to_string(u.chunk), results.notes, [&] {
          if (!u.version) {
            PropertyRun pr = runProperty(u.property, counted(factory, config), config, po);
            return propertyOutcome(pr, u.description, u.rules, u.chunk, replay);
          }
          SutRequest at = request;
          ModelConfig atConfig = config;
          at.version = atConfig.version = *u.version;
          PropertyRun pr = runProperty(u.property, counted(makeSutFactory(at), atConfig), atConfig, po);
          PropertyOutcome out = propertyOutcome(pr, u.description, u.rules, u.chunk, unitReplay);
          out.name = u.name;  // the replay line names the property, run at the unit's version
          return out;
        }));
    if (!save()) return kExitInput;
    progress.step(u.name);
    heartbeat.done();
    if (stopAfter("property " + u.name, results.properties.back().status)) break;
  }
  if (coveringSet && stoppedAt.empty()) {
    heartbeat.working("the covering set");
    results.properties.push_back(runCoveringSet(*coverage, counted(factory, config), config, replay, foundDir));
    if (!save()) return kExitInput;
  }
  if (coverage) {
    results.coverage = coverage->info();
    // The list of exercised transitions is detail: on request, or for merge (a shard).
    results.coverage.detail = o.coverageDetail || !o.shard.empty();
    if (!results.coverage.detail) results.coverage.exercised.clear();
    std::cerr << fmt::format("bitsconf run: transition coverage {:.1f}% ({}/{} reachable at bound {}, explored in "
                             "{:.2f}s), {} rules with gaps\n",
                             results.coverage.percent, results.coverage.covered, results.coverage.reachable,
                             results.coverage.bound, results.coverage.exploreSeconds, results.coverage.gaps.size());
    for (const auto& [path, total] : results.coverage.totalsByPath)
      std::cerr << fmt::format("bitsconf run: path {}: {}/{} reachable transitions exercised\n", path,
                               total - results.coverage.gapsByPath[path], total);
  }
  if (!stoppedAt.empty()) results.notes.push_back("--fail-fast: stopped at " + stoppedAt + "; the rest was not run");
  if (mutants && stoppedAt.empty()) {
    heartbeat.working("the mutation self-check");
    results.mutation = runMutationCheck(o);
    std::cerr << fmt::format("bitsconf run: mutation score {:.1f}% ({}/{} mutants killed), diagnosis {:.1f}% ({}/{} with "
                             "the rule each breaks failing) in {:.2f}s\n",
                             results.mutation.score, results.mutation.killed, results.mutation.total,
                             results.mutation.diagnosisScore, results.mutation.diagnosed, results.mutation.total,
                             results.mutation.seconds);
  }
  results.complete = true;
  if (!save()) return kExitInput;

  auto counts = results.verdictCounts();
  std::cerr << "bitsconf run: " << results.scenarios.size() << " scenarios, " << results.properties.size()
            << " property runs on " << run.sutName << "; rules: " << counts["pass"] << " pass, " << counts["fail"]
            << " fail, " << counts["expected-fail"] << " expected-fail, " << counts["blocked"] << " blocked, "
            << counts["not-applicable"] << " not-applicable, " << counts["not-exercised"] << " not-exercised, "
            << counts["not-checkable"] << " not-checkable";
  if (int n = results.unattributedFailures()) std::cerr << "; " << n << " unattributed divergences";
  std::cerr << "; wrote " << o.out << "\n";
  for (const auto& s : results.scenarios) printFailure(s);
  for (const auto& p : results.properties) {
    printFailure(p, p.name == "covering-set" ? "" : "; seed " + std::to_string(p.seed));
    if (isFailure(p.status) && !p.savedScenario.empty() && p.name != "covering-set")  // its replay runs the file
      std::cerr << "  saved: " << p.savedScenario << " (replay: " << replay.savedScenario(p.savedScenario) << ")\n";
  }
  for (const auto& n : results.notes) std::cerr << "note: " << n << "\n";
  const RunVerdict verdict = runVerdict(results);
  std::cerr << "bitsconf run: " << verdict.word << " (exit " << verdict.exitCode << "): " << verdict.meaning << "\n";
  return verdict.exitCode;
}

}  // namespace

void addRunCommand(CLI::App& app, Action& action) {
  auto o = std::make_shared<RunOptions_>();
  CLI::App* cmd = app.add_subcommand("run", "Run the scenarios and properties against a SUT and write a results file");
  cmd->add_option("--sut", o->sut, "the SUT (model, mock, mock:mutant=NAME, agent:COMMAND, wine)")->capture_default_str();
  cmd->add_option("--scenarios", o->scenarios, "the directory of .scenario files")->capture_default_str();
  cmd->add_flag("--no-scenarios", o->noScenarios, "run no scenarios");
  cmd->add_flag("--no-properties", o->noProperties, "run no properties");
  cmd->add_option("--seed", o->seed,
                  "the properties' seed: a number, or 'random' (drawn and recorded in the results); every chunk's "
                  "seed follows from it")
      ->capture_default_str();
  cmd->add_option("--cases", o->cases, "cases per property (in chunks of 100)")
      ->capture_default_str()->check(CLI::NonNegativeNumber);
  cmd->add_option("--rules", o->rules, "only work about these rule IDs, e.g. REG-3,CLSID-7");
  cmd->add_option("--groups", o->groups, "only work about these rule groups, e.g. REG,CLSID");
  cmd->add_option("--policy", o->policies,
                  "a model policy for the whole run, e.g. OQ-7b=alt (repeatable): properties, covering set and "
                  "scenarios (a scenario whose expect lines or policy: lines need another reading is not applicable: "
                  "policy not exercised); refused (exit 2) when the SUT cannot follow it");
  cmd->add_option("--bits-version", o->bitsVersion, "the BITS version the SUT emulates (default 10.3)");
  cmd->add_option("--manifest", o->manifest, "expected failures of this implementation (reports/expectations/*.json)");
  cmd->add_option("--retry-sut-failures", o->retrySutFailures,
                  "run a scenario/property chunk whose SUT crashed or hung again, at most N times (each attempt is noted)")
      ->capture_default_str()->check(CLI::NonNegativeNumber);
  cmd->add_option("--shrink-budget", o->shrinkBudget,
                  "seconds of shrinking per failing property chunk (0: unbounded; default: unbounded on a "
                  "simulated SUT, 60 on a real one)");
  cmd->add_option("--sut-timeout", o->sutTimeout,
                  "seconds an adapter has for its hello and for each step (default: 10 for agent:, 45-180 for wine); "
                  "raise it on a loaded machine rather than turn slow starts into time-outs");
  cmd->add_option("--heartbeat", o->heartbeat,
                  "seconds between one-line progress reports when no progress bar shows (CI, logs); 0: none")
      ->capture_default_str();
  cmd->add_flag("--strict-manifest", o->strictManifest, "exit 1 when a listed expected failure now passes");
  cmd->add_flag("--fail-fast", o->failFast,
                "stop at the first scenario or property that does not pass (the results say where; the rest is not run)");
  cmd->add_option("--out", o->out, "the results file (rewritten after every scenario/property)")->capture_default_str();
  cmd->add_option("--found", o->found,
                  "where each minimised property and covering-set counterexample is saved as a .scenario (default: "
                  "found/ beside --out)");
  cmd->add_option("--shard", o->shard, "run shard K of N (K/N) of the work; combine with `bitsconf merge`");
  cmd->add_flag("!--no-progress", o->progress, "no progress bar (it is shown on a terminal only)");
  cmd->add_flag("!--no-coverage", o->coverage, "do not measure transition coverage");
  cmd->add_flag("--coverage-detail", o->coverageDetail,
                "list every exercised transition in the results (13 MB on the default run; shards always do, "
                "for merge); without it coverage is counts per rule and the gaps");
  cmd->add_option("--coverage-bound", o->coverageBound, "explorer bound of the reachable set for coverage")
      ->capture_default_str()->check(CLI::Range(1, 6));
  cmd->add_option("--covering-set", o->coveringSet,
                  "also run the explorer's covering set (every reachable transition at the coverage bound): on, off, "
                  "or auto (on for a whole, unfiltered run on a simulated SUT: mock, mock:mutant=NAME, model)")
      ->capture_default_str()->check(CLI::IsMember({"auto", "on", "off"}));
  cmd->add_option("--mutants", o->mutants,
                  "run the mutation self-check and put the score in the results: on, off, or auto (on for a whole, "
                  "unfiltered run on the mock)")
      ->capture_default_str()->check(CLI::IsMember({"auto", "on", "off"}));
  cmd->callback([&action, o] { action = [o] { return runCommand(*o); }; });
}

}  // namespace bc
