// scenario_run.cc: checking a scenario's expect lines on the model, and a SUT against the model.
#include <algorithm>
#include <exception>

#include "oracle/refine.h"
#include "scenarios/scenario.h"
#include "vocab/command_text.h"
#include "vocab/observation_text.h"

namespace bc {

namespace {

// Compares one step's expect lines with what the model gave; "" when they agree.
std::string checkStep(const Scenario& s, const ScenarioStep& step, const Observations& got) {
  const std::string where = s.path + ":";
  size_t n = std::min(step.expect.size(), got.size());
  for (size_t i = 0; i < n; ++i) {
    if (!(step.expect[i] == got[i]))
      return where + std::to_string(step.expectLines[i]) + ": expected '" + formatObservation(step.expect[i]) +
             "', model gave '" + formatObservation(got[i]) + "'";
  }
  if (step.expect.size() > got.size())
    return where + std::to_string(step.expectLines[n]) + ": expected '" + formatObservation(step.expect[n]) +
           "', model gave nothing more for '" + formatCommand(step.command) + "'";
  if (got.size() > step.expect.size())
    return where + std::to_string(step.expectLines.back()) + ": expected nothing after '" +
           formatObservation(step.expect.back()) + "', model gave '" + formatObservation(got[n]) + "' too";
  return "";
}

}  // namespace

ScenarioResult runScenarioOnModel(const Scenario& s) {
  ScenarioResult result;
  Model model(s.config);
  Observations got;
  for (const ScenarioStep& step : s.steps) {
    const int index = static_cast<int>(&step - s.steps.data());
    got.clear();
    try {
      model.step(step.command, got);
    } catch (const std::exception& e) {
      // The model must never throw; if it does, the scenario cannot be judged past this step.
      result.kind = RunOutcome::ExpectFailed;
      result.message += (result.message.empty() ? "" : "\n") + s.path + ":" + std::to_string(step.line) +
                        ": the model threw on '" + formatCommand(step.command) + "': " + e.what();
      if (result.failedStep < 0) result.failedStep = index;
      return result;
    }
    for (const auto& o : got) result.consulted.add(o.rules);
    if (step.expect.empty()) continue;
    std::string m = checkStep(s, step, got);
    if (m.empty()) continue;
    result.kind = RunOutcome::ExpectFailed;
    result.message += (result.message.empty() ? "" : "\n") + m;
    if (result.failedStep < 0) result.failedStep = index;
  }
  return result;
}

namespace {
std::vector<Observations> modelTrace(const std::vector<Command>& commands, const ModelConfig& config) {
  Model model(config);
  std::vector<Observations> trace(commands.size());
  for (size_t i = 0; i < commands.size(); ++i) model.step(commands[i], trace[i]);
  return trace;
}
}  // namespace

std::string formatTrace(const std::vector<Command>& commands, const Verdict& v) {
  // Comments are one line: a SUT's message may hold newlines.
  auto oneLine = [](std::string text) {
    for (char& c : text)
      if (c == '\n' || c == '\r') c = ' ';
    return text;
  };
  std::string out;
  for (size_t i = 0; i < v.actualTrace.size() && i < commands.size(); ++i) {
    out += formatCommand(commands[i]) + "\n";
    for (const Observation& o : v.actualTrace[i]) out += "  " + formatObservation(o) + "\n";
    if (v.divergence && v.divergence->step == i)
      // The explanation's first line says what differs; the rest repeats the observations above.
      out += "  # differs from the model: " +
             oneLine(v.divergence->comparison.explanation.substr(0, v.divergence->comparison.explanation.find('\n'))) +
             "\n";
  }
  const bool sutFailed = v.kind == RunOutcome::Crashed || v.kind == RunOutcome::TimedOut ||
                         v.kind == RunOutcome::ProtocolError;
  if (sutFailed && v.actualTrace.size() < commands.size())
    out += formatCommand(commands[v.actualTrace.size()]) + "\n  # " + std::string(toString(v.kind)) + ": " +
           oneLine(v.message) + "\n";
  return out;
}

std::variant<Scenario, std::string> underRunPolicies(const Scenario& s, const Policies& run,
                                                     const std::vector<std::string>& setByRun) {
  Scenario under = s;
  under.config.policies = run;
  std::string pinned;  // the scenario's own settings, "OQ-7b=alt"
  for (const PolicyInfo& info : allPolicies()) {
    if (!info.switchable || isDefault(s.config.policies, info.id)) continue;
    const std::string own = policySetting(s.config.policies, info.id);
    pinned += (pinned.empty() ? "" : ", ") + std::string(info.id) + "=" + own;
    const bool runSetsIt = std::find(setByRun.begin(), setByRun.end(), info.id) != setByRun.end();
    if (runSetsIt && policySetting(run, info.id) != own)
      return "policy not exercised: the scenario is written for " + std::string(info.id) + "=" + own +
             ", the run is set to " + std::string(info.id) + "=" + policySetting(run, info.id);
    (void)setPolicy(under.config.policies, info.id, own);  // `own` is policySetting's: it always parses
  }
  if (under.config.policies == s.config.policies) return under;
  if (!runScenarioOnModel(under).passed() && runScenarioOnModel(s).passed()) {
    std::string runs;
    for (const std::string& d : describeNonDefault(run)) runs += (runs.empty() ? "" : ", ") + d.substr(0, d.find(' '));
    return "policy not exercised: its expect lines hold under " +
           (pinned.empty() ? std::string("the default policies") : pinned) + ", not under the run's " +
           (runs.empty() ? std::string("defaults") : runs);
  }
  return under;
}

ScenarioResult scenarioNotApplicable(const Scenario& s, const std::string& why) {
  ScenarioResult result = runScenarioOnModel(s);
  if (!result.passed()) return result;
  result.kind = RunOutcome::NotApplicable;
  result.message = s.path + ": " + why;
  result.verdict.kind = RunOutcome::NotApplicable;
  result.verdict.message = result.message;
  return result;
}

namespace {

// Why `s` cannot run on a SUT with `caps` ("" when it can). `config` gets the model's
// configuration for that SUT: the model is the oracle for the SUT's own version.
std::string inapplicable(const Scenario& s, const Capabilities& caps, ModelConfig& config) {
  BitsVersion sutVersion = caps.version;
  if (s.versionPinned && sutVersion != s.config.version)
    return s.path + ": the scenario emulates BITS " + std::string(toString(s.config.version)) + ", '" + caps.name +
           "' is BITS " + std::string(toString(sutVersion));
  std::vector<Command> commands = s.commands();
  config = s.config;
  config.version = sutVersion;
  if (sutVersion != s.config.version && modelTrace(commands, config) != modelTrace(commands, s.config))
    // The scenario's story needs what BITS gained after the SUT's version: running it would
    // credit its rules with something else.
    return s.path + ": the scenario behaves differently at BITS " + std::string(toString(sutVersion)) + " ('" +
           caps.name + "') than at " + std::string(toString(s.config.version)) + ": it needs a newer version's features";
  return "";
}

ScenarioResult notApplicable(ScenarioResult result, const std::string& why) {
  result.kind = RunOutcome::NotApplicable;
  result.message = why;
  result.verdict.kind = RunOutcome::NotApplicable;
  result.verdict.message = why;
  return result;
}

}  // namespace

ScenarioResult runScenario(const Scenario& s, const SutFactory& factory) { return runScenario(s, factory, nullptr); }

ScenarioResult runScenario(const Scenario& s, const SutFactory& factory, const Capabilities* known) {
  ScenarioResult onModel = runScenarioOnModel(s);
  if (!onModel.passed()) return onModel;
  ScenarioResult result;
  result.consulted = onModel.consulted;  // what the scenario is about, for the not-applicable paths below
  ModelConfig config;
  if (known) {  // decided before a SUT is started: an adapter process is not free
    if (std::string why = inapplicable(s, *known, config); !why.empty()) return notApplicable(result, why);
    for (const Command& c : s.commands())
      if (!known->supports(c))
        return notApplicable(result, s.path + ": verdict: not-applicable (needs capability '" +  // as describe() says it
                                         std::string(toString(requiredCapability(c))) + "' for '" + formatCommand(c) + "')\n");
  }
  std::unique_ptr<Sut> sut;
  try {
    sut = factory();
  } catch (const SutFailure& f) {  // a SUT that cannot even start is this scenario's verdict
    result.verdict.kind = outcomeOf(f);
    result.kind = result.verdict.kind;
    result.message = s.path + ": verdict: " + std::string(toString(result.kind)) + " (the SUT failed to start: " +
                     f.what() + ")";
    result.verdict.message = result.message;
    return result;
  }
  if (std::string why = inapplicable(s, sut->capabilities(), config); !why.empty()) return notApplicable(result, why);
  std::vector<Command> commands = s.commands();
  RunOptions options;
  options.recordTrace = true;  // the report shows what the SUT did, passing or not
  result.verdict = runSequence(commands, config, *sut, options);
  sut.reset();  // a real adapter's processes end before the probe starts its own
  refineBlame(result.verdict, commands, config, factory);
  result.kind = result.verdict.kind;
  result.trace = formatTrace(commands, result.verdict);
  if (result.verdict.divergence) result.failedStep = static_cast<int>(result.verdict.divergence->step);
  else if (!result.passed() && result.kind != RunOutcome::NotApplicable)
    result.failedStep = static_cast<int>(result.verdict.stepsRun);  // the step a SUT failure ended
  if (!result.verdict.passed()) result.message = s.path + ": " + describe(result.verdict, commands);
  if (result.verdict.divergence) {
    // Point at the scenario line of the divergent step, so the file can be opened right there.
    size_t i = result.verdict.divergence->step;
    if (i < s.steps.size())
      result.message = s.path + ":" + std::to_string(s.steps[i].line) + ": " + describe(result.verdict, commands);
  }
  return result;
}

}  // namespace bc
