// The scenario parser: every kind of error with its exact "file:line:column: message", the
// fields a good file yields, and the format round-trip.
#include "scenarios/scenario.h"

#include <sys/wait.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <unistd.h>

#include "vocab/command_text.h"

using namespace bc;

namespace {

Scenario parsed(std::string_view text) {
  auto r = parseScenario(text, "t.scenario");
  if (!r.ok()) FAIL(r.message());
  return *r;
}

// All diagnostics of a bad file, one per line.
std::string errors(std::string_view text) {
  auto r = parseScenario(text, "t.scenario");
  REQUIRE_FALSE(r.ok());
  return r.message();
}

const char* kHeader = "scenario: t\nrules: REG-8\n";

}  // namespace

TEST_CASE("a scenario file yields its header, steps and expect lines", "[scenario-format][REG-8][CB-14]") {
  Scenario s = parsed(
      "# Late registration\n"
      "scenario: Late registration still delivers JobTransferred\n"
      "rules: REG-8 CB-14\n"
      "version: 10.1\n"
      "policy: OQ-7b=alt\n"
      "origin: property precedence seed=12345\n"
      "\n"
      "A1 CreateJob J1\n"
      "A1 AddFile J1\n"
      "   # a comment between steps\n"
      "Transfer J1\n"
      "A1 SetNotifyInterface J1 o2\n"
      "  expect -> S_OK\n"
      "  expect callback A1#1.o2 JobTransferred J1 -> S_OK\n");
  CHECK(s.path == "t.scenario");
  CHECK(s.title == "Late registration still delivers JobTransferred");
  CHECK(s.rules == std::vector<Rule>{Rule::REG_8, Rule::CB_14});
  CHECK(s.config.version == BitsVersion::V10_1);
  CHECK_FALSE(s.config.policies.jobEventOnlySOk);
  CHECK(s.origin == "property precedence seed=12345");
  REQUIRE(s.steps.size() == 4);
  CHECK(s.steps[0].line == 8);
  CHECK(s.steps[2].line == 11);
  CHECK(s.steps[2].expect.empty());
  CHECK(formatCommand(s.steps[3].command) == "A1 SetNotifyInterface J1 o2");
  REQUIRE(s.steps[3].expect.size() == 2);
  CHECK(s.steps[3].expectLines == std::vector<int>{13, 14});
  CHECK(s.steps[3].expect[0] == Observation::ret(hr::S_OK));
  CHECK(s.steps[3].expect[1] == Observation::callback(Receiver::appObject(1, 1, 2), Method::JobTransferred, 1, 0,
                                                      Outcome::Returned, hr::S_OK));
  CHECK(s.commands().size() == 4);
  CHECK(s.commands()[2].kind == CmdKind::Transfer);
}

TEST_CASE("defaults: version 10.3, default policies, no origin", "[scenario-format]") {
  Scenario s = parsed(std::string(kHeader) + "A1 CreateJob J1\n");
  CHECK(s.config == ModelConfig{});
  CHECK(s.origin.empty());
  CHECK(s.steps.size() == 1);
}

TEST_CASE("formatScenario round-trips", "[scenario-format]") {
  Scenario s = parsed(
      "scenario: Round trip\nrules: CLSID-8 DISP-3\nversion: 5.0\npolicy: OQ-6=250\npolicy: OQ-13=alt\n"
      "origin: property precedence seed=7\n"
      "A1 CreateJob J1\n  expect -> S_OK\nRegisterServer ClsidA failonce\nTick 10min\n"
      "A1 GetNotifyFlags J1\n  expect -> S_OK flags=0x03\n");
  std::string text = formatScenario(s);
  Scenario again = parsed(text);
  again.path = s.path;
  CHECK(formatScenario(again) == text);
  CHECK(again.title == s.title);
  CHECK(again.rules == s.rules);
  CHECK(again.config == s.config);
  CHECK(again.config.policies.modIntervalMs == 250);
  CHECK(again.origin == s.origin);
  REQUIRE(again.steps.size() == s.steps.size());
  for (size_t i = 0; i < s.steps.size(); ++i) {
    CHECK(again.steps[i].command == s.steps[i].command);
    CHECK(again.steps[i].expect == s.steps[i].expect);
  }
}

TEST_CASE("error: a bad step names the column of the bad word", "[scenario-format]") {
  CHECK(errors(std::string(kHeader) + "A1 SetNotifyFlag J1 0x03\n") ==
        "t.scenario:3:4: unknown app command 'SetNotifyFlag'");
  CHECK(errors(std::string(kHeader) + "A1 SetNotifyFlags J1 zz\n") ==
        "t.scenario:3:22: bad flags 'zz' (expected a number such as 0x0B)");
  CHECK(errors(std::string(kHeader) + "Tick 10 s\n") ==
        "t.scenario:3:6: bad duration '10' (expected e.g. 500ms, 600s, 10min, 2h, 14d)");
}

TEST_CASE("error: a bad expect line names the column within the line", "[scenario-format]") {
  CHECK(errors(std::string(kHeader) + "A1 CreateJob J1\n  expect -> S_NOPE\n") ==
        "t.scenario:4:13: unknown HRESULT 'S_NOPE'");
  CHECK(errors(std::string(kHeader) + "A1 CreateJob J1\n\texpect   callback A1#1.o9 JobTransferred J1 -> S_OK\n")
            .rfind("t.scenario:4:20: ", 0) == 0);
  CHECK(errors(std::string(kHeader) + "A1 CreateJob J1\n  expect\n") ==
        "t.scenario:4:9: empty expect line (expected an observation, e.g. '-> S_OK')");
}

TEST_CASE("error: an expect line before any step", "[scenario-format]") {
  CHECK(errors(std::string(kHeader) + "  expect -> S_OK\nA1 CreateJob J1\n") ==
        "t.scenario:3:3: expect line before any step (an expect line belongs to the step above it)");
}

TEST_CASE("error: an unknown header key", "[scenario-format]") {
  CHECK(errors(std::string(kHeader) + "versoin: 5.0\nA1 CreateJob J1\n") ==
        "t.scenario:3:1: unknown header key 'versoin' (expected scenario, rules, version, policy or origin)");
}

TEST_CASE("error: an unknown rule ID, each one", "[scenario-format]") {
  CHECK(errors("scenario: t\nrules: REG-8 REG-99 cb-1\nA1 CreateJob J1\n") ==
        "t.scenario:2:14: unknown rule ID 'REG-99'\nt.scenario:2:21: unknown rule ID 'cb-1'");
  CHECK(errors("scenario: t\nrules:\nA1 CreateJob J1\n") ==
        "t.scenario:2:7: 'rules:' needs at least one rule ID (e.g. REG-8)");
}

TEST_CASE("error: a bad version", "[scenario-format]") {
  CHECK(errors(std::string(kHeader) + "version: 9.9\nA1 CreateJob J1\n") ==
        "t.scenario:3:10: bad version '9.9' (expected one of 1.0, 1.2, 1.5, 2.0, 2.5, 3.0, 4.0, 5.0, 10.0, 10.1, "
        "10.2, 10.3)");
}

TEST_CASE("error: a bad policy", "[scenario-format]") {
  CHECK(errors(std::string(kHeader) + "policy: OQ-99=alt\nA1 CreateJob J1\n") ==
        "t.scenario:3:9: unknown policy 'OQ-99'");
  CHECK(errors(std::string(kHeader) + "policy: OQ-7b=maybe\nA1 CreateJob J1\n") ==
        "t.scenario:3:9: policy OQ-7b takes default/alt (or on/off), not 'maybe'");
  CHECK(errors(std::string(kHeader) + "policy: OQ-22=alt\nA1 CreateJob J1\n") ==
        "t.scenario:3:9: policy OQ-22 is a fixed assumption, not switchable");
  CHECK(errors(std::string(kHeader) + "policy: OQ-7b\nA1 CreateJob J1\n") ==
        "t.scenario:3:9: bad policy 'OQ-7b' (expected KEY=VALUE, e.g. OQ-7b=alt)");
}

TEST_CASE("error: a missing title or rules line", "[scenario-format]") {
  CHECK(errors("rules: REG-8\nA1 CreateJob J1\n") ==
        "t.scenario:1:1: missing 'scenario:' line (every scenario needs a title)");
  CHECK(errors("scenario: t\nA1 CreateJob J1\n") ==
        "t.scenario:1:1: missing 'rules:' line (the rule IDs the scenario covers, e.g. 'rules: REG-8')");
  CHECK(errors("scenario:   \nrules: REG-8\nA1 CreateJob J1\n") == "t.scenario:1:10: empty title after 'scenario:'");
}

TEST_CASE("error: duplicate headers, headers after steps, stray indentation, no steps", "[scenario-format]") {
  CHECK(errors(std::string(kHeader) + "scenario: again\nA1 CreateJob J1\n") ==
        "t.scenario:3:1: duplicate 'scenario:' line");
  CHECK(errors(std::string(kHeader) + "A1 CreateJob J1\nversion: 5.0\n") ==
        "t.scenario:4:1: header line 'version:' after the first step (headers come first)");
  CHECK(errors(std::string(kHeader) + "A1 CreateJob J1\n  A1 AddFile J1\n") ==
        "t.scenario:4:3: an indented line must be an 'expect' line");
  CHECK(errors(std::string(kHeader) + "# nothing\n") == "t.scenario:1:1: the scenario has no steps");
}

TEST_CASE("every error of a file is reported, in line order", "[scenario-format]") {
  CHECK(errors("scenario: t\nrules: NOPE-1\nversion: x\nA1 Frob J1\n  expect -> S_OK\nA1 CreateJob J0\n") ==
        "t.scenario:2:8: unknown rule ID 'NOPE-1'\n"
        "t.scenario:3:10: bad version 'x' (expected one of 1.0, 1.2, 1.5, 2.0, 2.5, 3.0, 4.0, 5.0, 10.0, 10.1, "
        "10.2, 10.3)\n"
        "t.scenario:4:4: unknown app command 'Frob'\n"
        "t.scenario:6:14: bad job 'J0' (expected J1, J2, ...)");
}

TEST_CASE("loadScenarioTree loads good files sorted and reports bad ones", "[scenario-format]") {
  namespace fs = std::filesystem;
  fs::path dir = fs::temp_directory_path() / ("bc-scenario-tree-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir / "b");
  auto write = [&](const fs::path& p, const std::string& text) { std::ofstream(p) << text; };
  write(dir / "b" / "two.scenario", std::string(kHeader) + "A1 CreateJob J1\n");
  write(dir / "a.scenario", std::string(kHeader) + "A1 CreateJob J1\nA1 AddFile J1\n");
  write(dir / "bad.scenario", std::string(kHeader) + "A1 Frob J1\n");
  write(dir / "ignored.txt", "not a scenario");
  std::vector<Error> diags;
  auto all = loadScenarioTree(dir.string(), diags);
  REQUIRE(all.size() == 2);
  CHECK(all[0].path == (dir / "a.scenario").string());
  CHECK(all[1].path == (dir / "b" / "two.scenario").string());
  REQUIRE(diags.size() == 1);
  CHECK(toString(diags[0]) == (dir / "bad.scenario").string() + ":3:4: unknown app command 'Frob'");
  auto cov = coverageByRule(all);
  CHECK(cov[Rule::REG_8] == std::vector<std::string>{all[0].path, all[1].path});
  CHECK(cov.count(Rule::REG_1) == 0);
  fs::remove_all(dir);
  std::vector<Error> none;
  CHECK(loadScenarioTree((dir / "missing").string(), none).empty());
  CHECK(none.empty());
}

TEST_CASE("text that is not UTF-8 is kept as valid UTF-8: titles, origins and diagnostics", "[scenario-format]") {
  // A Latin-1 file: the title and origin keep their readable part, each bad byte is U+FFFD.
  Scenario s = parsed("scenario: Caf\xE9 cr\xE8me\nrules: REG-8\norigin: \xFF\xFE" "by hand\n\nA1 CreateJob J1\n");
  CHECK(s.title == "Caf\xEF\xBF\xBD cr\xEF\xBF\xBDme");
  CHECK(s.origin == "\xEF\xBF\xBD\xEF\xBF\xBD" "by hand");
  // A diagnostic that quotes the bad bytes, in a file whose name is not UTF-8 either.
  auto r = parseScenario(std::string(kHeader) + "A1 CreateJob J\xE9\n", "caf\xE9.scenario");
  REQUIRE_FALSE(r.ok());
  const auto& diags = r.errors();
  REQUIRE(diags.size() == 1);
  CHECK(toString(diags[0]) == "caf\xEF\xBF\xBD.scenario:3:14: bad job 'J\xEF\xBF\xBD' (expected J1, J2, ...)");
  CHECK(diags[0].where == "caf\xE9.scenario");  // the real name, to open it again
}

TEST_CASE("a folder that cannot be read is reported, and the walk goes on", "[scenario-format]") {
  namespace fs = std::filesystem;
  fs::path dir = fs::temp_directory_path() / ("bc-scenario-locked-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  for (const char* sub : {"a", "locked", "z"}) fs::create_directories(dir / sub);
  for (const char* file : {"a/one.scenario", "locked/hidden.scenario", "z/two.scenario", "three.scenario"})
    std::ofstream(dir / file) << kHeader << "A1 CreateJob J1\n";
  fs::permissions(dir / "locked", fs::perms::none);
  // Root reads any folder: the walk runs as an unprivileged user in a child process then.
  pid_t child = fork();
  REQUIRE(child >= 0);
  if (child == 0) {
    if (geteuid() == 0 && (setgid(65534) != 0 || setuid(65534) != 0)) _exit(9);
    std::vector<Error> diags;
    auto all = loadScenarioTree(dir.string(), diags);
    bool found = diags.size() == 1 && diags[0].where == (dir / "locked").string() &&
                 diags[0].cause == "cannot read the folder: Permission denied";
    _exit(all.size() == 3 ? (found ? 0 : 2) : 1);
  }
  int status = 0;
  REQUIRE(waitpid(child, &status, 0) == child);
  fs::permissions(dir / "locked", fs::perms::owner_all);
  fs::remove_all(dir);
  REQUIRE(WIFEXITED(status));
  CHECK(WEXITSTATUS(status) == 0);  // 1: a good file was lost; 2: the folder was not reported
}

TEST_CASE("a scenario whose step goes beyond the test world is bad input at that step's line", "[scenario-format]") {
  namespace fs = std::filesystem;
  fs::path dir = fs::temp_directory_path() / ("bc-scenario-limits-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  // A command line that fails is run again every 600 s: a year of it is 52,560 observations.
  std::ofstream(dir / "flood.scenario") << kHeader
                                        << "A1 CreateJob J1\nA1 AddFile J1\nA1 SetNotifyCmdLine J1 fail args\n"
                                           "A1 Resume J1\nTransfer J1\nTick 1d\nTick 365d\n";
  auto r = loadScenarioFile((dir / "flood.scenario").string());
  REQUIRE_FALSE(r.ok());
  CHECK(toString(r.errors().at(0)) ==
        (dir / "flood.scenario").string() +
            ":9:1: 'Tick 365d' goes beyond the test world: the step makes more than 10000 observations "
            "(docs/semantics.md section 11)");
  // Jobs whose retries fall at different instants: a timer instant costs a look at every job.
  std::string stagger;
  for (int j = 1; j <= 1000; ++j)
    stagger += "A1 CreateJob J" + std::to_string(j) + "\nA1 AddFile J" + std::to_string(j) + "\nA1 Resume J" +
               std::to_string(j) + "\nTransientError J" + std::to_string(j) + "\nTick 1ms\n";
  std::ofstream(dir / "stagger.scenario") << kHeader << stagger << "NetDown\nTick 14d\n";
  auto start = std::chrono::steady_clock::now();
  auto s = loadScenarioFile((dir / "stagger.scenario").string());
  CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(5));
  REQUIRE_FALSE(s.ok());
  CHECK_THAT(toString(s.errors().at(0)),
             Catch::Contains(":5004:1: 'Tick 14d' goes beyond the test world: the world's timers take more than"));
  // Larger than 16 MiB: not read whole, not parsed.
  {
    std::ofstream big(dir / "big.scenario");
    std::string line = "A1 GetState J1 " + std::string(1000, ' ') + "\n";
    for (size_t n = 0; n <= kMaxScenarioBytes / line.size(); ++n) big << line;
  }
  auto b = loadScenarioFile((dir / "big.scenario").string());
  REQUIRE_FALSE(b.ok());
  CHECK(b.errors().at(0).cause == "larger than 16 MiB, the largest scenario file read");
  fs::remove_all(dir);
}

TEST_CASE("a scenario file that cannot be read is one error naming the file and no line", "[scenario-format]") {
  auto r = loadScenarioFile("/nonexistent/bitsconform/x.scenario");
  REQUIRE_FALSE(r.ok());
  REQUIRE(r.errors().size() == 1);
  CHECK(r.errors()[0] == Error{"/nonexistent/bitsconform/x.scenario", 0, 0, "cannot read the file"});
  CHECK(r.message() == "/nonexistent/bitsconform/x.scenario: cannot read the file");
}
