// Replay lines that run: every replay line a failing `bitsconf run` prints (console and results)
// reproduces its failure when executed as printed, for scenarios, properties and the covering
// set, on a mutant of the mock and on an agent; and `--policy` reaches the whole run.
#include <sys/wait.h>

#include <cstdlib>
#include <filesystem>
#include <cstring>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include <catch2/catch.hpp>

#include "tools/cli_testing.h"
#include "results/results.h"

namespace fs = std::filesystem;

namespace {

struct Ran {
  int code;
  std::string out, err;
};

using bc::testing::readAll;

fs::path scratch(const std::string& name) { return bc::testing::freshScratch("bitsconf-replay-test", name); }

// A shell line, run as a person would paste it.
Ran shell(const std::string& line, const fs::path& d) {
  std::string cmd = "(" + line + ") >" + (d / "out").string() + " 2>" + (d / "err").string();
  int status = std::system(cmd.c_str());
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, readAll(d / "out"), readAll(d / "err")};
}

Ran bitsconf(const std::string& args, const fs::path& d) { return shell(std::string(BITSCONF_BINARY) + " " + args, d); }

// The lines of `text` that start with `marker` (after indentation), with the marker cut off.
std::set<std::string> linesAfter(const std::string& text, const std::string& marker) {
  std::set<std::string> out;
  std::istringstream lines(text);
  for (std::string line; std::getline(lines, line);) {
    auto at = line.find_first_not_of(' ');
    if (at != std::string::npos && line.compare(at, marker.size(), marker) == 0) out.insert(line.substr(at + marker.size()));
  }
  return out;
}

std::string unescapeXml(std::string s) {
  for (auto [from, to] : {std::pair{"&lt;", "<"}, {"&gt;", ">"}, {"&quot;", "\""}, {"&#39;", "'"}, {"&amp;", "&"}})
    for (size_t at = s.find(from); at != std::string::npos; at = s.find(from, at + 1)) s.replace(at, strlen(from), to);
  return s;
}

// Every replay line each output of the product shows for the run in `results`: the console's,
// the Markdown, HTML and JUnit reports', and a diff's against a baseline where nothing failed.
std::map<std::string, std::set<std::string>> printedReplays(const std::string& console, const fs::path& results,
                                                            const fs::path& d) {
  std::map<std::string, std::set<std::string>> out;
  out["console"] = linesAfter(console, "replay: ");
  fs::path md = d / "r.md", html = d / "r.html", xml = d / "r.xml";
  REQUIRE(bitsconf("report " + results.string() + " --markdown " + md.string() + " --html " + html.string() +
                       " --junit " + xml.string(),
                   d)
              .code == 0);
  for (std::string line : linesAfter(readAll(md), "Replay: ")) {
    // A code span: a run of backticks, a space where the line starts or ends with one.
    size_t ticks = line.find_first_not_of('`');
    line = line.substr(ticks, line.size() - 2 * ticks);
    if (line.size() >= 2 && line.front() == ' ' && line.back() == ' ') line = line.substr(1, line.size() - 2);
    out["markdown"].insert(line);
  }
  const std::string page = readAll(html), open = "<span class=\"replay\">";
  for (size_t at = page.find(open); at != std::string::npos; at = page.find(open, at + 1)) {
    size_t start = at + open.size();
    out["html"].insert(unescapeXml(page.substr(start, page.find("</span>", start) - start)));
  }
  for (const auto& line : linesAfter(readAll(xml), "Replay: ")) out["junit"].insert(unescapeXml(line));
  // A baseline in which every unit passed: the diff shows each failure as new, with its line.
  bc::Results base = bc::readResultsFile(results.string()).value();
  for (auto& s : base.scenarios) s.status = bc::RunOutcome::Pass, s.counterexample.reset(), s.failedRules.clear();
  for (auto& p : base.properties) p.status = bc::RunOutcome::Pass, p.counterexample.reset(), p.failedRules.clear();
  bc::computeRuleVerdicts(base, nullptr);
  REQUIRE(bc::writeResultsFile(base, (d / "base.json").string()).ok());
  Ran diff = bitsconf("diff " + (d / "base.json").string() + " " + results.string(), d);
  CHECK(diff.code == 1);
  out["diff"] = linesAfter(diff.out, "replay: ");
  return out;
}

struct Failure {
  std::string check, replay;
  std::vector<std::string> rules;
  std::string savedScenario;
};

std::vector<Failure> failures(const bc::Results& r) {
  std::vector<Failure> out;
  for (const auto& s : r.scenarios)
    if (bc::isFailure(s.status)) out.push_back({bc::checkId(s), s.counterexample->replay, s.failedRules, ""});
  for (const auto& p : r.properties)
    if (bc::isFailure(p.status))
      out.push_back({bc::checkId(p), p.counterexample->replay, p.failedRules, p.savedScenario});
  return out;
}

// Runs `args`, then executes every replay line it printed: each must fail again (exit 1) and
// name the rules the run blamed.
bc::Results checkReplays(const std::string& args, const fs::path& d) {
  const std::string out = (d / "r.json").string();
  Ran run = bitsconf(args + " --no-progress --out " + out, d);
  INFO(run.err);
  REQUIRE(run.code == 1);
  bc::Results r = bc::readResultsFile(out).value();
  std::vector<Failure> failed = failures(r);
  REQUIRE_FALSE(failed.empty());
  std::set<std::string> printed;
  for (const Failure& f : failed) {
    INFO(f.check);
    REQUIRE_FALSE(f.replay.empty());
    printed.insert(f.replay);
    // A line to paste: this build's bitsconf by its absolute path, the run's SUT spec.
    CHECK(f.replay.rfind(std::string(BITSCONF_BINARY) + " replay ", 0) == 0);
    Ran again = shell(f.replay, d);
    INFO(f.replay << "\n" << again.out << again.err);
    CHECK(again.code == 1);
    std::string named = "rules:";
    for (const auto& rule : f.rules) named += " " + rule;
    CHECK_THAT(again.out, Catch::Contains(named + "\n"));
    // A property's minimal counterexample is saved as a scenario; the console prints the line
    // that replays it ("saved: PATH (replay: LINE)"), which fails the same way.
    if (f.check.rfind("property:", 0) == 0) {
      REQUIRE_FALSE(f.savedScenario.empty());
      CHECK(fs::exists(f.savedScenario));
      const std::string prefix = f.savedScenario + " (replay: ";
      std::string line;
      for (const auto& s : linesAfter(run.err, "saved: "))
        if (s.rfind(prefix, 0) == 0) line = s.substr(prefix.size(), s.size() - prefix.size() - 1);
      REQUIRE_FALSE(line.empty());
      Ran saved = shell(line, d);
      INFO(line << "\n" << saved.out);
      CHECK(saved.code == 1);
      CHECK_THAT(saved.out, Catch::Contains(named + "\n"));
    }
  }
  // Every output prints replay lines, and only these (each case once: a report groups the units
  // that found the same minimal case under the first one's line).
  for (const auto& [output, lines] : printedReplays(run.err, out, d)) {
    INFO(output);
    CHECK_FALSE(lines.empty());
    for (const auto& line : lines) {
      INFO(line);
      CHECK(printed.count(line) == 1);
    }
  }
  CHECK(linesAfter(run.err, "replay: ").size() == printed.size());  // the console prints every one
  return r;
}

bool has(const bc::Results& r, const std::string& prefix) {
  for (const Failure& f : failures(r))
    if (f.check.rfind(prefix, 0) == 0) return true;
  return false;
}

}  // namespace

TEST_CASE("every replay line of a failing run on a mutant reproduces its failure", "[cli][replay]") {
  fs::path d = scratch("mutant");
  bc::Results r = checkReplays("run --sut mock:mutant=late-registration-not-delivered --mutants off", d);
  // Scenarios, properties and the covering set each failed, so each kind of line was executed.
  CHECK(has(r, "scenario:"));
  CHECK(has(r, "property:"));
  CHECK(has(r, "covering-set@sequence-"));
}

TEST_CASE("every replay line of a failing run on an agent reproduces its failure", "[cli][replay]") {
  fs::path d = scratch("agent");
  bc::Results r = checkReplays(
      "run --sut 'agent:" + std::string(MOCK_AGENT_BINARY) + " --mutant late-registration-not-delivered' --cases 50", d);
  CHECK(has(r, "scenario:"));
  CHECK(has(r, "property:"));
}

TEST_CASE("replay lines carry the run's policies and BITS version", "[cli][replay][OQ-7b]") {
  fs::path d = scratch("policy");
  bc::Results r = checkReplays(
      "run --sut mock:mutant=guid-null-no-clear --policy OQ-7b=alt --bits-version 5.0 --cases 50 --mutants off "
      "--covering-set off",
      d);
  for (const Failure& f : failures(r)) {
    INFO(f.check);
    if (f.check.rfind("scenario:", 0) == 0 || f.check.rfind("property:", 0) == 0)
      CHECK_THAT(f.replay, Catch::EndsWith(" --sut mock:mutant=guid-null-no-clear --bits-version 5.0 --policy OQ-7b=alt"));
  }
}

TEST_CASE("bitsconf run --policy applies to the whole run, scenarios included, and one the SUT cannot follow is refused", "[cli][OQ-7b]") {
  fs::path d = scratch("run-policy");
  const std::string out = (d / "r.json").string();
  const std::string quick = " --no-progress --no-properties --no-coverage --mutants off --out " + out;
  // The mock follows OQ-7b=alt: every scenario that makes no claim about it runs under it; one
  // written for the default reading says the run could not check it.
  Ran alt = bitsconf("run --sut mock --policy OQ-7b=alt" + quick, d);
  INFO(alt.err);
  CHECK(alt.code == 0);
  bc::Results r = bc::readResultsFile(out).value();
  bool notExercised = false;
  for (const auto& s : r.scenarios) {
    if (s.path != "scenarios/CB/cb-1-sfalse-is-called-again.scenario") continue;
    notExercised = true;
    CHECK(s.status == bc::RunOutcome::NotApplicable);
    CHECK_THAT(s.message, Catch::Contains("policy not exercised: its expect lines hold under the default policies, "
                                          "not under the run's OQ-7b=alt"));
  }
  CHECK(notExercised);
  // The S_FALSE-delivers scenario (pinned to OQ-7b=alt) ran under the run's reading.
  bool delivers = false;
  for (const auto& s : r.scenarios)
    if (s.path == "scenarios/CB/cb-1-sfalse-delivers-policy-oq-7b-alt.scenario") delivers = s.status == bc::RunOutcome::Pass;
  CHECK(delivers);

  // A scenario whose file pins nothing ran under the run's reading: a failing one shows it.
  Ran broken = bitsconf("run --sut mock:mutant=transferred-not-retried --policy OQ-7b=alt" + quick, d);
  CHECK(broken.code == 1);
  bool pinnedByRun = false;
  for (const auto& s : bc::readResultsFile(out).value().scenarios) {
    if (!s.counterexample || readAll(fs::path(BITSCONFORM_SOURCE_DIR) / s.path).find("policy:") != std::string::npos)
      continue;
    pinnedByRun = true;
    INFO(s.path);
    CHECK_THAT(s.counterexample->scenarioText, Catch::Contains("\npolicy: OQ-7b=alt\n"));
  }
  CHECK(pinnedByRun);

  Ran refused = bitsconf("run --sut mock --policy OQ-4=alt" + quick, d);
  CHECK(refused.code == 2);
  CHECK_THAT(refused.err, Catch::Contains("--policy: the mock has no reading for OQ-4=alt"));
  Ran real = bitsconf("run --sut 'agent:" + std::string(MOCK_AGENT_BINARY) + "' --policy OQ-7b=alt" + quick, d);
  CHECK(real.code == 2);
  CHECK_THAT(real.err, Catch::Contains("is a real implementation, judged by the documented defaults: it cannot be set "
                                       "to OQ-7b=alt"));
}
