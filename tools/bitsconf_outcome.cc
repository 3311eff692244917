#include "tools/bitsconf_outcome.h"

#include <filesystem>

#include "oracle/runner.h"
#include "vocab/observation_text.h"

namespace bc {

std::map<std::string, bool> capabilityMap(const Capabilities& c) {
  return {{"commandLine", c.commandLine},       {"notifyClsid", c.notifyClsid},   {"faults", c.faults},
          {"networkControl", c.networkControl}, {"virtualTime", c.virtualTime},   {"serviceRestart", c.serviceRestart},
          {"reboot", c.reboot},                 {"exactModification", c.exactModification}};
}

std::vector<std::string> ruleIds(const RuleSet& rules) { return ruleIds(rules.list()); }
std::vector<std::string> ruleIds(const std::vector<Rule>& rules) {
  std::vector<std::string> out;
  for (Rule r : rules) out.emplace_back(idOf(r));
  return out;
}

std::string formatObservations(const Observations& obs) {
  std::string out;
  for (const auto& o : obs) out += (out.empty() ? "" : "\n") + formatObservation(o);
  return out.empty() ? "(nothing)" : out;
}

std::string shellQuote(const std::string& word) {
  bool plain = !word.empty();
  for (char c : word)
    if (!(isalnum(static_cast<unsigned char>(c)) || std::string_view("_./:=,+-").find(c) != std::string_view::npos))
      plain = false;
  if (plain) return word;
  std::string out = "'";
  for (char c : word) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

std::string thisProgram() {
  std::error_code ec;
  auto p = std::filesystem::read_symlink("/proc/self/exe", ec);
  return ec ? std::string("bitsconf") : p.string();
}

namespace {
std::string sutAndModel(const ReplayContext& c) {
  std::string out = " --sut " + shellQuote(c.sutSpec);
  if (!c.bitsVersion.empty()) out += " --bits-version " + shellQuote(c.bitsVersion);
  for (const auto& p : c.policies) out += " --policy " + shellQuote(p);
  return out;
}
std::string programOf(const ReplayContext& c) { return shellQuote(c.program.empty() ? thisProgram() : c.program); }
std::string absolute(const std::string& path) {
  std::error_code ec;
  auto p = std::filesystem::absolute(path, ec);
  return ec ? path : p.lexically_normal().string();
}
}  // namespace

std::string ReplayContext::scenario(const std::string& path) const {
  return programOf(*this) + " replay " + shellQuote(absolute(path)) + sutAndModel(*this);
}
std::string ReplayContext::property(const std::string& name, const std::string& reproduce) const {
  return programOf(*this) + " replay --property " + shellQuote(name) + " --reproduce " + shellQuote(reproduce) +
         sutAndModel(*this);
}
std::string ReplayContext::savedScenario(const std::string& path) const {
  return programOf(*this) + " replay " + shellQuote(absolute(path)) + " --sut " + shellQuote(sutSpec);
}

std::string counterexampleScenarioText(const std::string& title, const std::string& origin,
                                       const std::vector<std::string>& rules, const std::vector<Command>& commands,
                                       const ModelConfig& config) {
  Scenario s;
  s.title = title;
  for (const auto& id : rules)
    if (auto r = parseRule(id)) s.rules.push_back(*r);
  if (s.rules.empty()) s.rules.push_back(Rule::REG_1);  // the header needs one; an unattributed divergence names none
  s.config = config;
  s.versionPinned = true;
  s.origin = origin;
  Model model(config);
  for (const Command& c : commands) {
    ScenarioStep step;
    step.command = c;
    model.step(c, step.expect);
    s.steps.push_back(std::move(step));
  }
  return "# A minimal counterexample found by `bitsconf run` (" + origin + ").\n" + formatScenario(s);
}

ScenarioOutcome scenarioOutcome(const Scenario& s, const ScenarioResult& r, const std::string& scenarioDir,
                                const ReplayContext& replay, double seconds) {
  ScenarioOutcome o;
  std::error_code ec;
  auto rel = std::filesystem::relative(s.path, std::filesystem::path(scenarioDir).parent_path(), ec);
  o.path = ec || rel.empty() ? s.path : rel.generic_string();
  o.title = s.title;
  o.rules = ruleIds(s.rules);
  o.status = r.kind;
  o.message = r.message;
  if (r.kind == RunOutcome::NotApplicable) o.consulted = ruleIds(r.consulted);
  else o.checked = ruleIds(r.verdict.evidence.checked());
  o.seconds = seconds;
  o.trace = r.trace;
  if (r.verdict.divergence) o.failedRules = ruleIds(r.verdict.divergence->comparison.rules);
  // An expect line that contradicts the model is a claim about the scenario's own rules: either
  // the scenario or the model is wrong about them.
  if (r.kind == RunOutcome::ExpectFailed && o.failedRules.empty()) o.failedRules = o.rules;
  if (isFailure(o.status) && r.failedStep >= 0 && r.failedStep < static_cast<int>(s.steps.size())) {
    o.failedStep = r.failedStep + 1;
    o.failedLine = s.steps[r.failedStep].line;
  }
  if (isFailure(o.status)) {
    Counterexample c;
    c.source = "scenario " + o.path;
    c.scenarioText = formatScenario(s);
    if (const auto& d = r.verdict.divergence) {
      c.expected = formatObservations(d->expected);
      c.actual = formatObservations(d->actual);
      c.message = describe(r.verdict, s.commands());
    } else {
      c.message = r.message;
    }
    c.replay = replay.scenario(s.path);
    c.trace = r.trace;
    o.counterexample = c;
  }
  return o;
}

MutationInfo mutationInfo(const MutationReport& r, const std::string& source) {
  MutationInfo m;
  m.present = true;
  m.killed = static_cast<int>(r.killed);
  m.total = static_cast<int>(r.mutants.size());
  m.score = r.score;
  m.medianSecondsToKill = r.medianSecondsToKill;
  m.maxSecondsToKill = r.maxSecondsToKill;
  m.survivors = r.survivors();
  m.diagnosed = static_cast<int>(r.diagnosed);
  m.diagnosisScore = r.diagnosisScore;
  m.undiagnosed = r.undiagnosed();
  m.seconds = r.seconds;
  m.maxCounterexample = r.maxCounterexample;
  m.source = source;
  return m;
}

PropertyOutcome propertyOutcome(const PropertyRun& r, const std::string& description, const std::vector<Rule>& rules,
                                int chunk, const ReplayContext& replay) {
  PropertyOutcome o;
  o.name = r.name;
  o.description = description;
  o.chunk = chunk;
  o.rules = ruleIds(rules);
  o.seed = r.seed;
  o.cases = r.casesRun;
  o.commands = r.commandsRun;
  o.checked = ruleIds(r.checked);
  o.failedRules = ruleIds(r.failedRules);
  o.reproduce = r.reproduce;
  o.savedScenario = r.savedScenario;
  o.seconds = r.seconds;
  o.failedCase = r.failingCase;
  o.status = r.outcome;  // not-applicable: nothing ran, no pass to count
  if (!r.passed()) {
    Counterexample c;
    c.source = "property " + r.name + " seed=" + std::to_string(r.seed);
    for (const auto& cmd : r.counterexample) c.scenarioText += formatCommand(cmd) + "\n";
    c.message = r.failure;
    if (!r.expected.empty() || !r.actual.empty()) {
      c.expected = formatObservations(r.expected);
      c.actual = formatObservations(r.actual);
    }
    // A SUT that failed to start leaves no reproduce string: the property replays from its seed.
    c.replay = r.reproduce.empty() ? "" : replay.property(r.name, r.reproduce);
    o.counterexample = c;
  }
  return o;
}

// Puts the suite-strength figures into a results file (creating it if missing), leaving the rest.
Status updateResults(const std::string& path, const std::function<void(Results&)>& set) {
  Results r;
  if (std::filesystem::exists(path)) {
    auto read = readResultsFile(path);
    if (!read.ok()) return read.status();
    r = std::move(read).value();
  } else {
    r.run.toolVersion = toolVersion();
    r.run.gitCommit = toolGitCommit();
    r.run.timestamp = utcTimestamp();
    r.run.sutName = "mock";
    r.run.sutSpec = "mock";
    computeRuleVerdicts(r, nullptr);
  }
  set(r);
  return writeResultsFile(r, path);
}

}  // namespace bc
