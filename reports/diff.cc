#include "reports/diff.h"

#include <algorithm>
#include <map>
#include <set>
#include <sstream>

#include "vocab/rules.h"

namespace bc {

namespace {

using nlohmann::json;

bool failing(RuleVerdict v) { return v == RuleVerdict::Fail || v == RuleVerdict::ExpectedFail; }
bool unexercised(RuleVerdict v) {
  return v == RuleVerdict::NotExercised || v == RuleVerdict::NotApplicable || v == RuleVerdict::Blocked ||
         v == RuleVerdict::NotCheckable;
}

RuleChange::Kind classify(RuleVerdict from, RuleVerdict to) {
  // A failure the manifest does not excuse, where the baseline had none, is a regression.
  if (to == RuleVerdict::Fail && from != RuleVerdict::Fail) return RuleChange::Kind::Regression;
  if (from == RuleVerdict::Pass && unexercised(to)) return RuleChange::Kind::LostCoverage;
  if (failing(from) && to == RuleVerdict::Pass) return RuleChange::Kind::Fix;
  if (to == RuleVerdict::Pass) return RuleChange::Kind::NewCoverage;
  return RuleChange::Kind::Other;
}

const char* heading(RuleChange::Kind k) {
  switch (k) {
    case RuleChange::Kind::Regression: return "Rules: REGRESSIONS";
    case RuleChange::Kind::LostCoverage: return "Rules: lost coverage (warning)";
    case RuleChange::Kind::Fix: return "Rules: fixes";
    case RuleChange::Kind::NewCoverage: return "Rules: new coverage";
    case RuleChange::Kind::NewRule: return "Rules: new to the catalog";
    case RuleChange::Kind::Other: return "Rules: other changes";
  }
  return "";
}

const char* heading(UnitChange::Kind k) {
  switch (k) {
    case UnitChange::Kind::NewFailure: return "NEW FAILURES (checks that did not fail in the baseline)";
    case UnitChange::Kind::Fix: return "Fixes";
    case UnitChange::Kind::LostCoverage: return "Lost coverage (warning: passed in the baseline, not checked now)";
    case UnitChange::Kind::NewCoverage: return "New coverage";
  }
  return "";
}

const char* name(UnitChange::Kind k) {
  switch (k) {
    case UnitChange::Kind::NewFailure: return "new-failure";
    case UnitChange::Kind::Fix: return "fix";
    case UnitChange::Kind::LostCoverage: return "lost-coverage";
    case UnitChange::Kind::NewCoverage: return "new-coverage";
  }
  return "";
}

const char* name(RuleChange::Kind k) {
  switch (k) {
    case RuleChange::Kind::Regression: return "regression";
    case RuleChange::Kind::LostCoverage: return "lost-coverage";
    case RuleChange::Kind::Fix: return "fix";
    case RuleChange::Kind::NewCoverage: return "new-coverage";
    case RuleChange::Kind::NewRule: return "new-rule";
    case RuleChange::Kind::Other: return "other";
  }
  return "";
}

// One unit of either run, as the diff sees it.
struct UnitView {
  RunOutcome status = RunOutcome::Pass;
  std::string check;
  std::vector<std::string> rules;  // blamed
  bool listed = false;
  const std::optional<Counterexample>* counterexample = nullptr;
};

template <class Unit>
UnitView view(const Unit& u) {
  return {u.status, checkId(u), u.failedRules, !u.manifestReason.empty(), &u.counterexample};
}

// The units of a run by ID, and their IDs in the run's order (scenarios, then properties).
struct Units {
  std::map<std::string, UnitView> byId;
  std::vector<std::string> order;
};
Units unitsOf(const Results& r) {
  Units u;
  auto add = [&](const std::string& id, UnitView v) {
    if (u.byId.emplace(id, std::move(v)).second) u.order.push_back(id);
  };
  for (const auto& s : r.scenarios) add(unitId(s), view(s));
  for (const auto& p : r.properties) add(unitId(p), view(p));
  return u;
}

// "@step-3" of "scenario:x@step-3".
std::string where(const std::string& check) {
  auto at = check.rfind('@');
  return at == std::string::npos ? check : check.substr(at + 1);
}

std::optional<UnitChange> compareUnit(const std::string& id, const UnitView* b, const UnitView* c) {
  UnitChange ch;
  ch.unit = id;
  ch.from = b ? std::string(toString(b->status)) : "";
  ch.to = c ? std::string(toString(c->status)) : "";
  ch.fromCheck = b ? b->check : "";
  ch.toCheck = c ? c->check : "";
  // A unit whose SUT crashed, hung or spoke garbage checked nothing there: it is no new failing
  // check (no rule was blamed) but what the baseline checked is lost, and the diff's SUT
  // failures (exit 3) name it.
  const bool bFail = b && isFailure(b->status) && !isSutFailure(b->status);
  const bool cFail = c && isFailure(c->status) && !isSutFailure(c->status);
  if (cFail) {
    ch.kind = UnitChange::Kind::NewFailure;
    ch.rules = c->rules;
    ch.expected = c->listed;
    if (*c->counterexample) ch.counterexample = **c->counterexample;
    if (!b) {
      ch.why = "did not run in the baseline";
    } else if (!bFail) {
      ch.why = "was " + std::string(toString(b->status));
    } else if (b->check != c->check) {
      ch.why = "fails at " + where(c->check) + ", was " + where(b->check);
    } else {
      std::string also;
      for (const auto& r : c->rules)
        if (std::find(b->rules.begin(), b->rules.end(), r) == b->rules.end()) also += " " + r;
      if (also.empty()) return std::nullopt;  // the same failing check, blaming nothing new
      ch.why = "now also blames" + also;
    }
    return ch;
  }
  if (c && c->status == RunOutcome::Pass) {
    if (bFail) {
      ch.kind = UnitChange::Kind::Fix;
      ch.rules = b->rules;
      return ch;
    }
    if (!b || b->status == RunOutcome::NotApplicable || isSutFailure(b->status)) {
      ch.kind = UnitChange::Kind::NewCoverage;
      return ch;
    }
    return std::nullopt;
  }
  // Not applicable now, or not run: what the baseline checked here is no longer checked.
  if (b && (b->status == RunOutcome::Pass || bFail)) {
    ch.kind = UnitChange::Kind::LostCoverage;
    ch.rules = bFail ? b->rules : std::vector<std::string>{};
    return ch;
  }
  return std::nullopt;
}

std::string joined(const std::vector<std::string>& v, const char* sep = ", ") {
  std::string out;
  for (const auto& s : v) out += (out.empty() ? "" : sep) + s;
  return out;
}

// Run parameters that change what the same IDs check.
std::vector<std::string> parameterWarnings(const RunInfo& b, const RunInfo& c) {
  std::vector<std::string> w;
  auto differ = [&](const std::string& what, const std::string& x, const std::string& y, const std::string& effect) {
    if (x != y) w.push_back("the runs differ in " + what + ": '" + x + "' (baseline) vs '" + y + "' (current): " + effect);
  };
  differ("SUT", b.sutSpec, c.sutSpec, "the same checks ran on another implementation");
  if (b.sutSpec == c.sutSpec) differ("SUT name", b.sutName, c.sutName, "the same spec started another implementation");
  differ("BITS version", b.bitsVersion, c.bitsVersion, "the model predicted another version's behaviour");
  differ("tool version", b.toolVersion, c.toolVersion, "scenarios, properties or the model may have changed");
  differ("policies", joined(b.nonDefaultPolicies, "; "), joined(c.nonDefaultPolicies, "; "),
         "the model judged by another reading of the docs");
  differ("rule filter", joined(b.ruleFilter), joined(c.ruleFilter), "units one run selected are missing in the other");
  differ("group filter", joined(b.groupFilter), joined(c.groupFilter), "units one run selected are missing in the other");
  differ("shard", b.shard, c.shard, "each shard runs a different part of the units");
  differ("seed", std::to_string(b.seed), std::to_string(c.seed), "property chunks of the same ID checked other cases");
  differ("cases per property", std::to_string(b.cases), std::to_string(c.cases),
         "property chunks differ in number and size");
  differ("manifest", b.manifest, c.manifest, "expected failures are judged by another list");
  return w;
}

void printCounterexample(std::ostringstream& out, const Counterexample& ce) {
  // A scenario's observed trace shows the commands and what the SUT answered: print it instead
  // of the bare commands when there is one.
  out << "    from " << ce.source << (ce.trace.empty() ? "" : ", what the SUT did") << "\n";
  std::istringstream lines(ce.trace.empty() ? ce.scenarioText : ce.trace);
  for (std::string line; std::getline(lines, line);) out << "      " << line << "\n";
  if (!ce.message.empty()) {
    std::istringstream m(ce.message);
    for (std::string line; std::getline(m, line);) out << "    | " << line << "\n";
  }
  if (!ce.replay.empty()) out << "    replay: " << ce.replay << "\n";
}

std::string resultLine(const ResultsDiff& d) {
  if (!d.sutFailures.empty()) return "Result: the SUT failed in the current run.";
  if (d.hasRegression()) {
    size_t n = std::count_if(d.units.begin(), d.units.end(),
                             [](const UnitChange& u) { return u.kind == UnitChange::Kind::NewFailure; });
    size_t rules = std::count_if(d.changes.begin(), d.changes.end(),
                                 [](const RuleChange& c) { return c.kind == RuleChange::Kind::Regression; });
    return "Result: regression (" + std::to_string(n) + " new failing check(s), " + std::to_string(rules) +
           " rule(s) newly failing).";
  }
  if (d.currentUntrustworthy()) return "Result: the current run cannot vouch for no regression.";
  return "Result: no regression.";
}

}  // namespace

bool ResultsDiff::hasNewFailure() const {
  return std::any_of(units.begin(), units.end(), [](const UnitChange& u) { return u.kind == UnitChange::Kind::NewFailure; });
}

bool ResultsDiff::hasRegression() const {
  return hasNewFailure() || std::any_of(changes.begin(), changes.end(), [](const RuleChange& c) {
           return c.kind == RuleChange::Kind::Regression;
         });
}

ResultsDiff diffResults(const Results& baseline, const Results& current) {
  ResultsDiff d;
  const Units base = unitsOf(baseline), cur = unitsOf(current);
  std::vector<std::string> ids = cur.order;
  for (const auto& id : base.order)
    if (!cur.byId.count(id)) ids.push_back(id);
  for (const auto& id : ids) {
    auto b = base.byId.find(id), c = cur.byId.find(id);
    if (auto ch = compareUnit(id, b == base.byId.end() ? nullptr : &b->second, c == cur.byId.end() ? nullptr : &c->second))
      d.units.push_back(std::move(*ch));
  }
  std::stable_sort(d.units.begin(), d.units.end(), [](const UnitChange& a, const UnitChange& b) { return a.kind < b.kind; });

  for (const auto& rule : current.rules) {
    const RuleResult* was = baseline.rule(rule.id);
    RuleChange c;
    c.rule = rule.id;
    c.to = std::string(toString(rule.verdict));
    if (!was) {
      c.kind = rule.verdict == RuleVerdict::Fail ? RuleChange::Kind::Regression : RuleChange::Kind::NewRule;
    } else {
      if (was->verdict == rule.verdict) continue;
      c.from = std::string(toString(was->verdict));
      c.kind = classify(was->verdict, rule.verdict);
    }
    if (c.kind == RuleChange::Kind::Regression) c.counterexamples = rule.counterexamples;
    d.changes.push_back(std::move(c));
  }
  for (const auto& rule : baseline.rules)
    if (!current.rule(rule.id)) (parseRule(rule.id) ? d.lostRules : d.removedRules).push_back(rule.id);
  std::stable_sort(d.changes.begin(), d.changes.end(),
                   [](const RuleChange& a, const RuleChange& b) { return a.kind < b.kind; });

  for (const auto& s : current.scenarios)
    if (isSutFailure(s.status)) d.sutFailures.push_back(checkId(s) + ": " + std::string(toString(s.status)));
  for (const auto& p : current.properties)
    if (isSutFailure(p.status)) d.sutFailures.push_back(checkId(p) + ": " + std::string(toString(p.status)));
  d.currentIncomplete = !current.complete;
  d.currentRanNothing = current.scenarios.empty() && current.properties.empty();
  d.baselineIncomplete = !baseline.complete;
  d.warnings = parameterWarnings(baseline.run, current.run);
  return d;
}

std::string formatDiff(const ResultsDiff& d) {
  std::ostringstream out;
  // First what keeps the current run from vouching for anything: its verdicts may be missing.
  if (!d.sutFailures.empty()) {
    out << "SUT FAILURES in the current run (its checks stopped there: exit 3):\n";
    for (const auto& f : d.sutFailures) out << "  " << f << "\n";
  }
  if (d.currentIncomplete)
    out << "INCOMPLETE: the current run stopped early (complete: false); it cannot show that nothing regressed.\n";
  if (d.currentRanNothing) out << "NOTHING RAN: the current run has no scenario and no property.\n";
  if (!d.lostRules.empty()) out << "LOST RULES: in the baseline and the catalog, missing from the current results: " << joined(d.lostRules, " ") << "\n";
  if (d.baselineIncomplete) out << "Warning: the baseline run stopped early (complete: false); it may lack verdicts.\n";
  for (const auto& w : d.warnings) out << "Warning: " << w << "\n";
  if (out.tellp() > 0) out << "\n";

  std::set<std::string> shown;  // check IDs whose case is printed in full
  int printed = -1;
  for (const UnitChange& u : d.units) {
    if (static_cast<int>(u.kind) != printed) {
      out << (printed < 0 ? "" : "\n") << heading(u.kind) << ":\n";
      printed = static_cast<int>(u.kind);
    }
    switch (u.kind) {
      case UnitChange::Kind::NewFailure:
        out << "  " << u.toCheck << ": " << u.to << (u.rules.empty() ? "" : " blaming " + joined(u.rules)) << "; "
            << u.why << (u.expected ? " (the manifest lists it)" : "") << "\n";
        if (u.counterexample) printCounterexample(out, *u.counterexample);
        shown.insert(u.toCheck);
        break;
      case UnitChange::Kind::Fix:
        out << "  " << u.unit << ": passes, was " << u.from << " at " << where(u.fromCheck)
            << (u.rules.empty() ? "" : " (" + joined(u.rules) + ")") << "\n";
        break;
      case UnitChange::Kind::LostCoverage:
        out << "  " << u.unit << ": " << (u.to.empty() ? "not run" : u.to) << ", was " << u.from << "\n";
        break;
      case UnitChange::Kind::NewCoverage:
        out << "  " << u.unit << ": passes, " << (u.from.empty() ? "did not run in the baseline" : "was " + u.from) << "\n";
        break;
    }
  }
  if (d.units.empty()) out << "No check changed its outcome.\n";

  printed = -1;
  for (const auto& c : d.changes) {
    if (static_cast<int>(c.kind) != printed) {
      out << "\n" << heading(c.kind) << ":\n";
      printed = static_cast<int>(c.kind);
    }
    out << "  " << c.rule << ": " << (c.from.empty() ? "(new)" : c.from) << " -> " << c.to << "\n";
    for (const auto& ce : c.counterexamples) {
      if (shown.count(ce.check)) {
        out << "    from " << ce.check << " (above)\n";
        continue;
      }
      printCounterexample(out, ce);
    }
  }
  if (d.changes.empty()) out << "\nNo rule changed its verdict.\n";
  if (!d.removedRules.empty()) out << "\nRemoved from the catalog: " << joined(d.removedRules, " ") << "\n";
  out << "\n" << resultLine(d) << "\n";
  return out.str();
}

json diffToJson(const ResultsDiff& d) {
  json units = json::array();
  for (const UnitChange& u : d.units) {
    json j = {{"kind", name(u.kind)}, {"unit", u.unit},       {"from", u.from},   {"to", u.to},
              {"from_check", u.fromCheck}, {"to_check", u.toCheck}, {"rules", u.rules}, {"why", u.why},
              {"expected", u.expected}};
    j["replay"] = u.counterexample ? u.counterexample->replay : "";
    units.push_back(std::move(j));
  }
  json rules = json::array();
  for (const RuleChange& c : d.changes) {
    json checks = json::array();
    for (const auto& ce : c.counterexamples) checks.push_back({{"check", ce.check}, {"replay", ce.replay}});
    rules.push_back({{"kind", name(c.kind)}, {"rule", c.rule}, {"from", c.from}, {"to", c.to}, {"counterexamples", checks}});
  }
  std::string result = resultLine(d).substr(8);  // after "Result: "
  result.pop_back();                              // the full stop
  return {{"schema", "bitsconform-diff/1"},
          {"exit_code", d.exitCode()},
          {"result", result},
          {"warnings", d.warnings},
          {"sut_failures", d.sutFailures},
          {"current_incomplete", d.currentIncomplete},
          {"current_ran_nothing", d.currentRanNothing},
          {"baseline_incomplete", d.baselineIncomplete},
          {"lost_rules", d.lostRules},
          {"removed_rules", d.removedRules},
          {"units", units},
          {"rules", rules}};
}

}  // namespace bc
