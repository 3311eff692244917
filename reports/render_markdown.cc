// Markdown: a summary per run, the rules matrix, then each failure with its counterexample.
#include <algorithm>
#include <sstream>

#include "reports/render.h"
#include "vocab/rules.h"

namespace bc {

namespace {

std::string fixed1(double v) {
  std::ostringstream os;
  os.setf(std::ios::fixed);
  os.precision(1);
  os << v;
  return os.str();
}
std::string strengthCoverage(const CoverageInfo& c) {
  std::string s = fixed1(c.percent) + "% (" + std::to_string(c.covered) + "/" + std::to_string(c.reachable) +
                  " transitions, " + escapeMarkdownCell(c.source) + ")";
  if (!c.gaps.empty()) {
    s += "; " + std::to_string(c.gaps.size()) + " rules with gaps (see Coverage gaps)";
  } else if (!c.gapsByRule.empty()) {
    s += "; gaps:";
    for (const auto& [rule, n] : c.gapsByRule) s += " " + escapeMarkdownCell(rule) + " " + std::to_string(n);
  }
  for (const auto& [path, total] : c.totalsByPath)
    s += "; path " + escapeMarkdownCell(path) + " " + std::to_string(total - c.gapsByPath.at(path)) + "/" +
         std::to_string(total);
  return s;
}
std::string strengthMutation(const MutationInfo& m) {
  std::string s = fixed1(m.score) + "% (" + std::to_string(m.killed) + "/" + std::to_string(m.total) +
                  " mutants killed; time to kill median " + fixed1(m.medianSecondsToKill * 1000) + " ms, max " +
                  fixed1(m.maxSecondsToKill * 1000) + " ms)";
  if (!m.survivors.empty()) {
    s += "; survived:";
    for (const auto& n : m.survivors) s += " " + escapeMarkdownCell(n);
  }
  s += "; diagnosis " + fixed1(m.diagnosisScore) + "% (" + std::to_string(m.diagnosed) + "/" + std::to_string(m.total) +
       ": the rule each breaks is reported failing)";
  if (!m.undiagnosed.empty()) {
    s += "; undiagnosed:";
    for (const auto& n : m.undiagnosed) s += " " + escapeMarkdownCell(n);
  }
  return s;
}

// A code fence longer than any backtick run inside `text`, so SUT output cannot close it.
std::string fenced(const std::string& text) {
  size_t longest = 0, run = 0;
  for (char c : text) {
    run = c == '`' ? run + 1 : 0;
    longest = std::max(longest, run);
  }
  std::string fence(std::max<size_t>(3, longest + 1), '`');
  std::string body = text;
  if (!body.empty() && body.back() != '\n') body += '\n';
  return fence + "\n" + body + fence + "\n";
}

// An inline code span that shows `text` literally whatever it holds (CommonMark 6.1): delimited
// by a backtick run longer than any inside, padded with a space where the text starts or ends
// with a backtick; line breaks become spaces (a blank line would end the paragraph).
std::string codeSpan(const std::string& text) {
  size_t longest = 0, run = 0;
  std::string body;
  for (char c : text) {
    run = c == '`' ? run + 1 : 0;
    longest = std::max(longest, run);
    body += c == '\n' || c == '\r' ? ' ' : c;
  }
  std::string ticks(longest + 1, '`');
  bool pad = !body.empty() && (body.front() == '`' || body.back() == '`');
  return ticks + (pad ? " " : "") + body + (pad ? " " : "") + ticks;
}

// Every rule with unexercised reachable transitions, then a sequence that closes a few of them.
void coverageGaps(std::ostringstream& md, const Results& r, const std::string& label) {
  const CoverageInfo& c = r.coverage;
  if (!c.present || c.gaps.empty()) return;
  md << "### Coverage gaps on " << escapeMarkdownCell(label) << "\n\n"
     << fixed1(c.percent) << "% of " << c.reachable << " reachable (abstract state, command, outcome) transitions "
     << "exercised (explorer bound " << c.bound << "). Unexercised transitions by the rule they carry:\n\n"
     << "| Rule | Unexercised | Reachable |\n|---|---|---|\n";
  for (const CoverageRuleGap& g : c.gaps)
    md << "| " << escapeMarkdownCell(g.rule) << " | " << g.uncovered << " | " << g.total << " |\n";
  md << "\n";
  for (const CoverageRuleGap& g : c.gaps)
    for (const CoverageGapExample& e : g.examples)
      md << "Gap in " << escapeMarkdownCell(g.rule) << ": " << codeSpan(e.transition)
         << "; a scenario that closes it:\n\n" << fenced(e.sequence) << "\n";
}

std::string verdictCell(const RuleResult* r) {
  if (!r) return "—";
  std::string v(toString(r->verdict));
  if (r->verdict == RuleVerdict::Fail) v = "**FAIL**";
  if (r->verdict == RuleVerdict::Blocked) v += " by " + escapeMarkdownCell(joinWords(r->blockedBy));
  if (r->verdict == RuleVerdict::NotCheckable) v += " here: " + escapeMarkdownCell(r->notCheckable);
  if (r->fixed) v += " (fixed)";
  if (std::string w = witnessLabel(*r); !w.empty()) v += " (" + escapeMarkdownCell(w) + ")";
  return v;
}

// Every scenario a run ran, with its status and what the SUT did (the witnesses' traces).
void scenarioTraces(std::ostringstream& md, const Results& r, const std::string& label) {
  if (r.scenarios.empty()) return;
  md << "### " << escapeMarkdownCell(label) << "\n\n";
  for (const ScenarioOutcome& s : r.scenarios) {
    md << "#### " << escapeMarkdownCell(s.path) << ": " << escapeMarkdownCell(std::string(toString(s.status))) << "\n\n"
       << escapeMarkdownCell(s.title) << "\n\n";
    if (!s.trace.empty()) md << fenced(s.trace) << "\n";
    else md << "Not run on the SUT" << (s.message.empty() ? "" : ": " + escapeMarkdownCell(s.message)) << "\n\n";
  }
}

void runSummary(std::ostringstream& md, const Results& r, const std::string& label) {
  md << "### " << escapeMarkdownCell(label) << "\n\n";
  md << "| | |\n|---|---|\n";
  md << "| SUT | " << escapeMarkdownCell(r.run.sutName) << " — " << escapeMarkdownCell(r.run.sutDescription) << " |\n";
  md << "| BITS version | " << escapeMarkdownCell(r.run.bitsVersion) << " |\n";
  md << "| Tool | " << escapeMarkdownCell(r.run.toolVersion)
     << (r.run.gitCommit.empty() ? "" : " (" + escapeMarkdownCell(r.run.gitCommit) + ")") << " |\n";
  md << "| Time | " << escapeMarkdownCell(r.run.timestamp) << " |\n";
  md << "| Seed | " << r.run.seed << " |\n";
  md << "| Complete | " << (r.complete ? "yes" : "**no (the run stopped early)**") << " |\n";
  if (!r.run.shard.empty()) md << "| Shard | " << escapeMarkdownCell(r.run.shard) << " |\n";
  if (!r.run.manifest.empty()) md << "| Manifest | " << escapeMarkdownCell(r.run.manifest) << " |\n";
  std::string caps;
  for (const auto& [name, on] : r.run.capabilities)
    if (!on) caps += (caps.empty() ? "" : ", ") + name;
  md << "| Missing capabilities | " << (caps.empty() ? "none" : escapeMarkdownCell(caps)) << " |\n";
  std::string policies;
  for (const auto& p : r.run.nonDefaultPolicies) policies += (policies.empty() ? "" : "; ") + p;
  md << "| Policies | " << (policies.empty() ? "defaults" : escapeMarkdownCell(policies)) << " |\n";
  int propertyCases = 0;
  for (const auto& p : r.properties) propertyCases += p.cases;
  md << "| Work | " << r.scenarios.size() << " scenarios, " << r.properties.size() << " property runs, "
     << propertyCases << " property cases |\n";
  std::string counts;
  for (const auto& [verdict, n] : r.verdictCounts()) counts += (counts.empty() ? "" : ", ") + verdict + " " + std::to_string(n);
  md << "| Rule verdicts | " << counts << " |\n";
  // Suite strength, only when measured (bitsconf explore / mutants --results).
  if (r.coverage.present)
    md << "| Transition coverage | " << strengthCoverage(r.coverage) << " |\n";
  if (r.mutation.present) md << "| Mutation score | " << strengthMutation(r.mutation) << " |\n";
  md << "\n";
  for (const auto& n : r.notes) md << "- Note: " << escapeMarkdownCell(n) << "\n";
  for (const auto& e : r.inputErrors) md << "- Input error: " << escapeMarkdownCell(e) << "\n";
  if (!r.notes.empty() || !r.inputErrors.empty()) md << "\n";
}

// The overall verdict first: one row per run, then what a self-check run shows.
void banner(std::ostringstream& md, const std::vector<Results>& runs, const std::vector<std::string>& labels) {
  md << "## Verdict\n\n| Run | Verdict | Exit code | Meaning | Unexpected failures | Expected failures | SUT failures "
        "| Failing rules | Blocked rules |\n|---|---|---|---|---|---|---|---|---|\n";
  for (size_t i = 0; i < runs.size(); ++i) {
    RunSummary s = summarize(runs[i]);
    md << "| " << escapeMarkdownCell(labels[i]) << " | **" << s.verdict.word << "**"
       << (runs[i].complete ? "" : " (incomplete: the run stopped early)") << " | " << s.verdict.exitCode << " | "
       << escapeMarkdownCell(s.verdict.meaning) << " | " << s.unexpected << " | " << s.expected << " | "
       << s.sutFailures << " | " << s.failingRules << " | " << s.blockedRules << " |\n";
  }
  md << "\n";
  for (size_t i = 0; i < runs.size(); ++i)
    if (std::string note = summarize(runs[i]).selfCheck; !note.empty())
      md << "> **" << escapeMarkdownCell(labels[i]) << "**: " << escapeMarkdownCell(note) << "\n\n";
}

// Each counterexample once, with every rule it blames and how to replay it.
bool failures(std::ostringstream& md, const Results& r, const std::string& label, int rank) {
  std::vector<FailureGroup> groups = failureGroups(r);
  bool any = false;
  for (size_t n = 0; n < groups.size(); ++n) {
    const FailureGroup& g = groups[n];
    if (failureRank(g) != rank) continue;
    any = true;
    md << "### " << n + 1 << ". " << escapeMarkdownCell(failureHeading(g)) << " on " << escapeMarkdownCell(label) << "\n\n";
    md << "Found by:";
    for (const auto& c : g.checks) md << " " << codeSpan(c);
    md << " (" << escapeMarkdownCell(std::string(toString(g.status))) << ")\n\n";
    if (!g.manifestReason.empty())
      md << "Expected by the manifest: " << escapeMarkdownCell(g.manifestReason) << " "
         << escapeMarkdownCell(g.manifestLink) << "\n\n";
    if (!g.rules.empty()) {
      md << "| Rule | Summary |\n|---|---|\n";
      for (const auto& id : g.rules) {
        auto rule = parseRule(id);
        md << "| " << escapeMarkdownCell(id) << " | " << (rule ? escapeMarkdownCell(info(*rule).summary) : "") << " |\n";
      }
      md << "\n";
    }
    const Counterexample& c = g.counterexample;
    md << "Minimal sequence (" << escapeMarkdownCell(c.source) << "):\n\n" << fenced(c.scenarioText) << "\n";
    if (!c.message.empty()) md << fenced(c.message) << "\n";
    if (!c.expected.empty() || !c.actual.empty())
      md << "Expected (model):\n\n" << fenced(c.expected) << "\nActual (SUT):\n\n" << fenced(c.actual) << "\n";
    if (!c.replay.empty()) md << "Replay: " << codeSpan(c.replay) << "\n\n";
    if (!g.savedScenario.empty()) md << "Saved as " << codeSpan(g.savedScenario) << "\n\n";
  }
  return any;
}

}  // namespace

std::string renderMarkdown(const std::vector<Results>& runs) {
  std::ostringstream md;
  auto labels = runLabels(runs);
  md << "# bitsconform conformance report\n\n";
  banner(md, runs, labels);

  md << "## Failures\n\n";
  bool any = false;
  for (int rank = 0; rank < 3; ++rank)  // every run's unexpected failures first
    for (size_t i = 0; i < runs.size(); ++i) any |= failures(md, runs[i], labels[i], rank);
  if (!any) md << "None.\n\n";

  md << "## Runs\n\n";
  for (size_t i = 0; i < runs.size(); ++i) runSummary(md, runs[i], labels[i]);

  md << "## Rules\n\n| Rule | " << kDocBasisColumn << " | Summary |";
  for (const auto& l : labels) md << " Verdict: " << escapeMarkdownCell(l) << " |";
  md << "\n|---|---|---|";
  for (size_t i = 0; i < labels.size(); ++i) md << "---|";
  md << "\n";
  for (const RuleInfo& ri : allRules()) {
    md << "| ";
    if (!ri.docUrl.empty()) md << "[" << ri.id << "](" << ri.docUrl << ")";
    else md << ri.id;
    md << " | " << toString(ri.status) << " | " << escapeMarkdownCell(ri.summary) << " |";
    for (const auto& r : runs) md << " " << verdictCell(r.rule(ri.id)) << " |";
    md << "\n";
  }
  md << "\n## Scenario traces\n\nWhat the SUT did: each command, then its observations, up to where the scenario "
        "stopped.\n\n";
  for (size_t i = 0; i < runs.size(); ++i) scenarioTraces(md, runs[i], labels[i]);

  bool gaps = std::any_of(runs.begin(), runs.end(), [](const Results& r) { return !r.coverage.gaps.empty(); });
  if (gaps) md << "## Coverage gaps\n\n";
  for (size_t i = 0; i < runs.size(); ++i) coverageGaps(md, runs[i], labels[i]);
  return md.str();
}

}  // namespace bc
