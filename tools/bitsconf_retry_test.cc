// bitsconf run --retry-sut-failures: a unit whose SUT could not go on is run again on a fresh
// SUT, and every earlier attempt stays in the results as a note.
#include <sys/wait.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include <catch2/catch.hpp>

#include "results/results.h"

namespace fs = std::filesystem;

namespace {
fs::path scratchDir() {
  fs::path d = fs::temp_directory_path() / ("bitsconf-retry-test-" + std::to_string(getpid()));
  fs::remove_all(d);
  fs::create_directories(d / "scenarios");
  return d;
}

int run(const std::string& args, const fs::path& d) {
  std::string cmd = std::string(BITSCONF_BINARY) + " " + args + " >" + (d / "out").string() + " 2>" + (d / "err").string();
  int status = std::system(cmd.c_str());
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

// An adapter that is the mock agent (without reset: a process per case), except that its start
// number `failing` (1: the run's capability probe; 2: the first scenario's SUT) fails: exits
// before its hello (probe) or at the first step: rare failures of the kind Wine sometimes shows.
fs::path flakyAdapter(const fs::path& d, int failing = 2) {
  fs::path script = d / "flaky.sh";
  const std::string starts = (d / "starts").string();
  std::ofstream(script) << "#!/bin/sh\necho x >> '" << starts << "'\nif [ \"$(wc -l < '" << starts << "')\" -eq "
                        << failing << " ]; then exec '" << FAULT_ADAPTER_BINARY << "' "
                        << (failing == 1 ? "nohello" : "exit 1") << "; fi\nexec '" << MOCK_AGENT_BINARY << "' --no-reset\n";
  fs::permissions(script, fs::perms::owner_all);
  return script;
}
// One scenario in `d`, and the `bitsconf run` arguments that run it on flakyAdapter(d, failing).
std::string runOnFlakyAdapter(const fs::path& d, int failing) {
  std::ofstream(d / "scenarios/flags.scenario")
      << "scenario: Create and read the flags\nrules: FLAG-9\n\nA1 CreateJob J1\nA1 GetNotifyFlags J1\n"
         "  expect -> S_OK flags=0x03\n";
  return "run --no-properties --no-progress --mutants off --scenarios " + (d / "scenarios").string() + " --sut 'agent:" +
         flakyAdapter(d, failing).string() + "' --out " + (d / "r.json").string();
}
}  // namespace

TEST_CASE("bitsconf run --retry-sut-failures runs a crashed scenario again and notes the attempt", "[cli]") {
  fs::path d = scratchDir();
  const std::string common = runOnFlakyAdapter(d, 2);

  // Without retries the first start's failure is the verdict (exit 3), as before.
  CHECK(run(common, d) == 3);
  CHECK(bc::readResultsFile((d / "r.json").string()).value().scenarios.at(0).status == bc::RunOutcome::Crashed);

  fs::remove(d / "starts");
  CHECK(run(common + " --retry-sut-failures 1", d) == 0);
  bc::Results r = bc::readResultsFile((d / "r.json").string()).value();
  CHECK(r.scenarios.at(0).status == bc::RunOutcome::Pass);
  CHECK(r.rule("FLAG-9")->verdict == bc::RuleVerdict::Pass);
  REQUIRE(r.notes.size() == 1);
  CHECK(r.notes[0].rfind("retried: scenario ", 0) == 0);
  CHECK(r.notes[0].find("crashed") != std::string::npos);
  CHECK(r.notes[0].find("attempt 2 ended 'pass'") != std::string::npos);
  fs::remove_all(d);
}

TEST_CASE("bitsconf run --retry-sut-failures also retries the SUT's first start (the capability probe)", "[cli]") {
  fs::path d = scratchDir();
  const std::string common = runOnFlakyAdapter(d, 1);
  CHECK(run(common, d) == 3);  // without retries: the SUT failed to start
  fs::remove(d / "starts");
  CHECK(run(common + " --retry-sut-failures 1", d) == 0);
  bc::Results r = bc::readResultsFile((d / "r.json").string()).value();
  CHECK(r.scenarios.at(0).status == bc::RunOutcome::Pass);
  REQUIRE(r.notes.size() == 1);
  CHECK(r.notes[0].rfind("retried: the SUT's first start ended '", 0) == 0);
  fs::remove_all(d);
}
