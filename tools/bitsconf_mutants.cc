// bitsconf mutants / bitsconf explore: the suite's strength (mutation score) and the exhaustive
// bounded exploration of the model with its covering set (strength/mutation.h, explorer.h).
#include <chrono>
#include <filesystem>
#include <iostream>

#include <fmt/core.h>

#include "strength/coverage_run.h"
#include "strength/explorer.h"
#include "results/results.h"
#include "strength/mutation.h"
#include "tools/bitsconf_outcome.h"
#include "oracle/runner.h"
#include "sut/registry/sut_registry.h"
#include "sut/mock/mock_sut.h"
#include "sut/mutants/mutant.h"
#include "tools/bitsconf.h"
#include "vocab/command_text.h"

#ifndef BITSCONFORM_SCENARIOS_DIR
#define BITSCONFORM_SCENARIOS_DIR "scenarios"
#endif

namespace bc {

namespace {

// Puts the suite-strength figures into a results file (creating it if missing), leaving the rest.
void updateResults(const std::string& path, const std::function<void(Results&)>& set) {
  Results r;
  if (std::filesystem::exists(path)) {
    r = readResultsFile(path);
  } else {
    r.run.toolVersion = toolVersion();
    r.run.gitCommit = toolGitCommit();
    r.run.timestamp = utcTimestamp();
    r.run.sutName = "mock";
    r.run.sutSpec = "mock";
    computeRuleVerdicts(r, nullptr);
  }
  set(r);
  writeResultsFile(r, path);
}

struct MutantsOptions {
  std::vector<std::string> mutants;
  double budget = 20;
  int bound = 4;
  int cases = 300;
  uint64_t seed = 1;
  std::string scenarios = BITSCONFORM_SCENARIOS_DIR;
  bool verbose = false;
  bool everyCheck = false;
  std::vector<std::string> checks;
  std::string results;
};

int mutantsCommand(const MutantsOptions& o) {
  MutationOptions mo;
  mo.mutants = o.mutants;
  mo.budgetSeconds = o.budget;
  mo.bound = o.bound;
  mo.cases = o.cases;
  mo.seed = o.seed;
  mo.scenariosDir = o.scenarios;
  mo.everyCheck = o.everyCheck;
  mo.checks = o.checks;
  MutationReport r = runMutants(mo);
  std::cout << formatMutationReport(r);
  if (o.everyCheck) std::cout << "\n" << formatCheckMatrix(r);
  if (o.verbose)
    for (const MutantResult& m : r.mutants) {
      if (!m.killed) continue;
      std::cout << "\n" << m.name << " (" << m.description << "): " << m.counterexample.size() << " commands"
                << (m.minimalBecause.empty() ? "" : ", minimal in this world: " + m.minimalBecause) << "\n";
      for (const Command& c : m.counterexample) std::cout << "  " << formatCommand(c) << "\n";
    }
  if (!o.results.empty())
    updateResults(o.results, [&](Results& res) { res.mutation = mutationInfo(r, "bitsconf mutants"); });
  for (const std::string& s : r.survivors())
    std::cerr << "bitsconf mutants: " << s << " survived: no check of the suite tells it from BITS\n";
  for (const MutantResult& m : r.mutants)
    if (m.killed && !m.diagnosed)
      std::cerr << "bitsconf mutants: " << m.name << " killed but not diagnosed: no failing check blamed the rule it breaks\n";
  return r.survivors().empty() && r.undiagnosed().empty() ? kExitOk : kExitFailures;
}

// The registry's SUT, or the mock built here while the registry does not know "mock" yet.
SutFactory sutFor(const std::string& spec) {
  try {
    return makeSutFactory(SutRequest{spec});
  } catch (const std::invalid_argument&) {
    const std::string prefix = "mock:mutant=";
    if (spec != "mock" && spec.rfind(prefix, 0) != 0) throw;
    mock::MockOptions options;
    if (spec != "mock") {
      auto m = mock::parseMutant(spec.substr(prefix.size()));
      if (!m) throw std::invalid_argument("unknown mutant in '" + spec + "'");
      mock::applyMutant(options, *m);
    }
    return [options] { return std::make_unique<mock::MockSut>(options); };
  }
}

struct ExploreOptions {
  int bound = 6;
  int jobs = 2;
  std::string sut;
  size_t randomCommands = 0;  // 0: as many as the covering set has
  uint64_t seed = 1;
  std::string results;
};

int exploreCommand(const ExploreOptions& o) {
  ExplorerOptions eo;
  eo.bound = o.bound;
  eo.jobs = o.jobs;
  ExplorerResult r = explore(eo);
  std::cout << fmt::format("explored bound {} ({} jobs, {} commands in the alphabet): {} states, {} transitions, "
                           "{} model steps in {:.2f}s ({:.0f} states/s){}\n",
                           r.bound, o.jobs, explorerAlphabet(o.jobs).size(), r.states, r.reachable->size(), r.steps,
                           r.seconds, r.states / std::max(r.seconds, 1e-9), r.truncated ? " TRUNCATED" : "");
  std::cout << "  new states by depth:";
  for (size_t n : r.statesByDepth) std::cout << " " << n;
  std::cout << "\n";
  CoveringSet cover = coverTransitions(r, eo);
  std::cout << fmt::format("covering set: {} sequences, {} commands, {}/{} transitions ({:.1f}%), built and checked in "
                           "{:.2f}s\n",
                           cover.sequences.size(), cover.commands, cover.covered, cover.reachable,
                           100.0 * cover.covered / std::max<size_t>(cover.reachable, 1), cover.seconds);
  if (!o.results.empty()) {
    CoverageTracker tracker(r.reachable);
    for (const auto& seq : cover.sequences) tracker.observeSequence(seq, eo.config);
    CoverageInfo info =
        coverageInfo(tracker, r, fmt::format("explorer covering set, bound {}, {} jobs", o.bound, o.jobs));
    updateResults(o.results, [&](Results& res) { res.coverage = info; });
  }
  size_t budget = o.randomCommands ? o.randomCommands : cover.commands;
  RandomCoverage rnd = randomCoverage(r, eo, budget, o.seed);
  auto at = [](size_t n) { return n ? fmt::format("{}", n) : std::string("never"); };
  std::cout << fmt::format("random property testing (seed {}): {} commands in {} sequences covered {}/{} ({:.1f}%) in "
                           "{:.2f}s; commands to 50%: {}, to 90%: {}, to 100%: {}\n",
                           o.seed, rnd.commands, rnd.sequences, rnd.covered, rnd.reachable,
                           100.0 * rnd.covered / std::max<size_t>(rnd.reachable, 1), rnd.seconds, at(rnd.commandsToHalf),
                           at(rnd.commandsTo90), at(rnd.commandsToAll));
  std::cout << fmt::format("to 100% transition coverage: covering set {} commands, random {}\n", cover.commands,
                           rnd.commandsToAll ? fmt::format("{} commands", rnd.commandsToAll)
                                             : fmt::format("not reached in {} commands ({:.1f}%)", rnd.commands,
                                                           100.0 * rnd.covered / std::max<size_t>(rnd.reachable, 1)));
  if (o.sut.empty()) return cover.complete() ? kExitOk : kExitFailures;

  SutFactory factory = sutFor(o.sut);
  auto start = std::chrono::steady_clock::now();
  size_t failed = 0;
  for (const auto& seq : cover.sequences) {
    auto sut = factory();
    Verdict v = runSequence(seq, eo.config, *sut);
    if (v.passed()) continue;
    if (++failed <= 3) std::cout << describe(v, seq) << "\n";
  }
  double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::cout << fmt::format("covering set on '{}': {} of {} sequences passed, {} commands in {:.2f}s ({:.0f} commands/s)\n",
                           o.sut, cover.sequences.size() - failed, cover.sequences.size(), cover.commands, secs,
                           cover.commands / std::max(secs, 1e-9));
  return failed == 0 && cover.complete() ? kExitOk : kExitFailures;
}

}  // namespace

void addMutantsCommand(CLI::App& app, Action& action) {
  auto o = std::make_shared<MutantsOptions>();
  CLI::App* cmd = app.add_subcommand("mutants", "Run the suite against each mutant of the mock: killed or survived, "
                                                "time to kill, counterexample length, mutation score");
  cmd->add_option("--mutant", o->mutants, "only this mutant (repeatable); default: every one")
      ->check(CLI::IsMember(mutantNameList()));
  cmd->add_option("--budget-seconds", o->budget, "time per mutant before it counts as survived")
      ->capture_default_str()->check(CLI::NonNegativeNumber);
  cmd->add_option("--bound", o->bound, "explorer bound of the covering-set check (0: skip)")
      ->capture_default_str()->check(CLI::Range(0, 12));
  cmd->add_option("--cases", o->cases, "RapidCheck cases per property")->capture_default_str()->check(CLI::NonNegativeNumber);
  cmd->add_option("--seed", o->seed, "the properties' seed")->capture_default_str()->check(digitsOnly());
  cmd->add_option("--scenarios", o->scenarios, "the scenario library")->capture_default_str();
  cmd->add_flag("--verbose,-v", o->verbose, "print each shrunk counterexample");
  cmd->add_option("--results", o->results, "also write the mutation score into this results file (created if missing)");
  cmd->add_option("--check", o->checks, "only this kind of check (repeatable)")->check(CLI::IsMember(kCheckKinds));
  cmd->add_flag("--every-check", o->everyCheck, "run every kind of check on every mutant: what each kills alone");
  cmd->callback([&action, o] { action = [o] { return mutantsCommand(*o); }; });
}

void addExploreCommand(CLI::App& app, Action& action) {
  auto o = std::make_shared<ExploreOptions>();
  CLI::App* cmd = app.add_subcommand("explore", "Explore the model exhaustively up to a bound; print states, transitions, "
                                                "the covering set, and random testing's coverage beside it");
  cmd->add_option("--bound", o->bound, "depth bound k")->capture_default_str()->check(CLI::Range(1, 12));
  cmd->add_option("--jobs", o->jobs, "jobs in the universe (1 or 2)")->capture_default_str()->check(CLI::Range(1, 2));
  cmd->add_option("--sut", o->sut, "also run the covering set against this SUT (e.g. mock)");
  cmd->add_option("--random-commands", o->randomCommands, "random commands to compare with (default: the covering set's)")
      ->check(CLI::NonNegativeNumber);
  cmd->add_option("--seed", o->seed, "random testing's seed")->capture_default_str()->check(digitsOnly());
  cmd->add_option("--results", o->results, "also write the covering set's transition coverage into this results file");
  cmd->callback([&action, o] { action = [o] { return exploreCommand(*o); }; });
}

}  // namespace bc
