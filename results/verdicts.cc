// verdicts.cc: each rule's verdict from the units' check records and the manifest, its
// counterexamples and its witness (results.h: computeRuleVerdicts).
#include <algorithm>
#include <map>
#include <set>

#include "model/checkable.h"
#include "results/manifest.h"
#include "results/results.h"
#include "vocab/rules.h"

namespace bc {

namespace {

// A counterexample list per rule stays short: the smallest few are what a person reads.
constexpr size_t kMaxCounterexamplesPerRule = 3;

bool contains(const std::vector<std::string>& v, const std::string& x) { return std::find(v.begin(), v.end(), x) != v.end(); }

// What stopped a failing outcome, for the rules it blocked: the rules it blames, or its
// status when it blames none (a SUT failure, a harness rule).
std::vector<std::string> blockers(RunOutcome status, const std::vector<std::string>& failedRules) {
  if (!failedRules.empty()) return failedRules;
  return {std::string(isSutFailure(status) ? toString(status) : "unattributed divergence")};
}


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

}  // namespace bc
