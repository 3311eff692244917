#include "properties/suite.h"

#include <unistd.h>

#include <chrono>
#include <optional>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <random>
#include <stdexcept>

#include <rapidcheck.h>
#include <rapidcheck/detail/Configuration.h>

#include "properties/generators.h"
#include "oracle/refine.h"
#include "oracle/runner.h"
#include "properties/targeted.h"
#include "properties/worlds.h"
#include "vocab/command_text.h"
#include "vocab/observation_text.h"

namespace bc {

namespace {

using R = Rule;

const PropertyInfo kModelEqualsSut{
    "model-equals-sut",
    "random command sequences (swarm testing over every command kind): the SUT matches the model step by step",
    {R::REG_1, R::REG_3, R::DISP_2, R::DISP_3, R::CLSID_7, R::FLAG_3, R::EVT_1, R::EVT_3, R::CB_14, R::STATE_4}};
const PropertyInfo kWorlds{
    "deep-worlds",
    "worlds of up to 8 jobs, 4 apps and 2 servers whose objects serve several jobs at once, long sequences of "
    "restarts, reboots, exits, crashes and network changes between registration changes (swarm over command "
    "families): the SUT matches the model step by step, and on a simulated SUT every job after every step",
    {R::REG_4, R::REG_7, R::CLSID_5, R::CLSID_13, R::DISP_3, R::STATE_9, R::CB_12, R::EVT_6, R::CMD_8}};
const PropertyInfo kDeterminism{
    "determinism", "the same command sequence on two fresh SUTs gives identical traces", {}};

// What the property body learns, shared with runProperty (RapidCheck only returns strings).
struct Context {
  uint64_t commands = 0;
  Evidence evidence;  // every case's check records (oracle/check.h)
  // The last failing case: RapidCheck accepts every failing shrink, so the last one is minimal.
  std::vector<Command> failCommands;
  std::string failText;
  RunOutcome failOutcome = RunOutcome::Diverged;  // what the last failing case was
  RuleSet failRules;
  // The SUT itself broke (crashed, hung, spoke garbage, failed to start). Shrinking on a broken
  // adapter would restart it for every candidate (each waiting out its deadline), so later
  // cases pass without touching it and the failing case is kept as found.
  bool sutBroken = false;
  // Shrinking on a slow SUT (Wine: seconds per candidate) is bounded: once `shrinkBudget`
  // seconds have passed since the first failure, later candidates pass without running, so
  // RapidCheck ends with the smallest failing case found so far.
  double shrinkBudget = 0;  // 0: unbounded
  std::optional<std::chrono::steady_clock::time_point> firstFailure;
  bool shrinkCut = false;
  int discarded = 0;  // cases the SUT could not make happen (runner: NotApplicable)
  // Cases generated before the first failure, and which one failed (1-based): a failure's
  // identity within its chunk (results' failed_case), the same for a fixed seed.
  int casesStarted = 0;
  int failingCase = 0;
  void startCase() {
    if (!firstFailure) ++casesStarted;
  }
  bool shrinkBudgetSpent() {
    if (shrinkBudget <= 0 || !firstFailure) return false;
    double spent = std::chrono::duration<double>(std::chrono::steady_clock::now() - *firstFailure).count();
    if (spent > shrinkBudget) shrinkCut = true;
    return shrinkCut;
  }
};

class QuietListener : public rc::detail::TestListener {
 public:
  int cases = 0;
  void onTestCaseFinished(const rc::detail::CaseDescription&) override { ++cases; }
  void onShrinkTried(const rc::detail::CaseDescription&, bool) override {}
  void onTestFinished(const rc::detail::TestMetadata&, const rc::detail::TestResult&) override {}
};

void fail(Context& ctx, const std::vector<Command>& commands, std::string text, RuleSet rules,
          RunOutcome outcome = RunOutcome::Diverged) {
  if (!ctx.firstFailure) {
    ctx.firstFailure = std::chrono::steady_clock::now();
    ctx.failingCase = ctx.casesStarted;
  }
  ctx.failCommands = commands;
  ctx.failText = std::move(text);
  ctx.failRules = rules;
  ctx.failOutcome = outcome;
  RC_FAIL(ctx.failText);
}

// Runs one case on a fresh SUT; fails the RapidCheck case on a divergence.
Verdict checkOnSut(Context& ctx, const std::vector<Command>& commands, const SutFactory& factory,
                   const ModelConfig& config, const RunOptions& options) {
  if (ctx.sutBroken) RC_SUCCEED("the SUT already broke in this property: not run again");
  if (ctx.shrinkBudgetSpent()) RC_SUCCEED("the shrink budget is spent: not run");
  Verdict v;
  try {
    std::unique_ptr<Sut> sut = factory();
    v = runSequence(commands, config, *sut, options);
  } catch (const SutFailure& e) {  // the SUT could not even start (handshake crashed or timed out)
    ctx.sutBroken = true;
    fail(ctx, commands, "verdict: " + std::string(toString(outcomeOf(e))) + " (" + e.what() + ")\n", {}, outcomeOf(e));
  } catch (const std::exception& e) {  // a SUT bug that is not a SutFailure: still a finding
    ctx.sutBroken = true;
    fail(ctx, commands, std::string("verdict: crashed (") + e.what() + ")\n", {}, RunOutcome::Crashed);
  }
  if (v.kind == RunOutcome::Crashed || v.kind == RunOutcome::TimedOut ||
      v.kind == RunOutcome::ProtocolError)
    ctx.sutBroken = true;
  ctx.commands += v.stepsRun;
  ctx.evidence.add(v.evidence);
  if (v.kind == RunOutcome::NotApplicable) {  // this case cannot happen on the SUT: no verdict
    ++ctx.discarded;
    RC_DISCARD(v.message);
  }
  if (!v.passed()) {
    RuleSet rules = v.divergence ? v.divergence->comparison.rules : RuleSet{};
    fail(ctx, commands, describe(v, commands), rules, v.kind);
  }
  return v;
}

std::string traceText(const std::vector<Command>& commands, const std::vector<Observations>& trace, size_t upTo) {
  std::string s;
  for (size_t i = 0; i <= upTo && i < commands.size(); ++i) {
    s += "     " + formatCommand(commands[i]) + "\n";
    if (i < trace.size())
      for (const auto& o : trace[i]) s += "       " + formatObservation(o) + "\n";
  }
  return s;
}

rc::detail::Property makeProperty(const std::string& name, Context& ctx, const Universe& u,
                                  const SutFactory& factory, const ModelConfig& config,
                                  const std::vector<RuleSet>& targetRules) {
  (void)targetRules;
  if (name == kModelEqualsSut.name) {
    return rc::detail::toProperty([&ctx, u, &factory, config] {
      ctx.startCase();
      KindSet kinds = *genSwarm(u);
      std::vector<Command> seq = *genSequence(u, kinds);
      checkOnSut(ctx, seq, factory, config, RunOptions{});
    });
  }
  if (name == kWorlds.name) {
    return rc::detail::toProperty([&ctx, u, &factory, config] {
      std::vector<Command> seq = *genNamedWorld(u);
      checkOnSut(ctx, seq, factory, config, RunOptions{});
    });
  }
  if (name == kDeterminism.name) {
    return rc::detail::toProperty([&ctx, u, &factory, config] {
      ctx.startCase();
      KindSet kinds = *genSwarm(u);
      std::vector<Command> seq = *genSequence(u, kinds);
      RunOptions trace{true, false};
      if (ctx.sutBroken) RC_SUCCEED("the SUT already broke in this property: not run again");
      if (ctx.shrinkBudgetSpent()) RC_SUCCEED("the shrink budget is spent: not run");
      // One SUT at a time: two adapters of one real BITS share its service (Wine's qmgr
      // transfers one job at a time), so the first one's jobs would stall the second's.
      std::unique_ptr<Sut> s1, s2;
      Verdict v1;
      try {
        s1 = factory();
        v1 = runSequence(seq, config, *s1, trace);
        s1.reset();
        s2 = factory();
      } catch (const SutFailure& e) {
        ctx.sutBroken = true;
        fail(ctx, seq, "verdict: " + std::string(toString(outcomeOf(e))) + " (the SUT failed to start: " + e.what() + ")\n", {},
             outcomeOf(e));
      }
      Verdict v2 = runSequence(seq, config, *s2, trace);
      if (v1.kind == RunOutcome::NotApplicable || v2.kind == RunOutcome::NotApplicable) {
        ++ctx.discarded;
        RC_DISCARD("a case the SUT cannot make happen");
      }
      ctx.commands += v1.stepsRun + v2.stepsRun;
      ctx.evidence.add(v1.evidence);
      size_t n = std::min(v1.actualTrace.size(), v2.actualTrace.size());
      for (size_t i = 0; i < n; ++i) {
        if (v1.actualTrace[i] == v2.actualTrace[i]) continue;
        fail(ctx, seq,
             "verdict: diverged (nondeterministic: two fresh SUTs differ at step " + std::to_string(i + 1) + ")\n" +
                 "  first SUT:\n" + traceText(seq, v1.actualTrace, i) + "  second SUT:\n" + traceText(seq, v2.actualTrace, i),
             {});
      }
      if (v1.kind != v2.kind || v1.actualTrace.size() != v2.actualTrace.size())
        fail(ctx, seq,
             "verdict: diverged (nondeterministic: first SUT " + std::string(toString(v1.kind)) + " after " +
                 std::to_string(v1.stepsRun) + " steps, second " + std::string(toString(v2.kind)) + " after " +
                 std::to_string(v2.stepsRun) + ")\n",
             {});
    });
  }
  for (const TargetedProperty& t : targetedProperties()) {
    if (t.name != name) continue;
    RuleSet rules;
    for (Rule r : t.rules) rules.add(r);
    rc::Gen<Scripted> g = t.gen(u);
    return rc::detail::toProperty([&ctx, g, &factory, config, rules] {
      ctx.startCase();
      Scripted sc = *g;
      bool witness = sc.complete && sc.witness;
      Verdict v = checkOnSut(ctx, sc.commands, factory, config, RunOptions{witness, true});
      if (witness) {
        std::string why = sc.witness(v.expectedTrace, sc.at);
        if (!why.empty())  // the model (or the skeleton) does not show the rule: a suite bug
          fail(ctx, sc.commands,
               "verdict: vacuous (the model's trace does not show the rule: " + why + ")\n" +
                   traceText(sc.commands, v.expectedTrace, sc.commands.size()),
               rules);
      }
    });
  }
  throw std::invalid_argument("unknown property '" + name + "'");
}

// The minimal counterexample once more, its blame narrowed by probing (oracle/refine.h): done
// once per failing property, not for every shrink candidate.
void refineMinimal(PropertyRun& run, const Context& ctx, const SutFactory& factory, const ModelConfig& config) {
  if (ctx.sutBroken || ctx.failCommands.empty() || ctx.failOutcome != RunOutcome::Diverged) return;
  try {
    Verdict v;
    {
      std::unique_ptr<Sut> sut = factory();
      v = runSequence(ctx.failCommands, config, *sut);
    }
    if (!v.divergence) return;
    refineBlame(v, ctx.failCommands, config, factory);
    run.failedRules = v.divergence->comparison.rules;
    run.expected = v.divergence->expected;
    run.actual = v.divergence->actual;
    run.failure = describe(v, ctx.failCommands);
  } catch (const SutFailure&) {
    // the SUT broke on the replay: the blame found while shrinking stays
  }
}

uint64_t freshSeed() {
  std::random_device rd;
  uint64_t s = (static_cast<uint64_t>(rd()) << 32) ^ rd();
  return s == 0 ? 1 : s;
}

std::string selfExe() {
  char buf[4096];
  ssize_t n = readlink("/proc/self/exe", buf, sizeof buf - 1);
  return n > 0 ? std::string(buf, static_cast<size_t>(n)) : std::string("properties_test");
}

std::string shellQuote(const std::string& s) {
  std::string q = "'";
  for (char c : s) q += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return q + "'";
}

std::string reproduceString(const std::string& name, const rc::detail::Reproduce& r) {
  rc::detail::Configuration cfg;
  cfg.reproduce[name] = r;
  std::string s = rc::detail::configToMinimalString(cfg);
  const std::string key = "reproduce=";
  size_t at = s.find(key);
  if (at == std::string::npos) return s;
  std::string value = s.substr(at + key.size());
  return value.substr(0, value.find(' '));  // other keys (seed=...) do not belong to it
}

}  // namespace

Status reproduceProblem(const std::string& property, const std::string& reproduce) {
  std::unordered_map<std::string, rc::detail::Reproduce> map;
  try {  // RapidCheck's parser throws: its exception ends here, as this input's error
    map = rc::detail::configFromString("reproduce=" + reproduce).reproduce;
  } catch (const std::exception& e) {
    return Status::fail("not a reproduce string (" + std::string(e.what()) +
                        "); copy it from a results file's 'reproduce' field");
  }
  if (map.count(property)) return {};
  std::string names;
  for (const auto& [name, r] : map) names += (names.empty() ? "" : ", ") + name;
  return Status::fail("the reproduce string is for " + (names.empty() ? std::string("no property") : names) +
                      ", not for '" + property + "'");
}

std::vector<PropertyInfo> allProperties() {
  std::vector<PropertyInfo> all{kModelEqualsSut, kWorlds};
  for (const TargetedProperty& t : targetedProperties()) all.push_back({t.name, t.description, t.rules});
  all.push_back(kDeterminism);
  return all;
}

std::string foundScenarioText(const std::string& property, uint64_t seed, const std::vector<Command>& commands,
                              const ModelConfig& config, const RuleSet& rules, const std::string& replayCommand) {
  std::string s = "# A minimal counterexample found by the property tests (properties/README.md).\n";
  if (!replayCommand.empty()) s += "# Replay: " + replayCommand + "\n";
  s += "scenario: property " + property + " counterexample (seed " + std::to_string(seed) + ")\n";
  RuleSet named = rules;
  if (named.empty())
    for (const PropertyInfo& p : allProperties())
      if (p.name == property)
        for (Rule r : p.rules) named.add(r);
  if (named.empty()) named.add(Rule::REG_1);  // determinism names no rule; the header needs one
  s += "rules: " + named.toString() + "\n";
  s += "version: " + std::string(toString(config.version)) + "\n";
  for (const std::string& p : describeNonDefault(config.policies)) s += "policy: " + p.substr(0, p.find(' ')) + "\n";
  s += "origin: property " + property + " seed=" + std::to_string(seed) + "\n\n";
  Model model(config);
  Observations obs;
  for (const Command& c : commands) {
    obs.clear();
    model.step(c, obs);
    s += formatCommand(c) + "\n";
    for (const auto& o : obs) s += "  expect " + formatObservation(o) + "\n";
  }
  return s;
}

PropertyRun runProperty(const std::string& name, const SutFactory& factory, const ModelConfig& config,
                        const PropertyOptions& options) {
  auto start = std::chrono::steady_clock::now();
  PropertyRun run;
  run.name = name;
  run.seed = options.seed != 0 ? options.seed : freshSeed();

  Universe u;
  try {
    std::unique_ptr<Sut> probe = factory();
    u.caps = probe->capabilities();
  } catch (const SutFailure& e) {  // never let a broken adapter take the runner down
    run.outcome = isSutFailure(outcomeOf(e)) ? outcomeOf(e) : RunOutcome::Crashed;
    run.failure = "verdict: " + std::string(toString(run.outcome)) + " (the SUT failed to start: " + e.what() + ")\n";
    run.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    return run;
  }
  u.policies = config.policies;

  bool known = name == kModelEqualsSut.name || name == kWorlds.name || name == kDeterminism.name;
  for (const TargetedProperty& t : targetedProperties()) {
    if (t.name != name) continue;
    known = true;
    if (!t.applicable(u)) {
      run.outcome = RunOutcome::NotApplicable;
      run.failure = "not applicable: the SUT '" + u.caps.name + "' lacks the capabilities this property needs";
      return run;
    }
  }
  if (!known) throw std::invalid_argument("unknown property '" + name + "'");

  Context ctx;
  ctx.shrinkBudget = options.shrinkBudgetSeconds;
  rc::detail::Property property = makeProperty(name, ctx, u, factory, config, {});
  rc::detail::TestMetadata metadata;
  metadata.id = name;
  metadata.description = name;
  rc::detail::TestParams params;
  params.seed = run.seed;
  params.maxSuccess = options.cases;
  params.maxSize = options.maxSize;
  std::unordered_map<std::string, rc::detail::Reproduce> reproduceMap;
  if (!options.reproduce.empty())
    reproduceMap = rc::detail::configFromString("reproduce=" + options.reproduce).reproduce;
  QuietListener listener;
  rc::detail::TestResult result = rc::detail::checkProperty(property, metadata, params, listener, reproduceMap);

  run.casesRun = listener.cases;
  run.commandsRun = ctx.commands;
  run.checked = ctx.evidence.checked();
  rc::detail::FailureResult failure;
  if (result.match(failure)) {
    run.outcome = ctx.failText.empty() ? RunOutcome::Diverged : ctx.failOutcome;
    run.counterexample = ctx.failCommands;
    run.failure = ctx.failText.empty() ? failure.description : ctx.failText;
    run.failedRules = ctx.failRules;
    run.failingCase = ctx.failingCase;
    refineMinimal(run, ctx, factory, config);
    if (ctx.shrinkCut)
      run.failure += "  (shrinking stopped after its " + std::to_string(static_cast<int>(options.shrinkBudgetSeconds)) +
                     " s budget: the smallest failing case found so far, maybe not minimal)\n";
    run.reproduce = reproduceString(name, failure.reproduce);
    std::string prefix = options.sutSpec.empty() ? "" : "BITSCONFORM_SUT=" + shellQuote(options.sutSpec) + " ";
    std::string program = options.replayProgram.empty() ? selfExe() : options.replayProgram;
    run.replayCommand = options.replayLine ? options.replayLine(run.reproduce)
                                           : prefix + "RC_PARAMS=\"reproduce=" + run.reproduce + "\" " + program + " \"" +
                                                 name + "\"";
    if (!options.foundDir.empty() && options.reproduce.empty()) {  // a replay saved its file the first time
      std::error_code ec;
      std::filesystem::create_directories(options.foundDir, ec);
      std::string path = options.foundDir + "/" + name + "-" + std::to_string(run.seed) + ".scenario";
      std::ofstream out(path);
      out << foundScenarioText(name, run.seed, run.counterexample, config, run.failedRules, run.replayCommand);
      if (out) run.savedScenario = path;
    }
  } else {
    rc::detail::GaveUpResult gaveUp;
    rc::detail::Error error;
    if (result.match(gaveUp) && ctx.discarded > 0) {  // the SUT could not make the cases happen: no verdict
      run.outcome = RunOutcome::NotApplicable;
      run.failure = "not applicable: the SUT could not make " + std::to_string(ctx.discarded) +
                    " generated cases happen (" + gaveUp.description + ")";
    } else if (result.match(gaveUp)) {
      // Generators that give up or a property body that errs: a suite bug, reported as a divergence.
      run.outcome = RunOutcome::Diverged;
      run.failure = "gave up: " + gaveUp.description;
    } else if (result.match(error)) {
      run.outcome = RunOutcome::Diverged;
      run.failure = "error: " + error.description;
    }
  }
  run.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();

  if (!options.quiet) {
    std::cerr << "property " << name << ": " << (run.passed() ? "OK" : "FAILED") << ", " << run.casesRun
              << " cases, " << run.commandsRun << " commands, seed=" << run.seed << ", " << run.seconds << " s\n";
    if (!run.passed()) {
      std::cerr << "  minimal counterexample (" << run.counterexample.size() << " commands):\n" << run.failure;
      std::cerr << "  replay: " << run.replayCommand << "\n";
      if (!run.savedScenario.empty()) std::cerr << "  saved: " << run.savedScenario << "\n";
    }
  }
  return run;
}

}  // namespace bc
