// bitsconf: run the conformance suite, render and compare its results, replay failures.
#include "tools/bitsconf.h"

#include <iostream>
#include <optional>

#include "tools/bitsconf_signals.h"

int main(int argc, char** argv) {
  CLI::App app{"bitsconf: conformance of BITS notification behaviour (callbacks, CLSIDs, command lines)"};
  app.require_subcommand(1);
  bc::Action action;
  bc::addRunCommand(app, action);
  bc::addMergeCommand(app, action);
  bc::addReportCommand(app, action);
  bc::addDiffCommand(app, action);
  bc::addReplayCommand(app, action);
  bc::addRulesCommand(app, action);
  bc::addMutantsCommand(app, action);
  bc::addExploreCommand(app, action);
  bc::addAdapterCheckCommand(app, action);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int code = app.exit(e);
    return code == 0 ? bc::kExitOk : bc::kExitInput;  // --help is success, a usage error is 2
  }
  // Any subcommand may start an adapter (replay, explore --sut): on SIGINT, SIGTERM or SIGHUP
  // it is killed before bitsconf exits. `run` has its own guard, which also writes its results.
  std::optional<bc::InterruptGuard> interrupt;
  if (!app.got_subcommand("run")) interrupt.emplace([](int) {});
  try {
    return action ? action() : bc::kExitInput;
  } catch (const std::exception& e) {
    std::cerr << "bitsconf: " << e.what() << "\n";
    return bc::kExitInput;
  }
}
