#include "reports/diff.h"

#include <algorithm>
#include <sstream>

#include "vocab/rules.h"

namespace bc {

namespace {

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
    case RuleChange::Kind::Regression: return "REGRESSIONS";
    case RuleChange::Kind::LostCoverage: return "Lost coverage (warning)";
    case RuleChange::Kind::Fix: return "Fixes";
    case RuleChange::Kind::NewCoverage: return "New coverage";
    case RuleChange::Kind::NewRule: return "New rules";
    case RuleChange::Kind::Other: return "Other changes";
  }
  return "";
}

}  // namespace

bool ResultsDiff::hasRegression() const {
  return std::any_of(changes.begin(), changes.end(),
                     [](const RuleChange& c) { return c.kind == RuleChange::Kind::Regression; });
}

ResultsDiff diffResults(const Results& baseline, const Results& current) {
  ResultsDiff d;
  for (const auto& cur : current.rules) {
    const RuleResult* base = baseline.rule(cur.id);
    RuleChange c;
    c.rule = cur.id;
    c.to = std::string(toString(cur.verdict));
    if (!base) {
      c.kind = cur.verdict == RuleVerdict::Fail ? RuleChange::Kind::Regression : RuleChange::Kind::NewRule;
    } else {
      if (base->verdict == cur.verdict) continue;
      c.from = std::string(toString(base->verdict));
      c.kind = classify(base->verdict, cur.verdict);
    }
    if (c.kind == RuleChange::Kind::Regression) c.counterexamples = cur.counterexamples;
    d.changes.push_back(std::move(c));
  }
  for (const auto& base : baseline.rules)
    if (!current.rule(base.id)) (parseRule(base.id) ? d.lostRules : d.removedRules).push_back(base.id);
  for (const auto& s : current.scenarios)
    if (isSutFailureStatus(s.status)) d.sutFailures.push_back("scenario " + s.path + ": " + s.status);
  for (const auto& p : current.properties)
    if (isSutFailureStatus(p.status))
      d.sutFailures.push_back("property " + p.name + " chunk " + std::to_string(p.chunk) + ": " + p.status);
  d.currentIncomplete = !current.complete;
  d.currentRanNothing = current.scenarios.empty() && current.properties.empty();
  d.baselineIncomplete = !baseline.complete;
  std::stable_sort(d.changes.begin(), d.changes.end(),
                   [](const RuleChange& a, const RuleChange& b) { return a.kind < b.kind; });
  return d;
}

std::string formatDiff(const ResultsDiff& d) {
  std::ostringstream out;
  // First what keeps the current run from vouching for anything: its verdicts may be missing.
  if (!d.sutFailures.empty()) {
    out << "SUT FAILURES in the current run (its checks stopped there: exit 3):\n";
    for (const auto& f : d.sutFailures) out << "  " << f << "\n";
  }
  if (d.currentIncomplete) out << "INCOMPLETE: the current run stopped early (complete: false); it cannot show that nothing regressed.\n";
  if (d.currentRanNothing) out << "NOTHING RAN: the current run has no scenario and no property.\n";
  if (!d.lostRules.empty()) {
    out << "LOST RULES: in the baseline and the catalog, missing from the current results:";
    for (const auto& r : d.lostRules) out << " " << r;
    out << "\n";
  }
  if (d.baselineIncomplete) out << "Warning: the baseline run stopped early (complete: false); it may lack verdicts.\n";
  if (out.tellp() > 0) out << "\n";
  if (d.changes.empty() && d.removedRules.empty()) {
    out << "No rule changed its verdict.\n";
    if (d.currentUntrustworthy()) out << "\n" << (d.sutFailures.empty() ? "Result: the current run cannot vouch for no regression." : "Result: the SUT failed in the current run.") << "\n";
    return out.str();
  }
  int printed = -1;
  bool first = true;
  for (const auto& c : d.changes) {
    if (static_cast<int>(c.kind) != printed) {
      printed = static_cast<int>(c.kind);
      out << (first ? "" : "\n") << heading(c.kind) << ":\n";
      first = false;
    }
    out << "  " << c.rule << ": " << (c.from.empty() ? "(new)" : c.from) << " -> " << c.to << "\n";
    for (const auto& ce : c.counterexamples) {
      // A scenario's observed trace shows the commands and what the SUT answered: print it
      // instead of the bare commands when there is one.
      out << "    from " << ce.source << (ce.trace.empty() ? "" : ", what the SUT did") << "\n";
      std::istringstream lines(ce.trace.empty() ? ce.scenarioText : ce.trace);
      for (std::string line; std::getline(lines, line);) out << "      " << line << "\n";
      if (!ce.message.empty()) {
        std::istringstream m(ce.message);
        for (std::string line; std::getline(m, line);) out << "    | " << line << "\n";
      }
      if (!ce.replay.empty()) out << "    replay: " << ce.replay << "\n";
    }
  }
  if (!d.removedRules.empty()) {
    out << "\nRemoved from the catalog:";
    for (const auto& r : d.removedRules) out << " " << r;
    out << "\n";
  }
  out << "\n"
      << (!d.sutFailures.empty()          ? "Result: the SUT failed in the current run."
          : d.hasRegression()             ? "Result: regression."
          : d.currentUntrustworthy()      ? "Result: the current run cannot vouch for no regression."
                                          : "Result: no regression.")
      << "\n";
  return out.str();
}

}  // namespace bc
