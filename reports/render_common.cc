// Escaping and labels shared by the renderers.
#include <algorithm>
#include <cctype>
#include <map>

#include "reports/render.h"
#include "vocab/utf8.h"

namespace bc {

std::string escapeHtml(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += c;
    }
  }
  return out;
}

std::string escapeXml(std::string_view s) {
  // XML 1.0 (section 2.2, Char) allows tab, LF and CR below 0x20 and excludes U+FFFE and U+FFFF:
  // a SUT's garbage must not make the file unparseable. Controls are dropped, the rest that XML
  // cannot carry (and bytes that are not UTF-8) become U+FFFD.
  std::string escaped = escapeHtml(s), out;
  out.reserve(escaped.size());
  for (size_t i = 0; i < escaped.size();) {
    Utf8Char c = decodeUtf8(escaped, i);
    if (c.length == 0) {
      out += kReplacementCharacter;
      i += c.invalidLength;
      continue;
    }
    if (c.codePoint < 0x20 && c.codePoint != '\t' && c.codePoint != '\n' && c.codePoint != '\r') {
      // dropped
    } else if (c.codePoint == 0xFFFE || c.codePoint == 0xFFFF) {
      out += kReplacementCharacter;
    } else {
      out.append(escaped, i, c.length);
    }
    i += c.length;
  }
  return out;
}

std::string joinWords(const std::vector<std::string>& words) {
  std::string out;
  for (const auto& w : words) out += (out.empty() ? "" : ", ") + w;
  return out;
}

std::string escapeMarkdownCell(std::string_view s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '|': out += "\\|"; break;
      case '\n': out += "<br>"; break;
      case '\r': break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '&': out += "&amp;"; break;
      default: out += c;
    }
  }
  return out;
}

RunSummary summarize(const Results& r) {
  RunSummary s;
  s.verdict = runVerdict(r);
  auto count = [&](const auto& units) {
    for (const auto& u : units) {
      if (!isFailure(u.status)) continue;
      if (isSutFailure(u.status)) ++s.sutFailures;
      else if (u.manifestReason.empty() || u.failedRules.empty()) ++s.unexpected;
      else ++s.expected;
    }
  };
  count(r.scenarios);
  count(r.properties);
  for (const RuleResult& rule : r.rules) {
    s.failingRules += rule.verdict == RuleVerdict::Fail;
    s.expectedRules += rule.verdict == RuleVerdict::ExpectedFail;
    s.blockedRules += rule.verdict == RuleVerdict::Blocked;
  }
  const std::string& spec = r.run.sutSpec;
  if (spec == "mock")
    s.selfCheck = "This run checks the suite against itself: the mock BITS is the suite's own simulation of the "
                  "documented rules, so a pass shows that its scenarios, properties and model agree (and the mutation "
                  "score that they catch broken mocks), not that any BITS conforms. To check an implementation: "
                  "bitsconf run --sut wine, or --sut agent:COMMAND.";
  else if (spec.rfind("mock:mutant=", 0) == 0)
    s.selfCheck = "This run checks the suite against a deliberately broken mock (mutant " + spec.substr(12) +
                  "): its failures show that the suite catches and blames the break; they say nothing about any BITS.";
  else if (spec == "model")
    s.selfCheck = "This run checks the model against itself, a sanity check of the runner: it says nothing about any BITS.";
  return s;
}

namespace {
template <class Unit>
void addFailure(std::vector<FailureGroup>& groups, const Unit& u, const std::string& saved) {
  if (!isFailure(u.status)) return;
  std::vector<std::string> rules = u.failedRules;
  const std::string commands = u.counterexample ? u.counterexample->scenarioText : "";
  for (FailureGroup& g : groups)
    if (g.rules == rules && g.counterexample.scenarioText == commands && g.status == u.status) {
      g.checks.push_back(checkId(u));
      return;
    }
  FailureGroup g;
  g.checks = {checkId(u)};
  g.rules = std::move(rules);
  g.status = u.status;
  g.sutFailure = isSutFailure(u.status);
  g.unexpected = !g.sutFailure && (u.manifestReason.empty() || u.failedRules.empty());
  g.manifestReason = u.manifestReason;
  g.manifestLink = u.manifestLink;
  if (u.counterexample) g.counterexample = *u.counterexample;
  g.savedScenario = saved;
  groups.push_back(std::move(g));
}
}  // namespace

std::vector<FailureGroup> failureGroups(const Results& r) {
  std::vector<FailureGroup> groups;
  for (const auto& s : r.scenarios) addFailure(groups, s, "");
  for (const auto& p : r.properties) addFailure(groups, p, p.savedScenario);
  std::stable_sort(groups.begin(), groups.end(),
                   [](const auto& a, const auto& b) { return failureRank(a) < failureRank(b); });
  return groups;
}

std::string failureHeading(const FailureGroup& g) {
  const char* kind = g.unexpected ? "Unexpected failure" : g.sutFailure ? "SUT failure" : "Expected failure";
  return std::string(kind) + ": " +
         (g.rules.empty() ? (g.sutFailure ? std::string(toString(g.status)) : "no rule named (unattributed)") : joinWords(g.rules));
}

std::string witnessLabel(const RuleResult& r) {
  switch (r.verdict) {
    case RuleVerdict::Pass:
    case RuleVerdict::Fail:
    case RuleVerdict::ExpectedFail: return r.witness ? r.witness->source : "properties only";
    case RuleVerdict::NotApplicable: return r.witness ? r.witness->source + ": " + r.witness->trace : "";
    default: return "";
  }
}

std::string traceAnchor(size_t run, std::string_view scenarioPath) {
  std::string id = "t-" + std::to_string(run) + "-";
  for (char c : scenarioPath)
    id += isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '/' || c == '-' ? c : '_';
  return id;
}

std::vector<std::string> runLabels(const std::vector<Results>& runs) {
  std::map<std::string, int> seen;
  for (const auto& r : runs) ++seen[r.run.sutName];
  std::vector<std::string> labels;
  for (size_t i = 0; i < runs.size(); ++i) {
    const auto& r = runs[i];
    std::string label = r.run.sutName.empty() ? "run " + std::to_string(i + 1) : r.run.sutName;
    if (seen[r.run.sutName] > 1) label += " (" + (r.run.sutSpec.empty() ? std::to_string(i + 1) : r.run.sutSpec) + ")";
    labels.push_back(label);
  }
  return labels;
}

}  // namespace bc
