// End-to-end checks of the bitsconf command: exit codes, files written, diagnostics.
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <sys/wait.h>

#include <catch2/catch.hpp>

#include "tools/cli_testing.h"
#include "results/results.h"

namespace fs = std::filesystem;

namespace {

struct Ran { int code; std::string out, err; };

using bc::testing::readAll;

fs::path scratch() {
  fs::path d = fs::temp_directory_path() / ("bitsconf-test-" + std::to_string(::getpid()));
  fs::create_directories(d);
  return d;
}

Ran bitsconf(const std::string& args) {
  fs::path d = scratch();
  std::string cmd = std::string(BITSCONF_BINARY) + " " + args + " >" + (d / "out").string() + " 2>" + (d / "err").string();
  int status = std::system(cmd.c_str());
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, readAll(d / "out"), readAll(d / "err")};
}

std::string testdata(const std::string& name) { return std::string(BITSCONFORM_REPORTS_TESTDATA) + "/" + name; }

void writeFile(const fs::path& p, const std::string& text) {
  fs::create_directories(p.parent_path());
  std::ofstream(p) << text;
}

}  // namespace

TEST_CASE("bitsconf diff exits 1 on a regression and 0 otherwise", "[cli][REG-8]") {
  Ran r = bitsconf("diff " + testdata("baseline.json") + " " + testdata("current-regression.json"));
  CHECK(r.code == 1);
  CHECK(r.out.find("REG-8: pass -> fail") != std::string::npos);
  CHECK(r.out.find("replay: bitsconf replay") != std::string::npos);
  Ran json = bitsconf("diff --json " + testdata("baseline.json") + " " + testdata("current-regression.json"));
  CHECK(json.code == 1);
  auto j = nlohmann::json::parse(json.out);
  CHECK(j["exit_code"] == 1);
  CHECK(j["units"][0]["to_check"] == "scenario:scenarios/reg/late.scenario@step-5");
  CHECK(bitsconf("diff " + testdata("baseline-failing.json") + " " + testdata("current-fixed.json")).code == 0);
  CHECK(bitsconf("diff " + testdata("baseline.json") + " " + testdata("manifest-example.json")).code == 2);
  CHECK(bitsconf("diff " + testdata("baseline.json")).code == 2);
}

TEST_CASE("bad input files are named with line, column and cause, exit 2", "[cli]") {
  fs::path d = scratch() / "bad-input";
  writeFile(d / "broken.json", "{\n  \"schema\": ,\n}\n");
  Ran diff = bitsconf("diff " + testdata("baseline.json") + " " + (d / "broken.json").string());
  CHECK(diff.code == 2);
  CHECK_THAT(diff.err, Catch::StartsWith("bitsconf diff: " + (d / "broken.json").string() + ":2:13: not JSON: syntax error"));
  Ran report = bitsconf("report " + testdata("manifest-example.json"));
  CHECK(report.code == 2);
  CHECK_THAT(report.err, Catch::StartsWith("bitsconf report: " + testdata("manifest-example.json") + ": unsupported schema"));
  writeFile(d / "bad.scenario", "scenario: x\nrules: REG-8\n\nA1 CreateJob J0\n");
  Ran replay = bitsconf("replay " + (d / "bad.scenario").string());
  CHECK(replay.code == 2);
  CHECK(replay.err == (d / "bad.scenario").string() + ":4:14: bad job 'J0' (expected J1, J2, ...)\n");
  fs::remove_all(d);
}

TEST_CASE("bitsconf report renders several runs", "[cli]") {
  fs::path d = scratch() / "report";
  fs::create_directories(d);
  Ran r = bitsconf("report " + testdata("baseline.json") + " " + testdata("wine.json") + " --html " + (d / "r.html").string() +
                   " --markdown " + (d / "r.md").string() + " --junit " + (d / "r.xml").string());
  REQUIRE(r.code == 0);
  CHECK(readAll(d / "r.html").find("<th>Verdict: wine-qmgr</th>") != std::string::npos);
  CHECK(readAll(d / "r.md").find("| Verdict: mock | Verdict: wine-qmgr |") != std::string::npos);
  CHECK(readAll(d / "r.xml").find("<testsuite name=\"wine-qmgr\"") != std::string::npos);
  CHECK(bitsconf("report " + testdata("baseline.json")).out.find("# bitsconform conformance report") == 0);
}

TEST_CASE("bitsconf rules lists the catalog", "[cli]") {
  Ran r = bitsconf("rules --group REG --status E --format json");
  REQUIRE(r.code == 0);
  auto j = nlohmann::json::parse(r.out);
  REQUIRE_FALSE(j.empty());
  for (const auto& rule : j) {
    CHECK(rule["group"] == "REG");
    CHECK(rule["status"] == "E");
  }
  CHECK(bitsconf("rules").out.find("REG-1") == 0);
  CHECK(bitsconf("rules --group NOPE").code == 2);
  CHECK(bitsconf("rules --help").code == 0);
  CHECK(bitsconf("frobnicate").code == 2);
}

TEST_CASE("bitsconf run: a bad scenario is reported file:line:column, the others still run", "[cli]") {
  fs::path d = scratch() / "run";
  fs::remove_all(d);
  writeFile(d / "scenarios/good.scenario",
            "scenario: Create and read the flags\nrules: FLAG-9 FLAG-10\n\nA1 CreateJob J1\nA1 GetNotifyFlags J1\n"
            "  expect -> S_OK flags=0x03\n");
  writeFile(d / "scenarios/bad.scenario", "scenario: broken\nrules: REG-1\n\nA1 CreateJb J1\n");
  fs::path out = d / "results.json";
  Ran r = bitsconf("run --sut model --no-properties --scenarios " + (d / "scenarios").string() + " --out " + out.string());
  CHECK(r.code == 2);
  CHECK(r.err.find("bad.scenario:4:") != std::string::npos);
  bc::Results results = bc::readResultsFile(out.string()).value();
  CHECK(results.complete);
  REQUIRE(results.scenarios.size() == 1);
  CHECK(results.scenarios[0].status == bc::RunOutcome::Pass);
  CHECK(results.rule("FLAG-10")->verdict == bc::RuleVerdict::Pass);
  CHECK(results.inputErrors.size() == 1);
  CHECK(results.run.sutName == "model");

  // Expect lines that contradict the model fail the run (exit 1) and name the rules.
  writeFile(d / "scenarios/bad.scenario",
            "scenario: wrong expectation\nrules: FLAG-9\n\nA1 CreateJob J1\nA1 GetNotifyFlags J1\n  expect -> S_OK flags=0x0F\n");
  r = bitsconf("run --sut model --no-properties --scenarios " + (d / "scenarios").string() + " --out " + out.string());
  CHECK(r.code == 1);
  results = bc::readResultsFile(out.string()).value();
  CHECK(results.rule("FLAG-9")->verdict == bc::RuleVerdict::Fail);
  REQUIRE_FALSE(results.rule("FLAG-9")->counterexamples.empty());
  CHECK(results.rule("FLAG-9")->counterexamples[0].replay.rfind(std::string(BITSCONF_BINARY) + " replay ", 0) == 0);

  // Shards split the scenarios and merge back into the whole.
  Ran s1 = bitsconf("run --sut model --no-properties --shard 1/2 --scenarios " + (d / "scenarios").string() + " --out " +
                    (d / "s1.json").string());
  Ran s2 = bitsconf("run --sut model --no-properties --shard 2/2 --scenarios " + (d / "scenarios").string() + " --out " +
                    (d / "s2.json").string());
  CHECK(bc::readResultsFile((d / "s1.json").string()).value().scenarios.size() +
            bc::readResultsFile((d / "s2.json").string()).value().scenarios.size() == 2);
  Ran m = bitsconf("merge " + (d / "s1.json").string() + " " + (d / "s2.json").string() + " --out " + (d / "m.json").string());
  CHECK(m.code == 1);
  bc::Results merged = bc::readResultsFile((d / "m.json").string()).value();
  CHECK(merged.scenarios.size() == 2);
  CHECK(merged.rule("FLAG-9")->verdict == bc::RuleVerdict::Fail);

  // Usage errors.
  CHECK(bitsconf("run --sut nosuch --out " + out.string()).code == 2);
  CHECK(bitsconf("run --shard 3/2 --out " + out.string()).code == 2);
  CHECK(bitsconf("run --rules REG-99 --out " + out.string()).code == 2);
}

TEST_CASE("bitsconf replay prints the trace of a scenario", "[cli]") {
  fs::path d = scratch() / "replay";
  writeFile(d / "x.scenario", "scenario: flags\nrules: FLAG-9\n\nA1 CreateJob J1\nA1 GetNotifyFlags J1\n");
  Ran r = bitsconf("replay " + (d / "x.scenario").string() + " --sut model");
  CHECK(r.code == 0);
  CHECK(r.out.find("step 2 (line 5): A1 GetNotifyFlags J1") != std::string::npos);
  CHECK(r.out.find("-> S_OK flags=0x03") != std::string::npos);
  writeFile(d / "y.scenario", "scenario: broken\nrules: FLAG-9\n\nA1 Nope J1\n");
  r = bitsconf("replay " + (d / "y.scenario").string() + " --sut model");
  CHECK(r.code == 2);
  CHECK(r.err.find("y.scenario:4:") != std::string::npos);
  CHECK(bitsconf("replay").code == 2);
}

// A scenario's policy: lines set the simulated SUT too, not only the model: the model and the
// mock (for a policy it has a reading for) pass where the expect lines agree with the model.
TEST_CASE("bitsconf replay sets a simulated SUT to the scenario's policies", "[cli][OQ-7b]") {
  fs::path d = scratch() / "replay-policy";
  const std::string body =
      "rules: CB-1\n\nA1 CreateJob J1\nA1 AddFile J1\nA1 SetNotifyInterface J1 o2\nA1 Behave o2 sfalse\n"
      "A1 Resume J1\nTransfer J1\n  expect -> S_OK\n  expect callback A1#1.o2 JobTransferred J1 -> S_FALSE\n"
      "Tick 600s\n  expect -> S_OK\n";
  writeFile(d / "alt.scenario", "scenario: S_FALSE delivers\npolicy: OQ-7b=alt\n" + body);
  for (const char* sut : {"model", "mock"}) {
    Ran r = bitsconf("replay " + (d / "alt.scenario").string() + " --sut " + sut);
    INFO(sut << ": " << r.out << r.err);
    CHECK(r.code == 0);
    CHECK(r.out.find("verdict: pass") != std::string::npos);
  }
  // Without the policy the same expect lines are wrong on the model: exit 1, naming the line.
  writeFile(d / "default.scenario", "scenario: S_FALSE delivers\n" + body);
  Ran wrong = bitsconf("replay " + (d / "default.scenario").string() + " --sut model");
  CHECK(wrong.code == 1);
  CHECK(wrong.out.find("default.scenario:13") != std::string::npos);
  // A policy the mock has no reading for: not applicable to it, not a failure.
  writeFile(d / "oq4.scenario", "scenario: DISABLE\nrules: FLAG-3\npolicy: OQ-4=alt\n\nA1 CreateJob J1\n");
  Ran na = bitsconf("replay " + (d / "oq4.scenario").string() + " --sut mock");
  CHECK(na.code == 0);
  CHECK(na.out.find("verdict: not-applicable (the mock has no reading for OQ-4=alt") != std::string::npos);
}

TEST_CASE("bitsconf run: the covering set reaches every transition, and catches a broken mock", "[cli][coverage]") {
  fs::path d = scratch() / "covering";
  fs::create_directories(d);
  std::string out = (d / "r.json").string();
  Ran ok = bitsconf("run --sut mock --no-scenarios --no-properties --mutants off --coverage-bound 4 --out " + out);
  CHECK(ok.code == 0);
  bc::Results good = bc::readResultsFile(out).value();
  CHECK(good.coverage.percent == 100.0);
  REQUIRE(good.properties.size() == 1);
  CHECK(good.properties[0].name == "covering-set");
  CHECK(good.properties[0].status == bc::RunOutcome::Pass);
  // Coverage is counts and gaps; the list of exercised transitions only on request or in a shard.
  CHECK_FALSE(good.coverage.detail);
  CHECK(good.coverage.exercised.empty());
  CHECK(good.coverage.covered == good.coverage.reachable);
  REQUIRE(bitsconf("run --sut mock --no-scenarios --no-properties --mutants off --coverage-bound 3 --coverage-detail "
                   "--out " + out).code == 0);
  CHECK(bc::readResultsFile(out).value().coverage.exercised.size() == bc::readResultsFile(out).value().coverage.covered);
  REQUIRE(bitsconf("run --sut mock --no-scenarios --cases 100 --mutants off --coverage-bound 3 --shard 1/2 --out " + out)
              .code == 0);
  CHECK(bc::readResultsFile(out).value().coverage.detail);
  CHECK_FALSE(bc::readResultsFile(out).value().coverage.exercised.empty());

  Ran bad = bitsconf("run --sut mock:mutant=clsid-lost-on-restart --no-scenarios --no-properties --mutants off "
                     "--coverage-bound 4 --out " + out);
  CHECK(bad.code == 1);
  bc::Results broken = bc::readResultsFile(out).value();
  REQUIRE(broken.properties.size() == 1);
  CHECK(broken.properties[0].status == bc::RunOutcome::Diverged);
  REQUIRE(broken.properties[0].counterexample);
  const std::string& minimal = broken.properties[0].counterexample->scenarioText;
  CHECK((minimal.find("ServiceRestart") != std::string::npos || minimal.find("Reboot") != std::string::npos));
  // Not on a real implementation unless asked: it would take hours there.
  writeFile(d / "one/flags.scenario", "scenario: flags\nrules: FLAG-9\n\nA1 CreateJob J1\nA1 GetNotifyFlags J1\n");
  Ran model = bitsconf("run --sut model --no-properties --covering-set off --scenarios " + (d / "one").string() +
                       " --out " + out);
  CHECK(bc::readResultsFile(out).value().properties.empty());
  CHECK(model.code == 0);
}

TEST_CASE("bitsconf run --fail-fast stops at the first unit that does not pass, and says so", "[cli]") {
  fs::path d = scratch() / "fail-fast";
  fs::create_directories(d);
  const std::string out = (d / "r.json").string();
  Ran all = bitsconf("run --sut mock:mutant=default-flags-wrong --no-scenarios --mutants off --no-coverage --out " + out);
  CHECK(all.code == 1);
  const size_t every = bc::readResultsFile(out).value().properties.size();
  Ran fast = bitsconf("run --sut mock:mutant=default-flags-wrong --no-scenarios --mutants off --no-coverage --fail-fast "
                      "--out " + out);
  CHECK(fast.code == 1);
  bc::Results stopped = bc::readResultsFile(out).value();
  REQUIRE(!stopped.properties.empty());
  CHECK(stopped.properties.size() < every);
  CHECK(stopped.properties.back().status != bc::RunOutcome::Pass);
  bool noted = false;
  for (const auto& n : stopped.notes) noted = noted || n.find("--fail-fast: stopped at property") != std::string::npos;
  CHECK(noted);
  // A run that passes runs everything.
  CHECK(bitsconf("run --sut mock --no-scenarios --mutants off --no-coverage --fail-fast --out " + out).code == 0);
  CHECK(bc::readResultsFile(out).value().properties.size() == every);
}

TEST_CASE("bitsconf run on a simulated SUT: every version's scenarios, the random properties at every version", "[cli][VER-2]") {
  fs::path d = scratch() / "versions";
  fs::create_directories(d);
  const std::string out = (d / "r.json").string();
  Ran r = bitsconf("run --sut mock --mutants off --no-coverage --cases 20 --out " + out);
  CHECK(r.code == 0);
  bc::Results res = bc::readResultsFile(out).value();
  size_t pinned = 0;
  for (const auto& s : res.scenarios) {
    CHECK(s.status != bc::RunOutcome::NotApplicable);
    if (s.path.find("1.5") != std::string::npos || s.path.find("2.5") != std::string::npos) ++pinned;
  }
  CHECK(pinned >= 2);  // the library's 1.5 and 2.5 scenarios ran, on a mock of that version
  std::set<std::string> names;
  for (const auto& p : res.properties) names.insert(p.name);
  for (const char* v : {"1.0", "1.5", "2.0", "3.0", "5.0"}) {
    CHECK(names.count(std::string("model-equals-sut@") + v) == 1);
    CHECK(names.count(std::string("deep-worlds@") + v) == 1);
  }
  CHECK(names.count("model-equals-sut@10.1") == 0);  // the run's own version range
  // A run pinned to one version with --bits-version checks that version only.
  CHECK(bitsconf("run --sut mock --bits-version 5.0 --no-scenarios --mutants off --no-coverage --cases 20 --out " + out)
            .code == 0);
  for (const auto& p : bc::readResultsFile(out).value().properties) CHECK(p.name.find('@') == std::string::npos);
  for (const auto& rule : res.rules)
    if (rule.id.rfind("VER-", 0) == 0 && rule.id != "VER-6") CHECK(rule.verdict == bc::RuleVerdict::Pass);
  // Replay takes the version a unit ran at (its replay line says --bits-version), and refuses
  // one it does not know.
  Ran replay = bitsconf("replay " + std::string(BITSCONFORM_SOURCE_DIR) +
                        "/scenarios/CMD/cmd-1-runs-on-transferred-and-error.scenario --sut mock --bits-version 9.9");
  CHECK(replay.code == 2);
  CHECK(replay.err.find("unknown BITS version '9.9'") != std::string::npos);
}

TEST_CASE("bitsconf run: every scenario the SUT ran has its trace, and verdicts have their witness", "[cli][REG-1]") {
  fs::path d = scratch() / "trace";
  fs::create_directories(d);
  std::string out = (d / "r.json").string();
  const std::string quick = " --no-properties --no-coverage --mutants off --covering-set off --out " + out;
  Ran ok = bitsconf("run --sut mock" + quick);
  REQUIRE(ok.code == 0);
  bc::Results good = bc::readResultsFile(out).value();
  REQUIRE(good.scenarios.size() > 10);
  for (const auto& s : good.scenarios) {
    INFO(s.path << ": " << s.status);
    if (s.status == bc::RunOutcome::NotApplicable || s.status == bc::RunOutcome::ExpectFailed) {
      CHECK(s.trace.empty());
      continue;
    }
    // The trace is the scenario's commands in order, each followed by what the SUT answered.
    REQUIRE_FALSE(s.trace.empty());
    CHECK(s.trace.front() != ' ');  // a command first
    CHECK(s.trace.find("\n  -> ") != std::string::npos);
    if (s.status == bc::RunOutcome::Pass) CHECK(s.trace.find("  # ") == std::string::npos);  // no divergence marker
  }
  // A passing rule is shown with the first passing scenario (by path) that exercised it.
  const bc::RuleResult* reg1 = good.rule("REG-1");
  REQUIRE(reg1->verdict == bc::RuleVerdict::Pass);
  REQUIRE(reg1->witness);
  CHECK(reg1->witness->source == "scenario " + reg1->witness->scenario);
  bool found = false;
  for (const auto& s : good.scenarios)
    if (s.path == reg1->witness->scenario) {
      found = true;
      CHECK(s.status == bc::RunOutcome::Pass);
      CHECK(reg1->witness->trace == s.trace);
    }
  CHECK(found);
  for (const auto& r : good.rules)
    if (r.verdict == bc::RuleVerdict::Pass) CHECK(r.witness);  // scenarios only: every pass has one

  // A broken mock: the failing rule's witness is a failing scenario's trace, which stops at the
  // diverging step with the marker; its counterexample carries the same trace.
  Ran bad = bitsconf("run --sut mock:mutant=guid-null-no-clear" + quick);
  CHECK(bad.code == 1);
  bc::Results broken = bc::readResultsFile(out).value();
  // The mutant keeps the CLSID when GUID_NULL is set: the rule it breaks is CLSID-4, not the getter's.
  const bc::RuleResult* clsid4 = broken.rule("CLSID-4");
  REQUIRE(clsid4->verdict == bc::RuleVerdict::Fail);
  CHECK(broken.rule("CLSID-9")->verdict != bc::RuleVerdict::Fail);
  REQUIRE(clsid4->witness);
  CHECK(clsid4->witness->trace.find("  # differs from the model: ") != std::string::npos);
  for (const auto& s : broken.scenarios)
    if (s.path == clsid4->witness->scenario) {
      CHECK(s.status == bc::RunOutcome::Diverged);
      REQUIRE(s.counterexample);
      CHECK(s.counterexample->trace == s.trace);
    }
}

TEST_CASE("bitsconf run --sut-timeout bounds an adapter's hello and --heartbeat reports a long run in logs", "[cli]") {
  fs::path d = scratch() / "slow";
  writeFile(d / "scenarios/flags.scenario",
            "scenario: Create and read the flags\nrules: FLAG-9\n\nA1 CreateJob J1\nA1 GetNotifyFlags J1\n"
            "  expect -> S_OK flags=0x03\n");
  // An adapter that takes 1.5 s to say hello (a loaded machine), then is the mock agent.
  const std::string common = "run --no-properties --mutants off --scenarios " + (d / "scenarios").string() +
                             " --sut \"agent:sh -c 'sleep 1.5; exec " + MOCK_AGENT_BINARY + "'\" --out " +
                             (d / "r.json").string();
  Ran tooShort = bitsconf(common + " --sut-timeout 0.5");
  CHECK(tooShort.code == 3);
  CHECK_THAT(tooShort.err, Catch::Contains("no answer within 500 ms while waiting for the hello line"));
  Ran enough = bitsconf(common + " --sut-timeout 5 --heartbeat 0.4");  // stderr is a file: no progress bar
  CHECK(enough.code == 0);
  CHECK_THAT(enough.err, Catch::Contains("bitsconf run: 0/0 units done, 0 s, now: starting the SUT (agent:sh -c"));
  Ran quiet = bitsconf(common + " --sut-timeout 5 --heartbeat 0");
  CHECK(quiet.code == 0);
  CHECK(quiet.err.find("units done") == std::string::npos);
}

TEST_CASE("bitsconf adapter-check passes a good adapter and prints what to fix in a broken one", "[cli][adapter-check]") {
  Ran good = bitsconf("adapter-check 'python3 " BITSCONFORM_SOURCE_DIR "/sut/protocol/examples/tiny_adapter.py'");
  CHECK(good.code == 0);
  CHECK_THAT(good.out, Catch::Contains("offers reset") && Catch::Contains("ok    reset: ready, and the world was fresh") &&
                           Catch::Contains("the adapter speaks the protocol"));
  CHECK(good.out.find("FIX") == std::string::npos);

  // A Python adapter as a new author might write it: a capability name misspelt, Transfer
  // not implemented (it needs no capability), a reset that leaves the jobs behind.
  fs::path d = scratch() / "check";
  writeFile(d / "broken.py", R"(import json, sys
def send(m): sys.stdout.write(json.dumps(m) + "\n"); sys.stdout.flush()
send(dict(type="hello", protocol="bitsconform-adapter/1", implementation="broken", bitsVersion="10.3",
          capabilities={"commandline": False}, features=["reset"]))
jobs = set()
for line in sys.stdin:
    r = json.loads(line)
    if r["type"] == "bye": break
    if r["type"] == "reset": send(dict(type="ready"))
    elif r["type"] == "settle": send(dict(type="settled", id=r["id"], quiescent=True, observations=[]))
    elif r["type"] == "step":
        w = r["command"].split()
        if w[0] == "Transfer": send(dict(type="error", id=r["id"], message="no Transfer here")); continue
        if len(w) > 2 and w[1] == "CreateJob": jobs.add(w[2])
        known = len(w) > 2 and w[2] in jobs
        send(dict(type="result", id=r["id"], observations=["-> S_OK" if known or len(w) < 3 else "-> BG_E_NOT_FOUND"]))
)");
  Ran broken = bitsconf("adapter-check 'python3 " + (d / "broken.py").string() + "'");
  CHECK(broken.code == 1);
  CHECK_THAT(broken.out, Catch::Contains("FIX   hello: capability 'commandline' is not one the runner knows"));
  CHECK_THAT(broken.out, Catch::Contains("FIX   step 'Transfer J1': the adapter reported an error: no Transfer here") &&
                             Catch::Contains("'Transfer' needs no capability"));
  CHECK_THAT(broken.out, Catch::Contains("FIX   reset: after ready, 'A1 GetState J1' answered '-> S_OK'"));
  CHECK_THAT(broken.out, Catch::Contains("3 thing(s) to fix"));

  Ran silent = bitsconf("adapter-check '" FAULT_ADAPTER_BINARY " hanghello' --sut-timeout 0.5");
  CHECK(silent.code == 1);
  CHECK_THAT(silent.out, Catch::Contains("FIX   start: no answer within 500 ms while waiting for the hello line"));
  Ran refuses = bitsconf("adapter-check '" FAULT_ADAPTER_BINARY " resetfails 99'");
  CHECK(refuses.code == 1);
  CHECK_THAT(refuses.out, Catch::Contains("FIX   reset: the adapter could not reset: cannot reset"));
  CHECK(bitsconf("adapter-check \"'unterminated\"").code == 2);
}

TEST_CASE("bitsconf run: a life-cycle-only adapter gets no pass for any notification rule", "[cli][verdicts]") {
  // Every capability false, every notification call E_NOTIMPL: nothing it did can vouch for a
  // notification rule, and the rules it breaks fail.
  fs::path d = scratch() / "lifecycle";
  fs::create_directories(d);
  const std::string out = (d / "r.json").string();
  Ran r = bitsconf("run --sut 'agent:" + std::string(MOCK_AGENT_BINARY) +
                   " --lifecycle-only' --cases 20 --no-coverage --out " + out);
  CHECK(r.code == 1);
  bc::Results res = bc::readResultsFile(out).value();
  const std::set<std::string> notification = {"REG", "FLAG", "EVT", "CB", "CLSID", "DISP", "CMD", "VER"};
  std::string passed;
  for (const bc::RuleResult& rr : res.rules) {
    const std::string group = rr.id.substr(0, rr.id.find('-'));
    if (notification.count(group) && rr.verdict == bc::RuleVerdict::Pass) passed += " " + rr.id;
  }
  INFO("notification rules that passed:" << passed);
  CHECK(passed.empty());
  for (const char* id : {"REG-1", "FLAG-1", "FLAG-10"}) {
    INFO(id);
    CHECK(res.rule(id)->verdict == bc::RuleVerdict::Fail);
  }
  CHECK(res.rule("STATE-4")->verdict == bc::RuleVerdict::Pass);  // what it does implement is checked
}
