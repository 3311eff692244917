// HTML: one self-contained page (no network): run cards, the rules x implementations matrix
// with group/verdict filters (wpt.fyi style), and every failure with its counterexample.
#include <algorithm>
#include <sstream>

#include "reports/render.h"
#include "vocab/rules.h"

namespace bc {

namespace {

constexpr const char* kCss = R"css(
body{font:14px/1.4 system-ui,-apple-system,"Segoe UI",sans-serif;margin:1.5em;color:#1d1d1f;background:#fff}
h1{font-size:1.6em;margin:0 0 .6em}h2{font-size:1.25em;margin:1.4em 0 .5em}
.runs{display:flex;flex-wrap:wrap;gap:12px}
.run{border:1px solid #d0d7de;border-radius:6px;padding:8px 12px;min-width:260px;max-width:480px}
.run h3{margin:0 0 4px;font-size:1.1em;word-break:break-all}.run dl{display:grid;grid-template-columns:auto 1fr;gap:2px 10px;margin:0}
.run dt{color:#57606a}.run dd{margin:0;word-break:break-word}.incomplete{color:#b00020;font-weight:bold}
.notes{margin:.4em 0;padding-left:1.2em;color:#6e4a00}
.filters{position:sticky;top:0;background:#f6f8fa;border:1px solid #d0d7de;border-radius:6px;padding:6px 10px;margin:1em 0;display:flex;gap:14px;flex-wrap:wrap;align-items:center}
table{border-collapse:collapse;width:100%}th,td{border:1px solid #d0d7de;padding:3px 6px;vertical-align:top;text-align:left}
th{background:#f6f8fa;position:sticky;top:38px}td.id{white-space:nowrap;font-family:ui-monospace,monospace}
td.v{text-align:center;white-space:nowrap;font-weight:600}
.v-pass{background:#d4f7d4;color:#0a5c0a}.v-fail{background:#ffd6d6;color:#9b0000}
.v-expected-fail{background:#ffe8c2;color:#7a4a00}.v-not-applicable{background:#eceff1;color:#555}
.v-not-exercised{background:#fafafa;color:#888}.v-not-checkable{background:#f3f3f3;color:#aaa}.v-blocked{background:#fff3d6;color:#6b5a2e}.v-missing{color:#bbb}
details{border:1px solid #d0d7de;border-radius:6px;margin:6px 0;padding:4px 10px}summary{cursor:pointer;font-weight:600}
pre{background:#f6f8fa;padding:6px;overflow-x:auto;white-space:pre-wrap;word-break:break-word;margin:4px 0}
.cols{display:grid;grid-template-columns:1fr 1fr;gap:8px}.replay{font-family:ui-monospace,monospace;background:#fff8c5;padding:2px 4px}
.w{font-weight:normal;font-size:.85em;margin-left:4px}.st-pass{color:#0a5c0a}.st-fail{color:#9b0000}.st-other{color:#57606a}
.status-E{color:#0a5c0a}.status-Es{color:#7a4a00}.status-I{color:#57606a}
#banner{display:flex;flex-direction:column;gap:8px;margin:0 0 1em}
.verdict{border:2px solid #d0d7de;border-radius:8px;padding:8px 14px}
.verdict h2{margin:0;font-size:1.4em}.verdict p{margin:4px 0}
.verdict.PASS{border-color:#2da44e;background:#eaf7ee}.verdict.FAIL{border-color:#cf222e;background:#ffebe9}
.verdict.SUT-FAILURE,.verdict.INPUT-ERROR{border-color:#bf8700;background:#fff8c5}
.counts{display:flex;flex-wrap:wrap;gap:6px 18px}.counts b{font-size:1.15em}.selfcheck{color:#57606a;font-style:italic}
.group h3{margin:0;display:inline;font-size:1.05em}.rules-of{margin:4px 0;padding-left:1.2em}
)css";

constexpr const char* kScript = R"js(
(function () {
  try {
    var group = document.getElementById('group');
    var boxes = Array.prototype.slice.call(document.querySelectorAll('input.vf'));
    var rows = Array.prototype.slice.call(document.querySelectorAll('#matrix tbody tr'));
    var shown = document.getElementById('shown');
    function apply() {
      var g = group.value;
      var on = {};
      boxes.forEach(function (b) { on[b.value] = b.checked; });
      var n = 0;
      rows.forEach(function (r) {
        var vs = r.getAttribute('data-verdicts').split(' ');
        var ok = (!g || r.getAttribute('data-group') === g) && vs.some(function (v) { return on[v]; });
        r.style.display = ok ? '' : 'none';
        if (ok) n++;
      });
      shown.textContent = n + ' of ' + rows.length + ' rules shown';
    }
    group.addEventListener('change', apply);
    boxes.forEach(function (b) { b.addEventListener('change', apply); });
    apply();
    // A link to a scenario's trace opens its <details>.
    function openTarget() {
      var t = document.getElementById(decodeURIComponent(location.hash.slice(1)));
      if (t && t.tagName === 'DETAILS') t.open = true;
    }
    window.addEventListener('hashchange', openTarget);
    openTarget();
    // What a person sees without scrolling: the verdict, and the first failure when there is one.
    var seen = [];
    var b = document.getElementById('banner');
    if (b && b.getBoundingClientRect().top < window.innerHeight) seen.push('banner');
    var f = document.querySelector('details.group');
    if (f && f.getBoundingClientRect().top < window.innerHeight) seen.push('failure');
    document.body.setAttribute('data-first-screen', seen.join(' '));
    document.body.setAttribute('data-ready', 'ok');
    document.title = document.title + ' [ready]';
  } catch (e) {
    document.body.setAttribute('data-ready', 'error: ' + e);
    throw e;
  }
})();
)js";

// Only plain web links become hrefs: a results file or manifest could carry "javascript:".
std::string safeHref(std::string_view url) {
  if (url.rfind("https://", 0) == 0 || url.rfind("http://", 0) == 0) return escapeHtml(url);
  return "";
}

std::string statusClass(RuleStatus s) {
  return s == RuleStatus::E ? "status-E" : s == RuleStatus::EStar ? "status-Es" : "status-I";
}

void runCard(std::ostringstream& h, const Results& r, const std::string& label) {
  h << "<div class=\"run\"><h3>" << escapeHtml(label) << "</h3><dl>";
  auto row = [&](const char* k, const std::string& v) { h << "<dt>" << k << "</dt><dd>" << escapeHtml(v) << "</dd>"; };
  row("SUT", r.run.sutDescription.empty() ? r.run.sutName : r.run.sutDescription);
  row("BITS", r.run.bitsVersion);
  row("Tool", r.run.toolVersion + (r.run.gitCommit.empty() ? "" : " (" + r.run.gitCommit + ")"));
  row("Time", r.run.timestamp);
  row("Seed", std::to_string(r.run.seed));
  if (!r.run.shard.empty()) row("Shard", r.run.shard);
  std::string missing;
  for (const auto& [name, on] : r.run.capabilities)
    if (!on) missing += (missing.empty() ? "" : ", ") + name;
  row("Lacks", missing.empty() ? "nothing" : missing);
  std::string policies;
  for (const auto& p : r.run.nonDefaultPolicies) policies += (policies.empty() ? "" : "; ") + p;
  row("Policies", policies.empty() ? "defaults" : policies);
  int cases = 0;
  for (const auto& p : r.properties) cases += p.cases;
  row("Work", std::to_string(r.scenarios.size()) + " scenarios, " + std::to_string(r.properties.size()) +
                  " property runs, " + std::to_string(cases) + " cases");
  std::string counts;
  for (const auto& [v, n] : r.verdictCounts()) counts += (counts.empty() ? "" : ", ") + v + " " + std::to_string(n);
  row("Rules", counts);
  // Suite strength, only when measured (bitsconf explore / mutants --results).
  if (r.coverage.present) {
    std::ostringstream c;
    c.setf(std::ios::fixed);
    c.precision(1);
    c << r.coverage.percent << "% (" << r.coverage.covered << "/" << r.coverage.reachable << " transitions, "
      << r.coverage.source << ")";
    if (!r.coverage.gaps.empty()) c << "; " << r.coverage.gaps.size() << " rules with gaps (see Coverage gaps)";
    else
      for (const auto& [rule, n] : r.coverage.gapsByRule) c << " gap " << rule << ": " << n;
    for (const auto& [path, total] : r.coverage.totalsByPath)
      c << "; path " << path << " " << (total - r.coverage.gapsByPath.at(path)) << "/" << total;
    row("Transition coverage", c.str());
  }
  if (r.mutation.present) {
    std::ostringstream m;
    m.setf(std::ios::fixed);
    m.precision(1);
    m << r.mutation.score << "% (" << r.mutation.killed << "/" << r.mutation.total << " mutants killed; time to kill median "
      << r.mutation.medianSecondsToKill * 1000 << " ms, max " << r.mutation.maxSecondsToKill * 1000 << " ms)";
    for (const auto& n : r.mutation.survivors) m << " survived: " << n;
    m << "; diagnosis " << r.mutation.diagnosisScore << "% (" << r.mutation.diagnosed << "/" << r.mutation.total
      << ": the rule each breaks is reported failing)";
    for (const auto& n : r.mutation.undiagnosed) m << " undiagnosed: " << n;
    row("Mutation score", m.str());
  }
  h << "</dl>";
  if (!r.complete) h << "<p class=\"incomplete\">Incomplete: the run stopped early.</p>";
  if (!r.notes.empty() || !r.inputErrors.empty()) {
    h << "<ul class=\"notes\">";
    for (const auto& n : r.notes) h << "<li>" << escapeHtml(n) << "</li>";
    for (const auto& e : r.inputErrors) h << "<li>input error: " << escapeHtml(e) << "</li>";
    h << "</ul>";
  }
  h << "</div>\n";
}

// Every rule with unexercised reachable transitions, then a sequence that closes a few of them.
void coverageGaps(std::ostringstream& h, const Results& r, const std::string& label) {
  const CoverageInfo& c = r.coverage;
  if (!c.present || c.gaps.empty()) return;
  std::ostringstream pct;
  pct.setf(std::ios::fixed);
  pct.precision(1);
  pct << c.percent;
  h << "<details class=\"coverage\"><summary>Coverage gaps on " << escapeHtml(label) << ": " << pct.str() << "% of "
    << c.reachable << " reachable transitions exercised (explorer bound " << c.bound << "), " << c.gaps.size()
    << " rules with gaps</summary>\n<table><thead><tr><th>Rule</th><th>Unexercised</th><th>Reachable</th></tr></thead><tbody>";
  for (const CoverageRuleGap& g : c.gaps)
    h << "<tr><td class=\"id\">" << escapeHtml(g.rule) << "</td><td>" << g.uncovered << "</td><td>" << g.total << "</td></tr>";
  h << "</tbody></table>\n";
  for (const CoverageRuleGap& g : c.gaps)
    for (const CoverageGapExample& e : g.examples)
      h << "<p>Gap in <b>" << escapeHtml(g.rule) << "</b>: <code>" << escapeHtml(e.transition)
        << "</code>; a scenario that closes it:</p><pre>" << escapeHtml(e.sequence) << "</pre>";
  h << "</details>\n";
}

void counterexampleBlock(std::ostringstream& h, const Counterexample& c) {
  h << "<p>From <b>" << escapeHtml(c.source) << "</b></p><pre>" << escapeHtml(c.scenarioText) << "</pre>";
  if (!c.message.empty()) h << "<pre>" << escapeHtml(c.message) << "</pre>";
  if (!c.expected.empty() || !c.actual.empty())
    h << "<div class=\"cols\"><div>Expected (model)<pre>" << escapeHtml(c.expected) << "</pre></div><div>Actual (SUT)<pre>"
      << escapeHtml(c.actual) << "</pre></div></div>";
  if (!c.replay.empty()) h << "<p>Replay: <span class=\"replay\">" << escapeHtml(c.replay) << "</span></p>";
}

// One <details> per scenario (the target of the matrix's witness links): status and trace.
void scenarioTraces(std::ostringstream& h, const Results& r, size_t run, const std::string& label) {
  for (const ScenarioOutcome& s : r.scenarios) {
    std::string cls = s.status == RunOutcome::Pass ? "st-pass" : isFailure(s.status) ? "st-fail" : "st-other";
    h << "<details id=\"" << escapeHtml(traceAnchor(run, s.path)) << "\"><summary>" << escapeHtml(s.path) << " on "
      << escapeHtml(label) << ": <span class=\"" << cls << "\">" << escapeHtml(std::string(toString(s.status))) << "</span></summary><p>"
      << escapeHtml(s.title) << "</p>";
    if (!s.trace.empty()) h << "<pre>" << escapeHtml(s.trace) << "</pre>";
    else h << "<p>Not run on the SUT" << (s.message.empty() ? "" : ": " + escapeHtml(s.message)) << "</p>";
    h << "</details>\n";
  }
}

// The overall verdict of each run, first on the page.
void banner(std::ostringstream& h, const std::vector<Results>& runs, const std::vector<std::string>& labels) {
  h << "<section id=\"banner\">\n";
  for (size_t i = 0; i < runs.size(); ++i) {
    RunSummary s = summarize(runs[i]);
    std::string cls = s.verdict.word;
    std::replace(cls.begin(), cls.end(), ' ', '-');
    h << "<div class=\"verdict " << cls << "\"><h2>" << escapeHtml(labels[i]) << ": " << escapeHtml(s.verdict.word)
      << (runs[i].complete ? "" : " (incomplete: the run stopped early)") << "</h2><p>Exit code <b>"
      << s.verdict.exitCode << "</b>: " << escapeHtml(s.verdict.meaning) << "</p><p class=\"counts\">"
      << "<span><b>" << s.unexpected << "</b> unexpected failures</span><span><b>" << s.expected
      << "</b> expected failures</span><span><b>" << s.sutFailures << "</b> SUT failures</span><span><b>"
      << s.failingRules << "</b> failing rules</span><span><b>" << s.blockedRules << "</b> blocked rules</span></p>";
    if (!s.selfCheck.empty()) h << "<p class=\"selfcheck\">" << escapeHtml(s.selfCheck) << "</p>";
    h << "</div>\n";
  }
  h << "</section>\n";
}

std::string groupAnchor(size_t run, size_t n) { return "g-" + std::to_string(run) + "-" + std::to_string(n); }

// Each counterexample once, with every rule it blames (and their summaries) and its replay line.
bool failureGroupsHtml(std::ostringstream& h, const Results& r, size_t run, const std::string& label, int rank) {
  std::vector<FailureGroup> groups = failureGroups(r);
  bool any = false;
  for (size_t n = 0; n < groups.size(); ++n) {
    const FailureGroup& g = groups[n];
    if (failureRank(g) != rank) continue;
    any = true;
    h << "<details class=\"group\" id=\"" << groupAnchor(run, n + 1) << "\"" << (g.unexpected || g.sutFailure ? " open" : "")
      << "><summary><h3>" << n + 1 << ". " << escapeHtml(failureHeading(g)) << " on " << escapeHtml(label)
      << "</h3></summary><p>Found by:";
    for (const auto& c : g.checks) h << " <code>" << escapeHtml(c) << "</code>";
    h << " (" << escapeHtml(std::string(toString(g.status))) << ")</p>";
    if (!g.manifestReason.empty()) {
      h << "<p>Expected by the manifest: " << escapeHtml(g.manifestReason);
      if (auto href = safeHref(g.manifestLink); !href.empty()) h << " <a href=\"" << href << "\">" << href << "</a>";
      h << "</p>";
    }
    if (!g.rules.empty()) {
      h << "<ul class=\"rules-of\">";
      for (const auto& id : g.rules) {
        auto rule = parseRule(id);
        h << "<li><b>" << escapeHtml(id) << "</b>" << (rule ? ": " + escapeHtml(info(*rule).summary) : "") << "</li>";
      }
      h << "</ul>";
    }
    counterexampleBlock(h, g.counterexample);
    if (!g.savedScenario.empty()) h << "<p>Saved as <code>" << escapeHtml(g.savedScenario) << "</code></p>";
    h << "</details>\n";
  }
  return any;
}

// The failure group a failing rule's matrix cell links to: the first that blames it.
std::string groupOfRule(const Results& r, size_t run, const std::string& rule) {
  std::vector<FailureGroup> groups = failureGroups(r);
  for (size_t n = 0; n < groups.size(); ++n)
    if (std::find(groups[n].rules.begin(), groups[n].rules.end(), rule) != groups[n].rules.end())
      return groupAnchor(run, n + 1);
  return "";
}

}  // namespace

std::string renderHtml(const std::vector<Results>& runs) {
  auto labels = runLabels(runs);
  std::ostringstream h;
  h << "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
       "<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">"
       "<title>bitsconform report</title><style>"
    << kCss << "</style></head>\n<body data-ready=\"no\">\n<h1>bitsconform conformance report</h1>\n";
  banner(h, runs, labels);
  h << "<h2>Failures</h2>\n";
  bool any = false;
  for (int rank = 0; rank < 3; ++rank)  // every run's unexpected failures first
    for (size_t i = 0; i < runs.size(); ++i) any |= failureGroupsHtml(h, runs[i], i, labels[i], rank);
  if (!any) h << "<p>None.</p>\n";
  h << "<h2>Runs</h2>\n<section class=\"runs\">\n";
  for (size_t i = 0; i < runs.size(); ++i) runCard(h, runs[i], labels[i]);
  h << "</section>\n<h2>Rules</h2>\n<div class=\"filters\"><label>Group <select id=\"group\"><option value=\"\">all</option>";
  for (auto g : ruleGroups()) h << "<option>" << escapeHtml(g) << "</option>";
  h << "</select></label>";
  for (auto v : {RuleVerdict::Fail, RuleVerdict::ExpectedFail, RuleVerdict::Pass, RuleVerdict::Blocked,
                 RuleVerdict::NotApplicable, RuleVerdict::NotExercised, RuleVerdict::NotCheckable})
    h << "<label><input type=\"checkbox\" class=\"vf\" value=\"" << toString(v) << "\" checked> " << toString(v) << "</label>";
  h << "<span id=\"shown\"></span></div>\n<table id=\"matrix\"><thead><tr><th>Rule</th><th>" << kDocBasisColumn
    << "</th><th>Summary</th>";
  for (const auto& l : labels) h << "<th>Verdict: " << escapeHtml(l) << "</th>";
  h << "</tr></thead><tbody>\n";
  for (const RuleInfo& ri : allRules()) {
    std::string verdicts;
    std::ostringstream cells;
    for (size_t i = 0; i < runs.size(); ++i) {
      const RuleResult* r = runs[i].rule(ri.id);
      std::string v = r ? std::string(toString(r->verdict)) : "missing";
      verdicts += (verdicts.empty() ? "" : " ") + v;
      cells << "<td class=\"v v-" << v << "\"";
      const std::string witness = r ? witnessLabel(*r) : "";
      if (r)
        cells << " title=\"" << r->scenarios << " scenarios, " << r->propertyCases << " property cases, " << r->failures
              << " failures" << (r->blockedBy.empty() ? "" : "; blocked by " + escapeHtml(joinWords(r->blockedBy)))
              << (r->notCheckable.empty() ? "" : "; not checkable here: " + escapeHtml(r->notCheckable))
              << (witness.empty() ? "" : "; witness: " + escapeHtml(witness)) << "\"";
      cells << ">";
      bool failing = r && (r->verdict == RuleVerdict::Fail || r->verdict == RuleVerdict::ExpectedFail);
      // The verdict links to what backs it: a failure's counterexamples, else the witness's trace.
      std::string traceLink = r && r->witness && !r->witness->scenario.empty() ? traceAnchor(i, r->witness->scenario) : "";
      std::string link = failing ? groupOfRule(runs[i], i, std::string(ri.id)) : traceLink;
      if (link.empty()) link = traceLink;
      if (!link.empty()) cells << "<a href=\"#" << escapeHtml(link) << "\">";
      cells << (r ? v : "—") << (r && r->fixed ? " (fixed)" : "");
      if (!link.empty()) cells << "</a>";
      if (failing && !traceLink.empty()) cells << "<a class=\"w\" href=\"#" << escapeHtml(traceLink) << "\">trace</a>";
      if (r && !r->witness && !witness.empty()) cells << "<span class=\"w\">" << escapeHtml(witness) << "</span>";
      if (r && r->verdict == RuleVerdict::Blocked && !r->blockedBy.empty())
        cells << "<span class=\"w\">by " << escapeHtml(joinWords(r->blockedBy)) << "</span>";
      cells << "</td>";
    }
    h << "<tr data-group=\"" << escapeHtml(ri.group) << "\" data-verdicts=\"" << verdicts << "\"><td class=\"id\">";
    if (auto href = safeHref(ri.docUrl); !href.empty())
      h << "<a href=\"" << href << "\">" << escapeHtml(ri.id) << "</a>";
    else
      h << escapeHtml(ri.id);
    h << "</td><td class=\"" << statusClass(ri.status) << "\" title=\"" << escapeHtml(ri.statusNote) << "\">"
      << toString(ri.status) << "</td><td>" << escapeHtml(ri.summary) << "</td>" << cells.str() << "</tr>\n";
  }
  h << "</tbody></table>\n";
  h << "<h2>Scenario traces</h2>\n<p>What the SUT did: each command, then its observations, up to where the scenario "
       "stopped.</p>\n";
  for (size_t i = 0; i < runs.size(); ++i) scenarioTraces(h, runs[i], i, labels[i]);
  bool gaps = std::any_of(runs.begin(), runs.end(), [](const Results& r) { return !r.coverage.gaps.empty(); });
  if (gaps) h << "<h2>Coverage gaps</h2>\n";
  for (size_t i = 0; i < runs.size(); ++i) coverageGaps(h, runs[i], labels[i]);
  h << "<script>" << kScript << "</script>\n</body></html>\n";
  return h.str();
}

}  // namespace bc
