// JUnit XML: one <testsuite> per run; a <testcase> per rule and one per unit of evidence
// (scenario, property chunk, covering set), named by their stable IDs (a rule ID, unitId) so a
// CI's test history survives a change of wording. A unit's failure carries its counterexample
// and replay line; a SUT failure is an <error>.
#include <sstream>

#include "reports/render.h"
#include "vocab/rules.h"

namespace bc {

namespace {

std::string counterexampleText(const Counterexample& c) {
  std::string out = "From " + c.source + (c.check.empty() ? "" : " (" + c.check + ")") + ":\n" + c.scenarioText;
  if (!c.scenarioText.empty() && c.scenarioText.back() != '\n') out += '\n';
  if (!c.message.empty()) out += c.message + "\n";
  if (!c.expected.empty() || !c.actual.empty()) out += "Expected (model):\n" + c.expected + "\nActual (SUT):\n" + c.actual + "\n";
  if (!c.replay.empty()) out += "Replay: " + c.replay + "\n";
  return out + "\n";
}

std::string checksOf(const RuleResult& r) {
  std::string out;
  for (const auto& c : r.counterexamples) out += (out.empty() ? "" : ", ") + (c.check.empty() ? c.source : c.check);
  return out;
}

void ruleCase(std::ostringstream& x, const RuleResult& rr) {
  std::string group, summary;
  if (auto rule = parseRule(rr.id)) {
    group = std::string(info(*rule).group);
    summary = std::string(info(*rule).summary);
  }
  x << "    <testcase classname=\"bitsconform.rules." << escapeXml(group) << "\" name=\"" << escapeXml(rr.id) << "\">\n";
  switch (rr.verdict) {
    case RuleVerdict::Pass: break;
    case RuleVerdict::Fail: {
      std::string body;
      for (const auto& c : rr.counterexamples) body += counterexampleText(c);
      x << "      <failure message=\"" << rr.failures << " failing check(s): " << escapeXml(checksOf(rr))
        << "\" type=\"nonconformance\">" << escapeXml(body) << "</failure>\n";
      break;
    }
    case RuleVerdict::ExpectedFail:
      x << "      <skipped message=\"expected failure: "
        << escapeXml(rr.manifestReason.empty() ? "only units the manifest lists fail on it" : rr.manifestReason) << "\"/>\n";
      break;
    case RuleVerdict::NotApplicable: x << "      <skipped message=\"not applicable: the SUT lacks a capability\"/>\n"; break;
    case RuleVerdict::NotExercised: x << "      <skipped message=\"not exercised\"/>\n"; break;
    case RuleVerdict::NotCheckable:
      x << "      <skipped message=\"not checkable here: " << escapeXml(rr.notCheckable) << "\"/>\n";
      break;
    case RuleVerdict::Blocked:
      x << "      <skipped message=\"blocked by " << escapeXml(joinWords(rr.blockedBy)) << "\"/>\n";
      break;
  }
  // The rule in words, and the witness: which scenario backs the verdict and what the SUT did.
  std::string out = rr.id + ": " + summary + "\n";
  if (std::string w = witnessLabel(rr); !w.empty()) {
    out += "Witness: " + w + "\n";
    if (rr.witness && rr.verdict != RuleVerdict::NotApplicable) out += rr.witness->trace;
  }
  x << "      <system-out>" << escapeXml(out) << "</system-out>\n    </testcase>\n";
}

std::string messageOf(const ScenarioOutcome& s) { return s.message; }
std::string messageOf(const PropertyOutcome& p) { return p.counterexample ? p.counterexample->message : ""; }

template <class Unit>
void unitCase(std::ostringstream& x, const Unit& u, const std::string& classname, const std::string& title) {
  x << "    <testcase classname=\"" << classname << "\" name=\"" << escapeXml(unitId(u)) << "\"";
  const bool failed = isFailure(u.status);
  if (u.status == RunOutcome::Pass) {
    x << "/>\n";
    return;
  }
  x << ">\n";
  const std::string body = u.counterexample ? counterexampleText(*u.counterexample) : "";
  std::string rules = joinWords(u.failedRules);
  if (!failed) {
    x << "      <skipped message=\"" << escapeXml(std::string(toString(u.status)) + (messageOf(u).empty() ? "" : ": " + messageOf(u))) << "\"/>\n";
  } else if (isSutFailure(u.status)) {
    x << "      <error message=\"" << escapeXml(checkId(u) + ": " + std::string(toString(u.status))) << "\" type=\"sut-failure\">"
      << escapeXml(body) << "</error>\n";
  } else if (!u.manifestReason.empty() && !u.failedRules.empty()) {
    x << "      <skipped message=\"expected failure (" << escapeXml(checkId(u) + ", " + rules) << "): "
      << escapeXml(u.manifestReason) << "\"/>\n";
  } else {
    x << "      <failure message=\"" << escapeXml(checkId(u) + (rules.empty() ? ": no rule named" : " blames " + rules))
      << "\" type=\"nonconformance\">" << escapeXml(body) << "</failure>\n";
  }
  x << "      <system-out>" << escapeXml(title + "\n") << "</system-out>\n    </testcase>\n";
}

}  // namespace

std::string renderJunit(const std::vector<Results>& runs) {
  auto labels = runLabels(runs);
  std::ostringstream x;
  x << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"bitsconform\">\n";
  for (size_t i = 0; i < runs.size(); ++i) {
    const Results& run = runs[i];
    RunSummary s = summarize(run);
    auto counts = run.verdictCounts();
    size_t units = run.scenarios.size() + run.properties.size();
    int skipped = counts["not-applicable"] + counts["not-exercised"] + counts["expected-fail"] + counts["blocked"] +
                  counts["not-checkable"] + s.expected;
    for (const auto& u : run.scenarios) skipped += u.status == RunOutcome::NotApplicable;
    for (const auto& u : run.properties) skipped += u.status == RunOutcome::NotApplicable;
    x << "  <testsuite name=\"" << escapeXml(labels[i]) << "\" tests=\"" << run.rules.size() + units << "\" failures=\""
      << counts["fail"] + s.unexpected << "\" errors=\"" << s.sutFailures << "\" skipped=\"" << skipped
      << "\" timestamp=\"" << escapeXml(run.run.timestamp) << "\">\n";
    x << "    <properties><property name=\"verdict\" value=\"" << escapeXml(s.verdict.word)
      << "\"/><property name=\"exit_code\" value=\"" << s.verdict.exitCode << "\"/><property name=\"bits_version\" value=\""
      << escapeXml(run.run.bitsVersion) << "\"/><property name=\"seed\" value=\"" << run.run.seed
      << "\"/><property name=\"complete\" value=\"" << (run.complete ? "true" : "false") << "\"/></properties>\n";
    for (const auto& rr : run.rules) ruleCase(x, rr);
    for (const auto& u : run.scenarios) unitCase(x, u, "bitsconform.scenarios", u.title);
    for (const auto& u : run.properties)
      unitCase(x, u, u.name == "covering-set" ? "bitsconform.covering-set" : "bitsconform.properties", u.description);
    x << "  </testsuite>\n";
  }
  x << "</testsuites>\n";
  return x.str();
}

}  // namespace bc
