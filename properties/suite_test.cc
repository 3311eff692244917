#include "properties/suite.h"
#include "sut/protocol/protocol_sut.h"

#include <catch2/catch.hpp>

#include <sys/wait.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <sstream>
#include <thread>

#include "sut/registry/model_sut.h"
#include "sut/registry/sut_registry.h"
#include "sut/mutants/mutant.h"
#include "sut/testing/test_sut.h"
#include "oracle/runner.h"
#include "vocab/command_text.h"
#include "vocab/observation_text.h"

namespace bc {
namespace {

std::string tempDir(const std::string& tag) {
  auto dir = std::filesystem::temp_directory_path() / ("bc-found-" + tag + "-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  return dir.string();
}

std::string readFile(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// The commands of a saved scenario, read with the vocabulary's parsers (every expect line must
// parse too); that the file is a valid scenario the CLI tests show by replaying it (bitsconf_test).
std::vector<Command> scenarioCommands(const std::string& path) {
  std::string text = readFile(path);
  std::vector<Command> out;
  std::istringstream lines(text);
  std::string line;
  bool header = true;
  while (std::getline(lines, line)) {
    size_t b = line.find_first_not_of(" \t");
    if (b == std::string::npos || line[b] == '#') continue;
    std::string_view l(line.c_str() + b);
    if (l.rfind("expect", 0) == 0) {
      auto o = parseObservation(l.substr(6));
      CHECK(o.ok());
      continue;
    }
    if (header && l.find(": ") != std::string_view::npos && l.find(':') < l.find(' ')) continue;
    header = false;
    auto c = parseCommand(l);
    REQUIRE(c.ok());
    out.push_back(*c);
  }
  return out;
}

// The SUT for a bug: the mock's mutant of that name when the mock has it, else the test wrapper.
std::pair<std::string, SutFactory> brokenFactory(const std::string& bug, const ModelConfig& config) {
  SutRequest r;
  r.spec = "mock:mutant=" + bug;
  if (mock::parseMutant(bug)) return {r.spec, testSutFactory(r, config)};
  r.spec = "broken:" + bug;
  return {r.spec, testSutFactory(r, config)};
}

// At most 6 commands, except where the rule itself needs 7: a job reaches TRANSFERRED in 4
// (CreateJob, AddFile, Resume, Transfer), and these rules need a registration and a fault on top
// (an exit or a failing object before the event: disconnect fallback, the command line after a
// failed callback, the retry of a failed callback), or a registration, the flags and a Tick past
// the 500 ms pacing of the JobModification the flags themselves raise (modification).
size_t maxCounterexample(const std::string& property) {
  return property == "disconnect" || property == "cmdline-last-resort" || property == "retries" ||
                 property == "modification"
             ? 7
             : 6;
}

TEST_CASE("every property catches a broken SUT with a small, replayable counterexample", "[suite][broken]") {
  ModelConfig config;
  std::string dir = tempDir("broken");
  for (const auto& [bug, property] : BrokenSut::bugs()) {
    auto [spec, factory] = brokenFactory(bug, config);
    INFO("property " << property << " against " << spec);
    PropertyOptions o;
    o.cases = 500;
    o.foundDir = dir;
    o.sutSpec = spec;
    PropertyRun run = runProperty(property, factory, config, o);
    INFO(run.failure);
    REQUIRE_FALSE(run.passed());
    CHECK(run.counterexample.size() <= maxCounterexample(property));
    CHECK(!run.failure.empty());
    CHECK(run.seed != 0u);
    CHECK(run.replayCommand.find(run.reproduce) != std::string::npos);

    // The reproduce string reruns exactly the minimal case.
    PropertyOptions replay = o;
    replay.reproduce = run.reproduce;
    replay.foundDir.clear();
    PropertyRun again = runProperty(property, factory, config, replay);
    CHECK_FALSE(again.passed());
    CHECK(again.counterexample == run.counterexample);

    // So does the one-line shell command (this binary, the property's TEST_CASE).
    std::string line = "BITSCONFORM_FOUND_DIR='" + dir + "/replay' " + run.replayCommand + " >/dev/null 2>&1";
    int status = std::system(line.c_str());
    INFO(line);
    CHECK((WIFEXITED(status) && WEXITSTATUS(status) != 0));

    // The saved scenario parses and replays to a failure on the same SUT.
    REQUIRE(!run.savedScenario.empty());
    std::string text = readFile(run.savedScenario);
    CHECK(text.find("origin: property " + property + " seed=" + std::to_string(run.seed)) != std::string::npos);
    std::vector<Command> steps = scenarioCommands(run.savedScenario);
    CHECK(steps == run.counterexample);
    if (property != "determinism") {
      auto sut = factory();
      CHECK_FALSE(runSequence(steps, config, *sut).passed());
    }
  }
  std::filesystem::remove_all(dir);
}

TEST_CASE("a property passes on the model itself and reports what it ran", "[suite]") {
  SutRequest r;
  r.spec = "model";
  PropertyOptions o;
  o.cases = 50;
  o.seed = 42;
  PropertyRun run = runProperty("precedence", makeSutFactory(r), ModelConfig{}, o);
  CHECK(run.passed());
  CHECK(run.seed == 42u);
  CHECK(run.casesRun == 50);
  CHECK(run.commandsRun > 250u);
  CHECK(run.checked.has(Rule::CLSID_7));
  CHECK(run.counterexample.empty());
  CHECK(run.savedScenario.empty());
}

TEST_CASE("the same seed gives the same run", "[suite]") {
  SutRequest r;
  r.spec = "model";
  PropertyOptions o;
  o.cases = 30;
  o.seed = 7;
  PropertyRun a = runProperty("model-equals-sut", makeSutFactory(r), ModelConfig{}, o);
  PropertyRun b = runProperty("model-equals-sut", makeSutFactory(r), ModelConfig{}, o);
  CHECK(a.commandsRun == b.commandsRun);
  CHECK(a.checked == b.checked);
}

// The model behind the SUT interface with some capabilities taken away by `strip`.
SutFactory modelWithout(std::function<void(Capabilities&)> strip) {
  struct Stripped : ModelSut {
    Capabilities caps = ModelSut().capabilities();
    const Capabilities& capabilities() const override { return caps; }
  };
  return [strip] {
    auto sut = std::make_unique<Stripped>();
    strip(sut->caps);
    return sut;
  };
}

TEST_CASE("unknown properties are rejected, unsupported ones are not applicable", "[suite]") {
  SutRequest r;
  r.spec = "model";
  CHECK_THROWS_AS(runProperty("no-such-property", makeSutFactory(r), ModelConfig{}, PropertyOptions{}),
                  std::invalid_argument);
  SutFactory noCmdLine = modelWithout([](Capabilities& c) { c.commandLine = false; });
  PropertyRun run = runProperty("cmdline-last-resort", noCmdLine, ModelConfig{}, PropertyOptions{});
  CHECK(run.passed());
  CHECK(run.casesRun == 0);
  CHECK(run.failure.rfind("not applicable", 0) == 0);
}

TEST_CASE("a found scenario names its origin and carries the model's observations", "[suite]") {
  std::vector<Command> cmds;
  for (const char* t : {"A1 CreateJob J1", "A1 AddFile J1", "A1 Resume J1", "A1 SetNotifyInterface J1 o2", "Transfer J1"})
    cmds.push_back(parseCommand(t).value());
  std::string text = foundScenarioText("precedence", 99, cmds, ModelConfig{}, RuleSet{Rule::CLSID_7}, "replay-line");
  CHECK(text.find("scenario: ") != std::string::npos);
  CHECK(text.find("rules: CLSID-7\n") != std::string::npos);
  CHECK(text.find("origin: property precedence seed=99\n") != std::string::npos);
  CHECK(text.find("# Replay: replay-line\n") != std::string::npos);
  CHECK(text.find("Transfer J1\n  expect -> S_OK\n  expect callback A1#1.o2 JobTransferred J1 -> S_OK\n") !=
        std::string::npos);
}

}  // namespace
}  // namespace bc

namespace bc {
namespace {

TEST_CASE("every property holds on the model at every BITS version", "[suite][VER-1][VER-2][VER-3][VER-4]") {
  for (BitsVersion v : {BitsVersion::V1_0, BitsVersion::V1_5, BitsVersion::V2_0, BitsVersion::V3_0,
                        BitsVersion::V5_0, BitsVersion::V10_1}) {
    SutRequest r;
    r.spec = "model";
    r.version = v;
    ModelConfig config;
    config.version = v;
    for (const PropertyInfo& p : allProperties()) {
      INFO(p.name << " at BITS " << toString(v));
      PropertyOptions o;
      o.cases = 60;
      PropertyRun run = runProperty(p.name, makeSutFactory(r), config, o);
      INFO(run.failure);
      CHECK(run.passed());
    }
  }
}

}  // namespace
}  // namespace bc

namespace bc {
namespace {
// A SUT that starts, then throws SutFailure on its Nth command (an adapter that dies mid-run).
class DyingSut : public Sut {
 public:
  DyingSut(int lives, bool& broke) : lives_(lives), broke_(broke) { caps_.name = "dying"; }
  const Capabilities& capabilities() const override { return caps_; }
  StepResult execute(const Command& c, Observations& out) override {
    if (--lives_ < 0) {
      broke_ = true;
      throw SutFailure(SutFailure::Kind::Crashed, "adapter died");
    }
    return inner_.execute(c, out);
  }

 private:
  int lives_;
  bool& broke_;
  ModelSut inner_;
  Capabilities caps_;
};
}  // namespace

TEST_CASE("a SUT that cannot start or dies is a verdict, and is not restarted to shrink", "[suite][robustness]") {
  PropertyOptions o;
  o.seed = 7;
  o.cases = 50;
  // An adapter that dies before its hello is a verdict; one that cannot be executed at all is a
  // usage error (nothing ran: AdapterStartError, exit 2).
  SutFactory dead = makeSutFactory(SutRequest{"agent:sh -c 'exit 3'"});
  PropertyRun none = runProperty("model-equals-sut", dead, ModelConfig{}, o);
  CHECK_FALSE(none.passed());
  CHECK(none.failure.rfind("verdict: crashed", 0) == 0);
  SutFactory missing = makeSutFactory(SutRequest{"agent:/nonexistent/bitsconform-adapter"});
  CHECK_THROWS_AS(runProperty("model-equals-sut", missing, ModelConfig{}, o), AdapterStartError);

  bool broke = false;
  int startsAfterBreak = 0;
  SutFactory dying = [&] {
    if (broke) ++startsAfterBreak;
    return std::unique_ptr<Sut>(new DyingSut(3, broke));
  };
  PropertyRun died = runProperty("model-equals-sut", dying, ModelConfig{}, o);
  CHECK_FALSE(died.passed());
  CHECK(died.failure.rfind("verdict: crashed", 0) == 0);
  CHECK(broke);
  CHECK(startsAfterBreak == 0);  // no restarts to shrink on a broken SUT
}

}  // namespace bc

namespace bc {

// A SUT made slow on purpose (each start costs time, as a fresh adapter under Wine does).
TEST_CASE("shrinking on a slow SUT stops at its budget with a failing case that still replays", "[suite][shrink]") {
  ModelConfig config;
  auto [spec, inner] = brokenFactory("drop-first-transferred", config);
  int starts = 0;
  SutFactory slow = [&, f = inner] {
    ++starts;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    return f();
  };
  PropertyOptions o;
  o.seed = 11;
  o.cases = 500;
  PropertyRun unbounded = runProperty("model-equals-sut", slow, config, o);
  REQUIRE_FALSE(unbounded.passed());
  const int unboundedStarts = starts;

  starts = 0;
  o.shrinkBudgetSeconds = 0.001;  // spent at once: no candidate after the first failure runs
  PropertyRun bounded = runProperty("model-equals-sut", slow, config, o);
  REQUIRE_FALSE(bounded.passed());
  CHECK(bounded.failure.find("shrinking stopped after its") != std::string::npos);
  CHECK(starts < unboundedStarts);
  CHECK(bounded.counterexample.size() >= unbounded.counterexample.size());
  CHECK(unbounded.failure.find("shrinking stopped") == std::string::npos);
  // The kept case is a real failure: it diverges again on a fresh SUT.
  auto sut = inner();
  CHECK_FALSE(runSequence(bounded.counterexample, config, *sut).passed());
}

}  // namespace bc

namespace bc {

// The model, except that it cannot make the commands `refuses` picks happen (as Wine's qmgr
// cannot transfer J1 while J2's request is held).
class Refusing : public Sut {
 public:
  Refusing(std::function<bool(const Command&)> refuses, ModelConfig config)
      : refuses_(std::move(refuses)), inner_(config) {}
  const Capabilities& capabilities() const override { return inner_.capabilities(); }
  StepResult execute(const Command& c, Observations& out) override {
    if (refuses_(c)) return StepResult::unsupported("one job at a time");
    return inner_.execute(c, out);
  }

 private:
  std::function<bool(const Command&)> refuses_;
  ModelSut inner_;
};

TEST_CASE("a step the SUT cannot make happen is not applicable: never a failure, and discarded by properties",
          "[suite][unsupported]") {
  ModelConfig config;
  auto transferOfJ2 = [](const Command& c) { return c.kind == CmdKind::Transfer && c.job == 2; };
  Refusing sut(transferOfJ2, config);
  std::vector<Command> seq;
  for (const char* l : {"A1 CreateJob J2", "A1 AddFile J2", "A1 Resume J2", "Transfer J2", "A1 GetState J2"})
    seq.push_back(parseCommand(l).value());
  Verdict v = runSequence(seq, config, sut);
  CHECK(v.kind == RunOutcome::NotApplicable);
  CHECK(v.stepsRun == 3);
  CHECK(v.message == "step 4 'Transfer J2' cannot happen on this SUT: one job at a time");
  CHECK(v.evidence.checked().has(Rule::STATE_4));  // the steps before it still count

  PropertyOptions o;
  o.seed = 5;
  o.cases = 200;
  PropertyRun some =
      runProperty("model-equals-sut", [&] { return std::make_unique<Refusing>(transferOfJ2, config); }, config, o);
  CHECK(some.passed());
  CHECK(some.failure.empty());

  // When no case can happen at all (every job creation refused), the property is not
  // applicable rather than passed.
  auto createJob = [](const Command& c) { return c.kind == CmdKind::CreateJob; };
  PropertyRun none =
      runProperty("late-and-repeated-delivery", [&] { return std::make_unique<Refusing>(createJob, config); }, config, o);
  INFO(none.failure);
  CHECK(none.passed());
  CHECK(none.failure.rfind("not applicable: the SUT could not make", 0) == 0);
}

}  // namespace bc

namespace bc {

TEST_CASE("without network control (a real BITS), the Transfer-driven properties still run", "[suite][REG-8][FLAG-3][REG-3]") {
  SutFactory noNetwork = modelWithout([](Capabilities& c) { c.networkControl = false; });
  for (const char* name : {"late-and-repeated-delivery", "flags-and-disable", "last-writer-wins"}) {
    INFO(name);
    PropertyOptions o;
    o.seed = 3;
    o.cases = 50;
    PropertyRun run = runProperty(name, noNetwork, ModelConfig{}, o);
    INFO(run.failure);
    CHECK(run.passed());
    CHECK(run.casesRun == 50);  // none discarded: no case needs FatalError, TransientError or NetDown
    CHECK(run.failure.empty());
  }
}

TEST_CASE("the determinism property holds one SUT at a time", "[suite]") {
  // Two adapters of one real BITS share its service (Wine: one transfer thread): the first
  // run's SUT is gone before the second one starts.
  struct Counted : ModelSut {
    std::shared_ptr<std::pair<int, int>> live;  // now, most at once
    explicit Counted(std::shared_ptr<std::pair<int, int>> l) : live(std::move(l)) {
      live->second = std::max(live->second, ++live->first);
    }
    ~Counted() override { --live->first; }
  };
  auto live = std::make_shared<std::pair<int, int>>(0, 0);
  PropertyOptions o;
  o.seed = 7;
  o.cases = 10;
  PropertyRun run = runProperty("determinism", [live] { return std::make_unique<Counted>(live); }, ModelConfig{}, o);
  CHECK(run.passed());
  CHECK(run.casesRun > 0);
  CHECK(live->second == 1);
  CHECK(live->first == 0);
}

}  // namespace bc

TEST_CASE("a string that is no reproduce string is refused with its cause", "[suite]") {
  CHECK_THAT(bc::reproduceProblem("model-equals-sut", "garbage").message(), Catch::StartsWith("not a reproduce string ("));
  CHECK_FALSE(bc::reproduceProblem("model-equals-sut", "").ok());
}
