// bitsconf_mutants.cc: `bitsconf mutants`, the suite's strength against each mutant of the mock
// (strength/mutation.h): killed or survived, diagnosed or not, time to kill, counterexample length.
#include <iostream>

#include <fmt/core.h>

#include "strength/mutation.h"
#include "sut/mutants/mutant.h"
#include "tools/bitsconf.h"
#include "tools/bitsconf_outcome.h"
#include "vocab/command_text.h"

#ifndef BITSCONFORM_SCENARIOS_DIR
#define BITSCONFORM_SCENARIOS_DIR "scenarios"
#endif

namespace bc {

namespace {

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
    if (Status s = updateResults(o.results, [&](Results& res) { res.mutation = mutationInfo(r, "bitsconf mutants"); }); !s.ok())
      return std::cerr << "bitsconf mutants: " << s.message() << "\n", kExitInput;
  for (const std::string& s : r.survivors())
    std::cerr << "bitsconf mutants: " << s << " survived: no check of the suite tells it from BITS\n";
  for (const MutantResult& m : r.mutants)
    if (m.killed && !m.diagnosed)
      std::cerr << "bitsconf mutants: " << m.name << " killed but not diagnosed: no failing check blamed the rule it breaks\n";
  return r.survivors().empty() && r.undiagnosed().empty() ? kExitOk : kExitFailures;
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

}  // namespace bc
