// bitsconf.h: the subcommands of the bitsconf command, one file each (bitsconf_<name>.cc).
//
// Each addX registers its subcommand on `app` and, when chosen, sets `action` to the function
// that runs it and returns the process exit code (kExit*). Exit codes are documented in
// reports/README.md.
#pragma once

#include <functional>

#include <CLI/CLI.hpp>

namespace bc {

inline constexpr int kExitOk = 0;
inline constexpr int kExitFailures = 1;    // conformance failures or regressions
inline constexpr int kExitInput = 2;       // usage or input errors
inline constexpr int kExitSutFailure = 3;  // the SUT crashed, hung or spoke garbage

using Action = std::function<int()>;

// For unsigned options (seeds): CLI11 would read "-1" as 2^64-1; only digits are a number here.
inline CLI::Validator digitsOnly() {
  return CLI::Validator(
      [](std::string& s) {
        bool ok = !s.empty() && s.find_first_not_of("0123456789") == std::string::npos;
        return ok ? std::string() : "'" + s + "' is not a non-negative integer";
      },
      "UINT");
}

void addRunCommand(CLI::App& app, Action& action);
void addMergeCommand(CLI::App& app, Action& action);
void addReportCommand(CLI::App& app, Action& action);
void addDiffCommand(CLI::App& app, Action& action);
void addReplayCommand(CLI::App& app, Action& action);
void addRulesCommand(CLI::App& app, Action& action);
// bitsconf_mutants.cc: the suite's strength (mutation self-check).
void addMutantsCommand(CLI::App& app, Action& action);
// bitsconf_explore.cc: the exhaustive explorer and its covering set.
void addExploreCommand(CLI::App& app, Action& action);
// bitsconf_adapter_check.cc: an adapter's protocol handling, and what to fix.
void addAdapterCheckCommand(CLI::App& app, Action& action);

}  // namespace bc
