// JUnit XML: one <testsuite> per run, one <testcase> per rule, so CI dashboards list rules.
#include <sstream>

#include "reports/render.h"
#include "vocab/rules.h"

namespace bc {

namespace {

std::string counterexampleText(const RuleResult& r) {
  std::string out;
  for (const auto& c : r.counterexamples) {
    out += "From " + c.source + ":\n" + c.scenarioText;
    if (!c.scenarioText.empty() && c.scenarioText.back() != '\n') out += '\n';
    if (!c.message.empty()) out += c.message + "\n";
    if (!c.expected.empty() || !c.actual.empty()) out += "Expected:\n" + c.expected + "\nActual:\n" + c.actual + "\n";
    if (!c.replay.empty()) out += "Replay: " + c.replay + "\n";
    out += "\n";
  }
  return out;
}

}  // namespace

std::string renderJunit(const std::vector<Results>& runs) {
  auto labels = runLabels(runs);
  std::ostringstream x;
  x << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"bitsconform\">\n";
  for (size_t i = 0; i < runs.size(); ++i) {
    const Results& run = runs[i];
    auto counts = run.verdictCounts();
    int skipped = counts["not-applicable"] + counts["not-exercised"] + counts["expected-fail"] + counts["blocked"] +
                  counts["not-checkable"];
    x << "  <testsuite name=\"" << escapeXml(labels[i]) << "\" tests=\"" << run.rules.size() << "\" failures=\""
      << counts["fail"] << "\" errors=\"0\" skipped=\"" << skipped << "\" timestamp=\"" << escapeXml(run.run.timestamp)
      << "\">\n";
    x << "    <properties><property name=\"bits_version\" value=\"" << escapeXml(run.run.bitsVersion)
      << "\"/><property name=\"seed\" value=\"" << run.run.seed << "\"/><property name=\"complete\" value=\""
      << (run.complete ? "true" : "false") << "\"/></properties>\n";
    for (const auto& rr : run.rules) {
      std::string group, summary;
      if (auto rule = parseRule(rr.id)) {
        group = std::string(info(*rule).group);
        summary = std::string(info(*rule).summary);
      }
      x << "    <testcase classname=\"bitsconform." << escapeXml(group) << "\" name=\"" << escapeXml(rr.id)
        << (summary.empty() ? "" : ": " + escapeXml(summary)) << "\"";
      // The witness: which scenario backs the verdict and what the SUT did there.
      std::string out;
      if (std::string w = witnessLabel(rr); !w.empty()) {
        out = "Witness: " + w + "\n";
        if (rr.witness && rr.verdict != RuleVerdict::NotApplicable) out += rr.witness->trace;
      }
      const std::string systemOut =
          out.empty() ? "" : "      <system-out>" + escapeXml(out) + "</system-out>\n";
      switch (rr.verdict) {
        case RuleVerdict::Pass:
          if (systemOut.empty()) {
            x << "/>\n";
            continue;
          }
          x << ">\n";
          break;
        case RuleVerdict::Fail:
          x << ">\n      <failure message=\"" << rr.failures << " failing case(s)\" type=\"nonconformance\">"
            << escapeXml(counterexampleText(rr)) << "</failure>\n";
          break;
        case RuleVerdict::ExpectedFail:
          x << ">\n      <skipped message=\"expected failure: " << escapeXml(rr.manifestReason) << "\"/>\n";
          break;
        case RuleVerdict::NotApplicable:
          x << ">\n      <skipped message=\"not applicable: the SUT lacks a capability\"/>\n";
          break;
        case RuleVerdict::NotExercised: x << ">\n      <skipped message=\"not exercised\"/>\n"; break;
        case RuleVerdict::NotCheckable:
          x << ">\n      <skipped message=\"not checkable here: " << escapeXml(rr.notCheckable) << "\"/>\n";
          break;
        case RuleVerdict::Blocked:
          x << ">\n      <skipped message=\"blocked by " << escapeXml(joinWords(rr.blockedBy)) << "\"/>\n";
          break;
      }
      x << systemOut << "    </testcase>\n";
    }
    x << "  </testsuite>\n";
  }
  x << "</testsuites>\n";
  return x.str();
}

}  // namespace bc
