// bitsconf_diff.cc: `bitsconf diff`, a baseline results file against the current one, check by check.
#include <iostream>

#include "reports/diff.h"
#include "results/results.h"
#include "tools/bitsconf.h"

namespace bc {

namespace {

int diffCommand(const std::string& baseline, const std::string& current, bool asJson) {
  auto base = readResultsFile(baseline);
  if (!base.ok()) return std::cerr << "bitsconf diff: " << base.message() << "\n", kExitInput;
  auto cur = readResultsFile(current);
  if (!cur.ok()) return std::cerr << "bitsconf diff: " << cur.message() << "\n", kExitInput;
  ResultsDiff d = diffResults(*base, *cur);
  if (asJson) std::cout << diffToJson(d).dump(2) << "\n";
  else std::cout << formatDiff(d);
  return d.exitCode();
}

}  // namespace

void addDiffCommand(CLI::App& app, Action& action) {
  struct Opts { std::string baseline, current; bool json = false; };
  auto o = std::make_shared<Opts>();
  CLI::App* cmd = app.add_subcommand(
      "diff", "Compare a baseline results file with the current one, check by check; exit 1 on any new failing check");
  cmd->add_option("baseline", o->baseline, "the baseline results file")->required()->check(CLI::ExistingFile);
  cmd->add_option("current", o->current, "the current results file")->required()->check(CLI::ExistingFile);
  cmd->add_flag("--json", o->json, "print the diff as JSON (schema bitsconform-diff/1, results/SCHEMA.md)");
  cmd->callback([&action, o] { action = [o] { return diffCommand(o->baseline, o->current, o->json); }; });
}

}  // namespace bc
