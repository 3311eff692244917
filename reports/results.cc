#include "reports/results.h"

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "model/checkable.h"
#include "reports/manifest.h"
#include "reports/output_file.h"
#include "vocab/rules.h"

#ifndef BITSCONFORM_VERSION
#define BITSCONFORM_VERSION "unknown"
#endif
#ifndef BITSCONFORM_GIT_COMMIT
#define BITSCONFORM_GIT_COMMIT ""
#endif

namespace bc {

using nlohmann::json;

namespace {

constexpr std::pair<RuleVerdict, std::string_view> kVerdictNames[] = {
    {RuleVerdict::Pass, "pass"},
    {RuleVerdict::Fail, "fail"},
    {RuleVerdict::ExpectedFail, "expected-fail"},
    {RuleVerdict::NotApplicable, "not-applicable"},
    {RuleVerdict::NotExercised, "not-exercised"},
    {RuleVerdict::Blocked, "blocked"},
    {RuleVerdict::NotCheckable, "not-checkable"},
};

// A counterexample list per rule stays short: the smallest few are what a person reads.
constexpr size_t kMaxCounterexamplesPerRule = 3;

json toJson(const Counterexample& c) {
  return {{"check", c.check},   {"source", c.source},   {"scenario", c.scenarioText}, {"expected", c.expected},
          {"actual", c.actual}, {"message", c.message}, {"replay", c.replay},         {"trace", c.trace}};
}

Counterexample counterexampleFromJson(const json& j) {
  Counterexample c;
  c.source = j.value("source", "");
  c.scenarioText = j.value("scenario", "");
  c.expected = j.value("expected", "");
  c.actual = j.value("actual", "");
  c.message = j.value("message", "");
  c.replay = j.value("replay", "");
  c.trace = j.value("trace", "");
  c.check = j.value("check", "");
  return c;
}

json optionalWitness(const std::optional<Witness>& w) {
  if (!w) return nullptr;
  return {{"source", w->source}, {"scenario", w->scenario}, {"trace", w->trace}};
}

std::optional<Witness> optionalWitnessFromJson(const json& j) {
  if (!j.contains("witness") || j["witness"].is_null()) return std::nullopt;
  const json& w = j["witness"];
  return Witness{w.value("source", ""), w.value("scenario", ""), w.value("trace", "")};
}

template <class Unit>
void readExpectation(const json& j, Unit& u) {
  if (!j.contains("manifest") || !j["manifest"].is_object()) return;
  u.manifestReason = j["manifest"].value("reason", "");
  u.manifestLink = j["manifest"].value("link", "");
  u.fixed = j.value("fixed", false);
}

json optionalCounterexample(const std::optional<Counterexample>& c) {
  return c ? toJson(*c) : json(nullptr);
}

// A unit's "status": the text form of a RunOutcome (vocab/run_outcome.h), nothing else.
RunOutcome statusFromJson(const json& j, const std::string& unit) {
  std::string text = j.value("status", "pass");
  if (auto o = parseRunOutcome(text)) return *o;
  throw ResultsError(unit + ": unknown status '" + text + "'");
}

std::optional<Counterexample> optionalCounterexampleFromJson(const json& j, const char* key) {
  if (!j.contains(key) || j[key].is_null()) return std::nullopt;
  return counterexampleFromJson(j[key]);
}

// What stopped a failing outcome, for the rules it blocked: the rules it blames, or its
// status when it blames none (a SUT failure, a harness rule).
std::vector<std::string> blockers(RunOutcome status, const std::vector<std::string>& failedRules) {
  if (!failedRules.empty()) return failedRules;
  return {std::string(isSutFailure(status) ? toString(status) : "unattributed divergence")};
}

bool contains(const std::vector<std::string>& v, const std::string& x) { return std::find(v.begin(), v.end(), x) != v.end(); }

size_t scenarioSize(const Counterexample& c) { return std::count(c.scenarioText.begin(), c.scenarioText.end(), '\n'); }

// The capability a not-applicable scenario was refused for, from the runner's message
// ("needs capability 'notify-clsid' for ..."), if its message names one.
std::optional<std::string> missingCapability(const std::string& message) {
  static constexpr std::string_view kNeeds = "needs capability '";
  size_t at = message.find(kNeeds);
  if (at == std::string::npos) return std::nullopt;
  at += kNeeds.size();
  size_t end = message.find('\'', at);
  if (end == std::string::npos) return std::nullopt;
  return message.substr(at, end - at);
}

// The evidence for a capability: keyed as the runner names it ("notify-clsid") or as the
// capability map does ("notifyClsid").
const std::string* evidenceFor(const RunInfo& run, const std::string& capability) {
  if (auto it = run.evidence.find(capability); it != run.evidence.end()) return &it->second;
  std::string camel;
  for (size_t i = 0; i < capability.size(); ++i)
    camel += capability[i] == '-' && i + 1 < capability.size() ? static_cast<char>(toupper(capability[++i])) : capability[i];
  if (auto it = run.evidence.find(camel); it != run.evidence.end()) return &it->second;
  return nullptr;
}

// The first scenario (by path) that supports `r`'s verdict; see Witness.
std::optional<Witness> chooseWitness(const RuleResult& r, const Results& results,
                                     const std::vector<const ScenarioOutcome*>& byPath) {
  auto scenarioWitness = [](const ScenarioOutcome& s) {
    return Witness{"scenario " + s.path, s.path, s.trace};
  };
  // A pass is best shown by a passing scenario about the rule (its header) that checked it,
  // then by any passing one that checked it; failing those, the matched checks of one that
  // diverged later also vouch for it (that is how it was counted).
  if (r.verdict == RuleVerdict::Pass) {
    for (const ScenarioOutcome* s : byPath)
      if (s->status == RunOutcome::Pass && contains(s->rules, r.id) && contains(s->checked, r.id)) return scenarioWitness(*s);
    for (const ScenarioOutcome* s : byPath)
      if (s->status == RunOutcome::Pass && contains(s->checked, r.id)) return scenarioWitness(*s);
    for (const ScenarioOutcome* s : byPath)
      if (s->status != RunOutcome::NotApplicable && contains(s->checked, r.id)) return scenarioWitness(*s);
    return std::nullopt;
  }
  if (r.verdict == RuleVerdict::Fail || r.verdict == RuleVerdict::ExpectedFail)  // about the rule first
    for (const ScenarioOutcome* s : byPath)
      if (isFailure(s->status) && contains(s->failedRules, r.id) && contains(s->rules, r.id))
        return scenarioWitness(*s);
  for (const ScenarioOutcome* s : byPath) {
    switch (r.verdict) {
      case RuleVerdict::Fail:
      case RuleVerdict::ExpectedFail:
        if (isFailure(s->status) && contains(s->failedRules, r.id)) return scenarioWitness(*s);
        break;
      case RuleVerdict::NotApplicable: {
        if (s->status != RunOutcome::NotApplicable || !(contains(s->rules, r.id) || contains(s->consulted, r.id))) break;
        auto capability = missingCapability(s->message);
        if (!capability) break;
        if (const std::string* evidence = evidenceFor(results.run, *capability))
          return Witness{"capability " + *capability, s->path, *evidence};
        break;
      }
      default: return std::nullopt;
    }
  }
  return std::nullopt;
}

}  // namespace

std::string_view toString(RuleVerdict v) {
  for (const auto& [value, name] : kVerdictNames)
    if (value == v) return name;
  return "?";
}

std::optional<RuleVerdict> parseRuleVerdict(std::string_view text) {
  for (const auto& [value, name] : kVerdictNames)
    if (name == text) return value;
  return std::nullopt;
}


std::string unitId(const ScenarioOutcome& s) { return "scenario:" + s.path; }
std::string unitId(const PropertyOutcome& p) {
  return p.name == "covering-set" ? p.name : "property:" + p.name + "#" + std::to_string(p.chunk);
}
std::string checkId(const ScenarioOutcome& s) {
  if (!isFailure(s.status)) return "";
  return unitId(s) + (s.failedStep > 0 ? "@step-" + std::to_string(s.failedStep) : "@start");
}
std::string checkId(const PropertyOutcome& p) {
  if (!isFailure(p.status)) return "";
  if (p.failedCase <= 0) return unitId(p) + "@start";
  return unitId(p) + (p.name == "covering-set" ? "@sequence-" : "@case-") + std::to_string(p.failedCase);
}

const RuleResult* Results::rule(std::string_view id) const {
  for (const auto& r : rules)
    if (r.id == id) return &r;
  return nullptr;
}

std::map<std::string, int> Results::verdictCounts() const {
  std::map<std::string, int> counts;
  for (const auto& [v, name] : kVerdictNames) counts[std::string(name)] = 0;
  for (const auto& r : rules) ++counts[std::string(toString(r.verdict))];
  return counts;
}

namespace {
// A failing unit no manifest entry excuses: not listed, or blaming no rule at all.
template <class Unit>
bool unexpectedFailure(const Unit& u) {
  if (!isFailure(u.status) || isSutFailure(u.status)) return false;
  return u.manifestReason.empty() || u.failedRules.empty();
}
}  // namespace

int Results::unexpectedFailures() const { return static_cast<int>(unexpectedUnits().size()); }

std::vector<std::string> Results::unexpectedUnits() const {
  std::vector<std::string> out;
  for (const auto& s : scenarios)
    if (unexpectedFailure(s)) out.push_back(checkId(s));
  for (const auto& p : properties)
    if (unexpectedFailure(p)) out.push_back(checkId(p));
  return out;
}

int Results::sutFailures() const {
  int n = 0;
  for (const auto& s : scenarios) n += isSutFailure(s.status);
  for (const auto& p : properties) n += isSutFailure(p.status);
  return n;
}

int Results::unattributedFailures() const {
  auto unattributed = [](RunOutcome status, const std::vector<std::string>& failed) {
    return isFailure(status) && !isSutFailure(status) && failed.empty();
  };
  int n = 0;
  for (const auto& s : scenarios) n += unattributed(s.status, s.failedRules);
  for (const auto& p : properties) n += unattributed(p.status, p.failedRules);
  return n;
}

bool Results::sutFailed() const {
  for (const auto& s : scenarios)
    if (isSutFailure(s.status)) return true;
  for (const auto& p : properties)
    if (isSutFailure(p.status)) return true;
  return false;
}

void computeRuleVerdicts(Results& results, const Manifest* manifest) {
  struct Tally {
    int scenarios = 0, properties = 0, propertyCases = 0, failures = 0;
    int unlistedFailures = 0;  // of them, in units the manifest does not name
    bool notApplicable = false;
    std::set<std::string> blockedBy;
    std::vector<Counterexample> counterexamples;
  };
  std::erase_if(results.notes, [](const std::string& n) { return n.rfind("fixed: ", 0) == 0; });
  // Each unit's own expectation first: the manifest's entry naming it, and its failing check.
  auto expect = [&](auto& unit, const ManifestEntry* e, const std::string& kind, const std::string& name) {
    unit.manifestReason = e ? e->reason : "";
    unit.manifestLink = e ? e->link : "";
    unit.fixed = e && unit.status == RunOutcome::Pass;
    if (unit.fixed)
      results.notes.push_back("fixed: " + kind + " " + name + " is listed as an expected failure in " + manifest->path +
                              " but passed; remove it from the manifest");
    if (unit.counterexample) unit.counterexample->check = checkId(unit);
  };
  for (auto& s : results.scenarios) expect(s, manifest ? manifest->findScenario(s.path) : nullptr, "scenario", s.path);
  for (auto& p : results.properties) expect(p, manifest ? manifest->findProperty(p.name) : nullptr, "property", unitId(p));

  std::map<std::string, Tally, std::less<>> tally;
  auto addFailure = [&](const std::vector<std::string>& ids, const std::optional<Counterexample>& c, bool listed) {
    for (const auto& id : std::set<std::string>(ids.begin(), ids.end())) {
      Tally& t = tally[id];
      ++t.failures;
      t.unlistedFailures += !listed;
      if (c) t.counterexamples.push_back(*c);
    }
  };
  // A failing unit's rules that it is about (its header) but neither blames nor checked: its
  // checks of them never ran.
  auto addBlocked = [&](const std::vector<std::string>& about, const std::vector<std::string>& checked,
                        RunOutcome status, const std::vector<std::string>& failed) {
    for (const auto& id : about) {
      if (contains(failed, id) || contains(checked, id)) continue;
      for (const auto& b : blockers(status, failed)) tally[id].blockedBy.insert(b);
    }
  };
  for (const auto& s : results.scenarios) {
    if (s.status == RunOutcome::NotApplicable) {
      for (const auto& id : s.rules) tally[id].notApplicable = true;
      for (const auto& id : s.consulted) tally[id].notApplicable = true;
      continue;
    }
    for (const auto& id : s.checked) ++tally[id].scenarios;
    if (isFailure(s.status)) {
      addFailure(s.failedRules, s.counterexample, !s.manifestReason.empty());
      addBlocked(s.rules, s.checked, s.status, s.failedRules);
    }
  }
  for (const auto& p : results.properties) {
    if (p.status == RunOutcome::NotApplicable) {
      for (const auto& id : p.rules) tally[id].notApplicable = true;
      continue;
    }
    for (const auto& id : p.checked) {
      Tally& t = tally[id];
      ++t.properties;
      t.propertyCases += p.cases;
    }
    if (isFailure(p.status)) {
      addFailure(p.failedRules, p.counterexample, !p.manifestReason.empty());
      addBlocked(p.rules, p.checked, p.status, p.failedRules);
    }
  }

  std::vector<const ScenarioOutcome*> byPath;
  for (const auto& s : results.scenarios) byPath.push_back(&s);
  std::stable_sort(byPath.begin(), byPath.end(), [](const auto* a, const auto* b) { return a->path < b->path; });

  results.rules.clear();
  for (const RuleInfo& info : allRules()) {
    RuleResult r;
    r.id = std::string(info.id);
    auto it = tally.find(info.id);
    Tally t = it == tally.end() ? Tally{} : it->second;
    r.scenarios = t.scenarios;
    r.properties = t.properties;
    r.propertyCases = t.propertyCases;
    r.failures = t.failures;
    r.blockedBy.assign(t.blockedBy.begin(), t.blockedBy.end());
    std::stable_sort(t.counterexamples.begin(), t.counterexamples.end(),
                     [](const Counterexample& a, const Counterexample& b) { return scenarioSize(a) < scenarioSize(b); });
    if (t.counterexamples.size() > kMaxCounterexamplesPerRule) t.counterexamples.resize(kMaxCounterexamplesPerRule);
    r.counterexamples = std::move(t.counterexamples);
    const auto notCheckable = notCheckableReason(info.rule);
    if (notCheckable) r.notCheckable = std::string(*notCheckable);
    if (t.failures > 0) r.verdict = RuleVerdict::Fail;
    else if (t.scenarios + t.properties > 0) r.verdict = RuleVerdict::Pass;
    else if (notCheckable) r.verdict = RuleVerdict::NotCheckable;
    else if (!t.blockedBy.empty()) r.verdict = RuleVerdict::Blocked;
    else if (t.notApplicable) r.verdict = RuleVerdict::NotApplicable;
    else r.verdict = RuleVerdict::NotExercised;
    // A rule that fails only in units the manifest names is as expected as a listed rule.
    if (r.verdict == RuleVerdict::Fail && t.unlistedFailures == 0) r.verdict = RuleVerdict::ExpectedFail;
    if (const ManifestEntry* e = manifest ? manifest->find(r.id) : nullptr) {
      r.manifestReason = e->reason;
      r.manifestLink = e->link;
      if (r.verdict == RuleVerdict::Fail) r.verdict = RuleVerdict::ExpectedFail;
      else if (r.verdict == RuleVerdict::Pass) {
        r.fixed = true;
        results.notes.push_back("fixed: " + r.id + " is listed as an expected failure in " + manifest->path +
                                " but passed; remove it from the manifest");
      }
    }
    r.witness = chooseWitness(r, results, byPath);
    results.rules.push_back(std::move(r));
  }
}

RunVerdict runVerdict(const Results& r) {
  if (r.sutFailed())
    return {3, "SUT FAILURE",
            "the SUT crashed, hung or spoke garbage in " + std::to_string(r.sutFailures()) +
                " unit(s): their checks stopped there, so the run cannot vouch for what they cover"};
  if (!r.inputErrors.empty())
    return {2, "INPUT ERROR", std::to_string(r.inputErrors.size()) + " scenario file(s) did not parse; the others ran"};
  if (int n = r.unexpectedFailures())
    return {1, "FAIL", std::to_string(n) + " unexpected failure(s): failing checks the manifest does not list"};
  bool fixed = std::any_of(r.rules.begin(), r.rules.end(), [](const RuleResult& x) { return x.fixed; }) ||
               std::any_of(r.scenarios.begin(), r.scenarios.end(), [](const auto& x) { return x.fixed; }) ||
               std::any_of(r.properties.begin(), r.properties.end(), [](const auto& x) { return x.fixed; });
  if (fixed && r.run.strictManifest)
    return {1, "FAIL", "a failure the manifest lists now passes (--strict-manifest): update the manifest"};
  bool expected = std::any_of(r.rules.begin(), r.rules.end(),
                              [](const RuleResult& x) { return x.verdict == RuleVerdict::ExpectedFail; });
  return {0, "PASS", expected ? "every check passed, or failed as the manifest expects" : "every check passed"};
}

json toJson(const Results& r) {
  json j;
  j["schema"] = kResultsSchema;
  j["complete"] = r.complete;
  j["tool"] = {{"version", r.run.toolVersion}, {"git_commit", r.run.gitCommit}};
  j["timestamp"] = r.run.timestamp;
  j["sut"] = {{"name", r.run.sutName},
              {"description", r.run.sutDescription},
              {"spec", r.run.sutSpec},
              {"capabilities", r.run.capabilities},
              {"evidence", r.run.evidence}};
  j["bits_version"] = r.run.bitsVersion;
  json policies = json::array();
  for (const auto& p : r.run.policies)
    policies.push_back({{"id", p.id}, {"name", p.name}, {"switchable", p.switchable}, {"default", p.isDefault},
                        {"assumption", p.assumption}, {"alternative", p.alternative}});
  j["policies"] = policies;
  j["non_default_policies"] = r.run.nonDefaultPolicies;
  j["seed"] = r.run.seed;
  j["cases_per_property"] = r.run.cases;
  j["shard"] = r.run.shard;
  j["filters"] = {{"rules", r.run.ruleFilter}, {"groups", r.run.groupFilter}};
  j["manifest"] = r.run.manifest;
  j["strict_manifest"] = r.run.strictManifest;

  int scenariosFailed = 0, propertiesFailed = 0, propertyCases = 0;
  for (const auto& s : r.scenarios) scenariosFailed += isFailure(s.status);
  for (const auto& p : r.properties) {
    propertiesFailed += isFailure(p.status);
    propertyCases += p.cases;
  }
  j["counts"] = {{"scenarios", r.scenarios.size()}, {"scenarios_failed", scenariosFailed},
                 {"properties", r.properties.size()}, {"properties_failed", propertiesFailed},
                 {"property_cases", propertyCases},   {"rules", r.verdictCounts()}};

  json rules = json::array();
  for (const auto& rr : r.rules) {
    json jr = {{"id", rr.id}, {"verdict", toString(rr.verdict)},
               {"evidence", {{"scenarios", rr.scenarios}, {"properties", rr.properties},
                             {"property_cases", rr.propertyCases}, {"failures", rr.failures}}},
               {"fixed", rr.fixed}};
    if (!rr.blockedBy.empty()) jr["blocked_by"] = rr.blockedBy;
    if (!rr.notCheckable.empty()) jr["not_checkable"] = rr.notCheckable;
    if (auto rule = parseRule(rr.id)) {
      const RuleInfo& ri = info(*rule);
      jr["group"] = ri.group;
      jr["status"] = toString(ri.status);
      jr["summary"] = ri.summary;
      jr["doc_url"] = ri.docUrl;
    }
    if (!rr.manifestReason.empty() || !rr.manifestLink.empty())
      jr["manifest"] = {{"reason", rr.manifestReason}, {"link", rr.manifestLink}};
    json ces = json::array();
    for (const auto& c : rr.counterexamples) ces.push_back(toJson(c));
    jr["counterexamples"] = ces;
    jr["witness"] = optionalWitness(rr.witness);
    rules.push_back(jr);
  }
  j["rules"] = rules;

  // A unit's expectation, as a rule's: {"reason", "link"} when the manifest names it.
  auto expectation = [](json& unit, const auto& u) {
    if (u.manifestReason.empty()) return;
    unit["manifest"] = {{"reason", u.manifestReason}, {"link", u.manifestLink}};
    unit["fixed"] = u.fixed;
  };
  json scenarios = json::array();
  for (const auto& s : r.scenarios) {
    json js = {{"id", unitId(s)}, {"path", s.path}, {"title", s.title}, {"rules", s.rules}, {"status", toString(s.status)},
               {"check", checkId(s)}, {"failed_step", s.failedStep}, {"failed_line", s.failedLine},
               {"message", s.message}, {"checked", s.checked}, {"consulted", s.consulted},
               {"failed_rules", s.failedRules}, {"counterexample", optionalCounterexample(s.counterexample)},
               {"seconds", s.seconds}, {"trace", s.trace}};
    expectation(js, s);
    scenarios.push_back(std::move(js));
  }
  j["scenarios"] = scenarios;
  json properties = json::array();
  for (const auto& p : r.properties) {
    json jp = {{"id", unitId(p)}, {"name", p.name}, {"description", p.description}, {"chunk", p.chunk},
               {"rules", p.rules}, {"status", toString(p.status)}, {"check", checkId(p)}, {"failed_case", p.failedCase},
               {"seed", p.seed}, {"cases", p.cases}, {"commands", p.commands}, {"checked", p.checked},
               {"failed_rules", p.failedRules}, {"counterexample", optionalCounterexample(p.counterexample)},
               {"reproduce", p.reproduce}, {"saved_scenario", p.savedScenario}, {"seconds", p.seconds}};
    expectation(jp, p);
    properties.push_back(std::move(jp));
  }
  j["properties"] = properties;
  j["notes"] = r.notes;
  j["input_errors"] = r.inputErrors;
  if (r.coverage.present) {
    const CoverageInfo& c = r.coverage;
    j["coverage"] = {{"source", c.source},   {"bound", c.bound},     {"reachable", c.reachable},
                     {"covered", c.covered}, {"percent", c.percent}, {"gaps_by_rule", c.gapsByRule}};
    if (!c.totalsByRule.empty()) {
      json gaps = json::array();
      for (const CoverageRuleGap& g : c.gaps) {
        json examples = json::array();
        for (const CoverageGapExample& e : g.examples)
          examples.push_back({{"key", e.key}, {"transition", e.transition}, {"sequence", e.sequence}});
        gaps.push_back({{"rule", g.rule}, {"uncovered", g.uncovered}, {"total", g.total}, {"examples", examples}});
      }
      json exercised = json::array();
      for (const CoveredTransition& t : c.exercised) exercised.push_back({{"key", t.key}, {"rules", t.rules}});
      j["coverage"]["explore_seconds"] = c.exploreSeconds;
      j["coverage"]["steps"] = c.steps;
      j["coverage"]["totals_by_rule"] = c.totalsByRule;
      j["coverage"]["gaps"] = gaps;
      if (c.detail) j["coverage"]["exercised"] = exercised;
    }
  }
  if (r.mutation.present)
    j["mutation"] = {{"killed", r.mutation.killed},
                     {"total", r.mutation.total},
                     {"score", r.mutation.score},
                     {"median_seconds_to_kill", r.mutation.medianSecondsToKill},
                     {"max_seconds_to_kill", r.mutation.maxSecondsToKill},
                     {"survivors", r.mutation.survivors},
                     {"diagnosed", r.mutation.diagnosed},
                     {"diagnosis_score", r.mutation.diagnosisScore},
                     {"undiagnosed", r.mutation.undiagnosed},
                     {"seconds", r.mutation.seconds},
                     {"max_counterexample", r.mutation.maxCounterexample},
                     {"source", r.mutation.source}};
  return j;
}

Results resultsFromJson(const json& j) {
  if (!j.is_object()) throw ResultsError("not a results file: the top level is not a JSON object");
  std::string schema = j.is_object() && j.contains("schema") && j["schema"].is_string() ? j["schema"].get<std::string>() : "";
  if (schema == "bitsconform-results/1")
    throw ResultsError("schema 'bitsconform-results/1' is from before check records: its passes are consulted rules, "
                       "not evidence; run `bitsconf run` again to get '" + std::string(kResultsSchema) + "'");
  if (schema == "bitsconform-results/2")
    throw ResultsError("schema 'bitsconform-results/2' is from before per-check IDs (each unit's id, its failing "
                       "check, its manifest entry; coverage as counts): `bitsconf diff` could not compare it check by "
                       "check; run `bitsconf run` again to get '" + std::string(kResultsSchema) + "'");
  if (schema != kResultsSchema)
    throw ResultsError("unsupported schema '" + schema + "' (expected '" + std::string(kResultsSchema) + "')");
  try {
    Results r;
    r.complete = j.value("complete", false);
    const json& tool = j.at("tool");
    r.run.toolVersion = tool.value("version", "");
    r.run.gitCommit = tool.value("git_commit", "");
    r.run.timestamp = j.value("timestamp", "");
    const json& sut = j.at("sut");
    r.run.sutName = sut.value("name", "");
    r.run.sutDescription = sut.value("description", "");
    r.run.sutSpec = sut.value("spec", "");
    r.run.capabilities = sut.value("capabilities", std::map<std::string, bool>{});
    r.run.evidence = sut.value("evidence", std::map<std::string, std::string>{});
    r.run.bitsVersion = j.value("bits_version", "");
    for (const auto& p : j.value("policies", json::array()))
      r.run.policies.push_back({p.value("id", ""), p.value("name", ""), p.value("assumption", ""),
                                p.value("alternative", ""), p.value("switchable", false), p.value("default", true)});
    r.run.nonDefaultPolicies = j.value("non_default_policies", std::vector<std::string>{});
    r.run.seed = j.value("seed", uint64_t{0});
    r.run.cases = j.value("cases_per_property", 0);
    r.run.shard = j.value("shard", "");
    if (j.contains("filters")) {
      r.run.ruleFilter = j["filters"].value("rules", std::vector<std::string>{});
      r.run.groupFilter = j["filters"].value("groups", std::vector<std::string>{});
    }
    r.run.manifest = j.value("manifest", "");
    r.run.strictManifest = j.value("strict_manifest", false);
    for (const auto& jr : j.at("rules")) {
      RuleResult rr;
      rr.id = jr.at("id").get<std::string>();
      auto v = parseRuleVerdict(jr.at("verdict").get<std::string>());
      if (!v) throw ResultsError("rule " + rr.id + ": unknown verdict '" + jr["verdict"].get<std::string>() + "'");
      rr.verdict = *v;
      const json& ev = jr.at("evidence");
      rr.scenarios = ev.value("scenarios", 0);
      rr.properties = ev.value("properties", 0);
      rr.propertyCases = ev.value("property_cases", 0);
      rr.failures = ev.value("failures", 0);
      rr.blockedBy = jr.value("blocked_by", std::vector<std::string>{});
      rr.notCheckable = jr.value("not_checkable", "");
      rr.fixed = jr.value("fixed", false);
      if (jr.contains("manifest")) {
        rr.manifestReason = jr["manifest"].value("reason", "");
        rr.manifestLink = jr["manifest"].value("link", "");
      }
      for (const auto& c : jr.value("counterexamples", json::array())) rr.counterexamples.push_back(counterexampleFromJson(c));
      rr.witness = optionalWitnessFromJson(jr);
      r.rules.push_back(std::move(rr));
    }
    for (const auto& js : j.value("scenarios", json::array())) {
      ScenarioOutcome s;
      s.path = js.value("path", "");
      s.title = js.value("title", "");
      s.rules = js.value("rules", std::vector<std::string>{});
      s.status = statusFromJson(js, "scenario " + s.path);
      s.message = js.value("message", "");
      s.checked = js.value("checked", std::vector<std::string>{});
      s.consulted = js.value("consulted", std::vector<std::string>{});
      s.failedRules = js.value("failed_rules", std::vector<std::string>{});
      s.counterexample = optionalCounterexampleFromJson(js, "counterexample");
      s.seconds = js.value("seconds", 0.0);
      s.trace = js.value("trace", "");
      s.failedStep = js.value("failed_step", 0);
      s.failedLine = js.value("failed_line", 0);
      readExpectation(js, s);
      r.scenarios.push_back(std::move(s));
    }
    for (const auto& jp : j.value("properties", json::array())) {
      PropertyOutcome p;
      p.name = jp.value("name", "");
      p.description = jp.value("description", "");
      p.chunk = jp.value("chunk", 0);
      p.rules = jp.value("rules", std::vector<std::string>{});
      p.status = statusFromJson(jp, "property " + p.name);
      p.seed = jp.value("seed", uint64_t{0});
      p.cases = jp.value("cases", 0);
      p.commands = jp.value("commands", uint64_t{0});
      p.checked = jp.value("checked", std::vector<std::string>{});
      p.failedRules = jp.value("failed_rules", std::vector<std::string>{});
      p.counterexample = optionalCounterexampleFromJson(jp, "counterexample");
      p.reproduce = jp.value("reproduce", "");
      p.savedScenario = jp.value("saved_scenario", "");
      p.seconds = jp.value("seconds", 0.0);
      p.failedCase = jp.value("failed_case", 0);
      readExpectation(jp, p);
      r.properties.push_back(std::move(p));
    }
    r.notes = j.value("notes", std::vector<std::string>{});
    r.inputErrors = j.value("input_errors", std::vector<std::string>{});
    if (j.contains("coverage")) {
      const json& c = j.at("coverage");
      r.coverage.present = true;
      r.coverage.source = c.value("source", "");
      r.coverage.bound = c.value("bound", 0);
      r.coverage.reachable = c.value("reachable", uint64_t{0});
      r.coverage.covered = c.value("covered", uint64_t{0});
      r.coverage.percent = c.value("percent", 0.0);
      r.coverage.gapsByRule = c.value("gaps_by_rule", std::map<std::string, uint64_t>{});
      r.coverage.exploreSeconds = c.value("explore_seconds", 0.0);
      r.coverage.steps = c.value("steps", uint64_t{0});
      r.coverage.totalsByRule = c.value("totals_by_rule", std::map<std::string, uint64_t>{});
      for (const json& g : c.value("gaps", json::array())) {
        CoverageRuleGap gap;
        gap.rule = g.value("rule", "");
        gap.uncovered = g.value("uncovered", uint64_t{0});
        gap.total = g.value("total", uint64_t{0});
        for (const json& e : g.value("examples", json::array()))
          gap.examples.push_back({e.value("key", ""), e.value("transition", ""), e.value("sequence", "")});
        r.coverage.gaps.push_back(std::move(gap));
      }
      r.coverage.detail = c.contains("exercised") || r.coverage.totalsByRule.empty();
      for (const json& t : c.value("exercised", json::array()))
        r.coverage.exercised.push_back({t.value("key", ""), t.value("rules", std::vector<std::string>{})});
    }
    if (j.contains("mutation")) {
      const json& m = j.at("mutation");
      r.mutation.present = true;
      r.mutation.killed = m.value("killed", 0);
      r.mutation.total = m.value("total", 0);
      r.mutation.score = m.value("score", 0.0);
      r.mutation.medianSecondsToKill = m.value("median_seconds_to_kill", 0.0);
      r.mutation.maxSecondsToKill = m.value("max_seconds_to_kill", 0.0);
      r.mutation.survivors = m.value("survivors", std::vector<std::string>{});
      r.mutation.diagnosed = m.value("diagnosed", 0);
      r.mutation.diagnosisScore = m.value("diagnosis_score", 0.0);
      r.mutation.undiagnosed = m.value("undiagnosed", std::vector<std::string>{});
      r.mutation.seconds = m.value("seconds", 0.0);
      r.mutation.maxCounterexample = m.value("max_counterexample", uint64_t{0});
      r.mutation.source = m.value("source", "");
    }
    return r;
  } catch (const json::exception& e) {
    throw ResultsError(std::string("malformed results: ") + e.what());
  }
}

void writeResultsFile(const Results& r, const std::string& path) {
  // Text from outside is made valid UTF-8 where it enters; `replace` is the last guard, so that
  // writing never throws on content (a lost results file would hide the whole run).
  replaceFile(path, toJson(r).dump(2, ' ', false, json::error_handler_t::replace) + "\n");
}

Results readResultsFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw ResultsError(path + ": cannot open");
  try {
    json j = json::parse(in);
    return resultsFromJson(j);
  } catch (const json::exception& e) {
    throw ResultsError(path + ": not JSON: " + e.what());
  } catch (const ResultsError& e) {
    throw ResultsError(path + ": " + e.what());
  }
}

std::string toolVersion() { return BITSCONFORM_VERSION; }
std::string toolGitCommit() { return BITSCONFORM_GIT_COMMIT; }

std::string utcTimestamp() {
  std::time_t t = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

void recomputeCoverage(CoverageInfo& c) {
  std::sort(c.exercised.begin(), c.exercised.end(), [](const auto& a, const auto& b) { return a.key < b.key; });
  c.exercised.erase(std::unique(c.exercised.begin(), c.exercised.end(),
                                [](const auto& a, const auto& b) { return a.key == b.key; }),
                    c.exercised.end());
  std::map<std::string, uint64_t> hit;
  std::set<std::string> keys;
  for (const CoveredTransition& t : c.exercised) {
    keys.insert(t.key);
    for (const std::string& r : t.rules) ++hit[r];
  }
  c.covered = c.exercised.size();
  c.percent = c.reachable == 0 ? 100.0 : 100.0 * double(c.covered) / double(c.reachable);
  c.gapsByRule.clear();
  std::map<std::string, CoverageRuleGap> old;
  for (CoverageRuleGap& g : c.gaps) old[g.rule] = std::move(g);
  c.gaps.clear();
  for (const auto& [rule, total] : c.totalsByRule) {
    uint64_t uncovered = total - std::min(total, hit[rule]);
    if (uncovered == 0) continue;
    c.gapsByRule[rule] = uncovered;
    CoverageRuleGap g{rule, uncovered, total, {}};
    for (CoverageGapExample& e : old[rule].examples)
      if (!keys.count(e.key)) g.examples.push_back(std::move(e));
    c.gaps.push_back(std::move(g));
  }
  std::stable_sort(c.gaps.begin(), c.gaps.end(), [](const auto& a, const auto& b) { return a.uncovered > b.uncovered; });
}

std::optional<std::string> mergeCoverage(CoverageInfo& into, const CoverageInfo& shard) {
  if (!shard.present) return std::nullopt;
  if (!into.present) {
    into = shard;
    return std::nullopt;
  }
  if (!into.detail || !shard.detail)
    return "coverage of a shard lists no exercised transitions (a shard run writes them; this one was made "
           "otherwise): their union is unknown, the first shard's coverage is kept";
  if (into.source != shard.source || into.bound != shard.bound || into.reachable != shard.reachable ||
      into.totalsByRule != shard.totalsByRule || into.totalsByRule.empty())
    return "coverage of the shards was measured differently ('" + into.source + "' vs '" + shard.source +
           "'): the first shard's is kept";
  into.exercised.insert(into.exercised.end(), shard.exercised.begin(), shard.exercised.end());
  into.steps += shard.steps;
  into.exploreSeconds = std::max(into.exploreSeconds, shard.exploreSeconds);
  // Examples of either shard, for rules still with gaps (recomputeCoverage drops closed ones).
  std::map<std::string, const CoverageRuleGap*> theirs;
  for (const CoverageRuleGap& g : shard.gaps) theirs[g.rule] = &g;
  for (CoverageRuleGap& g : into.gaps) {
    auto it = theirs.find(g.rule);
    if (it == theirs.end()) continue;
    for (const CoverageGapExample& e : it->second->examples)
      if (std::none_of(g.examples.begin(), g.examples.end(), [&](const auto& x) { return x.key == e.key; }))
        g.examples.push_back(e);
  }
  for (const CoverageRuleGap& g : shard.gaps)
    if (std::none_of(into.gaps.begin(), into.gaps.end(), [&](const auto& x) { return x.rule == g.rule; }))
      into.gaps.push_back(g);
  recomputeCoverage(into);
  for (CoverageRuleGap& g : into.gaps)
    if (g.examples.size() > 3) g.examples.resize(3);
  return std::nullopt;
}

}  // namespace bc
