// bitsconf_explore.cc: `bitsconf explore`, the exhaustive bounded exploration of the model, its
// covering set, and random testing's coverage beside it (strength/explorer.h).
#include <algorithm>
#include <chrono>
#include <iostream>

#include <fmt/core.h>

#include "oracle/runner.h"
#include "strength/coverage_run.h"
#include "strength/explorer.h"
#include "sut/registry/sut_registry.h"
#include "tools/bitsconf.h"
#include "tools/bitsconf_outcome.h"

namespace bc {

namespace {

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
    if (Status s = updateResults(o.results, [&](Results& res) { res.coverage = info; }); !s.ok())
      return std::cerr << "bitsconf explore: " << s.message() << "\n", kExitInput;
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

  SutFactory factory = makeSutFactory(SutRequest{o.sut});
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
