// results_json.cc: the results file's JSON form (SCHEMA.md), both ways.
#include <algorithm>
#include <stdexcept>

#include "results/results.h"
#include "vocab/rules.h"

namespace bc {

using nlohmann::json;

namespace {

// A results file that does not fit the schema: thrown inside this file only, from deep in the
// decoding, and turned into an Error by resultsFromJson.
struct Malformed : std::runtime_error {
  using std::runtime_error::runtime_error;
};

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
  throw Malformed(unit + ": unknown status '" + text + "'");
}

std::optional<Counterexample> optionalCounterexampleFromJson(const json& j, const char* key) {
  if (!j.contains(key) || j[key].is_null()) return std::nullopt;
  return counterexampleFromJson(j[key]);
}

}  // namespace

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
      for (const CoveredTransition& t : c.exercised) {
        exercised.push_back({{"key", t.key}, {"rules", t.rules}});
        if (!t.paths.empty()) exercised.back()["paths"] = t.paths;
      }
      j["coverage"]["explore_seconds"] = c.exploreSeconds;
      j["coverage"]["steps"] = c.steps;
      j["coverage"]["totals_by_rule"] = c.totalsByRule;
      j["coverage"]["gaps"] = gaps;
      if (c.detail) j["coverage"]["exercised"] = exercised;
      if (!c.totalsByPath.empty()) {
        j["coverage"]["totals_by_path"] = c.totalsByPath;
        j["coverage"]["gaps_by_path"] = c.gapsByPath;
      }
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

namespace {

Results decode(const json& j) {
  if (!j.is_object()) throw Malformed("not a results file: the top level is not a JSON object");
  std::string schema = j.is_object() && j.contains("schema") && j["schema"].is_string() ? j["schema"].get<std::string>() : "";
  if (schema == "bitsconform-results/1")
    throw Malformed("schema 'bitsconform-results/1' is from before check records: its passes are consulted rules, "
                       "not evidence; run `bitsconf run` again to get '" + std::string(kResultsSchema) + "'");
  if (schema == "bitsconform-results/2")
    throw Malformed("schema 'bitsconform-results/2' is from before per-check IDs (each unit's id, its failing "
                       "check, its manifest entry; coverage as counts): `bitsconf diff` could not compare it check by "
                       "check; run `bitsconf run` again to get '" + std::string(kResultsSchema) + "'");
  if (schema != kResultsSchema)
    throw Malformed("unsupported schema '" + schema + "' (expected '" + std::string(kResultsSchema) + "')");
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
      if (!v) throw Malformed("rule " + rr.id + ": unknown verdict '" + jr["verdict"].get<std::string>() + "'");
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
      r.coverage.totalsByPath = c.value("totals_by_path", std::map<std::string, uint64_t>{});
      r.coverage.gapsByPath = c.value("gaps_by_path", std::map<std::string, uint64_t>{});
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
        r.coverage.exercised.push_back({t.value("key", ""), t.value("rules", std::vector<std::string>{}),
                                        t.value("paths", std::vector<std::string>{})});
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
    throw Malformed(std::string("malformed results: ") + e.what());
  }
}

}  // namespace

Expected<Results> resultsFromJson(const json& j) {
  try {
    return decode(j);
  } catch (const Malformed& e) {
    return Error{{}, 0, 0, e.what()};
  } catch (const json::exception& e) {
    return Error{{}, 0, 0, std::string("malformed results: ") + e.what()};
  }
}

}  // namespace bc
