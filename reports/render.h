// render.h: results files -> Markdown, self-contained HTML and JUnit XML.
//
// Each renderer takes one or more runs (e.g. model, mock, Wine, Windows) and puts them side by
// side: a rules x implementations matrix (each verdict with its witness), then every failure
// with its minimal scenario and replay line, then every scenario's observed trace. Output is a pure function of the input (no clock, no environment), so approval
// tests can pin it. Every string that came from a SUT or a results file is escaped.
#pragma once

#include <string>
#include <vector>

#include "results/results.h"

namespace bc {

std::string renderMarkdown(const std::vector<Results>& runs);
// One page, no network: inline CSS and JS (filters by group and verdict). The script sets
// document.title to end in " [ready]" and <body data-ready="ok"> once it ran without error.
std::string renderHtml(const std::vector<Results>& runs);
// One <testsuite> per run, one <testcase> per rule; a failure carries its counterexample.
std::string renderJunit(const std::vector<Results>& runs);

// What every report leads with, per run: the overall verdict as `bitsconf run` exits with it,
// and the counts a person reads first.
struct RunSummary {
  RunVerdict verdict;
  int unexpected = 0;      // failing checks no manifest entry names (SUT failures aside)
  int expected = 0;        // failing checks the manifest names
  int sutFailures = 0;     // units whose SUT crashed, hung or spoke garbage
  int failingRules = 0;    // rule verdict fail
  int expectedRules = 0;   // expected-fail
  int blockedRules = 0;
  // A run on the mock, one of its mutants or the model checks the suite against itself: what it
  // shows, in one paragraph; "" for an implementation.
  std::string selfCheck;
};
RunSummary summarize(const Results& r);

// The failures of a run, each counterexample once: the failing checks that found the same
// minimal case (same commands, same blamed rules), unexpected ones first, then SUT failures,
// then those the manifest expects.
struct FailureGroup {
  std::vector<std::string> checks;  // checkId of each unit that found it
  std::vector<std::string> rules;   // the rules it blames
  RunOutcome status = RunOutcome::Diverged;  // the first unit's: diverged, expect-failed, crashed, ...
  bool unexpected = false;
  bool sutFailure = false;
  std::string manifestReason, manifestLink;  // the first listed unit's entry, when expected
  Counterexample counterexample;             // the first unit's
  std::string savedScenario;                 // a property's or the covering set's saved .scenario
};
std::vector<FailureGroup> failureGroups(const Results& r);
// 0 unexpected, 1 SUT failure, 2 expected: reports list every run's unexpected failures first.
inline int failureRank(const FailureGroup& g) { return g.unexpected ? 0 : g.sutFailure ? 1 : 2; }
// A group's heading, unescaped: "Unexpected failure: REG-8, CB-14", "SUT failure: crashed".
std::string failureHeading(const FailureGroup& g);

// Column names: the catalog's E/E*/I is how directly the docs state a rule, not a verdict.
inline constexpr const char* kDocBasisColumn = "Doc basis (E explicit, E* loose, I inferred)";

// Escaping helpers (shared by the renderers; exposed for tests).
std::string escapeHtml(std::string_view s);   // & < > " '
std::string escapeXml(std::string_view s);    // also drops characters XML 1.0 forbids
std::string escapeMarkdownCell(std::string_view s);  // | and newlines, HTML-significant < >
std::string joinWords(const std::vector<std::string>& words);  // "REG-8, CB-14"
// What backs a rule's verdict, in words: "scenario scenarios/x.scenario", "capability c: <evidence>",
// "properties only" (pass/fail found by properties alone), or "" (verdicts that need none).
std::string witnessLabel(const RuleResult& r);
// An HTML id for a scenario's trace section in run `run`: stable, no blanks or markup.
std::string traceAnchor(size_t run, std::string_view scenarioPath);
// A column label for a run: the SUT name, with the spec when two runs share a name.
std::vector<std::string> runLabels(const std::vector<Results>& runs);

}  // namespace bc
