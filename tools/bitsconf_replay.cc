// bitsconf replay: re-run one failing case and print its trace, expected vs actual, per step.
#include <cstdlib>
#include <iostream>
#include <optional>

#include "oracle/compare.h"
#include "oracle/refine.h"
#include "oracle/runner.h"
#include "sut/registry/sut_registry.h"
#include "scenarios/scenario.h"
#include "tools/bitsconf.h"
#include "tools/bitsconf_outcome.h"
#include "vocab/command_text.h"
#include "vocab/observation_text.h"
#include "properties/suite.h"

namespace bc {

namespace {

struct ReplayOptions {
  std::string file, reproduce, property, sut = "mock";
  uint64_t seed = 0;
  std::vector<std::string> policies;  // as `bitsconf run --policy`: the run's reading, scenarios included
  std::string bitsVersion;            // as `bitsconf run --bits-version`
};

// The policies and version a replay rebuilds, as the run that printed it had them.
struct ReplaySetting {
  ModelConfig config;
  std::vector<std::string> setByRun;  // policy IDs given with --policy
  bool versionGiven = false;
};
std::optional<ReplaySetting> replaySetting(const ReplayOptions& o) {
  ReplaySetting r;
  for (const auto& p : o.policies) {
    auto eq = p.find('=');
    Status err = eq == std::string::npos ? Status::fail("expected KEY=VALUE")
                                         : setPolicy(r.config.policies, p.substr(0, eq), p.substr(eq + 1));
    if (!err.ok()) {
      std::cerr << "bitsconf replay: --policy " << p << ": " << err.message() << "\n";
      return std::nullopt;
    }
    r.setByRun.emplace_back(*policyId(p.substr(0, eq)));
  }
  if (!o.bitsVersion.empty()) {
    auto v = parseBitsVersion(o.bitsVersion);
    if (!v) {
      std::cerr << "bitsconf replay: unknown BITS version '" << o.bitsVersion << "'\n";
      return std::nullopt;
    }
    r.config.version = *v;
    r.versionGiven = true;
  }
  return r;
}

void printObservations(const char* label, const Observations& obs) {
  std::cout << "    " << label << ":";
  if (obs.empty()) std::cout << " (nothing)";
  std::cout << "\n";
  for (const auto& o : obs) std::cout << "      " << formatObservation(o) << "\n";
}

int replayScenario(const ReplayOptions& o) {
  auto loaded = loadScenarioFile(o.file);
  if (!loaded.ok()) {
    std::cerr << loaded.message() << "\n";
    return kExitInput;
  }
  auto setting = replaySetting(o);
  if (!setting) return kExitInput;
  // Under the replayed run's policies, as `bitsconf run` ran it (underRunPolicies).
  auto under = underRunPolicies(*loaded, setting->config.policies, setting->setByRun);
  if (auto* why = std::get_if<std::string>(&under)) {
    std::cout << "verdict: not-applicable (" << *why << ")\n";
    return kExitOk;
  }
  const Scenario& s = std::get<Scenario>(under);
  std::cout << "scenario: " << s.title << "\nrules: ";
  for (Rule r : s.rules) std::cout << idOf(r) << " ";
  std::cout << "\nsut: " << o.sut << "\n\n";

  ScenarioResult onModel = runScenarioOnModel(s);
  if (!onModel.passed()) std::cout << "expect lines vs the model: " << onModel.message << "\n\n";

  // A simulated SUT is set to the scenario's policies (its 'policy:' lines), as the model is.
  SutRequest request;
  request.spec = o.sut;
  // An unpinned scenario runs on a SUT of the replayed run's --bits-version, as in that run.
  request.version = setting->versionGiven && !s.versionPinned ? setting->config.version : s.config.version;
  request.policies = s.config.policies;
  if (auto why = policiesNotFollowed(request)) {
    std::cout << "verdict: not-applicable (" << *why << ")\n";
    return onModel.passed() ? kExitOk : kExitFailures;
  }
  SutFactory factory = makeSutFactory(request);  // an unknown spec or adapter path: exit 2 (main)
  std::unique_ptr<Sut> sut;
  try {
    sut = factory();
  } catch (const SutFailure& e) {  // the README: the SUT crashed, hung or spoke garbage is 3
    std::cerr << "bitsconf replay: the SUT failed to start: " << e.what() << "\n";
    return kExitSutFailure;
  }
  RunOptions options;
  options.recordTrace = true;
  options.stopAtFirstDivergence = false;
  auto commands = s.commands();
  // As the run compared it: the model at the SUT's own version unless the scenario pins one.
  ModelConfig config = s.config;
  if (!s.versionPinned) config.version = sut->capabilities().version;
  Verdict v = runSequence(commands, config, *sut, options);
  sut.reset();
  // The blame narrowed by probing, as the run reported it (oracle/refine.h).
  if (v.divergence) refineBlame(v, commands, config, factory);
  for (size_t i = 0; i < v.expectedTrace.size(); ++i) {
    const Observations& expected = v.expectedTrace[i];
    const Observations& actual = i < v.actualTrace.size() ? v.actualTrace[i] : Observations{};
    const bool match = i < v.stepMatched.size() && v.stepMatched[i];
    std::cout << (match ? "  " : "! ") << "step " << i + 1 << " (line " << s.steps[i].line << "): " << formatCommand(commands[i])
              << (match ? "" : "   <-- differs") << "\n";
    printObservations("expected", expected);
    if (!match) printObservations("actual", actual);
  }
  std::cout << "\n" << (v.passed() ? std::string("verdict: pass") : describe(v, commands)) << "\n";
  if (v.kind == RunOutcome::Crashed || v.kind == RunOutcome::TimedOut ||
      v.kind == RunOutcome::ProtocolError)
    return kExitSutFailure;
  return v.passed() && onModel.passed() ? kExitOk : kExitFailures;
}

int replayProperty(const ReplayOptions& o) {
  // A string that reproduces nothing would "pass on replay": garbage is a usage error instead.
  if (Status e = reproduceProblem(o.property, o.reproduce); !e.ok()) {
    std::cerr << "bitsconf replay: --reproduce: " << e.message() << "\n";
    return kExitInput;
  }
  auto setting = replaySetting(o);
  if (!setting) return kExitInput;
  // The run's SUT and model: its policies, and its --bits-version or else the SUT's own version.
  SutRequest request;
  request.spec = o.sut;
  request.policies = setting->config.policies;
  if (setting->versionGiven) request.version = setting->config.version;
  if (auto why = policiesNotFollowed(request)) {
    std::cerr << "bitsconf replay: --policy: " << *why << "\n";
    return kExitInput;
  }
  SutFactory factory = makeSutFactory(request);
  PropertyOptions po;
  po.seed = o.seed;
  po.quiet = false;
  po.reproduce = o.reproduce;
  PropertyRun r;
  try {
    ModelConfig config = setting->config;
    if (!setting->versionGiven) config.version = factory()->capabilities().version;
    r = runProperty(o.property, factory, config, po);
  } catch (const SutFailure& e) {
    std::cerr << "bitsconf replay: the SUT failed to start: " << e.what() << "\n";
    return kExitSutFailure;
  }
  if (isSutFailure(r.outcome)) {
    std::cout << "property " << o.property << ": the SUT failed:\n" << r.failure << "\n";
    return kExitSutFailure;
  }
  if (r.passed()) {
    std::cout << "property " << o.property << ": passed on replay (the failure no longer reproduces)\n";
    return kExitOk;
  }
  std::cout << "property " << o.property << " fails:\n";
  for (const auto& c : r.counterexample) std::cout << "  " << formatCommand(c) << "\n";
  std::cout << "\n" << r.failure << "\n";
  return kExitFailures;
}

}  // namespace

void addReplayCommand(CLI::App& app, Action& action) {
  auto o = std::make_shared<ReplayOptions>();
  CLI::App* cmd = app.add_subcommand(
      "replay", "Replay FILE.scenario (or --reproduce STRING --property NAME) and print expected vs actual per step");
  cmd->add_option("file", o->file, "a .scenario file")->check(CLI::ExistingFile);
  auto* rep = cmd->add_option("--reproduce", o->reproduce, "a RapidCheck reproduce string from a results file");
  auto* prop = cmd->add_option("--property", o->property, "the property the reproduce string belongs to");
  cmd->add_option("--seed", o->seed, "the seed of the failing run")->capture_default_str()->check(digitsOnly());
  rep->needs(prop);
  prop->needs(rep);
  cmd->add_option("--sut", o->sut, "the SUT")->capture_default_str();
  cmd->add_option("--policy", o->policies, "a policy the replayed run was set to, e.g. OQ-7b=alt (repeatable)");
  cmd->add_option("--bits-version", o->bitsVersion, "the --bits-version of the replayed run");
  cmd->callback([&action, o, cmd] {
    if (o->file.empty() == o->reproduce.empty())
      throw CLI::ValidationError("replay", "give either a .scenario FILE or --reproduce STRING --property NAME");
    (void)cmd;
    action = [o] { return o->file.empty() ? replayProperty(*o) : replayScenario(*o); };
  });
}

}  // namespace bc
